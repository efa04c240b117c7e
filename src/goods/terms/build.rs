//! Building the matcher: the vocabulary of the terms' words (every spelling the
//! normalizer writes them for), the trie of the terms' word sequences with its
//! Aho-Corasick links, the prefix terms by their head, and an automaton of the terms
//! with a CJK edge.

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use rustc_hash::FxHashMap;

use super::pack::{head, head_bit, pack, pack_long, HEAD_LEN};
use super::*;
use crate::text::goods::{abbreviations, ascii_spellings};

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
}
