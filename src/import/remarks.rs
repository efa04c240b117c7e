//! The remarks of OFAC's lists, where much of what an analyst needs sits: low-quality
//! aliases (`a.k.a. 'KOMID'`), dates and places of birth, nationalities, passports and
//! registry numbers, IMO numbers of vessels. The SDN CSV and XML readers and the
//! Consolidated Screening List (whose SDN rows carry OFAC's remarks) all read them here.

use crate::rules::ast::{AliasRelation, Strength};

use super::builder::EntityBuilder;
use super::text::ofac_date;

/// The alias relation an OFAC type names (`a.k.a.`, `f.k.a.`, `n.k.a.`).
pub(crate) fn relation(s: &str) -> Option<AliasRelation> {
    match s.to_ascii_lowercase().replace('.', "").as_str() {
        "aka" => Some(AliasRelation::Aka),
        "fka" => Some(AliasRelation::Fka),
        "nka" => Some(AliasRelation::Nka),
        _ => None,
    }
}

/// Identifier labels used in OFAC remarks and the scheme each becomes. The longest
/// label that fits wins, so `Identification Number IMO` is not `Identification Number`.
const ID_LABELS: &[(&str, &str)] = &[
    ("Vessel Registration Identification IMO", "imo"),
    ("Identification Number IMO", "imo_company"),
    ("Company Number IMO", "imo_company"),
    ("Business Registration Number", "registration"),
    ("Commercial Registry Number", "registration"),
    ("Central Registration System Number", "registration"),
    ("Chamber of Commerce Number", "registration"),
    ("Unified Social Credit Code (USCC)", "registration"),
    ("Government Gazette Number", "registration"),
    ("Public Registration Number", "registration"),
    ("Economic Register Number (CBLS)", "registration"),
    ("Folio Mercantil No.", "registration"),
    ("Matricula Mercantil No", "registration"),
    ("Registration Number", "registration"),
    ("Registration ID", "registration"),
    ("Company Number", "registration"),
    ("C.R. No.", "registration"),
    ("Trade License No.", "registration"),
    ("Legal Entity Number", "lei"),
    ("National Foreign ID Number", "national_id"),
    ("National ID No.", "national_id"),
    ("Cedula No.", "national_id"),
    ("D.N.I.", "national_id"),
    ("Personal ID Card", "national_id"),
    ("Identification Number", "identification_number"),
    ("Tax ID No.", "tax_id"),
    ("RFC", "tax_id"),
    ("R.F.C.", "tax_id"),
    ("RUC #", "tax_id"),
    ("C.U.R.P.", "national_id"),
    ("Business Registration Document #", "registration"),
    ("BIK (RU)", "bik"),
    ("ISIN", "isin"),
    ("NIT #", "tax_id"),
    ("V.A.T. Number", "vat"),
    ("Diplomatic Passport", "passport"),
    ("Passport", "passport"),
    ("SWIFT/BIC", "swift"),
    ("MMSI", "mmsi"),
    (
        "Aircraft Manufacturer's Serial Number (MSN)",
        "aircraft_msn",
    ),
    ("Aircraft Tail Number", "aircraft_tail_number"),
    ("D-U-N-S Number", "duns"),
    ("Email Address", "email"),
    ("Website", "website"),
];

/// Pulls the structured facts out of a remarks text. With `cut`, the last clause is a
/// possible fragment and left alone.
pub(crate) fn parse_remarks(e: &mut EntityBuilder, remarks: &str, cut: bool) {
    let remarks = remarks.trim().trim_end_matches('.');
    let mut clauses: Vec<&str> = remarks.split("; ").collect();
    if cut {
        clauses.pop();
    }
    for clause in clauses {
        let clause = clause.trim();
        let clause = clause.strip_prefix("alt. ").unwrap_or(clause);
        if let Some(rel) = clause.get(..7).and_then(|p| relation(p.trim())) {
            // OFAC lists its low-quality aliases in the remarks, the good ones in alt.csv.
            let alias = clause.get(7..).unwrap_or("").trim().trim_matches('\'');
            e.alias(rel, Strength::Weak, alias);
        } else if let Some(d) = clause.strip_prefix("DOB ") {
            e.born(&ofac_date(d).unwrap_or_else(|| d.to_string()));
        } else if let Some(p) = clause.strip_prefix("POB ") {
            e.birthplace(p);
        } else if let Some(n) = clause
            .strip_prefix("nationality ")
            .or_else(|| clause.strip_prefix("citizen "))
        {
            e.nationality(n);
        } else if let Some(rest) = clause.strip_prefix("Digital Currency Address - ") {
            if let Some((currency, address)) = rest.split_once(' ') {
                e.identifier("digital_currency", address, Some(currency));
            }
        } else if let Some((scheme, value, note)) = id_in_clause(clause) {
            if scheme == "imo" {
                e.imo(value, note.as_deref());
            } else {
                e.identifier(scheme, value, note.as_deref());
            }
        }
    }
}

/// An identifier clause of the remarks (`Passport 472220033 (Korea, North)`): its
/// scheme, value and note.
fn id_in_clause(clause: &str) -> Option<(&'static str, &str, Option<String>)> {
    let (label, scheme) = ID_LABELS
        .iter()
        .filter(|(l, _)| starts_with_word(clause, l))
        .max_by_key(|(l, _)| l.len())?;
    let rest = clause.get(label.len()..).unwrap_or("").trim();
    let (value, note) = split_value(rest);
    (!value.is_empty()).then_some((*scheme, value, note))
}

/// The scheme and value of an SDN XML `<id>`: its `idType` is a remarks label without
/// the part that the CSV remarks put before the number (`Vessel Registration
/// Identification` + `IMO 7937317`).
pub(crate) fn id_scheme(label: &str, value: &str) -> Option<(&'static str, String)> {
    let clause = format!("{label} {value}");
    id_in_clause(&clause).map(|(scheme, v, _)| (scheme, v.to_string()))
}

fn starts_with_word(clause: &str, label: &str) -> bool {
    clause.starts_with(label)
        && clause
            .get(label.len()..)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
}

/// `472220033 (Korea, North) expires 17 Mar 2014` -> value `472220033`, note
/// `Korea, North; expires 17 Mar 2014`.
fn split_value(rest: &str) -> (&str, Option<String>) {
    let end = [" (", " issued ", " expires "]
        .iter()
        .filter_map(|m| rest.find(m))
        .min()
        .unwrap_or(rest.len());
    let value = rest.get(..end).unwrap_or(rest).trim();
    let tail = rest.get(end..).unwrap_or("").trim();
    if tail.is_empty() {
        return (value, None);
    }
    let note = match tail.strip_prefix('(').and_then(|t| t.split_once(')')) {
        Some((inside, after)) if after.trim().is_empty() => inside.trim().to_string(),
        Some((inside, after)) => format!("{}; {}", inside.trim(), after.trim()),
        None => tail.to_string(),
    };
    (value, Some(note))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_and_notes() {
        assert_eq!(
            split_value("472220033 (Korea, North) expires 17 Mar 2014"),
            (
                "472220033",
                Some("Korea, North; expires 17 Mar 2014".to_string())
            )
        );
        assert_eq!(split_value("KKBCKPPY"), ("KKBCKPPY", None));
        assert_eq!(
            split_value("G31122619 (China) issued 02 Sep 2008 expires 01 Sep 2018"),
            (
                "G31122619",
                Some("China; issued 02 Sep 2008 expires 01 Sep 2018".to_string())
            )
        );
    }
}
