//! Finding a ruleset's terms in a normalized description.
//!
//! A term matches where its normalized text occurs in the normalized description with a
//! word boundary (a space) on each side, except next to a CJK character (those scripts
//! do not separate words) and after a prefix term (`автомобил*`). Both texts are tokens
//! joined by single spaces, so a term with boundaries on both sides is a sequence of
//! whole tokens of the description, and a prefix term is whole tokens followed by the
//! start of one more. Those are found token by token: one hash lookup per token of the
//! description, then one step of Aho-Corasick over the trie of the terms' tokens (one
//! more look-up), which follows every sequence of tokens open at once. A byte-by-byte
//! automaton over the whole text was tried: it runs fewer instructions and branches,
//! but its table is too large for the first-level cache, so it was only 4 to 9% faster
//! for five times the build time and an 11 MB table (see `docs/PERFORMANCE.md`). Only the terms that
//! start or end with a CJK character can match inside a token; they are searched with
//! Aho-Corasick, and only in descriptions that are not all ASCII (no CJK character, no
//! such match).
//!
//! A description that is not all ASCII is most often an English line with a Chinese
//! or Russian phrase in it. [`TermMatcher::find_mixed`] reads its ASCII words as
//! [`TermMatcher::find_ascii`] does and normalizes only the stretches that hold the other
//! characters, where normalizing the whole line cost twice as much per byte.
//!
//! [`TermMatcher::find`] reports the same matches as searching every term with one
//! Aho-Corasick automaton over the whole text and checking the boundaries, in the same

use aho_corasick::AhoCorasick;
use rustc_hash::FxHashMap;

use crate::lookup::table::{U128Table, U64Table};
use crate::text::goods::{AsciiRuns, Normalized, Stretches, TermPattern};

mod build;
mod find;
mod pack;
#[cfg(test)]
mod tests;

/// What [`TermMatcher::find_ascii`] or [`TermMatcher::find_mixed`] made of a
/// description.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AsciiFind {
    /// The matches are found, at character offsets of the description.
    Found,
    /// [`TermMatcher::find`] must read the description.
    Unsure,
    /// The description is not all ASCII.
    NotAscii,
}

/// One match: term id and byte range in the normalized text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Found {
    pub term: u32,
    pub start: u32,
    pub end: u32,
}

/// A word of the description as the matcher knows it: its id in the terms'
/// vocabulary and the trie node of the one-word sequence, each `NONE` when absent.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Word {
    id: u32,
    first: u32,
}

impl Default for Word {
    fn default() -> Self {
        UNKNOWN
    }
}

const NONE: u32 = u32::MAX;

/// The trie's root: the empty sequence of words.
const ROOT: u32 = 0;

/// Reusable buffers of [`TermMatcher::find`] and [`TermMatcher::find_ascii`].
#[derive(Debug, Default)]
pub(crate) struct FindScratch {
    /// What the vocabulary says of each word of the description.
    words: Vec<Word>,
    /// Where the words of an ASCII description are.
    runs: AsciiRuns,
    /// One word of it, lowercased: a long word to look up, or a word to hold to
    /// prefix terms.
    one_word: Vec<u8>,
    /// Where each word read so far starts, for the terms that end at a later one.
    starts: Vec<u32>,
    /// The normalizer's spelling of one word, for a prefix term.
    one_spelling: Vec<u8>,
    /// Stretches of a description that is not all ASCII, normalized (see
    /// [`TermMatcher::find_mixed`]).
    stretch: Normalized,
    /// Where the stretches of such a description are.
    stretches: Stretches,
}

/// What a word written in lowercase ASCII letters or digits is to the matcher.
#[derive(Debug, Clone, Copy, Default)]
struct Spelling {
    /// What the vocabulary says of the word the normalizer makes of it.
    word: Word,
    /// The first four bytes of that word (see [`head`]), for the prefix terms.
    head: u32,
    /// The normalizer makes several words of it (an abbreviation such as `edp`), which
    /// [`TermMatcher::find_ascii`] leaves to [`TermMatcher::find`].
    several: bool,
}

const UNKNOWN: Word = Word {
    id: NONE,
    first: NONE,
};

/// Prefix terms: the start of a word they match, and the term id.
type Prefixes = Vec<(Box<[u8]>, u32)>;

/// A node of the token trie: the sequence of whole words that leads to it. Ranges
/// index [`TermMatcher::ends`] and [`TermMatcher::prefixes`], so that a node is a few
/// integers and the trie stays small in the cache.
#[derive(Debug, Default, Clone, Copy)]
struct Node {
    /// Terms that are exactly this sequence, in id order.
    ends: (u32, u32),
    /// Prefix terms that are this sequence followed by the start of one more word.
    prefixes: (u32, u32),
    /// Whether longer sequences continue from here.
    more: bool,
    /// The node read as a state of Aho-Corasick over words (see
    /// [`TermMatcher::goto`]): the range of [`TermMatcher::outputs`] that holds the
    /// terms ending here (this sequence's, and those of its shorter suffixes).
    outputs: (u32, u32),
    /// The range of [`TermMatcher::prefix_groups`] that holds the prefix terms going on
    /// from here (this sequence's, and those of its shorter suffixes).
    prefix_groups: (u32, u32),
    /// Bit `id % 64` of each word with a transition of its own from here in
    /// [`TermMatcher::goto`]. Most words have none from the state they meet, and the
    /// look-up of every pair of a state and a word would spread over a table too
    /// large for the caches; a bit test turns most away.
    next_words: u64,
}

/// A trie node while the matcher is built.
#[derive(Debug, Default)]
struct NodeBuild {
    ends: Vec<u32>,
    prefixes: Prefixes,
    more: bool,
}

/// Finds terms in normalized text (see the module documentation).
#[derive(Debug)]
pub(crate) struct TermMatcher {
    /// Words of at most 7 bytes, packed with their length (see [`pack`]); most words
    /// of an invoice line are short, and an integer key hashes in one multiplication.
    short_words: U64Table<Word>,
    /// Longer words.
    long_words: FxHashMap<Box<[u8]>, Word>,
    /// The same words as an ASCII description may write them, lowercased: each word
    /// of the vocabulary under every spelling the normalizer turns into it (`watch`,
    /// `watches`), and every abbreviation (`pcs`). A written word that is not here is
    /// its own normalized form or a word outside the vocabulary, so
    /// [`TermMatcher::find_ascii`] looks words up as written, without normalizing them.
    /// Packed like `short_words` when at most 7 bytes long.
    short_spellings: U64Table<Spelling>,
    /// Those of 8 to 15 bytes, packed into two integers (see [`pack_long`]): words
    /// such as `machinery` or `containers` are common enough that hashing their bytes
    /// would show.
    middle_spellings: U128Table<Spelling>,
    long_spellings: FxHashMap<Box<[u8]>, Spelling>,
    /// Trie edges below the first level, keyed by `node << 32 | word id`.
    edges: U64Table<u32>,
    nodes: Vec<Node>,
    /// The trie as Aho-Corasick over word ids, the state after a word being the node
    /// of the longest run of last words that is a path of the trie: the transitions,
    /// keyed as `edges`, that go elsewhere than the word's own first node (or the root
    /// for a word that starts no term). One look-up per word then follows every
    /// sequence of words open at once, where following each with its own look-up
    /// branched on how many there were.
    goto: U64Table<u32>,
    /// The terms that end at each state: term id and length in words.
    outputs: Vec<(u32, u32)>,
    /// The prefix terms that go on from each state: a range of `prefixes` and the
    /// length in words of the sequence before the prefix.
    prefix_groups: Vec<(u32, u32, u32)>,
    ends: Vec<u32>,
    prefixes: Prefixes,
    /// Prefix terms of one word, by the first four bytes of their text (see [`head`]),
    /// so that a word is checked only against the few prefix terms that start like it.
    root_prefixes: FxHashMap<u32, Prefixes>,
    /// One bit per key of `root_prefixes` (see [`head_bit`]): most words start like no
    /// prefix term, and a bit test turns them away before the hash lookup.
    root_heads: Box<[u64]>,
    /// Prefix terms of one word shorter than [`HEAD_LEN`] bytes, checked against
    /// every word (the shipped rules have none).
    short_prefixes: Prefixes,
    /// Terms that may match inside a word because they start or end with a CJK
    /// character, searched by substring.
    open: Option<OpenTerms>,
}

#[derive(Debug)]
struct OpenTerms {
    automaton: AhoCorasick,
    /// Whether every word of every term holds a character that is not ASCII, so that
    /// each match lies in words that [`TermMatcher::find_mixed`] normalizes together.
    not_ascii_words: bool,
    /// For each automaton pattern: term id, prefix, open start, open end.
    terms: Vec<(u32, bool, bool, bool)>,
}
