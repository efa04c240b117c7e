//! Where a goods line says its goods come from or go to: `frozen snow crab, origin:
//! Rason`, `made in D.P.R. Korea`, `冻鱿鱼 产地:罗先`, `final destination Pyongyang`,
//! `for re-export to DPRK`. An invoice that states the origin or destination in its
//! description states it as plainly as the route fields do.
//!
//! This finds the words that follow an origin or destination cue; whether they name a
//! country or place of a rule's set is for the place tests to say, as for a route
//! field. The cues are the labels of the origin and destination boxes of customs and
//! trade documents (the EU Single Administrative Document, boxes 16, 17 and 34; China's
//! customs declaration, 原产国(地区) and 最终目的国(地区); Korea's 원산지 marking; the
//! Russian declaration's страна происхождения and страна назначения) and the phrases
//! invoices write for them, in the languages of the trade the rules screen.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, MatchKind};

/// Which way a goods line says its goods travel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Where they were made or come from.
    Origin,
    /// Where they are going.
    Destination,
}

/// Words a goods line states as its origin or destination: what follows a cue, up to
/// the end of its phrase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatedPlace {
    /// Origin or destination.
    pub direction: Direction,
    /// Byte range of the words in the description.
    pub bytes: std::ops::Range<usize>,
    /// Character offset in the description where the words start.
    pub start: usize,
}

const ORIGIN_CUES: &[&str] = &[
    // English
    "origin",
    "country of origin",
    "place of origin",
    "made in",
    "product of",
    "produce of",
    "produced in",
    "manufactured in",
    "grown in",
    "caught in",
    "processed in",
    "originating in",
    "originating from",
    "shipped from",
    "exported from",
    "loaded at",
    "port of loading",
    // German, French
    "ursprung",
    "ursprungsland",
    "herkunft",
    "herkunftsland",
    "hergestellt in",
    "origine",
    "pays d'origine",
    "fabriqué en",
    "fabrique en",
    // Russian
    "происхождение",
    "происхождения",
    "страна происхождения",
    "произведено в",
    "сделано в",
    "изготовлено в",
    // Chinese, Japanese, Korean
    "产地",
    "原产地",
    "原产国",
    "產地",
    "原產地",
    "原產國",
    "产于",
    "原産地",
    "原産国",
    "製造国",
    "원산지",
    "원산국",
    "생산지",
    "제조국",
];

const DESTINATION_CUES: &[&str] = &[
    // English
    "destination",
    "final destination",
    "country of destination",
    "port of destination",
    "port of discharge",
    "place of delivery",
    "destined for",
    "bound for",
    "ship to",
    "deliver to",
    "delivery to",
    "export to",
    "re export to",
    "reexport to",
    "re exported to",
    "transship to",
    "transshipment to",
    "consigned to",
    "for use in",
    "end use in",
    // German, French
    "bestimmungsort",
    "bestimmungsland",
    "lieferung nach",
    "pays de destination",
    // Russian
    "назначение",
    "назначения",
    "пункт назначения",
    "страна назначения",
    "реэкспорт в",
    // Chinese, Japanese, Korean
    "目的地",
    "最终目的地",
    "目的国",
    "目的港",
    "运往",
    "運往",
    "发往",
    "转口至",
    "转运至",
    "出口至",
    "出口到",
    "仕向地",
    "仕向け地",
    "목적지",
    "최종 목적지",
    "도착지",
    "행선지",
];

/// Words that end a stated place in Latin or Cyrillic text: what follows them is
/// another part of the phrase (`Rason via Dalian`, `Germany for export`).
const STOP_WORDS: &[&str] = &[
    "via",
    "for",
    "to",
    "from",
    "by",
    "with",
    "and",
    "through",
    "transit",
    "then",
    "через",
    "для",
    "и",
    "über",
    "und",
    "nach",
    "par",
    "pour",
    "et",
];

/// Characters that end a phrase.
fn ends_phrase(c: char) -> bool {
    matches!(
        c,
        ',' | ';'
            | '('
            | ')'
            | '['
            | ']'
            | '/'
            | '|'
            | '\n'
            | '\r'
            | '，'
            | '；'
            | '、'
            | '。'
            | '（'
            | '）'
            | '【'
            | '】'
    )
}

/// A stated place holds at most this many words: `Democratic People's Republic of
/// Korea` is six.
const MAX_WORDS: usize = 6;

struct Cues {
    searcher: Option<AhoCorasick>,
    /// The direction of each pattern.
    directions: Vec<Direction>,
}

fn cues() -> &'static Cues {
    static CUES: OnceLock<Cues> = OnceLock::new();
    CUES.get_or_init(|| {
        let mut patterns = Vec::new();
        let mut directions = Vec::new();
        for (list, d) in [
            (ORIGIN_CUES, Direction::Origin),
            (DESTINATION_CUES, Direction::Destination),
        ] {
            for cue in list {
                patterns.push(fold(cue).0);
                directions.push(d);
            }
        }
        let searcher = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)
            .ok();
        Cues {
            searcher,
            directions,
        }
    })
}

/// `text` lowercased, with hyphens and underscores as spaces and runs of spaces as
/// one; and for each byte of the folded text (and one past its end), the byte
/// offset in `text` it came from.
fn fold(text: &str) -> (String, Vec<usize>) {
    let mut folded = String::with_capacity(text.len());
    let mut map = Vec::with_capacity(text.len() + 1);
    let mut space = false;
    for (i, c) in text.char_indices() {
        let c = match c {
            '-' | '_' | '‐' | '‑' | '–' | '—' => ' ',
            c if c.is_whitespace() && !matches!(c, '\n' | '\r') => ' ',
            c => c,
        };
        if c == ' ' {
            if space {
                continue;
            }
            space = true;
        } else {
            space = false;
        }
        for l in c.to_lowercase() {
            let before = folded.len();
            folded.push(l);
            map.extend(std::iter::repeat_n(i, folded.len() - before));
        }
    }
    map.push(text.len());
    (folded, map)
}

/// Whether `c` is a letter or digit of a script written with spaces between words, on
/// which a Latin or Cyrillic cue must end.
fn word_char(c: char) -> bool {
    c.is_alphanumeric() && !crate::text::script::is_spaceless(c)
}

/// The places `description` states as its goods' origin or destination, in order.
///
/// ```
/// use embargo::goods::stated::{stated_places, Direction};
///
/// let text = "frozen snow crab, origin: Rason, net 20 kg";
/// let stated = stated_places(text);
/// assert_eq!(stated.len(), 1);
/// assert_eq!(stated[0].direction, Direction::Origin);
/// assert_eq!(&text[stated[0].bytes.clone()], "Rason");
/// ```
pub fn stated_places(description: &str) -> Vec<StatedPlace> {
    let cues = cues();
    let Some(searcher) = cues.searcher.as_ref() else {
        return Vec::new();
    };
    let (folded, map) = fold(description);
    let mut out = Vec::new();
    for m in searcher.find_iter(folded.as_str()) {
        let Some(&direction) = cues.directions.get(m.pattern().as_usize()) else {
            continue;
        };
        let before = folded.get(..m.start()).and_then(|s| s.chars().next_back());
        let after = folded.get(m.end()..).and_then(|s| s.chars().next());
        let last = folded.get(..m.end()).and_then(|s| s.chars().next_back());
        let first = folded.get(m.start()..).and_then(|s| s.chars().next());
        // A Latin or Cyrillic cue is a whole word: `originals` is no `origin`.
        if first.is_some_and(word_char) && before.is_some_and(word_char)
            || last.is_some_and(word_char) && after.is_some_and(word_char)
        {
            continue;
        }
        let Some((from, to)) = phrase_after(&folded, m.end()) else {
            continue;
        };
        let (Some(&a), Some(&b)) = (map.get(from), map.get(to)) else {
            continue;
        };
        if a < b {
            out.push(StatedPlace {
                direction,
                bytes: a..b,
                start: description.get(..a).map_or(0, |s| s.chars().count()),
            });
        }
    }
    out
}

/// The byte range in `folded` of the phrase that starts at `at`, after a cue: past
/// separators (`:`, `-`, spaces), up to a character that ends a phrase, a stop word,
/// or [`MAX_WORDS`] words; without trailing full stops.
fn phrase_after(folded: &str, at: usize) -> Option<(usize, usize)> {
    let rest = folded.get(at..)?;
    let skip = rest
        .char_indices()
        .find(|&(_, c)| !matches!(c, ' ' | ':' | '：' | '=' | '.' | '#' | '>' | '→' | '"'))
        .map_or(rest.len(), |(i, _)| i);
    let start = at + skip;
    let mut end = start;
    for (ws, we) in WordsFrom::new(folded, start).take(MAX_WORDS) {
        let text = folded.get(ws..we).unwrap_or_default();
        if STOP_WORDS.contains(&text) {
            break;
        }
        end = we;
    }
    let trimmed = folded
        .get(start..end)?
        .trim_end_matches(['.', ' ', '!', '?']);
    (!trimmed.is_empty()).then_some((start, start + trimmed.len()))
}

/// The words of `folded` from byte `at` to the first character that ends a phrase:
/// their byte ranges.
struct WordsFrom<'a> {
    text: &'a str,
    at: usize,
    done: bool,
}

impl<'a> WordsFrom<'a> {
    fn new(text: &'a str, at: usize) -> Self {
        WordsFrom {
            text,
            at,
            done: false,
        }
    }
}

impl Iterator for WordsFrom<'_> {
    type Item = (usize, usize);

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let rest = self.text.get(self.at..)?;
        let (ws, first) = rest.char_indices().find(|&(_, c)| c != ' ')?;
        if ends_phrase(first) {
            self.done = true;
            return None;
        }
        let ws = self.at + ws;
        let tail = self.text.get(ws..)?;
        let (len, cut) = tail
            .char_indices()
            .find(|&(_, c)| c == ' ' || ends_phrase(c))
            .map_or((tail.len(), false), |(i, c)| (i, ends_phrase(c)));
        self.at = ws + len;
        self.done = cut;
        Some((ws, ws + len))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn said(text: &str) -> Vec<(Direction, &str)> {
        stated_places(text)
            .into_iter()
            .map(|s| (s.direction, text.get(s.bytes).unwrap_or_default()))
            .collect()
    }

    #[test]
    fn reads_the_words_after_a_cue_up_to_the_end_of_the_phrase() {
        use Direction::{Destination as D, Origin as O};
        let cases: &[(&str, &[(Direction, &str)])] = &[
            ("frozen snow crab, origin: Rason", &[(O, "Rason")]),
            ("frozen squid, product of Korea DPR", &[(O, "Korea DPR")]),
            ("men's wool suits, made in Sinuiju", &[(O, "Sinuiju")]),
            ("men's suits, made in D.P.R. Korea.", &[(O, "D.P.R. Korea")]),
            ("frozen squid, origin: KP", &[(O, "KP")]),
            ("Herrenanzüge, Ursprung Nordkorea", &[(O, "Nordkorea")]),
            ("冻鱿鱼 产地:罗先", &[(O, "罗先")]),
            ("冻鱿鱼 原产地：朝鲜，20吨", &[(O, "朝鲜")]),
            (
                "Lexus LX570 SUV, final destination Pyongyang",
                &[(D, "Pyongyang")],
            ),
            ("雷克萨斯LX570 最终目的地:平壤", &[(D, "平壤")]),
            ("Lexus LX570 SUV for re-export to DPRK", &[(D, "DPRK")]),
            ("coal, origin Nampo via Dalian", &[(O, "Nampo")]),
            (
                "suits made in Italy, destination Pyongyang",
                &[(O, "Italy"), (D, "Pyongyang")],
            ),
            ("Origin brand shoes", &[(O, "brand shoes")]),
            ("original paintings", &[]),
            ("destination:", &[]),
            ("원산지: 북한", &[(O, "북한")]),
        ];
        for (text, want) in cases {
            assert_eq!(said(text), *want, "{text}");
        }
    }

    #[test]
    fn offsets_are_characters_of_the_description() {
        let text = "冻鱿鱼 产地:罗先";
        let s = stated_places(text);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].start, 7);
    }
}
