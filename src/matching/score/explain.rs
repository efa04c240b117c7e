//! How a score came about, word by word, for the evidence of a hit.
use super::*;

/// Two tokens (or runs of tokens) that were aligned.
#[derive(Debug, Clone, PartialEq)]
pub struct AlignedPair {
    /// The query token(s), normalized, space-separated.
    pub query: String,
    /// The candidate token(s), normalized, space-separated.
    pub candidate: String,
    /// Their similarity in [0, 1].
    pub similarity: f64,
    /// Why they aligned.
    pub basis: Basis,
    /// The weight of the query side.
    pub query_weight: f64,
    /// The weight of the candidate side.
    pub candidate_weight: f64,
}

/// How a score came about.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Explanation {
    /// The score.
    pub score: f64,
    /// Whether both names are identical after normalization (the only way to 1.0).
    pub identical: bool,
    /// Aligned tokens.
    pub pairs: Vec<AlignedPair>,
    /// Query tokens left unaligned, with the weights they count unaligned.
    pub unmatched_query: Vec<(String, f64)>,
    /// Candidate tokens left unaligned, with the weights they count unaligned.
    pub unmatched_candidate: Vec<(String, f64)>,
    /// Factors applied after the weighted share (legal forms, order, kind, country,
    /// weak alias).
    pub adjustments: Vec<(String, f64)>,
    /// The reading of the screened name that matched, when not the name as written
    /// (`김정은` for `金正恩`; the name's readings).
    pub reading: Option<String>,
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "score {:.3}", self.score)?;
        if let Some(r) = &self.reading {
            write!(f, " (read as {r})")?;
        }
        if self.identical {
            write!(f, " (identical after normalization)")?;
        }
        for p in &self.pairs {
            write!(
                f,
                "; {} ~ {} {:.2} ({}, weights {:.2}/{:.2})",
                p.query, p.candidate, p.similarity, p.basis, p.query_weight, p.candidate_weight
            )?;
        }
        for (t, w) in &self.unmatched_query {
            write!(f, "; query {t} unmatched (weight {w:.2})")?;
        }
        for (t, w) in &self.unmatched_candidate {
            write!(f, "; listed {t} unmatched (weight {w:.2})")?;
        }
        for (why, factor) in &self.adjustments {
            write!(f, "; {why} x{factor:.2}")?;
        }
        Ok(())
    }
}

pub(crate) fn explain<C: CandToks + ?Sized>(q: &Prepared, c: &C, o: &Outcome) -> Explanation {
    let text = |toks: Vec<&Tok>| toks.iter().map(|t| &*t.text).collect::<Vec<_>>().join(" ");
    let mut pairs = Vec::new();
    let (mut qm, mut cm) = (0u64, 0u64);
    for p in &o.pairs {
        qm |= p.q.mask();
        cm |= p.c.mask();
        let qt: Vec<&Tok> = q
            .toks
            .get(p.q.range())
            .map(|s| s.iter().collect())
            .unwrap_or_default();
        let ct: Vec<&Tok> = run_toks(c, p.c).collect();
        pairs.push(AlignedPair {
            query_weight: qt.iter().map(|t| f64::from(t.weight)).sum(),
            candidate_weight: ct.iter().map(|t| f64::from(t.weight)).sum(),
            query: text(qt),
            candidate: text(ct),
            similarity: f64::from(p.sim),
            basis: p.basis,
        });
    }
    let patronymic = patronymic_aligned(q, c, &o.pairs);
    let unmatched_query = q
        .toks
        .iter()
        .enumerate()
        .filter(|(i, _)| qm & (1u64 << i) == 0)
        .map(|(_, t)| (t.text.to_string(), f64::from(t.open_weight(patronymic))))
        .collect();
    let unmatched_candidate = (0..c.len())
        .filter(|j| cm & (1u64 << j) == 0)
        .filter_map(|j| c.tok(j))
        .map(|t| (t.text.to_string(), f64::from(t.open_weight(patronymic))))
        .collect();
    Explanation {
        score: o.score,
        identical: o.identical,
        pairs,
        unmatched_query,
        unmatched_candidate,
        adjustments: o
            .adjustments
            .iter()
            .map(|(w, f)| (w.to_string(), *f))
            .collect(),
        reading: None,
    }
}
