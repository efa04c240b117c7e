//! Words packed into integers, so that the vocabulary is looked up by number: up to
//! 7 bytes in a `u64`, up to 15 in a `u128`, read from a text in one or two loads.

/// A word of at most 7 bytes as an integer: its bytes and its length, so two
/// different words never share a key.
pub(super) fn pack(word: &[u8]) -> Option<u64> {
    if word.len() > 7 {
        return None;
    }
    let mut key = (word.len() as u64) << 56;
    for (i, &b) in word.iter().enumerate() {
        key |= u64::from(b) << (8 * i);
    }
    Some(key)
}

/// The bytes of `text` from `start` as an integer, at least `len` of them (at most 7)
/// and zeros where the text ends: one 8-byte load where the text is long enough (the
/// usual case) instead of byte by byte. `None` when fewer than `len` bytes are there.
#[inline]
pub(super) fn bytes_at(text: &[u8], start: usize, len: usize) -> Option<u64> {
    match text
        .get(start..start + 8)
        .and_then(|w| <[u8; 8]>::try_from(w).ok())
    {
        Some(w) => Some(u64::from_le_bytes(w)),
        None => {
            let mut w = [0u8; 8];
            w.get_mut(..len)?
                .copy_from_slice(text.get(start..start + len)?);
            Some(u64::from_le_bytes(w))
        }
    }
}

/// [`pack`] of the `len` bytes of `text` from `start`, read at once (see
/// [`bytes_at`]).
#[inline]
pub(super) fn pack_at(text: &[u8], start: usize, len: usize) -> Option<u64> {
    if len > 7 {
        return None;
    }
    let mask = (1u64 << (8 * len)) - 1;
    Some(bytes_at(text, start, len)? & mask | (len as u64) << 56)
}

/// [`pack_at`] lowercased, for a run of ASCII letters or of ASCII digits: `| 0x20` on
/// each of its bytes lowercases a letter and leaves a digit as it is.
#[inline]
pub(super) fn pack_lowercase_at(text: &[u8], start: usize, len: usize) -> Option<u64> {
    if len > 7 {
        return None;
    }
    let mask = (1u64 << (8 * len)) - 1;
    Some((bytes_at(text, start, len)? | 0x2020_2020_2020_2020) & mask | (len as u64) << 56)
}

/// A word of 8 to 15 bytes as an integer: its first 8 bytes below, [`pack`] of the
/// rest (with its length) above. Two different words never share a key.
pub(super) fn pack_long(word: &[u8]) -> Option<u128> {
    if !(8..=15).contains(&word.len()) {
        return None;
    }
    let (first, rest) = word.split_at(8);
    let low = u64::from_le_bytes(first.try_into().ok()?);
    Some(u128::from(pack(rest)?) << 64 | u128::from(low))
}

/// [`pack_long`] of the `len` bytes of `text` from `start`, lowercased as
/// [`pack_lowercase_at`] does, read as two 8-byte loads (see [`bytes_at`]).
#[inline]
pub(super) fn pack_long_lowercase_at(text: &[u8], start: usize, len: usize) -> Option<u128> {
    if !(8..=15).contains(&len) {
        return None;
    }
    let low = bytes_at(text, start, 8)? | 0x2020_2020_2020_2020;
    let high = pack_lowercase_at(text, start + 8, len - 8)?;
    Some(u128::from(high) << 64 | u128::from(low))
}

/// `text[start..end]` lowercased, into `out`.
pub(super) fn lowercase_into(text: &[u8], start: usize, end: usize, out: &mut Vec<u8>) {
    out.clear();
    out.extend_from_slice(text.get(start..end).unwrap_or_default());
    out.make_ascii_lowercase();
}

/// The first four bytes of a word (zeros past its end), by which prefix terms of one
/// word are found: four bytes tell apart the prefix terms that start with one
/// Cyrillic letter (two bytes), which two bytes would not.
pub(super) fn head(word: &[u8]) -> u32 {
    let mut h = [0u8; 4];
    for (to, &b) in h.iter_mut().zip(word) {
        *to = b;
    }
    u32::from_le_bytes(h)
}

/// The bit of [`TermMatcher::root_heads`] for a head: its top 16 bits once mixed.
pub(super) fn head_bit(head: u32) -> usize {
    (head.wrapping_mul(0x9E37_79B1) >> 16) as usize
}

/// Prefix terms shorter than this are checked against every word rather than found
/// by their head (see [`head`]).
pub(super) const HEAD_LEN: usize = 4;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::goods::{abbreviations, plural_rewrites_start, spell_ascii_word};
    use proptest::prelude::*;

    #[test]
    fn packed_words_read_at_once_or_byte_by_byte_agree() {
        let text = b" ab abcdefg abcdefgh x ";
        for start in 0..text.len() {
            for len in 0..=8 {
                let Some(word) = text.get(start..start + len) else {
                    continue;
                };
                assert_eq!(pack_at(text, start, len), pack(word), "{start} {len}");
            }
        }
    }

    proptest! {
        /// A word the normalizer writes so that it no longer starts with the word's
        /// first four bytes is one that `plural_rewrites_start` names, or an
        /// abbreviation.
        #[test]
        fn heads_change_only_where_plural_rewrites_start(
            w in prop_oneof![
                "[a-z]{1,7}",
                "[a-z]{1,4}(ies|ves|es|s|ses|ches|xes)",
                prop::sample::select(vec!["knives", "wives", "halves", "babies", "ties", "pies"])
                    .prop_map(String::from),
            ],
        ) {
            let w = w.as_bytes();
            let rewrites = |w: &[u8]| plural_rewrites_start(w, HEAD_LEN);
            prop_assert_eq!(rewrites(&w.to_ascii_uppercase()), rewrites(w));
            // An abbreviation (`dz` is `dozen`) is respelled whole, but every one is in
            // the matcher's spellings, which give its head: the written head is never
            // used for it.
            let abbreviation = abbreviations().any(|(a, _)| a.as_bytes() == w);
            let mut spelled = Vec::new();
            let one_word = spell_ascii_word(w, &mut spelled).is_some();
            if one_word && spelled.len() >= HEAD_LEN && !rewrites(w) && !abbreviation {
                prop_assert_eq!(head(&spelled), head(w), "{:?}", String::from_utf8_lossy(w));
            }
        }
    }

    #[test]
    fn long_words_packed_lowercase_at_once_or_byte_by_byte_agree() {
        // Runs of letters (any case) or of digits, as the matcher packs them, of up to
        // 17 bytes (a key only from 8 to 15), at every place, up to the end of the text.
        let text = b" Machinery 12345678901234 CONTAINERS abcdefghijklmnop ";
        for start in 0..text.len() {
            for len in 0..=17 {
                let Some(word) = text.get(start..start + len) else {
                    continue;
                };
                let lower = word.to_ascii_lowercase();
                let want = pack_long(&lower);
                assert_eq!(want.is_some(), (8..=15).contains(&len), "{start} {len}");
                if word.iter().all(u8::is_ascii_alphabetic) || word.iter().all(u8::is_ascii_digit) {
                    assert_eq!(
                        pack_long_lowercase_at(text, start, len),
                        want,
                        "{start} {len}"
                    );
                }
            }
        }
        // Words that differ only in their length or in a byte past the eighth differ.
        let keys = [
            &b"abcdefgh"[..],
            b"abcdefgh1",
            b"abcdefgh2",
            b"abcdefghi",
            b"abcdefgha",
        ];
        let packed: std::collections::HashSet<u128> =
            keys.iter().filter_map(|k| pack_long(k)).collect();
        assert_eq!(packed.len(), keys.len());
    }
}
