//! ASCII descriptions, the usual invoice line, read without the general normalizer:
//! the class of each byte, the words of a line ([`ascii_words_into`]) and of one word
//! ([`spell_ascii_word`]), and every word the normalizer writes as a given one
//! ([`ascii_spellings`]). The tests hold each to what the general normalizer writes.

use super::lexicon::{abbreviation_of, fold_plural, Fold};
use super::Piece;
use crate::text::script::is_apostrophe;

/// ASCII byte classes: what the fast path needs to know about a byte without decoding.
pub(super) const SEP: u8 = 0;
pub(super) const LETTER: u8 = 1;
pub(super) const DIGIT: u8 = 2;
pub(super) const APOSTROPHE: u8 = 3;

/// The class of every byte value, so that a class is one load with no bounds check.
/// Bytes above ASCII are `SEP` here; the general normalizer decodes them first.
static ASCII_CLASS: [u8; 256] = {
    let mut t = [SEP; 256];
    let mut i = 0;
    while i < 128 {
        t[i] = match i as u8 {
            b'a'..=b'z' | b'A'..=b'Z' => LETTER,
            b'0'..=b'9' => DIGIT,
            // `men's`, `'50s`: an apostrophe joins, it does not separate.
            b if is_apostrophe(b as char) => APOSTROPHE,
            _ => SEP,
        };
        i += 1;
    }
    t
};

#[inline(always)]
pub(super) fn ascii_class(b: u8) -> u8 {
    ASCII_CLASS[usize::from(b)]
}

/// The words of an ASCII description, the usual invoice line, for the term matcher:
/// the [`Piece`]s that [`normalize_text_into`] would find (same offsets in the
/// normalized text, same original ranges), without writing the normalized text.
///
/// `spelling` receives the normalized bytes of the words: piece `p` reads
/// `spelling[p.spelled..][..p.end - p.start]`. It starts with the whole input
/// lowercased, so that most words are read where they were written; only a word the
/// normalizer changes beyond case (an apostrophe inside, an `ies` or `ves` plural, an
/// abbreviation) is spelled again after it. In ASCII a byte is a character, apostrophes
/// vanish and a word is a run of letters or of digits, so the general normalizer's
/// bookkeeping (decoding, the class of the previous character, the offset map) is not
/// needed; the tests assert that the pieces are the general normalizer's.
pub(crate) fn ascii_words_into(input: &[u8], pieces: &mut Vec<Piece>, spelling: &mut Vec<u8>) {
    pieces.clear();
    spelling.clear();
    spelling.extend_from_slice(input);
    // One pass over the whole line: cheaper than lowercasing word by word.
    spelling.make_ascii_lowercase();
    // Where the next word starts in the normalized text, which opens with a space.
    let mut at: u32 = 1;
    let mut i = 0;
    while let Some(&b) = input.get(i) {
        let class = ascii_class(b);
        if class != LETTER && class != DIGIT {
            i += 1;
            continue;
        }
        let orig_start = i;
        // Just after the run's last letter or digit: a trailing apostrophe is not part
        // of the word's original range.
        let mut orig_end = i + 1;
        let mut j = i + 1;
        let mut skipped = false;
        // Whether an apostrophe sits between two letters or digits of the run.
        let mut gap = false;
        while let Some(&b) = input.get(j) {
            let c = ascii_class(b);
            if c == class {
                orig_end = j + 1;
                gap |= skipped;
            } else if c == APOSTROPHE {
                skipped = true;
            } else {
                break;
            }
            j += 1;
        }
        i = j;
        let (mut from, mut len) = (orig_start, orig_end - orig_start);
        if gap {
            // `men's`: the word without its apostrophes, spelled after the line.
            from = spelling.len();
            for k in orig_start..orig_end {
                if let Some(&c) = spelling.get(k) {
                    if ascii_class(c) == class {
                        spelling.push(c);
                    }
                }
            }
            len = spelling.len() - from;
        }
        let mut width = u8::from(!gap);
        if class == LETTER {
            let word = spelling.get(from..from + len).unwrap_or_default();
            if let Some(exp) = abbreviation_of(word) {
                // Each word of the expansion stands for the whole original token.
                for w in exp.as_bytes().split(|&b| b == b' ') {
                    pieces.push(Piece {
                        start: at,
                        end: at + w.len() as u32,
                        orig_start: orig_start as u32,
                        orig_end: orig_end as u32,
                        width: 0,
                        spelled: spelling.len() as u32,
                    });
                    spelling.extend_from_slice(w);
                    at += w.len() as u32 + 1;
                }
                continue;
            }
            // Most words do not end in `s` and cannot be plurals.
            let fold = if word.last() == Some(&b's') {
                fold_plural(word)
            } else {
                None
            };
            match fold {
                Some(Fold::Drop(n)) => len -= n,
                Some(Fold::Replace(n, with)) => {
                    let keep = from..from + len - n;
                    from = spelling.len();
                    spelling.extend_from_within(keep);
                    spelling.extend_from_slice(with.as_bytes());
                    len = spelling.len() - from;
                    width = 0;
                }
                None => {}
            }
        }
        pieces.push(Piece {
            start: at,
            end: at + len as u32,
            orig_start: orig_start as u32,
            orig_end: orig_end as u32,
            width,
            spelled: from as u32,
        });
        at += len as u32 + 1;
    }
}

/// How the normalizer spells `word`, a lowercase run of ASCII letters or of ASCII
/// digits, when it makes one word of it: that word is written to `out`, and the answer
/// is whether each of its bytes stands for the byte at the same place in `word` (no
/// abbreviation expanded, no plural ending replaced; see [`Piece::width`]). `None` for
/// an abbreviation of several words (`edp`). [`ascii_words_into`] does the same to
/// each word of a text; this is the one-word shortcut, and the tests hold the two to
/// the same answers.
pub(crate) fn spell_ascii_word(word: &[u8], out: &mut Vec<u8>) -> Option<bool> {
    out.clear();
    if word.first().is_some_and(u8::is_ascii_alphabetic) {
        if let Some(expansion) = abbreviation_of(word) {
            if expansion.contains(' ') {
                return None;
            }
            out.extend_from_slice(expansion.as_bytes());
            return Some(false);
        }
        match fold_plural(word) {
            Some(Fold::Drop(n)) => {
                out.extend_from_slice(word.get(..word.len() - n).unwrap_or_default());
                return Some(true);
            }
            Some(Fold::Replace(n, with)) => {
                out.extend_from_slice(word.get(..word.len() - n).unwrap_or_default());
                out.extend_from_slice(with.as_bytes());
                return Some(false);
            }
            None => {}
        }
    }
    out.extend_from_slice(word);
    Some(true)
}

/// Every lowercase ASCII word that the normalizer writes as exactly the one word
/// `word`: `word` itself when it is left alone, and its plurals (`watch` is written
/// for `watch` and `watches`, `accessory` for `accessories`, `knife` for `knives`).
/// Abbreviations are not among them; [`abbreviations`] lists those.
///
/// The candidates are the inverses of each plural rule of [`fold_plural`], kept when
/// the normalizer really turns them into `word`, so that the list is complete for as
/// long as every rule there has its inverse here (a proptest holds it to that).
pub(crate) fn ascii_spellings(word: &[u8]) -> Vec<Vec<u8>> {
    let mut candidates = vec![word.to_vec(), [word, b"s"].concat(), [word, b"es"].concat()];
    if let Some(stem) = word.strip_suffix(b"y") {
        candidates.push([stem, b"ies"].concat());
    }
    if let Some(stem) = word.strip_suffix(b"f") {
        candidates.push([stem, b"ves"].concat());
    }
    if let Some(stem) = word.strip_suffix(b"fe") {
        candidates.push([stem, b"ves"].concat());
    }
    let (mut pieces, mut spelling) = (Vec::new(), Vec::new());
    candidates.retain(|c| {
        ascii_words_into(c, &mut pieces, &mut spelling);
        match pieces.as_slice() {
            [p] => {
                let spelled = spelling.get(p.spelled as usize..).unwrap_or_default();
                p.orig_start == 0
                    && p.orig_end as usize == c.len()
                    && spelled.get(..(p.end - p.start) as usize) == Some(word)
            }
            _ => false,
        }
    });
    candidates
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::goods::lexicon::abbreviations;
    use crate::text::goods::normalize;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn one_word_spelled_as_in_a_text(
            w in prop_oneof![
                "[a-z]{1,10}(s|es|ies|ves)?",
                "[0-9]{1,6}",
                prop::sample::select(abbreviations().map(|a| a.0).collect::<Vec<_>>()).prop_map(String::from),
                prop::sample::select(vec!["scarves", "knives", "wives", "shelves", "halves", "gas", "tvs", "glasses", "boxes"]).prop_map(String::from),
            ],
        ) {
            assert_spelled_as_in_text(&w)?;
        }

        #[test]
        fn every_spelling_of_a_word_is_listed(
            stem in "[a-z]{1,9}",
            ending in prop::sample::select(vec!["", "s", "es", "ies", "ves", "y", "f", "fe", "ss", "sses", "ches", "x", "xes"]),
        ) {
            assert_spellings_complete(&format!("{stem}{ending}"))?;
        }
    }

    /// [`spell_ascii_word`] answers as [`ascii_words_into`] does for a text of one
    /// word.
    fn assert_spelled_as_in_text(w: &str) -> Result<(), TestCaseError> {
        let (mut pieces, mut spelling, mut out) = (Vec::new(), Vec::new(), Vec::new());
        ascii_words_into(w.as_bytes(), &mut pieces, &mut spelling);
        let got = spell_ascii_word(w.as_bytes(), &mut out);
        match pieces.as_slice() {
            [p] => {
                let start = p.spelled as usize;
                let want = &spelling[start..start + (p.end - p.start) as usize];
                prop_assert_eq!(got, Some(p.width == 1), "{:?}", w);
                prop_assert_eq!(out.as_slice(), want, "{:?}", w);
            }
            _ => prop_assert_eq!(got, None, "{:?}", w),
        }
        Ok(())
    }

    /// If the normalizer writes the word `w` as one other word `v`, and `w` is no
    /// abbreviation, then `w` is among the spellings of `v`; and every spelling of
    /// `v` is written `v`.
    fn assert_spellings_complete(w: &str) -> Result<(), TestCaseError> {
        let (mut pieces, mut spelling) = (Vec::new(), Vec::new());
        ascii_words_into(w.as_bytes(), &mut pieces, &mut spelling);
        let [p] = pieces.as_slice() else {
            return Ok(());
        };
        if abbreviation_of(w.as_bytes()).is_some() {
            return Ok(());
        }
        let start = p.spelled as usize;
        let v = spelling[start..start + (p.end - p.start) as usize].to_vec();
        let spellings = ascii_spellings(&v);
        prop_assert!(
            spellings.iter().any(|s| s == w.as_bytes()),
            "{:?} is written {:?}, whose spellings are {:?}",
            w,
            String::from_utf8_lossy(&v),
            spellings
                .iter()
                .map(|s| String::from_utf8_lossy(s).into_owned())
                .collect::<Vec<_>>()
        );
        for s in &spellings {
            let n = normalize(std::str::from_utf8(s).unwrap_or_default());
            prop_assert_eq!(n.text.trim().as_bytes(), v.as_slice(), "{:?}", s);
        }
        Ok(())
    }

    #[test]
    fn spellings_of_words() {
        let spellings = |w: &str| -> Vec<String> {
            ascii_spellings(w.as_bytes())
                .into_iter()
                .map(|s| String::from_utf8(s).unwrap())
                .collect()
        };
        // `watchs` is no English, but folds like any plural in `s`.
        assert_eq!(spellings("watch"), ["watch", "watchs", "watches"]);
        assert_eq!(
            spellings("accessory"),
            ["accessory", "accessorys", "accessories"]
        );
        assert_eq!(spellings("knife"), ["knife", "knifes", "knives"]);
        assert_eq!(spellings("bag"), ["bag", "bags"]);
        assert_eq!(spellings("570"), ["570"]);
        // `luxury` is also written `lux`, an abbreviation, which this does not list.
        assert_eq!(spellings("luxury"), ["luxury", "luxurys", "luxuries"]);
    }
}
