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
//! for five times the build time and an 11 MB table (see the README). Only the terms that
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
//! order (by end, then start, then term); the classifier's tests assert it.

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use rustc_hash::FxHashMap;

use crate::lookup::table::{U128Table, U64Table};
use crate::text::goods::{
    abbreviations, ascii_spellings, may_be_abbreviation, normalize_text_into, piece_span,
    plural_rewrites_start, spell_ascii_word, AsciiRuns, Normalized, Piece, Reading, Stretches,
    TermPattern,
};

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

/// A word of at most 7 bytes as an integer: its bytes and its length, so two
/// different words never share a key.
fn pack(word: &[u8]) -> Option<u64> {
    if word.len() > 7 {
        return None;
    }
    let mut key = (word.len() as u64) << 56;
    for (i, &b) in word.iter().enumerate() {
        key |= u64::from(b) << (8 * i);
    }
    Some(key)
}

/// The bytes of `text` from `start` as an integer, at least `len` of them (at most 7)
/// and zeros where the text ends: one 8-byte load where the text is long enough (the
/// usual case) instead of byte by byte. `None` when fewer than `len` bytes are there.
#[inline]
fn bytes_at(text: &[u8], start: usize, len: usize) -> Option<u64> {
    match text
        .get(start..start + 8)
        .and_then(|w| <[u8; 8]>::try_from(w).ok())
    {
        Some(w) => Some(u64::from_le_bytes(w)),
        None => {
            let mut w = [0u8; 8];
            w.get_mut(..len)?
                .copy_from_slice(text.get(start..start + len)?);
            Some(u64::from_le_bytes(w))
        }
    }
}

/// [`pack`] of the `len` bytes of `text` from `start`, read at once (see
/// [`bytes_at`]).
#[inline]
fn pack_at(text: &[u8], start: usize, len: usize) -> Option<u64> {
    if len > 7 {
        return None;
    }
    let mask = (1u64 << (8 * len)) - 1;
    Some(bytes_at(text, start, len)? & mask | (len as u64) << 56)
}

/// [`pack_at`] lowercased, for a run of ASCII letters or of ASCII digits: `| 0x20` on
/// each of its bytes lowercases a letter and leaves a digit as it is.
#[inline]
fn pack_lowercase_at(text: &[u8], start: usize, len: usize) -> Option<u64> {
    if len > 7 {
        return None;
    }
    let mask = (1u64 << (8 * len)) - 1;
    Some((bytes_at(text, start, len)? | 0x2020_2020_2020_2020) & mask | (len as u64) << 56)
}

/// A word of 8 to 15 bytes as an integer: its first 8 bytes below, [`pack`] of the
/// rest (with its length) above. Two different words never share a key.
fn pack_long(word: &[u8]) -> Option<u128> {
    if !(8..=15).contains(&word.len()) {
        return None;
    }
    let (first, rest) = word.split_at(8);
    let low = u64::from_le_bytes(first.try_into().ok()?);
    Some(u128::from(pack(rest)?) << 64 | u128::from(low))
}

/// [`pack_long`] of the `len` bytes of `text` from `start`, lowercased as
/// [`pack_lowercase_at`] does, read as two 8-byte loads (see [`bytes_at`]).
#[inline]
fn pack_long_lowercase_at(text: &[u8], start: usize, len: usize) -> Option<u128> {
    if !(8..=15).contains(&len) {
        return None;
    }
    let low = bytes_at(text, start, 8)? | 0x2020_2020_2020_2020;
    let high = pack_lowercase_at(text, start + 8, len - 8)?;
    Some(u128::from(high) << 64 | u128::from(low))
}

/// `text[start..end]` lowercased, into `out`.
fn lowercase_into(text: &[u8], start: usize, end: usize, out: &mut Vec<u8>) {
    out.clear();
    out.extend_from_slice(text.get(start..end).unwrap_or_default());
    out.make_ascii_lowercase();
}

/// The first four bytes of a word (zeros past its end), by which prefix terms of one
/// word are found: four bytes tell apart the prefix terms that start with one
/// Cyrillic letter (two bytes), which two bytes would not.
fn head(word: &[u8]) -> u32 {
    let mut h = [0u8; 4];
    for (to, &b) in h.iter_mut().zip(word) {
        *to = b;
    }
    u32::from_le_bytes(h)
}

/// The bit of [`TermMatcher::root_heads`] for a head: its top 16 bits once mixed.
fn head_bit(head: u32) -> usize {
    (head.wrapping_mul(0x9E37_79B1) >> 16) as usize
}

/// Prefix terms shorter than this are checked against every word rather than found
/// by their head (see [`head`]).
const HEAD_LEN: usize = 4;

/// The words of a term that are whole words of the description: all of them, or all
/// but the last for a prefix term.
struct Pending<'a> {
    id: u32,
    whole: Vec<&'a [u8]>,
    last: Option<&'a [u8]>,
}

impl TermMatcher {
    /// Builds the matcher; term ids are indexes into `terms`.
    pub fn new(terms: &[TermPattern]) -> Self {
        let mut open_texts: Vec<&str> = Vec::new();
        let mut open_terms = Vec::new();
        let mut pending = Vec::new();
        for (id, t) in terms.iter().enumerate() {
            let id = id as u32;
            let (open_start, open_end) = (t.open_start(), t.open_end());
            if t.text.is_empty() {
                continue;
            }
            if open_start || open_end {
                open_texts.push(t.text.as_str());
                open_terms.push((id, t.prefix, open_start, open_end));
                continue;
            }
            let mut whole: Vec<&[u8]> = t.text.as_bytes().split(|&b| b == b' ').collect();
            let last = if t.prefix { whole.pop() } else { None };
            pending.push(Pending { id, whole, last });
        }

        let mut words: FxHashMap<&[u8], Word> = FxHashMap::default();
        let mut edges: FxHashMap<u64, u32> = FxHashMap::default();
        let mut nodes: Vec<NodeBuild> = vec![NodeBuild::default()];
        let mut root_prefixes: FxHashMap<u32, Prefixes> = FxHashMap::default();
        let mut root_heads = vec![0u64; 1 << 10].into_boxed_slice();
        let mut short_prefixes = Prefixes::new();
        for t in &pending {
            let mut node = 0u32;
            for (depth, &w) in t.whole.iter().enumerate() {
                let next_id = words.len() as u32;
                let word = words.entry(w).or_insert(Word {
                    id: next_id,
                    first: NONE,
                });
                let existing = if depth == 0 {
                    Some(word.first).filter(|&n| n != NONE)
                } else {
                    edges
                        .get(&(u64::from(node) << 32 | u64::from(word.id)))
                        .copied()
                };
                node = match existing {
                    Some(n) => n,
                    None => {
                        let n = nodes.len() as u32;
                        nodes.push(NodeBuild::default());
                        if depth == 0 {
                            word.first = n;
                        } else {
                            edges.insert(u64::from(node) << 32 | u64::from(word.id), n);
                            if let Some(parent) = nodes.get_mut(node as usize) {
                                parent.more = true;
                            }
                        }
                        n
                    }
                };
            }
            match (t.last, nodes.get_mut(node as usize)) {
                (None, Some(n)) => n.ends.push(t.id),
                (Some(last), _) if node == 0 && last.len() < HEAD_LEN => {
                    short_prefixes.push((last.into(), t.id))
                }
                (Some(last), _) if node == 0 => {
                    let h = head(last);
                    let bit = head_bit(h);
                    if let Some(bits) = root_heads.get_mut(bit / 64) {
                        *bits |= 1 << (bit % 64);
                    }
                    root_prefixes
                        .entry(h)
                        .or_default()
                        .push((last.into(), t.id));
                }
                (Some(last), Some(n)) => n.prefixes.push((last.into(), t.id)),
                (_, None) => {}
            }
        }

        let mut spellings: Vec<(Vec<u8>, Spelling)> = Vec::new();
        for (&w, &word) in &words {
            if !w.is_ascii() {
                continue;
            }
            let spelling = Spelling {
                word,
                head: head(w),
                several: false,
            };
            spellings.extend(ascii_spellings(w).into_iter().map(|s| (s, spelling)));
        }
        // After the words: an abbreviation is expanded before any plural is folded, so
        // its entry must win over a word's spelling of the same letters.
        for (abbreviation, expansion) in abbreviations() {
            let several = expansion.contains(' ');
            let word = if several {
                UNKNOWN
            } else {
                words.get(expansion.as_bytes()).copied().unwrap_or(UNKNOWN)
            };
            let spelling = Spelling {
                word,
                head: head(expansion.as_bytes()),
                several,
            };
            spellings.push((abbreviation.as_bytes().to_vec(), spelling));
        }
        let (mut short_spellings, mut middle_spellings) = (Vec::new(), Vec::new());
        let mut long_spellings = FxHashMap::default();
        for (s, spelling) in spellings {
            if let Some(key) = pack(&s) {
                short_spellings.push((key, spelling));
            } else if let Some(key) = pack_long(&s) {
                middle_spellings.push((key, spelling));
            } else {
                long_spellings.insert(s.into_boxed_slice(), spelling);
            }
        }

        let mut short_words = Vec::new();
        let mut m = TermMatcher {
            short_words: U64Table::new([]),
            long_words: FxHashMap::default(),
            short_spellings: U64Table::new(short_spellings),
            middle_spellings: U128Table::new(middle_spellings),
            long_spellings,
            edges: U64Table::new(edges.clone()),
            nodes: Vec::with_capacity(nodes.len()),
            goto: U64Table::new([]),
            outputs: Vec::new(),
            prefix_groups: Vec::new(),
            ends: Vec::new(),
            prefixes: Vec::new(),
            root_prefixes,
            root_heads,
            short_prefixes,
            open: None,
        };
        let firsts: FxHashMap<u32, u32> = words
            .values()
            .filter(|w| w.first != NONE)
            .map(|w| (w.id, w.first))
            .collect();
        for (w, word) in words {
            match pack(w) {
                Some(key) => short_words.push((key, word)),
                None => {
                    m.long_words.insert(w.into(), word);
                }
            }
        }
        m.short_words = U64Table::new(short_words);
        for n in nodes {
            let ends = (m.ends.len() as u32, (m.ends.len() + n.ends.len()) as u32);
            m.ends.extend(n.ends);
            let prefixes = (
                m.prefixes.len() as u32,
                (m.prefixes.len() + n.prefixes.len()) as u32,
            );
            m.prefixes.extend(n.prefixes);
            m.nodes.push(Node {
                ends,
                prefixes,
                more: n.more,
                outputs: (0, 0),
                prefix_groups: (0, 0),
                next_words: 0,
            });
        }
        m.link_words(&edges, &firsts);
        if !open_texts.is_empty() {
            // A DFA is the fastest search; it is also the largest, so fall back to the
            // automatic choice if a very large ruleset makes it too big to build.
            let build = |kind| {
                AhoCorasick::builder()
                    .match_kind(MatchKind::Standard)
                    .kind(kind)
                    .build(&open_texts)
            };
            m.open = build(Some(AhoCorasickKind::DFA))
                .or_else(|_| build(None))
                .ok()
                .map(|automaton| OpenTerms {
                    automaton,
                    not_ascii_words: open_texts
                        .iter()
                        .all(|t| t.split(' ').all(|w| !w.is_ascii())),
                    terms: open_terms,
                });
        }
        m
    }

    /// Reads the trie as Aho-Corasick over word ids (see [`TermMatcher::goto`]):
    /// each node's failure (the node of its longest proper suffix that is a path of the
    /// trie), then, shallow nodes first so that a node's failure is done before it,
    /// its transitions, outputs and prefix groups, which are its own and its failure's.
    /// `edges` and `firsts` are the trie's edges and each word's first node.
    fn link_words(&mut self, edges: &FxHashMap<u64, u32>, firsts: &FxHashMap<u32, u32>) {
        let count = self.nodes.len();
        let mut children: Vec<Vec<(u32, u32)>> = vec![Vec::new(); count];
        for (&key, &child) in edges {
            if let Some(c) = children.get_mut((key >> 32) as usize) {
                c.push((key as u32, child));
            }
        }
        let mut roots: Vec<(u32, u32)> = firsts.iter().map(|(&w, &n)| (w, n)).collect();
        roots.sort_unstable();
        if let Some(c) = children.get_mut(ROOT as usize) {
            *c = roots;
        }
        for c in &mut children {
            c.sort_unstable();
        }
        let child = |node: u32, word: u32| {
            if node == ROOT {
                firsts.get(&word).copied()
            } else {
                edges
                    .get(&(u64::from(node) << 32 | u64::from(word)))
                    .copied()
            }
        };

        // Breadth first, so that a node's failure is shallower and already known.
        let mut fail = vec![ROOT; count];
        let mut depth = vec![0u32; count];
        let mut order: Vec<u32> = Vec::with_capacity(count);
        let mut queue = std::collections::VecDeque::from([ROOT]);
        while let Some(u) = queue.pop_front() {
            for &(word, v) in children.get(u as usize).into_iter().flatten() {
                let mut f = ROOT;
                if u != ROOT {
                    let mut s = fail.get(u as usize).copied().unwrap_or(ROOT);
                    f = loop {
                        if let Some(c) = child(s, word) {
                            break c;
                        }
                        if s == ROOT {
                            break ROOT;
                        }
                        s = fail.get(s as usize).copied().unwrap_or(ROOT);
                    };
                }
                if let Some(x) = fail.get_mut(v as usize) {
                    *x = f;
                }
                let d = depth.get(u as usize).map_or(1, |d| d + 1);
                if let Some(x) = depth.get_mut(v as usize) {
                    *x = d;
                }
                order.push(v);
                queue.push_back(v);
            }
        }

        let mut transitions: Vec<FxHashMap<u32, u32>> = vec![FxHashMap::default(); count];
        let mut outputs: Vec<Vec<(u32, u32)>> = vec![Vec::new(); count];
        let mut groups: Vec<Vec<(u32, u32, u32)>> = vec![Vec::new(); count];
        for &v in &order {
            let (vi, f) = (
                v as usize,
                fail.get(v as usize).copied().unwrap_or(ROOT) as usize,
            );
            let d = depth.get(vi).copied().unwrap_or(0);
            let node = self.nodes.get(vi).copied().unwrap_or_default();
            let mut t = transitions.get(f).cloned().unwrap_or_default();
            t.extend(children.get(vi).into_iter().flatten().copied());
            let own = self
                .ends
                .get(node.ends.0 as usize..node.ends.1 as usize)
                .unwrap_or_default();
            let mut o: Vec<(u32, u32)> = own.iter().map(|&term| (term, d)).collect();
            o.extend(outputs.get(f).into_iter().flatten().copied());
            let mut g = Vec::new();
            if node.prefixes.0 < node.prefixes.1 {
                g.push((node.prefixes.0, node.prefixes.1, d));
            }
            g.extend(groups.get(f).into_iter().flatten().copied());
            if let Some(x) = transitions.get_mut(vi) {
                *x = t;
            }
            if let Some(x) = outputs.get_mut(vi) {
                *x = o;
            }
            if let Some(x) = groups.get_mut(vi) {
                *x = g;
            }
        }

        let mut goto = Vec::new();
        for (v, node) in self.nodes.iter_mut().enumerate() {
            let o = outputs.get(v).map(Vec::as_slice).unwrap_or_default();
            node.outputs = (
                self.outputs.len() as u32,
                (self.outputs.len() + o.len()) as u32,
            );
            self.outputs.extend_from_slice(o);
            let g = groups.get(v).map(Vec::as_slice).unwrap_or_default();
            node.prefix_groups = (
                self.prefix_groups.len() as u32,
                (self.prefix_groups.len() + g.len()) as u32,
            );
            self.prefix_groups.extend_from_slice(g);
            for (&word, &to) in transitions.get(v).into_iter().flatten() {
                goto.push(((v as u64) << 32 | u64::from(word), to));
                node.next_words |= 1 << (word % 64);
            }
        }
        self.goto = U64Table::new(goto);
    }

    /// Every match of a term in a description cut into `pieces` (its words, see
    /// [`Piece`]), into `found`, ordered by end, then start, then term id; positions
    /// are byte offsets in the normalized text. `spelling` holds the words' bytes
    /// ([`Piece::spelled`]); `cjk_text` is the normalized text when it holds a CJK
    /// character (terms with a CJK edge are searched in it), else `None`. `scratch` is
    /// what the matcher learns of the words on the way.
    pub fn find(
        &self,
        pieces: &[Piece],
        spelling: &[u8],
        cjk_text: Option<&str>,
        scratch: &mut FindScratch,
        found: &mut Vec<Found>,
    ) {
        found.clear();
        let FindScratch { words, .. } = scratch;
        words.clear();
        let word_of = |p: &Piece| {
            let start = p.spelled as usize;
            spelling
                .get(start..start + (p.end - p.start) as usize)
                .unwrap_or_default()
        };

        // Each word: what the vocabulary says of it, and the prefix terms it starts
        // with.
        for p in pieces {
            let (start, len) = (p.spelled as usize, (p.end - p.start) as usize);
            let (word, h) = match pack_at(spelling, start, len) {
                Some(key) => (self.short_words.get(key), key as u32),
                None => {
                    let w = word_of(p);
                    (self.long_words.get(w).copied(), head(w))
                }
            };
            words.push(word.unwrap_or(UNKNOWN));
            let maybe = self.has_root_head(h);
            if !maybe && self.short_prefixes.is_empty() {
                continue;
            }
            let w = word_of(p);
            let cands = if maybe {
                self.root_prefixes.get(&h)
            } else {
                None
            };
            for (prefix, term) in self
                .short_prefixes
                .iter()
                .chain(cands.into_iter().flatten())
            {
                if w.starts_with(prefix) {
                    found.push(Found {
                        term: *term,
                        start: p.start,
                        end: p.start + prefix.len() as u32,
                    });
                }
            }
        }

        // Sequences of whole words from each word that starts one.
        for (i, (p, w)) in pieces.iter().zip(words.iter()).enumerate() {
            if w.first == NONE {
                continue;
            }
            let mut node = w.first;
            let mut j = i;
            while let Some(n) = self.nodes.get(node as usize) {
                let Some(last) = pieces.get(j) else { break };
                for &term in self
                    .ends
                    .get(n.ends.0 as usize..n.ends.1 as usize)
                    .unwrap_or_default()
                {
                    found.push(Found {
                        term,
                        start: p.start,
                        end: last.end,
                    });
                }
                let (Some(next), Some(next_word)) = (pieces.get(j + 1), words.get(j + 1)) else {
                    break;
                };
                if n.prefixes.0 < n.prefixes.1 {
                    let w = word_of(next);
                    let prefixes = self
                        .prefixes
                        .get(n.prefixes.0 as usize..n.prefixes.1 as usize)
                        .unwrap_or_default();
                    for (prefix, term) in prefixes {
                        if w.starts_with(prefix) {
                            found.push(Found {
                                term: *term,
                                start: p.start,
                                end: next.start + prefix.len() as u32,
                            });
                        }
                    }
                }
                if !n.more || next_word.id == NONE {
                    break;
                }
                match self
                    .edges
                    .get(u64::from(node) << 32 | u64::from(next_word.id))
                {
                    Some(child) => node = child,
                    None => break,
                }
                j += 1;
            }
        }

        if let (Some(open), Some(text)) = (&self.open, cjk_text) {
            let bytes = text.as_bytes();
            for m in open.automaton.find_overlapping_iter(text) {
                let Some(&(term, prefix, open_start, open_end)) =
                    open.terms.get(m.pattern().as_usize())
                else {
                    continue;
                };
                let left_ok = open_start || bytes.get(m.start().wrapping_sub(1)) == Some(&b' ');
                let right_ok = prefix || open_end || bytes.get(m.end()) == Some(&b' ');
                if left_ok && right_ok {
                    found.push(Found {
                        term,
                        start: m.start() as u32,
                        end: m.end() as u32,
                    });
                }
            }
        }
        found.sort_unstable_by_key(|f| (f.end, f.start, f.term));
    }

    /// [`TermMatcher::find`] for an ASCII description, read as written: the words are
    /// cut and looked up in one pass under the spellings of the vocabulary, and no
    /// normalized text or piece is made. The matches are the same, in the same order,
    /// but their positions are byte offsets in `input` (which are its character
    /// offsets): a whole-word match runs from the start of its first word to the end of
    /// its last one, as [`crate::text::goods::piece_span`] maps it.
    ///
    /// Answers [`AsciiFind::Unsure`], leaving `found` to be ignored, for a description
    /// this cannot read so: an apostrophe (`men's`), an abbreviation the normalizer
    /// writes as several words (`edp`), a prefix term that ends inside a word the
    /// normalizer respells. [`TermMatcher::find`] on the normalizer's words then
    /// answers.
    pub fn find_ascii(
        &self,
        input: &[u8],
        scratch: &mut FindScratch,
        found: &mut Vec<Found>,
    ) -> AsciiFind {
        found.clear();
        let FindScratch {
            runs,
            one_word,
            starts,
            one_spelling,
            ..
        } = scratch;
        starts.clear();
        let mut state = ROOT;
        match runs.read(input) {
            Reading::Words => {}
            Reading::Apostrophe => return AsciiFind::Unsure,
            Reading::NotAscii => return AsciiFind::NotAscii,
        }

        let mut text = Written {
            input,
            bytes: (0, 0),
            one_word,
            one_spelling,
        };
        while let Some((start, i)) = runs.next() {
            text.bytes = (start, i);
            let Some((word, head)) = self.written_word(&mut text) else {
                return AsciiFind::Unsure;
            };
            let at = (start as u32, i as u32);
            if !self.step(word, head, at, &mut text, &mut state, starts, found) {
                return AsciiFind::Unsure;
            }
        }
        found.sort_unstable_by_key(|f| (f.end, f.start, f.term));
        AsciiFind::Found
    }

    /// [`TermMatcher::find_ascii`] for a description that is not all ASCII, such as
    /// an English line with one Chinese or Russian phrase in it: the ASCII words are
    /// read as written, and only the stretches that are not plain ASCII go through the
    /// normalizer, those next to each other together (see [`Stretches`]). The
    /// matches are [`TermMatcher::find`]'s on the normalizer's words, in the same
    /// order, but their positions are character offsets in `input`, as [`piece_span`]
    /// maps them.
    ///
    /// Answers [`AsciiFind::Unsure`], leaving `found` to be ignored, where that mapping
    /// could change the order of the matches or has no answer: an ASCII word
    /// [`TermMatcher::find_ascii`] cannot read, a normalized stretch whose words do not
    /// stand for characters of their own (an abbreviation expanded to several words,
    /// one character decomposed into two words), a match ending inside a word whose
    /// characters were respelled, or a CJK stretch when a term with a CJK edge has a
    /// word of ASCII only (`galaxy 手机`), which may reach into the ASCII words around
    /// it. [`TermMatcher::find`] on the whole normalized line then answers.
    pub fn find_mixed(
        &self,
        input: &str,
        scratch: &mut FindScratch,
        found: &mut Vec<Found>,
    ) -> AsciiFind {
        found.clear();
        let FindScratch {
            one_word,
            starts,
            one_spelling,
            stretch,
            stretches,
            ..
        } = scratch;
        starts.clear();
        let mut state = ROOT;
        let bytes = input.as_bytes();
        let mut written = Written {
            input: bytes,
            bytes: (0, 0),
            one_word,
            one_spelling,
        };
        // UTF-8 continuation bytes before the current stretch: a byte offset less
        // this is a character offset.
        let mut continuations = 0u32;
        stretches.read(bytes);
        let mut next = stretches.next(0);
        while let Some((start, end, plain)) = next {
            if plain {
                next = stretches.next(end);
                let mut i = start;
                while i < end {
                    let j = stretches.run_end(i, end);
                    written.bytes = (i, j);
                    let Some((word, head)) = self.written_word(&mut written) else {
                        return AsciiFind::Unsure;
                    };
                    let at = (i as u32 - continuations, j as u32 - continuations);
                    if !self.step(word, head, at, &mut written, &mut state, starts, found) {
                        return AsciiFind::Unsure;
                    }
                    i = j;
                }
                continue;
            }

            // The stretches that are not plain up to the next plain one, with the
            // separators between them, normalized at once: the normalizer writes them
            // as it would in the whole line.
            let mut last = end;
            next = stretches.next(end);
            while let Some((_, end, false)) = next {
                last = end;
                next = stretches.next(end);
            }
            let text = input.get(start..last).unwrap_or_default();
            normalize_text_into(text, stretch);
            let base = start as u32 - continuations;
            continuations += text.bytes().filter(|&b| b & 0xC0 == 0x80).count() as u32;
            // Words that stand for characters of their own, in order, so that their
            // character offsets order the matches as their bytes in the normalized
            // text do.
            let mut last_end = 0;
            for p in &stretch.pieces {
                if p.orig_start < last_end || p.orig_end <= p.orig_start {
                    return AsciiFind::Unsure;
                }
                last_end = p.orig_end;
            }
            let spelled = stretch.text.as_bytes();
            for p in &stretch.pieces {
                let w = spelled
                    .get(p.start as usize..p.end as usize)
                    .unwrap_or_default();
                let (word, head) = self.normalized_word(w);
                let mut text = Spelled {
                    bytes: w,
                    width: p.width,
                };
                let at = (base + p.orig_start, base + p.orig_end);
                if !self.step(word, head, at, &mut text, &mut state, starts, found) {
                    return AsciiFind::Unsure;
                }
            }
            let Some(open_terms) = self.open.as_ref().filter(|_| stretch.has_cjk) else {
                continue;
            };
            if !open_terms.not_ascii_words {
                return AsciiFind::Unsure;
            }
            for m in open_terms
                .automaton
                .find_overlapping_iter(stretch.text.as_str())
            {
                let Some(&(term, prefix, open_start, open_end)) =
                    open_terms.terms.get(m.pattern().as_usize())
                else {
                    continue;
                };
                let left_ok = open_start || spelled.get(m.start().wrapping_sub(1)) == Some(&b' ');
                let right_ok = prefix || open_end || spelled.get(m.end()) == Some(&b' ');
                if !(left_ok && right_ok) {
                    continue;
                }
                let Some((s, e)) = piece_span(&stretch.pieces, m.start(), m.end()) else {
                    return AsciiFind::Unsure;
                };
                found.push(Found {
                    term,
                    start: base + s as u32,
                    end: base + e as u32,
                });
            }
        }
        found.sort_unstable_by_key(|f| (f.end, f.start, f.term));
        AsciiFind::Found
    }

    /// What the vocabulary says of the ASCII word `text` (letters or digits, any case)
    /// once normalized, and the first four bytes of its normalized form (see
    /// [`head`]), looked up as written (see [`TermMatcher::short_spellings`]). `None`
    /// for a word [`TermMatcher::find`] must read: an abbreviation of several words,
    /// or a short plural the normalizer cannot spell as one word.
    #[inline(always)]
    fn written_word(&self, text: &mut Written) -> Option<(Word, u32)> {
        let Written {
            input,
            bytes: (start, end),
            one_word,
            one_spelling,
        } = text;
        let (input, start, end) = (*input, *start, *end);
        let len = end - start;
        let (spelling, written_head) = if let Some(key) = pack_lowercase_at(input, start, len) {
            (self.short_spellings.get(key), key as u32)
        } else if let Some(key) = pack_long_lowercase_at(input, start, len) {
            (self.middle_spellings.get(key), key as u32)
        } else {
            lowercase_into(input, start, end, one_word);
            let head = head(one_word);
            (self.long_spellings.get(one_word.as_slice()).copied(), head)
        };
        match spelling {
            Some(s) if s.several => None,
            Some(s) => Some((s.word, s.head)),
            // Not a spelling of a word of the vocabulary nor an abbreviation: the
            // normalizer keeps its first four bytes, unless it folds a short plural
            // (`babies` is `baby`), whose head is then its spelling's.
            None if plural_rewrites_start(input.get(start..end).unwrap_or_default(), HEAD_LEN) => {
                lowercase_into(input, start, end, one_word);
                spell_ascii_word(one_word, one_spelling)?;
                Some((UNKNOWN, head(one_spelling)))
            }
            None => Some((UNKNOWN, written_head)),
        }
    }

    /// What the vocabulary says of a normalized word, and its first four bytes (see
    /// [`head`]).
    #[inline]
    fn normalized_word(&self, w: &[u8]) -> (Word, u32) {
        match pack(w) {
            Some(key) => (self.short_words.get(key).unwrap_or(UNKNOWN), key as u32),
            None => (self.long_words.get(w).copied().unwrap_or(UNKNOWN), head(w)),
        }
    }

    /// Reads the next word of a description, found at `at` (the range its matches
    /// report), given what the vocabulary says of it and its head, after `state` (see
    /// [`TermMatcher::goto`]); `starts` holds where the words before it start. The
    /// sequences of whole words open before it may end with a prefix term it starts
    /// with; then the word moves the state on, and the terms that end with it are
    /// found; last, it may start with a prefix term of one word. `false` when `text`
    /// cannot place the end of a prefix term in the description.
    #[inline(always)]
    #[allow(clippy::too_many_arguments)]
    fn step(
        &self,
        word: Word,
        head: u32,
        (start, end): (u32, u32),
        text: &mut impl WordText,
        state: &mut u32,
        starts: &mut Vec<u32>,
        found: &mut Vec<Found>,
    ) -> bool {
        let before = self.nodes.get(*state as usize).copied().unwrap_or_default();
        if before.prefix_groups.0 < before.prefix_groups.1 {
            let groups = self
                .prefix_groups
                .get(before.prefix_groups.0 as usize..before.prefix_groups.1 as usize)
                .unwrap_or_default();
            for &(first, last, words) in groups {
                let from = starts
                    .len()
                    .checked_sub(words as usize)
                    .and_then(|k| starts.get(k))
                    .copied()
                    .unwrap_or(start);
                let prefixes = self
                    .prefixes
                    .get(first as usize..last as usize)
                    .unwrap_or_default();
                let ok = text.prefixes((start, end), prefixes.iter(), |term, at| {
                    found.push(Found {
                        term,
                        start: from,
                        end: at,
                    })
                });
                if !ok {
                    return false;
                }
            }
        }

        starts.push(start);
        let first = if word.first == NONE { ROOT } else { word.first };
        let next = if before.next_words & 1 << (word.id % 64) == 0 {
            first
        } else {
            self.goto
                .get(u64::from(*state) << 32 | u64::from(word.id))
                .unwrap_or(first)
        };
        *state = next;
        let after = self.nodes.get(next as usize).copied().unwrap_or_default();
        let outputs = self
            .outputs
            .get(after.outputs.0 as usize..after.outputs.1 as usize)
            .unwrap_or_default();
        for &(term, words) in outputs {
            let from = starts
                .len()
                .checked_sub(words as usize)
                .and_then(|k| starts.get(k))
                .copied()
                .unwrap_or(start);
            found.push(Found {
                term,
                start: from,
                end,
            });
        }

        if !self.may_start_prefix_term(head) {
            return true;
        }
        let cands = self.root_prefixes.get(&head).into_iter().flatten();
        let prefixes = self.short_prefixes.iter().chain(cands);
        text.prefixes((start, end), prefixes, |term, at| {
            found.push(Found {
                term,
                start,
                end: at,
            })
        })
    }

    /// Whether a word whose normalized form starts with the bytes of `head` may start
    /// with a prefix term of one word.
    #[inline]
    fn may_start_prefix_term(&self, head: u32) -> bool {
        !self.short_prefixes.is_empty() || self.has_root_head(head)
    }

    /// Whether some prefix term of one word may start with the four bytes of `head`
    /// (see [`head`]): a bit test that turns most words away before a hash look-up.
    #[inline]
    fn has_root_head(&self, head: u32) -> bool {
        let bit = head_bit(head);
        self.root_heads
            .get(bit / 64)
            .is_some_and(|bits| bits & (1 << (bit % 64)) != 0)
    }
}

/// A word's text, as the prefix terms are held to it.
trait WordText {
    /// Calls `matched(term, end)` for each of `prefixes` that the word, found at
    /// `at` in the description, starts with once normalized, `end` being where the
    /// match ends in the description. `false` when a match ends inside the word where
    /// no offset in the description corresponds.
    fn prefixes<'p>(
        &mut self,
        at: (u32, u32),
        prefixes: impl Iterator<Item = &'p (Box<[u8]>, u32)> + Clone,
        matched: impl FnMut(u32, u32),
    ) -> bool;
}

/// A word of ASCII letters or digits as written, `input[bytes.0..bytes.1]`, which the
/// normalizer may still respell; the buffers are for lowercasing and respelling it.
struct Written<'a> {
    input: &'a [u8],
    bytes: (usize, usize),
    one_word: &'a mut Vec<u8>,
    one_spelling: &'a mut Vec<u8>,
}

impl WordText for Written<'_> {
    #[inline]
    fn prefixes<'p>(
        &mut self,
        at: (u32, u32),
        prefixes: impl Iterator<Item = &'p (Box<[u8]>, u32)> + Clone,
        matched: impl FnMut(u32, u32),
    ) -> bool {
        lowercase_into(self.input, self.bytes.0, self.bytes.1, self.one_word);
        prefix_matches(self.one_word, at, prefixes, self.one_spelling, matched)
    }
}

/// A word as the normalizer wrote it, `width` bytes for each original character when
/// its map is arithmetic, else 0 (see [`Piece::width`]).
struct Spelled<'a> {
    bytes: &'a [u8],
    width: u8,
}

impl WordText for Spelled<'_> {
    fn prefixes<'p>(
        &mut self,
        (start, end): (u32, u32),
        prefixes: impl Iterator<Item = &'p (Box<[u8]>, u32)> + Clone,
        mut matched: impl FnMut(u32, u32),
    ) -> bool {
        for (prefix, term) in prefixes {
            if !self.bytes.starts_with(prefix) {
                continue;
            }
            // As `piece_span` places it.
            let width = usize::from(self.width);
            let at = if prefix.len() == self.bytes.len() {
                end
            } else if width > 0 && prefix.len() % width == 0 {
                start + (prefix.len() / width) as u32
            } else {
                return false;
            };
            matched(*term, at);
        }
        true
    }
}

/// Calls `matched(term, end)` for each of `prefixes` that the word `written` (letters
/// or digits, lowercased, no apostrophe), found at `word.0..word.1` of the
/// description, starts with once normalized, `end` being where the match ends in the
/// description. `false` when a match ends inside the word where the normalizer
/// respelled it, so that no offset in the description corresponds.
fn prefix_matches<'p>(
    written: &[u8],
    word: (u32, u32),
    prefixes: impl Iterator<Item = &'p (Box<[u8]>, u32)> + Clone,
    spelling: &mut Vec<u8>,
    mut matched: impl FnMut(u32, u32),
) -> bool {
    if !may_be_abbreviation(written) {
        // Most words are their own normalized form: no plural to fold.
        if written.last() != Some(&b's') {
            for (prefix, term) in prefixes {
                if written.starts_with(prefix) {
                    matched(*term, word.0 + prefix.len() as u32);
                }
            }
            return true;
        }
        // Folding a plural rewrites at most its last 3 bytes and shortens it by at
        // most 2: a prefix that fails on the rest cannot match.
        let kept = written.len().saturating_sub(3);
        let may_match = |(prefix, _): &&(Box<[u8]>, u32)| {
            prefix.len() <= written.len()
                && written.starts_with(prefix.get(..prefix.len().min(kept)).unwrap_or_default())
        };
        if !prefixes.clone().any(|p| may_match(&p)) {
            return true;
        }
    }
    let Some(one_for_one) = spell_ascii_word(written, spelling) else {
        return false;
    };
    let (spelled, len) = (spelling.as_slice(), spelling.len());
    for (prefix, term) in prefixes {
        if !spelled.starts_with(prefix) {
            continue;
        }
        let end = if prefix.len() == len {
            word.1
        } else if one_for_one {
            word.0 + prefix.len() as u32
        } else {
            return false;
        };
        matched(*term, end);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn packed_words_read_at_once_or_byte_by_byte_agree() {
        let text = b" ab abcdefg abcdefgh x ";
        for start in 0..text.len() {
            for len in 0..=8 {
                let Some(word) = text.get(start..start + len) else {
                    continue;
                };
                assert_eq!(pack_at(text, start, len), pack(word), "{start} {len}");
            }
        }
    }

    proptest! {
        /// A word the normalizer writes so that it no longer starts with the word's
        /// first four bytes is one that `plural_rewrites_start` names, or an
        /// abbreviation.
        #[test]
        fn heads_change_only_where_plural_rewrites_start(
            w in prop_oneof![
                "[a-z]{1,7}",
                "[a-z]{1,4}(ies|ves|es|s|ses|ches|xes)",
                prop::sample::select(vec!["knives", "wives", "halves", "babies", "ties", "pies"])
                    .prop_map(String::from),
            ],
        ) {
            let w = w.as_bytes();
            let rewrites = |w: &[u8]| plural_rewrites_start(w, HEAD_LEN);
            prop_assert_eq!(rewrites(&w.to_ascii_uppercase()), rewrites(w));
            // An abbreviation (`dz` is `dozen`) is respelled whole, but every one is in
            // the matcher's spellings, which give its head: the written head is never
            // used for it.
            let abbreviation = abbreviations().any(|(a, _)| a.as_bytes() == w);
            let mut spelled = Vec::new();
            let one_word = spell_ascii_word(w, &mut spelled).is_some();
            if one_word && spelled.len() >= HEAD_LEN && !rewrites(w) && !abbreviation {
                prop_assert_eq!(head(&spelled), head(w), "{:?}", String::from_utf8_lossy(w));
            }
        }
    }

    /// Matches as (term, start, end).
    type Matches = &'static [(u32, u32, u32)];

    fn matcher(terms: &[&str]) -> TermMatcher {
        let specs: Vec<TermPattern> = terms
            .iter()
            .map(|t| TermPattern {
                text: t.trim_end_matches('*').to_string(),
                prefix: t.ends_with('*'),
            })
            .collect();
        TermMatcher::new(&specs)
    }

    /// `find_mixed` on `text`: what it answered, and the matches as (term, start, end).
    fn mixed(m: &TermMatcher, text: &str) -> (AsciiFind, Vec<(u32, u32, u32)>) {
        let (mut scratch, mut found) = (FindScratch::default(), Vec::new());
        let answer = m.find_mixed(text, &mut scratch, &mut found);
        let found = found.iter().map(|f| (f.term, f.start, f.end)).collect();
        (answer, found)
    }

    /// Sequences of words that start inside a longer one, which the word automaton
    /// follows through its failures: a term that ends inside a longer sequence, a
    /// prefix term that goes on from one, a longer term after a false start.
    #[test]
    fn terms_inside_longer_sequences_are_found() {
        let m = matcher(&[
            "gold royal box",
            "royal pri*",
            "royal",
            "box",
            "gold gold royal",
        ]);
        let (mut scratch, mut found) = (FindScratch::default(), Vec::new());
        let cases: &[(&str, Matches)] = &[
            ("gold royal prince", &[(2, 5, 10), (1, 5, 14)]),
            ("gold royal box", &[(2, 5, 10), (0, 0, 14), (3, 11, 14)]),
            (
                "gold gold royal box",
                &[(4, 0, 15), (2, 10, 15), (0, 5, 19), (3, 16, 19)],
            ),
        ];
        for (text, want) in cases {
            let answer = m.find_ascii(text.as_bytes(), &mut scratch, &mut found);
            let got: Vec<_> = found.iter().map(|f| (f.term, f.start, f.end)).collect();
            assert_eq!((answer, got), (AsciiFind::Found, want.to_vec()), "{text}");
        }
    }

    #[test]
    fn mixed_lines_are_read_by_stretches_with_character_offsets() {
        let m = matcher(&[
            "teppich",
            "handgeknupft",
            "钻石",
            "명품 가방",
            "трубы стальные",
            "золот*",
        ]);
        let cases: &[(&str, Matches)] = &[
            ("Teppich handgeknüpft, 2 pcs", &[(0, 0, 7), (1, 8, 20)]),
            // Inside a CJK run, after a Chinese word written before it.
            ("Diamond 高级钻石戒指 ring", &[(2, 10, 12)]),
            // A term of two Hangul words, across the space between two stretches.
            ("LV 명품 가방 x2", &[(3, 3, 8)]),
            // Cyrillic words with ASCII words around them; a prefix term inside a word.
            (
                "steel ТРУБЫ стальные 20т, золотые",
                &[(4, 6, 20), (5, 26, 31)],
            ),
        ];
        for (text, want) in cases {
            assert_eq!(mixed(&m, text), (AsciiFind::Found, want.to_vec()), "{text}");
        }
    }

    #[test]
    fn mixed_lines_the_stretches_cannot_place_are_left_to_find() {
        let m = matcher(&["gold", "oz", "钻石", "galaxy 手机"]);
        // `½` is written as two words, `1` and `2`, both standing for one character.
        assert_eq!(mixed(&m, "gold ½ oz").0, AsciiFind::Unsure);
        // A term with a CJK edge and an ASCII word may reach into the ASCII words
        // around a CJK stretch.
        assert_eq!(mixed(&m, "三星 galaxy 手机").0, AsciiFind::Unsure);
        assert_eq!(mixed(&m, "gold ring, Zoë").0, AsciiFind::Found);
    }

    #[test]
    fn long_words_packed_lowercase_at_once_or_byte_by_byte_agree() {
        // Runs of letters (any case) or of digits, as the matcher packs them, of up to
        // 17 bytes (a key only from 8 to 15), at every place, up to the end of the text.
        let text = b" Machinery 12345678901234 CONTAINERS abcdefghijklmnop ";
        for start in 0..text.len() {
            for len in 0..=17 {
                let Some(word) = text.get(start..start + len) else {
                    continue;
                };
                let lower = word.to_ascii_lowercase();
                let want = pack_long(&lower);
                assert_eq!(want.is_some(), (8..=15).contains(&len), "{start} {len}");
                if word.iter().all(u8::is_ascii_alphabetic) || word.iter().all(u8::is_ascii_digit) {
                    assert_eq!(
                        pack_long_lowercase_at(text, start, len),
                        want,
                        "{start} {len}"
                    );
                }
            }
        }
        // Words that differ only in their length or in a byte past the eighth differ.
        let keys = [
            &b"abcdefgh"[..],
            b"abcdefgh1",
            b"abcdefgh2",
            b"abcdefghi",
            b"abcdefgha",
        ];
        let packed: std::collections::HashSet<u128> =
            keys.iter().filter_map(|k| pack_long(k)).collect();
        assert_eq!(packed.len(), keys.len());
    }
}
