//! The goods classifier: which categories a goods line falls in, and why.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use compact_str::CompactString;
use serde::{Deserialize, Serialize};
use smallvec::SmallVec;

use super::line::GoodsLine;
use super::normalize::{
    ascii_words_into, normalize_into, normalize_text_into, patterns_of, piece_span, Normalized,
    Piece,
};
use super::price;
use super::terms::{AsciiFind, FindScratch, Found, TermMatcher, TermSpec};
use crate::lookup::bits::BitWalk;
use crate::lookup::table::U64Table;
use crate::refdata::hs::CodeDigits;
use crate::rules::ir::{Category, Rates, Ruleset, Strength};

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
    /// The matched text exactly as written in the description (or the code). A word or
    /// two, so it is held inline rather than on the heap (it dereferences to `str`).
    pub text: CompactString,
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
    /// The terms and codes found, terms first, in order of position. Most matches have
    /// one or two, held inline (it dereferences to a slice).
    pub evidence: SmallVec<[Evidence; 2]>,
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

/// The text that the positions of a line's matches are in: the description itself
/// (character offsets), or the normalized text they were found in (byte offsets; its
/// words are joined by single spaces, and it need not be written out).
#[derive(Clone, Copy)]
enum Between<'a> {
    Description(&'a str),
    Normalized,
}

impl Between<'_> {
    /// Whether one match ending at `end` and another starting at `start` are next to
    /// each other: nothing but separators between them.
    fn adjacent(self, end: u32, start: u32) -> bool {
        let (end, start) = (end as usize, start as usize);
        if start < end {
            return false;
        }
        match self {
            Between::Normalized => start - end <= 1,
            Between::Description(text) => text
                .chars()
                .skip(end)
                .take(start - end)
                .all(|c| !c.is_alphanumeric()),
        }
    }
}

#[derive(Debug)]
struct Inner {
    categories: Vec<Category>,
    /// Finds the patterns' texts; its term ids index `patterns`.
    terms: TermMatcher,
    patterns: Vec<Pattern>,
    /// What finding each pattern does to the categories: [`Inner::set_words`] entries
    /// per pattern, in pattern order.
    pattern_effects: Vec<Effect>,
    /// Keyed by [`hs_key`]: the uses of each code prefix. Looked up once per digit of
    /// every line's code, so in a flat table.
    hs: U64Table<CodeUses>,
    /// One bit per chapter (two digits) and per heading (four digits, from bit 100):
    /// whether the rules have a longer code prefix under it. Where they have none, a
    /// bit test ends the look-ups of a code there (1.6% faster on the bench's codes).
    hs_deeper: Box<[u64]>,
    /// The uses of every code prefix, the ranges of which `hs` holds.
    hs_uses: Vec<Use>,
    /// What finding each code prefix does, as `pattern_effects` for the patterns.
    hs_effects: Vec<Effect>,
    /// How many 64-bit words hold one bit per category (at least one).
    set_words: usize,
    rates: Rates,
}

/// A code prefix of the rules: the range of [`Inner::hs_uses`] that uses it, and where
/// its effects start in [`Inner::hs_effects`].
#[derive(Debug, Clone, Copy, Default)]
struct CodeUses {
    uses: (u32, u32),
    effects: u32,
}

/// What finding one term or code prefix does to 64 categories, a bit each (category
/// `64 * w + i` is bit `i` of word `w`): the categories it is strong in, weak in, and
/// excludes. A line's finds are then combined a word at a time, not a category at a
/// time: most lines touch a few categories, and deciding each one by one was a branch
/// the processor could not foresee.
#[derive(Debug, Clone, Copy, Default)]
struct Effect {
    strong: u64,
    weak: u64,
    exclude: u64,
}

/// What a line's finds so far say of 64 categories, a bit each as in [`Effect`].
#[derive(Debug, Clone, Copy, Default)]
struct Tally {
    strong: u64,
    weak_term: u64,
    weak_hs: u64,
    excluded: u64,
    /// A weak term found after another: the category may have two different weak
    /// terms, which its evidence then decides (the same term twice, or two that
    /// overlap, count once).
    weak_again: u64,
}

impl Tally {
    fn add_term(&mut self, e: &Effect) {
        self.weak_again |= self.weak_term & e.weak;
        self.weak_term |= e.weak;
        self.strong |= e.strong;
        self.excluded |= e.exclude;
    }

    fn add_code(&mut self, e: &Effect) {
        self.weak_hs |= e.weak;
        self.strong |= e.strong;
        self.excluded |= e.exclude;
    }

    /// The categories matched for sure, and those matched if two different weak terms
    /// are found among their evidence.
    fn decide(&self) -> (u64, u64) {
        let sure = (self.strong | self.weak_term & self.weak_hs) & !self.excluded;
        let if_two = self.weak_again & !self.excluded & !sure;
        (sure, if_two)
    }
}

/// A distinct normalized term and every category that uses it.
#[derive(Debug)]
struct Pattern {
    /// The normalized text, and whether it matches a word prefix (`автомобил*`).
    spec: TermSpec,
    uses: Vec<Use>,
    /// Whether it is one of [`NAME_WORDS`], and on which side of a name.
    name_word: Option<NameSide>,
}

/// The bit of [`Inner::hs_deeper`] for a code's first `len` digits (2 or 4) read as
/// the number `value`: chapters from bit 0, headings from bit 100.
fn deeper_bit(len: usize, value: usize) -> usize {
    value + if len == 4 { 100 } else { 0 }
}

/// The pattern of normalized `text` (a prefix pattern if `prefix`), made on first
/// sight: terms of several categories that normalize alike share one.
fn pattern_of_text<'a>(
    by_text: &mut HashMap<(String, bool), usize>,
    patterns: &'a mut Vec<Pattern>,
    text: String,
    prefix: bool,
) -> Option<&'a mut Pattern> {
    let id = *by_text.entry((text.clone(), prefix)).or_insert_with(|| {
        patterns.push(Pattern {
            spec: TermSpec { text, prefix },
            uses: Vec::new(),
            name_word: None,
        });
        patterns.len() - 1
    });
    patterns.get_mut(id)
}

/// Where a word that makes a name stands: after the name (`Rolex Trading LLC`,
/// `Cartier Street`) or before it (`Mr. Bentley`, `notify: Mercedes Rodriguez`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NameSide {
    After,
    Before,
}

/// Words that make the term next to them a name rather than goods: a legal form or a
/// trade after it names a company, a street word a place, a title or an addressee
/// word before it a person or a party. A shipping document names its parties in the
/// same text as its goods, and a brand is often also a surname or a trader's name,
/// so `shipper: Armani Logistics Srl - used tyres` is not designer fashion. Only the
/// term right next to the word is dropped, not the category: `Tiffany & Co. diamond
/// ring` is still jewellery by `diamond ring`. An exclusion is dropped alike: `Coin Co`
/// is a company, and vetoes no jewellery. Words that also go with goods are not
/// here (`limited` in `limited edition`, `brand` in `Rolex brand watches`, `road` in
/// `Harley-Davidson Road Glide`).
const NAME_WORDS: &[(&str, NameSide)] = &[
    ("llc", NameSide::After),
    ("ltd", NameSide::After),
    ("inc", NameSide::After),
    ("gmbh", NameSide::After),
    ("srl", NameSide::After),
    ("sarl", NameSide::After),
    ("plc", NameSide::After),
    ("pte", NameSide::After),
    ("jsc", NameSide::After),
    ("ooo", NameSide::After),
    ("fze", NameSide::After),
    ("fzco", NameSide::After),
    ("fzc", NameSide::After),
    ("co", NameSide::After),
    ("company", NameSide::After),
    ("corp", NameSide::After),
    ("corporation", NameSide::After),
    ("holding", NameSide::After),
    ("trading", NameSide::After),
    ("logistics", NameSide::After),
    ("shipping", NameSide::After),
    ("freight", NameSide::After),
    ("street", NameSide::After),
    ("mr", NameSide::Before),
    ("mrs", NameSide::Before),
    ("ms", NameSide::Before),
    ("dr", NameSide::Before),
    ("attn", NameSide::Before),
    ("notify", NameSide::Before),
    ("consignee", NameSide::Before),
    ("shipper", NameSide::Before),
];

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
    /// The words of an ASCII description that [`TermMatcher::find_ascii`] cannot read
    /// as written, and their spelling (see [`ascii_words_into`]): no normalized text
    /// is written for such a line either.
    ascii_pieces: Vec<Piece>,
    spelling: Vec<u8>,
    /// The normalized text of any other description, without the offset map.
    norm: Normalized,
    /// The same with the map, built only for a line whose term evidence is reported.
    mapped: Normalized,
    words: FindScratch,
    found: Vec<Found>,
    /// Evidence of one category, placed but not yet copied: kind, span, strength.
    found_ev: Vec<(EvidenceKind, usize, usize, bool)>,
    /// The evidence of one matched category, before it is placed.
    hits: Vec<Hit>,
    /// The code prefixes of the line's code that the rules use: digit count and uses.
    codes: Vec<(usize, CodeUses)>,
    tally: Vec<Tally>,
    /// The categories matched, a bit each as in [`Effect`]; and of those, the ones that
    /// need two different weak terms.
    matched: Vec<u64>,
    if_two: Vec<u64>,
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
    /// For a term, the range the matcher reported: bytes in the normalized text, or
    /// characters of the description when it was read as written; for a code, the
    /// digit count of the prefix in `end`.
    start: usize,
    end: usize,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::new());
}

impl Inner {
    /// The uses of a code prefix.
    fn code_uses(&self, code: CodeUses) -> &[Use] {
        let (start, end) = code.uses;
        self.hs_uses
            .get(start as usize..end as usize)
            .unwrap_or_default()
    }

    /// The effects of pattern `term` (see [`Inner::pattern_effects`]).
    fn term_effects(&self, term: u32) -> &[Effect] {
        let at = term as usize * self.set_words;
        self.pattern_effects
            .get(at..at + self.set_words)
            .unwrap_or_default()
    }

    /// Drops from `found` the terms that stand right next to one of [`NAME_WORDS`] on
    /// its side, and the name words themselves, which are no evidence. Most lines
    /// hold no name word and pass with one look at each term found.
    fn drop_names(&self, found: &mut Vec<Found>, text: Between) {
        let side = |f: &Found| self.patterns.get(f.term as usize).and_then(|p| p.name_word);
        if !found.iter().any(|f| side(f).is_some()) {
            return;
        }
        let names: Vec<(Found, NameSide)> =
            found.iter().filter_map(|f| Some((*f, side(f)?))).collect();
        found.retain(|f| {
            side(f).is_none()
                && !names.iter().any(|&(w, side)| match side {
                    NameSide::After => text.adjacent(f.end, w.start),
                    NameSide::Before => text.adjacent(w.end, f.start),
                })
        });
    }

    /// The effects of a code prefix.
    fn code_effects(&self, code: CodeUses) -> &[Effect] {
        let at = code.effects as usize;
        self.hs_effects
            .get(at..at + self.set_words)
            .unwrap_or_default()
    }

    /// The evidence of category `ci` on a line, into `hits`: the first place each of
    /// its terms was found (`found` in order), then each of its code prefixes found, in
    /// order of length. Exclusions are not evidence.
    fn hits_of(&self, ci: u32, found: &[Found], codes: &[(usize, CodeUses)], hits: &mut Vec<Hit>) {
        hits.clear();
        let mut add = |u: &Use, kind, start, end| {
            if u.category != ci || u.role == Role::Exclude {
                return;
            }
            if hits.iter().any(|h| h.kind == kind && h.term == u.term) {
                return;
            }
            hits.push(Hit {
                category: ci,
                term: u.term,
                strong: u.role == Role::Strong,
                kind,
                start,
                end,
            });
        };
        // A term or code is evidence of the category only if it is strong or weak in
        // it: its effects say so at once, where its uses would be read one by one.
        let word = ci as usize / 64;
        let bit = 1u64 << (ci % 64);
        let concerns = |effects: &[Effect]| {
            effects
                .get(word)
                .is_some_and(|e| (e.strong | e.weak) & bit != 0)
        };
        for f in found {
            if !concerns(self.term_effects(f.term)) {
                continue;
            }
            let uses = self
                .patterns
                .get(f.term as usize)
                .map(|p| p.uses.as_slice());
            for u in uses.unwrap_or_default() {
                add(u, EvidenceKind::Term, f.start as usize, f.end as usize);
            }
        }
        for &(n, code) in codes {
            if !concerns(self.code_effects(code)) {
                continue;
            }
            for u in self.code_uses(code) {
                add(u, EvidenceKind::Hs, 0, n);
            }
        }
    }
}

impl Classifier {
    /// Builds a classifier for every category of a compiled ruleset, converting values
    /// with the ruleset's rates.
    pub fn new(ruleset: &Ruleset) -> Self {
        Classifier::from_categories(&ruleset.categories, ruleset.rates.clone())
    }

    /// Builds a classifier for `categories`, converting values to US dollars with
    /// `rates`.
    pub fn from_categories(categories: &[Category], rates: Rates) -> Self {
        let mut by_text: HashMap<(String, bool), usize> = HashMap::new();
        let mut patterns: Vec<Pattern> = Vec::new();
        let mut hs_map: BTreeMap<u64, Vec<Use>> = BTreeMap::new();
        // Chapters and headings with a longer prefix under them (see `Inner::hs_deeper`).
        let mut deeper = vec![0u64; (100 + 10_000usize).div_ceil(64)];

        let mut add = |raw: &str, use_: Use| {
            for (norm, prefix) in patterns_of(raw) {
                if let Some(p) = pattern_of_text(&mut by_text, &mut patterns, norm, prefix) {
                    p.uses.push(use_);
                }
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
                for len in [2, 4] {
                    if digits.len() > len {
                        if let Some(value) = digits.get(..len).and_then(|d| d.parse().ok()) {
                            let bit = deeper_bit(len, value);
                            if let Some(w) = deeper.get_mut(bit / 64) {
                                *w |= 1 << (bit % 64);
                            }
                        }
                    }
                }
                if let Some(k) = hs_key(&digits) {
                    hs_map.entry(k).or_default().push(Use {
                        category,
                        term: hi as u32,
                        role,
                    });
                }
            }
        }

        for &(word, side) in NAME_WORDS {
            if let Some(p) = pattern_of_text(&mut by_text, &mut patterns, word.into(), false) {
                p.name_word = Some(side);
            }
        }

        let set_words = categories.len().div_ceil(64).max(1);
        let mut hs_uses = Vec::new();
        let mut hs_effects = Vec::new();
        let mut hs_entries = Vec::new();
        for (key, uses) in hs_map {
            let code = CodeUses {
                uses: (hs_uses.len() as u32, (hs_uses.len() + uses.len()) as u32),
                effects: hs_effects.len() as u32,
            };
            hs_effects.extend(effects_of(&uses, set_words));
            hs_uses.extend(uses);
            hs_entries.push((key, code));
        }
        let pattern_effects = patterns
            .iter()
            .flat_map(|p| effects_of(&p.uses, set_words))
            .collect();

        let specs: Vec<TermSpec> = patterns.iter().map(|p| p.spec.clone()).collect();
        let terms = TermMatcher::new(&specs);
        Classifier {
            inner: Arc::new(Inner {
                categories: categories.to_vec(),
                terms,
                patterns,
                pattern_effects,
                hs: U64Table::new(hs_entries),
                hs_deeper: deeper.into_boxed_slice(),
                hs_uses,
                hs_effects,
                set_words,
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
            ascii_pieces,
            spelling,
            norm,
            mapped,
            words,
            found,
            found_ev,
            hits,
            codes,
            tally,
            matched,
            if_two,
        } = scratch;
        tally.clear();
        tally.resize(inner.set_words, Tally::default());
        codes.clear();

        // The words the matches were found in, to map them back to the description;
        // `None` when they were found in the description as written and their
        // positions are already its character offsets.
        let mut reading = inner.terms.find_ascii(description.as_bytes(), words, found);
        let description_ascii = reading != AsciiFind::NotAscii;
        if !description_ascii
            && inner.terms.find_mixed(description, words, found) == AsciiFind::Found
        {
            reading = AsciiFind::Found;
        }
        let pieces: Option<&[Piece]> = match reading {
            AsciiFind::Found => None,
            AsciiFind::Unsure => {
                ascii_words_into(description.as_bytes(), ascii_pieces, spelling);
                inner.terms.find(ascii_pieces, spelling, None, words, found);
                Some(ascii_pieces)
            }
            AsciiFind::NotAscii => {
                normalize_text_into(description, norm);
                let cjk_text = norm.has_cjk.then_some(norm.text.as_str());
                inner
                    .terms
                    .find(&norm.pieces, norm.text.as_bytes(), cjk_text, words, found);
                Some(&norm.pieces)
            }
        };
        let text = match pieces {
            None => Between::Description(description),
            Some(_) => Between::Normalized,
        };
        inner.drop_names(found, text);
        for f in found.iter() {
            for (t, e) in tally.iter_mut().zip(inner.term_effects(f.term)) {
                t.add_term(e);
            }
        }

        let code = line.hs.as_deref().and_then(CodeDigits::parse);
        if let Some(code) = &code {
            // The key of each prefix, built digit by digit (see `hs_key`) rather than
            // parsing every prefix afresh.
            let mut value: u64 = 0;
            for (k, &b) in code.digits().iter().enumerate() {
                value = value * 10 + u64::from(b.wrapping_sub(b'0'));
                let n = k + 1;
                if n < 2 {
                    continue;
                }
                if let Some(uses) = inner.hs.get(value * 16 + n as u64) {
                    for (t, e) in tally.iter_mut().zip(inner.code_effects(uses)) {
                        t.add_code(e);
                    }
                    codes.push((n, uses));
                }
                if n == 2 || n == 4 {
                    let bit = deeper_bit(n, value as usize);
                    let deeper = inner
                        .hs_deeper
                        .get(bit / 64)
                        .is_some_and(|w| w & (1 << (bit % 64)) != 0);
                    if !deeper {
                        break;
                    }
                }
            }
        }

        matched.clear();
        if_two.clear();
        for t in tally.iter() {
            let (sure, two) = t.decide();
            matched.push(sure | two);
            if_two.push(two);
        }
        let mut unit_value: Option<Option<f64>> = None;
        let mut mapped_ready = false;
        for ci in take_bits(matched) {
            let Some(cat) = inner.categories.get(ci as usize) else {
                continue;
            };
            inner.hits_of(ci, found, codes, hits);
            let needs_two = if_two
                .get(ci as usize / 64)
                .is_some_and(|w| w & (1 << (ci % 64)) != 0);
            if needs_two && !two_weak_terms(hits, ci) {
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
            // Places first, text last: only the evidence that is kept is copied.
            found_ev.clear();
            for h in hits.iter() {
                let span = match h.kind {
                    EvidenceKind::Term => match pieces {
                        None => Some((h.start, h.end)),
                        Some(pieces) => piece_span(pieces, h.start, h.end).or_else(|| {
                            if !mapped_ready {
                                // The same text, now with its map, for a span the
                                // words cannot place (inside a CJK run, say).
                                normalize_into(description, mapped);
                                mapped_ready = true;
                            }
                            mapped.original_span(h.start, h.end)
                        }),
                    },
                    EvidenceKind::Hs => code
                        .as_ref()
                        .and_then(|c| c.span_of_prefix(line.hs.as_deref().unwrap_or(""), h.end)),
                };
                if let Some((start, end)) = span {
                    found_ev.push((h.kind, start, end, h.strong));
                }
            }
            // Strong first among evidence at one place, which is reported once: two
            // terms of a category can be one normalized text (`steel pipe`, `steel
            // pipes`).
            found_ev.sort_by_key(|&(kind, start, end, strong)| {
                (kind == EvidenceKind::Hs, start, end, !strong)
            });
            found_ev.dedup_by_key(|&mut (kind, start, end, _)| (kind, start, end));
            // Written in place: a match with its evidence is over a hundred bytes, which
            // moving from a local into the vector would copy twice.
            out.push(CategoryMatch {
                category: ci as usize,
                evidence: SmallVec::new(),
                unit_value_usd: unit_usd,
            });
            let Some(evidence) = out.last_mut().map(|m| &mut m.evidence) else {
                continue;
            };
            for &(kind, start, end, strong) in found_ev.iter() {
                // `Rolls-Royce Cullinan` says it all; `Cullinan` inside it adds nothing.
                let inside = kind == EvidenceKind::Term
                    && found_ev.iter().any(|&(k, s, t, _)| {
                        k == EvidenceKind::Term && s <= start && end <= t && (s, t) != (start, end)
                    });
                if inside {
                    continue;
                }
                let source = match kind {
                    EvidenceKind::Term => (description, description_ascii),
                    EvidenceKind::Hs => {
                        let hs = line.hs.as_deref().unwrap_or("");
                        (hs, hs.is_ascii())
                    }
                };
                evidence.push(Evidence {
                    kind,
                    text: char_slice(source.0, source.1, start, end),
                    start,
                    end,
                    strength: if strong {
                        Strength::Strong
                    } else {
                        Strength::Weak
                    },
                });
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

/// The set bits of `words` in order (bit `i % 64` of word `i / 64` is `i`), each word
/// cleared as it is read (the categories a line matched, `Scratch::matched`).
fn take_bits(words: &mut [u64]) -> impl Iterator<Item = u32> + '_ {
    let mut walk = BitWalk::new(words.first_mut().map(std::mem::take).unwrap_or(0));
    std::iter::from_fn(move || {
        // Category indexes are `u32` throughout.
        let bit = walk.next(|k| words.get_mut(k).map(std::mem::take))?;
        Some(bit as u32)
    })
}

/// What finding a term or code with `uses` does to the categories, `words` entries
/// (see [`Effect`]).
fn effects_of(uses: &[Use], words: usize) -> Vec<Effect> {
    let mut effects = vec![Effect::default(); words];
    for u in uses {
        let Some(e) = effects.get_mut(u.category as usize / 64) else {
            continue;
        };
        let bit = 1 << (u.category % 64);
        match u.role {
            Role::Strong => e.strong |= bit,
            Role::Weak => e.weak |= bit,
            Role::Exclude => e.exclude |= bit,
        }
    }
    effects
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

/// Characters `start..end` of `s`; `ascii` says whether `s` is ASCII.
fn char_slice(s: &str, ascii: bool, start: usize, end: usize) -> CompactString {
    // Character offsets are byte offsets in ASCII text, the usual invoice line.
    if ascii {
        let end = end.min(s.len());
        return s.get(start.min(end)..end).unwrap_or("").into();
    }
    // The byte offsets of the two characters, found in one pass over the bytes (a
    // character starts at every byte that is not a UTF-8 continuation byte), then one
    // copy: decoding characters costs several times more.
    let end = end.max(start);
    let (mut from, mut to) = (s.len(), s.len());
    let mut n = 0;
    for (i, &b) in s.as_bytes().iter().enumerate() {
        if b & 0xC0 == 0x80 {
            continue;
        }
        if n == start {
            from = i;
        }
        if n == end {
            to = i;
            break;
        }
        n += 1;
    }
    s.get(from..to).unwrap_or("").into()
}

/// Packs a digit string of at most 10 digits (and its length, so `0101` and `101`
/// differ) into one integer key for prefix lookup.
fn hs_key(digits: &str) -> Option<u64> {
    if digits.is_empty() || digits.len() > 12 {
        return None;
    }
    let mut v: u64 = 0;
    for b in digits.bytes() {
        if !b.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u64::from(b - b'0');
    }
    Some(v * 16 + digits.len() as u64)
}

#[cfg(test)]
mod reference;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ir::{HsPrefix, Term};
    use proptest::prelude::*;

    fn term(text: &str, strength: Strength) -> Term {
        Term {
            text: text.into(),
            lang: None,
            strength,
        }
    }

    fn hs_prefix(digits: &str, strength: Strength) -> HsPrefix {
        HsPrefix {
            digits: digits.into(),
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
        jewellery.hs = vec![hs_prefix("7113", Strength::Strong)];
        jewellery.exclude_terms = vec!["imitation".into(), "gold plated".into()];

        let mut drinks = category("drinks");
        drinks.terms = vec![
            term("cognac", Strength::Strong),
            term("xo", Strength::Weak),
            term("bottle", Strength::Weak),
        ];
        drinks.hs = vec![hs_prefix("2208", Strength::Weak)];
        drinks.exclude_terms = vec!["xo sauce".into()];

        let mut kits = category("luxury_kits");
        kits.terms = vec![term("luxury", Strength::Weak), term("kit", Strength::Weak)];

        let mut vehicles = category("vehicles");
        vehicles.terms = vec![
            term("rolls royce", Strength::Weak),
            term("car", Strength::Weak),
            term("maybach", Strength::Strong),
        ];
        vehicles.hs = vec![hs_prefix("8703", Strength::Strong)];
        vehicles.exclude_terms = vec!["1:18 die-cast model".into(), "toy".into()];
        vehicles.exclude_hs = vec!["870310".into()];

        let mut rugs = category("rugs");
        rugs.terms = vec![term("hand-knotted", Strength::Strong)];
        rugs.threshold_usd = Some(500.0);

        let mut rates = Rates::default();
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

    /// A term right next to a name word is a name, not goods: a company (`Rolex
    /// Trading LLC`), a street, a person (`Mr. Bentley`). Only that term is dropped,
    /// on every reading of a line (as written, by stretches, normalized).
    #[test]
    fn terms_next_to_name_words_are_names() {
        let mut watches = category("watches");
        watches.terms = vec![
            term("rolex", Strength::Strong),
            term("diamond ring", Strength::Strong),
            term("tiffany", Strength::Strong),
        ];
        let mut cars = category("cars");
        cars.terms = vec![term("bentley", Strength::Strong)];
        let c = Classifier::from_categories(&[watches, cars], Rates::default());
        for text in [
            "notify party: Rolex Trading LLC, Dubai; goods: steel fasteners",
            "Rolex Trading LLC's steel fasteners",
            "Rolex Trading LLC, 钢管",
            "Rolex Trading LLC, ½ inch steel pipes",
            "Rolex Street 5, office chairs",
            "attn: Mr. Bentley, office supplies",
            "shipper: Bentley - used tyres",
        ] {
            assert!(desc(&c, text).is_empty(), "{text}: {:?}", desc(&c, text));
        }
        for (text, want) in [
            ("Rolex watches from Acme Trading LLC", "watches"),
            ("Tiffany & Co. diamond ring", "watches"),
            ("Rolex Submariner, 钢 strap", "watches"),
            ("Bentley Bentayga, consignee: Acme Ltd", "cars"),
        ] {
            assert_eq!(desc(&c, text), [want], "{text}");
        }
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

    /// Prefixes of every length are found, whatever else the rules have under the same
    /// chapter or heading: the look-ups stop early only where the rules have nothing
    /// longer.
    #[test]
    fn hs_prefixes_of_every_length_under_chapters_and_headings() {
        let mut odd = category("odd");
        odd.hs = vec![
            hs_prefix("870", Strength::Strong),
            hs_prefix("71131", Strength::Strong),
            hs_prefix("9101211", Strength::Strong),
        ];
        let c = Classifier::from_categories(&[odd], Rates::default());
        for code in ["8703", "7113.19", "9101.21.10"] {
            let line = GoodsLine::new("x").with_hs(code);
            assert_eq!(ids(&c, &line), ["odd"], "{code}");
        }
        for code in ["8713", "7114.19", "9101.22.10", "87"] {
            assert!(
                ids(&c, &GoodsLine::new("x").with_hs(code)).is_empty(),
                "{code}"
            );
        }
    }

    /// Two terms of a category that normalize alike (`steel pipe`, `steel pipes`) are
    /// found at one place: it is one piece of evidence, strong if either term is.
    #[test]
    fn one_piece_of_evidence_per_place() {
        let mut metals = category("metals");
        metals.terms = vec![
            term("steel pipe", Strength::Weak),
            term("steel pipes", Strength::Strong),
            term("pipes", Strength::Weak),
        ];
        metals.hs = vec![hs_prefix("7306", Strength::Weak)];
        let c = Classifier::from_categories(&[metals], Rates::default());
        let hits = c.classify(&GoodsLine::new("Steel Pipes, welded").with_hs("7306.30"));
        let [m] = hits.as_slice() else {
            panic!("one category: {hits:?}");
        };
        let got: Vec<_> = m
            .evidence
            .iter()
            .map(|e| (e.kind, e.text.as_str(), e.start, e.end, e.strength))
            .collect();
        assert_eq!(
            got,
            [
                (EvidenceKind::Term, "Steel Pipes", 0, 11, Strength::Strong),
                (EvidenceKind::Hs, "7306", 0, 4, Strength::Weak),
            ]
        );
        let s = with_reference(c);
        assert_same(
            &s,
            &GoodsLine::new("steel pipe steel pipes"),
            &mut Scratch::new(),
        )
        .expect("as the reference");
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
        let c = Classifier::from_categories(&[], Rates::default());
        assert!(c.classify(&GoodsLine::new("Rolex")).is_empty());
        let c = fixture();
        assert!(c.classify(&GoodsLine::default()).is_empty());
        assert!(c.classify(&GoodsLine::new("  ").with_hs("")).is_empty());
    }

    /// The shipped ruleset's classifier, the reference classifier over the same
    /// categories, and the raw terms and codes of its categories (to build lines from).
    struct Shipped {
        classifier: Classifier,
        reference: reference::Reference,
        terms: Vec<String>,
        codes: Vec<String>,
    }

    fn shipped() -> &'static Shipped {
        static S: std::sync::OnceLock<Shipped> = std::sync::OnceLock::new();
        S.get_or_init(|| {
            let checked = crate::rules::load_embedded(&crate::rules::CompileOptions::default());
            let rules = checked.ruleset.expect("the default ruleset compiles");
            let classifier = Classifier::new(&rules);
            with_reference(classifier)
        })
    }

    fn with_reference(classifier: Classifier) -> Shipped {
        let reference = reference::Reference::new(&classifier);
        let cats = classifier.categories();
        let terms = cats
            .iter()
            .flat_map(|c| {
                c.terms
                    .iter()
                    .map(|t| t.text.trim_end_matches('*').to_string())
                    .chain(c.exclude_terms.iter().cloned())
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
            reference,
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

    fn assert_same(
        s: &Shipped,
        line: &GoodsLine,
        scratch: &mut Scratch,
    ) -> Result<(), TestCaseError> {
        let want = s.reference.classify(line);
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
        a.exclude_terms = vec!["goldsmith".into()];
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
    fn same_as_reference_on_examples() {
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
        fn same_as_reference_on_shipped_rules(
            words in words(),
            hs in code(),
            value in prop::option::of((0.0..5000.0f64, any::<bool>())),
        ) {
            let s = shipped();
            let line = line_from(s, &words, &hs, value);
            assert_same(s, &line, &mut Scratch::new())?;
        }

        #[test]
        fn same_as_reference_on_ascii_lines(words in words(), hs in code()) {
            let s = shipped();
            let line = ascii_line_from(s, &words, &hs);
            prop_assert!(line.text().is_ascii());
            assert_same(s, &line, &mut Scratch::new())?;
        }

        #[test]
        fn same_as_reference_on_ascii_edge_terms(words in words(), hs in code()) {
            static S: std::sync::OnceLock<Shipped> = std::sync::OnceLock::new();
            let s = S.get_or_init(|| with_reference(edge_fixture()));
            let line = ascii_line_from(s, &words, &hs);
            assert_same(s, &line, &mut Scratch::new())?;
        }

        #[test]
        fn same_as_reference_on_edge_terms(words in words(), hs in code()) {
            static S: std::sync::OnceLock<Shipped> = std::sync::OnceLock::new();
            let s = S.get_or_init(|| with_reference(edge_fixture()));
            let line = line_from(s, &words, &hs, None);
            assert_same(s, &line, &mut Scratch::new())?;
        }

        #[test]
        fn same_as_reference_on_any_text(desc in any::<String>(), hs in prop::option::of(any::<String>())) {
            let s = shipped();
            let line = GoodsLine { description: Some(desc), hs, ..GoodsLine::default() };
            assert_same(s, &line, &mut Scratch::new())?;
        }
    }

    proptest! {
        #[test]
        fn char_slice_is_the_characters_in_range(
            s in any::<String>(),
            start in 0..40usize,
            end in 0..40usize,
        ) {
            let want: String = s.chars().skip(start).take(end.saturating_sub(start)).collect();
            prop_assert_eq!(char_slice(&s, s.is_ascii(), start, end), want);
        }
    }

    #[test]
    fn hs_keys_distinguish_leading_zeros() {
        assert_ne!(hs_key("0101"), hs_key("101"));
        assert_eq!(hs_key("8703"), hs_key("8703"));
        assert_eq!(hs_key("87a3"), None);
    }

    #[test]
    fn take_bits_hands_out_set_bits_in_order_and_clears_them() {
        // Categories past the first 64 (the shipped rules have 45), and a word with
        // no bit between two that have some.
        let mut words = [0b101u64, 0, 1 << 63 | 1];
        assert_eq!(take_bits(&mut words).collect::<Vec<_>>(), [0, 2, 128, 191]);
        assert_eq!(words, [0, 0, 0]);
        assert_eq!(take_bits(&mut []).next(), None);
    }

    /// Categories are decided 64 at a time: a ruleset with more than 64 has them in
    /// two words of bits, and a category in the second must be decided as one in the
    /// first, each in the same way as the reference decides it.
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
                c.exclude_terms = vec![format!("not{i}")];
                c
            })
            .collect();
        let s = with_reference(Classifier::from_categories(&cats, Rates::default()));
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
            assert_same(&s, &line, &mut scratch).expect("as the reference");
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
                    s.reference.classify(line),
                    "{line:?}"
                );
            }
        }
    }
}
