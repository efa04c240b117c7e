//! Goods terms as the classifier finds them: a term of a rule, or an exclusion,
//! normalized as descriptions are ([`super::normalize`]), with the meaning of its `*`.
//!
//! A `*` at the end of a term makes it match a word prefix (`автомобил*`). A `*` after
//! a Cyrillic word inside a term stands for that word with any Russian case or number
//! ending (`спиртн* напит*` finds `спиртные напитки` and `спиртных напитков`), so such a
//! term stands for several patterns. After any other word inside a term, a `*` means
//! nothing, and the rules compiler warns of it ([`inner_star_dropped`]).
//!
//! The rules compiler reads each term here once and hands the patterns to the
//! classifier with the compiled ruleset.

use super::normalize;
use crate::text::script::{is_cyrillic, is_spaceless};

/// A term as the classifier finds it: its normalized text, and whether it matches a
/// word prefix. Two terms with one pattern are found at the same places.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TermPattern {
    /// Normalized text: tokens joined by single spaces, no space at either end.
    pub text: String,
    /// Matches the start of a word (written with a trailing `*`): no boundary after it.
    pub prefix: bool,
}

impl TermPattern {
    /// The pattern of `raw` read as one spelling: a trailing `*` makes a prefix, any
    /// other `*` is a separator. `None` for a term that normalizes to nothing.
    pub fn of(raw: &str) -> Option<TermPattern> {
        let (body, prefix) = match raw.trim().strip_suffix('*') {
            Some(b) => (b, true),
            None => (raw, false),
        };
        let text = normalize(body).text.trim().to_string();
        (!text.is_empty()).then_some(TermPattern { text, prefix })
    }

    /// Whether the pattern starts with a character of a script written without spaces
    /// (no word boundary is needed before it).
    pub fn open_start(&self) -> bool {
        self.text.chars().next().is_some_and(is_spaceless)
    }

    /// Whether the pattern ends with a character of a script written without spaces
    /// (no word boundary is needed after it).
    pub fn open_end(&self) -> bool {
        self.text.chars().next_back().is_some_and(is_spaceless)
    }

    /// Whether `other` is found wherever this pattern is: its whole words stand in
    /// this one's, and it ends before a prefix pattern's last word, which may run on
    /// in a line (`phone case` holds `case`, `notebook*` holds `notebook` only as the
    /// prefix `notebook*`).
    pub fn holds(&self, other: &TermPattern) -> bool {
        self.words().contains(other.words().as_str())
    }

    /// The pattern's whole words with a space before each, and after the last unless
    /// it is a prefix: one pattern holds another where its words hold the other's.
    fn words(&self) -> String {
        format!(" {}{}", self.text, if self.prefix { "" } else { " " })
    }
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
    !word.is_empty() && word.chars().all(is_cyrillic)
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
pub fn inner_star_dropped(raw: &str) -> Option<&str> {
    inner_stems(raw).find_map(|(_, stem)| stem.filter(|s| !has_spelled_endings(s)))
}

/// Every pattern term `raw` stands for (see the module documentation): one, unless a
/// Cyrillic word inside it is written with a `*`, which is spelled with each of the
/// Russian case and number endings. The first is the term with every inner `*` dropped;
/// when that normalizes to nothing, the term stands for nothing.
pub fn patterns_of(raw: &str) -> Vec<TermPattern> {
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
    let mut patterns: Vec<TermPattern> = Vec::new();
    for (k, spelling) in spellings.iter().enumerate() {
        match TermPattern::of(spelling) {
            Some(p) if !patterns.contains(&p) => patterns.push(p),
            Some(_) => {}
            None if k == 0 => return Vec::new(),
            None => {}
        }
    }
    patterns
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_star_inside_a_term_spells_the_russian_endings_of_a_cyrillic_word() {
        let spelled = |text: &str| TermPattern::of(text).expect("a pattern");
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
        // Elsewhere the star inside is dropped; at the end it makes a prefix term, and
        // a term without one is one pattern.
        assert_eq!(patterns_of("hand* knotted"), [spelled("hand knotted")]);
        assert_eq!(patterns_of("автомобил*"), [spelled("автомобил*")]);
        assert_eq!(patterns_of("Cognac Bottles"), [spelled("cognac bottle")]);
    }

    #[test]
    fn the_first_pattern_is_the_term_read_as_written() {
        for raw in [
            "спиртн* напит*",
            "hand* knotted",
            "foo * bar",
            "a** b",
            "Cognac Bottles ",
            "notebook*",
        ] {
            assert_eq!(
                patterns_of(raw).first(),
                TermPattern::of(raw).as_ref(),
                "{raw}"
            );
        }
        // A term whose words are nothing once normalized stands for nothing, whatever
        // endings its stems would take.
        assert_eq!(patterns_of("\u{483}* \u{483}"), []);
        assert_eq!(TermPattern::of("\u{483}* \u{483}"), None);
    }

    // The examples that documented these functions when they were public.
    #[test]
    fn example_of() {
        use crate::text::goods::TermPattern;
        let p = TermPattern::of("Cognac Bottles").unwrap();
        assert_eq!((p.text.as_str(), p.prefix), ("cognac bottle", false));
        let p = TermPattern::of("автомобил*").unwrap();
        assert_eq!((p.text.as_str(), p.prefix), ("автомобил", true));
        assert!(TermPattern::of(" -- ").is_none());
    }

    #[test]
    fn example_holds() {
        use crate::text::goods::TermPattern;
        let p = |t: &str| TermPattern::of(t).unwrap();
        assert!(p("phone case").holds(&p("Cases")));
        assert!(!p("phone case").holds(&p("phone cases holder")));
        assert!(p("notebook*").holds(&p("notebook*")));
        assert!(!p("notebook*").holds(&p("notebook")));
    }

    #[test]
    fn example_inner_star_dropped() {
        use crate::text::goods::pattern::inner_star_dropped;
        assert_eq!(inner_star_dropped("hand* knotted"), Some("hand"));
        assert_eq!(inner_star_dropped("спиртн* напит*"), None);
        assert_eq!(inner_star_dropped("whisky*"), None);
    }

    #[test]
    fn example_patterns_of() {
        use crate::text::goods::pattern::patterns_of;
        assert_eq!(patterns_of("Cognac Bottles").len(), 1);
        let spirits = patterns_of("спиртн* напит*");
        assert_eq!(spirits[0].text, "спиртн напит");
        assert!(spirits
            .iter()
            .any(|p| p.text == "спиртные напит" && p.prefix));
    }
}
