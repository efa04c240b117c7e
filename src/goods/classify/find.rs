//! Finding what a line holds: its terms (read the cheapest way that can place them,
//! names left out) and the prefixes of its tariff code that the rules use.

use super::build::{deeper_bit, CodeUses, Inner, NameSide};
use super::tally::Tally;
use crate::goods::terms::{AsciiFind, FindScratch, Found};
use crate::refdata::hs::CodeDigits;
use crate::text::goods::{ascii_words_into, normalize_text_into, Normalized, Piece};

/// What a description is read into to find its terms.
#[derive(Debug, Default)]
pub(super) struct Reading {
    /// The words of an ASCII description that the matcher cannot read as written, and
    /// their spelling (see [`ascii_words_into`]): no normalized text is written for
    /// such a line.
    ascii_pieces: Vec<Piece>,
    spelling: Vec<u8>,
    /// The normalized text of any other description, without the offset map.
    norm: Normalized,
    words: FindScratch,
}

/// The text that the positions of a line's matches are in: the description itself
/// (character offsets), or the normalized text they were found in (byte offsets; its
/// words are joined by single spaces, and it need not be written out).
#[derive(Clone, Copy)]
pub(super) enum Between<'a> {
    Description(&'a str),
    Normalized,
}

impl Between<'_> {
    /// Whether one match ending at `end` and another starting at `start` are next to
    /// each other: nothing but separators between them.
    pub(super) fn adjacent(self, end: u32, start: u32) -> bool {
        let (end, start) = (end as usize, start as usize);
        if start < end {
            return false;
        }
        match self {
            Between::Normalized => start - end <= 1,
            Between::Description(text) => text
                .chars()
                .skip(end)
                .take(start - end)
                .all(|c| !c.is_alphanumeric()),
        }
    }
}

impl Inner {
    /// Finds the terms of `description` into `found`, in the order of
    /// [`crate::goods::terms::TermMatcher::find`]. Answers the words the matches were
    /// found in, to map them back to the description (`None` when they were found in
    /// the description as written and their positions are already its character
    /// offsets), and whether the description is ASCII.
    #[inline]
    pub(super) fn find_terms<'r>(
        &self,
        description: &str,
        reading: &'r mut Reading,
        found: &mut Vec<Found>,
    ) -> (Option<&'r [Piece]>, bool) {
        let Reading {
            ascii_pieces,
            spelling,
            norm,
            words,
        } = reading;
        let mut read = self.terms.find_ascii(description.as_bytes(), words, found);
        let ascii = read != AsciiFind::NotAscii;
        if !ascii && self.terms.find_mixed(description, words, found) == AsciiFind::Found {
            read = AsciiFind::Found;
        }
        let pieces: Option<&[Piece]> = match read {
            AsciiFind::Found => None,
            AsciiFind::Unsure => {
                ascii_words_into(description.as_bytes(), ascii_pieces, spelling);
                self.terms.find(ascii_pieces, spelling, None, words, found);
                Some(ascii_pieces)
            }
            AsciiFind::NotAscii => {
                normalize_text_into(description, norm);
                let cjk_text = norm.has_cjk.then_some(norm.text.as_str());
                self.terms
                    .find(&norm.pieces, norm.text.as_bytes(), cjk_text, words, found);
                Some(&norm.pieces)
            }
        };
        (pieces, ascii)
    }

    /// Drops from `found` the terms that stand right next to one of the name words
    /// ([`super::build`]) on its side, and the name words themselves, which are no
    /// evidence. Most lines hold no name word and pass with one look at each term
    /// found.
    #[inline]
    pub(super) fn drop_names(&self, found: &mut Vec<Found>, text: Between) {
        let side = |f: &Found| self.patterns.get(f.term as usize).and_then(|p| p.name_word);
        if !found.iter().any(|f| side(f).is_some()) {
            return;
        }
        let names: Vec<(Found, NameSide)> =
            found.iter().filter_map(|f| Some((*f, side(f)?))).collect();
        found.retain(|f| {
            side(f).is_none()
                && !names.iter().any(|&(w, side)| match side {
                    NameSide::After => text.adjacent(f.end, w.start),
                    NameSide::Before => text.adjacent(w.end, f.start),
                })
        });
    }

    /// The prefixes of `code` that the rules use, into `codes` (digit count and
    /// uses), each added to `tally`.
    #[inline]
    pub(super) fn find_codes(
        &self,
        code: &CodeDigits,
        tally: &mut [Tally],
        codes: &mut Vec<(usize, CodeUses)>,
    ) {
        // The key of each prefix, built digit by digit (see `build::hs_key`) rather
        // than parsing every prefix afresh.
        let mut value: u64 = 0;
        for (k, &b) in code.digits().iter().enumerate() {
            value = value * 10 + u64::from(b.wrapping_sub(b'0'));
            let n = k + 1;
            if n < 2 {
                continue;
            }
            if let Some(uses) = self.hs.get(value * 16 + n as u64) {
                for (t, e) in tally.iter_mut().zip(self.code_effects(uses)) {
                    t.add_code(e);
                }
                codes.push((n, uses));
            }
            if n == 2 || n == 4 {
                let bit = deeper_bit(n, value as usize);
                let deeper = self
                    .hs_deeper
                    .get(bit / 64)
                    .is_some_and(|w| w & (1 << (bit % 64)) != 0);
                if !deeper {
                    break;
                }
            }
        }
    }
}
