//! Country names written with abbreviations, as trade statistics and forms shorten
//! them: `Dem. People's Rep. of Korea` (UN Comtrade), `Korea, Dem. Rep.` (World
//! Bank), `DPR of Korea`, `D.P.R. of Korea`, `Congo, Dem. Rep.`.
//!
//! No table lists these forms; they are read against the full names of every
//! country instead. A word written with a dot after it (`Dem.`) stands for a name
//! word it begins (`Democratic`); letters written with dots between them (`D.P.R.`)
//! or a short word in capitals (`DPR`) stand for as many name words in a row, by
//! their initials (`Democratic People's Republic`); any other word must be a name
//! word as it is. Name words may be left out (`Korea, Dem. Rep.` leaves out
//! `People's` and `of`), but fewer than are matched, and the name that leaves out
//! the fewest wins. Where two countries tie, the text names neither: a reading that
//! guesses could move a route from one Korea to the other.

use std::sync::LazyLock;

use super::WORLD;
use crate::text::fold::fold as name_key;
use crate::text::script::is_apostrophe;

/// A word of the text, as it may stand for words of a name.
#[derive(Debug, PartialEq, Eq)]
enum Word {
    /// Written out: the name word itself.
    Whole(String),
    /// Followed by a dot: the name word itself, or the start of one.
    Shortened(String),
    /// Dotted letters or a short word in capitals: as many name words in a row, by
    /// their initials, or the name word itself.
    Initials(String),
}

impl Word {
    fn text(&self) -> &str {
        match self {
            Word::Whole(w) | Word::Shortened(w) | Word::Initials(w) => w,
        }
    }
}

/// The longest word in capitals read as initials: `DPR`, `DPRK`, not `KOREA`.
const MAX_CAPITALS: usize = 4;

/// A name of more than one word, in Latin letters, split for matching.
struct Name {
    code: &'static str,
    words: Vec<String>,
    /// The first letters of its words, a bit each (`a` is bit 0).
    initials: u32,
}

fn letter_bit(c: char) -> u32 {
    if c.is_ascii_lowercase() {
        1 << (c as u32 - 'a' as u32)
    } else {
        0
    }
}

/// The most words a text read as an abbreviated country name may have: party names
/// and addresses are read as place fields too, and a long one is no country name.
const MAX_WORDS: usize = 8;

/// Every word of [`NAMES`], sorted: a text with a word no name has, or begins when it
/// is shortened, is no country name, which rules out almost every party name and
/// address at the cost of a look-up per word, before any name is read.
static VOCABULARY: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    let mut words: Vec<&'static str> = NAMES
        .iter()
        .flat_map(|n| n.words.iter().map(String::as_str))
        .collect();
    words.sort_unstable();
    words.dedup();
    words
});

/// Whether some name has `word` (or, for a shortened word, a word it begins).
fn in_vocabulary(word: &Word) -> bool {
    let words = &*VOCABULARY;
    match word {
        Word::Whole(w) => words.binary_search(&w.as_str()).is_ok(),
        Word::Shortened(w) => {
            let at = words.partition_point(|v| *v < w.as_str());
            words.get(at).is_some_and(|v| v.starts_with(w.as_str()))
        }
        Word::Initials(_) => true,
    }
}

/// The names abbreviations are read against: every country's names of two words or
/// more that fold to Latin letters.
static NAMES: LazyLock<Vec<Name>> = LazyLock::new(|| {
    let mut names = Vec::new();
    let mut codes: Vec<_> = WORLD.all_names.keys().copied().collect();
    codes.sort_unstable();
    for code in codes {
        for name in WORLD.all_names.get(code).map_or(&[][..], Vec::as_slice) {
            let key = name.key;
            if !key.is_ascii() || !key.contains(' ') {
                continue;
            }
            let words: Vec<String> = key.split(' ').map(str::to_string).collect();
            let initials = words
                .iter()
                .filter_map(|w| w.chars().next())
                .fold(0, |bits, c| bits | letter_bit(c));
            names.push(Name {
                code,
                words,
                initials,
            });
        }
    }
    names
});

/// The words of `text`, or `None` when none of them is abbreviated.
fn words(text: &str) -> Option<Vec<Word>> {
    // Raw words, each with whether a dot follows it and whether a character other
    // than a dot came between it and the previous one.
    let mut raw: Vec<(String, bool, bool)> = Vec::new();
    let mut current = String::new();
    let mut apart = true;
    for c in text.chars().chain(std::iter::once(' ')) {
        if c.is_alphanumeric() {
            current.push(c);
            continue;
        }
        if is_apostrophe(c) && !current.is_empty() {
            continue;
        }
        if !current.is_empty() {
            raw.push((std::mem::take(&mut current), c == '.', apart));
            apart = c != '.';
        } else if c != '.' {
            apart = true;
        }
    }
    let mut out: Vec<Word> = Vec::new();
    let mut abbreviated = false;
    let mut k = 0;
    while let Some((word, dotted, _)) = raw.get(k) {
        k += 1;
        let single = word.chars().count() == 1;
        if *dotted && single {
            // `D.P.R.`: single letters, each followed by a dot, nothing else between.
            let mut letters = name_key(word);
            while let Some((next, true, false)) = raw.get(k) {
                if next.chars().count() != 1 {
                    break;
                }
                letters.push_str(&name_key(next));
                k += 1;
            }
            abbreviated = true;
            out.push(if letters.chars().count() > 1 {
                Word::Initials(letters)
            } else {
                Word::Shortened(letters)
            });
            continue;
        }
        let key = name_key(word);
        if key.is_empty() {
            continue;
        }
        let capitals = word.chars().count() <= MAX_CAPITALS
            && word.chars().count() > 1
            && word.chars().all(|c| c.is_ascii_uppercase());
        out.push(if *dotted {
            abbreviated = true;
            Word::Shortened(key)
        } else if capitals {
            abbreviated = true;
            Word::Initials(key)
        } else {
            Word::Whole(key)
        });
    }
    abbreviated.then_some(out)
}

/// How many name words `word` stands for at the start of `rest`: one or more, in
/// each way it can.
fn spans(word: &Word, rest: &[String]) -> impl Iterator<Item = usize> {
    let first = rest.first().map(String::as_str).unwrap_or("");
    let itself = !first.is_empty() && first == word.text();
    let start =
        matches!(word, Word::Shortened(w) if !first.is_empty() && first.starts_with(w.as_str()));
    let initials = match word {
        Word::Initials(letters) => {
            let n = letters.chars().count();
            let fits = rest.len() >= n && letters.chars().zip(rest).all(|(l, w)| w.starts_with(l));
            fits.then_some(n)
        }
        _ => None,
    };
    (itself || start).then_some(1).into_iter().chain(initials)
}

/// How many words of `name` are left out when `text` is read as it, or `None` when it
/// cannot be read so.
fn left_out(text: &[Word], name: &[String]) -> Option<usize> {
    let (n, m) = (text.len(), name.len());
    let at = |i: usize, j: usize| i * (m + 1) + j;
    let mut best = vec![usize::MAX; (n + 1) * (m + 1)];
    *best.get_mut(0)? = 0;
    for i in 0..=n {
        for j in 0..=m {
            let cost = *best.get(at(i, j))?;
            if cost == usize::MAX {
                continue;
            }
            let mut relax = |i2: usize, j2: usize, c: usize| {
                if let Some(b) = best.get_mut(at(i2, j2)) {
                    *b = (*b).min(c);
                }
            };
            if j < m {
                relax(i, j + 1, cost + 1);
            }
            if let (Some(word), Some(rest)) = (text.get(i), name.get(j..)) {
                for k in spans(word, rest) {
                    relax(i + 1, j + k, cost);
                }
            }
        }
    }
    let cost = *best.get(at(n, m))?;
    (cost < m && cost < m - cost).then_some(cost)
}

/// The country `text` names with abbreviated words, if exactly one country has a name
/// it reads as with the fewest words left out.
pub(super) fn country_code(text: &str) -> Option<&'static str> {
    let words = words(text)?;
    if words.len() > MAX_WORDS || !words.iter().all(in_vocabulary) {
        return None;
    }
    let needed = words
        .iter()
        .flat_map(|w| match w {
            Word::Initials(l) => l.chars().take(1).collect::<Vec<_>>(),
            Word::Whole(w) | Word::Shortened(w) => w.chars().take(1).collect(),
        })
        .fold(0, |bits, c| bits | letter_bit(c));
    let mut best: Option<(usize, &'static str)> = None;
    let mut tied = false;
    for name in NAMES.iter().filter(|n| n.initials & needed == needed) {
        let Some(cost) = left_out(&words, &name.words) else {
            continue;
        };
        match best {
            Some((c, code)) if c == cost && code != name.code => tied = true,
            Some((c, _)) if c <= cost => {}
            _ => {
                best = Some((cost, name.code));
                tied = false;
            }
        }
    }
    best.filter(|_| !tied).map(|(_, code)| code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trade_statistics_short_forms_of_the_dprk() {
        for s in [
            "Dem. People's Rep. of Korea",
            "Korea, Dem. Rep.",
            "Korea, Dem. People's Rep.",
            "DPR of Korea",
            "D.P.R. of Korea",
            "Dem. Rep. of Korea",
        ] {
            assert_eq!(country_code(s), Some("KP"), "{s}");
        }
        for s in ["Korea, Rep.", "Rep. of Korea"] {
            assert_eq!(country_code(s), Some("KR"), "{s}");
        }
        assert_eq!(country_code("Congo, Dem. Rep."), Some("CD"));
    }

    #[test]
    fn what_is_not_an_abbreviated_country_name() {
        // No abbreviation: left to the exact tables.
        assert_eq!(country_code("Korea Democratic Republic"), None);
        // Says too little to pick one country.
        for s in [
            "Acme Trading Co., Ltd.",
            "No. 5 Zhongshan Rd., Dalian",
            "Dem. Rep.",
            "Rep.",
            "Korea.",
            "Is.",
            "St. Petersburg",
            "Port of NAMPO",
        ] {
            assert_eq!(country_code(s), None, "{s}");
        }
    }

    #[test]
    fn words_and_their_kinds() {
        assert_eq!(
            words("D.P.R. of Korea"),
            Some(vec![
                Word::Initials("dpr".into()),
                Word::Whole("of".into()),
                Word::Whole("korea".into()),
            ])
        );
        assert_eq!(
            words("Dem. People's Rep."),
            Some(vec![
                Word::Shortened("dem".into()),
                Word::Whole("peoples".into()),
                Word::Shortened("rep".into()),
            ])
        );
        assert_eq!(words("North Korea"), None);
    }
}
