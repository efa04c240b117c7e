//! The matcher on small sets of terms: sequences, prefixes, mixed lines.

use super::*;

/// Matches as (term, start, end).
type Matches = &'static [(u32, u32, u32)];

fn matcher(terms: &[&str]) -> TermMatcher {
    let specs: Vec<TermPattern> = terms
        .iter()
        .map(|t| TermPattern {
            text: t.trim_end_matches('*').to_string(),
            prefix: t.ends_with('*'),
        })
        .collect();
    TermMatcher::new(&specs)
}

/// `find_mixed` on `text`: what it answered, and the matches as (term, start, end).
fn mixed(m: &TermMatcher, text: &str) -> (AsciiFind, Vec<(u32, u32, u32)>) {
    let (mut scratch, mut found) = (FindScratch::default(), Vec::new());
    let answer = m.find_mixed(text, &mut scratch, &mut found);
    let found = found.iter().map(|f| (f.term, f.start, f.end)).collect();
    (answer, found)
}

/// Sequences of words that start inside a longer one, which the word automaton
/// follows through its failures: a term that ends inside a longer sequence, a
/// prefix term that goes on from one, a longer term after a false start.
#[test]
fn terms_inside_longer_sequences_are_found() {
    let m = matcher(&[
        "gold royal box",
        "royal pri*",
        "royal",
        "box",
        "gold gold royal",
    ]);
    let (mut scratch, mut found) = (FindScratch::default(), Vec::new());
    let cases: &[(&str, Matches)] = &[
        ("gold royal prince", &[(2, 5, 10), (1, 5, 14)]),
        ("gold royal box", &[(2, 5, 10), (0, 0, 14), (3, 11, 14)]),
        (
            "gold gold royal box",
            &[(4, 0, 15), (2, 10, 15), (0, 5, 19), (3, 16, 19)],
        ),
    ];
    for (text, want) in cases {
        let answer = m.find_ascii(text.as_bytes(), &mut scratch, &mut found);
        let got: Vec<_> = found.iter().map(|f| (f.term, f.start, f.end)).collect();
        assert_eq!((answer, got), (AsciiFind::Found, want.to_vec()), "{text}");
    }
}

#[test]
fn mixed_lines_are_read_by_stretches_with_character_offsets() {
    let m = matcher(&[
        "teppich",
        "handgeknupft",
        "钻石",
        "명품 가방",
        "трубы стальные",
        "золот*",
    ]);
    let cases: &[(&str, Matches)] = &[
        ("Teppich handgeknüpft, 2 pcs", &[(0, 0, 7), (1, 8, 20)]),
        // Inside a CJK run, after a Chinese word written before it.
        ("Diamond 高级钻石戒指 ring", &[(2, 10, 12)]),
        // A term of two Hangul words, across the space between two stretches.
        ("LV 명품 가방 x2", &[(3, 3, 8)]),
        // Cyrillic words with ASCII words around them; a prefix term inside a word.
        (
            "steel ТРУБЫ стальные 20т, золотые",
            &[(4, 6, 20), (5, 26, 31)],
        ),
    ];
    for (text, want) in cases {
        assert_eq!(mixed(&m, text), (AsciiFind::Found, want.to_vec()), "{text}");
    }
}

#[test]
fn mixed_lines_the_stretches_cannot_place_are_left_to_find() {
    let m = matcher(&["gold", "oz", "钻石", "galaxy 手机"]);
    // `½` is written as two words, `1` and `2`, both standing for one character.
    assert_eq!(mixed(&m, "gold ½ oz").0, AsciiFind::Unsure);
    // A term with a CJK edge and an ASCII word may reach into the ASCII words
    // around a CJK stretch.
    assert_eq!(mixed(&m, "三星 galaxy 手机").0, AsciiFind::Unsure);
    assert_eq!(mixed(&m, "gold ring, Zoë").0, AsciiFind::Found);
}
