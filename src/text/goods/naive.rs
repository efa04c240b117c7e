//! The normalizer restated from its specification (the module documentation of
//! [`super`]), the slow and obvious way, for the tests: each character of the input is
//! first turned into what it stands for (letters, digits, a break, or nothing), then
//! the whole line is cut into tokens, then each token is written, folded or expanded,
//! with its map. Nothing here is shared with the production writer but the word lists
//! (abbreviations and plural rules); the tests hold the two to the same text, map and
//! words on any input.

use proptest::prelude::*;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use super::ascii::ascii_words_into;
use super::lexicon::{abbreviations, fold_plural, Fold};
use super::{normalize, normalize_text_into, piece_span, Normalized, Piece};
use crate::text::script::{is_apostrophe, is_hangul_syllable, is_spaceless};

/// What one folded character is to the tokenizer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A letter; `ascii` when it is one of `a` to `z` (the words abbreviations and
    /// plurals apply to are made of those only).
    Letter {
        ascii: bool,
    },
    Digit,
    /// A character of a script written without spaces.
    Spaceless,
    /// Punctuation, a symbol, a space: ends the token.
    Break,
}

/// A folded character and the character offset of the original one it came from.
#[derive(Debug, Clone, Copy)]
struct Atom {
    c: char,
    kind: Kind,
    at: u32,
}

/// What the original character `c` at offset `at` stands for: nothing (an apostrophe,
/// a combining mark), or folded characters. A Hangul syllable stays whole, `ß` is `ss`;
/// anything else is decomposed (NFKD), marks dropped, and lowercased.
fn atoms(c: char, at: u32) -> Vec<Atom> {
    let atom = |c: char, kind| Atom { c, kind, at };
    if is_apostrophe(c) {
        return Vec::new();
    }
    if is_hangul_syllable(c) {
        return vec![atom(c, Kind::Spaceless)];
    }
    if c == 'ß' || c == 'ẞ' {
        let s = atom('s', Kind::Letter { ascii: false });
        return vec![s, s];
    }
    let mut out = Vec::new();
    let decomposed: String = std::iter::once(c).nfkd().collect();
    for d in decomposed.chars().filter(|d| !is_combining_mark(*d)) {
        for l in d.to_lowercase() {
            let kind = if is_apostrophe(l) {
                continue;
            } else if l.is_ascii_lowercase() {
                Kind::Letter { ascii: true }
            } else if l.is_ascii_digit() {
                Kind::Digit
            } else if l.is_ascii() {
                Kind::Break
            } else if is_spaceless(l) {
                Kind::Spaceless
            } else if l.is_alphabetic() {
                Kind::Letter { ascii: false }
            } else if l.is_numeric() {
                Kind::Digit
            } else {
                Kind::Break
            };
            out.push(atom(l, kind));
        }
    }
    out
}

/// Whether two kinds continue one token: letters with letters (of any script),
/// digits with digits, spaceless characters with spaceless ones.
fn same_token(a: Kind, b: Kind) -> bool {
    matches!(
        (a, b),
        (Kind::Letter { .. }, Kind::Letter { .. })
            | (Kind::Digit, Kind::Digit)
            | (Kind::Spaceless, Kind::Spaceless)
    )
}

/// A token: its characters, and the offset of what ended it (the next character
/// that is not a letter of its kind, or the end of the input), where the space after
/// it is mapped.
struct Token {
    atoms: Vec<Atom>,
    ended_at: u32,
}

fn tokens(input: &str) -> Vec<Token> {
    let all: Vec<Atom> = input
        .chars()
        .zip(0u32..)
        .flat_map(|(c, at)| atoms(c, at))
        .collect();
    let end = input.chars().count() as u32;
    let mut out: Vec<Token> = Vec::new();
    let mut open: Vec<Atom> = Vec::new();
    for a in all {
        if let Some(last) = open.last() {
            if a.kind == Kind::Break || !same_token(last.kind, a.kind) {
                out.push(Token {
                    atoms: std::mem::take(&mut open),
                    ended_at: a.at,
                });
            }
        }
        if a.kind != Kind::Break {
            open.push(a);
        }
    }
    if !open.is_empty() {
        out.push(Token {
            atoms: open,
            ended_at: end,
        });
    }
    out
}

/// The normalized text of `input` with its map, as the specification describes it.
pub(crate) fn naive(input: &str) -> Normalized {
    let mut text = String::from(" ");
    let mut map = vec![(0u32, 0u32)];
    for t in tokens(input) {
        let (Some(first), Some(last)) = (t.atoms.first(), t.atoms.last()) else {
            continue;
        };
        let (start, end) = (first.at, last.at + 1);
        let word: String = t.atoms.iter().map(|a| a.c).collect();
        let english = t
            .atoms
            .iter()
            .all(|a| a.kind == Kind::Letter { ascii: true });
        let expansion = abbreviations().find(|(k, _)| *k == word).map(|(_, v)| v);
        match expansion {
            Some(exp) if english => {
                // Every byte of an expansion stands for the whole token.
                text.push_str(exp);
                map.extend(std::iter::repeat_n((start, end), exp.len()));
            }
            _ => {
                let mut bytes: Vec<(u8, (u32, u32))> = Vec::new();
                for a in &t.atoms {
                    let mut buf = [0u8; 4];
                    for &b in a.c.encode_utf8(&mut buf).as_bytes() {
                        bytes.push((b, (a.at, a.at + 1)));
                    }
                }
                if english {
                    match fold_plural(word.as_bytes()) {
                        Some(Fold::Drop(n)) => bytes.truncate(bytes.len() - n),
                        Some(Fold::Replace(n, with)) => {
                            let keep = bytes.len() - n;
                            // What replaces the ending stands for the original
                            // characters from the first it replaces.
                            let from = bytes.get(keep).map_or(start, |b| b.1 .0);
                            bytes.truncate(keep);
                            bytes.extend(with.bytes().map(|b| (b, (from, end))));
                        }
                        None => {}
                    }
                    // The last byte of a folded word reaches the end of the original
                    // word, so that `bags` is reported, not `bag`.
                    if fold_plural(word.as_bytes()).is_some() {
                        if let Some(b) = bytes.last_mut() {
                            b.1 .1 = end;
                        }
                    }
                }
                let written: Vec<u8> = bytes.iter().map(|b| b.0).collect();
                text.push_str(&String::from_utf8_lossy(&written));
                map.extend(bytes.iter().map(|b| b.1));
            }
        }
        text.push(' ');
        map.push((t.ended_at, t.ended_at));
    }
    let has_cjk = text.chars().any(is_spaceless);
    Normalized {
        text,
        map,
        pieces: Vec::new(),
        has_cjk,
    }
}

/// Pieces that exercise every branch of the normalizer: runs of ASCII letters and
/// digits with apostrophes, abbreviations and plurals next to punctuation, and
/// characters that decompose, fold case, join CJK runs or separate.
pub(super) fn tricky_text() -> impl Strategy<Value = String> {
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

/// ASCII text where the words of [`super::ascii_words_into`] differ from the input's runs:
/// apostrophes inside and around words, abbreviations, plurals that fold by
/// dropping or replacing letters, letters glued to digits.
pub(super) fn tricky_ascii_text() -> impl Strategy<Value = String> {
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

fn assert_same_as_naive(s: &str) -> Result<(), TestCaseError> {
    let want = naive(s);
    let got = normalize(s);
    prop_assert_eq!(&got.text, &want.text, "text of {:?}", s);
    prop_assert_eq!(&got.map, &want.map, "map of {:?}", s);
    let mut text_only = Normalized::default();
    normalize_text_into(s, &mut text_only);
    prop_assert_eq!(&text_only.text, &want.text, "text-only of {:?}", s);
    prop_assert!(text_only.map.is_empty());
    prop_assert_eq!(&text_only.pieces, &got.pieces, "pieces of {:?}", s);
    prop_assert_eq!(text_only.has_cjk, got.has_cjk);
    prop_assert_eq!(got.has_cjk, got.text.chars().any(is_spaceless));
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
fn same_as_naive_on_examples() {
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
        if let Err(e) = assert_same_as_naive(s) {
            panic!("{e}");
        }
    }
}

#[test]
fn same_as_naive_on_every_cyrillic_and_cjk_ideograph() {
    let chars = ('\u{400}'..='\u{52f}').chain('\u{4e00}'..='\u{9fff}');
    for c in chars {
        if let Err(e) = assert_same_as_naive(&format!("{c}a{c}{c} 1{c}")) {
            panic!("{e}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn same_as_naive_on_tricky_text(s in tricky_text()) {
        assert_same_as_naive(&s)?;
    }

    #[test]
    fn same_as_naive_on_any_text(s in any::<String>()) {
        assert_same_as_naive(&s)?;
    }

    #[test]
    fn same_as_naive_on_ascii(s in "[ -~]{0,80}") {
        assert_same_as_naive(&s)?;
    }

    #[test]
    fn same_as_naive_on_tricky_ascii(s in tricky_ascii_text()) {
        assert_same_as_naive(&s)?;
    }
}

/// `ŉ` decomposes to an apostrophe and `n`; the apostrophe vanished when written alone
/// but was written as a letter when it came from `ŉ`.
#[test]
fn an_apostrophe_from_a_decomposition_vanishes_too() {
    assert_eq!(normalize("ŉ").text, " n ");
    assert_eq!(normalize("Dʼŉa").text, normalize("Dʼna").text);
    if let Err(e) = assert_same_as_naive("ŉ") {
        panic!("{e}");
    }
}
