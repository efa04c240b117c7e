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

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

use crate::lookup::bits::BitWalk;
use crate::lookup::table::U64Table;

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
    ///
    /// ```
    /// use embargo::goods::normalize::normalize;
    /// let n = normalize("LUX HANDBAGS");
    /// let at = n.text.find("handbag").unwrap();
    /// assert_eq!(n.original_span(at, at + "handbag".len()), Some((4, 12)));
    /// ```
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

/// A term as the classifier finds it (a term of a rule, or an exclusion): its
/// normalized text, and whether it matches a word prefix (written with a trailing
/// `*`). Two terms with one pattern are found at the same places. `None` for a term
/// that normalizes to nothing.
pub(crate) fn pattern_of(raw: &str) -> Option<(String, bool)> {
    let (body, prefix) = match raw.trim().strip_suffix('*') {
        Some(b) => (b, true),
        None => (raw, false),
    };
    let norm = normalize(body).text.trim().to_string();
    (!norm.is_empty()).then_some((norm, prefix))
}

/// The endings a Russian noun or adjective takes in its cases and numbers, the empty
/// one first (`ё` is left out: the normalizer writes it `е`). A `*` after a Cyrillic
/// word inside a term stands for any of them
/// (`спиртн* напит*` is `спиртные напитки`, `спиртных напитков` ...), since a term
/// cannot follow a word that runs on into the next one.
const RUSSIAN_ENDINGS: &[&str] = &[
    "", "а", "я", "о", "е", "ы", "и", "у", "ю", "ь", "ый", "ий", "ой", "ая", "яя", "ое", "ее",
    "ые", "ие", "ого", "его", "ому", "ему", "ым", "им", "ом", "ем", "ую", "юю", "ых", "их", "ыми",
    "ими", "ей", "ам", "ям", "ах", "ях", "ами", "ями", "ов", "ев", "ия", "ью",
];

/// Whether `word`, a word of a term written with a `*` after it, is one whose endings
/// [`patterns_of`] spells out: Cyrillic letters only.
fn has_spelled_endings(word: &str) -> bool {
    !word.is_empty() && word.chars().all(|c| matches!(c, '\u{0400}'..='\u{04FF}'))
}

/// The words of a term, each with the stem before its `*` when it is a word inside the
/// term (not the last) written with one.
fn inner_stems(raw: &str) -> impl Iterator<Item = (&str, Option<&str>)> {
    let mut words = raw.split_whitespace().peekable();
    std::iter::from_fn(move || {
        let word = words.next()?;
        let inner = words.peek().is_some();
        Some((word, word.strip_suffix('*').filter(|_| inner)))
    })
}

/// The first stem of term `raw` whose inner `*` [`patterns_of`] drops, as it spells no
/// endings for it (a word that is not Cyrillic): the rules compiler warns of it.
pub(crate) fn inner_star_dropped(raw: &str) -> Option<&str> {
    inner_stems(raw).find_map(|(_, stem)| stem.filter(|s| !has_spelled_endings(s)))
}

/// Every pattern a term stands for (see [`pattern_of`]): one, unless a word inside it
/// is written with a `*`. Such a word, when Cyrillic, is spelled with each of the
/// endings in [`RUSSIAN_ENDINGS`]; any other drops the `*` (the rules compiler warns
/// of it). A `*` at the end still makes a prefix term.
pub(crate) fn patterns_of(raw: &str) -> Vec<(String, bool)> {
    let mut spellings = vec![String::new()];
    for (word, stem) in inner_stems(raw) {
        let endings: &[&str] = match stem {
            Some(stem) if has_spelled_endings(stem) => RUSSIAN_ENDINGS,
            _ => &[""],
        };
        let written = stem.unwrap_or(word);
        spellings = spellings
            .iter()
            .flat_map(|before| {
                endings.iter().map(move |ending| {
                    let space = if before.is_empty() { "" } else { " " };
                    format!("{before}{space}{written}{ending}")
                })
            })
            .collect();
    }
    let mut patterns: Vec<(String, bool)> = Vec::new();
    for spelling in spellings {
        if let Some(p) = pattern_of(&spelling) {
            if !patterns.contains(&p) {
                patterns.push(p);
            }
        }
    }
    patterns
}

/// Normalizes `input` (see the module documentation).
///
/// ```
/// use embargo::goods::normalize::normalize;
/// assert_eq!(normalize("LUX Hand-Bags, 6 BTLS").text, " luxury hand bag 6 bottle ");
/// assert_eq!(normalize("Teppich handgeknüpft").text, " teppich handgeknupft ");
/// assert_eq!(normalize("Lexus LX570").text, " lexus lx 570 ");
/// ```
pub fn normalize(input: &str) -> Normalized {
    let mut out = Normalized::default();
    normalize_into(input, &mut out);
    out
}

/// Normalizes `input` into `out`, reusing its buffers.
pub fn normalize_into(input: &str, out: &mut Normalized) {
    write::<true>(input, out);
}

/// [`normalize_into`] without the offset map, which most lines never need: the
/// classifier builds it again, with the map, only for a line whose terms it reports.
/// `out.text` is the same; `out.original_span` answers `None`.
pub(crate) fn normalize_text_into(input: &str, out: &mut Normalized) {
    write::<false>(input, out);
}

/// ASCII byte classes: what the fast path needs to know about a byte without decoding.
const SEP: u8 = 0;
const LETTER: u8 = 1;
const DIGIT: u8 = 2;
const APOSTROPHE: u8 = 3;

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
            b'\'' | b'`' => APOSTROPHE,
            _ => SEP,
        };
        i += 1;
    }
    t
};

#[inline(always)]
fn ascii_class(b: u8) -> u8 {
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
/// words of [`ascii_words_into`] when no apostrophe is next to them. After
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

/// The invoice abbreviations the normalizer expands, each with its expansion (one
/// word, or several separated by single spaces).
pub(crate) fn abbreviations() -> impl Iterator<Item = (&'static str, &'static str)> {
    ABBREVIATIONS.iter().copied()
}

/// The expansion of `word` (lowercase ASCII letters) if it is an abbreviation.
#[inline]
fn abbreviation_of(word: &[u8]) -> Option<&'static str> {
    if may_be_abbreviation(word) {
        abbreviation(word)
    } else {
        None
    }
}

/// The pieces of an abbreviation's expansion `exp` written at byte `at`: each word
/// of it stands for the whole original token.
fn push_expansion(pieces: &mut Vec<Piece>, exp: &str, at: u32, orig_start: u32, orig_end: u32) {
    let mut at = at;
    // Split on bytes: `str::split` costs more than the few words it finds.
    for word in exp.as_bytes().split(|&b| b == b' ') {
        let end = at + word.len() as u32;
        pieces.push(Piece {
            start: at,
            end,
            orig_start,
            orig_end,
            width: 0,
            spelled: at,
        });
        at = end + 1;
    }
}

/// The normalizer. ASCII letters and digits are taken a run at a time (a word of an
/// invoice line is copied and lowercased in one step); any other character goes
/// through Unicode decomposition one at a time. With `MAP` false no offset map is kept;
/// the text is the same either way, because nothing but the map depends on `MAP`.
fn write<const MAP: bool>(input: &str, out: &mut Normalized) {
    out.text.clear();
    out.map.clear();
    out.pieces.clear();
    out.has_cjk = false;
    // Room for the text (and its map); abbreviations may still grow them.
    out.text.reserve(input.len() + 2);
    if MAP {
        out.map.reserve(input.len() + 2);
    }
    let mut w = Writer::<MAP> {
        out,
        token: None,
        class: Class::Sep,
        last_end: 0,
    };
    w.push_byte(b' ', 0, 0);
    let bytes = input.as_bytes();
    let mut i = 0;
    // Character offset of byte `i` in the original.
    let mut pos: u32 = 0;
    while let Some(&b) = bytes.get(i) {
        if b.is_ascii() {
            let class = ascii_class(b);
            if class == LETTER || class == DIGIT {
                let end = w.ascii_run(bytes, i, class, pos);
                pos += (end - i) as u32;
                i = end;
                continue;
            }
            if class == SEP {
                w.separate(pos);
            }
            i += 1;
            pos += 1;
            continue;
        }
        let Some(c) = input.get(i..).and_then(|rest| rest.chars().next()) else {
            break;
        };
        w.unicode(c, pos, pos + 1);
        i += c.len_utf8();
        pos += 1;
    }
    w.finish_token(pos);
    if !w.out.text.ends_with(' ') {
        w.push_byte(b' ', pos, pos);
    }
}

/// The kind of character being written, which decides where tokens break.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Sep,
    Letter,
    Digit,
    Cjk,
}

/// The token being written.
#[derive(Debug, Clone, Copy)]
struct Token {
    /// Byte offset in the output where it starts.
    at: usize,
    /// Original character offset where it starts.
    orig_start: u32,
    /// Whether it is made of ASCII letters only (the tokens that can be abbreviations
    /// or English plurals).
    ascii_letters: bool,
    /// Bytes per original character while its map is arithmetic, else 0 (see
    /// [`Piece::width`]).
    width: u8,
}

struct Writer<'a, const MAP: bool> {
    out: &'a mut Normalized,
    /// Open while `class` is not `Sep`.
    token: Option<Token>,
    class: Class,
    /// The original offset just after the characters that produced the last byte
    /// written: where the open token ends in the original.
    last_end: u32,
}

impl<const MAP: bool> Writer<'_, MAP> {
    #[inline]
    fn push_byte(&mut self, b: u8, start: u32, end: u32) {
        // Only ASCII bytes are pushed; the mask tells the compiler so (a one-byte push).
        self.out.text.push(char::from(b & 0x7f));
        if MAP {
            self.out.map.push((start, end));
        }
    }

    fn push_str(&mut self, s: &str, start: u32, end: u32) {
        self.out.text.push_str(s);
        if MAP {
            self.out
                .map
                .extend(std::iter::repeat_n((start, end), s.len()));
        }
    }

    fn truncate(&mut self, len: usize) {
        self.out.text.truncate(len);
        if MAP {
            self.out.map.truncate(len);
        }
    }

    /// Switches to `class`, closing the open token if it was of another class, and
    /// opens a token at original offset `start` if none is open.
    #[inline]
    fn enter(&mut self, class: Class, ascii_letter: bool, start: u32) {
        if self.class != class {
            // Letters meeting digits, and CJK meeting anything else, break the token.
            self.finish_token(start);
            self.class = class;
        }
        match &mut self.token {
            Some(t) => {
                t.ascii_letters &= ascii_letter;
            }
            None => {
                self.token = Some(Token {
                    at: self.out.text.len(),
                    orig_start: start,
                    ascii_letters: ascii_letter,
                    width: 0,
                });
            }
        }
    }

    /// Writes the run of ASCII letters or digits (`class`) that starts at byte `from`
    /// of `bytes` and at original offset `start`; apostrophes inside it are dropped.
    /// Returns where the run ends: on its last letter or digit, so that a trailing
    /// apostrophe is left to the caller (which skips it) and `last_end` is the end of
    /// the last character written.
    #[inline]
    fn ascii_run(&mut self, bytes: &[u8], from: usize, class: u8, start: u32) -> usize {
        let letters = class == LETTER;
        self.enter(
            if letters { Class::Letter } else { Class::Digit },
            letters,
            start,
        );
        let fresh = self
            .token
            .as_ref()
            .is_some_and(|t| t.at == self.out.text.len());
        let mut i = from;
        let mut end = from;
        let mut p = start;
        // An apostrophe was skipped since the last letter or digit: when another one
        // follows, the run has a gap between its characters.
        let mut skipped = false;
        let mut gap = false;
        while let Some(&b) = bytes.get(i) {
            let c = ascii_class(b);
            if c == class {
                // Lowercases a letter and leaves a digit as it is (digits have bit 5 set).
                self.push_byte(b | 0x20, p, p + 1);
                i += 1;
                p += 1;
                end = i;
                gap |= skipped;
            } else if c == APOSTROPHE {
                skipped = true;
                i += 1;
                p += 1;
            } else {
                break;
            }
        }
        if let Some(t) = &mut self.token {
            // A run appended to an open token is not worth following: width 0 only
            // sends its spans to the map.
            t.width = u8::from(fresh && !gap);
        }
        self.last_end = start + (end - from) as u32;
        end
    }

    /// One ASCII character produced by decomposing a non-ASCII one.
    fn ascii(&mut self, b: u8, start: u32, end: u32) {
        match ascii_class(b) {
            LETTER => self.emit(Class::Letter, char::from(b | 0x20), true, start, end),
            DIGIT => self.emit(Class::Digit, char::from(b), false, start, end),
            APOSTROPHE => {}
            _ => self.separate(start),
        }
    }

    fn unicode(&mut self, c: char, start: u32, end: u32) {
        // The scripts of the non-Latin lines of most invoices, taken without the
        // decomposition tables where these do nothing: CJK unified ideographs
        // (no decomposition, no case) and the basic Cyrillic alphabet (one case
        // mapping; only `й` and `Й` decompose, to `и` and a combining breve).
        if ('\u{4E00}'..='\u{9FFF}').contains(&c) {
            self.emit(Class::Cjk, c, false, start, end);
            return;
        }
        if ('\u{0410}'..='\u{044F}').contains(&c) && c != 'й' && c != 'Й' {
            let lower = if c < '\u{0430}' {
                char::from_u32(u32::from(c) + 0x20).unwrap_or(c)
            } else {
                c
            };
            self.emit(Class::Letter, lower, false, start, end);
            return;
        }
        if is_apostrophe(c) {
            return;
        }
        if is_hangul_syllable(c) {
            // NFKD would split a syllable into jamo, and a term could then match half
            // a syllable; syllables are kept whole.
            self.emit(Class::Cjk, c, false, start, end);
            return;
        }
        if c == 'ß' || c == 'ẞ' {
            self.emit(Class::Letter, 's', false, start, end);
            self.emit(Class::Letter, 's', false, start, end);
            return;
        }
        decompose_compatible(c, |d| {
            if is_combining_mark(d) {
                return;
            }
            for l in d.to_lowercase() {
                if l.is_ascii() {
                    self.ascii(l as u8, start, end);
                } else if is_cjk(l) {
                    self.emit(Class::Cjk, l, false, start, end);
                } else if l.is_alphabetic() {
                    self.emit(Class::Letter, l, false, start, end);
                } else if l.is_numeric() {
                    self.emit(Class::Digit, l, false, start, end);
                } else {
                    self.separate(start);
                }
            }
        });
    }

    #[inline]
    fn emit(&mut self, class: Class, c: char, ascii_letter: bool, start: u32, end: u32) {
        self.enter(class, ascii_letter, start);
        self.out.has_cjk |= class == Class::Cjk;
        let before = self.out.text.len();
        if let Some(t) = &mut self.token {
            // One character for one original character, right after the previous one
            // and as wide: the map stays arithmetic.
            let width = c.len_utf8() as u8;
            let one_for_one = end == start + 1;
            let follows = t.at == before || (t.width == width && start == self.last_end);
            t.width = if one_for_one && follows { width } else { 0 };
        }
        self.out.text.push(c);
        if MAP {
            let n = self.out.text.len() - before;
            self.out.map.extend(std::iter::repeat_n((start, end), n));
        }
        self.last_end = end;
    }

    fn separate(&mut self, at: u32) {
        self.finish_token(at);
        self.class = Class::Sep;
    }

    /// Closes the current token: expands abbreviations, folds plurals, writes the
    /// separating space.
    fn finish_token(&mut self, at: u32) {
        let Some(tok) = self.token.take() else {
            return;
        };
        let orig_end = self.last_end.max(tok.orig_start);
        let mut width = tok.width;
        if tok.ascii_letters {
            let word = self.out.text.as_bytes().get(tok.at..).unwrap_or_default();
            if let Some(exp) = abbreviation_of(word) {
                self.truncate(tok.at);
                push_expansion(
                    &mut self.out.pieces,
                    exp,
                    tok.at as u32,
                    tok.orig_start,
                    orig_end,
                );
                self.push_str(exp, tok.orig_start, orig_end);
                self.push_byte(b' ', at, at);
                return;
            }
            let word = self.out.text.as_bytes().get(tok.at..).unwrap_or_default();
            if let Some(fold) = fold_plural(word) {
                match fold {
                    Fold::Drop(n) => self.truncate(self.out.text.len() - n),
                    Fold::Replace(n, with) => {
                        width = 0;
                        let keep = self.out.text.len() - n;
                        let s = if MAP {
                            self.out.map.get(keep).map_or(tok.orig_start, |m| m.0)
                        } else {
                            tok.orig_start
                        };
                        self.truncate(keep);
                        self.push_str(with, s, orig_end);
                    }
                }
                if MAP {
                    if let Some(m) = self.out.map.last_mut() {
                        m.1 = orig_end;
                    }
                }
            }
        }
        self.out.pieces.push(Piece {
            start: tok.at as u32,
            end: self.out.text.len() as u32,
            orig_start: tok.orig_start,
            orig_end,
            width,
            spelled: tok.at as u32,
        });
        self.push_byte(b' ', at, at);
    }
}

/// Whether folding the plural of `word` (ASCII letters, any case) rewrites any of its
/// first `n` bytes, rather than leaving them or cutting the word short: `babies` is
/// written `baby`, so its fourth byte changes; `pipes` is written `pipe`.
pub(crate) fn plural_rewrites_start(word: &[u8], n: usize) -> bool {
    // A fold replaces at most the last three bytes, of a word that ends in `s`.
    if word.len() > n + 3 || word.last().is_none_or(|&b| b | 0x20 != b's') {
        return false;
    }
    let mut lower = [0u8; 16];
    let Some(buf) = lower.get_mut(..word.len()) else {
        return false;
    };
    buf.copy_from_slice(word);
    buf.make_ascii_lowercase();
    matches!(fold_plural(buf), Some(Fold::Replace(cut, _)) if word.len().saturating_sub(cut) < n)
}

/// How a plural folds: drop the last `n` bytes, or replace them.
enum Fold {
    Drop(usize),
    Replace(usize, &'static str),
}

/// English plural folding for a lowercase ASCII word. Applied to singulars as well,
/// which is harmless: what matters is that both forms land on the same string.
fn fold_plural(w: &[u8]) -> Option<Fold> {
    let b = w;
    let n = b.len();
    // Most tokens do not end in `s`; they leave here before any string comparison.
    if n < 3 || b.last() != Some(&b's') {
        return None;
    }
    match w {
        b"scarves" => return Some(Fold::Replace(3, "f")),
        b"knives" | b"wives" => return Some(Fold::Replace(3, "fe")),
        b"shelves" | b"halves" => return Some(Fold::Replace(3, "f")),
        _ => {}
    }
    if n > 4 && w.ends_with(b"ies") {
        return Some(Fold::Replace(3, "y"));
    }
    if w.ends_with(b"sses") {
        return Some(Fold::Drop(2));
    }
    if n > 4 && (w.ends_with(b"ches") || w.ends_with(b"shes") || w.ends_with(b"xes")) {
        return Some(Fold::Drop(2));
    }
    let prev = b.get(n - 2).copied().unwrap_or(b's');
    if matches!(prev, b's' | b'u' | b'i') {
        return None;
    }
    if n == 3 && matches!(prev, b'a' | b'e' | b'o') {
        // `gas`, `yes`, `bos`: three-letter words ending in a vowel and s are not plurals
        // (`tvs`, `cds` are).
        return None;
    }
    Some(Fold::Drop(1))
}

/// Invoice abbreviations and spelling variants, with their folded (singular) form.
/// Sorted by abbreviation, to be read easily. Looked up in a flat table (see
/// [`abbreviation`]) for the short tokens that may be one, which a long `match` on
/// strings would make the slowest step of normalization.
const ABBREVIATIONS: &[(&str, &str)] = &[
    ("accs", "accessory"),
    ("accy", "accessory"),
    ("assd", "assorted"),
    ("assrtd", "assorted"),
    ("asst", "assorted"),
    ("asstd", "assorted"),
    ("btl", "bottle"),
    ("btls", "bottle"),
    ("bttl", "bottle"),
    ("bttls", "bottle"),
    ("champ", "champagne"),
    ("champers", "champagne"),
    ("cig", "cigarette"),
    ("cigs", "cigarette"),
    ("ctn", "carton"),
    ("ctns", "carton"),
    ("doz", "dozen"),
    ("dz", "dozen"),
    ("edc", "eau de cologne"),
    ("edp", "eau de parfum"),
    ("edt", "eau de toilette"),
    ("elec", "electric"),
    ("hbag", "handbag"),
    ("hbags", "handbag"),
    ("jewelleries", "jewellery"),
    ("jewellery", "jewellery"),
    ("jewellry", "jewellery"),
    ("jewelries", "jewellery"),
    ("jewelry", "jewellery"),
    ("jwlry", "jewellery"),
    ("lthr", "leather"),
    // Not `lx`: Lexus LX models are written that way.
    ("lux", "luxury"),
    ("luxe", "luxury"),
    ("pc", "piece"),
    ("pce", "piece"),
    ("pces", "piece"),
    ("pcs", "piece"),
    ("pr", "pair"),
    ("prs", "pair"),
    ("stck", "stuck"),
    ("stk", "stuck"),
    ("whiskey", "whisky"),
    ("whiskeys", "whisky"),
    ("whiskies", "whisky"),
    ("wtch", "watch"),
    ("wtchs", "watch"),
    ("yo", "year"),
    ("yr", "year"),
    ("yrs", "year"),
];

/// For each letter, the lengths of the abbreviations that start with it (bit `n` for
/// `n` bytes).
static ABBREVIATION_LENGTHS: [u16; 26] = {
    let mut t = [0u16; 26];
    let mut i = 0;
    while i < ABBREVIATIONS.len() {
        let k = ABBREVIATIONS[i].0.as_bytes();
        t[(k[0] - b'a') as usize] |= 1 << k.len();
        i += 1;
    }
    t
};

/// Whether some abbreviation has the first letter and the length of `word`, a
/// lowercase ASCII word: the lookup is for the few tokens that pass.
pub(crate) fn may_be_abbreviation(word: &[u8]) -> bool {
    let Some(first) = word.first() else {
        return false;
    };
    let lengths = ABBREVIATION_LENGTHS
        .get(usize::from(first.wrapping_sub(b'a')))
        .copied()
        .unwrap_or(0);
    word.len() < 16 && lengths & (1 << word.len()) != 0
}

/// A word of at most 8 bytes packed into an integer, so the lookup compares numbers
/// instead of calling `memcmp` for every token.
fn pack(w: &[u8]) -> Option<u64> {
    if w.is_empty() || w.len() > 8 {
        return None;
    }
    Some(w.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b)) | ((w.len() as u64) << 60))
}

fn abbreviation(w: &[u8]) -> Option<&'static str> {
    // Packed abbreviations of at most 8 bytes, to the index of their entry: one probe
    // of a flat table for each token that passes `may_be_abbreviation`.
    static PACKED: std::sync::OnceLock<U64Table<u8>> = std::sync::OnceLock::new();
    let table = PACKED.get_or_init(|| {
        U64Table::new(
            ABBREVIATIONS
                .iter()
                .enumerate()
                .filter_map(|(i, (k, _))| Some((pack(k.as_bytes())?, u8::try_from(i).ok()?))),
        )
    });
    match pack(w) {
        Some(key) => table
            .get(key)
            .and_then(|i| ABBREVIATIONS.get(usize::from(i)))
            .map(|e| e.1),
        None if w.len() <= 11 => ABBREVIATIONS
            .iter()
            .find(|(k, _)| k.as_bytes() == w)
            .map(|e| e.1),
        None => None,
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\u{2019}' | '\u{2018}' | '\u{02BC}' | '\u{00B4}')
}

fn is_hangul_syllable(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c)
}

/// Scripts written without spaces between words (and Hangul, whose words carry
/// attached particles): no word boundary is required next to these characters.
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{1100}'..='\u{11FF}'   // Hangul jamo
        | '\u{3040}'..='\u{30FF}' // Hiragana, Katakana
        | '\u{3130}'..='\u{318F}' // Hangul compatibility jamo
        | '\u{3400}'..='\u{4DBF}' // CJK extension A
        | '\u{4E00}'..='\u{9FFF}' // CJK unified ideographs
        | '\u{AC00}'..='\u{D7AF}' // Hangul syllables
        | '\u{F900}'..='\u{FAFF}' // CJK compatibility ideographs
        | '\u{20000}'..='\u{2FA1F}')
}

#[cfg(test)]
pub(crate) mod reference;

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_star_inside_a_term_spells_the_russian_endings_of_a_cyrillic_word() {
        let spelled = |text: &str| pattern_of(text).expect("a pattern");
        // Endings the normalizer writes alike (`ый`, `ий` lose the breve) are one.
        let endings: std::collections::HashSet<_> = RUSSIAN_ENDINGS
            .iter()
            .map(|e| spelled(&format!("ж{e}")))
            .collect();
        let patterns = patterns_of("спиртн* напит*");
        assert_eq!(patterns.len(), endings.len());
        for text in [
            "спиртн напит*",
            "спиртные напит*",
            "спиртных напит*",
            "спиртный напит*",
        ] {
            assert!(patterns.contains(&spelled(text)), "{text}: {patterns:?}");
        }
        // Two such words spell every pair of endings; the last word keeps its prefix.
        let two = patterns_of("бытов* швейн* машин");
        assert_eq!(two.len(), endings.len().pow(2));
        assert!(two.contains(&spelled("бытовые швейные машин")));
        // Elsewhere the star inside is dropped, as it always was; at the end it makes
        // a prefix term, and a term without one is one pattern.
        assert_eq!(patterns_of("hand* knotted"), [spelled("hand knotted")]);
        assert_eq!(patterns_of("автомобил*"), [spelled("автомобил*")]);
        assert_eq!(patterns_of("Cognac Bottles"), [spelled("cognac bottle")]);
    }

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
    fn abbreviation_table_is_sorted() {
        assert!(ABBREVIATIONS.windows(2).all(|w| w[0].0 < w[1].0));
        for (k, _) in ABBREVIATIONS {
            assert!(reference::may_abbreviate(k.as_bytes()[0]), "{k}");
            assert!(may_be_abbreviation(k.as_bytes()), "{k}");
            assert!((2..=11).contains(&k.len()), "{k}");
        }
        assert!(!may_be_abbreviation(b"steel"));
        for (k, v) in ABBREVIATIONS {
            assert_eq!(abbreviation(k.as_bytes()), Some(*v), "{k}");
        }
        assert!(!may_be_abbreviation(b""));
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

    /// Pieces that exercise every branch of the normalizer: runs of ASCII letters and
    /// digits with apostrophes, abbreviations and plurals next to punctuation, and
    /// characters that decompose, fold case, join CJK runs or separate.
    fn tricky_text() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "a",
            "Z",
            "7",
            "00",
            "'",
            "`",
            "’",
            " ",
            "  ",
            "-",
            ",",
            "/",
            "@",
            ".",
            "\t",
            "\u{0}",
            "\u{7f}",
            "\u{a0}",
            "\u{200b}",
            "\u{301}",
            "men's",
            "'50s",
            "LUX",
            "lux",
            "btls",
            "BTLS",
            "pcs",
            "edp",
            "yrs",
            "jewelry",
            "whiskies",
            "accessories",
            "watches",
            "glasses",
            "scarves",
            "knives",
            "shelves",
            "boxes",
            "bus",
            "gas",
            "tvs",
            "bags",
            "LX570",
            "700ml",
            "x6",
            "12YRS",
            "é",
            "Hermès",
            "ß",
            "ẞ",
            "Straße",
            "ﬁ",
            "ﬀ",
            "Ｌｕｘ",
            "ＬＵＸ",
            "ｂｔｌｓ",
            "①",
            "Ⅻ",
            "½",
            "²",
            "℃",
            "İ",
            "ı",
            "ǅ",
            "Σ",
            "ς",
            "Ёлка",
            "й",
            "Й",
            "ЙОГУРТ",
            "АЯая",
            "Ѐѐ",
            "ӐӑЀ",
            "\u{4e00}\u{9fff}\u{9fa5}",
            "\u{3400}",
            "\u{f900}",
            "\u{2f00}",
            "Золотые",
            "серьги",
            "Духи",
            "钻石戒指",
            "铂金",
            "三星",
            "Galaxy",
            "手机",
            "ｶﾀｶﾅ",
            "ﾞ",
            "카펫",
            "양주",
            "발렌타인",
            "ᄀ",
            "ㄱ",
            "😀",
            "🇰🇵",
            "ŉ",
            "ǰ",
            "Æ",
            "œ",
            "ł",
            "đ",
            "ﷺ",
            "٣",
            "Ⅸ",
            "𝐀",
            "\u{e9}s",
            "s\u{2019}",
            "'s'",
        ]);
        prop::collection::vec(pieces, 0..16).prop_map(|v| v.concat())
    }

    /// ASCII text where the words of [`ascii_words_into`] differ from the input's runs:
    /// apostrophes inside and around words, abbreviations, plurals that fold by
    /// dropping or replacing letters, letters glued to digits.
    fn tricky_ascii_text() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "a",
            "Z",
            "s",
            "7",
            "00",
            "'",
            "`",
            "''",
            " ",
            "-",
            ",",
            "/",
            ".",
            "men's",
            "'50s",
            "a'5",
            "5'a",
            "b'tls",
            "ctn's",
            "LUX",
            "Lux'e",
            "btls",
            "BTLS",
            "pcs",
            "edp",
            "EDT",
            "yrs",
            "jewelry",
            "whiskies",
            "WHISKEYS",
            "accessories",
            "access'ories",
            "watches",
            "glasses",
            "scarves",
            "knive's",
            "shelves",
            "wives",
            "boxes",
            "bus",
            "gas",
            "tvs",
            "bags",
            "LX570",
            "700ml",
            "x6",
            "12YRS",
            "gold",
            "rolls",
            "royce",
            "elec",
            "electrics",
            "abcdefgh",
            "abcdefghs",
        ]);
        prop::collection::vec(pieces, 0..16).prop_map(|v| v.concat())
    }

    fn reference(s: &str) -> Normalized {
        let mut out = Normalized::default();
        reference::normalize_into(s, &mut out);
        out
    }

    fn assert_same_as_reference(s: &str) -> Result<(), TestCaseError> {
        let want = reference(s);
        let got = normalize(s);
        prop_assert_eq!(&got.text, &want.text, "text of {:?}", s);
        prop_assert_eq!(&got.map, &want.map, "map of {:?}", s);
        let mut text_only = Normalized::default();
        normalize_text_into(s, &mut text_only);
        prop_assert_eq!(&text_only.text, &want.text, "text-only of {:?}", s);
        prop_assert!(text_only.map.is_empty());
        prop_assert_eq!(&text_only.pieces, &got.pieces, "pieces of {:?}", s);
        prop_assert_eq!(text_only.has_cjk, got.has_cjk);
        prop_assert_eq!(got.has_cjk, got.text.chars().any(is_cjk));
        if s.is_ascii() {
            // The words of the ASCII path: the same pieces, each spelled as in the text.
            let (mut pieces, mut spelling) = (Vec::new(), Vec::new());
            ascii_words_into(s.as_bytes(), &mut pieces, &mut spelling);
            let place = |p: &Piece| (p.start, p.end, p.orig_start, p.orig_end, p.width);
            let want: Vec<_> = got.pieces.iter().map(place).collect();
            let have: Vec<_> = pieces.iter().map(place).collect();
            prop_assert_eq!(have, want, "ASCII pieces of {:?}", s);
            for p in &pieces {
                let spelled = spelling.get(p.spelled as usize..).unwrap_or_default();
                let spelled = spelled.get(..(p.end - p.start) as usize);
                let written = got.text.as_bytes().get(p.start as usize..p.end as usize);
                prop_assert_eq!(spelled, written, "spelling of {:?} in {:?}", p, s);
            }
        }
        // The pieces are the words between the spaces of the text.
        let words: Vec<(usize, usize)> = got
            .text
            .split(' ')
            .scan(0, |at, w| {
                let start = *at;
                *at += w.len() + 1;
                Some((start, start + w.len()))
            })
            .filter(|(a, b)| a < b)
            .collect();
        let pieces: Vec<(usize, usize)> = got
            .pieces
            .iter()
            .map(|p| (p.start as usize, p.end as usize))
            .collect();
        prop_assert_eq!(pieces, words, "words of {:?}", s);
        // Wherever the pieces place a span, they place it where the map does.
        let n = got.text.len();
        for a in 0..n {
            for b in a + 1..=n {
                if let Some(span) = piece_span(&text_only.pieces, a, b) {
                    prop_assert_eq!(Some(span), want.original_span(a, b), "{:?} {}..{}", s, a, b);
                }
            }
        }
        Ok(())
    }

    #[test]
    fn same_as_reference_on_examples() {
        for s in [
            "",
            "'",
            "a'",
            "'a",
            "5'6",
            "men's shoes",
            "a'5",
            "LUX Hand-Bags, 6 BTLS",
            "Hermès bags",
            "ＬＵＸ bag",
            "Straße 5",
            "三星Galaxy手机 x2",
            "Духи Chanel 50ml",
            "ACCESSORIES''",
            "scarves` knives",
        ] {
            if let Err(e) = assert_same_as_reference(s) {
                panic!("{e}");
            }
        }
    }

    #[test]
    fn same_as_reference_on_every_cyrillic_and_cjk_ideograph() {
        let chars = ('\u{400}'..='\u{52f}').chain('\u{4e00}'..='\u{9fff}');
        for c in chars {
            if let Err(e) = assert_same_as_reference(&format!("{c}a{c}{c} 1{c}")) {
                panic!("{e}");
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2048))]

        #[test]
        fn same_as_reference_on_tricky_text(s in tricky_text()) {
            assert_same_as_reference(&s)?;
        }

        #[test]
        fn same_as_reference_on_any_text(s in any::<String>()) {
            assert_same_as_reference(&s)?;
        }

        #[test]
        fn same_as_reference_on_ascii(s in "[ -~]{0,80}") {
            assert_same_as_reference(&s)?;
        }

        #[test]
        fn same_as_reference_on_tricky_ascii(s in tricky_ascii_text()) {
            assert_same_as_reference(&s)?;
        }

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

        #[test]
        fn one_word_spelled_as_in_a_text(
            w in prop_oneof![
                "[a-z]{1,10}(s|es|ies|ves)?",
                "[0-9]{1,6}",
                prop::sample::select(ABBREVIATIONS.iter().map(|a| a.0).collect::<Vec<_>>()).prop_map(String::from),
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

    fn bits_of(chunk: &[u8; 16], class: impl Fn(u8) -> bool) -> u16 {
        (0..16).filter(|&i| class(chunk[i])).map(|i| 1 << i).sum()
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
