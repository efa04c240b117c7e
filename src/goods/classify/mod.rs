//! The goods classifier: which categories a goods line falls in, and why.
//!
//! A [`Classifier`] is built once from a ruleset's categories (`build`): a matcher
//! of every term pattern, a table of every code prefix, and for each what finding it
//! does to the categories. Classifying a line then takes four steps:
//! 1. `find`: the terms in the description, read the cheapest way that can place
//!    them (as written, by ASCII words, or normalized), without the terms that stand
//!    next to a word that makes them a name; and the code prefixes of its tariff code;
//! 2. `tally`: what they say of each category, 64 categories at a time;
//! 3. the decision: a category with a strong piece of evidence or two weak ones, no
//!    exclusion, and an item worth more than its threshold (when it has one);
//! 4. `evidence`: the terms and codes that made each category match, placed in what
//!    the trader wrote.

use std::cell::RefCell;
use std::sync::Arc;

use compact_str::CompactString;
use serde::{Deserialize, Serialize};
use smallvec::SmallVec;

use super::line::GoodsLine;
use super::price;
use super::terms::Found;
use crate::refdata::hs::CodeDigits;
use crate::rules::ir::{Category, Rates, Ruleset, Strength};

mod build;
mod evidence;
mod find;
#[cfg(test)]
mod naive;
mod spelling;
mod tally;
#[cfg(test)]
mod tests;

use build::{CodeUses, Inner};
use evidence::Placing;
use find::{Between, Reading};
use tally::{take_bits, Tally};

/// What a piece of evidence was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EvidenceKind {
    /// A term of the category, found in the description.
    Term,
    /// A code prefix of the category, found in the HS code.
    Hs,
}

/// A term or code that made a category match: what `classify` reports, and what a
/// decision's goods hit cites.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// Term or HS code.
    pub kind: EvidenceKind,
    /// The matched text exactly as written in the description (or the code): a word
    /// or two, held inline rather than on the heap; read it with [`Evidence::text`].
    pub(crate) text: CompactString,
    /// Character offset where it starts (in the description, or in the code for `hs`).
    pub start: usize,
    /// Character offset just after it.
    pub end: usize,
    /// Whether the term or code was strong or weak in the category.
    #[serde(skip)]
    pub strength: Strength,
    /// A code the category excludes, on a line whose strong term matched it anyway:
    /// the description and the declared code disagree (a `Lexus LX570 SUV` under
    /// 9503, toys), which a reviewer should see as a possible relabelling.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub mismatch: bool,
}

/// A category the line falls in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CategoryMatch {
    /// Index into the categories the classifier was built from
    /// (`ruleset.categories()` for [`Classifier::new`]).
    pub category: usize,
    /// The terms and codes found, terms first, in order of position. Most matches have
    /// one or two, held inline; read them with [`CategoryMatch::evidence`].
    pub(crate) evidence: SmallVec<[Evidence; 2]>,
    /// The value of one item in US dollars, when the category has a threshold and the
    /// value was known.
    pub unit_value_usd: Option<f64>,
}

impl Evidence {
    /// The matched text exactly as written in the description (or the code).
    pub fn text(&self) -> &str {
        &self.text
    }
}

impl CategoryMatch {
    /// The terms and codes found, terms first, in order of position.
    pub fn evidence(&self) -> &[Evidence] {
        &self.evidence
    }

    /// The terms and codes found, owned.
    pub fn into_evidence(self) -> Vec<Evidence> {
        self.evidence.into_vec()
    }
}

/// Finds goods categories in goods lines.
///
/// Built once from the categories of a ruleset, then shared: it is immutable, cheap to
/// clone and `Send + Sync`. Per-call scratch space lives in a thread-local [`Scratch`]
/// (or one the caller passes to [`Classifier::classify_with`]).
///
/// A category matches a line when it has one strong piece of evidence or two weak
/// ones (a weak term and a weak code, or two different weak terms), no exclusion code
/// unless the line has a strong term of the category (the code is then evidence
/// marked [`Evidence::mismatch`]), no exclusion term unless the line has a strong term
/// and a strong code of the category,
/// and, with a threshold, the value of one item above it or not stated.
///
/// # Examples
///
/// ```
/// use embargo::goods::{Classifier, GoodsLine};
/// use embargo::Ruleset;
///
/// let rules = Ruleset::from_text("watches.emb", r#"
/// category watches {
///   title "Luxury watches"
///   tags luxury
///   basis "EU Reg. 2017/1509, Annex VIII"
///   terms "rolex"
///   terms weak "watch"
///   hs 9101
///   exclude "toy"
///   exclude hs 9503
/// }
/// rule luxury_watches {
///   basis "EU Reg. 2017/1509, Art. 10"
///   when goods in watches
///   then review "Luxury watches"
/// }"#)?;
/// let classifier = Classifier::new(&rules);
///
/// let hits = classifier.classify(&GoodsLine::new("2x ROLEX Submariner watches"));
/// assert_eq!(hits.len(), 1);
/// assert_eq!(hits[0].evidence()[0].text(), "ROLEX");
/// assert_eq!((hits[0].evidence()[0].start, hits[0].evidence()[0].end), (3, 8));
///
/// // A weak term alone is not enough; an exclusion vetoes, unless a strong term and
/// // a code of the category say otherwise.
/// assert!(classifier.classify(&GoodsLine::new("watch straps")).is_empty());
/// assert!(classifier.classify(&GoodsLine::new("Rolex toy watch")).is_empty());
/// let boxed = GoodsLine::new("Rolex Daytona, toy for the kids in the box").with_hs("9101.21");
/// assert_eq!(classifier.classify(&boxed).len(), 1);
/// // An excluded code does not outweigh a strong term: the code is marked a mismatch.
/// let relabelled = classifier.classify(&GoodsLine::new("Rolex Daytona").with_hs("9503.00"));
/// assert!(relabelled[0].evidence()[1].mismatch);
/// // Codes match by prefix, with or without dots.
/// assert_eq!(classifier.classify(&GoodsLine::new("see invoice").with_hs("9101.21")).len(), 1);
/// # Ok::<(), embargo::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Classifier {
    inner: Arc<Inner>,
}

/// Reusable per-thread buffers for [`Classifier::classify_with`].
#[derive(Debug, Default)]
pub struct Scratch {
    /// What a description is read into to find its terms.
    reading: Reading,
    found: Vec<Found>,
    /// The code prefixes of the line's code that the rules use: digit count and uses.
    codes: Vec<(usize, CodeUses)>,
    tally: Vec<Tally>,
    /// The categories matched, a bit each (category `64 * w + i` is bit `i` of word `w`);
    /// and of those, the ones that
    /// need two different weak terms.
    matched: Vec<u64>,
    if_two: Vec<u64>,
    /// What the evidence of a matched category is placed with.
    placing: Placing,
}

impl Scratch {
    /// Empty buffers; they grow to fit on first use.
    pub fn new() -> Self {
        Scratch::default()
    }
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::new());
}

impl Classifier {
    /// Builds a classifier for every category of a compiled ruleset, converting values
    /// with the ruleset's rates.
    pub fn new(ruleset: &Ruleset) -> Self {
        Classifier::from_categories(ruleset.categories(), ruleset.rates().clone())
    }

    /// Builds a classifier for `categories` (compiled, with their term patterns),
    /// converting values to US dollars with `rates`.
    pub fn from_categories(categories: &[Category], rates: Rates) -> Self {
        Classifier {
            inner: Arc::new(Inner::build(categories, rates)),
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
        let mut out = Vec::new();
        self.classify_into(line, scratch, &mut out);
        out
    }

    /// [`Classifier::classify_with`] into a caller-owned vector, which is cleared
    /// first: a batch that reuses it allocates nothing for most lines (the evidence of
    /// a match is held inline).
    ///
    /// ```
    /// use embargo::goods::{Classifier, GoodsLine, Scratch};
    /// use embargo::rules::{load_embedded, CompileOptions};
    ///
    /// let rules = load_embedded(&CompileOptions::default()).ruleset.unwrap();
    /// let classifier = Classifier::new(&rules);
    /// let (mut scratch, mut matches) = (Scratch::new(), Vec::new());
    /// let mut flagged = 0;
    /// for text in ["Hennessy XO cognac 6 btls", "office chairs", "Rolex Submariner"] {
    ///     classifier.classify_into(&GoodsLine::new(text), &mut scratch, &mut matches);
    ///     flagged += usize::from(!matches.is_empty());
    /// }
    /// assert_eq!(flagged, 2);
    /// ```
    pub fn classify_into(
        &self,
        line: &GoodsLine,
        scratch: &mut Scratch,
        out: &mut Vec<CategoryMatch>,
    ) {
        out.clear();
        let inner = &*self.inner;
        let description = line.text();
        let Scratch {
            reading,
            found,
            codes,
            tally,
            matched,
            if_two,
            placing,
        } = scratch;
        tally.clear();
        tally.resize(inner.set_words, Tally::default());
        codes.clear();

        // 1. Find: the terms, then the code prefixes.
        let (pieces, description_ascii) = inner.find_terms(description, reading, found);
        let between = match pieces {
            None => Between::Description(description),
            Some(_) => Between::Normalized,
        };
        inner.drop_names(found, between);
        // 2. Tally what they say of each category.
        for f in found.iter() {
            for (t, e) in tally.iter_mut().zip(inner.term_effects(f.term)) {
                t.add_term(e);
            }
        }
        let code = line.hs.as_deref().and_then(CodeDigits::parse);
        if let Some(code) = &code {
            inner.find_codes(code, tally, codes);
        }
        // 3. Decide: those matched for sure, and those matched if two different weak
        // terms are among their evidence; a threshold asks the value of one item.
        tally::decide(tally, matched, if_two);
        let mut unit_value: Option<Option<f64>> = None;
        placing.start_line();
        for ci in take_bits(matched) {
            let Some(cat) = inner.categories.get(ci as usize) else {
                continue;
            };
            inner.hits_of(ci, found, codes, &mut placing.hits);
            if tally::needs_two(if_two, ci) && !evidence::two_weak_terms(&placing.hits, ci) {
                continue;
            }
            let mut unit_usd = None;
            if let Some(threshold) = cat.threshold_usd {
                let unit = *unit_value.get_or_insert_with(|| self.unit_value_usd(line));
                if unit.is_some_and(|u| u <= threshold) {
                    continue;
                }
                unit_usd = unit;
            }
            // 4. The evidence, placed in what the trader wrote.
            placing.place(line, pieces, code.as_ref());
            // Written in place: a match with its evidence is over a hundred bytes, which
            // moving from a local into the vector would copy twice.
            out.push(CategoryMatch {
                category: ci as usize,
                evidence: SmallVec::new(),
                unit_value_usd: unit_usd,
            });
            if let Some(m) = out.last_mut() {
                placing.copy_into(line, description_ascii, &mut m.evidence);
            }
        }
    }

    /// The value of one item of `line` in US dollars: a unit price written in the
    /// description, else the line value divided by the quantity (the field, or a clear
    /// count in the text), converted at the classifier's rates. `None` when there is no
    /// value or its currency has no rate.
    pub fn unit_value_usd(&self, line: &GoodsLine) -> Option<f64> {
        if let Some(p) = price::unit_price(line.text()) {
            let currency = p.currency.or(line.currency.as_deref()).unwrap_or("USD");
            return self.to_usd(p.amount, currency);
        }
        let value = line.value.filter(|v| v.is_finite() && *v >= 0.0)?;
        let quantity = line
            .quantity
            .filter(|q| q.is_finite() && *q > 0.0)
            .or_else(|| price::item_count(line.text()))
            .unwrap_or(1.0);
        self.to_usd(value / quantity, line.currency.as_deref().unwrap_or("USD"))
    }

    fn to_usd(&self, amount: f64, currency: &str) -> Option<f64> {
        self.inner.rates.to_usd(amount, currency)
    }
}
