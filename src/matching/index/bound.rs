//! The bound: the best score a candidate can reach, from what retrieval found, so that
//! most candidates are never scored.
use super::*;

/// How many names ahead of the one bounded the next names' words are asked for.
pub(super) const PREFETCH_AHEAD: usize = 4;

/// Asks the processor to bring the bytes of `x` into cache, without waiting for them.
#[inline]
pub(super) fn prefetch<T>(x: Option<&T>) {
    #[cfg(target_arch = "x86_64")]
    if let Some(x) = x {
        safe_arch::prefetch_t0(x);
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = x;
}

/// What [`NameIndex::prefetch_name`] asks for.
pub(super) enum Ahead<'a> {
    /// Also the summary of its runs, when the query has words long enough to align
    /// with them (see [`NameIndex::run_aligned`]).
    Name {
        runs: bool,
    },
    /// The positions of its words too, which the bound reads only then.
    Words {
        runs: bool,
    },
    Hits(&'a [WordHits]),
}

impl NameIndex {
    /// Asks for what the bound reads first of name `name`, in three steps a few names
    /// apart, each reading what the one before brought: its weight and where its
    /// words are, its heaviest words, what the search found of its heaviest word.
    #[inline]
    pub(super) fn prefetch_name(&self, name: Option<&u32>, what: Ahead) {
        let Some(&i) = name else { return };
        let i = i as usize;
        let inner = &*self.inner;
        let heads = self.name_heads();
        let first_word = || heads.get(i).map_or(0, |h| h.0 as usize);
        match what {
            Ahead::Name { runs } => {
                prefetch(heads.get(i));
                if runs {
                    prefetch(inner.name_run_sums.get(i));
                }
            }
            Ahead::Words { runs } => {
                prefetch(inner.name_tok_ids.get(first_word()));
                if runs {
                    prefetch(inner.name_tok_pos.get(first_word()));
                }
            }
            Ahead::Hits(hits) => {
                if let Some(&(v, w)) = inner.name_tok_ids.get(first_word()) {
                    prefetch(hits.get(name_word(v, w).0 as usize));
                }
            }
        }
    }

    /// The index's [`Inner::name_heads`], made on first use.
    fn name_heads(&self) -> &[(u32, f32)] {
        let i = &*self.inner;
        i.name_heads.get_or_init(|| {
            let weights = i.name_wsum.iter().copied().chain([0.0]);
            i.name_tok_off.iter().copied().zip(weights).collect()
        })
    }

    /// The best score name `i` can get against `q`, from the similarities of its words
    /// to query units (`flat`, indexed by `word_hits`) alone. Each side's aligned share
    /// `Σ sim·w / (unaligned + Σ w)` is at most `S / (U + S)` where `S` sums each hit
    /// token's weight times its best similarity and `U` is what tokens with no hit weigh
    /// unaligned (a given name less); initials may align anything, so they count as
    /// hits.
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
    pub(super) fn bound(
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
        let heads = self.name_heads();
        let wsum = heads.get(i).filter(|_| i < inner.names.len()).map(|h| h.1);
        let at = |k: usize| heads.get(k).map_or(0, |h| h.0 as usize);
        let words = at(i)..at(i + 1);
        let ids = inner.name_tok_ids.get(words.clone()).unwrap_or(&[]);
        let has_initials = wsum.is_none_or(|w| w < 0.0);
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
            let mut rest = wsum.map_or(f32::MAX, |w| w.abs());
            let need = (2.0 * threshold - 1.0) as f32;
            // Word positions matter only for words in runs: most queries have none.
            let positions = if runs.1 != 0 {
                inner.name_tok_pos.get(words.clone()).unwrap_or(&[])
            } else {
                &[]
            };
            for (k, &(tagged, w)) in ids.iter().enumerate() {
                let (v, open) = name_word(tagged, w);
                rest -= w.abs();
                if w < 0.0 {
                    s_c -= w;
                    max_c = 1.0;
                    continue;
                }
                let in_run = positions.get(k).is_some_and(|&j| runs.1 & (1u64 << j) != 0);
                let best = if in_run {
                    1.0
                } else {
                    hits_of(v).map_or(0.0, |h| h.best)
                };
                max_c = max_c.max(best);
                if best > 0.0 {
                    s_c += w * best;
                } else {
                    u_c += open;
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
        for &(tagged, w) in ids {
            if w < 0.0 {
                continue;
            }
            let (v, _) = name_word(tagged, w);
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
                u_q += t.least_unaligned_weight();
            }
        }
        let bound_q = share(s_q, u_q, max_q);
        f64::from(0.5 * (bound_q + bound_c))
    }

    /// The query words among `run_words` that may align with a run of name `i`'s
    /// words without retrieval knowing, and the name's words in those runs.
    pub(super) fn run_aligned(
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
}
