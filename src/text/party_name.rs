//! The parts of a name field that names more than one party, each to be screened as a
//! name of its own.
//!
//! Invoices and bills of lading join two parties in one name: `Korea Kwangson Banking
//! Corp c/o Acme` (care of), `Acme Ltd o/b/o Korea Kwangson Banking Corp` (on behalf
//! of), `... for account of ...`, `... acting for ...`. Scored as one name, the second
//! party's words dilute the first's, and a listed party written so clears; either may
//! be the listed one. A vessel's name may carry a remark in parentheses after it
//! (`Ryo Myong (flag KP)`, `(ex-...)`, `(IMO ...)`): the remark is no part of the name,
//! as a place in parentheses after a party's name is not.

/// Words that join two parties in one name field, lowercase, as whole words. Longer
/// phrases first, so that `for the account of` is found before `for account of` could
/// be looked for inside it.
const WRAPPERS: &[&str] = &[
    "for the account of",
    "for account of",
    "on behalf of",
    "acting for",
    "care of",
    "o/b/o",
    "c/o",
];

/// A part of a name field screened on its own, with where it stands in the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NamePart<'a> {
    /// The part's text, as the field writes it.
    pub text: &'a str,
    /// Its start in the field, in characters.
    pub start: usize,
    /// Its end (exclusive), in characters.
    pub end: usize,
    /// What set it apart: the wrapper beside it (`c/o`), or `(remark)` for a vessel's
    /// name before a remark in parentheses.
    pub apart_from: &'static str,
}

/// Whether `c` may stand next to a wrapper: anything but a letter or digit (`c/o` in
/// `Acmec/o` is no wrapper).
fn boundary(c: Option<char>) -> bool {
    c.is_none_or(|c| !c.is_alphanumeric())
}

/// The parties a name field names when it joins several with a wrapper (`A c/o B`):
/// each part, trimmed of spaces and punctuation at its ends, in field order. Empty
/// when the field holds no wrapper; one part when only one side of it holds a name
/// (`c/o Acme`).
pub fn joined_parties(name: &str) -> Vec<NamePart<'_>> {
    // Wrappers are ASCII, so a lowercase copy keeps every byte offset.
    let lower = name.to_ascii_lowercase();
    let mut cuts: Vec<(usize, usize, &'static str)> = Vec::new();
    let mut at = 0;
    while at < lower.len() {
        let found = WRAPPERS.iter().find_map(|w| {
            let rest = lower.get(at..)?;
            rest.starts_with(w).then_some(*w)
        });
        let Some(w) = found else {
            at += lower
                .get(at..)
                .and_then(|r| r.chars().next())
                .map_or(1, char::len_utf8);
            continue;
        };
        let before = lower.get(..at).and_then(|s| s.chars().next_back());
        let after = lower.get(at + w.len()..).and_then(|s| s.chars().next());
        if boundary(before) && boundary(after) {
            cuts.push((at, at + w.len(), w));
            at += w.len();
        } else {
            at += 1;
        }
    }
    if cuts.is_empty() {
        return Vec::new();
    }
    let mut parts = Vec::new();
    let mut from = 0;
    let mut push = |from: usize, to: usize, wrapper: &'static str| {
        if let Some(part) = part_of(name, from, to, wrapper) {
            parts.push(part);
        }
    };
    for &(start, end, w) in &cuts {
        push(from, start, w);
        from = end;
    }
    if let Some(&(_, _, w)) = cuts.last() {
        push(from, name.len(), w);
    }
    parts
}

/// The bytes `from..to` of `name` trimmed of spaces and punctuation at both ends, as a
/// part; `None` when no letter or digit is left.
fn part_of<'a>(
    name: &'a str,
    from: usize,
    to: usize,
    apart_from: &'static str,
) -> Option<NamePart<'a>> {
    let raw = name.get(from..to)?;
    let trim = |c: char| !c.is_alphanumeric() && !matches!(c, ')' | '.' | '\'');
    let lead = raw.len() - raw.trim_start_matches(trim).len();
    let mut text = raw.trim_matches(trim);
    // A part that ends a parenthesised wrapper (`Acme (c/o KOMID)`) leaves its `)`.
    if !text.contains('(') {
        text = text.trim_end_matches(')').trim_end();
    }
    if !text.chars().any(char::is_alphanumeric) {
        return None;
    }
    let start = name.get(..from + lead)?.chars().count();
    Some(NamePart {
        text,
        start,
        end: start + text.chars().count(),
        apart_from,
    })
}

/// A vessel's name before a remark in parentheses that ends it (`Ryo Myong (flag KP)`
/// -> `Ryo Myong`); `None` when there is none, or nothing before it.
pub fn vessel_without_remark(name: &str) -> Option<NamePart<'_>> {
    let body = name.trim_end().strip_suffix(')')?;
    // The remark's own opening parenthesis: the last one not closed before the end.
    let mut depth = 0usize;
    let mut open = None;
    for (i, c) in body.char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' if depth == 0 => {
                open = Some(i);
                break;
            }
            '(' => depth -= 1,
            _ => {}
        }
    }
    part_of(name, 0, open?, "(remark)")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(name: &str) -> Vec<&str> {
        joined_parties(name).iter().map(|p| p.text).collect()
    }

    #[test]
    fn every_wrapper_joins_two_parties_whatever_its_case() {
        let cases = [
            (
                "Korea Kwangson Banking Corp c/o Acme",
                ["Korea Kwangson Banking Corp", "Acme"],
            ),
            (
                "Korea Kwangson Banking Corp C/O Acme",
                ["Korea Kwangson Banking Corp", "Acme"],
            ),
            ("Acme Ltd O/B/O KOMID", ["Acme Ltd", "KOMID"]),
            ("Acme Ltd, on behalf of KOMID", ["Acme Ltd", "KOMID"]),
            ("Acme Ltd for account of KOMID", ["Acme Ltd", "KOMID"]),
            ("Acme Ltd for the account of KOMID", ["Acme Ltd", "KOMID"]),
            ("Acme Ltd acting for KOMID", ["Acme Ltd", "KOMID"]),
            ("Acme Ltd (care of KOMID)", ["Acme Ltd", "KOMID"]),
            ("Acme (HK) Ltd c/o KOMID", ["Acme (HK) Ltd", "KOMID"]),
        ];
        for (name, want) in cases {
            assert_eq!(texts(name), want, "{name}");
        }
        assert_eq!(texts("A c/o B o/b/o C"), ["A", "B", "C"]);
        // A wrapper at one end leaves the name on the other side to screen alone.
        assert_eq!(
            texts("c/o Korea Kwangson Banking Corp"),
            ["Korea Kwangson Banking Corp"]
        );
        assert_eq!(texts("Acme c/o"), ["Acme"]);
    }

    #[test]
    fn parts_know_where_they_stand_in_characters() {
        let parts = joined_parties("Société Générale c/o Ümit Trading");
        assert_eq!((parts[0].start, parts[0].end), (0, 16));
        assert_eq!((parts[1].start, parts[1].end), (21, 33));
        assert_eq!(parts[1].apart_from, "c/o");
        let parts = joined_parties("Acme Ltd o/b/o Korea Kwangson Banking Corp");
        assert_eq!((parts[1].start, parts[1].end), (15, 42));
    }

    #[test]
    fn a_wrapper_inside_a_word_or_with_no_name_beside_it_joins_nothing() {
        for name in [
            "Acmec/o Trading",
            "Disco/oil Ltd",
            "c/o",
            "Actingford Ltd",
            "Korea Kwangson Banking Corp",
        ] {
            assert!(joined_parties(name).is_empty(), "{name}");
        }
    }

    #[test]
    fn a_vessel_remark_is_the_last_parenthesised_group() {
        fn base(n: &str) -> Option<&str> {
            vessel_without_remark(n).map(|p| p.text)
        }
        assert_eq!(base("Ryo Myong (flag KP)"), Some("Ryo Myong"));
        assert_eq!(base("Ryo Myong (ex (old) name)"), Some("Ryo Myong"));
        assert_eq!(base("Ryo Myong"), None);
        assert_eq!(base("Ryo (Myong)x"), None);
    }
}
