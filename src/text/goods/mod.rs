//! Description normalization for term matching.
//!
//! Invoice text is written in every style: `LUX HANDBAGS ASSORTED`, `Rolls-Royce`,
//! `Teppich handgeknüpft`, `VSOP 0.7L x 6 btls`, `钻石戒指 铂金`. Terms and descriptions go
//! through the same function, so a term matches whatever way the trader wrote it.
//! The normalized text is a sequence of tokens, each preceded and followed by one
//! ASCII space (`" lux handbag assorted "` becomes `" luxury handbag assorted "`), so a
//! whole-word test is a look at the byte before and after a match.
//!
//! What is folded:
//! - case (Unicode lowercase), compatibility forms (NFKD: full-width letters, ligatures)
//!   and diacritics (combining marks are dropped: `ü` → `u`, `ё` → `е`);
//! - punctuation and symbols become token breaks; apostrophes vanish (`men's` → `mens`);
//! - a token breaks where letters meet digits (`LX570` → `lx 570`, `700ml` → `700 ml`)
//!   and where CJK meets other scripts (`三星Galaxy` → `三星 galaxy`);
//! - common invoice abbreviations expand (`btls` → `bottle`, `pcs` → `piece`,
//!   `lux` → `luxury`, `edp` → `eau de parfum`);
//! - English plurals fold to one form (`watches` → `watch`, `accessories` → `accessory`,
//!   `bags` → `bag`). The folding is not a stemmer: it only has to send a singular and
//!   its plural to the same string, which it does for regular nouns.
//!
//! Han, kana and Hangul runs stay one token with no breaks inside: these scripts do not
//! separate words with spaces (and Korean glues particles to nouns), so the matcher
//! does not require word boundaries next to CJK characters.
//!
//! Every output byte remembers which original characters produced it, so a match in the
//! normalized text maps back to a character range of the original description.

mod ascii;
mod lexicon;
#[cfg(test)]
pub(crate) mod naive;
pub mod pattern;
mod simd;
mod writer;

pub(crate) use ascii::{ascii_spellings, ascii_words_into, spell_ascii_word};
pub(crate) use lexicon::{abbreviations, may_be_abbreviation, plural_rewrites_start};
pub use pattern::TermPattern;
pub(crate) use simd::{AsciiRuns, Reading, Stretches};

/// A normalized description with a map back to the original text.
///
/// `text` starts and ends with a space and holds single spaces between tokens.
#[derive(Debug, Clone, Default)]
pub struct Normalized {
    /// The normalized text.
    pub text: String,
    /// For each byte of `text`: the character offset in the original where the
    /// character that produced it starts, and the offset just after the characters that
    /// produced it (for the last byte of a folded or expanded token, the end of the
    /// whole original token, so that `bags` is reported, not `bag`). One vector of pairs
    /// rather than two: one push per byte on the hot path. Empty when built by
    /// [`normalize_text_into`].
    map: Vec<(u32, u32)>,
    /// The words of `text` (the pieces between its spaces), in order, with where each
    /// came from: what the term matcher reads, and all a span needs in most cases.
    pub(crate) pieces: Vec<Piece>,
    /// Whether `text` holds a CJK character.
    pub(crate) has_cjk: bool,
}

/// A word of the normalized text: its byte range, and the original character range of
/// the token that produced it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Piece {
    /// Byte range in the normalized text.
    pub start: u32,
    pub end: u32,
    /// The token's original character range: the offset map's start for the piece's
    /// first byte and its end for the last byte (the whole token, for a folded plural
    /// or an expanded abbreviation).
    pub orig_start: u32,
    pub orig_end: u32,
    /// When every character of the piece was written for one original character, in
    /// order and with none skipped, and all take this many bytes: byte `k` of the
    /// piece was written for original character `orig_start + k / width`, so that the
    /// map inside it is arithmetic. A run of ASCII letters or digits (unexpanded, at
    /// most shortened by plural folding) has width 1, a run of CJK ideographs or Hangul
    /// syllables 3, of basic Cyrillic letters 2. Zero for any other piece.
    pub width: u8,
    /// Where the piece's bytes start in the buffer the words were spelled into: the
    /// normalized text (then this is `start`), or the spelling of
    /// [`ascii_words_into`], which writes no normalized text.
    pub spelled: u32,
}

impl Normalized {
    /// The original character range `start..end` that produced the normalized bytes
    /// `start..end`; `None` for an empty or out-of-range span.
    pub fn original_span(&self, start: usize, end: usize) -> Option<(usize, usize)> {
        if start >= end {
            return None;
        }
        let s = self.map.get(start)?.0;
        let e = self.map.get(end - 1)?.1;
        Some((s as usize, e as usize))
    }
}

/// The original character range that produced the normalized bytes `start..end`,
/// computed from the words' `pieces` without the offset map: what
/// [`Normalized::original_span`] answers, or `None` when the pieces cannot tell (a
/// span that starts or ends inside a word whose map is not arithmetic, see
/// [`Piece::width`], or on a space), and then the map answers.
pub(crate) fn piece_span(pieces: &[Piece], start: usize, end: usize) -> Option<(usize, usize)> {
    if start >= end {
        return None;
    }
    let (start, last) = (u32::try_from(start).ok()?, u32::try_from(end - 1).ok()?);
    let at = pieces.partition_point(|p| p.end <= start);
    let first = pieces.get(at).filter(|p| p.start <= start)?;
    let s = if start == first.start {
        first.orig_start
    } else {
        first.orig_start + chars_in(first, start - first.start)?
    };
    // A span covers a few words at most: the last one is found by walking on from
    // the first rather than by a second search.
    let final_piece = pieces
        .get(at..)
        .unwrap_or_default()
        .iter()
        .find(|p| last < p.end)
        .filter(|p| p.start <= last)?;
    let e = if last + 1 == final_piece.end {
        final_piece.orig_end
    } else {
        final_piece.orig_start + chars_in(final_piece, last + 1 - final_piece.start)?
    };
    Some((s as usize, e as usize))
}

/// How many original characters wrote the first `bytes` bytes of `piece`, when its
/// map is arithmetic and `bytes` falls between two characters (see [`Piece::width`]).
fn chars_in(piece: &Piece, bytes: u32) -> Option<u32> {
    let width = u32::from(piece.width);
    (width > 0 && bytes % width == 0).then(|| bytes / width)
}

/// Normalizes `input` (see the module documentation).
pub fn normalize(input: &str) -> Normalized {
    let mut out = Normalized::default();
    normalize_into(input, &mut out);
    out
}

/// Normalizes `input` into `out`, reusing its buffers.
pub fn normalize_into(input: &str, out: &mut Normalized) {
    writer::write::<true>(input, out);
}

/// [`normalize_into`] without the offset map, which most lines never need: the
/// classifier builds it again, with the map, only for a line whose terms it reports.
/// `out.text` is the same; `out.original_span` answers `None`.
pub(crate) fn normalize_text_into(input: &str, out: &mut Normalized) {
    writer::write::<false>(input, out);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> String {
        normalize(s).text
    }

    fn span_of(s: &str, needle: &str) -> Option<String> {
        let norm = normalize(s);
        let at = norm.text.find(needle)?;
        let (a, b) = norm.original_span(at, at + needle.len())?;
        Some(s.chars().skip(a).take(b - a).collect())
    }

    #[test]
    fn case_punctuation_and_spaces() {
        assert_eq!(n("  Rolls-Royce  CULLINAN!! "), " roll royce cullinan ");
        assert_eq!(n(""), " ");
        assert_eq!(n("--"), " ");
        assert_eq!(n("Van Cleef & Arpels"), " van cleef arpel ");
    }

    #[test]
    fn apostrophes_join() {
        assert_eq!(n("men's shoes"), " men shoe ");
        assert_eq!(n("Gibson Les Paul '50s"), " gibson les paul 50 s ");
        assert_eq!(n("ladies\u{2019} blouses"), " lady blouse ");
    }

    #[test]
    fn diacritics_and_compatibility_forms() {
        assert_eq!(n("Hermès Crème"), " herme creme ");
        assert_eq!(n("ＬＵＸ"), " luxury ");
        assert_eq!(n("Ёлка"), " елка ");
        assert_eq!(n("Straße"), " strasse ");
    }

    #[test]
    fn letters_and_digits_split() {
        assert_eq!(n("LX570"), " lx 570 ");
        assert_eq!(n("700ml x6"), " 700 ml x 6 ");
        assert_eq!(n("12YRS"), " 12 year ");
    }

    #[test]
    fn plurals_fold_to_singular() {
        for (p, s) in [
            ("watches", "watch"),
            ("glasses", "glass"),
            ("accessories", "accessory"),
            ("bags", "bag"),
            ("shoes", "shoe"),
            ("boxes", "box"),
            ("scarves", "scarf"),
            ("cigarettes", "cigarette"),
            ("TVs", "tv"),
        ] {
            assert_eq!(n(p), n(s), "{p} vs {s}");
        }
        assert_eq!(n("bus gas chess"), " bus gas chess ");
    }

    #[test]
    fn abbreviations_expand() {
        assert_eq!(n("6 BTLS/CTN"), " 6 bottle carton ");
        assert_eq!(n("LUX"), " luxury ");
        assert_eq!(n("Tom Ford EDP"), " tom ford eau de parfum ");
        assert_eq!(n("jewelry"), n("jewellery"));
    }

    #[test]
    fn cjk_breaks_from_latin_but_not_inside() {
        assert_eq!(n("三星Galaxy手机"), " 三星 galaxy 手机 ");
        assert_eq!(n("钻石戒指 铂金"), " 钻石戒指 铂金 ");
        assert_eq!(n("양주 발렌타인"), " 양주 발렌타인 ");
    }

    #[test]
    fn spans_map_back_to_original_characters() {
        assert_eq!(
            span_of("LUX HANDBAGS", "handbag").as_deref(),
            Some("HANDBAGS")
        );
        assert_eq!(span_of("6 btls", "bottle").as_deref(), Some("btls"));
        assert_eq!(span_of("Hermès bags", "herme").as_deref(), Some("Hermès"));
        assert_eq!(
            span_of("ACCESSORIES", "accessory").as_deref(),
            Some("ACCESSORIES")
        );
        assert_eq!(span_of("Духи Chanel", "chanel").as_deref(), Some("Chanel"));
        assert_eq!(span_of("钻石戒指 铂金", "铂金").as_deref(), Some("铂金"));
        assert_eq!(span_of("Straße 5", "strasse").as_deref(), Some("Straße"));
        assert_eq!(span_of("ＬＵＸ bag", "luxury").as_deref(), Some("ＬＵＸ"));
        assert_eq!(span_of("😀 Rolex", "rolex").as_deref(), Some("Rolex"));
    }

    // The examples that documented these functions when they were public.
    #[test]
    fn example_original_span() {
        use crate::text::goods::normalize;
        let n = normalize("LUX HANDBAGS");
        let at = n.text.find("handbag").unwrap();
        assert_eq!(n.original_span(at, at + "handbag".len()), Some((4, 12)));
    }

    #[test]
    fn example_normalize() {
        use crate::text::goods::normalize;
        assert_eq!(
            normalize("LUX Hand-Bags, 6 BTLS").text,
            " luxury hand bag 6 bottle "
        );
        assert_eq!(
            normalize("Teppich handgeknüpft").text,
            " teppich handgeknupft "
        );
        assert_eq!(normalize("Lexus LX570").text, " lexus lx 570 ");
    }
}
