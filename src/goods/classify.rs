//! The goods classifier: which categories a goods line falls in, and why.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use rustc_hash::FxHashMap;
use serde::Serialize;

use super::hs::{self, HsCode};
use super::normalize::{is_cjk, normalize, normalize_into, Normalized};
use super::price;
use crate::rules::ir::{Category, Ruleset, Strength};

/// One goods line of an invoice or order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GoodsLine {
    /// Free-text description as the trader wrote it.
    pub description: String,
    /// HS / CN / HTS / Schedule B code, with or without dots.
    pub hs: Option<String>,
    /// Declared value of the whole line.
    pub value: Option<f64>,
    /// ISO 4217 currency of `value` (USD when absent).
    pub currency: Option<String>,
    /// Number of items on the line.
    pub quantity: Option<f64>,
}

impl GoodsLine {
    /// A line with only a description.
    pub fn new(description: impl Into<String>) -> Self {
        GoodsLine {
            description: description.into(),
            ..GoodsLine::default()
        }
    }

    /// Sets the tariff code.
    pub fn with_hs(mut self, hs: impl Into<String>) -> Self {
        self.hs = Some(hs.into());
        self
    }

    /// Sets the declared value and its currency.
    pub fn with_value(mut self, value: f64, currency: impl Into<String>) -> Self {
        self.value = Some(value);
        self.currency = Some(currency.into());
        self
    }

    /// Sets the quantity.
    pub fn with_quantity(mut self, quantity: f64) -> Self {
        self.quantity = Some(quantity);
        self
    }
}

/// What a piece of evidence was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EvidenceKind {
    /// A term of the category, found in the description.
    Term,
    /// A code prefix of the category, found in the HS code.
    Hs,
}

/// A term or code that made a category match.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    /// Term or HS code.
    pub kind: EvidenceKind,
    /// The matched text exactly as written in the description (or the code).
    pub text: String,
    /// Character offset where it starts (in the description, or in the code for `hs`).
    pub start: usize,
    /// Character offset just after it.
    pub end: usize,
    /// Whether the term or code was strong or weak in the category.
    #[serde(skip)]
    pub strength: Strength,
}

/// A category the line falls in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CategoryMatch {
    /// Index into the categories the classifier was built from
    /// (`ruleset.categories` for [`Classifier::new`]).
    pub category: usize,
    /// The terms and codes found, terms first, in order of position.
    pub evidence: Vec<Evidence>,
    /// The value of one item in US dollars, when the category has a threshold and the
    /// value was known.
    pub unit_value_usd: Option<f64>,
}

/// Finds goods categories in goods lines.
///
/// Built once from the categories of a ruleset, then shared: it is immutable, cheap to
/// clone and `Send + Sync`. Per-call scratch space lives in a thread-local [`Scratch`]
/// (or one the caller passes to [`Classifier::classify_with`]).
///
/// A category matches a line when it has one strong piece of evidence or two weak
/// ones (a weak term and a weak code, or two different weak terms), no exclusion term
/// or code, and, with a threshold, the value of one item above it or not stated.
///
/// # Examples
///
/// ```
/// use embargo::goods::{Classifier, GoodsLine};
/// use embargo::rules::ir::{Category, HsPrefix, Strength, Term};
///
/// let term = |t: &str, strength| Term { text: t.into(), lang: None, strength };
/// let watches = Category {
///     id: "watches".into(),
///     title: "Luxury watches".into(),
///     tags: vec!["luxury".into()],
///     basis: vec!["EU Reg. 2017/1509, Annex VIII".into()],
///     terms: vec![term("rolex", Strength::Strong), term("watch", Strength::Weak)],
///     hs: vec![HsPrefix { digits: "9101".into(), strength: Strength::Strong }],
///     exclude_terms: vec!["toy".into()],
///     exclude_hs: vec![],
///     threshold_usd: None,
///     threshold_text: None,
/// };
/// let classifier = Classifier::from_categories(&[watches], Default::default());
///
/// let hits = classifier.classify(&GoodsLine::new("2x ROLEX Submariner watches"));
/// assert_eq!(hits.len(), 1);
/// assert_eq!(hits[0].evidence[0].text, "ROLEX");
/// assert_eq!((hits[0].evidence[0].start, hits[0].evidence[0].end), (3, 8));
///
/// // A weak term alone is not enough; an exclusion vetoes.
/// assert!(classifier.classify(&GoodsLine::new("watch straps")).is_empty());
/// assert!(classifier.classify(&GoodsLine::new("Rolex toy watch")).is_empty());
/// // Codes match by prefix, with or without dots.
/// assert_eq!(classifier.classify(&GoodsLine::new("see invoice").with_hs("9101.21")).len(), 1);
/// ```
#[derive(Debug, Clone)]
pub struct Classifier {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    categories: Vec<Category>,
    automaton: Option<AhoCorasick>,
    patterns: Vec<Pattern>,
    /// Keyed by [`hs::key`]; looked up once per digit of every line's code, so with a
    /// fast hash (the keys come from the ruleset, not from traders).
    hs: FxHashMap<u64, Vec<Use>>,
    rates: BTreeMap<String, f64>,
}

/// A distinct normalized term and every category that uses it.
#[derive(Debug)]
struct Pattern {
    /// Matches a word prefix (`автомобил*`): no boundary after it.
    prefix: bool,
    /// Starts / ends with a CJK character: no boundary needed there.
    open_start: bool,
    open_end: bool,
    uses: Vec<Use>,
}

#[derive(Debug, Clone, Copy)]
struct Use {
    category: u32,
    /// Identifies the term within the category, so that two occurrences of one weak
    /// term are not mistaken for two different weak terms.
    term: u32,
    role: Role,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Strong,
    Weak,
    Exclude,
}

impl From<Strength> for Role {
    fn from(s: Strength) -> Role {
        match s {
            Strength::Strong => Role::Strong,
            Strength::Weak => Role::Weak,
        }
    }
}

/// Reusable per-thread buffers for [`Classifier::classify_with`].
#[derive(Debug, Default)]
pub struct Scratch {
    norm: Normalized,
    hits: Vec<Hit>,
    state: Vec<CatState>,
    touched: Vec<u32>,
}

impl Scratch {
    /// Empty buffers; they grow to fit on first use.
    pub fn new() -> Self {
        Scratch::default()
    }
}

/// One piece of evidence found for one category, before it is checked.
#[derive(Debug, Clone, Copy)]
struct Hit {
    category: u32,
    term: u32,
    strong: bool,
    kind: EvidenceKind,
    /// Byte range in the normalized text, or digit count of the code prefix.
    start: usize,
    end: usize,
}

#[derive(Debug, Clone, Copy, Default)]
struct CatState {
    touched: bool,
    excluded: bool,
    strong: bool,
    weak_term: bool,
    weak_hs: bool,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::new());
}

impl Classifier {
    /// Builds a classifier for every category of a compiled ruleset, converting values
    /// with the ruleset's rates.
    pub fn new(ruleset: &Ruleset) -> Self {
        Classifier::from_categories(&ruleset.categories, ruleset.rates.clone())
    }

    /// Builds a classifier for `categories`, converting values to US dollars with
    /// `rates` (US dollars per unit of each currency; `USD` is always 1).
    pub fn from_categories(categories: &[Category], rates: BTreeMap<String, f64>) -> Self {
        let mut by_text: HashMap<(String, bool), usize> = HashMap::new();
        let mut texts: Vec<String> = Vec::new();
        let mut patterns: Vec<Pattern> = Vec::new();
        let mut hs_map: FxHashMap<u64, Vec<Use>> = FxHashMap::default();

        let mut add = |raw: &str, use_: Use| {
            let (body, prefix) = match raw.trim().strip_suffix('*') {
                Some(b) => (b, true),
                None => (raw, false),
            };
            let norm = normalize(body).text.trim().to_string();
            if norm.is_empty() {
                return;
            }
            let id = *by_text.entry((norm.clone(), prefix)).or_insert_with(|| {
                patterns.push(Pattern {
                    prefix,
                    open_start: norm.chars().next().is_some_and(is_cjk),
                    open_end: norm.chars().next_back().is_some_and(is_cjk),
                    uses: Vec::new(),
                });
                texts.push(norm);
                patterns.len() - 1
            });
            if let Some(p) = patterns.get_mut(id) {
                p.uses.push(use_);
            }
        };

        for (ci, cat) in categories.iter().enumerate() {
            let category = ci as u32;
            for (ti, t) in cat.terms.iter().enumerate() {
                let use_ = Use {
                    category,
                    term: ti as u32,
                    role: t.strength.into(),
                };
                add(&t.text, use_);
            }
            for (xi, x) in cat.exclude_terms.iter().enumerate() {
                let use_ = Use {
                    category,
                    term: (cat.terms.len() + xi) as u32,
                    role: Role::Exclude,
                };
                add(x, use_);
            }
            let codes = cat
                .hs
                .iter()
                .map(|h| (h.digits.as_str(), Role::from(h.strength)))
                .chain(cat.exclude_hs.iter().map(|d| (d.as_str(), Role::Exclude)));
            for (hi, (digits, role)) in codes.enumerate() {
                let digits: String = digits.chars().filter(char::is_ascii_digit).collect();
                if let Some(k) = hs::key(&digits) {
                    hs_map.entry(k).or_default().push(Use {
                        category,
                        term: hi as u32,
                        role,
                    });
                }
            }
        }

        let automaton = if texts.is_empty() {
            None
        } else {
            // A DFA is the fastest search; it is also the largest, so fall back to the
            // automatic choice if a very large ruleset makes it too big to build.
            let build = |kind| {
                AhoCorasick::builder()
                    .match_kind(MatchKind::Standard)
                    .kind(kind)
                    .build(&texts)
            };
            build(Some(AhoCorasickKind::DFA))
                .or_else(|_| build(None))
                .ok()
        };
        let mut rates = rates;
        rates.insert("USD".into(), 1.0);
        Classifier {
            inner: Arc::new(Inner {
                categories: categories.to_vec(),
                automaton,
                patterns,
                hs: hs_map,
                rates,
            }),
        }
    }

    /// The categories this classifier was built from; [`CategoryMatch::category`]
    /// indexes into them.
    pub fn categories(&self) -> &[Category] {
        &self.inner.categories
    }

    /// The categories `line` falls in, in category order.
    pub fn classify(&self, line: &GoodsLine) -> Vec<CategoryMatch> {
        SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut scratch) => self.classify_with(line, &mut scratch),
            Err(_) => self.classify_with(line, &mut Scratch::new()),
        })
    }

    /// [`Classifier::classify`] with caller-owned scratch buffers.
    pub fn classify_with(&self, line: &GoodsLine, scratch: &mut Scratch) -> Vec<CategoryMatch> {
        let inner = &*self.inner;
        let Scratch {
            norm,
            hits,
            state,
            touched,
        } = scratch;
        hits.clear();
        touched.clear();
        if state.len() != inner.categories.len() {
            state.clear();
            state.resize(inner.categories.len(), CatState::default());
        }

        normalize_into(&line.description, norm);
        if let Some(ac) = &inner.automaton {
            let text = norm.text.as_bytes();
            for m in ac.find_overlapping_iter(norm.text.as_str()) {
                let Some(p) = inner.patterns.get(m.pattern().as_usize()) else {
                    continue;
                };
                let left_ok = p.open_start || text.get(m.start().wrapping_sub(1)) == Some(&b' ');
                let right_ok = p.prefix || p.open_end || text.get(m.end()) == Some(&b' ');
                if !(left_ok && right_ok) {
                    continue;
                }
                for u in &p.uses {
                    record(
                        state,
                        touched,
                        hits,
                        *u,
                        EvidenceKind::Term,
                        m.start(),
                        m.end(),
                    );
                }
            }
        }

        let code = line.hs.as_deref().and_then(HsCode::parse);
        if let Some(code) = &code {
            // The key of each prefix, built digit by digit (see `hs::key`) rather than
            // parsing every prefix afresh.
            let mut value: u64 = 0;
            for (k, b) in code.digits.bytes().enumerate() {
                value = value * 10 + u64::from(b.wrapping_sub(b'0'));
                let n = k + 1;
                if n < 2 {
                    continue;
                }
                let Some(uses) = inner.hs.get(&(value * 16 + n as u64)) else {
                    continue;
                };
                for u in uses {
                    record(state, touched, hits, *u, EvidenceKind::Hs, 0, n);
                }
            }
        }

        let mut out = Vec::new();
        let mut unit_value: Option<Option<f64>> = None;
        touched.sort_unstable();
        for &ci in touched.iter() {
            let Some(st) = state.get_mut(ci as usize) else {
                continue;
            };
            // Taking the state also resets it for the next line.
            let s = std::mem::take(st);
            let matched =
                s.strong || (s.weak_term && s.weak_hs) || (s.weak_term && two_weak_terms(hits, ci));
            if s.excluded || !matched {
                continue;
            }
            let Some(cat) = inner.categories.get(ci as usize) else {
                continue;
            };
            let mut unit_usd = None;
            if let Some(threshold) = cat.threshold_usd {
                let unit = *unit_value.get_or_insert_with(|| self.unit_value_usd(line));
                if unit.is_some_and(|u| u <= threshold) {
                    continue;
                }
                unit_usd = unit;
            }
            let mut evidence: Vec<Evidence> = Vec::new();
            for h in hits.iter().filter(|h| h.category == ci) {
                let found = match h.kind {
                    EvidenceKind::Term => norm
                        .original_span(h.start, h.end)
                        .map(|(a, b)| (a, b, char_slice(&line.description, a, b))),
                    EvidenceKind::Hs => code.as_ref().and_then(|c| {
                        let (a, b) = c.span_of_prefix(h.end)?;
                        Some((a, b, char_slice(line.hs.as_deref().unwrap_or(""), a, b)))
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
                    });
                }
            }
            evidence.sort_by_key(|e| (e.kind == EvidenceKind::Hs, e.start, e.end));
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
                evidence,
                unit_value_usd: unit_usd,
            });
        }
        out
    }

    /// The value of one item of `line` in US dollars: a unit price written in the
    /// description, else the line value divided by the quantity (the field, or a clear
    /// count in the text), converted at the classifier's rates. `None` when there is no
    /// value or its currency has no rate.
    pub fn unit_value_usd(&self, line: &GoodsLine) -> Option<f64> {
        if let Some(p) = price::unit_price(&line.description) {
            let currency = p.currency.or(line.currency.as_deref()).unwrap_or("USD");
            return self.to_usd(p.amount, currency);
        }
        let value = line.value.filter(|v| v.is_finite() && *v >= 0.0)?;
        let quantity = line
            .quantity
            .filter(|q| q.is_finite() && *q > 0.0)
            .or_else(|| price::item_count(&line.description))
            .unwrap_or(1.0);
        self.to_usd(value / quantity, line.currency.as_deref().unwrap_or("USD"))
    }

    fn to_usd(&self, amount: f64, currency: &str) -> Option<f64> {
        let code = currency.trim().to_ascii_uppercase();
        let code = if code.is_empty() { "USD".into() } else { code };
        self.inner.rates.get(&code).map(|r| amount * r)
    }
}

fn record(
    state: &mut [CatState],
    touched: &mut Vec<u32>,
    hits: &mut Vec<Hit>,
    u: Use,
    kind: EvidenceKind,
    start: usize,
    end: usize,
) {
    let Some(st) = state.get_mut(u.category as usize) else {
        return;
    };
    if !st.touched {
        st.touched = true;
        touched.push(u.category);
    }
    match u.role {
        Role::Exclude => {
            st.excluded = true;
            return;
        }
        Role::Strong => st.strong = true,
        Role::Weak => match kind {
            EvidenceKind::Hs => st.weak_hs = true,
            EvidenceKind::Term => st.weak_term = true,
        },
    }
    // One piece of evidence per term: the first place it was found.
    let seen = hits
        .iter()
        .any(|h| h.category == u.category && h.kind == kind && h.term == u.term);
    if !seen {
        hits.push(Hit {
            category: u.category,
            term: u.term,
            strong: u.role == Role::Strong,
            kind,
            start,
            end,
        });
    }
}

/// Whether category `ci` has two different weak terms found at places that do not
/// overlap: `watch case` holds `watch`, but is one piece of evidence, not two.
fn two_weak_terms(hits: &[Hit], ci: u32) -> bool {
    let weak = || {
        hits.iter()
            .filter(move |h| h.category == ci && h.kind == EvidenceKind::Term && !h.strong)
    };
    weak().enumerate().any(|(i, a)| {
        weak()
            .skip(i + 1)
            .any(|b| a.term != b.term && (a.end <= b.start || b.end <= a.start))
    })
}

fn char_slice(s: &str, start: usize, end: usize) -> String {
    // Character offsets are byte offsets in ASCII text, the usual invoice line.
    if s.is_ascii() {
        let end = end.min(s.len());
        return s.get(start.min(end)..end).unwrap_or("").to_string();
    }
    s.chars()
        .skip(start)
        .take(end.saturating_sub(start))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ir::{HsPrefix, Term};

    fn term(text: &str, strength: Strength) -> Term {
        Term {
            text: text.into(),
            lang: None,
            strength,
        }
    }

    fn category(id: &str) -> Category {
        Category {
            id: id.into(),
            title: id.into(),
            tags: vec!["luxury".into()],
            basis: vec!["test".into()],
            terms: vec![],
            hs: vec![],
            exclude_terms: vec![],
            exclude_hs: vec![],
            threshold_usd: None,
            threshold_text: None,
        }
    }

    fn fixture() -> Classifier {
        let mut jewellery = category("jewellery");
        jewellery.terms = vec![
            term("jewellery", Strength::Strong),
            term("gold necklace", Strength::Strong),
            term("jade", Strength::Weak),
            term("gold", Strength::Weak),
            term("necklace", Strength::Weak),
            term("钻石戒指", Strength::Strong),
            term("золот*", Strength::Weak),
            term("серьг*", Strength::Weak),
        ];
        jewellery.hs = vec![HsPrefix {
            digits: "7113".into(),
            strength: Strength::Strong,
        }];
        jewellery.exclude_terms = vec!["imitation".into(), "gold plated".into()];

        let mut drinks = category("drinks");
        drinks.terms = vec![
            term("cognac", Strength::Strong),
            term("xo", Strength::Weak),
            term("bottle", Strength::Weak),
        ];
        drinks.hs = vec![HsPrefix {
            digits: "2208".into(),
            strength: Strength::Weak,
        }];
        drinks.exclude_terms = vec!["xo sauce".into()];

        let mut kits = category("luxury_kits");
        kits.terms = vec![term("luxury", Strength::Weak), term("kit", Strength::Weak)];

        let mut vehicles = category("vehicles");
        vehicles.terms = vec![
            term("rolls royce", Strength::Weak),
            term("car", Strength::Weak),
            term("maybach", Strength::Strong),
        ];
        vehicles.hs = vec![HsPrefix {
            digits: "8703".into(),
            strength: Strength::Strong,
        }];
        vehicles.exclude_terms = vec!["1:18 die-cast model".into(), "toy".into()];
        vehicles.exclude_hs = vec!["870310".into()];

        let mut rugs = category("rugs");
        rugs.terms = vec![term("hand-knotted", Strength::Strong)];
        rugs.threshold_usd = Some(500.0);

        let mut rates = BTreeMap::new();
        rates.insert("EUR".to_string(), 1.10);
        Classifier::from_categories(&[jewellery, drinks, kits, vehicles, rugs], rates)
    }

    fn ids(c: &Classifier, line: &GoodsLine) -> Vec<String> {
        c.classify(line)
            .iter()
            .map(|m| c.categories()[m.category].id.clone())
            .collect()
    }

    fn desc(c: &Classifier, text: &str) -> Vec<String> {
        ids(c, &GoodsLine::new(text))
    }

    #[test]
    fn words_are_not_goods() {
        let c = fixture();
        assert!(desc(&c, "jade green tiles").is_empty());
        assert!(desc(&c, "golden syrup 454g").is_empty());
        assert!(desc(&c, "XO sauce, 6 bottles").is_empty());
        assert!(desc(&c, "deluxe first aid kits").is_empty());
        assert!(desc(&c, "goldsmith tools").is_empty());
    }

    #[test]
    fn strong_or_two_weak() {
        let c = fixture();
        assert_eq!(desc(&c, "Hennessy COGNAC"), ["drinks"]);
        assert_eq!(desc(&c, "jade necklace"), ["jewellery"]);
        assert_eq!(desc(&c, "LUX KITS"), ["luxury_kits"]);
        assert!(
            desc(&c, "gold gold gold").is_empty(),
            "one weak term repeated"
        );
        // `gold necklace` is strong by itself; the weak `gold` and `necklace` inside it
        // are one place, not two pieces of evidence.
        assert_eq!(desc(&c, "gold necklace"), ["jewellery"]);
    }

    #[test]
    fn weak_term_and_weak_code() {
        let c = fixture();
        let line = GoodsLine::new("XO 0.7L x 6 btls").with_hs("2208.20");
        assert_eq!(ids(&c, &line), ["drinks"]);
        assert!(ids(&c, &GoodsLine::new("assorted").with_hs("220820")).is_empty());
    }

    #[test]
    fn plurals_and_abbreviations() {
        let c = fixture();
        assert_eq!(desc(&c, "6 BTLS xo"), ["drinks"]);
        assert_eq!(desc(&c, "Jewelry, assorted"), ["jewellery"]);
        assert_eq!(desc(&c, "used Maybachs"), ["vehicles"]);
    }

    #[test]
    fn cjk_and_cyrillic_terms() {
        let c = fixture();
        assert_eq!(desc(&c, "钻石戒指 铂金"), ["jewellery"]);
        assert_eq!(
            desc(&c, "高级钻石戒指两枚"),
            ["jewellery"],
            "inside a CJK run"
        );
        assert_eq!(desc(&c, "Золотые серьги с бриллиантами"), ["jewellery"]);
    }

    #[test]
    fn exclusions_veto() {
        let c = fixture();
        assert!(desc(&c, "imitation jewellery").is_empty());
        assert!(desc(&c, "1:18 die-cast model Maybach").is_empty());
        assert!(desc(&c, "Maybach toy car").is_empty());
        let snow = GoodsLine::new("Maybach").with_hs("8703.10");
        assert!(ids(&c, &snow).is_empty(), "excluded code");
    }

    #[test]
    fn hs_prefix_any_level_with_or_without_dots() {
        let c = fixture();
        for code in ["8703", "870324", "8703.24", "8703.24.00.10", "HS 8703 24"] {
            let line = GoodsLine::new("see attached invoice").with_hs(code);
            assert_eq!(ids(&c, &line), ["vehicles"], "{code}");
        }
        assert!(ids(&c, &GoodsLine::new("as per P/I").with_hs("870410")).is_empty());
        assert!(ids(&c, &GoodsLine::new("x").with_hs("87")).is_empty());
    }

    #[test]
    fn evidence_spans_are_original_character_offsets() {
        let c = fixture();
        let text = "Notify: Zoë — 2× Hand-Knotted rugs, Rolls-Royce car";
        let line = GoodsLine::new(text).with_hs("8703.23");
        let hits = c.classify(&line);
        for h in &hits {
            for e in &h.evidence {
                let source = match e.kind {
                    EvidenceKind::Term => text,
                    EvidenceKind::Hs => "8703.23",
                };
                let slice: String = source.chars().skip(e.start).take(e.end - e.start).collect();
                assert_eq!(slice, e.text);
            }
        }
        let rugs = hits
            .iter()
            .find(|h| c.categories()[h.category].id == "rugs");
        let ev = &rugs.expect("rugs found").evidence[0];
        assert_eq!(
            (ev.text.as_str(), ev.start, ev.end),
            ("Hand-Knotted", 17, 29)
        );
        let cars = hits
            .iter()
            .find(|h| c.categories()[h.category].id == "vehicles");
        let ev: Vec<&str> = cars
            .expect("vehicles")
            .evidence
            .iter()
            .map(|e| e.text.as_str())
            .collect();
        assert_eq!(ev, ["Rolls-Royce", "car", "8703"]);
    }

    #[test]
    fn thresholds_with_currency_and_unit_values() {
        let c = fixture();
        let rug = |text: &str| GoodsLine::new(text);
        assert!(ids(&c, &rug("hand-knotted rug").with_value(499.0, "USD")).is_empty());
        assert!(ids(&c, &rug("hand-knotted rug").with_value(500.0, "USD")).is_empty());
        assert_eq!(
            ids(&c, &rug("hand-knotted rug").with_value(501.0, "USD")),
            ["rugs"]
        );
        // 480 EUR is 528 USD at the fixture rate.
        assert_eq!(
            ids(&c, &rug("hand-knotted rug").with_value(480.0, "eur")),
            ["rugs"]
        );
        // A missing value, or one in a currency without a rate, does not veto.
        assert_eq!(ids(&c, &rug("hand-knotted rug")), ["rugs"]);
        assert_eq!(
            ids(&c, &rug("hand-knotted rug").with_value(10.0, "XAU")),
            ["rugs"]
        );
        // Per unit: the quantity field, a unit price in the text, a count in the text.
        let ten = rug("hand-knotted rugs")
            .with_value(3000.0, "USD")
            .with_quantity(10.0);
        assert!(ids(&c, &ten).is_empty());
        let priced = rug("hand-knotted rugs, 10 pcs @ USD 450").with_value(4500.0, "USD");
        assert!(ids(&c, &priced).is_empty());
        let per = rug("hand-knotted rugs EUR 900/pc").with_value(1800.0, "EUR");
        assert_eq!(ids(&c, &per), ["rugs"]);
        let counted = rug("hand-knotted rugs, 4 pcs").with_value(1600.0, "USD");
        assert!(ids(&c, &counted).is_empty());
        let hits = c.classify(&rug("hand-knotted rug, 1 pc").with_value(800.0, "USD"));
        assert_eq!(hits.first().and_then(|h| h.unit_value_usd), Some(800.0));
    }

    #[test]
    fn classifier_is_send_sync_and_cheap_to_clone() {
        fn assert_send_sync<T: Send + Sync + Clone>() {}
        assert_send_sync::<Classifier>();
    }

    #[test]
    fn empty_ruleset_and_empty_input() {
        let c = Classifier::from_categories(&[], BTreeMap::new());
        assert!(c.classify(&GoodsLine::new("Rolex")).is_empty());
        let c = fixture();
        assert!(c.classify(&GoodsLine::default()).is_empty());
        assert!(c.classify(&GoodsLine::new("  ").with_hs("")).is_empty());
    }
}
