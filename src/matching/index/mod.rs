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

mod bound;
mod build;
mod candidates;
mod factors;
#[cfg(test)]
mod naive;
mod search;
mod stored;
mod tables;

use bound::{prefetch, Ahead, PREFETCH_AHEAD};
use build::*;
use candidates::*;
use factors::*;
use tables::{raw, Groups};

use std::cell::RefCell;
use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::score::{
    self, budget, explain, run_text, runnable, skeleton, token_sim, word_sim_to, Basis, CandToks,
    Prepared, Run, Sims, Tok, WordForms, RUN_BUDGET, SKELETON_MAX_LEN,
};
use super::{IndexedName, NameHit, NameQuery, SearchOptions};
use crate::normalize::{phonetic_key, TokenClass};
use crate::vocab::EntityKind;

/// Query words at least this long that are not listed words are also searched by
/// trigrams, for listed words they contain.
const PARTIAL_MIN_LEN: usize = 5;
/// Score factor of a weak (low-quality) alias.
pub const WEAK_ALIAS_FACTOR: f64 = 0.95;
/// Score factor when the query's country is not among the listed name's countries.
pub const COUNTRY_MISMATCH_FACTOR: f64 = 0.97;
/// Score factor when the query's country is not the one country of the listed
/// entity and the match rests on generic words alone (`Korea ... Development Bank`),
/// and always for a party in South Korea against a designation in the DPRK only:
/// strong evidence of another party, so that such a name goes to review. A match on a
/// distinctive word loses [`COUNTRY_MISMATCH_FACTOR`] only, scaling between the two.
pub const COUNTRY_CONFLICT_FACTOR: f64 = 0.78;
/// Factor for a name that names its own country (the party's, given apart) when the
/// listed entity is of other countries and its name does not name that one.
pub const NAMED_COUNTRY_DIFFERS_FACTOR: f64 = 0.8;

/// Tags a word id in [`Inner::name_tok_ids`] whose word is a given name (`Tok::given`):
/// the bound reads what the word weighs unaligned with its id, without looking the
/// word up. Word ids stay below it (checked when an index is read).
const GIVEN_NAME_BIT: u32 = 1 << 31;

/// A word of `name_tok_ids`: its id, and the least it may weigh unaligned (the weight
/// `w` stored with it, less for a given name, which weighs least beside an aligned
/// patronymic; see `Tok::least_unaligned_weight`).
#[inline]
fn name_word(tagged: u32, w: f32) -> (u32, f32) {
    if tagged & GIVEN_NAME_BIT != 0 {
        (
            tagged & !GIVEN_NAME_BIT,
            w.min(score::GIVEN_NAME_BESIDE_PATRONYMIC_WEIGHT),
        )
    } else {
        (tagged, w)
    }
}

#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct NameRec {
    entity: u32,
    original: Box<str>,
    kind: EntityKind,
    weak: bool,
    /// The entity's countries, as upper-case ISO codes held inline: this is read for
    /// every candidate scored, and a pointer per country was a cache miss each.
    countries: Box<[[u8; 2]]>,
    /// The entity's nationalities, as `countries`.
    nationalities: Box<[[u8; 2]]>,
    /// The countries the name itself names ("... Bank of China"), found when first
    /// needed rather than for every query it is scored against (or for every name at
    /// build, when few are ever asked).
    #[serde(skip)]
    named: std::sync::OnceLock<Box<[&'static str]>>,
    toks: Box<[u32]>,
    legal: Box<[Box<str>]>,
}

#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct Inner {
    /// Tells indexes apart for the per-thread memo of similar words.
    id: u64,
    /// The longest text or key of a vocabulary word, in bytes: a query word longer
    /// than this by more than its edit budget has no deletion variant in common with
    /// any, and is not looked up by them.
    max_word_len: usize,
    vocab: Vec<Tok>,
    /// A word's exact text → its vocabulary word (one id).
    by_text: Groups,
    /// Phonetic key → vocabulary words.
    by_key: Groups,
    /// Phonetic key of a run of 2 or 3 adjacent listed words → names with that run.
    by_run: Groups,
    /// Consonant skeleton → short vocabulary words.
    by_skeleton: Groups,
    /// Word without its endings (see `score::stem`) → vocabulary words: other forms
    /// of generic words align (`BANKING` / `BANK`).
    by_stem: Groups,
    /// Consonants of the key (see `score::consonants`) → vocabulary words: a word
    /// read from Arabic or Hebrew script meets its Latin spellings there.
    by_consonants: Groups,
    /// Deletion-variant hash → vocabulary words.
    deletes: Groups,
    /// Deletion variants of runs of 2 or 3 adjacent listed words long enough for a
    /// screened word to align with them despite a typo, each with a name holding such
    /// a run, as `hash << 32 | name`, sorted: 8 bytes a variant, no table.
    #[serde(with = "raw")]
    run_variants: Vec<u64>,
    /// Each vocabulary word's distinct key trigrams, sorted, back to back
    /// (`word_gram_off` has one more entry than words; empty for keys shorter than 4).
    #[serde(with = "raw")]
    word_grams: Vec<u32>,
    #[serde(with = "raw")]
    word_gram_off: Vec<u32>,
    /// A bit per trigram of each word (see [`gram_bit`]): two words' signatures tell
    /// at once when one misses trigrams of the other.
    #[serde(with = "raw")]
    word_gram_sig: Vec<u64>,
    /// Pivot trigram → the words that hold it among their rarest trigrams (see
    /// `contained_words`).
    pivots: Groups,
    /// Letters used by each vocabulary word's text and key (bit per letter): a word
    /// `k` edits away differs in at most `2k` letters, a filter before the distance.
    #[serde(with = "raw")]
    letters: Vec<(u32, u32)>,
    #[serde(with = "raw")]
    post_off: Vec<u32>,
    /// Where each word's postings of names with initials begin (they follow the
    /// others): only those can reach the threshold through words the query shares
    /// with them that say little.
    #[serde(with = "raw")]
    post_split: Vec<u32>,
    #[serde(with = "raw")]
    postings: Vec<u32>,
    names: Vec<NameRec>,
    /// Total token weight of each name, negative when it has initials: kept apart
    /// from `names` so the bound check before scoring touches 4 bytes per candidate.
    #[serde(with = "raw")]
    name_wsum: Vec<f32>,
    /// Every name's word ids, back to back (`name_tok_off` has one more entry than
    /// names): the bound check reads them without touching the name records.
    #[serde(with = "raw")]
    name_tok_off: Vec<u32>,
    /// (word id, weight): the weight read with the id, not looked up apart, and the
    /// id tagged with [`GIVEN_NAME_BIT`] when the word is a given name, which weighs
    /// less unaligned. Each name's heaviest words first, so that the bound meets an
    /// unaligned heavy word, where it can stop, early.
    #[serde(with = "raw")]
    name_tok_ids: Vec<(u32, f32)>,
    /// The position in its name of each word of `name_tok_ids`.
    #[serde(with = "raw")]
    name_tok_pos: Vec<u8>,
    /// Weight of each vocabulary word, negated for initials.
    #[serde(with = "raw")]
    vweight: Vec<f32>,
    /// The shapes of every name's runs of 2 or 3 adjacent words, back to back
    /// (`name_run_off` has one more entry than names): the bound asks them whether a
    /// query word may align with a run, which the similarities retrieval found do not
    /// tell.
    #[serde(with = "raw")]
    name_run_off: Vec<u32>,
    #[serde(with = "raw")]
    name_runs: Vec<RunShape>,
    /// The joined text and key of each run of `name_runs`, as (start in
    /// `run_spellings`, text length, key length): scoring compares a query word with
    /// the runs of every candidate it scores, and would otherwise join and key them
    /// each time.
    #[serde(with = "raw")]
    name_run_spelled: Vec<(u32, u16, u16)>,
    run_spellings: String,
    /// A summary of each name's run shapes, read before them.
    #[serde(with = "raw")]
    name_run_sums: Vec<RunSummary>,
    /// Each listed word's similar listed words, a slot per vocabulary word, filled
    /// the first time a query holds the word (or all at once, see
    /// [`NameIndex::keep_neighbours`]) and read by every later query on any thread.
    /// What retrieval finds for a listed word depends on the index alone, and most
    /// words of screened names are listed words, which then cost one look-up instead
    /// of a hundred deletion variants. Made at the first search, not stored.
    #[serde(skip)]
    neighbours: std::sync::OnceLock<Box<[std::sync::OnceLock<Similar>]>>,
    /// Whether any vocabulary word was read from Arabic or Hebrew script: if none
    /// was, a Latin word or run has no words of the other script to meet by its
    /// consonants, and their folding and look-up are spared. Found at first use.
    #[serde(skip)]
    has_abjad: std::sync::OnceLock<bool>,
    /// Which deletion variants `deletes` holds, made at first use from its keys.
    #[serde(skip)]
    deletes_filter: std::sync::OnceLock<tables::KeyFilter>,
    /// Each name's first word in `name_tok_ids` and its total weight (as
    /// `name_tok_off` and `name_wsum`), side by side, and one more entry with where the
    /// words end: the bound reads both for every name met, and apart they were two
    /// cache misses. Made at the first search from those, not stored.
    #[serde(skip)]
    name_heads: std::sync::OnceLock<Box<[(u32, f32)]>>,
}

/// The lengths of the texts and keys of some words or runs, a bit each: a cheap test
/// before comparing run shapes one by one.
#[derive(Debug, Clone, Copy, Default, serde::Serialize, serde::Deserialize)]
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
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
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

impl raw::Raw for RunSummary {
    const SIZE: usize = 16;
    fn put(&self, out: &mut Vec<u8>) {
        (self.text_lens, self.key_lens).put(out);
    }
    fn take(b: &[u8]) -> Self {
        let (text_lens, key_lens) = raw::Raw::take(b);
        RunSummary {
            text_lens,
            key_lens,
        }
    }
}

impl raw::Raw for RunShape {
    const SIZE: usize = 12;
    fn put(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.text_letters.to_le_bytes());
        out.extend_from_slice(&self.key_letters.to_le_bytes());
        out.extend_from_slice(&[self.text_len, self.key_len, self.start, self.len]);
    }
    fn take(b: &[u8]) -> Self {
        let (text_letters, key_letters): (u32, u32) = raw::Raw::take(b);
        let byte = |i: usize| b.get(i).copied().unwrap_or(0);
        RunShape {
            text_letters,
            key_letters,
            text_len: byte(8),
            key_len: byte(9),
            start: byte(10),
            len: byte(11),
        }
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
/// Shared between the index's kept neighbours, the memo and the searches that use it.
type Similar = Arc<[(u32, f32, Basis)]>;

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
    /// Scratch space of [`NameIndex::similar`].
    similar: SimilarScratch,
    /// Listed words similar to a query word (and to a run of query words), by its
    /// text, for the index `memo_index`: screened names repeat their words
    /// ("trading", "shanghai", "co"), and finding a word's typo neighbours is the
    /// costliest step of a search.
    memo_index: u64,
    memo_words: FxHashMap<Box<str>, Similar>,
    memo_runs: FxHashMap<Box<str>, Similar>,
    /// Whether the index's kept neighbours are left out, so that a count of what a
    /// search does is the same on every call.
    no_kept: bool,
}

/// Scratch space of [`NameIndex::similar`], kept from one call to the next.
#[derive(Default)]
struct SimilarScratch {
    /// The vocabulary words found, before they are compared.
    seen: Vec<u32>,
    /// The hashes of a word's deletion variants.
    hashes: Vec<u64>,
    spans: Vec<(u32, u32)>,
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
