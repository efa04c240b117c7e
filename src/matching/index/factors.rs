//! Factors known from the query and the listed entity rather than the names: weak
//! aliases and countries.
use super::*;

pub(super) fn apply_query_factors(
    o: &mut score::Outcome,
    query: &NameQuery,
    rec: &NameRec,
    names_own_country: &std::cell::OnceCell<bool>,
) {
    if rec.weak {
        o.score *= WEAK_ALIAS_FACTOR;
        o.adjustments.push(("weak alias", WEAK_ALIAS_FACTOR));
    }
    if elsewhere_than_nationality(query, rec) {
        // A DPRK national listed without a place is, like a DPRK body, no party in
        // the South (`two_koreas`).
        let korean = query.country.as_deref().is_some_and(|c| two_koreas(c, rec));
        let (why, factor) = if korean {
            (
                "a party in South Korea against a DPRK national",
                COUNTRY_CONFLICT_FACTOR,
            )
        } else {
            (
                "the party is not in the listed nationality's country",
                NATIONALITY_ELSEWHERE_FACTOR,
            )
        };
        o.score *= factor;
        o.adjustments.push((why, factor));
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
        // Whether the query names its own country is asked only here, where a
        // country differs: most searches score no such name and never ask.
        let names_own = || *names_own_country.get_or_init(|| query_names_own_country(query));
        if names_own() && names_other() {
            o.score *= NAMED_COUNTRY_DIFFERS_FACTOR;
            o.adjustments.push((
                "the name names another country",
                NAMED_COUNTRY_DIFFERS_FACTOR,
            ));
        } else if two_koreas(c, rec) {
            o.score *= COUNTRY_CONFLICT_FACTOR;
            o.adjustments.push((
                "a party in South Korea against a designation in the DPRK",
                COUNTRY_CONFLICT_FACTOR,
            ));
        } else if rec.countries.len() == 1 {
            // DPRK banks and trading firms work abroad under their listed names
            // (branches in Dandong, Hong Kong, Dubai): another country says little
            // against a distinctive word aligned, much against generic words alone.
            let generic = 1.0 - f64::from(o.distinctive.clamp(0.0, 1.0));
            let factor = COUNTRY_MISMATCH_FACTOR
                - (COUNTRY_MISMATCH_FACTOR - COUNTRY_CONFLICT_FACTOR) * generic;
            o.score *= factor;
            o.adjustments
                .push(("the party's country is not the listed one", factor));
        } else {
            o.score *= COUNTRY_MISMATCH_FACTOR;
            o.adjustments
                .push(("country differs", COUNTRY_MISMATCH_FACTOR));
        }
    }
}

/// A party in South Korea against an entity listed in the DPRK only, or against a
/// person of DPRK nationality only, wherever listed: the two Koreas are a specific
/// conflict, as DPRK bodies and officials do not operate in the South.
pub(super) fn two_koreas(country: &str, rec: &NameRec) -> bool {
    let dprk_only = |cs: &[[u8; 2]]| !cs.is_empty() && cs.iter().all(|c| c == b"KP");
    country_bytes(country) == Some(*b"KR")
        && (dprk_only(&rec.countries) || dprk_only(&rec.nationalities))
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

/// Score factor when the party is not in the country of a listed person's nationality
/// and no country of location is listed: weaker than a country that differs, since
/// nationals live and work abroad.
pub const NATIONALITY_ELSEWHERE_FACTOR: f64 = 0.9;

/// At most what [`apply_query_factors`] leaves of a score, known before scoring.
pub(super) fn query_factor(query: &NameQuery, rec: &NameRec) -> f64 {
    let weak = if rec.weak { WEAK_ALIAS_FACTOR } else { 1.0 };
    let country = if country_differs(query, rec).is_some() {
        COUNTRY_MISMATCH_FACTOR.max(NAMED_COUNTRY_DIFFERS_FACTOR)
    } else {
        1.0
    };
    weak * country
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The score of `name` in `country` against a listed DPRK national of that name,
    /// listed in `listed_in`.
    fn against_dprk_national(name: &str, country: &str, listed_in: &[&str]) -> f64 {
        let mut listed = IndexedName::new(0, "KIM Tong Ho", EntityKind::Person);
        listed.nationalities = vec!["KP".to_string()];
        listed.countries = listed_in.iter().map(|c| c.to_string()).collect();
        let index = NameIndex::build([listed]);
        let mut q = NameQuery::new(name);
        q.country = Some(country.to_string());
        let opts = SearchOptions {
            threshold: 0.0,
            limit: 1,
        };
        index
            .search_brute_force(&q, &opts)
            .first()
            .map_or(0.0, |h| h.score)
    }

    #[test]
    fn a_party_in_south_korea_is_no_dprk_national() {
        let seoul = against_dprk_national("Kim Tong Ho", "KR", &[]);
        let tokyo = against_dprk_national("Kim Tong Ho", "JP", &[]);
        assert!(
            (seoul - COUNTRY_CONFLICT_FACTOR).abs() < 1e-9,
            "{seoul}: the two Koreas conflict"
        );
        assert!(
            (tokyo - NATIONALITY_ELSEWHERE_FACTOR).abs() < 1e-9,
            "{tokyo}: a national abroad"
        );
        // Listed abroad (a bank's representative in Vietnam), still no party in the
        // South; in Vietnam itself, the listed place.
        let seoul = against_dprk_national("Kim Tong Ho", "KR", &["VN"]);
        assert!((seoul - COUNTRY_CONFLICT_FACTOR).abs() < 1e-9, "{seoul}");
        let hanoi = against_dprk_national("Kim Tong Ho", "VN", &["VN"]);
        assert!((hanoi - 1.0).abs() < 1e-9, "{hanoi}");
    }
}
