//! The UK HM Treasury / OFSI Consolidated List, ConList CSV.
//!
//! A title row (`Last Updated,13/04/2018`), then a header row, then one row per name
//! of a listed party: the rows of one party share a `Group ID` and repeat its other
//! facts, not necessarily next to each other. `Alias Type` says whether a row is the
//! `Prime Alias` (the name), an `AKA` or an `FKA`. Names are in `Name 1`..`Name 5`
//! (given names) and `Name 6` (family name or the whole name of an entity).

use std::path::{Path, PathBuf};

use crate::rules::ast::{AliasRelation, Strength};

use super::builder::{EntityBuilder, Kind, Parties};
use super::read::{CsvFile, Header, Row};
use super::text::{dmy_date, imo_in_text, numbered_parts};
use super::{Ctx, ImportError, ListMeta, Parsed};

const META: ListMeta = ListMeta {
    title: "Consolidated List of Financial Sanctions Targets in the UK",
    authority: "HM Treasury, Office of Financial Sanctions Implementation",
    url: "https://www.gov.uk/government/publications/financial-sanctions-consolidated-list-of-targets",
    basis: &["Sanctions and Anti-Money Laundering Act 2018"],
};

const REQUIRED: [&str; 4] = ["Name 6", "Group ID", "Alias Type", "Group Type"];

pub(crate) fn import(inputs: &[PathBuf], ctx: &mut Ctx<'_>) -> Result<Parsed, ImportError> {
    let mut groups = Parties::new("uk");
    let mut as_of: Option<String> = None;
    for path in inputs {
        let date = read_file(path, ctx, &mut groups)?;
        if let Some(d) = date {
            if as_of.as_deref().is_none_or(|a| d.as_str() < a) {
                as_of = Some(d);
            }
        }
    }
    Ok(Parsed {
        meta: META,
        as_of,
        entities: groups.build(ctx)?,
    })
}

fn read_file(
    path: &Path,
    ctx: &mut Ctx<'_>,
    groups: &mut Parties,
) -> Result<Option<String>, ImportError> {
    let mut csv = CsvFile::open(path, b',')?;
    let mut as_of = None;
    let mut header: Option<Header> = None;
    let mut header_rows = 0;
    while let Some(row) = csv.next_row()? {
        let Some(cols) = &header else {
            header_rows += 1;
            if row.get(0).eq_ignore_ascii_case("Last Updated") {
                as_of = dmy_date(row.get(1));
            } else if row.fields.iter().any(|f| f.trim() == "Group ID") {
                header = Some(Header::new(path, &row, &REQUIRED, "a ConList CSV")?);
            } else {
                return Err(ImportError::malformed(
                    path,
                    row.line,
                    None,
                    "expected the ConList title row or header row",
                ));
            }
            continue;
        };
        if !cols.fits(ctx, path, &row)? {
            continue;
        }
        let group = cols.get(&row, "Group ID");
        if group.is_empty() {
            ctx.bad_record(path, row.line, "row without a Group ID")?;
            continue;
        }
        if let Some(e) = groups.entry(group, path, row.line) {
            add_row(e, cols, &row);
        }
    }
    ctx.file_read(path, csv.records.saturating_sub(header_rows));
    Ok(as_of)
}

fn add_row(e: &mut EntityBuilder, cols: &Header, row: &Row) {
    let c = |name: &str| cols.get(row, name);
    let name = ["Name 1", "Name 2", "Name 3", "Name 4", "Name 5", "Name 6"]
        .iter()
        .map(|n| c(n))
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    match c("Alias Type").to_ascii_lowercase().as_str() {
        "prime alias" | "primary name" => e.name(&name),
        "fka" => e.alias(AliasRelation::Fka, Strength::Strong, &name),
        "aka" | "primary name variation" => e.alias(AliasRelation::Aka, Strength::Strong, &name),
        // Later ConLists grade aliases: "Good quality a.k.a", "Low quality a.k.a".
        other if other.contains("low quality") => {
            e.alias(AliasRelation::Aka, Strength::Weak, &name)
        }
        _ => e.alias(AliasRelation::Aka, Strength::Strong, &name),
    }
    let other = c("Other Information");
    let vessel = other.to_ascii_lowercase().contains("vessel") && other.contains("IMO");
    e.set_kind(match c("Group Type").to_ascii_lowercase().as_str() {
        "individual" => Kind::Person,
        "ship" => Kind::Vessel,
        _ if vessel => Kind::Vessel,
        _ => Kind::Organization,
    });
    let title = c("Title");
    if !title.is_empty() {
        e.remark(&format!("Title: {title}"));
    }
    let dob = c("DOB");
    if !dob.is_empty() {
        e.born(&dmy_date(dob).unwrap_or_else(|| dob.to_string()));
    }
    let birthplace = [c("Town of Birth"), c("Country of Birth")]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    e.birthplace(&birthplace);
    for n in numbered_parts(c("Nationality")) {
        e.nationality(n);
    }
    let passport = c("Passport Details");
    if let Some(number) = first_number(passport) {
        e.identifier("passport", number, Some(passport));
    }
    let ni = c("NI Number");
    if let Some(number) = first_number(ni) {
        e.identifier("national_id", number, Some(ni));
    }
    e.position(c("Position"));
    let address = [
        "Address 1",
        "Address 2",
        "Address 3",
        "Address 4",
        "Address 5",
        "Address 6",
        "Post/Zip Code",
        "Country",
    ]
    .iter()
    .map(|n| c(n))
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>()
    .join(", ");
    e.address(&address);
    for country in numbered_parts(c("Country")) {
        e.country(country);
    }
    if !other.is_empty() {
        e.remark(other);
        if let Some(imo) = imo_in_text(other) {
            if vessel {
                e.imo(&imo, None);
            } else {
                e.identifier("imo_company", &imo, None);
            }
        }
        if let Some(mmsi) = other.split("MMSI").nth(1).and_then(first_number) {
            e.identifier("mmsi", mmsi, None);
        }
    }
    e.program(c("Regime"));
    if let Some(d) = dmy_date(c("Listed On")) {
        e.listed(&d);
    }
}

/// The first word holding a digit, without surrounding punctuation: the document
/// number in `Passport No: 592667 (Qatari passport issued on 3 May 2007).`
fn first_number(s: &str) -> Option<&str> {
    s.split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .find(|w| w.len() >= 4 && w.chars().any(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::first_number;

    #[test]
    fn document_numbers() {
        assert_eq!(
            first_number("Passport No: 592667 (Qatari passport issued on 3 May 2007)."),
            Some("592667")
        );
        assert_eq!(
            first_number("Tunisia number G557170 issued on 16 Nov 1989."),
            Some("G557170")
        );
        assert_eq!(first_number("none"), None);
    }
}
