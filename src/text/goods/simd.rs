//! The bytes of a description read 16 at a time: which are ASCII letters, digits,
//! apostrophes, or not ASCII at all ([`Classes`], with SSE2 on x86_64 and with 8-byte
//! arithmetic elsewhere, without `unsafe`), and from those bit masks the stretches
//! between separators ([`Stretches`]) and the runs of letters and of digits of an ASCII
//! line ([`AsciiRuns`]).

use crate::lookup::bits::BitWalk;

/// The stretches of a text that lie between ASCII separators, and the runs of ASCII
/// letters and of ASCII digits in them, found from bit masks of the text's bytes made
/// 16 bytes at a time (as [`AsciiRuns`] does for ASCII text).
///
/// No token of the normalizer crosses an ASCII separator, so the normalizer writes a
/// line stretch by stretch as it would write each stretch alone. A stretch is plain
/// when it holds ASCII letters and digits only: its tokens are then its runs of letters
/// and of digits (see [`Stretches::run_end`]). Any other stretch holds a character that
/// is not ASCII or an apostrophe, and is left to the normalizer. A stretch ends on an
/// ASCII byte or at the end of the text, so both ends are character boundaries.
#[derive(Debug, Default)]
pub(crate) struct Stretches {
    /// For each block of 64 bytes: its letters, its digits, and its other bytes that
    /// are not separators (apostrophes, bytes not ASCII), bit `i % 64` for byte `i`.
    blocks: Vec<[u64; 3]>,
    len: usize,
    /// The text, padded with zeros to whole chunks of 16 bytes.
    padded: Vec<u8>,
}

impl Stretches {
    /// Reads `text`.
    pub(crate) fn read(&mut self, text: &[u8]) {
        self.len = text.len();
        self.blocks.clear();
        self.padded.clear();
        self.padded.extend_from_slice(text);
        self.padded.resize(text.len().div_ceil(64) * 64, 0);
        for block in self.padded.chunks_exact(64) {
            let mut masks = [0u64; 3];
            for (k, chunk) in block.chunks_exact(16).enumerate() {
                let Ok(chunk) = <&[u8; 16]>::try_from(chunk) else {
                    continue;
                };
                let c = classes(chunk);
                // Where a byte is not ASCII the other classes mean nothing.
                let ascii = !c.high;
                let shift = 16 * k;
                masks[0] |= u64::from(c.letters & ascii) << shift;
                masks[1] |= u64::from(c.digits & ascii) << shift;
                masks[2] |= u64::from(c.apostrophes & ascii | c.high) << shift;
            }
            self.blocks.push(masks);
        }
    }

    /// The first byte from `from` whose bit is set in `pick` of its block's masks, or
    /// the end of the text.
    #[inline]
    fn first(&self, from: usize, pick: impl Fn(&[u64; 3]) -> u64) -> usize {
        let mut k = from / 64;
        let Some(block) = self.blocks.get(k) else {
            return self.len;
        };
        let mut bits = pick(block) & (u64::MAX << (from % 64));
        loop {
            if bits != 0 {
                return (64 * k + bits.trailing_zeros() as usize).min(self.len);
            }
            k += 1;
            match self.blocks.get(k) {
                Some(block) => bits = pick(block),
                None => return self.len,
            }
        }
    }

    /// The next stretch from byte `from`: its start, its end, and whether it is plain.
    /// `None` when only separators are left.
    #[inline]
    pub(crate) fn next(&self, from: usize) -> Option<(usize, usize, bool)> {
        let start = self.first(from, |b| b[0] | b[1] | b[2]);
        if start >= self.len {
            return None;
        }
        let end = self.first(start, |b| !(b[0] | b[1] | b[2]));
        let plain = self.first(start, |b| b[2]) >= end;
        Some((start, end, plain))
    }

    /// Where the run of ASCII letters or of ASCII digits that starts at `from` ends,
    /// within a plain stretch that ends at `end`.
    #[inline]
    pub(crate) fn run_end(&self, from: usize, end: usize) -> usize {
        let letter = self
            .blocks
            .get(from / 64)
            .is_some_and(|b| b[0] & 1 << (from % 64) != 0);
        let class = usize::from(!letter);
        self.first(from, |b| !b[class]).min(end)
    }
}

/// The runs of letters and of digits of an ASCII text, found 16 bytes at a time: the
/// words of [`super::ascii_words_into`] when no apostrophe is next to them. After
/// [`AsciiRuns::read`], [`AsciiRuns::next`] hands them out in order.
#[derive(Debug, Default)]
pub(crate) struct AsciiRuns {
    /// For each block of 64 bytes, the bytes that start a run and the bytes that end
    /// one (its last byte): bit `i % 64` of block `i / 64`. Runs do not nest, so the
    /// n-th start and the n-th end bound the n-th run.
    blocks: Vec<[u64; 2]>,
    /// The starts not yet handed out, and the ends.
    starts: BitWalk,
    ends: BitWalk,
}

/// Which of 16 bytes are ASCII letters, digits and apostrophes, and which are not
/// ASCII at all (bit `i` for byte `i`). The first three are meaningless when any byte
/// is not ASCII.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Classes {
    letters: u16,
    digits: u16,
    apostrophes: u16,
    high: u16,
}

/// [`Classes`] with SSE2: a few comparisons of all 16 bytes at once.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn classes(chunk: &[u8; 16]) -> Classes {
    use safe_arch::*;
    let x = load_unaligned_m128i(chunk);
    let splat = |b: u8| set_splat_i8_m128i(b as i8);
    // Bytes are ASCII, so signed comparisons order them; `| 0x20` lowercases letters
    // and sends no other byte into `a..=z`.
    let folded = bitor_m128i(x, splat(0x20));
    let letters = bitand_m128i(
        cmp_gt_mask_i8_m128i(folded, splat(b'a' - 1)),
        cmp_lt_mask_i8_m128i(folded, splat(b'z' + 1)),
    );
    let digits = bitand_m128i(
        cmp_gt_mask_i8_m128i(x, splat(b'0' - 1)),
        cmp_lt_mask_i8_m128i(x, splat(b'9' + 1)),
    );
    let apostrophes = bitor_m128i(
        cmp_eq_mask_i8_m128i(x, splat(b'\'')),
        cmp_eq_mask_i8_m128i(x, splat(b'`')),
    );
    // Each mask holds 16 bits.
    let bits = |m| move_mask_i8_m128i(m) as u16;
    Classes {
        letters: bits(letters),
        digits: bits(digits),
        apostrophes: bits(apostrophes),
        high: bits(x),
    }
}

#[cfg(not(target_arch = "x86_64"))]
#[inline(always)]
fn classes(chunk: &[u8; 16]) -> Classes {
    classes_by_words(chunk)
}

/// [`Classes`] with 8-byte integer arithmetic, for targets without SSE2 (and the
/// tests, which hold the two to the same answers).
#[cfg(any(not(target_arch = "x86_64"), test))]
fn classes_by_words(chunk: &[u8; 16]) -> Classes {
    /// One bit per byte of a word: the high bit.
    const HIGH: u64 = 0x8080_8080_8080_8080;
    /// One in every byte of a word.
    const ONES: u64 = 0x0101_0101_0101_0101;
    // The high bit of each byte of `x` (all ASCII) that is at least `lo`: the byte
    // with its high bit set, minus `lo`, keeps it exactly then, and never borrows from
    // the next byte.
    let at_least = |x: u64, lo: u8| ((x | HIGH) - ONES * u64::from(lo)) & HIGH;
    let equal = |x: u64, b: u8| {
        let v = x ^ (ONES * u64::from(b));
        // Zero bytes of `v`, exactly when no byte of `v` has its high bit set (any
        // text with such a byte is not read as words, and the sum may then carry).
        !(v.wrapping_add(!HIGH) | v) & HIGH
    };
    // The high bits of the 8 bytes as the low 8 bits, byte `i` to bit `i`: the
    // multiplication moves each to its place with no two colliding.
    let gather = |m: u64| ((m >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56) as u16;
    let mut c = Classes {
        letters: 0,
        digits: 0,
        apostrophes: 0,
        high: 0,
    };
    for (k, half) in chunk.chunks_exact(8).enumerate() {
        let x = u64::from_le_bytes(half.try_into().unwrap_or_default());
        let folded = x | (ONES * 0x20);
        let shift = 8 * k;
        c.letters |= gather(at_least(folded, b'a') & !at_least(folded, b'z' + 1)) << shift;
        c.digits |= gather(at_least(x, b'0') & !at_least(x, b'9' + 1)) << shift;
        c.apostrophes |= gather(equal(x, b'\'') | equal(x, b'`')) << shift;
        c.high |= gather(x & HIGH) << shift;
    }
    c
}

/// What [`AsciiRuns::read`] made of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reading {
    /// ASCII, without apostrophes: the runs are its words.
    Words,
    /// ASCII, with an apostrophe.
    Apostrophe,
    /// Not all ASCII.
    NotAscii,
}

impl AsciiRuns {
    /// Reads `text`. Says [`Reading::NotAscii`] for a text that is not all ASCII, and
    /// [`Reading::Apostrophe`] for one that holds an apostrophe (`men's`), which the
    /// normalizer joins to the words around it: [`ascii_words_into`] cuts those. Only
    /// after [`Reading::Words`] does [`AsciiRuns::next`] hand out runs.
    pub(crate) fn read(&mut self, text: &[u8]) -> Reading {
        self.blocks.clear();
        let (mut apostrophes, mut high) = (0u16, 0u16);
        let mut block = [0u64; 2];
        let mut add = |k: usize, c: Classes, blocks: &mut Vec<[u64; 2]>| {
            let shift = 16 * (k % 4);
            block[0] |= u64::from(c.letters) << shift;
            block[1] |= u64::from(c.digits) << shift;
            apostrophes |= c.apostrophes;
            high |= c.high;
            if k % 4 == 3 {
                blocks.push(std::mem::take(&mut block));
            }
        };
        let mut chunks = text.chunks_exact(16);
        let mut k = 0;
        for chunk in chunks.by_ref() {
            if let Ok(c) = <&[u8; 16]>::try_from(chunk) {
                add(k, classes(c), &mut self.blocks);
            }
            k += 1;
        }
        let tail = chunks.remainder().len();
        if tail > 0 {
            // The last 16 bytes of the text, shifted so that the bytes already read
            // drop out: one load, where copying the tail into a padded chunk would
            // call `memcpy`. Only a text shorter than 16 bytes is copied.
            let last = text
                .len()
                .checked_sub(16)
                .and_then(|at| text.get(at..))
                .and_then(|c| <&[u8; 16]>::try_from(c).ok());
            let c = match last {
                Some(c) => {
                    let c = classes(c);
                    let drop = 16 - tail as u32;
                    Classes {
                        letters: c.letters >> drop,
                        digits: c.digits >> drop,
                        apostrophes: c.apostrophes >> drop,
                        high: c.high >> drop,
                    }
                }
                None => {
                    let mut padded = [0u8; 16];
                    padded
                        .get_mut(..tail)
                        .unwrap_or_default()
                        .copy_from_slice(chunks.remainder());
                    classes(&padded)
                }
            };
            add(k, c, &mut self.blocks);
        }
        if text.len() % 64 != 0 {
            self.blocks.push(block);
        }
        let reading = if high != 0 {
            Reading::NotAscii
        } else if apostrophes != 0 {
            Reading::Apostrophe
        } else {
            Reading::Words
        };
        if reading != Reading::Words {
            // Such a text is not read by its runs: none are handed out.
            self.blocks.clear();
            (self.starts, self.ends) = (BitWalk::default(), BitWalk::default());
            return reading;
        }

        // Letters and digits to the starts and ends of their runs: a letter starts a
        // run unless the byte before it is a letter, and ends one unless the byte
        // after it is; the same for digits. The bytes before and after a block are
        // the last and first bits of its neighbours.
        let mut before = [0u64; 2];
        for k in 0..self.blocks.len() {
            let Some(&[l, d]) = self.blocks.get(k) else {
                break;
            };
            let after = self
                .blocks
                .get(k + 1)
                .map_or([0, 0], |b| [b[0] & 1, b[1] & 1]);
            let starts = (l & !(l << 1 | before[0])) | (d & !(d << 1 | before[1]));
            let ends = (l & !(l >> 1 | after[0] << 63)) | (d & !(d >> 1 | after[1] << 63));
            before = [l >> 63, d >> 63];
            if let Some(b) = self.blocks.get_mut(k) {
                *b = [starts, ends];
            }
        }
        let first = self.blocks.first().copied().unwrap_or_default();
        (self.starts, self.ends) = (BitWalk::new(first[0]), BitWalk::new(first[1]));
        reading
    }

    /// The next run of letters or of digits: its start and end (exclusive).
    #[inline]
    pub(crate) fn next(&mut self) -> Option<(usize, usize)> {
        let blocks = &self.blocks;
        let start = self.starts.next(|k| blocks.get(k).map(|b| b[0]))?;
        let last = self.ends.next(|k| blocks.get(k).map(|b| b[1]))?;
        Some((start, last + 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::goods::ascii::{ascii_class, ascii_words_into, APOSTROPHE, SEP};
    use crate::text::goods::naive::tricky_ascii_text;
    use proptest::prelude::*;

    /// The stretch from `from`, byte by byte: what [`Stretches::next`] answers.
    fn stretch_by_bytes(text: &[u8], from: usize) -> Option<(usize, usize, bool)> {
        let start = from
            + text
                .get(from..)?
                .iter()
                .position(|&b| b >= 0x80 || ascii_class(b) != SEP)?;
        let mut plain = true;
        let mut end = start;
        while let Some(&b) = text.get(end) {
            if b >= 0x80 {
                plain = false;
            } else {
                match ascii_class(b) {
                    SEP => break,
                    APOSTROPHE => plain = false,
                    _ => {}
                }
            }
            end += 1;
        }
        Some((start, end, plain))
    }

    proptest! {
        /// Stretches and runs found from the masks are those found byte by byte, in
        /// texts of every length around the 16-byte chunks and 64-byte blocks.
        #[test]
        fn stretches_from_masks_are_those_byte_by_byte(
            text in prop_oneof![
                any::<String>(),
                "([a-zA-Z0-9]{1,9}[ ,./'-]{0,2}|[éж钻]{1,2}){0,30}",
            ],
        ) {
            let bytes = text.as_bytes();
            let mut stretches = Stretches::default();
            stretches.read(bytes);
            let mut from = 0;
            loop {
                let want = stretch_by_bytes(bytes, from);
                prop_assert_eq!(stretches.next(from), want, "{:?} from {}", text, from);
                let Some((start, end, plain)) = want else { break };
                if plain {
                    let mut i = start;
                    while i < end {
                        let class = ascii_class(bytes[i]);
                        let mut j = i + 1;
                        while j < end && ascii_class(bytes[j]) == class {
                            j += 1;
                        }
                        prop_assert_eq!(stretches.run_end(i, end), j, "{:?} at {}", text, i);
                        i = j;
                    }
                }
                from = end;
            }
        }
    }

    proptest! {
        #[test]
        fn runs_are_the_words_as_written(s in prop_oneof![
            "[ -~]{0,200}",
            tricky_ascii_text(),
            "[ -~]{0,70}[^\\x00-\\x7f][ -~]{0,70}",
        ]) {
            assert_runs_are_words(&s)?;
        }

        #[test]
        fn byte_classes_by_words_as_by_simd(
            chunk in prop_oneof![
                prop::array::uniform16(0u8..0x80),
                prop::array::uniform16(any::<u8>()),
            ],
        ) {
            let want = Classes {
                letters: bits_of(&chunk, |b| b.is_ascii_alphabetic()),
                digits: bits_of(&chunk, |b| b.is_ascii_digit()),
                apostrophes: bits_of(&chunk, |b| b == b'\'' || b == b'`'),
                high: bits_of(&chunk, |b| !b.is_ascii()),
            };
            let (simd, words) = (classes(&chunk), classes_by_words(&chunk));
            if chunk.is_ascii() {
                prop_assert_eq!(simd, want);
                prop_assert_eq!(words, want);
            } else {
                // The rest is meaningless then: the text is not read as words.
                prop_assert_eq!(simd.high, want.high);
                prop_assert_eq!(words.high, want.high);
            }
        }

    }

    fn bits_of(chunk: &[u8; 16], class: impl Fn(u8) -> bool) -> u16 {
        (0..16).filter(|&i| class(chunk[i])).map(|i| 1 << i).sum()
    }

    /// The runs that [`AsciiRuns`] finds in `s` are where [`ascii_words_into`] finds
    /// words, unless `s` holds an apostrophe, which `read` reports.
    fn assert_runs_are_words(s: &str) -> Result<(), TestCaseError> {
        let mut runs = AsciiRuns::default();
        let reading = runs.read(s.as_bytes());
        let want = if !s.is_ascii() {
            Reading::NotAscii
        } else if s.contains(['\'', '`']) {
            Reading::Apostrophe
        } else {
            Reading::Words
        };
        prop_assert_eq!(reading, want, "{:?}", s);
        if reading != Reading::Words {
            prop_assert_eq!(runs.next(), None, "{:?}", s);
            return Ok(());
        }
        let mut got = Vec::new();
        while let Some((start, end)) = runs.next() {
            prop_assert!(start < end && end <= s.len(), "{:?}: {}..{}", s, start, end);
            got.push((start as u32, end as u32));
        }
        let (mut pieces, mut spelling) = (Vec::new(), Vec::new());
        ascii_words_into(s.as_bytes(), &mut pieces, &mut spelling);
        let mut want: Vec<(u32, u32)> = pieces.iter().map(|p| (p.orig_start, p.orig_end)).collect();
        // An abbreviation of several words (`edp`) is one run.
        want.dedup();
        prop_assert_eq!(got, want, "{:?}", s);
        Ok(())
    }
}
