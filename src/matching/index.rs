//! Candidate retrieval: an immutable index over the listed names.
//!
//! Every listed word goes into a vocabulary with three ways in:
//!
//! - its exact text and its phonetic key (hash maps);
//! - deletion variants of its phonetic key, up to the edit budget of its length
//!   (the symmetric-deletion scheme of typo-tolerant search engines): two keys within
//!   `k` Damerau-Levenshtein edits share a variant reached by at most `k` deletions from
//!   each, so looking up the deletion variants of a query word finds every listed word
//!   that [`score`] could align with it as a typo;
//! - character trigrams of the key, to find listed words that a query word contains
//!   (words run together: `KOREAWKURYONGGANG`).
//!
//! Each vocabulary word has a posting list of the names that use it. A query word (and
//! each run of two or three adjacent query words, for names split differently) finds
//! its similar vocabulary words, and their postings name the candidates. Similarities
//! found on the way are cached for scoring, so a candidate is scored without comparing
//! strings again. A candidate whose best possible score (every hit word aligned
//! perfectly, every other word unaligned) is below the threshold is not scored at all.

use std::cell::RefCell;
use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::score::{
    self, budget, explain, run_text, runnable, skeleton, token_sim, word_sim_to, Basis, CandToks,
    Prepared, Run, Sims, Tok, WordForms, RUN_BUDGET, SKELETON_MAX_LEN,
};
use super::{IndexedName, NameHit, NameQuery, SearchOptions};
use crate::normalize::{phonetic_key, TokenClass};
use crate::rules::ir::EntityKind;

/// Query words at least this long that are not listed words are also searched by
/// trigrams, for listed words they contain.
const PARTIAL_MIN_LEN: usize = 5;
/// Score factor of a weak (low-quality) alias.
pub const WEAK_ALIAS_FACTOR: f64 = 0.95;
/// Score factor when the query's country is not among the listed name's countries.
pub const COUNTRY_MISMATCH_FACTOR: f64 = 0.97;
/// Score factor when the query's country is not the one country of the listed
/// entity (a party in Seoul against a designation in the DPRK only): strong evidence
/// of another party, so that a name alone, however close, goes to review.
pub const COUNTRY_CONFLICT_FACTOR: f64 = 0.78;
/// Factor for a name that names its own country (the party's, given apart) when the
/// listed entity is of other countries and its name does not name that one.
pub const NAMED_COUNTRY_DIFFERS_FACTOR: f64 = 0.8;

#[derive(Debug)]
struct NameRec {
    entity: u32,
    original: Box<str>,
    kind: EntityKind,
    weak: bool,
    /// The entity's countries, as upper-case ISO codes held inline: this is read for
    /// every candidate scored, and a pointer per country was a cache miss each.
    countries: Box<[[u8; 2]]>,
    /// The countries the name itself names ("... Bank of China"), found when first
    /// needed rather than for every query it is scored against (or for every name at
    /// build, when few are ever asked).
    named: std::sync::OnceLock<Box<[&'static str]>>,
    toks: Box<[u32]>,
    legal: Box<[Box<str>]>,
}

#[derive(Debug, Default)]
struct Inner {
    /// Tells indexes apart for the per-thread memo of similar words.
    id: u64,
    /// The longest text or key of a vocabulary word, in bytes: a query word longer
    /// than this by more than its edit budget has no deletion variant in common with
    /// any, and is not looked up by them.
    max_word_len: usize,
    vocab: Vec<Tok>,
    by_text: FxHashMap<Box<str>, u32>,
    by_key: FxHashMap<Box<str>, Vec<u32>>,
    /// Phonetic key of a run of 2 or 3 adjacent listed words → names with that run.
    by_run: FxHashMap<Box<str>, Vec<u32>>,
    /// Consonant skeleton → short vocabulary words.
    by_skeleton: FxHashMap<Box<str>, Vec<u32>>,
    /// Word without its endings (see `score::stem`) → vocabulary words: other forms
    /// of generic words align (`BANKING` / `BANK`).
    by_stem: FxHashMap<Box<str>, Vec<u32>>,
    /// Consonants of the key (see `score::consonants`) → vocabulary words: a word
    /// read from Arabic or Hebrew script meets its Latin spellings there.
    by_consonants: FxHashMap<Box<str>, Vec<u32>>,
    /// Deletion-variant hash → range in `del_ids`.
    deletes: FxHashMap<u64, (u32, u32)>,
    del_ids: Vec<u32>,
    /// Deletion variants of runs of 2 or 3 adjacent listed words long enough for a
    /// screened word to align with them despite a typo, each with a name holding such
    /// a run, as `hash << 32 | name`, sorted: 8 bytes a variant, no table.
    run_variants: Vec<u64>,
    /// Each vocabulary word's distinct key trigrams, sorted, back to back
    /// (`word_gram_off` has one more entry than words; empty for keys shorter than 4).
    word_grams: Vec<u32>,
    word_gram_off: Vec<u32>,
    /// A bit per trigram of each word (see [`gram_bit`]): two words' signatures tell
    /// at once when one misses trigrams of the other.
    word_gram_sig: Vec<u64>,
    /// Pivot trigram → (start, length) in `pivot_ids`: the words that hold it among their
    /// rarest trigrams (see `contained_words`).
    pivots: FxHashMap<u64, (u32, u32)>,
    pivot_ids: Vec<u32>,
    /// Letters used by each vocabulary word's text and key (bit per letter): a word
    /// `k` edits away differs in at most `2k` letters, a filter before the distance.
    letters: Vec<(u32, u32)>,
    post_off: Vec<u32>,
    /// Where each word's postings of names with initials begin (they follow the
    /// others): only those can reach the threshold through words the query shares
    /// with them that say little.
    post_split: Vec<u32>,
    postings: Vec<u32>,
    names: Vec<NameRec>,
    /// Total token weight of each name, negative when it has initials: kept apart
    /// from `names` so the bound check before scoring touches 4 bytes per candidate.
    name_wsum: Vec<f32>,
    /// Every name's word ids, back to back (`name_tok_off` has one more entry than
    /// names): the bound check reads them without touching the name records.
    name_tok_off: Vec<u32>,
    /// (word id, weight): the weight read with the id, not looked up apart. Each
    /// name's heaviest words first, so that the bound meets an unaligned heavy word,
    /// where it can stop, early.
    name_tok_ids: Vec<(u32, f32)>,
    /// The position in its name of each word of `name_tok_ids`.
    name_tok_pos: Vec<u8>,
    /// Weight of each vocabulary word, negated for initials.
    vweight: Vec<f32>,
    /// The shapes of every name's runs of 2 or 3 adjacent words, back to back
    /// (`name_run_off` has one more entry than names): the bound asks them whether a
    /// query word may align with a run, which the similarities retrieval found do not
    /// tell.
    name_run_off: Vec<u32>,
    name_runs: Vec<RunShape>,
    /// The joined text and key of each run of `name_runs`, as (start in
    /// `run_spellings`, text length, key length): scoring compares a query word with
    /// the runs of every candidate it scores, and would otherwise join and key them
    /// each time.
    name_run_spelled: Vec<(u32, u16, u16)>,
    run_spellings: String,
    /// A summary of each name's run shapes, read before them.
    name_run_sums: Vec<RunSummary>,
}

/// The lengths of the texts and keys of some words or runs, a bit each: a cheap test
/// before comparing run shapes one by one.
#[derive(Debug, Clone, Copy, Default)]
struct RunSummary {
    text_lens: u64,
    key_lens: u64,
}

impl RunSummary {
    /// Adds a run of listed words.
    fn add_run(&mut self, r: &RunShape) {
        self.text_lens |= 1 << r.text_len.min(63);
        self.key_lens |= 1 << r.key_len.min(63);
    }

    /// Adds a long query word: the run lengths it may align with unseen.
    fn add_query_word(&mut self, q: &RunShape) {
        let around = |len: u8| {
            let len = u32::from(len);
            (len.saturating_sub(RUN_BUDGET as u32)..=len + RUN_BUDGET as u32)
                .fold(0u64, |m, l| m | 1 << l.min(63))
        };
        self.text_lens |= around(q.text_len);
        self.key_lens |= around(q.key_len);
    }

    fn meets(&self, other: &RunSummary) -> bool {
        (self.text_lens & other.text_lens) | (self.key_lens & other.key_lens) != 0
    }
}

/// What the bound needs to know of a word, or of a run of words joined: lengths and
/// letters of its text and phonetic key.
#[derive(Debug, Clone, Copy)]
struct RunShape {
    text_letters: u32,
    key_letters: u32,
    text_len: u8,
    key_len: u8,
    /// For a run of listed words, its first word's position and its number of words.
    start: u8,
    len: u8,
}

impl RunShape {
    fn new(text: &str, key: &str) -> RunShape {
        RunShape {
            text_letters: letter_set(text),
            key_letters: letter_set(key),
            text_len: text.len().min(255) as u8,
            key_len: key.len().min(255) as u8,
            start: 0,
            len: 1,
        }
    }

    /// Whether the long screened word `q` may align with this run of listed words
    /// despite a typo, which the similarities retrieval found do not tell (spelled or
    /// keyed the same, retrieval finds the run through `by_run`). A word `k` edits
    /// from another differs from it in length by at most `k` and in at most `2k`
    /// letters, on texts or on keys.
    fn may_align_unseen(self, q: RunShape) -> bool {
        let near = |a_len: u8, b_len: u8, a: u32, b: u32| {
            a_len.abs_diff(b_len) as usize <= RUN_BUDGET
                && (a ^ b).count_ones() as usize <= 2 * RUN_BUDGET
        };
        near(q.text_len, self.text_len, q.text_letters, self.text_letters)
            || near(q.key_len, self.key_len, q.key_letters, self.key_letters)
    }
}

/// What one search did, counted rather than timed: the cost of a search is bounded by
/// these counts, and the regression tests of its cost read them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SearchWork {
    /// Deletion variants hashed and looked up (of query words and runs).
    pub variants: u64,
    /// Vocabulary words compared with a query word or run.
    pub words_compared: u64,
    /// Vocabulary words checked for being contained in a query word.
    pub contained_checked: u64,
    /// Listed names met through their words.
    pub names_met: u64,
    /// Listed names scored.
    pub names_scored: u64,
}

/// An immutable index of listed names for fast fuzzy search. Cheap to clone (an `Arc`
/// inside), `Send + Sync`; searching keeps its scratch space per thread.
///
/// # Examples
///
/// ```
/// use embargo::matching::{IndexedName, NameIndex, NameQuery, SearchOptions};
/// use embargo::rules::ir::EntityKind;
/// let index = NameIndex::build([
///     IndexedName::new(0, "KIM, Jong Un", EntityKind::Person),
///     IndexedName::new(1, "KOREA KUMRYONG TRADING COMPANY", EntityKind::Organization),
/// ]);
/// let hits = index.search(&NameQuery::new("Kim Chong-un"), &SearchOptions::default());
/// assert_eq!(hits.first().map(|h| h.entity), Some(0));
/// ```
#[derive(Debug, Clone, Default)]
pub struct NameIndex {
    inner: Arc<Inner>,
}

fn fnv(salt: u64, bytes: impl Iterator<Item = u8>) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ salt;
    for b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h ^ (h >> 29)
}

/// Calls `f` with the hash of every variant of `s` with up to `k` (≤ 2) bytes deleted.
fn for_each_deletion(s: &[u8], k: usize, mut f: impl FnMut(u64)) {
    let n = s.len();
    f(fnv(0, s.iter().copied()));
    if k >= 1 {
        for i in 0..n {
            f(fnv(
                0,
                s.iter()
                    .enumerate()
                    .filter(|(p, _)| *p != i)
                    .map(|(_, b)| *b),
            ));
        }
    }
    if k >= 2 {
        for i in 0..n {
            for j in i + 1..n {
                f(fnv(
                    0,
                    s.iter()
                        .enumerate()
                        .filter(|(p, _)| *p != i && *p != j)
                        .map(|(_, b)| *b),
                ));
            }
        }
    }
}

/// Groups (variant hash, id) pairs by hash: each hash's range in the returned ids.
fn group_variants(mut pairs: Vec<(u64, u32)>) -> (FxHashMap<u64, (u32, u32)>, Vec<u32>) {
    pairs.sort_unstable();
    pairs.dedup();
    let mut ranges = FxHashMap::default();
    let mut ids = Vec::with_capacity(pairs.len());
    for group in pairs.chunk_by(|a, b| a.0 == b.0) {
        let start = ids.len() as u32;
        ids.extend(group.iter().map(|p| p.1));
        if let Some(&(h, _)) = group.first() {
            ranges.insert(h, (start, group.len() as u32));
        }
    }
    (ranges, ids)
}

fn trigrams(key: &[u8]) -> impl Iterator<Item = u32> + '_ {
    key.windows(3).map(|w| match w {
        [a, b, c] => u32::from(*a) << 16 | u32::from(*b) << 8 | u32::from(*c),
        _ => 0,
    })
}

/// The range of entry `i` in a table laid out back to back, whose offsets `off` have
/// one more entry than it has entries; out of range, it selects nothing.
fn span(off: &[u32], i: usize) -> std::ops::Range<usize> {
    let at = |k: usize| off.get(k).copied().unwrap_or(0) as usize;
    at(i)..at(i + 1)
}

/// The bit of trigram `g` in a word's trigram signature.
fn gram_bit(g: u32) -> u64 {
    1 << (g.wrapping_mul(0x9E37_79B9) >> 26)
}

/// How many values two sorted, deduplicated lists share, and the first of them.
fn shared_sorted(a: &[u32], b: &[u32]) -> (usize, u32) {
    let (mut i, mut j, mut n, mut first) = (0, 0, 0, u32::MAX);
    while let (Some(&x), Some(&y)) = (a.get(i), b.get(j)) {
        match x.cmp(&y) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                if n == 0 {
                    first = x;
                }
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    (n, first)
}

/// The pivot index of `contained_words`: each word (its distinct sorted trigrams are
/// `grams[off[v]..off[v + 1]]`) under its rarest trigram, or under its two rarest when
/// it has five or more and may miss one. Rarity is the number of words holding the
/// trigram; ties go to the smaller trigram.
fn pivot_trigrams(grams: &[u32], off: &[u32]) -> (FxHashMap<u64, (u32, u32)>, Vec<u32>) {
    let mut words_with: FxHashMap<u32, u32> = FxHashMap::default();
    for &g in grams {
        *words_with.entry(g).or_default() += 1;
    }
    let mut pairs: Vec<(u64, u32)> = Vec::new();
    for (v, w) in off.windows(2).enumerate() {
        let [a, b] = w else { continue };
        let own = grams.get(*a as usize..*b as usize).unwrap_or_default();
        let pivots = match own.len() {
            0 | 1 => 0,
            2..=4 => 1,
            _ => 2,
        };
        let mut by_rarity: Vec<(u32, u32)> = own
            .iter()
            .map(|&g| (words_with.get(&g).copied().unwrap_or(0), g))
            .collect();
        by_rarity.sort_unstable();
        for &(_, g) in by_rarity.iter().take(pivots) {
            pairs.push((u64::from(g), v as u32));
        }
    }
    group_variants(pairs)
}

struct View<'a> {
    ids: &'a [u32],
    vocab: &'a [Tok],
    /// The name's runs of adjacent words and where their spellings are.
    runs: &'a [RunShape],
    spelled: &'a [(u32, u16, u16)],
    spellings: &'a str,
}

impl<'a> View<'a> {
    /// Name `i` of `inner` as scoring reads it.
    fn of(inner: &'a Inner, i: usize, rec: &'a NameRec) -> View<'a> {
        let runs = span(&inner.name_run_off, i);
        View {
            ids: &rec.toks,
            vocab: &inner.vocab,
            runs: inner.name_runs.get(runs.clone()).unwrap_or(&[]),
            spelled: inner.name_run_spelled.get(runs).unwrap_or(&[]),
            spellings: &inner.run_spellings,
        }
    }
}

impl CandToks for View<'_> {
    fn len(&self) -> usize {
        self.ids.len()
    }
    fn tok(&self, j: usize) -> Option<&Tok> {
        self.ids.get(j).and_then(|&v| self.vocab.get(v as usize))
    }
    fn run_spelling(&self, run: Run) -> Option<(&str, &str)> {
        // Run starts are stored up to 63: later ones are spelled on the spot.
        if run.start >= 63 {
            return None;
        }
        let k = self
            .runs
            .iter()
            .position(|r| r.start == run.start && r.len == run.len)?;
        let &(at, text, key) = self.spelled.get(k)?;
        let (at, text, key) = (at as usize, usize::from(text), usize::from(key));
        Some((
            self.spellings.get(at..at + text)?,
            self.spellings.get(at + text..at + text + key)?,
        ))
    }
}

/// Listed words similar to a query word or run: (word id, similarity, basis), by id.
/// Shared between the memo and the searches that use it.
type Similar = std::rc::Rc<[(u32, f32, Basis)]>;

/// A query unit: one query token or a run of adjacent query words.
struct Unit {
    run: Run,
    /// Similar vocabulary words, sorted by id.
    hits: Similar,
}

/// Similarities for scoring, read from what retrieval found (`flat`, indexed by
/// `word_hits` for search `epoch`) rather than computed again.
struct Cached<'a> {
    q: &'a Prepared,
    view: &'a View<'a>,
    flat: &'a [Found],
    word_hits: &'a [WordHits],
    epoch: u32,
}

impl Sims for Cached<'_> {
    fn get(&self, q: Run, j: usize) -> (f32, Basis) {
        let (Some(&v), Some(ct)) = (self.view.ids.get(j), self.view.tok(j)) else {
            return (0.0, Basis::Exact);
        };
        if q.len == 1 {
            let Some(qt) = self.q.toks.get(q.start as usize) else {
                return (0.0, Basis::Exact);
            };
            if qt.class == TokenClass::Initial || ct.class == TokenClass::Initial {
                return token_sim(qt, ct);
            }
        }
        let found = match self.word_hits.get(v as usize) {
            Some(h) if h.epoch == self.epoch => self
                .flat
                .get(h.start as usize..h.end as usize)
                .unwrap_or(&[]),
            _ => &[],
        };
        found
            .iter()
            .find(|f| f.run == q)
            .map_or((0.0, Basis::Exact), |f| (f.sim, f.basis))
    }
}

/// A name met while gathering candidates.
#[derive(Clone, Copy, Default)]
struct Cand {
    /// The search epoch when it was last met; `partial` is stale otherwise.
    stamp: u32,
    /// The query tokens through which it was found by a contained word or a run
    /// split elsewhere: they may align with runs of its words, which the similarities
    /// retrieval found do not tell, so the bound lets them align fully.
    partial: u64,
}

#[derive(Default)]
struct Scratch {
    /// What the current search has done.
    work: SearchWork,
    epoch: u32,
    /// Per indexed name: whether and how this search met it.
    cands: Vec<Cand>,
    touched: Vec<u32>,
    /// Per vocabulary word: the `contained_words` call that last checked it.
    vstamp: Vec<u32>,
    contain_epoch: u32,
    /// A query word's distinct key trigrams, sorted.
    grams: Vec<u32>,
    /// Words a query word contains, with the first trigram they share with it.
    contained: Vec<(u32, u32)>,
    /// Per vocabulary word, what this search found it similar to: one read per word
    /// in the bound.
    word_hits: Vec<WordHits>,
    /// Every listed word a query unit found, grouped by word (see `group_by_word`).
    flat: Vec<Found>,
    /// The listed words of `flat`, in order of first appearance.
    found_words: Vec<u32>,
    seen: Vec<u32>,
    /// Listed words similar to a query word (and to a run of query words), by its
    /// text, for the index `memo_index`: screened names repeat their words
    /// ("trading", "shanghai", "co"), and finding a word's typo neighbours is the
    /// costliest step of a search.
    memo_index: u64,
    memo_words: FxHashMap<Box<str>, Similar>,
    memo_runs: FxHashMap<Box<str>, Similar>,
}

/// Where a vocabulary word's hits lie in a search's hits grouped by word (`flat`).
#[derive(Clone, Copy, Default)]
struct WordHits {
    /// The search epoch that wrote this entry; the entry is stale otherwise.
    epoch: u32,
    /// The word's hits are `flat[start..end]`.
    start: u32,
    end: u32,
    /// The best similarity among them.
    best: f32,
}

/// A listed word similar to a query unit.
#[derive(Clone, Copy)]
struct Found {
    /// The query tokens of the unit (see `unit_mask`).
    mask: u64,
    sim: f32,
    run: Run,
    basis: Basis,
}

impl Scratch {
    /// Starts a search over an index of `names` names and `words` words: a fresh epoch,
    /// so that every name and word stamp of earlier searches is stale.
    fn next_epoch(&mut self, names: usize, words: usize) -> u32 {
        // New entries start at stamp 0; kept ones hold earlier epochs.
        if self.cands.len() < names {
            self.cands.resize(names, Cand::default());
        }
        if self.word_hits.len() < words {
            self.word_hits.resize(words, WordHits::default());
        }
        self.epoch = self.epoch.wrapping_add(1);
        if self.epoch == 0 {
            // The counter wrapped: no old stamp may look current.
            self.cands.iter_mut().for_each(|c| c.stamp = 0);
            self.word_hits.iter_mut().for_each(|h| h.epoch = 0);
            self.epoch = 1;
        }
        self.epoch
    }

    /// Name `name`'s record, fresh when first met in search `epoch`.
    fn touch(&mut self, name: u32, epoch: u32) -> Option<&mut Cand> {
        let c = self.cands.get_mut(name as usize)?;
        if c.stamp != epoch {
            *c = Cand {
                stamp: epoch,
                partial: 0,
            };
            self.touched.push(name);
            self.work.names_met += 1;
        }
        Some(c)
    }
}

/// Weight added to the bound's estimate of what a name's unread words may align, so
/// that rounding in subtracting weights never lowers it below the true bound.
const BOUND_SLACK: f32 = 1e-3;

/// Words remembered per thread before the memo starts again.
const SIMILAR_MEMO_MAX: usize = 50_000;

static NEXT_INDEX_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Runs `f` with this thread's search space.
fn with_scratch<R>(f: impl FnOnce(&mut Scratch) -> R) -> R {
    SCRATCH.with(|s| match s.try_borrow_mut() {
        Ok(mut scratch) => f(&mut scratch),
        // Re-entered from the same thread (not done here): use fresh space.
        Err(_) => f(&mut Scratch::default()),
    })
}

impl NameIndex {
    /// Builds the index. Names that normalize to nothing (empty, or only a legal form)
    /// are kept but never found.
    pub fn build(names: impl IntoIterator<Item = IndexedName>) -> NameIndex {
        let mut inner = Inner::default();
        inner.name_run_off.push(0);
        let mut run_variants: Vec<u64> = Vec::new();
        let mut per_vocab: Vec<Vec<u32>> = Vec::new();
        // Each reading of a listed name (other scripts, a short form in parentheses,
        // alternates) is indexed as a name of its own, reported as listed.
        let readings = names.into_iter().flat_map(|n| {
            let rs = crate::normalize::readings::readings(&n.name);
            rs.into_iter().map(move |r| (n.clone(), r))
        });
        for (n, reading) in readings {
            let kind = Some(n.kind).filter(|k| *k != EntityKind::Unknown);
            let p = Prepared::new(&reading.text, kind);
            let name_id = inner.names.len() as u32;
            let mut ids = Vec::with_capacity(p.toks.len());
            for t in p.toks {
                let id = match inner.by_text.get(&*t.text) {
                    Some(&id)
                        if inner
                            .vocab
                            .get(id as usize)
                            .is_some_and(|v| v.class == t.class && v.abjad == t.abjad) =>
                    {
                        id
                    }
                    _ => {
                        let id = inner.vocab.len() as u32;
                        inner.by_text.insert(t.text.clone(), id);
                        inner.vocab.push(t);
                        per_vocab.push(Vec::new());
                        id
                    }
                };
                if let Some(list) = per_vocab.get_mut(id as usize) {
                    if list.last() != Some(&name_id) {
                        list.push(name_id);
                    }
                }
                ids.push(id);
            }
            for len in 2..=3usize {
                for start in 0..ids.len().saturating_sub(len - 1) {
                    let toks: Option<Vec<&Tok>> = ids.get(start..start + len).map(|s| {
                        s.iter()
                            .filter_map(|&v| inner.vocab.get(v as usize))
                            .collect()
                    });
                    let Some(toks) = toks else { continue };
                    if toks.len() != len || !runnable(toks.iter().copied()) {
                        continue;
                    }
                    let text: String = toks.iter().map(|t| &*t.text).collect();
                    let key = phonetic_key(&text);
                    // A typo is counted on the texts or on the keys, each within one
                    // edit; only texts within a few letters of a long word's length
                    // are compared (see `score::add_runs`).
                    if text.len() + score::RUN_LEN_SLACK >= score::RUN_TYPO_MIN_LEN {
                        let text_near = text.len() + RUN_BUDGET >= score::RUN_TYPO_MIN_LEN;
                        let spellings =
                            [text_near.then_some(text.as_bytes()), Some(key.as_bytes())];
                        for s in spellings.into_iter().flatten() {
                            for_each_deletion(s, RUN_BUDGET, |h| {
                                run_variants.push((h >> 32) << 32 | u64::from(name_id));
                            });
                        }
                    }
                    inner.name_runs.push(RunShape {
                        start: start.min(63) as u8,
                        len: len as u8,
                        ..RunShape::new(&text, &key)
                    });
                    inner.name_run_spelled.push((
                        inner.run_spellings.len() as u32,
                        text.len().min(usize::from(u16::MAX)) as u16,
                        key.len().min(usize::from(u16::MAX)) as u16,
                    ));
                    inner.run_spellings.push_str(&text);
                    inner.run_spellings.push_str(&key);
                    let list = inner.by_run.entry(key.into_boxed_str()).or_default();
                    if list.last() != Some(&name_id) {
                        list.push(name_id);
                    }
                }
            }
            let runs_from = inner.name_run_off.last().copied().unwrap_or(0) as usize;
            let mut sum = RunSummary::default();
            for r in inner.name_runs.get(runs_from..).unwrap_or(&[]) {
                sum.add_run(r);
            }
            inner.name_run_sums.push(sum);
            inner.name_run_off.push(inner.name_runs.len() as u32);
            let wsum: f32 = ids
                .iter()
                .filter_map(|&i| inner.vocab.get(i as usize))
                .map(|t| t.weight)
                .sum();
            let has_initials = ids
                .iter()
                .filter_map(|&i| inner.vocab.get(i as usize))
                .any(|t| t.class == TokenClass::Initial);
            inner
                .name_wsum
                .push(if has_initials { -wsum } else { wsum });
            inner.names.push(NameRec {
                named: std::sync::OnceLock::new(),
                entity: n.entity,
                original: n.name.into_boxed_str(),
                kind: n.kind,
                weak: n.weak || reading.short_form,
                countries: n
                    .countries
                    .iter()
                    .filter_map(|c| country_bytes(c))
                    .collect(),
                toks: ids.into_boxed_slice(),
                legal: p.legal.into_boxed_slice(),
            });
        }
        run_variants.sort_unstable();
        run_variants.dedup();
        run_variants.shrink_to_fit();
        inner.run_variants = run_variants;
        inner.vweight = inner
            .vocab
            .iter()
            .map(|t| {
                if t.class == TokenClass::Initial {
                    -t.weight
                } else {
                    t.weight
                }
            })
            .collect();
        inner.name_tok_off.push(0);
        let mut words: Vec<(u32, f32, u8)> = Vec::new();
        for rec in &inner.names {
            words.clear();
            words.extend(rec.toks.iter().enumerate().map(|(j, &v)| {
                let w = inner.vweight.get(v as usize).copied().unwrap_or(0.0);
                (v, w, j.min(63) as u8)
            }));
            words.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
            inner
                .name_tok_ids
                .extend(words.iter().map(|&(v, w, _)| (v, w)));
            inner.name_tok_pos.extend(words.iter().map(|w| w.2));
            inner.name_tok_off.push(inner.name_tok_ids.len() as u32);
        }
        let mut off = 0u32;
        for list in &per_vocab {
            inner.post_off.push(off);
            let with_initials =
                |n: &u32| inner.name_wsum.get(*n as usize).is_some_and(|w| *w < 0.0);
            inner
                .postings
                .extend(list.iter().filter(|n| !with_initials(n)));
            inner
                .post_split
                .push(off + list.iter().filter(|n| !with_initials(n)).count() as u32);
            off += list.len() as u32;
            inner
                .postings
                .extend(list.iter().filter(|n| with_initials(n)));
        }
        inner.post_off.push(off);
        inner.letters = inner
            .vocab
            .iter()
            .map(|t| (letter_set(&t.text), letter_set(&t.key)))
            .collect();
        let mut dels: Vec<(u64, u32)> = Vec::new();
        let mut grams: Vec<u32> = Vec::new();
        inner.word_gram_off.push(0);
        for (id, t) in inner.vocab.iter().enumerate() {
            if t.class != TokenClass::Word {
                inner.word_gram_off.push(inner.word_grams.len() as u32);
                inner.word_gram_sig.push(0);
                continue;
            }
            let id = id as u32;
            inner.by_key.entry(t.key.clone()).or_default().push(id);
            if let Some(st) = score::stem(&t.text) {
                inner.by_stem.entry(st.into()).or_default().push(id);
            }
            let cons = score::consonants(&score::abjad_fold(&t.text));
            if cons.len() >= 2 {
                inner
                    .by_consonants
                    .entry(cons.into_boxed_str())
                    .or_default()
                    .push(id);
            }
            if t.text.len() <= SKELETON_MAX_LEN {
                let sk = skeleton(&t.key);
                if sk.len() >= 2 {
                    inner
                        .by_skeleton
                        .entry(sk.into_boxed_str())
                        .or_default()
                        .push(id);
                }
            }
            let key = t.key.as_bytes();
            for_each_deletion(key, budget(key.len()), |h| dels.push((h, id)));
            let text = t.text.as_bytes();
            if text != key {
                for_each_deletion(text, budget(text.len()), |h| dels.push((h, id)));
            }
            grams.clear();
            if key.len() >= 4 {
                grams.extend(trigrams(key));
                grams.sort_unstable();
                grams.dedup();
                inner.word_grams.extend_from_slice(&grams);
            }
            inner.word_gram_off.push(inner.word_grams.len() as u32);
            inner
                .word_gram_sig
                .push(grams.iter().fold(0, |sig, &g| sig | gram_bit(g)));
        }
        (inner.pivots, inner.pivot_ids) = pivot_trigrams(&inner.word_grams, &inner.word_gram_off);
        inner.max_word_len = inner
            .vocab
            .iter()
            .map(|t| t.text.len().max(t.key.len()))
            .max()
            .unwrap_or(0);
        (inner.deletes, inner.del_ids) = group_variants(dels);
        inner.id = NEXT_INDEX_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        NameIndex {
            inner: Arc::new(inner),
        }
    }

    /// Number of names indexed.
    pub fn len(&self) -> usize {
        self.inner.names.len()
    }

    /// Whether no name is indexed.
    pub fn is_empty(&self) -> bool {
        self.inner.names.is_empty()
    }

    /// Number of distinct words indexed.
    pub fn vocabulary_len(&self) -> usize {
        self.inner.vocab.len()
    }

    /// An estimate of the heap memory the index holds, in bytes.
    pub fn heap_bytes(&self) -> usize {
        let i = &self.inner;
        let tok = |t: &Tok| std::mem::size_of::<Tok>() + t.text.len() + t.key.len();
        let vocab: usize = i.vocab.iter().map(tok).sum();
        let map_entry = 16 + std::mem::size_of::<usize>();
        let by_text: usize = i.by_text.keys().map(|k| k.len() + map_entry + 4).sum();
        let by_key: usize = i
            .by_key
            .iter()
            .chain(i.by_skeleton.iter())
            .map(|(k, v)| k.len() + map_entry + 24 + v.len() * 4)
            .sum();
        let deletes = i.deletes.capacity() * (8 + 8 + 1)
            + i.del_ids.capacity() * 4
            + i.run_variants.capacity() * 8;
        let tri = (i.word_grams.capacity() + i.word_gram_off.capacity() + i.pivot_ids.capacity())
            * 4
            + i.pivots.capacity() * (8 + 8 + 1);
        let posts = (i.post_off.capacity()
            + i.post_split.capacity()
            + i.postings.capacity()
            + i.name_wsum.capacity()
            + i.name_tok_off.capacity()
            + i.name_tok_ids.capacity() * 2
            + i.name_tok_pos.capacity().div_ceil(4)
            + i.vweight.capacity()
            + i.name_run_off.capacity())
            * 4
            + i.name_runs.capacity() * std::mem::size_of::<RunShape>()
            + i.name_run_spelled.capacity() * 8
            + i.run_spellings.capacity()
            + i.name_run_sums.capacity() * std::mem::size_of::<RunSummary>()
            + i.letters.capacity() * 8;
        let runs: usize = i
            .by_run
            .iter()
            .map(|(k, v)| k.len() + map_entry + 24 + v.capacity() * 4)
            .sum();
        let names: usize = i
            .names
            .iter()
            .map(|n| {
                std::mem::size_of::<NameRec>()
                    + n.original.len()
                    + n.toks.len() * 4
                    + n.countries.len() * 2
                    + n.legal.iter().map(|c| c.len() + 16).sum::<usize>()
                    + n.named.get().map_or(0, |c| c.len() * 16)
            })
            .sum();
        vocab + by_text + by_key + deletes + tri + posts + names + runs
    }

    fn postings(&self, v: u32) -> &[u32] {
        let i = &self.inner;
        i.postings.get(span(&i.post_off, v as usize)).unwrap_or(&[])
    }

    /// The postings of word `v` that are names with initials.
    fn postings_with_initials(&self, v: u32) -> &[u32] {
        let i = &self.inner;
        let a = i.post_split.get(v as usize).copied().unwrap_or(0) as usize;
        let b = i.post_off.get(v as usize + 1).copied().unwrap_or(0) as usize;
        i.postings.get(a..b).unwrap_or(&[])
    }

    /// Vocabulary words similar to a word (or run) with text `text` and key `key`.
    #[allow(clippy::too_many_arguments)]
    fn similar(
        &self,
        text: &str,
        key: &str,
        abjad: bool,
        max_budget: usize,
        seen: &mut Vec<u32>,
        work: &mut SearchWork,
    ) -> Vec<(u32, f32, Basis)> {
        let i = &self.inner;
        seen.clear();
        if let Some(&id) = i.by_text.get(text) {
            seen.push(id);
        }
        if let Some(ids) = i.by_key.get(key) {
            seen.extend_from_slice(ids);
        }
        if let Some(ids) = score::stem(text).and_then(|st| i.by_stem.get(st)) {
            seen.extend_from_slice(ids);
        }
        // Words of the other kind of script (Arabic or Hebrew against Latin) with the
        // same consonants; `abjad_sim` keeps those whose letters also agree.
        let by_consonants = || {
            i.by_consonants
                .get(score::consonants(&score::abjad_fold(text)).as_str())
        };
        if let Some(ids) = by_consonants() {
            seen.extend(
                ids.iter()
                    .filter(|&&v| i.vocab.get(v as usize).is_some_and(|t| t.abjad != abjad)),
            );
        }
        if text.len() <= SKELETON_MAX_LEN {
            if let Some(ids) = i.by_skeleton.get(skeleton(key).as_str()) {
                seen.extend_from_slice(ids);
            }
        }
        let mut lookup = |h: u64| {
            work.variants += 1;
            if let Some(&(start, len)) = i.deletes.get(&h) {
                if let Some(ids) = i.del_ids.get(start as usize..(start + len) as usize) {
                    seen.extend_from_slice(ids);
                }
            }
        };
        // A word longer than every listed word by more than its budget shares no
        // variant with one.
        let reach = |s: &str| budget(s.len()).min(max_budget);
        if key.len() <= i.max_word_len + reach(key) {
            for_each_deletion(key.as_bytes(), reach(key), &mut lookup);
        }
        if text != key && text.len() <= i.max_word_len + reach(text) {
            for_each_deletion(text.as_bytes(), reach(text), &mut lookup);
        }
        seen.sort_unstable();
        seen.dedup();
        let q_letters = (letter_set(text), letter_set(key));
        let forms = WordForms::new(text, key);
        let mut out = Vec::with_capacity(seen.len());
        for &id in seen.iter() {
            let Some(v) = i.vocab.get(id as usize) else {
                continue;
            };
            if v.class != TokenClass::Word {
                continue;
            }
            let other_script = score::abjad_sim(text, abjad, &v.text, v.abjad);
            // Words too different in letters for the edit budget, and too long to
            // share consonants (see `word_sim_budget`), cannot align.
            let (vt, vk) = i.letters.get(id as usize).copied().unwrap_or((0, 0));
            let kt = budget(text.len().max(v.text.len())).min(max_budget) as u32;
            let kk = budget(key.len().max(v.key.len())).min(max_budget) as u32;
            let near = (q_letters.0 ^ vt).count_ones() <= 2 * kt
                || (q_letters.1 ^ vk).count_ones() <= 2 * kk
                || (text.len() <= SKELETON_MAX_LEN && v.text.len() <= SKELETON_MAX_LEN)
                || score::stem(text).is_some_and(|st| Some(st) == score::stem(&v.text));
            if !near && other_script.is_none() {
                continue;
            }
            work.words_compared += 1;
            let (s, basis) = score::best_sim(
                word_sim_to(&forms, &v.text, &v.key, max_budget),
                other_script,
            );
            if s > 0.0 {
                out.push((id, s, basis));
            }
        }
        out
    }

    /// Searches the index: hits by descending score, one per entity (its best name),
    /// at or above `opts.threshold`, at most `opts.limit`. With threshold 0, the best
    /// `limit` candidates the index finds, whatever their score.
    pub fn search(&self, query: &NameQuery, opts: &SearchOptions) -> Vec<NameHit> {
        self.each_reading(query, opts, |q| {
            with_scratch(|sc| self.search_with(q, opts, None, sc))
        })
    }

    /// Runs `search` on each reading of the query (see
    /// [`crate::normalize::readings`]) and keeps each entity's best hit: a short form
    /// the query gives in parentheses counts as a weak alias does.
    fn each_reading(
        &self,
        query: &NameQuery,
        opts: &SearchOptions,
        search: impl Fn(&NameQuery) -> Vec<NameHit>,
    ) -> Vec<NameHit> {
        let readings = crate::normalize::readings::readings(&query.name);
        if readings.len() <= 1 {
            return search(query);
        }
        let mut best: FxHashMap<u32, NameHit> = FxHashMap::default();
        for r in readings {
            let q = NameQuery {
                name: r.text.clone(),
                ..query.clone()
            };
            for mut h in search(&q) {
                if r.short_form {
                    h.score *= WEAK_ALIAS_FACTOR;
                    h.explanation.score = h.score;
                    h.explanation
                        .adjustments
                        .push(("short form of the screened name".into(), WEAK_ALIAS_FACTOR));
                    if h.score < opts.threshold {
                        continue;
                    }
                }
                if r.text != query.name {
                    h.explanation.reading = Some(r.text.clone());
                }
                match best.get(&h.entity) {
                    Some(b) if b.score >= h.score => {}
                    _ => {
                        best.insert(h.entity, h);
                    }
                }
            }
        }
        let mut hits: Vec<NameHit> = best.into_values().collect();
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.entity.cmp(&b.entity)));
        hits.truncate(opts.limit);
        hits
    }

    /// [`NameIndex::search`] with a count of what it did. The memo of similar words is
    /// left out, so that the count is the same on every call.
    pub fn search_counted(
        &self,
        query: &NameQuery,
        opts: &SearchOptions,
    ) -> (Vec<NameHit>, SearchWork) {
        let mut sc = Scratch::default();
        let hits = self.search_with(query, opts, None, &mut sc);
        (hits, sc.work)
    }

    /// Like [`NameIndex::search`], but only among names that share a distinctive word
    /// with the query: a word of weight `min_weight` or more on both sides, spelled
    /// the same or with the same phonetic key. Far fewer candidates, so a search at a
    /// low threshold stays cheap when only such names count. Every hit of
    /// [`NameIndex::search`] whose explanation pairs such a word (an exact or phonetic
    /// [`Basis`] at those weights) is among the hits, scored the same.
    pub fn search_sharing_word(
        &self,
        query: &NameQuery,
        opts: &SearchOptions,
        min_weight: f32,
    ) -> Vec<NameHit> {
        self.each_reading(query, opts, |q| {
            with_scratch(|sc| self.search_with(q, opts, Some(min_weight), sc))
        })
    }

    fn search_with(
        &self,
        query: &NameQuery,
        opts: &SearchOptions,
        sharing: Option<f32>,
        sc: &mut Scratch,
    ) -> Vec<NameHit> {
        let inner = &*self.inner;
        sc.work = SearchWork::default();
        let names_own_country = query_names_own_country(query);
        let kind = query.kind.filter(|k| *k != EntityKind::Unknown);
        let q = Prepared::screened(&query.name, kind);
        let nq = q.toks.len();
        if nq == 0 || opts.limit == 0 {
            return Vec::new();
        }
        // Query units: single tokens, then runs of 2 and 3 words.
        let mut units: Vec<Unit> = Vec::new();
        // Listed words contained in a query word, and listed names with a run keyed
        // like a query word or run; each with the query tokens it came through.
        let mut partial_vocab: Vec<(u32, u64)> = Vec::new();
        let mut partial_names: Vec<(u32, u64)> = Vec::new();
        let mut initial_mask = 0u64;
        let mut seen = std::mem::take(&mut sc.seen);
        if sc.memo_index != inner.id || sc.memo_words.len() + sc.memo_runs.len() > SIMILAR_MEMO_MAX
        {
            sc.memo_words.clear();
            sc.memo_runs.clear();
            sc.memo_index = inner.id;
        }
        let mut memo_words = std::mem::take(&mut sc.memo_words);
        let mut memo_runs = std::mem::take(&mut sc.memo_runs);
        for (idx, t) in q.toks.iter().enumerate() {
            let run = Run {
                start: idx as u8,
                len: 1,
            };
            let hits = match t.class {
                TokenClass::Number => match inner.by_text.get(&*t.text) {
                    Some(&id)
                        if inner
                            .vocab
                            .get(id as usize)
                            .is_some_and(|v| v.class == TokenClass::Number) =>
                    {
                        Similar::from([(id, 1.0, Basis::Exact)])
                    }
                    _ => Similar::from([]),
                },
                TokenClass::Word => {
                    // Only the full search follows contained words.
                    if sharing.is_none()
                        && !inner.by_text.contains_key(&*t.text)
                        && t.key.len() >= PARTIAL_MIN_LEN
                    {
                        self.contained_words(&t.key, 1u64 << idx, sc, &mut partial_vocab);
                    }
                    if let Some(names) = inner.by_run.get(&*t.key) {
                        partial_names.extend(names.iter().map(|&n| (n, 1u64 << idx)));
                    }
                    // Listed runs a long word may align with despite a typo.
                    if sharing.is_none() && t.text.len() >= score::RUN_TYPO_MIN_LEN {
                        let work = &mut sc.work;
                        let mut lookup = |h: u64| {
                            work.variants += 1;
                            let v = &inner.run_variants;
                            let from = v.partition_point(|&x| x >> 32 < h >> 32);
                            let same = v.get(from..).unwrap_or(&[]);
                            let names = same.iter().take_while(|&&x| x >> 32 == h >> 32);
                            partial_names.extend(names.map(|&x| (x as u32, 1u64 << idx)));
                        };
                        for s in [t.text.as_bytes(), t.key.as_bytes()] {
                            for_each_deletion(s, RUN_BUDGET, &mut lookup);
                        }
                    }
                    // Words read from Arabic or Hebrew script are remembered apart.
                    let memo_key: Box<str> = if t.abjad {
                        format!("\u{1}{}", t.text).into()
                    } else {
                        t.text.clone()
                    };
                    match memo_words.get(&memo_key) {
                        Some(hits) => hits.clone(),
                        None => {
                            let hits: Similar = self
                                .similar(
                                    &t.text,
                                    &t.key,
                                    t.abjad,
                                    usize::MAX,
                                    &mut seen,
                                    &mut sc.work,
                                )
                                .into();
                            memo_words.insert(memo_key, hits.clone());
                            hits
                        }
                    }
                }
                _ => {
                    initial_mask |= 1u64 << idx;
                    Similar::from([])
                }
            };
            units.push(Unit { run, hits });
        }
        for len in 2..=3u8 {
            for start in 0..nq.saturating_sub(len as usize - 1) {
                let run = Run {
                    start: start as u8,
                    len,
                };
                if let Some((text, key)) = run_text(&q.toks, run) {
                    // Listed runs spelled the same but split elsewhere.
                    if let Some(names) = inner.by_run.get(key.as_str()) {
                        partial_names.extend(names.iter().map(|&n| (n, unit_mask(run))));
                    }
                    let hits = match memo_runs.get(text.as_str()) {
                        Some(hits) => hits.clone(),
                        None => {
                            let hits: Similar = self
                                .similar(&text, &key, false, RUN_BUDGET, &mut seen, &mut sc.work)
                                .into();
                            memo_runs.insert(text.clone().into(), hits.clone());
                            hits
                        }
                    };
                    units.push(Unit { run, hits });
                }
            }
        }
        sc.seen = seen;
        sc.memo_words = memo_words;
        sc.memo_runs = memo_runs;

        let threshold = opts.threshold.max(0.0);
        let init_w: f32 = q
            .toks
            .iter()
            .enumerate()
            .filter(|(i, _)| initial_mask & (1u64 << i) != 0)
            .map(|(_, t)| t.weight)
            .sum();
        // A side's share is at most its best similarity (see `bound`), so a name whose
        // hits are all below `2·threshold - 1` cannot reach the threshold, unless
        // initials (which align on the spot) lift it.
        let floor = if initial_mask == 0 {
            (2.0 * threshold - 1.0) as f32 - 1e-4
        } else {
            f32::MIN
        };

        // Query words that may align with a run of listed words unseen by retrieval
        // (see `RunShape::may_align_unseen`): each candidate's runs are asked.
        let run_words: Vec<(u64, RunShape)> = q
            .toks
            .iter()
            .enumerate()
            .filter(|(_, t)| t.class == TokenClass::Word && t.text.len() >= score::RUN_TYPO_MIN_LEN)
            .map(|(k, t)| (1u64 << k, RunShape::new(&t.text, &t.key)))
            .collect();
        let mut run_summary = RunSummary::default();
        for (_, shape) in &run_words {
            run_summary.add_query_word(shape);
        }
        let epoch = sc.next_epoch(inner.names.len(), inner.vocab.len());
        let mut flat = std::mem::take(&mut sc.flat);
        group_by_word(
            &units,
            epoch,
            &mut sc.word_hits,
            &mut sc.found_words,
            &mut flat,
        );

        // Gather candidates: every name with a word similar enough to an essential query
        // token; through the other words, only names with initials (which may align
        // anything).
        sc.touched.clear();
        if let Some(min_weight) = sharing {
            // Only names holding a distinctive word the query has too.
            for unit in &units {
                let q_weight = match unit.run.len {
                    1 => q
                        .toks
                        .get(unit.run.start as usize)
                        .map_or(0.0, |t| t.weight),
                    // A run's own weight is not known here: let the listed word decide.
                    _ => f32::MAX,
                };
                if q_weight < min_weight {
                    continue;
                }
                for &(v, _, basis) in unit.hits.iter() {
                    let distinctive = matches!(basis, Basis::Exact | Basis::Phonetic)
                        && inner
                            .vweight
                            .get(v as usize)
                            .is_some_and(|w| *w >= min_weight);
                    if distinctive {
                        for &name in self.postings(v) {
                            sc.touch(name, epoch);
                        }
                    }
                }
            }
            // Listed runs keyed like a query word or run (`HUAXIN` / `HUA XIN`).
            for &(name, mask) in &partial_names {
                if let Some(c) = sc.touch(name, epoch) {
                    c.partial |= mask;
                }
            }
        } else {
            let essential = essential_tokens(&q, &flat, init_w, threshold, floor);
            for unit in &units {
                let all = unit_mask(unit.run) & essential != 0;
                for &(v, sim, _) in unit.hits.iter() {
                    let posts = if all && sim >= floor {
                        self.postings(v)
                    } else {
                        self.postings_with_initials(v)
                    };
                    for &name in posts {
                        sc.touch(name, epoch);
                    }
                }
            }
            let partial_posts = partial_vocab
                .iter()
                .flat_map(|&(v, mask)| self.postings(v).iter().map(move |&n| (n, mask)));
            for (name, mask) in partial_posts.chain(partial_names.iter().copied()) {
                if let Some(c) = sc.touch(name, epoch) {
                    c.partial |= mask;
                }
            }
        }

        // Score the candidates that can reach the threshold.
        let mut best: FxHashMap<u32, (f64, u32, score::Outcome)> = FxHashMap::default();
        for &name in &sc.touched {
            let i = name as usize;
            let partial = sc.cands.get(i).map_or(u64::MAX, |c| c.partial);
            let bound = if threshold > 0.0 {
                // Most queries have no word long enough to align with a run.
                let runs = if run_words.is_empty() {
                    (0, 0)
                } else {
                    self.run_aligned(i, &run_words, &run_summary)
                };
                let bound = self.bound(
                    &q,
                    i,
                    &flat,
                    sc,
                    initial_mask,
                    init_w,
                    partial,
                    runs,
                    threshold,
                );
                if bound + 1e-6 < threshold {
                    continue;
                }
                bound
            } else {
                f64::INFINITY
            };
            let Some(rec) = inner.names.get(i) else {
                continue;
            };
            let c_kind = Some(rec.kind).filter(|k| *k != EntityKind::Unknown);
            // Legal forms, kinds, a weak alias and countries lower a score by factors
            // known before the words align (an identical name is never lowered by the
            // first two).
            let fixed = score::fixed_factor(&q, &rec.legal, rec.toks.len(), c_kind);
            if bound * f64::from(fixed) * query_factor(query, rec) + 1e-6 < threshold {
                continue;
            }
            let view = View::of(inner, i, rec);
            let sims = Cached {
                q: &q,
                view: &view,
                flat: &flat,
                word_hits: &sc.word_hits,
                epoch,
            };
            sc.work.names_scored += 1;
            let mut o = score::score(&q, &view, &rec.legal, c_kind, &sims);
            apply_query_factors(&mut o, query, rec, names_own_country);
            if o.score < threshold || o.score <= 0.0 {
                continue;
            }
            let entry = best
                .entry(rec.entity)
                .or_insert((-1.0, name, score::Outcome::default()));
            if o.score > entry.0 {
                *entry = (o.score, name, o);
            }
        }
        sc.flat = flat;
        self.ranked_hits(&q, best, opts.limit)
    }

    /// The best score name `i` can get against `q`, from the similarities of its words
    /// to query units (`flat`, indexed by `word_hits`) alone. Each side's aligned share
    /// `Σ sim·w / (unaligned + Σ w)` is at most `S / (U + S)` where `S` sums each hit
    /// token's weight times its best similarity and `U` is the weight of tokens with no
    /// hit; initials may align anything, so they count as hits.
    ///
    /// The listed name's side is bounded first, from one read per word; most names
    /// stop there, when even a perfect query side could not lift the mean to
    /// `threshold`, and the value returned is then that looser bound.
    ///
    /// Query tokens in `partial` may align with runs of the name's words (joined or
    /// split elsewhere), which `flat` does not hold: they count as fully aligned, and
    /// the name's side is not bounded. `runs` holds query tokens that may align with
    /// runs of the name's words and the words of those runs: all count as aligned.
    #[allow(clippy::too_many_arguments)]
    fn bound(
        &self,
        q: &Prepared,
        i: usize,
        flat: &[Found],
        sc: &Scratch,
        initial_mask: u64,
        init_w: f32,
        partial: u64,
        runs: (u64, u64),
        threshold: f64,
    ) -> f64 {
        let inner = &*self.inner;
        let words = span(&inner.name_tok_off, i);
        let ids = inner.name_tok_ids.get(words.clone()).unwrap_or(&[]);
        let has_initials = inner.name_wsum.get(i).is_none_or(|w| *w < 0.0);
        let hits_of = |v: u32| match sc.word_hits.get(v as usize) {
            Some(h) if h.epoch == sc.epoch => Some(h),
            _ => None,
        };
        // A side's share is a weighted mean of the similarities of its aligned tokens
        // over at least their own weight: at most the best similarity, and at most
        // `S / (U + S)`.
        let share = |s: f32, u: f32, max: f32| {
            if s > 0.0 {
                (s / (u + s)).min(max)
            } else {
                0.0
            }
        };
        let bound_c = if initial_mask != 0 || partial != 0 {
            1.0
        } else {
            let (mut s_c, mut u_c, mut max_c) = (0.0f32, 0.0f32, 0.0f32);
            // The weight of the words not yet read: at best they all align fully.
            let mut rest = inner.name_wsum.get(i).map_or(f32::MAX, |w| w.abs());
            let need = (2.0 * threshold - 1.0) as f32;
            let positions = inner.name_tok_pos.get(words.clone()).unwrap_or(&[]);
            for (&(v, w), &j) in ids.iter().zip(positions) {
                rest -= w.abs();
                if w < 0.0 {
                    s_c -= w;
                    max_c = 1.0;
                    continue;
                }
                let best = if runs.1 & (1u64 << j) != 0 {
                    1.0
                } else {
                    hits_of(v).map_or(0.0, |h| h.best)
                };
                max_c = max_c.max(best);
                if best > 0.0 {
                    s_c += w * best;
                } else {
                    u_c += w;
                    // Most names met share one word with the query and leave a heavier
                    // one unaligned: stop at it when even the rest aligning fully could
                    // not reach the threshold (with a margin for the rounding of
                    // `rest`). The value returned is still an upper bound.
                    let most = s_c + rest.max(0.0) + BOUND_SLACK;
                    if most < need * (u_c + most) {
                        return f64::from(0.5 * (1.0 + most / (u_c + most)));
                    }
                }
            }
            share(s_c, u_c, max_c)
        };
        let loose = f64::from(0.5 * (1.0 + bound_c));
        if has_initials || loose + 1e-6 < threshold {
            return loose;
        }
        // The query side: each query token's best similarity to any word of the name.
        let mut ms = [0.0f32; score::MAX_TOKENS];
        for k in bits(partial | runs.0) {
            if let Some(x) = ms.get_mut(k) {
                *x = 1.0;
            }
        }
        for &(v, w) in ids {
            if w < 0.0 {
                continue;
            }
            let Some(h) = hits_of(v) else { continue };
            for f in flat.get(h.start as usize..h.end as usize).unwrap_or(&[]) {
                for k in bits(f.mask) {
                    if let Some(x) = ms.get_mut(k) {
                        *x = x.max(f.sim);
                    }
                }
            }
        }
        let (mut s_q, mut u_q) = (init_w, 0.0f32);
        let mut max_q = if init_w > 0.0 { 1.0f32 } else { 0.0 };
        for (k, t) in q.toks.iter().enumerate() {
            if initial_mask & (1u64 << k) != 0 {
                continue;
            }
            let m = ms.get(k).copied().unwrap_or(1.0);
            max_q = max_q.max(m);
            if m > 0.0 {
                s_q += t.weight * m;
            } else {
                u_q += t.weight;
            }
        }
        let bound_q = share(s_q, u_q, max_q);
        f64::from(0.5 * (bound_q + bound_c))
    }

    /// The query words among `run_words` that may align with a run of name `i`'s
    /// words without retrieval knowing, and the name's words in those runs.
    fn run_aligned(
        &self,
        i: usize,
        run_words: &[(u64, RunShape)],
        summary: &RunSummary,
    ) -> (u64, u64) {
        let inner = &*self.inner;
        if !inner.name_run_sums.get(i).is_some_and(|s| s.meets(summary)) {
            return (0, 0);
        }
        let (mut in_query, mut in_name) = (0u64, 0u64);
        for r in inner
            .name_runs
            .get(span(&inner.name_run_off, i))
            .unwrap_or(&[])
        {
            for (bit, q) in run_words {
                if r.may_align_unseen(*q) {
                    in_query |= bit;
                    in_name |= unit_mask(Run {
                        start: r.start,
                        len: r.len,
                    });
                }
            }
        }
        (in_query, in_name)
    }

    /// Listed words whose key trigrams nearly all occur in `key`: words that a query
    /// word contains when names run together. Each goes to `out` with `mask`, the
    /// query token it came through, in order of the first trigram it shares with
    /// `key`, then by word.
    ///
    /// A word of fewer than five trigrams must have them all in `key`, one of five or
    /// more all but one (a typo in it). So its rarest trigram, or one of its two rarest
    /// when it may miss one, is in `key`: only the words pivoting on `key`'s trigrams
    /// are checked (see [`pivot_trigrams`]), not every word sharing a trigram with it,
    /// which for common trigrams (`ANG`, `ING`) are thousands.
    fn contained_words(&self, key: &str, mask: u64, sc: &mut Scratch, out: &mut Vec<(u32, u64)>) {
        let inner = &*self.inner;
        let nv = inner.vocab.len();
        if sc.vstamp.len() < nv {
            sc.vstamp = vec![0; nv];
        }
        sc.contain_epoch = sc.contain_epoch.wrapping_add(1);
        if sc.contain_epoch == 0 {
            sc.vstamp.iter_mut().for_each(|s| *s = 0);
            sc.contain_epoch = 1;
        }
        let epoch = sc.contain_epoch;
        sc.grams.clear();
        sc.grams.extend(trigrams(key.as_bytes()));
        sc.grams.sort_unstable();
        sc.grams.dedup();
        let sig = sc.grams.iter().fold(0, |sig, &g| sig | gram_bit(g));
        sc.contained.clear();
        for &g in &sc.grams {
            let Some(&(start, len)) = inner.pivots.get(&u64::from(g)) else {
                continue;
            };
            let words = inner.pivot_ids.get(start as usize..(start + len) as usize);
            for &v in words.unwrap_or_default() {
                match sc.vstamp.get_mut(v as usize) {
                    Some(s) if *s != epoch => *s = epoch,
                    _ => continue,
                }
                sc.work.contained_checked += 1;
                // Trigrams on different bits are different trigrams: two bits of the
                // word not among the query's mean two trigrams missing, one too many.
                let own_sig = inner.word_gram_sig.get(v as usize).copied().unwrap_or(0);
                if (own_sig & !sig).count_ones() >= 2 {
                    continue;
                }
                let own = inner
                    .word_grams
                    .get(span(&inner.word_gram_off, v as usize))
                    .unwrap_or_default();
                let (have, first) = shared_sorted(own, &sc.grams);
                let need = if own.len() >= 5 {
                    own.len() - 1
                } else {
                    own.len()
                };
                if need >= 2 && have >= need {
                    sc.contained.push((first, v));
                }
            }
        }
        sc.contained.sort_unstable();
        out.extend(sc.contained.iter().map(|&(_, v)| (v, mask)));
    }

    /// Scores `query` against every indexed name, without the index: the baseline that
    /// retrieval is measured against. Same hits as [`NameIndex::search`] when retrieval
    /// misses nothing.
    pub fn search_brute_force(&self, query: &NameQuery, opts: &SearchOptions) -> Vec<NameHit> {
        self.each_reading(query, opts, |q| self.scan(q, opts))
    }

    /// [`NameIndex::search_brute_force`] of one reading.
    fn scan(&self, query: &NameQuery, opts: &SearchOptions) -> Vec<NameHit> {
        let inner = &*self.inner;
        let names_own_country = query_names_own_country(query);
        let kind = query.kind.filter(|k| *k != EntityKind::Unknown);
        let q = Prepared::screened(&query.name, kind);
        let mut best: FxHashMap<u32, (f64, u32, score::Outcome)> = FxHashMap::default();
        for (name, rec) in inner.names.iter().enumerate() {
            let view = View::of(inner, name, rec);
            let sims = score::Direct { q: &q, c: &view };
            let c_kind = Some(rec.kind).filter(|k| *k != EntityKind::Unknown);
            let mut o = score::score(&q, &view, &rec.legal, c_kind, &sims);
            apply_query_factors(&mut o, query, rec, names_own_country);
            // Threshold 0 asks for the best names whatever their score, zero included.
            if o.score < opts.threshold || (o.score <= 0.0 && opts.threshold > 0.0) {
                continue;
            }
            let entry =
                best.entry(rec.entity)
                    .or_insert((-1.0, name as u32, score::Outcome::default()));
            if o.score > entry.0 {
                *entry = (o.score, name as u32, o);
            }
        }
        self.ranked_hits(&q, best, opts.limit)
    }
}

/// The query tokens at least one of which a name must share, by a hit of similarity
/// `floor` or more, to reach `threshold` (a mask), unless it has initials or was found
/// through runs. A name without such a hit aligns each essential token at most as well
/// as that token's best hit below `floor` (`low`), or not at all (weight `U`), and each
/// other token at most as well as its best hit (`best`): with `S` that best case,
/// `0.5·(S / (U + S) + 1)` stays below the threshold (see [`NameIndex::bound`]).
fn essential_tokens(q: &Prepared, flat: &[Found], init_w: f32, threshold: f64, floor: f32) -> u64 {
    let nq = q.toks.len();
    let all = if nq >= 64 { u64::MAX } else { (1u64 << nq) - 1 };
    if threshold <= 0.5 {
        return all;
    }
    let mut best = [0.0f32; score::MAX_TOKENS];
    let mut low = [0.0f32; score::MAX_TOKENS];
    for &Found { mask, sim, .. } in flat {
        for k in bits(mask) {
            if let Some(x) = best.get_mut(k) {
                *x = x.max(sim);
            }
            if sim < floor {
                if let Some(x) = low.get_mut(k) {
                    *x = x.max(sim);
                }
            }
        }
    }
    let get = |a: &[f32; score::MAX_TOKENS], k: usize| a.get(k).copied().unwrap_or(1.0);
    // Start with every token essential; cheapest first, tokens that bring the least to
    // a match leave while the bound stays below the threshold.
    let (mut s, mut u) = (init_w, 0.0f32);
    for (k, t) in q.toks.iter().enumerate() {
        if t.class == TokenClass::Initial {
            continue;
        }
        if get(&low, k) > 0.0 {
            s += t.weight * get(&low, k);
        } else {
            u += t.weight;
        }
    }
    let mut order: Vec<(f32, usize)> = q
        .toks
        .iter()
        .enumerate()
        .filter(|(k, t)| t.class != TokenClass::Initial && get(&best, *k) > 0.0)
        .map(|(k, t)| (t.weight * get(&best, k), k))
        .collect();
    order.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut essential = all;
    for (sw, k) in order {
        let (w, l) = (q.toks.get(k).map_or(0.0, |t| t.weight), get(&low, k));
        let (s2, u2) = if l > 0.0 {
            (s - w * l + sw, u)
        } else {
            (s + sw, u - w)
        };
        let bound = 0.5 * (f64::from(s2 / (u2 + s2).max(f32::MIN_POSITIVE)) + 1.0);
        // Margin for rounding: a pruned name must be clearly below.
        if bound + 1e-4 >= threshold {
            break;
        }
        s = s2;
        u = u2;
        essential &= !(1u64 << k);
    }
    essential
}

/// The set of ASCII letters and digits in `s`, a bit each (digits share the top bits).
fn letter_set(s: &str) -> u32 {
    s.bytes().fold(0u32, |m, b| match b {
        b'a'..=b'z' => m | 1 << (b - b'a'),
        b'0'..=b'9' => m | 1 << (26 + (b - b'0') % 6),
        _ => m | 1 << 31,
    })
}

/// Lays out every listed word the query units found in `flat`, grouped by word, and
/// points each word's `word_hits` entry at its group: two passes over the hits, no
/// sort (each unit's hits come sorted by word, but many units share words).
fn group_by_word(
    units: &[Unit],
    epoch: u32,
    word_hits: &mut [WordHits],
    words: &mut Vec<u32>,
    flat: &mut Vec<Found>,
) {
    // Count each word's hits, noting words in order of first appearance.
    words.clear();
    for &(v, sim, _) in units.iter().flat_map(|u| u.hits.iter()) {
        if let Some(h) = word_hits.get_mut(v as usize) {
            if h.epoch != epoch {
                *h = WordHits {
                    epoch,
                    start: 0,
                    end: 0,
                    best: sim,
                };
                words.push(v);
            }
            h.end += 1;
            h.best = h.best.max(sim);
        }
    }
    // Each group starts where the previous one ends; `end` then counts up as it fills.
    let mut at = 0u32;
    for &v in words.iter() {
        if let Some(h) = word_hits.get_mut(v as usize) {
            let n = h.end;
            h.start = at;
            h.end = at;
            at += n;
        }
    }
    flat.clear();
    flat.resize(
        at as usize,
        Found {
            mask: 0,
            sim: 0.0,
            run: Run { start: 0, len: 0 },
            basis: Basis::Exact,
        },
    );
    for u in units {
        let mask = unit_mask(u.run);
        for &(v, sim, basis) in u.hits.iter() {
            let Some(h) = word_hits.get_mut(v as usize) else {
                continue;
            };
            if let Some(slot) = flat.get_mut(h.end as usize) {
                *slot = Found {
                    mask,
                    sim,
                    run: u.run,
                    basis,
                };
            }
            h.end += 1;
        }
    }
}

/// The positions of the set bits of `mask`, lowest first.
fn bits(mut mask: u64) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        (mask != 0).then(|| {
            let k = mask.trailing_zeros() as usize;
            mask &= mask - 1;
            k
        })
    })
}

fn unit_mask(run: Run) -> u64 {
    let ones = (1u64 << run.len.min(63)) - 1;
    ones << run.start.min(63)
}

impl NameIndex {
    /// Each entity's best-scoring name, best first (ties by entity), at most `limit`,
    /// as hits with their explanations.
    fn ranked_hits(
        &self,
        q: &Prepared,
        best: FxHashMap<u32, (f64, u32, score::Outcome)>,
        limit: usize,
    ) -> Vec<NameHit> {
        let inner = &*self.inner;
        let mut hits: Vec<(f64, u32, u32, score::Outcome)> = best
            .into_iter()
            .map(|(e, (s, n, o))| (s, e, n, o))
            .collect();
        hits.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        hits.truncate(limit);
        hits.into_iter()
            .filter_map(|(s, entity, name, o)| {
                let rec = inner.names.get(name as usize)?;
                let view = View::of(inner, name as usize, rec);
                Some(NameHit {
                    entity,
                    name_index: name,
                    name: rec.original.to_string(),
                    kind: rec.kind,
                    score: s,
                    explanation: explain(q, &view, &o),
                })
            })
            .collect()
    }
}

fn apply_query_factors(
    o: &mut score::Outcome,
    query: &NameQuery,
    rec: &NameRec,
    names_own_country: bool,
) {
    if rec.weak {
        o.score *= WEAK_ALIAS_FACTOR;
        o.adjustments.push(("weak alias", WEAK_ALIAS_FACTOR));
    }
    if let Some(c) = country_differs(query, rec) {
        // "Agricultural Development Bank of China" in CN is not the DPRK's
        // Agricultural Development Bank: a name that carries its own country, which
        // the party's country confirms, is strong evidence of another entity, unless
        // the listed name says the same.
        let names_other = || {
            let named = rec
                .named
                .get_or_init(|| named_countries(&rec.original).collect());
            !named.iter().any(|x| x.eq_ignore_ascii_case(c))
        };
        if names_own_country && names_other() {
            o.score *= NAMED_COUNTRY_DIFFERS_FACTOR;
            o.adjustments.push((
                "the name names another country",
                NAMED_COUNTRY_DIFFERS_FACTOR,
            ));
        } else if rec.countries.len() == 1 {
            o.score *= COUNTRY_CONFLICT_FACTOR;
            o.adjustments.push((
                "the party's country is not the listed one",
                COUNTRY_CONFLICT_FACTOR,
            ));
        } else {
            o.score *= COUNTRY_MISMATCH_FACTOR;
            o.adjustments
                .push(("country differs", COUNTRY_MISMATCH_FACTOR));
        }
    }
}

/// The query's country, when the listed name has countries and that is not one.
fn country_differs<'q>(query: &'q NameQuery, rec: &NameRec) -> Option<&'q str> {
    let c = query.country.as_deref()?;
    let code = country_bytes(c);
    (!rec.countries.is_empty() && !rec.countries.iter().any(|x| Some(*x) == code)).then_some(c)
}

/// At most what [`apply_query_factors`] leaves of a score, known before scoring.
fn query_factor(query: &NameQuery, rec: &NameRec) -> f64 {
    let weak = if rec.weak { WEAK_ALIAS_FACTOR } else { 1.0 };
    let country = if country_differs(query, rec).is_some() {
        COUNTRY_MISMATCH_FACTOR.max(NAMED_COUNTRY_DIFFERS_FACTOR)
    } else {
        1.0
    };
    weak * country
}

/// Whether a word of `name` (of four letters or more, so no legal form or ISO code is
/// taken for a country) names the country `code`.
/// An ISO country code as two upper-case bytes; `None` for anything else.
fn country_bytes(code: &str) -> Option<[u8; 2]> {
    match code.trim().as_bytes() {
        &[a, b] if a.is_ascii_alphabetic() && b.is_ascii_alphabetic() => {
            Some([a.to_ascii_uppercase(), b.to_ascii_uppercase()])
        }
        _ => None,
    }
}

/// The countries a name names by a word of four letters or more (`CHINA`, `Korea`;
/// not `CO`, which is a legal form more often than Colombia).
fn named_countries(name: &str) -> impl Iterator<Item = &'static str> + '_ {
    name.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 4)
        .filter_map(crate::reference::country_code)
}

pub(crate) fn names_country(name: &str, code: &str) -> bool {
    named_countries(name).any(|x| x.eq_ignore_ascii_case(code))
}

/// Whether the query's name names the query's own country.
fn query_names_own_country(query: &NameQuery) -> bool {
    query
        .country
        .as_deref()
        .is_some_and(|c| names_country(&query.name, c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_run_spellings_are_the_joined_words() {
        let names = [
            "KIM Jong Un",
            "Korea Kwangson Banking Corp",
            "O'Brien-Smith, Mary J.",
            "Shanghai Hua Xin Trading Co., Ltd.",
        ];
        let index = NameIndex::build(
            names
                .iter()
                .enumerate()
                .map(|(e, &n)| IndexedName::new(e as u32, n, EntityKind::Unknown)),
        );
        let inner = &*index.inner;
        let mut checked = 0;
        for (i, rec) in inner.names.iter().enumerate() {
            let view = View::of(inner, i, rec);
            for len in 2..=3u8 {
                for start in 0..rec.toks.len().saturating_sub(usize::from(len) - 1) {
                    let run = Run {
                        start: start as u8,
                        len,
                    };
                    let toks: Vec<&Tok> = (start..start + usize::from(len))
                        .filter_map(|j| view.tok(j))
                        .collect();
                    if !runnable(toks.iter().copied()) {
                        assert_eq!(view.run_spelling(run), None);
                        continue;
                    }
                    let text: String = toks.iter().map(|t| &*t.text).collect();
                    let key = phonetic_key(&text);
                    assert_eq!(view.run_spelling(run), Some((&*text, &*key)));
                    checked += 1;
                }
            }
        }
        assert!(checked >= 8, "{checked} runs checked");
    }

    #[test]
    fn a_name_naming_its_own_country_weighs_against_a_listed_entity_elsewhere() {
        assert!(names_country(
            "Agricultural Development Bank of China",
            "CN"
        ));
        assert!(!names_country("Sinograin Jiangsu Co., Ltd.", "CN"));
        // Legal forms and two-letter words are not countries (CO is Colombia's code).
        assert!(!names_country("Acme Trading CO", "CO"));

        let mut listed =
            IndexedName::new(0, "AGRICULTURAL DEVELOPMENT BANK", EntityKind::Organization);
        listed.countries = vec!["KP".to_string()];
        let index = NameIndex::build([listed]);
        let opts = SearchOptions {
            threshold: 0.0,
            limit: 1,
        };
        let query = |country: Option<&str>| {
            let mut q = NameQuery::new("Agricultural Development Bank of China");
            q.country = country.map(str::to_string);
            index
                .search_brute_force(&q, &opts)
                .first()
                .map_or(0.0, |h| h.score)
        };
        let without = query(None);
        let elsewhere = query(Some("CN"));
        assert!(
            (elsewhere - without * NAMED_COUNTRY_DIFFERS_FACTOR).abs() < 1e-9,
            "{without} {elsewhere}"
        );
        // The party's country alone, not named in the name, costs only the usual factor.
        let mut q = NameQuery::new("Agricultural Development Bank");
        q.country = Some("CN".to_string());
        let plain = index
            .search_brute_force(&q, &opts)
            .first()
            .map_or(0.0, |h| h.score);
        assert!(
            (plain - COUNTRY_MISMATCH_FACTOR * 1.0).abs() < 1e-9 || plain < 1.0,
            "{plain}"
        );
    }
}
