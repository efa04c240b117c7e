//! Factors known from the query and the listed entity rather than the names: weak
//! aliases and countries.
use super::*;

pub(super) fn apply_query_factors(
    o: &mut score::Outcome,
    query: &NameQuery,
    rec: &NameRec,
    names_own_country: bool,
) {
    if rec.weak {
        o.add(F::WeakAlias, 1.0);
    }
    if elsewhere_than_nationality(query, rec) {
        o.add(F::ElsewhereThanNationality, 1.0);
    }
    if let Some(c) = country_differs(query, rec) {
        // "Agricultural Development Bank of China" in CN is not the DPRK's
        // Agricultural Development Bank: a name that carries its own country, which
        // the party's country confirms, is strong evidence of another entity, unless
        // the listed name says the same.
        let names_other = || {
            let named = rec
                .named
                .get_or_init(|| named_countries(&rec.original).collect());
            !named.iter().any(|x| x.eq_ignore_ascii_case(c))
        };
        if names_own_country && names_other() {
            o.add(F::NamedCountryDiffers, 1.0);
        } else if two_koreas(c, rec) {
            o.add(F::TwoKoreas, 1.0);
        } else if rec.countries.len() == 1 {
            // DPRK banks and trading firms work abroad under their listed names
            // (branches in Dandong, Hong Kong, Dubai): another country says little
            // against a distinctive word aligned, much against generic words alone.
            let generic = o.features.get(F::Generic);
            o.features.set(F::AbroadGeneric, generic);
            o.add(F::AbroadDistinctive, 1.0 - generic);
        } else {
            o.add(F::CountryMismatch, 1.0);
        }
    }
}

/// A party in South Korea against an entity listed in the DPRK only: the two Koreas
/// are a specific conflict, as DPRK bodies do not operate in the South.
pub(super) fn two_koreas(country: &str, rec: &NameRec) -> bool {
    country_bytes(country) == Some(*b"KR") && rec.countries.iter().all(|c| c == b"KP")
}

/// The query's country, when the listed name has countries and that is not one.
pub(super) fn country_differs<'q>(query: &'q NameQuery, rec: &NameRec) -> Option<&'q str> {
    let c = query.country.as_deref()?;
    let code = country_bytes(c);
    (!rec.countries.is_empty() && !rec.countries.iter().any(|x| Some(*x) == code)).then_some(c)
}

/// Whether the listed entity has no country but nationalities, and the query's country
/// is not one of them.
pub(super) fn elsewhere_than_nationality(query: &NameQuery, rec: &NameRec) -> bool {
    let Some(c) = query.country.as_deref() else {
        return false;
    };
    let code = country_bytes(c);
    rec.countries.is_empty()
        && !rec.nationalities.is_empty()
        && !rec.nationalities.iter().any(|x| Some(*x) == code)
}

/// At most what [`apply_query_factors`] adds to the log-odds, known before scoring
/// (all of it is evidence against: at most nothing, or the least a country costs).
pub(super) fn query_log_odds(query: &NameQuery, rec: &NameRec) -> f64 {
    let weak = if rec.weak {
        score::model::weigh(F::WeakAlias, 1.0)
    } else {
        0.0
    };
    let country = if country_differs(query, rec).is_some() {
        [
            F::NamedCountryDiffers,
            F::TwoKoreas,
            F::AbroadGeneric,
            F::AbroadDistinctive,
            F::CountryMismatch,
        ]
        .iter()
        .map(|&f| score::model::weigh(f, 1.0))
        .fold(f64::NEG_INFINITY, f64::max)
        .min(0.0)
    } else {
        0.0
    };
    weak + country
}

/// Whether a word of `name` (of four letters or more, so no legal form or ISO code is
/// taken for a country) names the country `code`.
/// An ISO country code as two upper-case bytes; `None` for anything else.
pub(super) fn country_bytes(code: &str) -> Option<[u8; 2]> {
    match code.trim().as_bytes() {
        &[a, b] if a.is_ascii_alphabetic() && b.is_ascii_alphabetic() => {
            Some([a.to_ascii_uppercase(), b.to_ascii_uppercase()])
        }
        _ => None,
    }
}

/// The countries a name names by a word of four letters or more (`CHINA`, `Korea`;
/// not `CO`, which is a legal form more often than Colombia).
pub(super) fn named_countries(name: &str) -> impl Iterator<Item = &'static str> + '_ {
    name.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 4)
        .filter_map(crate::reference::country_code)
}

pub(crate) fn names_country(name: &str, code: &str) -> bool {
    named_countries(name).any(|x| x.eq_ignore_ascii_case(code))
}

/// Whether the query's name names the query's own country.
pub(super) fn query_names_own_country(query: &NameQuery) -> bool {
    query
        .country
        .as_deref()
        .is_some_and(|c| names_country(&query.name, c))
}
