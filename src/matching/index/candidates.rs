//! Finding candidates: the listed words similar to a query word, and the words a query
//! word contains.
use super::*;

impl NameIndex {
    pub(super) fn postings(&self, v: u32) -> &[u32] {
        let i = &self.inner;
        i.postings.get(span(&i.post_off, v as usize)).unwrap_or(&[])
    }

    /// The postings of word `v` that are names with initials.
    pub(super) fn postings_with_initials(&self, v: u32) -> &[u32] {
        let i = &self.inner;
        let a = i.post_split.get(v as usize).copied().unwrap_or(0) as usize;
        let b = i.post_off.get(v as usize + 1).copied().unwrap_or(0) as usize;
        i.postings.get(a..b).unwrap_or(&[])
    }

    /// What [`NameIndex::similar`] finds for query word `t` when it is a listed word
    /// (same text, key, class and script), from the index's kept neighbours: found
    /// once for the index, then shared. `None` for other words.
    pub(super) fn listed_neighbours(
        &self,
        t: &Tok,
        buf: &mut SimilarScratch,
        work: &mut SearchWork,
    ) -> Option<Similar> {
        let i = &*self.inner;
        let &id = i.by_text.get(&t.text)?.first()?;
        let v = i.vocab.get(id as usize)?;
        if v.class != TokenClass::Word || v.abjad != t.abjad || v.key != t.key {
            return None;
        }
        let slot = self.neighbour_slots().get(id as usize)?;
        Some(
            slot.get_or_init(|| self.similar_words(v, buf, work))
                .clone(),
        )
    }

    /// Every listed word similar to word `t`, in the form the memo and the kept
    /// neighbours share.
    pub(super) fn similar_words(
        &self,
        t: &Tok,
        buf: &mut SimilarScratch,
        work: &mut SearchWork,
    ) -> Similar {
        self.similar(&t.text, &t.key, t.abjad, usize::MAX, buf, work)
            .into()
    }

    /// The index's slots of kept neighbours, one a vocabulary word, made on first use.
    fn neighbour_slots(&self) -> &[std::sync::OnceLock<Similar>] {
        let i = &*self.inner;
        i.neighbours
            .get_or_init(|| (0..i.vocab.len()).map(|_| Default::default()).collect())
    }

    /// Finds and keeps the similar listed words of every listed word now, rather than
    /// when a query first holds it: a long-running searcher (a service, a batch) pays
    /// this once, about a second of CPU on the SDN list, and no query pays it after.
    /// Searches give the same hits either way.
    pub fn keep_neighbours(&self) {
        let i = &*self.inner;
        let mut buf = SimilarScratch::default();
        let mut work = SearchWork::default();
        for (slot, v) in self.neighbour_slots().iter().zip(i.vocab.iter()) {
            if v.class == TokenClass::Word {
                slot.get_or_init(|| self.similar_words(v, &mut buf, &mut work));
            }
        }
    }

    /// Vocabulary words similar to a word (or run) with text `text` and key `key`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn similar(
        &self,
        text: &str,
        key: &str,
        abjad: bool,
        max_budget: usize,
        buf: &mut SimilarScratch,
        work: &mut SearchWork,
    ) -> Vec<(u32, f32, Basis)> {
        let i = &self.inner;
        let seen = &mut buf.seen;
        seen.clear();
        // Every listed word's text and key is among the deletion variants (with none
        // deleted: `fnv(0, ..)` of the word, as `for_each_deletion` hashes it), so a text or key the filter of variants does not hold is no
        // listed word's, and most words and runs of screened names are none.
        let filter = i.deletes_filter.get_or_init(|| i.deletes.key_filter());
        let listed = |s: &str| filter.may_hold(fnv(0, s.bytes()));
        if let Some(ids) = listed(text).then(|| i.by_text.get(text)).flatten() {
            seen.extend_from_slice(ids);
        }
        if let Some(ids) = listed(key).then(|| i.by_key.get(key)).flatten() {
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
        let other_script = abjad || *i.has_abjad.get_or_init(|| i.vocab.iter().any(|v| v.abjad));
        if let Some(ids) = other_script.then(by_consonants).flatten() {
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
        let hashes = &mut buf.hashes;
        hashes.clear();
        // A word longer than every listed word by more than its budget shares no
        // variant with one.
        let reach = |s: &str| budget(s.len()).min(max_budget);
        if key.len() <= i.max_word_len + reach(key) {
            for_each_deletion(key.as_bytes(), reach(key), |h| hashes.push(h));
        }
        if text != key && text.len() <= i.max_word_len + reach(text) {
            for_each_deletion(text.as_bytes(), reach(text), |h| hashes.push(h));
        }
        // Repeated letters and a text much like its key give the same variant twice.
        hashes.sort_unstable();
        hashes.dedup();
        work.variants += hashes.len() as u64;
        hashes.retain(|&h| filter.may_hold(h));
        i.deletes.get_ints_into(hashes, &mut buf.spans, seen);
        seen.sort_unstable();
        seen.dedup();
        let q_letters = (letter_set(text), letter_set(key));
        let forms = WordForms::new(text, key);
        let mut out = Vec::with_capacity(seen.len());
        for (k, &id) in seen.iter().enumerate() {
            // Each word's record and its strings are apart in memory: ask for those of
            // the words further on while this one is compared.
            let ahead = |n: usize| seen.get(k + n).and_then(|&w| i.vocab.get(w as usize));
            prefetch(ahead(2 * PREFETCH_AHEAD));
            if let Some(w) = ahead(PREFETCH_AHEAD) {
                prefetch(w.text.as_bytes().first());
                prefetch(w.key.as_bytes().first());
            }
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
    pub(super) fn contained_words(
        &self,
        key: &str,
        mask: u64,
        sc: &mut Scratch,
        out: &mut Vec<(u32, u64)>,
    ) {
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
            let Some(words) = inner.pivots.get_int(u64::from(g)) else {
                continue;
            };
            for &v in words {
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
}

/// The query tokens at least one of which a name must share, by a hit of similarity
/// `floor` or more, to reach `threshold` (a mask), unless it has initials or was found
/// through runs. A name without such a hit aligns each essential token at most as well
/// as that token's best hit below `floor` (`low`), or not at all (weight `U`), and each
/// other token at most as well as its best hit (`best`): with `S` that best case,
/// `0.5·(S / (U + S) + 1)` stays below the threshold (see [`NameIndex::bound`]).
pub(super) fn essential_tokens(
    q: &Prepared,
    flat: &[Found],
    init_w: f32,
    threshold: f64,
    floor: f32,
) -> u64 {
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
            u += t.least_unaligned_weight();
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
        let Some(t) = q.toks.get(k) else { continue };
        let l = get(&low, k);
        let (s2, u2) = if l > 0.0 {
            (s - t.weight * l + sw, u)
        } else {
            (s + sw, u - t.least_unaligned_weight())
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

/// The names of `run_variants` (`hash << 32 | name`, sorted) with a variant of hash
/// `h` (its top 32 bits).
pub(super) fn names_with_variant(run_variants: &[u64], h: u64) -> impl Iterator<Item = u32> + '_ {
    let top = h >> 32;
    let from = first_with_top(run_variants, top);
    let same = run_variants.get(from..).unwrap_or(&[]);
    same.iter()
        .take_while(move |&&x| x >> 32 == top)
        .map(|&x| x as u32)
}

/// The first position in `v` (sorted) whose value's top 32 bits are `top` or more, as
/// `partition_point` finds it. The top bits are those of hashes, spread evenly, so the
/// position is first guessed from `top` and the guess corrected by how far its value
/// is off, which lands within a few entries: a few cache misses for millions of
/// entries where halving the range took twenty.
pub(super) fn first_with_top(v: &[u64], top: u64) -> usize {
    let n = v.len();
    let below = |i: usize| v.get(i).is_some_and(|&x| x >> 32 < top);
    let guess = |at: u64, from: usize| -> usize {
        // Entries between two top values, at the density of the whole.
        let shift = ((i128::from(top) - i128::from(at)) * n as i128) >> 32;
        (from as i128 + shift).clamp(0, n.saturating_sub(1) as i128) as usize
    };
    let mut g = guess(0, 0);
    if let Some(&x) = v.get(g) {
        g = guess(x >> 32, g);
    }
    // Widen a bracket around the guess: every entry before `lo` is below `top`, none
    // from `hi` on.
    let (mut lo, mut hi);
    let mut step = 8;
    if below(g) {
        lo = g + 1;
        loop {
            let p = lo.saturating_add(step);
            if p >= n {
                hi = n;
                break;
            }
            if below(p) {
                lo = p + 1;
                step *= 2;
            } else {
                hi = p;
                break;
            }
        }
    } else {
        hi = g.min(n);
        loop {
            if hi <= step {
                lo = 0;
                break;
            }
            let p = hi - step;
            if below(p) {
                lo = p + 1;
                break;
            }
            hi = p;
            step *= 2;
        }
    }
    lo + v
        .get(lo..hi)
        .map_or(0, |s| s.partition_point(|&x| x >> 32 < top))
}

/// The set of ASCII letters and digits in `s`, a bit each (digits share the top bits).
pub(super) fn letter_set(s: &str) -> u32 {
    s.bytes().fold(0u32, |m, b| match b {
        b'a'..=b'z' => m | 1 << (b - b'a'),
        b'0'..=b'9' => m | 1 << (26 + (b - b'0') % 6),
        _ => m | 1 << 31,
    })
}

/// Lays out every listed word the query units found in `flat`, grouped by word, and
/// points each word's `word_hits` entry at its group: two passes over the hits, no
/// sort (each unit's hits come sorted by word, but many units share words).
pub(super) fn group_by_word(
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
pub(super) fn bits(mut mask: u64) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        (mask != 0).then(|| {
            let k = mask.trailing_zeros() as usize;
            mask &= mask - 1;
            k
        })
    })
}

pub(super) fn unit_mask(run: Run) -> u64 {
    let ones = (1u64 << run.len.min(63)) - 1;
    ones << run.start.min(63)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The guessing search finds what halving the range finds, on spread values
        /// and on bunched ones (where its guesses are poor).
        #[test]
        fn first_with_top_is_the_partition_point(
            mut v in prop::collection::vec(any::<u64>(), 0..400),
            bunched in prop::collection::vec(0u64..8, 0..400),
            probes in prop::collection::vec(any::<u64>(), 0..40),
        ) {
            v.sort_unstable();
            let mut b: Vec<u64> = bunched.iter().map(|&x| x << 32 | x).collect();
            b.sort_unstable();
            for list in [&v, &b] {
                let tops = probes.iter().map(|p| p >> 32).chain(list.iter().map(|x| x >> 32)).chain(0..9);
                for top in tops {
                    prop_assert_eq!(first_with_top(list, top), list.partition_point(|&x| x >> 32 < top));
                }
            }
        }
    }

    /// A listed word's kept neighbours are what retrieval finds for it, a word
    /// spelled like a listed one but read from another script has none, and keeping
    /// every listed word's changes no search.
    #[test]
    fn kept_neighbours_are_the_similar_words() {
        let names = [
            "KIM Jong Un",
            "KIM Jong Il",
            "Korea Kwangson Banking Corp",
            "Mohammed Ali Hassan",
            "Muhammad Aly",
            "Shanghai Hua Xin Trading Co., Ltd.",
            "KOREA KUMRYONG TRADING COMPANY",
        ];
        let index = NameIndex::build(
            names
                .iter()
                .enumerate()
                .map(|(e, &n)| IndexedName::new(e as u32, n, EntityKind::Unknown)),
        );
        let opts = SearchOptions {
            threshold: 0.5,
            limit: 10,
        };
        let queries = [
            "Kim Chong-un",
            "Mohamed Ali",
            "Korea Kumryong Trading",
            "Hua Xin Shanghai",
            "Kwangson Bank",
        ];
        let before: Vec<Vec<NameHit>> = queries
            .iter()
            .map(|q| index.search_counted(&NameQuery::new(*q), &opts).0)
            .collect();
        assert!(before.iter().all(|h| !h.is_empty()), "{before:?}");
        let inner = &*index.inner;
        let mut buf = SimilarScratch::default();
        let mut work = SearchWork::default();
        let mut checked = 0;
        for v in inner.vocab.iter().filter(|v| v.class == TokenClass::Word) {
            let want = index.similar(&v.text, &v.key, v.abjad, usize::MAX, &mut buf, &mut work);
            let kept = index.listed_neighbours(v, &mut buf, &mut work);
            assert_eq!(kept.as_deref(), Some(&want[..]), "{}", v.text);
            let other_script = Tok {
                abjad: !v.abjad,
                ..v.clone()
            };
            assert!(index
                .listed_neighbours(&other_script, &mut buf, &mut work)
                .is_none());
            checked += 1;
        }
        assert!(checked >= 15, "{checked} words");
        index.keep_neighbours();
        for (q, want) in queries.iter().zip(&before) {
            let got = index.search(&NameQuery::new(*q), &opts);
            assert_eq!(&got, want, "{q}");
        }
    }
}
