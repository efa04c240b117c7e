//! The fold under which country and place names are compared.
//!
//! Lists, orders and addresses write one name many ways: `Korea, North`,
//! `KOREA  NORTH`, `D.P.R.K.`, `People's` and `People’s`, `P'yŏngyang`. Folded, case,
//! accents, compatibility forms, apostrophes and dots do not matter, and any run of
//! other characters that are not letters or digits is one space: `korea north`,
//! `dprk`, `peoples`, `pyongyang`.
//!
//! What is folded, character by character:
//! - apostrophes ([`is_apostrophe`]) and `.` vanish;
//! - anything else is decomposed to its compatibility form (NFKD), and combining
//!   marks vanish;
//! - letters and digits are lowercased; every other character is a word break, and
//!   breaks collapse to one space; no space starts the text.

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

use super::script::is_apostrophe;

/// Whether `c` vanishes in the fold rather than breaking a word.
fn vanishes(c: char) -> bool {
    c == '.' || is_apostrophe(c) || is_combining_mark(c)
}

/// Folds `text` into `out` (cleared first), calling `mark(offset, bytes)` for each
/// piece written: the character offset in `text` it came from, and how many bytes of
/// `out` it took. A word break at the end is written as a space.
fn fold_into(text: &str, out: &mut String, mut mark: impl FnMut(usize, usize)) {
    out.clear();
    let mut push = |out: &mut String, at: usize, d: char| {
        if vanishes(d) {
            return;
        }
        if !d.is_alphanumeric() {
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
                mark(at, 1);
            }
            return;
        }
        for l in d.to_lowercase() {
            out.push(l);
            mark(at, l.len_utf8());
        }
    };
    for (at, c) in text.chars().enumerate() {
        // ASCII decomposes to itself: the decomposition tables are skipped for the
        // usual field, and this runs for every address of every order.
        if c.is_ascii() {
            push(out, at, c);
        } else if !vanishes(c) {
            decompose_compatible(c, |d| push(out, at, d));
        }
    }
}

/// The folded `text` (see the module documentation), with a space at the end when
/// `text` ends in a word break, and for each byte of it the character offset in
/// `text` of the character that produced it.
pub fn fold_mapped(text: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(text.len());
    let mut map = Vec::with_capacity(text.len());
    fold_into(text, &mut out, |at, n| {
        map.extend(std::iter::repeat_n(at, n));
    });
    (out, map)
}

/// The folded `text` as a key: its words separated by single spaces, with none at
/// either end.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into(text, &mut out, |_, _| {});
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn spellings_of_one_name_fold_alike() {
        for s in [
            "Korea, North",
            "KOREA  NORTH",
            "korea-north",
            "Koréa North.",
            "Ｋｏｒｅａ North",
        ] {
            assert_eq!(fold(s), "korea north", "{s}");
        }
        for s in [
            "People's",
            "People’s",
            "Peopleʼs",
            "People‘s",
            "People`s",
            "People´s",
        ] {
            assert_eq!(fold(s), "peoples", "{s}");
        }
    }

    #[test]
    fn the_map_points_at_original_characters() {
        let (folded, map) = fold_mapped("Ｎampo -- 南浦");
        assert_eq!(folded, "nampo 南浦");
        assert_eq!(map.len(), folded.len());
        assert_eq!(map.first(), Some(&0));
        // `南` is character 9 of the original and three bytes of the fold.
        assert_eq!(map.get(6..9), Some(&[9, 9, 9][..]));
    }

    proptest! {
        #[test]
        fn the_key_is_the_mapped_fold_without_its_last_break(s in any::<String>()) {
            let (folded, map) = fold_mapped(&s);
            prop_assert_eq!(map.len(), folded.len());
            prop_assert_eq!(fold(&s), folded.trim_end_matches(' '));
            prop_assert!(!folded.starts_with(' ') && !folded.contains("  "));
        }
    }

    // The examples that documented these functions when they were public.
    #[test]
    fn example_fold_mapped() {
        use crate::text::fold::fold_mapped;
        let (folded, map) = fold_mapped("P'yŏngyang, DPRK");
        assert_eq!(folded, "pyongyang dprk");
        assert_eq!(map[..3], [0, 2, 3]);
    }

    #[test]
    fn example_fold() {
        use crate::text::fold::fold;
        assert_eq!(
            fold("Korea, Democratic People’s Republic of"),
            "korea democratic peoples republic of"
        );
        assert_eq!(fold(" D.P.R.K. "), "dprk");
        assert_eq!(fold("Côte d'Ivoire"), fold("COTE D’IVOIRE"));
    }
}
