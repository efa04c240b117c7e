//! How the evidence of a pair of names combines into a score: a logistic model, so
//! that a score reads as the probability that the two names denote the same party,
//! the same for every kind of name.
//!
//! Evidence for a match (the aligned share of each name, an identical name) and
//! evidence against it (generic words carrying the match, little aligned, a common
//! personal name, words of its own on each side, other kinds, legal forms or word
//! order; a country, a weak alias) are features apart, each in `[0, 1]`. Their
//! weights are fitted on the tuning half of the evaluation sets by
//! `scripts/fit-name-model.py`, which writes `model_coef.rs`; features for a match
//! are fitted non-negative and those against non-positive, so that a score never
//! rises with evidence against, and retrieval can bound a score from the aligned
//! shares alone (see [`share_needed`]).
//!
//! What the party's own data says (date of birth, nationality, identifiers) adds to
//! the log-odds too, by likelihood ratios measured on the lists (`party_llr`).

use super::model_coef as coef;

/// The features of a pair, in the order of [`NAMES`] and of the fitted coefficients.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(usize)]
pub(crate) enum F {
    /// The mean of both names' aligned shares (each word by its weight and similarity).
    Share,
    /// The smaller of the two aligned shares: a name found inside a longer one.
    CoverageMin,
    /// Both names the same after normalization.
    Identical,
    /// One minus the heaviest aligned word's weight times its similarity: how much of
    /// the match rests on generic words.
    Generic,
    /// How far the aligned weight falls short of one distinctive word.
    LittleInfo,
    /// A personal name of a few common parts: how far its aligned weight falls short
    /// of one and a half distinctive words.
    CommonName,
    /// Weight of the words each side has of its own, the smaller side (at most 1.5):
    /// words that contradict each other (`AIR KORYO` / `KORYO BANK`).
    OpenBoth,
    /// Weight of the words one side has of its own, the larger side (at most 2).
    OpenMax,
    /// Two kinds (a company and a vessel or a person).
    KindDiffers,
    /// Two distinct legal forms.
    LegalConflict,
    /// A legal form on one side only, or shared with another.
    LegalOneSided,
    /// A company written out against a bare one-word name.
    CompanyVsBare,
    /// Companies' words in another order.
    OrderDiffers,
    /// Only initials aligned.
    InitialsOnly,
    /// A weak alias on the list.
    WeakAlias,
    /// The screened name's short form in parentheses, read alone.
    ShortForm,
    /// A party abroad against a designation in one country, times [`F::Generic`].
    AbroadGeneric,
    /// A party abroad against a designation in one country, times one minus
    /// [`F::Generic`].
    AbroadDistinctive,
    /// A party in South Korea against a designation in the DPRK only.
    TwoKoreas,
    /// A party outside the country of a listed person's nationality, no location listed.
    ElsewhereThanNationality,
    /// The name names its own country, and the listed name another.
    NamedCountryDiffers,
    /// A party outside every country of a designation in several.
    CountryMismatch,
}

/// How many features there are.
pub(crate) const N: usize = 22;

/// The features' names, as the fitting script and the explanation write them.
pub(crate) const NAMES: [&str; N] = [
    "share",
    "coverage_min",
    "identical",
    "generic",
    "little_info",
    "common_name",
    "open_both",
    "open_max",
    "kind_differs",
    "legal_conflict",
    "legal_one_sided",
    "company_vs_bare",
    "order_differs",
    "initials_only",
    "weak_alias",
    "short_form",
    "abroad_generic",
    "abroad_distinctive",
    "two_koreas",
    "elsewhere_than_nationality",
    "named_country_differs",
    "country_mismatch",
];

/// The features that only lower a score: everything but the aligned shares and an
/// identical name.
const FOR: [F; 3] = [F::Share, F::CoverageMin, F::Identical];

/// A pair's features.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Features(pub [f32; N]);

impl Features {
    pub(crate) fn set(&mut self, f: F, value: f32) {
        if let Some(x) = self.0.get_mut(f as usize) {
            *x = value.clamp(0.0, 4.0);
        }
    }

    pub(crate) fn get(&self, f: F) -> f32 {
        self.0.get(f as usize).copied().unwrap_or(0.0)
    }

    /// The log-odds of the same party.
    pub(crate) fn log_odds(&self) -> f64 {
        coef::INTERCEPT
            + self
                .0
                .iter()
                .zip(coef::COEF)
                .map(|(x, c)| f64::from(*x) * c)
                .sum::<f64>()
    }

    /// Each feature that counts, with its value and what it adds to the log-odds.
    pub(crate) fn contributions(&self) -> impl Iterator<Item = (&'static str, f64, f64)> + '_ {
        self.0
            .iter()
            .zip(coef::COEF)
            .zip(NAMES)
            .filter(|((x, _), _)| **x != 0.0)
            .map(|((x, c), name)| (name, f64::from(*x), f64::from(*x) * c))
    }
}

/// The evidence from outside the names: a weak alias, a short form read alone, a
/// country.
const OUTSIDE: [F; 8] = [
    F::WeakAlias,
    F::ShortForm,
    F::AbroadGeneric,
    F::AbroadDistinctive,
    F::TwoKoreas,
    F::ElsewhereThanNationality,
    F::NamedCountryDiffers,
    F::CountryMismatch,
];

impl Features {
    /// Whether evidence from outside the names counts against the pair.
    pub(crate) fn outside(&self) -> bool {
        OUTSIDE.iter().any(|&f| self.get(f) > 0.0)
    }
}

/// The score of log-odds `z`: its probability, below [`super::MAX_NON_IDENTICAL`] for
/// names that are not identical. Two names identical after normalization score 1.0
/// unless evidence from outside the names (`against`) weighs against them: the name
/// itself cannot say more.
pub(crate) fn score_of(z: f64, identical: bool, against: bool) -> f64 {
    if identical && !against {
        return 1.0;
    }
    let p = probability(z);
    if identical {
        p
    } else {
        p.min(super::MAX_NON_IDENTICAL)
    }
}

/// What feature `f` adds to the log-odds at `value`.
pub(crate) fn weigh(f: F, value: f32) -> f64 {
    coef::COEF.get(f as usize).copied().unwrap_or(0.0) * f64::from(value)
}

/// The probability of log-odds `z`.
pub(crate) fn probability(z: f64) -> f64 {
    if z.is_nan() {
        return 0.0;
    }
    1.0 / (1.0 + (-z).exp())
}

/// The log-odds of probability `p` (infinite at 0 and 1).
pub(crate) fn log_odds(p: f64) -> f64 {
    if p <= 0.0 {
        f64::NEG_INFINITY
    } else if p >= 1.0 {
        f64::INFINITY
    } else {
        (p / (1.0 - p)).ln()
    }
}

/// The highest log-odds a pair whose aligned shares average `mean` can have: both
/// shares at the mean (the smaller share is at most the mean), nothing against, and
/// identical when the mean is one.
pub(crate) fn max_log_odds(mean: f32) -> f64 {
    let m = mean.clamp(0.0, 1.0);
    let mut f = Features::default();
    f.set(F::Share, m);
    f.set(F::CoverageMin, m);
    f.set(F::Identical, if m >= 1.0 { 1.0 } else { 0.0 });
    FOR.iter().map(|&k| weigh(k, f.get(k))).sum::<f64>() + coef::INTERCEPT
}

/// The mean aligned share below which no pair can score `threshold` (a probability):
/// retrieval bounds the shares, and prunes in their terms. 0 for a threshold of 0;
/// above 1 when no pair can reach the threshold.
pub(crate) fn share_needed(threshold: f64) -> f64 {
    if threshold <= 0.0 {
        return 0.0;
    }
    let z = log_odds(threshold);
    if max_log_odds(0.0) >= z {
        return 0.0;
    }
    if max_log_odds(1.0) < z {
        // Only an identical pair reaches it (see [`score_of`]).
        return if threshold <= 1.0 { 0.999_99 } else { 2.0 };
    }
    // Below one the bound is increasing and continuous: bisect, erring low.
    let (mut lo, mut hi) = (0.0f32, 1.0f32);
    for _ in 0..40 {
        let mid = 0.5 * (lo + hi);
        if max_log_odds(mid) >= z {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    if max_log_odds(lo.min(0.999_999)) < z && max_log_odds(0.999_999) < z {
        // Only an identical pair reaches it.
        return 0.999_99;
    }
    f64::from(lo) - 1e-4
}

/// What the party's own data adds to the log-odds of a hit, by likelihood ratios
/// measured on the lists (how often one person's entries on two lists agree, against
/// how often two listed persons' do): `(why, log-odds)`.
pub(crate) mod party {
    pub(crate) use super::coef::{
        DOB_AGREES, DOB_DIFFERS, IDENTIFIER_DIFFERS, IDENTIFIER_MATCHES, NATIONALITY_AGREES,
        NATIONALITY_DIFFERS,
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fitted_coefficients_are_in_the_order_of_the_features() {
        assert_eq!(coef::NAMES, NAMES);
        assert_eq!(F::CountryMismatch as usize + 1, N);
    }

    #[test]
    fn evidence_for_never_lowers_and_evidence_against_never_raises() {
        for (k, c) in coef::COEF.iter().enumerate() {
            let for_match = FOR.iter().any(|f| *f as usize == k);
            assert!(
                if for_match { *c >= 0.0 } else { *c <= 0.0 },
                "{}",
                NAMES[k]
            );
        }
    }

    #[test]
    fn no_pair_below_the_share_needed_reaches_the_threshold() {
        for t in [0.3, 0.5, 0.55, 0.7, 0.8, 0.9, 0.95] {
            let m = share_needed(t);
            if m > 1.0 {
                continue;
            }
            let below = (m - 1e-3).max(0.0) as f32;
            assert!(probability(max_log_odds(below)) < t || m <= 0.0, "{t}: {m}");
            assert!(probability(max_log_odds(1.0)) >= t);
        }
    }
}
