//! Finding a ruleset's terms in a normalized description.
//!
//! A term matches where its normalized text occurs in the normalized description with a
//! word boundary (a space) on each side, except next to a CJK character (those scripts
//! do not separate words) and after a prefix term (`автомобил*`). Both texts are tokens
//! joined by single spaces, so a term with boundaries on both sides is a sequence of
//! whole tokens of the description, and a prefix term is whole tokens followed by the
//! start of one more. Those are found token by token: one hash lookup per token of the
//! description, then a walk in a trie of the terms' tokens. A byte-by-byte automaton
//! over the whole text was tried: it runs fewer instructions and branches, but its
//! table is too large for the first-level cache, so it was only 4 to 9% faster for
//! five times the build time and an 11 MB table (see the README). Only the terms that
//! start or end with a CJK character can match inside a token; they are searched with
//! Aho-Corasick, and only in descriptions that are not all ASCII (no CJK character, no
//! such match).
//!
//! [`TermMatcher::find`] reports the same matches as searching every term with one
//! Aho-Corasick automaton over the whole text and checking the boundaries, in the same
//! order (by end, then start, then term); the classifier's tests assert it.

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use rustc_hash::FxHashMap;

use super::normalize::{
    abbreviations, ascii_spellings, is_cjk, may_be_abbreviation, plural_rewrites_start,
    spell_ascii_word, AsciiRuns, Piece, Reading,
};
use super::table::{U128Table, U64Table};

/// A term as the matcher needs it: its normalized text and how it may match.
#[derive(Debug, Clone)]
pub(crate) struct TermSpec {
    /// Normalized text: tokens joined by single spaces, no leading or trailing space.
    pub text: String,
    /// Matches the start of a word (`автомобил*`): no boundary after it.
    pub prefix: bool,
}

impl TermSpec {
    /// Whether the term starts with a CJK character (no boundary needed before it).
    pub fn open_start(&self) -> bool {
        self.text.chars().next().is_some_and(is_cjk)
    }

    /// Whether the term ends with a CJK character (no boundary needed after it).
    pub fn open_end(&self) -> bool {
        self.text.chars().next_back().is_some_and(is_cjk)
    }
}

/// What [`TermMatcher::find_ascii`] made of a description.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AsciiFind {
    /// The matches are found.
    Found,
    /// The description is ASCII, but [`TermMatcher::find`] must read it.
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
    /// The sequences of whole words that may go on with the next word: trie node and
    /// where the sequence starts.
    open: Vec<(u32, u32)>,
    /// The normalizer's spelling of one word, for a prefix term.
    one_spelling: Vec<u8>,
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
    pub fn new(terms: &[TermSpec]) -> Self {
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
            edges: U64Table::new(edges),
            nodes: Vec::with_capacity(nodes.len()),
            ends: Vec::new(),
            prefixes: Vec::new(),
            root_prefixes,
            root_heads,
            short_prefixes,
            open: None,
        };
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
            });
        }
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
                    terms: open_terms,
                });
        }
        m
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
    /// its last one, as [`super::normalize::piece_span`] maps it.
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
            open,
            one_spelling,
            ..
        } = scratch;
        open.clear();
        match runs.read(input) {
            Reading::Words => {}
            Reading::Apostrophe => return AsciiFind::Unsure,
            Reading::NotAscii => return AsciiFind::NotAscii,
        }

        while let Some((start, i)) = runs.next() {
            let len = i - start;
            let (spelling, written_head) = if let Some(key) = pack_lowercase_at(input, start, len) {
                (self.short_spellings.get(key), key as u32)
            } else if let Some(key) = pack_long_lowercase_at(input, start, len) {
                (self.middle_spellings.get(key), key as u32)
            } else {
                lowercase_into(input, start, i, one_word);
                let head = head(one_word);
                (self.long_spellings.get(one_word.as_slice()).copied(), head)
            };
            let (word, head) = match spelling {
                Some(s) if s.several => return AsciiFind::Unsure,
                Some(s) => (s.word, s.head),
                // Not a spelling of a word of the vocabulary nor an abbreviation: the
                // normalizer keeps its first four bytes, unless it folds a short
                // plural (`babies` is `baby`), whose head is then its spelling's.
                None if plural_rewrites_start(
                    input.get(start..i).unwrap_or_default(),
                    HEAD_LEN,
                ) =>
                {
                    lowercase_into(input, start, i, one_word);
                    if spell_ascii_word(one_word, one_spelling).is_none() {
                        return AsciiFind::Unsure;
                    }
                    (UNKNOWN, head(one_spelling))
                }
                None => (UNKNOWN, written_head),
            };
            let (start, end) = (start as u32, i as u32);

            // The sequences of whole words open before this word: each may go on with
            // it, or end with a prefix term that it starts with. Those this word opens
            // or continues are pushed after them, and the old ones dropped after.
            let before = open.len();
            for k in 0..before {
                let Some(&(node, from)) = open.get(k) else {
                    break;
                };
                let Some(n) = self.nodes.get(node as usize) else {
                    continue;
                };
                if n.prefixes.0 < n.prefixes.1 {
                    let prefixes = self
                        .prefixes
                        .get(n.prefixes.0 as usize..n.prefixes.1 as usize)
                        .unwrap_or_default();
                    lowercase_into(input, start as usize, end as usize, one_word);
                    let ok = prefix_matches(
                        one_word,
                        (start, end),
                        prefixes.iter(),
                        one_spelling,
                        |term, at| {
                            found.push(Found {
                                term,
                                start: from,
                                end: at,
                            })
                        },
                    );
                    if !ok {
                        return AsciiFind::Unsure;
                    }
                }
                if n.more && word.id != NONE {
                    if let Some(child) = self.edges.get(u64::from(node) << 32 | u64::from(word.id))
                    {
                        self.reached(child, from, end, found, open);
                    }
                }
            }
            if word.first != NONE {
                self.reached(word.first, start, end, found, open);
            }
            if before > 0 {
                open.drain(..before);
            }

            if !self.may_start_prefix_term(head) {
                continue;
            }
            let cands = self.root_prefixes.get(&head).into_iter().flatten();
            let prefixes = self.short_prefixes.iter().chain(cands);
            lowercase_into(input, start as usize, end as usize, one_word);
            let ok = prefix_matches(
                one_word,
                (start, end),
                prefixes,
                one_spelling,
                |term, at| {
                    found.push(Found {
                        term,
                        start,
                        end: at,
                    })
                },
            );
            if !ok {
                return AsciiFind::Unsure;
            }
        }
        found.sort_unstable_by_key(|f| (f.end, f.start, f.term));
        AsciiFind::Found
    }

    /// A sequence of whole words from byte `start` to byte `end` has reached trie node
    /// `node`: the terms that end there are found, and the sequence stays open if
    /// longer terms or prefix terms go on from it.
    #[inline]
    fn reached(
        &self,
        node: u32,
        start: u32,
        end: u32,
        found: &mut Vec<Found>,
        open: &mut Vec<(u32, u32)>,
    ) {
        let Some(n) = self.nodes.get(node as usize) else {
            return;
        };
        for &term in self
            .ends
            .get(n.ends.0 as usize..n.ends.1 as usize)
            .unwrap_or_default()
        {
            found.push(Found { term, start, end });
        }
        if n.more || n.prefixes.0 < n.prefixes.1 {
            open.push((node, start));
        }
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
