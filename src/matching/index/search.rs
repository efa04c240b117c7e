//! Searching: each reading of a query, its candidates gathered, bounded and scored.
use super::*;

impl NameIndex {
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
    pub(super) fn each_reading(
        &self,
        query: &NameQuery,
        opts: &SearchOptions,
        search: impl Fn(&NameQuery) -> Vec<NameHit>,
    ) -> Vec<NameHit> {
        // What a name costs is bounded: only its first kilobytes are read (see
        // `score::MAX_NAME_BYTES`).
        let clipped;
        let query = if query.name.len() > score::MAX_NAME_BYTES {
            clipped = NameQuery {
                name: score::clip(&query.name, score::MAX_NAME_BYTES).to_string(),
                ..query.clone()
            };
            &clipped
        } else {
            query
        };
        let readings = score::screened_readings(&query.name, query.kind);
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

    /// [`NameIndex::search`] with a count of what it did. The memo of similar words and
    /// the index's kept neighbours are left out, so that the count is the same on
    /// every call.
    pub fn search_counted(
        &self,
        query: &NameQuery,
        opts: &SearchOptions,
    ) -> (Vec<NameHit>, SearchWork) {
        let mut sc = Scratch {
            no_kept: true,
            ..Scratch::default()
        };
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

    pub(super) fn search_with(
        &self,
        query: &NameQuery,
        opts: &SearchOptions,
        sharing: Option<f32>,
        sc: &mut Scratch,
    ) -> Vec<NameHit> {
        let inner = &*self.inner;
        sc.work = SearchWork::default();
        let clipped;
        let query = if query.name.len() > score::MAX_NAME_BYTES {
            clipped = NameQuery {
                name: score::clip(&query.name, score::MAX_NAME_BYTES).to_string(),
                ..query.clone()
            };
            &clipped
        } else {
            query
        };
        let names_own_country = std::cell::OnceCell::new();
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
        let mut buf = std::mem::take(&mut sc.similar);
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
                TokenClass::Number => match inner.by_text.get(&t.text).and_then(|v| v.first()) {
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
                        && inner.by_text.get(&t.text).is_none()
                        && t.key.len() >= PARTIAL_MIN_LEN
                    {
                        self.contained_words(&t.key, 1u64 << idx, sc, &mut partial_vocab);
                    }
                    if let Some(names) = inner.by_run.get(&t.key) {
                        partial_names.extend(names.iter().map(|&n| (n, 1u64 << idx)));
                    }
                    // Listed runs a long word may align with despite a typo.
                    if sharing.is_none() && t.text.len() >= score::RUN_TYPO_MIN_LEN {
                        let work = &mut sc.work;
                        let mut lookup = |h: u64| {
                            work.variants += 1;
                            let names = names_with_variant(&inner.run_variants, h);
                            partial_names.extend(names.map(|n| (n, 1u64 << idx)));
                        };
                        for s in [t.text.as_bytes(), t.key.as_bytes()] {
                            for_each_deletion(s, RUN_BUDGET, &mut lookup);
                        }
                    }
                    // Words read from Arabic or Hebrew script are remembered apart.
                    let abjad_key;
                    let memo_key: &str = if t.abjad {
                        abjad_key = format!("\u{1}{}", t.text);
                        &abjad_key
                    } else {
                        &t.text
                    };
                    match memo_words.get(memo_key) {
                        Some(hits) => hits.clone(),
                        None => {
                            let kept = if sc.no_kept {
                                None
                            } else {
                                self.listed_neighbours(t, &mut buf, &mut sc.work)
                            };
                            let hits: Similar = match kept {
                                Some(hits) => hits,
                                None => self.similar_words(t, &mut buf, &mut sc.work),
                            };
                            memo_words.insert(memo_key.into(), hits.clone());
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
                                .similar(&text, &key, false, RUN_BUDGET, &mut buf, &mut sc.work)
                                .into();
                            memo_runs.insert(text.clone().into(), hits.clone());
                            hits
                        }
                    };
                    units.push(Unit { run, hits });
                }
            }
        }
        sc.similar = buf;
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
        // Most queries have no word long enough to align with a run.
        let has_runs = !run_words.is_empty();
        for (k, &name) in sc.touched.iter().enumerate() {
            // The bound reads a few words of each name met, scattered over the tables:
            // ask for those of names further on while this one is read.
            if threshold > 0.0 {
                let ahead = |n: usize| sc.touched.get(k + n * PREFETCH_AHEAD);
                self.prefetch_name(ahead(3), Ahead::Name { runs: has_runs });
                self.prefetch_name(ahead(2), Ahead::Words { runs: has_runs });
                self.prefetch_name(ahead(1), Ahead::Hits(&sc.word_hits));
            }
            let i = name as usize;
            let partial = sc.cands.get(i).map_or(u64::MAX, |c| c.partial);
            let bound = if threshold > 0.0 {
                let runs = if !has_runs {
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
            apply_query_factors(&mut o, query, rec, &names_own_country);
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

    /// Scores `query` against every indexed name, without the index: the baseline that
    /// retrieval is measured against. Same hits as [`NameIndex::search`] when retrieval
    /// misses nothing.
    pub fn search_brute_force(&self, query: &NameQuery, opts: &SearchOptions) -> Vec<NameHit> {
        self.each_reading(query, opts, |q| self.scan(q, opts))
    }

    /// [`NameIndex::search_brute_force`] of one reading.
    pub(super) fn scan(&self, query: &NameQuery, opts: &SearchOptions) -> Vec<NameHit> {
        let inner = &*self.inner;
        let names_own_country = std::cell::OnceCell::new();
        let kind = query.kind.filter(|k| *k != EntityKind::Unknown);
        let q = Prepared::screened(&query.name, kind);
        let mut best: FxHashMap<u32, (f64, u32, score::Outcome)> = FxHashMap::default();
        for (name, rec) in inner.names.iter().enumerate() {
            let view = View::of(inner, name, rec);
            let sims = score::Direct { q: &q, c: &view };
            let c_kind = Some(rec.kind).filter(|k| *k != EntityKind::Unknown);
            let mut o = score::score(&q, &view, &rec.legal, c_kind, &sims);
            apply_query_factors(&mut o, query, rec, &names_own_country);
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
