//! Finding the terms in a description: word by word in its normalized words
//! ([`TermMatcher::find`]), in an ASCII line as written ([`TermMatcher::find_ascii`]),
//! or in a mixed line by its stretches ([`TermMatcher::find_mixed`]).

use super::pack::{
    head, head_bit, lowercase_into, pack, pack_at, pack_long_lowercase_at, pack_lowercase_at,
    HEAD_LEN,
};
use super::*;
use crate::text::goods::{
    may_be_abbreviation, normalize_text_into, piece_span, plural_rewrites_start, spell_ascii_word,
    Piece, Reading,
};

impl TermMatcher {
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
    // Kept out of the classifier's loop: inlined there it ran more instructions per
    // line (callgrind on the bench corpus).
    #[inline(never)]
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
    // As `find_ascii`.
    #[inline(never)]
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
