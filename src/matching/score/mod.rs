//! Scoring two names: token alignment, weights, penalties, explanation.
//!
//! A name is prepared once ([`Prepared`]): its identity tokens (words, numbers,
//! initials) with phonetic keys and weights, and its legal forms apart. Two prepared
//! names are compared by aligning tokens one to one (or one to a run of two or three
//! adjacent tokens on the other side, for `Jong-un` / `Jongun` / `Jong Un`, and for
//! Hangul, which folds to one word per syllable). Token similarity
//! ([`token_sim`]) is exact, phonetic (same [`phonetic_key`]), or a typo within an edit
//! budget that grows with length (Damerau-Levenshtein and Jaro-Winkler from `strsim`).
//!
//! The score is the weighted share of both names that aligned:
//! `(Σ sim·w_query + Σ sim·w_candidate) / (W_query + W_candidate)`, where a word's
//! weight falls with how many listed names use it (`korea`, `trading`, `bank` weigh
//! little), so unmatched tokens cost in proportion to what they say. Penalties then
//! apply (legal forms that differ, company words out of order, kinds that differ).
//! Only a pair whose normalized forms are identical scores 1.0; any other is capped at
//! 0.99. A name that is nothing but a legal form has no identity tokens and scores 0.

mod align;
mod explain;
mod weights;
mod word;

pub(crate) use align::*;
pub(crate) use explain::*;
pub use explain::{AlignedPair, Explanation};
pub use weights::word_weight;
pub(crate) use weights::*;
pub use word::Basis;
pub(crate) use word::*;

use std::borrow::Cow;
use std::fmt;
use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use crate::normalize::{self, phonetic_key, OsaWord, TokenClass};
use crate::vocab::EntityKind;

/// One identity token of a prepared name.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Tok {
    pub text: Box<str>,
    pub key: Box<str>,
    pub weight: f32,
    pub class: TokenClass,
    /// Read from Arabic or Hebrew script (see [`normalize::Token::abjad`]).
    pub abjad: bool,
    /// A word listed people use as a given name ([`is_given_name`]).
    pub given: bool,
}

impl Tok {
    pub(crate) fn new(text: &str, class: TokenClass) -> Tok {
        let key = phonetic_key(text);
        Tok {
            weight: weight_of(text, &key, class),
            given: class == TokenClass::Word && is_given_name(text),
            text: text.into(),
            key: key.into(),
            class,
            abjad: false,
        }
    }

    /// What the token weighs when it aligns with nothing: an initial stands for a
    /// given name the other name lacks (`RI M. SOK` / `RI SOK`) and weighs as a short
    /// word, not as the initial it aligns as; a given name left out is the usual
    /// partial name and weighs at most [`GIVEN_NAME_OPEN_WEIGHT`], or
    /// [`GIVEN_NAME_BESIDE_PATRONYMIC_WEIGHT`] when a patronymic of the pair aligned
    /// (`patronymic_aligned`). Never more than the token weighs aligned, but for
    /// initials (which retrieval counts as aligned).
    pub(crate) fn open_weight(&self, patronymic_aligned: bool) -> f32 {
        match self.class {
            TokenClass::Initial => UNALIGNED_INITIAL_WEIGHT,
            _ if self.given && patronymic_aligned => {
                self.weight.min(GIVEN_NAME_BESIDE_PATRONYMIC_WEIGHT)
            }
            _ if self.given => self.weight.min(GIVEN_NAME_OPEN_WEIGHT),
            _ => self.weight,
        }
    }

    /// The least the token may weigh unaligned, whatever aligns: what retrieval's
    /// bounds count, so that no score exceeds them.
    pub(crate) fn least_unaligned_weight(&self) -> f32 {
        self.open_weight(true)
    }
}

/// A name normalized for scoring.
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    pub toks: Vec<Tok>,
    /// Canonical legal forms, sorted.
    pub legal: Vec<Box<str>>,
    pub kind: Option<EntityKind>,
    /// Whether the name reads as an organization's (a legal form, or a word such as
    /// `trading` or `bank`), whatever kind it was given.
    pub org_like: bool,
}

impl Prepared {
    pub(crate) fn new(name: &str, kind: Option<EntityKind>) -> Prepared {
        let kind = kind.filter(|k| *k != EntityKind::Unknown);
        // Only the first `MAX_TOKENS` tokens count, and a name that long has them in
        // its first few kilobytes: the rest of a pasted description costs nothing.
        let name = clip(name, MAX_NAME_BYTES);
        let mut toks = Vec::new();
        let mut legal = Vec::new();
        for t in normalize::normalize(name, kind) {
            match t.class {
                TokenClass::Stop => {}
                TokenClass::Legal => legal.push(t.text.into_boxed_str()),
                class => toks.push(Tok {
                    abjad: t.abjad,
                    ..Tok::new(&t.text, class)
                }),
            }
        }
        // Names longer than this are descriptions, not names; the rest adds nothing.
        toks.truncate(MAX_TOKENS);
        legal.sort_unstable();
        legal.dedup();
        let org_like = reads_as_organization(&toks, &legal);
        Prepared {
            toks,
            legal,
            kind,
            org_like,
        }
    }
}

impl Prepared {
    /// A screened name (the query side): as [`Prepared::new`], and what a screened
    /// name adds to the party's name is read as such. An acronym of the name's own
    /// words (`KOREA RYONGWANG TRADING CORPORATION (KRTC)`) adds nothing and goes; the
    /// word before `Branch`, `Office`, `Representative` names where the branch is
    /// (`Dandong Representative Office`) and weighs as a place.
    pub(crate) fn screened(name: &str, kind: Option<EntityKind>) -> Prepared {
        let mut p = Prepared::new(name, kind);
        if p.toks.len() < 2 {
            return p;
        }
        let person = kind == Some(EntityKind::Person);
        if !person {
            p.rejoin_split_words();
        }
        let raw: Vec<String> =
            normalize::tokenize(&normalize::fold(clip(name, MAX_NAME_BYTES)), person)
                .into_iter()
                .filter(|w| !normalize::is_stopword(w))
                .collect();
        let acronym = |t: &Tok| {
            let n = t.text.len();
            if t.class != TokenClass::Word || !(3..=8).contains(&n) {
                return false;
            }
            let initials: String = raw
                .iter()
                .filter(|w| w.as_str() != &*t.text)
                .filter_map(|w| w.chars().next())
                .collect();
            initials.contains(&*t.text)
        };
        if !person {
            let keep: Vec<bool> = p.toks.iter().map(|t| !acronym(t)).collect();
            if keep.iter().any(|k| *k) {
                let mut k = keep.iter();
                p.toks.retain(|_| *k.next().unwrap_or(&true));
            }
        }
        for i in 1..p.toks.len() {
            let next_is_unit = p
                .toks
                .get(i)
                .is_some_and(|t| BRANCH_WORDS.contains(&&*t.text));
            if let (true, Some(t)) = (next_is_unit, p.toks.get_mut(i - 1)) {
                if t.class == TokenClass::Word && !BRANCH_WORDS.contains(&&*t.text) {
                    t.weight = t.weight.min(PLACE_WEIGHT);
                }
            }
        }
        p
    }
}

impl Prepared {
    /// Joins two adjacent words that together are a legal form or a generic word split
    /// by a space (`LIM ITED`, `COR PORATION`, `SHIPP ING`): the halves are no words of
    /// a name, and apart they align with nothing (a legal form is no word to align).
    fn rejoin_split_words(&mut self) {
        let mut i = 0;
        while let (Some(a), Some(b)) = (self.toks.get(i), self.toks.get(i + 1)) {
            let halves = |t: &Tok| t.class == TokenClass::Word && !t.abjad && !is_generic(&t.text);
            if halves(a) && halves(b) {
                let joined = format!("{}{}", a.text, b.text);
                let mut class = [None];
                normalize::legal::mark_legal_forms(std::slice::from_ref(&joined), &mut class);
                match class {
                    [Some(canon)] if !canon.is_empty() => {
                        self.legal.push(canon.into_boxed_str());
                        self.toks.drain(i..i + 2);
                        continue;
                    }
                    _ if is_generic(&joined) => {
                        self.toks
                            .splice(i..i + 2, [Tok::new(&joined, TokenClass::Word)]);
                    }
                    _ => {}
                }
            }
            i += 1;
        }
        self.legal.sort_unstable();
        self.legal.dedup();
        self.org_like |= reads_as_organization(&self.toks, &self.legal);
    }
}

/// Whether a name with these words and legal forms reads as an organization's: a legal
/// form, or a word such as `trading` or `bank`.
fn reads_as_organization(toks: &[Tok], legal: &[Box<str>]) -> bool {
    !legal.is_empty() || toks.iter().any(|t| ORG_WORDS.contains(&&*t.text))
}

/// The readings of a screened name (see [`normalize::readings`]), and, unless it is a
/// person's, the name without a qualifier naming a branch or office of the party
/// (`Korea Kumsan Trading Corp., Pyongyang Branch`): a branch is part of the party
/// its name names, and the words of where it is are no part of that name.
pub(crate) fn screened_readings(
    name: &str,
    kind: Option<EntityKind>,
) -> Vec<normalize::readings::Reading> {
    let mut out = normalize::readings::readings_with(name, is_place);
    if let Some(text) = normalize::readings::pinyin_reading(name, is_place, is_generic) {
        if out.len() < normalize::readings::MAX_READINGS && !out.iter().any(|r| r.text == text) {
            out.push(normalize::readings::Reading {
                text,
                short_form: false,
            });
        }
    }
    if kind == Some(EntityKind::Person) {
        return out;
    }
    let unit = |w: &str| BRANCH_WORDS.contains(&w);
    // The word just before a closing branch or office is where it is when it is a city
    // the reference tables know (`Shanghai`, `Vladivostok`) or a word of listed
    // addresses (`Dandong`, `Shenyang`: cities where designated parties have branches
    // name parties too, so they are no place words), unless it says what the party is
    // (`... Bank Head Office`).
    let words: Vec<String> = name
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let units = words.iter().rev().take_while(|w| unit(w)).count();
    let unit_place = (units > 0)
        .then(|| words.len().checked_sub(units + 1))
        .flatten()
        .and_then(|k| words.get(k))
        .filter(|w| {
            !is_generic(w) && (is_address_word(w) || !crate::reference::city_names(w).is_empty())
        });
    let place = |w: &str| is_place(w) || unit_place.is_some_and(|p| p == w);
    if let Some(text) = normalize::readings::without_qualifier(name, place, unit) {
        if !out.iter().any(|r| r.text == text) {
            out.insert(
                1.min(out.len()),
                normalize::readings::Reading {
                    text,
                    short_form: false,
                },
            );
            out.truncate(normalize::readings::MAX_READINGS);
        }
    }
    out
}

/// Words naming a part of an organization, after where it is (`Pyongyang Branch`).
const BRANCH_WORDS: &[&str] = &[
    "branch",
    "office",
    "representative",
    "rep",
    "liaison",
    "headquarters",
    "head",
];

/// Tokens beyond this many are ignored (alignment masks are 64 bits wide).
pub(crate) const MAX_TOKENS: usize = 24;

/// Bytes of a name read: enough for the 24 tokens that count (`MAX_TOKENS`), so that what a
/// name costs stays bounded whatever is pasted into it.
pub const MAX_NAME_BYTES: usize = 4096;

/// The longest prefix of `text` of at most `max` bytes that ends on a character.
pub(crate) fn clip(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(..end).unwrap_or_default()
}

/// Penalty factors.
const LEGAL_DIFFERENT: f32 = 0.97;
const LEGAL_ONE_SIDED: f32 = 0.99;
const ORDER_CHANGED: f32 = 0.97;
/// A vessel's words in another order with words of the screened name's own.
const VESSEL_ORDER_CHANGED: f32 = 0.85;
/// The weight of an initial that aligns with nothing (see [`INITIAL_WEIGHT`]).
const UNALIGNED_INITIAL_WEIGHT: f32 = 0.6;
/// Two names of different kinds (a company and a vessel or a person): strong evidence
/// of two parties, whatever the names share.
const KIND_DIFFERENT: f32 = 0.6;
/// A personal name aligning less distinctive text than this (two common parts, as
/// `KIM JONG`) is common, and its score is multiplied by [`COMMON_NAME`].
const COMMON_NAME_INFO: f32 = 1.3;
const COMMON_NAME: f32 = 0.9;
/// A common name's parts each weigh less than this (many listed names use them), or
/// are no longer than a syllable.
const COMMON_PART: f32 = 0.75;
const SYLLABLE_LEN: usize = 5;
/// Words left unaligned on both sides of a company's name (`AIR KORYO` / `KORYO
/// BANK`): each name says something the other contradicts.
const BOTH_SIDES_UNALIGNED: f32 = 0.9;
/// A listed name of one word found whole in a screened name with words of its own.
const ONE_WORD_OF_MORE: f32 = 0.9;
/// A company name with words and a legal form against a one-word name without one.
const COMPANY_VS_BARE_WORD: f32 = 0.85;
const NO_WORD_ALIGNED: f32 = 0.5;
/// A match resting on less aligned weight than one rare word (only generic words:
/// `KOREA ... DEVELOPMENT BANK`) keeps this share of its score at least, scaling up to
/// all of it at [`INFO_FULL`].
const INFO_FLOOR: f32 = 0.5;
const INFO_FULL: f32 = 1.0;
/// The best score a pair that is not identical after normalization can get.
pub const MAX_NON_IDENTICAL: f64 = 0.99;

/// The outcome of scoring one pair.
#[derive(Debug, Clone, Default)]
pub(crate) struct Outcome {
    pub score: f64,
    pub pairs: Vec<Pair>,
    pub adjustments: Vec<(&'static str, f64)>,
    pub identical: bool,
    /// How much of the match rests on one distinctive word: the heaviest aligned
    /// word's weight (the lighter of its two sides) times its similarity, at most 1.
    /// Evidence from outside the name (a country) weighs against a match in
    /// proportion to what the name leaves to generic words.
    pub distinctive: f32,
}

/// Candidate tokens by index.
pub(crate) trait CandToks {
    fn len(&self) -> usize;
    fn tok(&self, j: usize) -> Option<&Tok>;
    /// The joined text and phonetic key of the run of tokens `run`, when known
    /// beforehand (the index keeps them); `None` has scoring join them.
    fn run_spelling(&self, _run: Run) -> Option<(&str, &str)> {
        None
    }
}

impl CandToks for [Tok] {
    fn len(&self) -> usize {
        <[Tok]>::len(self)
    }
    fn tok(&self, j: usize) -> Option<&Tok> {
        self.get(j)
    }
}

/// Whether an aligned pair holds a patronymic on either side ([`is_patronymic`]).
pub(crate) fn patronymic_aligned<C: CandToks + ?Sized>(
    q: &Prepared,
    c: &C,
    pairs: &[Pair],
) -> bool {
    pairs.iter().any(|p| {
        q.toks
            .get(p.q.range())
            .is_some_and(|s| s.iter().any(|t| is_patronymic(&t.text)))
            || run_toks(c, p.c).any(|t| is_patronymic(&t.text))
    })
}

/// Scores query `q` against a candidate. `c_legal` and `c_kind` describe the candidate.
pub(crate) fn score<C: CandToks + ?Sized, S: Sims>(
    q: &Prepared,
    c: &C,
    c_legal: &[Box<str>],
    c_kind: Option<EntityKind>,
    sims: &S,
) -> Outcome {
    let nq = q.toks.len();
    let nc = c.len();
    let wq: f32 = q.toks.iter().map(|t| t.weight).sum();
    let wc: f32 = (0..nc).filter_map(|j| c.tok(j)).map(|t| t.weight).sum();
    let mut out = Outcome::default();
    if nq == 0 || nc == 0 || wq <= 0.0 || wc <= 0.0 {
        return out;
    }
    let mut cands: Vec<Pair> = Vec::with_capacity(nq * nc + 4);
    for i in 0..nq {
        for j in 0..nc {
            let (sim, basis) = sims.get(
                Run {
                    start: i as u8,
                    len: 1,
                },
                j,
            );
            if sim > 0.0 {
                cands.push(Pair {
                    q: Run {
                        start: i as u8,
                        len: 1,
                    },
                    c: Run {
                        start: j as u8,
                        len: 1,
                    },
                    sim,
                    basis,
                });
            }
        }
    }
    let mut pairs = greedy(&mut cands);
    let all_q = Run {
        start: 0,
        len: nq as u8,
    }
    .mask();
    let all_c = Run {
        start: 0,
        len: nc as u8,
    }
    .mask();
    let (good_q, good_c) = pairs
        .iter()
        .filter(|p| p.sim >= 0.85)
        .fold((0u64, 0u64), |(a, b), p| (a | p.q.mask(), b | p.c.mask()));
    if good_q != all_q || good_c != all_c {
        // Some tokens are left or poorly aligned: try runs of adjacent words against
        // single tokens among them.
        add_runs(q, c, sims, &mut cands, all_q & !good_q, all_c & !good_c);
        add_split_runs(q, c, &mut cands, all_q & !good_q, all_c & !good_c);
        pairs = greedy(&mut cands);
    }
    let mut mq = 0.0f32;
    let mut mc = 0.0f32;
    let mut info = 0.0f32;
    // The heaviest word aligned, and the longest: a rare, long one (a surname few
    // share) is no common name; a syllable is shared by many, however rare in lists.
    let mut rarest = 0.0f32;
    let mut longest = 0usize;
    // Aligned words count with the lighter of their two weights on both sides: a
    // misspelled common word (`KOREAS`, unknown, so weight 1) is still the common word.
    let (mut wq, mut wc) = (wq, wc);
    let mut any_word = false;
    let mut identical = true;
    for p in &pairs {
        let pw: f32 = q
            .toks
            .get(p.q.range())
            .map_or(0.0, |s| s.iter().map(|t| t.weight).sum());
        let cw: f32 = run_toks(c, p.c).map(|t| t.weight).sum();
        let w = pw.min(cw);
        wq -= pw - w;
        wc -= cw - w;
        mq += p.sim * w;
        mc += p.sim * w;
        info += w;
        rarest = rarest.max(w);
        if p.basis != Basis::Initial {
            out.distinctive = out.distinctive.max((w * p.sim).min(1.0));
        }
        longest = longest.max(
            q.toks
                .get(p.q.range())
                .map_or(0, |s| s.iter().map(|t| t.text.len()).sum()),
        );
        let qt = q.toks.get(p.q.start as usize).map(|t| t.class);
        if p.basis != Basis::Initial && qt != Some(TokenClass::Initial) {
            any_word = true;
        }
        if p.basis != Basis::Exact || p.q.len != 1 || p.c.len != 1 {
            identical = false;
        }
    }
    let (qmask, cmask) = covered(&pairs);
    if qmask != all_q || cmask != all_c {
        identical = false;
    }
    // Tokens left unaligned weigh as such (initials more, given names less).
    let patronymic = patronymic_aligned(q, c, &pairs);
    let open = |t: &Tok| t.open_weight(patronymic) - t.weight;
    wq += (0..nq)
        .filter(|&j| qmask & (1u64 << j) == 0)
        .filter_map(|j| q.toks.get(j))
        .map(open)
        .sum::<f32>();
    wc += (0..nc)
        .filter(|&j| cmask & (1u64 << j) == 0)
        .filter_map(|j| c.tok(j))
        .map(open)
        .sum::<f32>();
    // Each name's aligned share, averaged: a screened name fully found inside a longer
    // listed name (a missing middle name or patronymic) keeps half its credit.
    let mut s = 0.5 * (mq / wq + mc / wc);
    // A name made only of common words (`PHO THAE`, `KOREA ZINC INDUSTRY GENERAL`) has
    // no more to align than its own weight: aligning all of both names is full
    // information. A rare word on either side that stays unaligned keeps the bar at one.
    // One short common word alone (`HM`) stays a weak match.
    let full = if pairs.len() >= 2 {
        INFO_FULL.min(wq.max(wc))
    } else {
        INFO_FULL
    };
    if info < full {
        let factor = INFO_FLOOR + (1.0 - INFO_FLOOR) * info / full;
        s *= factor;
        out.adjustments
            .push(("little distinctive text aligned", factor as f64));
    }
    if !any_word {
        s *= NO_WORD_ALIGNED;
        out.adjustments
            .push(("only initials aligned", NO_WORD_ALIGNED as f64));
    }
    // Legal forms.
    let (legal, bare) = legal_factors(q, c_legal, nc);
    if let Some(factor) = legal {
        identical = false;
        s *= factor;
        out.adjustments.push(("legal forms differ", factor as f64));
    }
    if let Some(factor) = bare {
        s *= factor;
        out.adjustments
            .push(("a company against a bare one-word name", factor as f64));
    }
    // Word order matters for companies and vessels, not for people.
    let person = q.kind == Some(EntityKind::Person) || c_kind == Some(EntityKind::Person);
    if !person {
        let crossed = pairs.iter().any(|a| {
            pairs
                .iter()
                .any(|b| a.q.start < b.q.start && b.c.start < a.c.start)
        });
        if crossed {
            identical = false;
            // A vessel's name is its words in their order: the same words in another
            // order, with more of its own, are a person's or another vessel's
            // (`Ko Hye-jin` / `JIN HYE`).
            let q_open = (0..nq).any(|j| qmask & (1u64 << j) == 0);
            let factor = if c_kind == Some(EntityKind::Vessel) && q_open {
                VESSEL_ORDER_CHANGED
            } else {
                ORDER_CHANGED
            };
            s *= factor;
            out.adjustments.push(("word order differs", factor as f64));
        }
    }
    // A personal name made of a few common parts (`KIM JONG`) is shared by thousands:
    // the name alone cannot tell them apart, and needs corroboration to block.
    let person_like = person || (q.kind.is_none() && !q.org_like && c_kind.is_none());
    if person_like
        && !q.org_like
        && info < COMMON_NAME_INFO
        && (rarest < COMMON_PART || longest <= SYLLABLE_LEN)
        && pairs.len() == 2
    {
        s *= COMMON_NAME;
        out.adjustments
            .push(("a common name, needs corroboration", COMMON_NAME as f64));
    }
    // A listed name of one word (or one run of words) found whole in a screened name
    // that has words of its own (`Kim Songjin` / the vessel `SONGJIN`, `Hocine Sayyed`
    // / `HOCINE`): the screened name says more than the one word confirms. (A company
    // written out against a bare word, and words of its own on both sides, have
    // factors of their own.)
    if pairs.len() == 1 && qmask != all_q && cmask == all_c && bare.is_none() {
        s *= ONE_WORD_OF_MORE;
        out.adjustments
            .push(("one word found of a longer name", ONE_WORD_OF_MORE as f64));
    }
    // A company's name with a word of its own on each side says something the other
    // contradicts (`AIR KORYO` / `KORYO BANK`); a name inside a longer one does not.
    if !person {
        let unaligned_word = |n: usize, mask: u64, tok: &dyn Fn(usize) -> Option<TokenClass>| {
            (0..n).any(|j| mask & (1u64 << j) == 0 && tok(j) == Some(TokenClass::Word))
        };
        let q_open = unaligned_word(nq, qmask, &|j| q.toks.get(j).map(|t| t.class));
        let c_open = unaligned_word(nc, cmask, &|j| c.tok(j).map(|t| t.class));
        if q_open && c_open {
            identical = false;
            s *= BOTH_SIDES_UNALIGNED;
            out.adjustments
                .push(("words of its own on each side", BOTH_SIDES_UNALIGNED as f64));
        }
    }
    if let Some(factor) = kind_factor(q, c_kind) {
        identical = false;
        s *= factor;
        out.adjustments.push(("kinds differ", factor as f64));
    }
    let s = f64::from(s).clamp(0.0, 1.0);
    out.identical = identical;
    out.score = if identical {
        1.0
    } else {
        s.min(MAX_NON_IDENTICAL)
    };
    out.pairs = pairs;
    out
}

/// The factors for legal forms in [`score`]: one when the two names' legal forms
/// differ, and one when a company written out meets a bare one-word name.
fn legal_factors(q: &Prepared, c_legal: &[Box<str>], nc: usize) -> (Option<f32>, Option<f32>) {
    if q.legal.as_slice() == c_legal {
        return (None, None);
    }
    // One side silent about its legal form, or the two sharing one, is a weaker
    // difference than two distinct forms.
    let legal = if q.legal.is_empty()
        || c_legal.is_empty()
        || q.legal.iter().any(|l| c_legal.contains(l))
    {
        LEGAL_ONE_SIDED
    } else {
        LEGAL_DIFFERENT
    };
    // A company written out (words and a legal form) against a bare one-word name
    // (a vessel, a mononym, a short form) shares only that word: "Fortune Shipping
    // Co Ltd" is not the vessel FORTUNE.
    let company_vs_bare = |legal: &[Box<str>], n: usize, other_legal: &[Box<str>], m: usize| {
        !legal.is_empty() && n > 1 && other_legal.is_empty() && m == 1
    };
    let nq = q.toks.len();
    let bare = (company_vs_bare(&q.legal, nq, c_legal, nc)
        || company_vs_bare(c_legal, nc, &q.legal, nq))
    .then_some(COMPANY_VS_BARE_WORD);
    (Some(legal), bare)
}

/// The factor for two names of different kinds in [`score`], if they differ: a name
/// given no kind that reads as an organization's is taken for one.
fn kind_factor(q: &Prepared, c_kind: Option<EntityKind>) -> Option<f32> {
    let q_kind = q.kind.or(q.org_like.then_some(EntityKind::Organization));
    match (q_kind, c_kind) {
        (Some(a), Some(b)) if a != b && b != EntityKind::Unknown => Some(KIND_DIFFERENT),
        _ => None,
    }
}

/// At most what [`score`] can give two names that are not identical, from what is
/// known before their words are aligned: the factors for legal forms and kinds.
/// Retrieval multiplies its bound by it. (Names with different legal forms or kinds
/// are never identical, so the factors apply whenever they are below one.)
pub(crate) fn fixed_factor(
    q: &Prepared,
    c_legal: &[Box<str>],
    nc: usize,
    c_kind: Option<EntityKind>,
) -> f32 {
    let (legal, bare) = legal_factors(q, c_legal, nc);
    [legal, bare, kind_factor(q, c_kind)]
        .into_iter()
        .flatten()
        .product()
}

/// Scores the similarity of two names in [0, 1], `a` as screened and `b` as listed,
/// both read as `kind` (`None`: any). The same pair gets the same score from
/// [`crate::matching::NameIndex::search`] (without country or weak-alias adjustments).
///
/// # Examples
///
/// ```
/// use embargo::matching::compare;
/// use embargo::rules::ir::EntityKind;
/// let p = Some(EntityKind::Person);
/// assert_eq!(compare("KIM, Jong Un", "Jong Un Kim", p), 1.0);
/// assert!(compare("Kim Chong-un", "KIM Jong Un", p) > 0.85);
/// assert!(compare("Kim Min-jun", "KIM Jong Un", p) < 0.6);
/// ```
pub fn compare(a: &str, b: &str, kind: Option<EntityKind>) -> f64 {
    compare_explained(a, b, kind).score
}

/// [`compare`] with the explanation of the score.
///
/// # Examples
///
/// ```
/// use embargo::matching::compare_explained;
/// let e = compare_explained("Korea Kumryong Trading Co., Ltd.", "KOREA KUMRYONG TRADING COMPANY", None);
/// assert!(e.score > 0.9 && e.score < 1.0);
/// assert!(e.pairs.iter().any(|p| p.query == "kumryong"));
/// println!("{e}");
/// ```
pub fn compare_explained(a: &str, b: &str, kind: Option<EntityKind>) -> Explanation {
    let (a, b) = (clip(a, MAX_NAME_BYTES), clip(b, MAX_NAME_BYTES));
    // Each side's readings (other scripts, short forms, alternates): the best pair.
    let listed: Vec<Prepared> = normalize::readings::readings_with(b, is_place)
        .iter()
        .map(|r| Prepared::new(&r.text, kind))
        .collect();
    let mut best: Option<Explanation> = None;
    for r in screened_readings(a, kind) {
        let q = Prepared::screened(&r.text, kind);
        for c in &listed {
            let sims = Direct {
                q: &q,
                c: c.toks.as_slice(),
            };
            // A listed name of no given kind that reads as an organization's is one,
            // as the screened name is (see `kind_factor`): the score stays symmetric.
            let c_kind = c.kind.or(c.org_like.then_some(EntityKind::Organization));
            let o = score(&q, c.toks.as_slice(), &c.legal, c_kind, &sims);
            if best.as_ref().is_none_or(|e| o.score > e.score) {
                let mut e = explain(&q, c.toks.as_slice(), &o);
                e.reading = (r.text != a).then(|| r.text.clone());
                best = Some(e);
            }
        }
    }
    best.unwrap_or_default()
}

#[cfg(test)]
mod tests;
