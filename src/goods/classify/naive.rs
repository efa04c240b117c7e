//! The classifier restated the slow, obvious way, for the tests: one Aho-Corasick
//! automaton of every term pattern run over the whole normalized text (normalized by
//! the naive normalizer, with its offset map), every category decided one at a time.
//! The tests below hold the production classifier to the same categories with the
//! same evidence, on the shipped rules and on categories made to meet the edges of
//! the matcher.

use aho_corasick::{AhoCorasick, MatchKind};
use proptest::prelude::*;

use super::build::{NameSide, Role, Use};
use super::evidence::{char_slice, two_weak_terms, Hit};
use super::find::Between;
use super::tests::{category, excluded, hs_prefix, ids, term};
use super::{CategoryMatch, Classifier, Evidence, EvidenceKind, GoodsLine, Scratch};
use crate::refdata::hs::HsCode;
use crate::rules::ir::{Category, ExcludedTerm, Rates, Strength};
use crate::text::goods::naive::naive;
use crate::text::goods::Normalized;

/// The naive classifier.
pub(super) struct Naive {
    classifier: Classifier,
    automaton: Option<AhoCorasick>,
}

impl Naive {
    pub(super) fn new(classifier: &Classifier) -> Naive {
        let texts: Vec<&str> = classifier
            .inner
            .patterns
            .iter()
            .map(|p| p.spec.text.as_str())
            .collect();
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&texts)
            .ok()
            .filter(|_| !texts.is_empty());
        Naive {
            classifier: classifier.clone(),
            automaton,
        }
    }

    pub fn classify(&self, line: &GoodsLine) -> Vec<CategoryMatch> {
        let inner = &*self.classifier.inner;
        let mut norm: Normalized = naive(line.text());
        let mut hits = Vec::new();
        let mut state = vec![CatState::default(); inner.categories.len()];
        let (norm, hits, state) = (&mut norm, &mut hits, &mut state);

        if let Some(ac) = &self.automaton {
            let text = norm.text.as_bytes();
            let mut matches = Vec::new();
            for m in ac.find_overlapping_iter(norm.text.as_str()) {
                let Some(p) = inner.patterns.get(m.pattern().as_usize()) else {
                    continue;
                };
                let (open_start, open_end) = (p.spec.open_start(), p.spec.open_end());
                let left_ok = open_start || text.get(m.start().wrapping_sub(1)) == Some(&b' ');
                let right_ok = p.spec.prefix || open_end || text.get(m.end()) == Some(&b' ');
                if left_ok && right_ok {
                    matches.push((p, m.start(), m.end()));
                }
            }
            // A match next to a name word on its side is a name.
            let names: Vec<_> = matches
                .iter()
                .filter_map(|&(p, start, end)| Some((p.name_word?, start, end)))
                .collect();
            let next_to =
                |end: usize, start: usize| Between::Normalized.adjacent(end as u32, start as u32);
            for &(p, start, end) in &matches {
                let named = names.iter().any(|&(side, w_start, w_end)| match side {
                    NameSide::After => next_to(end, w_start),
                    NameSide::Before => next_to(w_end, start),
                });
                if p.name_word.is_some() || named {
                    continue;
                }
                for u in &p.uses {
                    record(state, hits, *u, EvidenceKind::Term, start, end);
                }
            }
        }

        let code = line.hs.as_deref().and_then(HsCode::parse);
        if let Some(code) = &code {
            let mut value: u64 = 0;
            for (k, b) in code.digits.bytes().enumerate() {
                value = value * 10 + u64::from(b.wrapping_sub(b'0'));
                let n = k + 1;
                if n < 2 {
                    continue;
                }
                let uses = inner.hs.get(value * 16 + n as u64);
                for u in uses.map(|c| inner.code_uses(c)).unwrap_or_default() {
                    record(state, hits, *u, EvidenceKind::Hs, 0, n);
                }
            }
        }

        let mut out = Vec::new();
        let mut unit_value: Option<Option<f64>> = None;
        // Every category, in order, one at a time: the classifier decides them 64 at
        // a time, from sets of categories, which this checks rather than shares.
        for ci in 0..inner.categories.len() as u32 {
            let Some(&s) = state.get(ci as usize) else {
                continue;
            };
            let matched =
                s.strong || (s.weak_term && s.weak_hs) || (s.weak_term && two_weak_terms(hits, ci));
            // An exclusion term yields to a strong term with a strong code of the category;
            // an exclusion code to a strong term with no exclusion term.
            let named = s.strong_term && !s.excluded_term;
            let vetoed =
                (s.excluded_hs && !named) || (s.excluded_term && !(s.strong_term && s.coded));
            if vetoed || !matched {
                continue;
            }
            let Some(cat) = inner.categories.get(ci as usize) else {
                continue;
            };
            let mut unit_usd = None;
            if let Some(threshold) = cat.threshold_usd {
                let unit = *unit_value.get_or_insert_with(|| self.classifier.unit_value_usd(line));
                if unit.is_some_and(|u| u <= threshold) {
                    continue;
                }
                unit_usd = unit;
            }
            let mut evidence: Vec<Evidence> = Vec::new();
            for h in hits.iter().filter(|h| h.category == ci) {
                let found = match h.kind {
                    EvidenceKind::Term => norm.original_span(h.start, h.end).map(|(a, b)| {
                        (a, b, char_slice(line.text(), line.text().is_ascii(), a, b))
                    }),
                    EvidenceKind::Hs => code.as_ref().and_then(|c| {
                        let hs = line.hs.as_deref().unwrap_or("");
                        let (a, b) = c.span_of_prefix(h.end)?;
                        Some((a, b, char_slice(hs, hs.is_ascii(), a, b)))
                    }),
                };
                if let Some((start, end, text)) = found {
                    evidence.push(Evidence {
                        kind: h.kind,
                        text,
                        start,
                        end,
                        strength: if h.strong {
                            Strength::Strong
                        } else {
                            Strength::Weak
                        },
                        mismatch: h.mismatch,
                    });
                }
            }
            evidence.sort_by_key(|e| {
                (
                    e.kind == EvidenceKind::Hs,
                    e.start,
                    e.end,
                    e.mismatch,
                    e.strength == Strength::Weak,
                )
            });
            // One piece of evidence per place, the strong one if any.
            evidence.dedup_by_key(|e| (e.kind, e.start, e.end));
            // `Rolls-Royce Cullinan` says it all; `Cullinan` inside it adds nothing.
            let spans: Vec<(usize, usize)> = evidence
                .iter()
                .filter(|e| e.kind == EvidenceKind::Term)
                .map(|e| (e.start, e.end))
                .collect();
            evidence.retain(|e| {
                e.kind == EvidenceKind::Hs
                    || !spans
                        .iter()
                        .any(|&(s, t)| s <= e.start && e.end <= t && (s, t) != (e.start, e.end))
            });
            out.push(CategoryMatch {
                category: ci as usize,
                evidence: evidence.into(),
                unit_value_usd: unit_usd,
            });
        }
        out
    }
}

/// What a line's finds say of one category.
#[derive(Debug, Clone, Copy, Default)]
struct CatState {
    excluded_term: bool,
    excluded_hs: bool,
    strong: bool,
    strong_term: bool,
    coded: bool,
    weak_term: bool,
    weak_hs: bool,
}

/// Records one use of a term or code found on the line: its category's state, and the
/// first place each term was found.
fn record(
    state: &mut [CatState],
    hits: &mut Vec<Hit>,
    u: Use,
    kind: EvidenceKind,
    start: usize,
    end: usize,
) {
    let Some(st) = state.get_mut(u.category as usize) else {
        return;
    };
    match u.role {
        // An exclusion code is evidence too: of a mismatch, should the category match.
        Role::Exclude => match kind {
            EvidenceKind::Hs => st.excluded_hs = true,
            EvidenceKind::Term => {
                st.excluded_term = true;
                return;
            }
        },
        Role::Strong => {
            st.strong = true;
            match kind {
                EvidenceKind::Hs => st.coded = true,
                EvidenceKind::Term => st.strong_term = true,
            }
        }
        Role::Weak => match kind {
            EvidenceKind::Hs => st.weak_hs = true,
            EvidenceKind::Term => st.weak_term = true,
        },
    }
    let seen = hits
        .iter()
        .any(|h| h.category == u.category && h.kind == kind && h.term == u.term);
    if !seen {
        hits.push(Hit {
            category: u.category,
            term: u.term,
            strong: u.role == Role::Strong,
            mismatch: u.role == Role::Exclude,
            kind,
            start,
            end,
        });
    }
}

/// The shipped ruleset's classifier, the naive classifier over the same
/// categories, and the raw terms and codes of its categories (to build lines from).
pub(super) struct Shipped {
    classifier: Classifier,
    naive: Naive,
    terms: Vec<String>,
    codes: Vec<String>,
}

fn shipped() -> &'static Shipped {
    static S: std::sync::OnceLock<Shipped> = std::sync::OnceLock::new();
    S.get_or_init(|| {
        let checked = crate::rules::load_embedded(&crate::rules::CompileOptions::default());
        let rules = checked.ruleset.expect("the default ruleset compiles");
        let classifier = Classifier::new(&rules);
        with_naive(classifier)
    })
}

pub(super) fn with_naive(classifier: Classifier) -> Shipped {
    let naive = Naive::new(&classifier);
    let cats = classifier.categories();
    let terms = cats
        .iter()
        .flat_map(|c| {
            c.terms
                .iter()
                .map(|t| t.text.trim_end_matches('*').to_string())
                .chain(c.exclude_terms.iter().map(|x| x.text.clone()))
        })
        .collect();
    let codes = cats
        .iter()
        .flat_map(|c| {
            c.hs.iter()
                .map(|h| h.digits.clone())
                .chain(c.exclude_hs.iter().cloned())
        })
        .collect();
    Shipped {
        classifier,
        naive,
        terms,
        codes,
    }
}

/// Words that exercise the normalizer and the matcher around the terms: case,
/// plurals, abbreviations, apostrophes, diacritics, compatibility forms, CJK and
/// Hangul runs, Cyrillic, numbers, prices and counts.
const TRICKY: &[&str] = &[
    "btls",
    "PCS",
    "lux",
    "LUXE",
    "edp",
    "Hermès",
    "ß",
    "Straße",
    "ＬＵＸ",
    "ﬁne",
    "İ",
    "'s",
    "’s",
    "men's",
    "watches",
    "boxes",
    "scarves",
    "knives",
    "halves",
    "babies",
    "accessories",
    "钻石戒指",
    "三星Galaxy手机",
    "양주",
    "발렌타인",
    "Золотые",
    "серьги",
    "Ёлка",
    "😀",
    "\u{301}",
    "e\u{301}",
    "-",
    "/",
    "@",
    "USD 2.50/pc",
    "EUR 900 each",
    "1 set",
    "4 pcs",
    "12YRS",
    "LX570",
    "700ml",
    "x6",
    "\t",
    "Ⅻ",
    "①",
    "ｶﾀｶﾅ",
    "ﾞ",
    "ǅ",
    "σς",
    "½",
    "\u{a0}",
    "\u{200b}",
    "œ",
    "ł",
    "a",
    "s",
    "x",
    "12",
    "",
    "''",
];
const SEPARATORS: &[&str] = &[" ", " ", " ", ",", "", "-", "/", "'", "  ", "·", "，", ". "];

/// `w` as traders change a term, the first five of the ways the line generators
/// know: in capitals, with `s` or `es`, hyphenated, or with `y` made `ies`.
fn vary_as_written(w: &mut String, way: u8) {
    match way {
        0 => *w = w.to_uppercase(),
        1 => w.push('s'),
        2 => w.push_str("es"),
        3 => *w = w.replace(' ', "-"),
        4 if w.ends_with('y') => {
            w.pop();
            w.push_str("ies");
        }
        _ => {}
    }
}

/// A goods line made of terms of the ruleset (changed in case, number, hyphenation
/// or truncated) and tricky words, with a code that often falls under a category.
fn line_from(
    s: &Shipped,
    words: &[(prop::sample::Index, u8, usize)],
    hs: &Option<(prop::sample::Index, String, u8)>,
    value: Option<(f64, bool)>,
) -> GoodsLine {
    let mut text = String::new();
    for (pick, how, sep) in words {
        let mut w = if how % 3 == 0 || s.terms.is_empty() {
            TRICKY[pick.index(TRICKY.len())].to_string()
        } else {
            s.terms[pick.index(s.terms.len())].clone()
        };
        match how / 3 {
            way @ 0..=4 => vary_as_written(&mut w, way),
            5 => {
                // The start of a word, as a prefix term meets it.
                let cut = w.char_indices().nth(w.chars().count() / 2 + 1);
                if let Some((i, _)) = cut {
                    w.truncate(i);
                }
            }
            6 => w.insert(0, 'x'),
            _ => {}
        }
        text.push_str(&w);
        text.push_str(SEPARATORS[sep % SEPARATORS.len()]);
    }
    let mut line = GoodsLine::new(text);
    if let Some((pick, tail, style)) = hs {
        let mut code = if s.codes.is_empty() {
            String::new()
        } else {
            s.codes[pick.index(s.codes.len())].clone()
        };
        code.push_str(tail);
        if style % 3 == 0 && code.len() > 4 {
            code.insert(4, '.');
        }
        if style % 5 == 1 {
            code.insert_str(0, "HS ");
        }
        line.hs = Some(code);
    }
    if let Some((v, eur)) = value {
        line.value = Some(v);
        line.currency = Some(if eur { "EUR" } else { "USD" }.into());
    }
    line
}

/// ASCII words around which the ASCII path of [`ascii_words_into`] must spell what
/// the general normalizer writes: abbreviations, plurals that drop or replace
/// letters, apostrophes inside and around words, letters glued to digits.
const ASCII_TRICKY: &[&str] = &[
    "btls",
    "BTL'S",
    "ctns",
    "pcs",
    "PCS",
    "lux",
    "LUXE",
    "edp",
    "edt",
    "yrs",
    "12YRS",
    "jewelry",
    "whiskies",
    "scarves",
    "knives",
    "shelves",
    "halves",
    "babies",
    "accessories",
    "watches",
    "boxes",
    "glasses",
    "men's",
    "'s",
    "'50s",
    "a'5",
    "x6",
    "LX570",
    "700ml",
    "4pcs",
    "USD 2.50/pc",
    "1 set",
    "s",
    "x",
    "a",
    "12",
    "''",
    "`",
];
const ASCII_SEPARATORS: &[&str] = &[" ", " ", ",", "", "-", "/", "'", "  ", ". ", "`", "'s "];

/// An ASCII goods line made of ASCII terms of the ruleset (changed in case, number,
/// hyphenation, truncated, glued to digits or cut by an apostrophe) and
/// [`ASCII_TRICKY`] words.
fn ascii_line_from(
    s: &Shipped,
    words: &[(prop::sample::Index, u8, usize)],
    hs: &Option<(prop::sample::Index, String, u8)>,
) -> GoodsLine {
    let terms: Vec<&String> = s.terms.iter().filter(|t| t.is_ascii()).collect();
    let mut text = String::new();
    for (pick, how, sep) in words {
        let mut w = if how % 3 == 0 || terms.is_empty() {
            ASCII_TRICKY[pick.index(ASCII_TRICKY.len())].to_string()
        } else {
            terms[pick.index(terms.len())].clone()
        };
        match how / 3 {
            way @ 0..=4 => vary_as_written(&mut w, way),
            5 => w.truncate(w.len() / 2 + 1),
            6 => w.insert_str(0, "12"),
            7 => w.push_str("700"),
            8 => w.insert(w.len() / 2, '\''),
            _ => {}
        }
        text.push_str(&w);
        text.push_str(ASCII_SEPARATORS[sep % ASCII_SEPARATORS.len()]);
    }
    let mut line = line_from(s, &[], hs, None);
    line.description = Some(text);
    line
}

pub(super) fn assert_same(
    s: &Shipped,
    line: &GoodsLine,
    scratch: &mut Scratch,
) -> Result<(), TestCaseError> {
    let want = s.naive.classify(line);
    let got = s.classifier.classify_with(line, scratch);
    prop_assert_eq!(got, want, "{:?}", line);
    Ok(())
}

fn words() -> impl Strategy<Value = Vec<(prop::sample::Index, u8, usize)>> {
    prop::collection::vec((any::<prop::sample::Index>(), 0..27u8, 0..24usize), 0..10)
}

fn code() -> impl Strategy<Value = Option<(prop::sample::Index, String, u8)>> {
    prop::option::of((any::<prop::sample::Index>(), "[0-9]{0,6}", any::<u8>()))
}

/// Categories whose terms meet at the edges of the matcher: a term and a prefix
/// term of the same text, prefix terms of several words and of one byte, terms
/// inside an expanded abbreviation, CJK and Hangul terms next to Latin ones.
fn edge_fixture() -> Classifier {
    let mut a = category("a");
    a.terms = vec![
        term("gold", Strength::Strong),
        term("gold*", Strength::Weak),
        term("rolls roy*", Strength::Weak),
        term("x*", Strength::Weak),
        term("parfum", Strength::Weak),
        term("de parfum", Strength::Weak),
        term("eau", Strength::Weak),
        term("三星 galaxy", Strength::Strong),
        term("galaxy 手机", Strength::Weak),
        term("명품 가방", Strength::Weak),
        term("铂金", Strength::Weak),
        term("s", Strength::Weak),
        term("bottle carton", Strength::Weak),
    ];
    a.exclude_terms = excluded(&["goldsmith"]);
    let mut b = category("b");
    b.terms = vec![
        term("gold*", Strength::Strong),
        term("gold", Strength::Weak),
        term("royce", Strength::Weak),
        term("elec*", Strength::Weak),
        // Prefixes that a short plural meets only once respelled (`knives` is
        // `knife`, `babies` is `baby`): the word's first bytes change.
        term("knif*", Strength::Weak),
        term("baby*", Strength::Weak),
        term("half*", Strength::Weak),
        term("Galaxy", Strength::Weak),
        term("ＬＵＸ", Strength::Weak),
        term("钻石", Strength::Weak),
        term("戒指", Strength::Weak),
    ];
    b.threshold_usd = Some(100.0);
    Classifier::from_categories(&[a, b], Rates::default())
}

#[test]
fn same_as_naive_on_examples() {
    let s = shipped();
    let mut scratch = Scratch::new();
    let lines = [
        "Rolex Submariner watches, 2 pcs",
        "Lexus LX600 lamps per 100m",
        "LUX HANDBAGS ASSORTED",
        "Hennessy XO 0.7L x 6 btls",
        "钻石戒指 铂金",
        "高级钻石戒指两枚",
        "Золотые серьги с бриллиантами",
        "양주 발렌타인 30년",
        "Teppich handgeknüpft",
        "hand-knotted rugs, 10 pcs @ USD 450",
        "Rolls-Royce Cullinan",
        "Notify: Zoë — 2× Hand-Knotted rugs, Rolls-Royce car",
    ];
    for text in lines {
        for hs in [None, Some("8703.24"), Some("HS 9101 21"), Some("x")] {
            let mut line = GoodsLine::new(text);
            line.hs = hs.map(String::from);
            if let Err(e) = assert_same(s, &line, &mut scratch) {
                panic!("{e}");
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn same_as_naive_on_shipped_rules(
        words in words(),
        hs in code(),
        value in prop::option::of((0.0..5000.0f64, any::<bool>())),
    ) {
        let s = shipped();
        let line = line_from(s, &words, &hs, value);
        assert_same(s, &line, &mut Scratch::new())?;
    }

    #[test]
    fn same_as_naive_on_ascii_lines(words in words(), hs in code()) {
        let s = shipped();
        let line = ascii_line_from(s, &words, &hs);
        prop_assert!(line.text().is_ascii());
        assert_same(s, &line, &mut Scratch::new())?;
    }

    #[test]
    fn same_as_naive_on_ascii_edge_terms(words in words(), hs in code()) {
        static S: std::sync::OnceLock<Shipped> = std::sync::OnceLock::new();
        let s = S.get_or_init(|| with_naive(edge_fixture()));
        let line = ascii_line_from(s, &words, &hs);
        assert_same(s, &line, &mut Scratch::new())?;
    }

    #[test]
    fn same_as_naive_on_edge_terms(words in words(), hs in code()) {
        static S: std::sync::OnceLock<Shipped> = std::sync::OnceLock::new();
        let s = S.get_or_init(|| with_naive(edge_fixture()));
        let line = line_from(s, &words, &hs, None);
        assert_same(s, &line, &mut Scratch::new())?;
    }

    #[test]
    fn same_as_naive_on_any_text(desc in any::<String>(), hs in prop::option::of(any::<String>())) {
        let s = shipped();
        let line = GoodsLine { description: Some(desc), hs, ..GoodsLine::default() };
        assert_same(s, &line, &mut Scratch::new())?;
    }
}

/// Categories are decided 64 at a time: a ruleset with more than 64 has them in
/// two words of bits, and a category in the second must be decided as one in the
/// first, each in the same way as the naive classifier decides it.
#[test]
fn categories_past_the_first_64() {
    let cats: Vec<Category> = (0..70)
        .map(|i| {
            let mut c = category(&format!("c{i}"));
            c.terms = vec![
                term(&format!("strong{i}"), Strength::Strong),
                term(&format!("weak{i}"), Strength::Weak),
                term(&format!("other{i}"), Strength::Weak),
            ];
            c.hs = vec![hs_prefix(&format!("{}", 1000 + i), Strength::Weak)];
            c.exclude_terms = vec![ExcludedTerm::new(format!("not{i}"))];
            c
        })
        .collect();
    let s = with_naive(Classifier::from_categories(&cats, Rates::default()));
    let ids = |line: &GoodsLine| ids(&s.classifier, line);
    let lines = [
        (GoodsLine::new("strong3 strong66"), vec!["c3", "c66"]),
        (GoodsLine::new("weak66 other66 weak3"), vec!["c66"]),
        (GoodsLine::new("weak66 weak66"), vec![]),
        (GoodsLine::new("weak67").with_hs("1067.10"), vec!["c67"]),
        (GoodsLine::new("strong68 not68 strong64"), vec!["c64"]),
        (
            GoodsLine::new("weak65 other65 not65").with_hs("1065"),
            vec![],
        ),
    ];
    let mut scratch = Scratch::new();
    for (line, want) in lines {
        assert_eq!(ids(&line), want, "{line:?}");
        assert_same(&s, &line, &mut scratch).expect("as the naive classifier");
    }
}

#[test]
fn scratch_reuse_does_not_leak_between_lines() {
    let s = shipped();
    let mut scratch = Scratch::new();
    let runner_lines = [
        GoodsLine::new("钻石戒指 Rolex"),
        GoodsLine::new("steel pipes"),
        GoodsLine::new("LUX bags").with_hs("4202.21"),
        GoodsLine::new(""),
        GoodsLine::new("Hermès scarves"),
    ];
    for _ in 0..2 {
        for line in &runner_lines {
            assert_eq!(
                s.classifier.classify_with(line, &mut scratch),
                s.naive.classify(line),
                "{line:?}"
            );
        }
    }
}
