//! Building the index: the vocabulary, its deletion variants and trigram pivots, the
//! postings and the runs of every listed name.
use super::*;

pub(super) fn fnv(salt: u64, bytes: impl Iterator<Item = u8>) -> u64 {
    fnv_finish(fnv_feed(0xcbf2_9ce4_8422_2325 ^ salt, bytes))
}

/// The state of [`fnv`] after `bytes`, from state `h`.
#[inline]
fn fnv_feed(mut h: u64, bytes: impl Iterator<Item = u8>) -> u64 {
    for b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[inline]
fn fnv_finish(h: u64) -> u64 {
    h ^ (h >> 29)
}

/// Calls `f` with the hash of every variant of `s` with up to `k` (≤ 2) bytes deleted:
/// `s` itself, then each byte deleted in order, then each pair. A variant's hash goes
/// on from the state the hash of the bytes before its first deletion left, so that
/// the bytes before it are read once for all variants rather than once for each (a
/// query looks up a hundred or more variants).
pub(super) fn for_each_deletion(s: &[u8], k: usize, mut f: impl FnMut(u64)) {
    let start = 0xcbf2_9ce4_8422_2325;
    let tail = |h: u64, from: usize| fnv_feed(h, s.get(from..).unwrap_or(&[]).iter().copied());
    f(fnv_finish(tail(start, 0)));
    if k == 0 {
        return;
    }
    // `before` is the state after `s[..i]`.
    let mut before = start;
    for (i, &b) in s.iter().enumerate() {
        f(fnv_finish(tail(before, i + 1)));
        before = fnv_feed(before, [b].into_iter());
    }
    if k < 2 {
        return;
    }
    let mut before = start;
    for (i, &b) in s.iter().enumerate() {
        // `between` is the state after `s[..i]` and `s[i + 1..j]`.
        let mut between = before;
        for (j, &c) in s.iter().enumerate().skip(i + 1) {
            f(fnv_finish(tail(between, j + 1)));
            between = fnv_feed(between, [c].into_iter());
        }
        before = fnv_feed(before, [b].into_iter());
    }
}

/// Groups (variant hash, id) pairs by hash, each hash's ids rising.
pub(super) fn group_variants(pairs: Vec<(u64, u32)>) -> Groups {
    Groups::from_pairs(pairs)
}

pub(super) fn trigrams(key: &[u8]) -> impl Iterator<Item = u32> + '_ {
    key.windows(3).map(|w| match w {
        [a, b, c] => u32::from(*a) << 16 | u32::from(*b) << 8 | u32::from(*c),
        _ => 0,
    })
}

/// The range of entry `i` in a table laid out back to back, whose offsets `off` have
/// one more entry than it has entries; out of range, it selects nothing.
pub(super) fn span(off: &[u32], i: usize) -> std::ops::Range<usize> {
    let at = |k: usize| off.get(k).copied().unwrap_or(0) as usize;
    at(i)..at(i + 1)
}

/// The bit of trigram `g` in a word's trigram signature.
pub(super) fn gram_bit(g: u32) -> u64 {
    1 << (g.wrapping_mul(0x9E37_79B9) >> 26)
}

/// How many values two sorted, deduplicated lists share, and the first of them.
pub(super) fn shared_sorted(a: &[u32], b: &[u32]) -> (usize, u32) {
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
pub(super) fn pivot_trigrams(grams: &[u32], off: &[u32]) -> Groups {
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

impl NameIndex {
    /// Builds the index. Names that normalize to nothing (empty, or only a legal form)
    /// are kept but never found.
    pub fn build(names: impl IntoIterator<Item = IndexedName>) -> NameIndex {
        let mut inner = Inner::default();
        // The look-up tables are gathered in hash maps, then laid out flat.
        let mut by_text: FxHashMap<Box<str>, u32> = FxHashMap::default();
        let mut by_run: FxHashMap<Box<str>, Vec<u32>> = FxHashMap::default();
        let mut by_key: FxHashMap<Box<str>, Vec<u32>> = FxHashMap::default();
        let mut by_stem: FxHashMap<Box<str>, Vec<u32>> = FxHashMap::default();
        let mut by_consonants: FxHashMap<Box<str>, Vec<u32>> = FxHashMap::default();
        let mut by_skeleton: FxHashMap<Box<str>, Vec<u32>> = FxHashMap::default();
        inner.name_run_off.push(0);
        let mut run_variants: Vec<u64> = Vec::new();
        let mut per_vocab: Vec<Vec<u32>> = Vec::new();
        // Each reading of a listed name (other scripts, a short form in parentheses,
        // alternates) is indexed as a name of its own, reported as listed.
        let readings = names.into_iter().flat_map(|n| {
            let rs = crate::normalize::readings::readings_with(&n.name, score::is_place);
            rs.into_iter().map(move |r| (n.clone(), r))
        });
        for (n, reading) in readings {
            let kind = Some(n.kind).filter(|k| *k != EntityKind::Unknown);
            let p = Prepared::new(&reading.text, kind);
            let name_id = inner.names.len() as u32;
            let mut ids = Vec::with_capacity(p.toks.len());
            for t in p.toks {
                let id = match by_text.get(&*t.text) {
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
                        by_text.insert(t.text.clone(), id);
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
                    let list = by_run.entry(key.into_boxed_str()).or_default();
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
                nationalities: n
                    .nationalities
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
            let given = |v: u32| inner.vocab.get(v as usize).is_some_and(|t| t.given);
            inner.name_tok_ids.extend(words.iter().map(|&(v, w, _)| {
                let tag = if given(v) { GIVEN_NAME_BIT } else { 0 };
                (v | tag, w)
            }));
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
            by_key.entry(t.key.clone()).or_default().push(id);
            if let Some(st) = score::stem(&t.text) {
                by_stem.entry(st.into()).or_default().push(id);
            }
            let cons = score::consonants(&score::abjad_fold(&t.text));
            if !cons.is_empty() {
                by_consonants
                    .entry(cons.into_boxed_str())
                    .or_default()
                    .push(id);
            }
            if t.text.len() <= SKELETON_MAX_LEN {
                let sk = skeleton(&t.key);
                if sk.len() >= 2 {
                    by_skeleton.entry(sk.into_boxed_str()).or_default().push(id);
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
        inner.pivots = pivot_trigrams(&inner.word_grams, &inner.word_gram_off);
        inner.max_word_len = inner
            .vocab
            .iter()
            .map(|t| t.text.len().max(t.key.len()))
            .max()
            .unwrap_or(0);
        inner.deletes = group_variants(dels);
        let by_text: FxHashMap<Box<str>, Vec<u32>> =
            by_text.into_iter().map(|(k, id)| (k, vec![id])).collect();
        inner.by_text = Groups::from_texts(&by_text);
        inner.by_run = Groups::from_texts(&by_run);
        inner.by_key = Groups::from_texts(&by_key);
        inner.by_stem = Groups::from_texts(&by_stem);
        inner.by_consonants = Groups::from_texts(&by_consonants);
        inner.by_skeleton = Groups::from_texts(&by_skeleton);
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
        let tables = [
            &i.by_text,
            &i.by_key,
            &i.by_run,
            &i.by_skeleton,
            &i.by_stem,
            &i.by_consonants,
            &i.deletes,
            &i.pivots,
        ];
        let tables: usize =
            tables.iter().map(|t| t.heap_bytes()).sum::<usize>() + i.run_variants.capacity() * 8;
        let tri = (i.word_grams.capacity() + i.word_gram_off.capacity()) * 4;
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
        vocab + tables + tri + posts + names
    }
}
