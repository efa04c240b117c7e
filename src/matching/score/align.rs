//! Aligning the tokens of two names one to one, or one to a run of adjacent words.
use super::*;

/// Tokens of one side as a run `[start, start + len)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Run {
    pub start: u8,
    pub len: u8,
}

impl Run {
    pub(crate) fn mask(self) -> u64 {
        let ones = if self.len >= 64 {
            u64::MAX
        } else {
            (1u64 << self.len) - 1
        };
        ones << self.start
    }
    pub(crate) fn range(self) -> std::ops::Range<usize> {
        self.start as usize..(self.start + self.len) as usize
    }
}

/// One aligned pair.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Pair {
    pub q: Run,
    pub c: Run,
    pub sim: f32,
    pub basis: Basis,
}

/// Where the similarities of single query tokens (and runs of them) to single candidate
/// tokens come from: computed (compare) or cached from retrieval (search). Both must
/// give [`token_sim`] exactly, or 0 where it is 0.
pub(crate) trait Sims {
    /// Similarity of query run `q` (a single token or a run of words) to candidate token `j`.
    fn get(&self, q: Run, j: usize) -> (f32, Basis);
}

/// Whether tokens can form a run: words and initials (`Chol U` = `Cholu`), at least one word.
pub(crate) fn runnable<'a>(mut toks: impl Iterator<Item = &'a Tok> + Clone) -> bool {
    toks.clone()
        .all(|t| matches!(t.class, TokenClass::Word | TokenClass::Initial))
        && toks.any(|t| t.class == TokenClass::Word)
}

/// The candidate's tokens in `run`.
pub(crate) fn run_toks<C: CandToks + ?Sized>(
    c: &C,
    run: Run,
) -> impl Iterator<Item = &Tok> + Clone {
    run.range().filter_map(move |j| c.tok(j))
}

/// The summed text length of the candidate's tokens in `run`; `None` when one is
/// missing.
pub(crate) fn run_text_len<C: CandToks + ?Sized>(c: &C, run: Run) -> Option<usize> {
    run.range().map(|j| c.tok(j).map(|t| t.text.len())).sum()
}

/// Concatenated text and key of a run of words, or `None` if it cannot form a run.
pub(crate) fn run_text(toks: &[Tok], run: Run) -> Option<(String, String)> {
    let slice = toks.get(run.range())?;
    if !runnable(slice.iter()) {
        return None;
    }
    let text: String = slice.iter().map(|t| &*t.text).collect();
    let key = phonetic_key(&text);
    Some((text, key))
}

pub(crate) fn covered(pairs: &[Pair]) -> (u64, u64) {
    pairs
        .iter()
        .fold((0, 0), |(a, b), p| (a | p.q.mask(), b | p.c.mask()))
}

/// Greedy one-to-one alignment: best similarity first; among equals, single tokens first.
pub(crate) fn greedy(cands: &mut [Pair]) -> Vec<Pair> {
    cands.sort_by(|a, b| {
        b.sim
            .total_cmp(&a.sim)
            .then((a.q.len + a.c.len).cmp(&(b.q.len + b.c.len)))
            .then(a.q.start.cmp(&b.q.start))
            .then(a.c.start.cmp(&b.c.start))
    });
    let (mut qu, mut cu) = (0u64, 0u64);
    let mut out = Vec::new();
    for p in cands.iter() {
        if qu & p.q.mask() == 0 && cu & p.c.mask() == 0 {
            qu |= p.q.mask();
            cu |= p.c.mask();
            out.push(*p);
        }
    }
    out
}

/// Adds alignments of runs of 2 or 3 adjacent words with single tokens, both ways,
/// among the tokens left open (`open_q`, `open_c`): a run must hold an open token, and
/// the single token it meets must be open.
pub(crate) fn add_runs<C: CandToks + ?Sized, S: Sims>(
    q: &Prepared,
    c: &C,
    sims: &S,
    cands: &mut Vec<Pair>,
    open_q: u64,
    open_c: u64,
) {
    let nq = q.toks.len();
    let nc = c.len();
    for len in 2..=3u8 {
        for start in 0..nq.saturating_sub(len as usize - 1) {
            let run = Run {
                start: start as u8,
                len,
            };
            if run.mask() & open_q == 0 {
                continue;
            }
            if q.toks.get(run.range()).is_some_and(|s| runnable(s.iter())) {
                for j in (0..nc).filter(|j| open_c & (1u64 << j) != 0) {
                    let (sim, basis) = sims.get(run, j);
                    if sim > 0.0 {
                        cands.push(Pair {
                            q: run,
                            c: Run {
                                start: j as u8,
                                len: 1,
                            },
                            sim,
                            basis,
                        });
                    }
                }
            }
        }
        for start in 0..nc.saturating_sub(len as usize - 1) {
            let run = Run {
                start: start as u8,
                len,
            };
            if run.mask() & open_c == 0 {
                continue;
            }
            // Lengths first: most runs have no open query word of about their length,
            // and this runs for every candidate scored.
            let Some(run_len) = run_text_len(c, run) else {
                continue;
            };
            let fits = q.toks.iter().enumerate().any(|(i, qt)| {
                open_q & (1u64 << i) != 0
                    && qt.class == TokenClass::Word
                    && qt.text.len().abs_diff(run_len) <= RUN_LEN_SLACK
            });
            if !fits {
                continue;
            }
            // Every token of the run is there (its length summed).
            if !runnable(run_toks(c, run)) {
                continue;
            }
            let open_words = q.toks.iter().enumerate().filter(|(i, qt)| {
                open_q & (1u64 << i) != 0
                    && qt.class == TokenClass::Word
                    && qt.text.len().abs_diff(run_len) <= RUN_LEN_SLACK
            });
            let mut joined: Option<(Cow<str>, Cow<str>)> = None;
            for (i, qt) in open_words {
                let (text, key) = joined.get_or_insert_with(|| match c.run_spelling(run) {
                    Some((text, key)) => (Cow::Borrowed(text), Cow::Borrowed(key)),
                    None => {
                        let text: String = run_toks(c, run).map(|t| &*t.text).collect();
                        let key = phonetic_key(&text);
                        (Cow::Owned(text), Cow::Owned(key))
                    }
                });
                let (text, key) = (&**text, &**key);
                // A typo against a run of listed words only for long screened words,
                // which retrieval finds by the deletion variants of listed runs.
                let k = if qt.text.len() >= RUN_TYPO_MIN_LEN {
                    RUN_BUDGET
                } else {
                    0
                };
                let (sim, basis) = word_sim_budget(&qt.text, &qt.key, text, key, k);
                // Consonants alone say little of a run of several words: `OLGA` is
                // not `IL KYU`.
                if sim > 0.0 && basis != Basis::Consonants {
                    cands.push(Pair {
                        q: Run {
                            start: i as u8,
                            len: 1,
                        },
                        c: run,
                        sim,
                        basis,
                    });
                }
            }
        }
    }
}

/// Adds alignments of runs of 2 or 3 adjacent words on both sides that spell the same
/// but split in other places: `CHU NHWAN` / `CHUN HWAN`, `SINBA.DIO` / `SINBAD.IO`.
/// Same letters only (retrieval finds these candidates by the keys of listed runs),
/// compared without building strings: this runs for every candidate left with open
/// tokens. Each run must hold an open token.
pub(crate) fn add_split_runs<C: CandToks + ?Sized>(
    q: &Prepared,
    c: &C,
    cands: &mut Vec<Pair>,
    open_q: u64,
    open_c: u64,
) {
    let nq = q.toks.len();
    let nc = c.len();
    if nq < 2 || nc < 2 || open_q == 0 || open_c == 0 {
        return;
    }
    let runs = |n: usize, open: u64| {
        (2..=3u8).flat_map(move |len| {
            (0..n.saturating_sub(len as usize - 1))
                .map(move |start| Run {
                    start: start as u8,
                    len,
                })
                .filter(move |r| r.mask() & open != 0)
        })
    };
    // The listed runs that may meet one, with their lengths: read once, not once per
    // query run.
    let c_runs: Vec<(Run, usize)> = runs(nc, open_c)
        .filter_map(|cr| {
            let len = run_text_len(c, cr)?;
            runnable(run_toks(c, cr)).then_some((cr, len))
        })
        .collect();
    if c_runs.is_empty() {
        return;
    }
    for qr in runs(nq, open_q) {
        let Some(qs) = q.toks.get(qr.range()) else {
            continue;
        };
        if !runnable(qs.iter()) {
            continue;
        }
        let q_len: usize = qs.iter().map(|t| t.text.len()).sum();
        for &(cr, c_len) in &c_runs {
            if c_len != q_len {
                continue;
            }
            let cs = || run_toks(c, cr);
            // The same words split the same way align one by one.
            let same_split = qs.len() == usize::from(cr.len)
                && qs.iter().zip(cs()).all(|(a, b)| a.text == b.text);
            let q_bytes = qs.iter().flat_map(|t| t.text.bytes());
            let c_bytes = cs().flat_map(|t| t.text.bytes());
            if !same_split && q_bytes.eq(c_bytes) {
                cands.push(Pair {
                    q: qr,
                    c: cr,
                    sim: SPLIT_RUN_SIM,
                    basis: Basis::Exact,
                });
            }
        }
    }
}

/// The best similarity of two runs split in other places.
pub(crate) const SPLIT_RUN_SIM: f32 = 0.95;

/// Screened words at least this long may align with a run of listed words despite a typo.
pub(crate) const RUN_TYPO_MIN_LEN: usize = 10;

/// A word is compared with a run of words only if their lengths differ by at most this.
pub(crate) const RUN_LEN_SLACK: usize = 3;

/// Similarities computed on the spot, for [`compare`].
pub(crate) struct Direct<'a, C: CandToks + ?Sized> {
    pub q: &'a Prepared,
    pub c: &'a C,
}

impl<C: CandToks + ?Sized> Sims for Direct<'_, C> {
    fn get(&self, q: Run, j: usize) -> (f32, Basis) {
        let Some(ct) = self.c.tok(j) else {
            return (0.0, Basis::Exact);
        };
        if q.len == 1 {
            match self.q.toks.get(q.start as usize) {
                Some(qt) => token_sim(qt, ct),
                None => (0.0, Basis::Exact),
            }
        } else if !matches!(ct.class, TokenClass::Word | TokenClass::Initial) {
            (0.0, Basis::Exact)
        } else {
            match run_text(&self.q.toks, q) {
                Some((text, key)) => word_sim_budget(&text, &key, &ct.text, &ct.key, RUN_BUDGET),
                None => (0.0, Basis::Exact),
            }
        }
    }
}
