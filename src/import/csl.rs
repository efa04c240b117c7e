//! The US Consolidated Screening List (trade.gov), CSV with a header row, plain or
//! gzip-compressed.
//!
//! One row per party and source list; a party on several US lists (SDN and SSI, say)
//! has one row per list under the same `_id`, merged here into one entity whose
//! programs name every list. Multi-valued columns (`alt_names`, `addresses`,
//! `dates_of_birth`, ...) separate values with `; `; `ids` holds
//! `COUNTRY, [ISSUED, EXPIRES,] NUMBER, TYPE` items.

use std::path::{Path, PathBuf};

use crate::rules::ast::{AliasRelation, Strength};

use super::builder::{EntityBuilder, Kind, Parties};
use super::read::{CsvFile, Header, Row};
use super::remarks::{id_scheme, parse_remarks};
use super::text::split_values;
use super::{Ctx, ImportError, ListMeta, Parsed};

const META: ListMeta = ListMeta {
    title: "Consolidated Screening List",
    authority:
        "U.S. Departments of Commerce, State and the Treasury (International Trade Administration)",
    url: "https://www.trade.gov/consolidated-screening-list",
    basis: &[
        "15 CFR Parts 730-774",
        "22 CFR Parts 120-130",
        "31 CFR Chapter V",
    ],
};

const REQUIRED: [&str; 5] = ["_id", "source", "name", "type", "alt_names"];

pub(crate) fn import(inputs: &[PathBuf], ctx: &mut Ctx<'_>) -> Result<Parsed, ImportError> {
    let mut parties = Parties::new("csl");
    let mut merged = 0;
    for path in inputs {
        merged += read_file(path, ctx, &mut parties)?;
    }
    if merged > 0 {
        ctx.note(format!(
            "{merged} rows repeat the _id of an earlier row (one party on several US lists) and were merged into it"
        ));
    }
    Ok(Parsed {
        meta: META,
        as_of: None,
        entities: parties.build(ctx)?,
    })
}

fn read_file(path: &Path, ctx: &mut Ctx<'_>, parties: &mut Parties) -> Result<usize, ImportError> {
    let mut csv = CsvFile::open(path, b',')?;
    let Some(first) = csv.next_row()? else {
        return Err(ImportError::truncated(path, Some(1), "empty file"));
    };
    let header = Header::new(path, &first, &REQUIRED, "a Consolidated Screening List CSV")?;
    let mut merged = 0;
    while let Some(row) = csv.next_row()? {
        if !header.fits(ctx, path, &row)? {
            continue;
        }
        let id = header.get(&row, "_id");
        if id.is_empty() {
            ctx.bad_record(path, row.line, "row without an _id")?;
            continue;
        }
        if parties.contains(id) {
            merged += 1;
        }
        if let Some(e) = parties.entry(id, path, row.line) {
            add_row(e, &header, &row);
        }
    }
    ctx.file_read(path, csv.records.saturating_sub(1));
    Ok(merged)
}

fn add_row(e: &mut EntityBuilder, header: &Header, row: &Row) {
    let c = |name: &str| header.get(row, name);
    e.name(c("name"));
    match c("type").to_ascii_lowercase().as_str() {
        "individual" => e.set_kind(Kind::Person),
        "entity" => e.set_kind(Kind::Organization),
        "vessel" => e.set_kind(Kind::Vessel),
        "aircraft" => e.set_kind(Kind::Aircraft),
        _ => {}
    }
    // "Entity List (EL) - Bureau of Industry and Security": the list's short name.
    let source = c("source");
    if let Some(short) = source
        .split_once('(')
        .and_then(|(_, rest)| rest.split_once(')'))
        .map(|(s, _)| s.trim())
    {
        e.program(short);
    }
    for p in split_values(c("programs"), ";") {
        e.program(p);
    }
    e.position(c("title"));
    for a in split_values(c("alt_names"), ";") {
        e.alias(AliasRelation::Aka, Strength::Strong, a);
    }
    for a in split_values(c("addresses"), ";") {
        e.address(a);
        // The CSL ends each address with an ISO country code.
        if let Some((_, cc)) = a.rsplit_once(", ") {
            if cc.len() == 2 {
                e.country(cc);
            }
        } else if a.len() == 2 {
            e.country(a);
        }
    }
    let call_sign = c("call_sign");
    if !call_sign.is_empty() {
        e.identifier("call_sign", call_sign, None);
    }
    let flag = c("vessel_flag");
    if !flag.is_empty() && !e.country(flag) {
        e.remark(&format!("Flag {flag}"));
    }
    let vessel: Vec<String> = [
        ("Vessel type", "vessel_type"),
        ("Tonnage", "gross_tonnage"),
        ("GRT", "gross_registered_tonnage"),
        ("Owner", "vessel_owner"),
    ]
    .iter()
    .filter(|(_, k)| !c(k).is_empty())
    .map(|(label, k)| format!("{label} {}", c(k)))
    .collect();
    if !vessel.is_empty() {
        e.remark(&vessel.join("; "));
    }
    for d in split_values(c("dates_of_birth"), ";") {
        e.born(d);
    }
    for n in split_values(c("nationalities"), ";").chain(split_values(c("citizenships"), ";")) {
        e.nationality(n);
    }
    for p in split_values(c("places_of_birth"), ";") {
        e.birthplace(p);
    }
    if let Some(start) = super::text::dmy_date(c("start_date")) {
        e.listed(&start);
    }
    for item in split_values(c("ids"), ";") {
        add_id(e, item);
    }
    let remarks = c("remarks");
    if !remarks.is_empty() {
        e.remark(remarks);
        // SDN rows carry OFAC's remarks, weak aliases included.
        parse_remarks(e, remarks.trim_matches(['(', ')']), false);
    }
    let notice = c("federal_register_notice");
    if !notice.is_empty() {
        e.remark(&format!("Federal Register: {notice}"));
    }
    for (label, k) in [
        ("License requirement", "license_requirement"),
        ("License policy", "license_policy"),
    ] {
        if !c(k).is_empty() {
            e.remark(&format!("{label}: {}", c(k)));
        }
    }
}

/// `JO, 2014-08-30, 2009-08-31, K475336, Passport`: country, dates, number, type.
fn add_id(e: &mut EntityBuilder, item: &str) {
    let parts: Vec<&str> = item.split(", ").map(str::trim).collect();
    let [rest @ .., number, kind] = parts.as_slice() else {
        return;
    };
    let Some((scheme, value)) = id_scheme(kind, number) else {
        return;
    };
    let note = rest.join(", ");
    let note = (!note.is_empty()).then_some(note);
    if scheme == "imo" {
        e.imo(&value, note.as_deref());
    } else {
        e.identifier(scheme, &value, note.as_deref());
    }
}
