//! FollowTheMoney entities (OpenSanctions exports): one JSON object per line,
//! `{"id", "caption", "schema", "properties": {NAME: [VALUES]}, "datasets", ...}`.
//!
//! Parties (`Person`, `Organization`, `Company`, `LegalEntity`, `PublicBody`,
//! `Vessel`, `Airplane`) become entities; `Address` entities are folded into the
//! parties that point at them (`addressEntity`); other schemas (sanctions,
//! relationships) are counted but not imported.

use std::collections::HashMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::rules::ast::{AliasRelation, Strength};

use super::builder::{EntityBuilder, Kind};
use super::read::open;
use super::{Ctx, ImportError, ListMeta, Parsed};

const META: ListMeta = ListMeta {
    title: "FollowTheMoney entities",
    authority: "OpenSanctions (aggregated from official sources)",
    url: "https://www.opensanctions.org/",
    basis: &[],
};

/// Properties that are identifiers, and the scheme each becomes.
const IDS: &[(&str, &str)] = &[
    ("imoNumber", "imo"),
    ("mmsi", "mmsi"),
    ("swiftBic", "swift"),
    ("passportNumber", "passport"),
    ("idNumber", "national_id"),
    ("registrationNumber", "registration"),
    ("taxNumber", "tax_id"),
    ("vatCode", "vat"),
    ("leiCode", "lei"),
    ("innCode", "inn"),
    ("ogrnCode", "ogrn"),
    ("okpoCode", "okpo"),
    ("dunsCode", "duns"),
    ("callSign", "call_sign"),
    ("icaoCode", "icao"),
    ("email", "email"),
    ("website", "website"),
];

pub(crate) fn import(inputs: &[PathBuf], ctx: &mut Ctx<'_>) -> Result<Parsed, ImportError> {
    let mut parties: Vec<(EntityBuilder, Vec<String>, PathBuf, u64)> = Vec::new();
    let mut addresses: HashMap<String, String> = HashMap::new();
    let mut others: HashMap<String, usize> = HashMap::new();
    let mut as_of: Option<String> = None;
    for path in inputs {
        read_file(
            path,
            ctx,
            &mut parties,
            &mut addresses,
            &mut others,
            &mut as_of,
        )?;
    }
    let mut entities = Vec::with_capacity(parties.len());
    let mut dangling = 0;
    for (mut e, refs, path, line) in parties {
        for r in refs {
            match addresses.get(&r) {
                Some(a) => e.address(a),
                None => dangling += 1,
            }
        }
        if let Some(e) = ctx.build(e, &path, line)? {
            entities.push(e);
        }
    }
    if dangling > 0 {
        ctx.note(format!(
            "{dangling} addressEntity references name an Address entity not in the input"
        ));
    }
    if !others.is_empty() {
        let mut v: Vec<String> = others.iter().map(|(s, n)| format!("{s} {n}")).collect();
        v.sort();
        ctx.note(format!("records that are not parties: {}", v.join(", ")));
    }
    Ok(Parsed {
        meta: META,
        as_of,
        entities,
    })
}

fn read_file(
    path: &Path,
    ctx: &mut Ctx<'_>,
    parties: &mut Vec<(EntityBuilder, Vec<String>, PathBuf, u64)>,
    addresses: &mut HashMap<String, String>,
    others: &mut HashMap<String, usize>,
    as_of: &mut Option<String>,
) -> Result<(), ImportError> {
    let mut reader = open(path)?;
    let mut line = String::new();
    let mut number = 0u64;
    let mut records = 0;
    loop {
        line.clear();
        let n = reader
            .read_line(&mut line)
            .map_err(|e| ImportError::io(path, Some(number + 1), e))?;
        if n == 0 {
            break;
        }
        number += 1;
        if line.trim().is_empty() {
            continue;
        }
        let last_unterminated = !line.ends_with('\n');
        records += 1;
        let value: Value = match serde_json::from_str(&line) {
            Ok(v) => v,
            // A complete export ends every object with a line break: an object that
            // does not parse on an unterminated last line was cut, whatever --skip-bad says.
            Err(err) if last_unterminated => {
                return Err(ImportError::truncated(
                    path,
                    Some(number),
                    format!("the last line is an incomplete JSON object ({err})"),
                ))
            }
            Err(err) => {
                ctx.bad_record(
                    path,
                    number,
                    format!("invalid JSON at column {}: {err}", err.column()),
                )?;
                continue;
            }
        };
        let Some(obj) = value.as_object() else {
            ctx.bad_record(path, number, "not a JSON object")?;
            continue;
        };
        let id = obj.get("id").and_then(Value::as_str).unwrap_or("");
        let schema = obj.get("schema").and_then(Value::as_str).unwrap_or("");
        let empty = Map::new();
        let props = obj
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        if id.is_empty() || schema.is_empty() {
            ctx.bad_record(path, number, "entity without an id or schema")?;
            continue;
        }
        for key in ["last_change", "last_seen"] {
            if let Some(d) = obj
                .get(key)
                .and_then(Value::as_str)
                .and_then(|s| s.get(..10))
            {
                if crate::reference::is_date(d) && as_of.as_deref().is_none_or(|a| d > a) {
                    *as_of = Some(d.to_string());
                }
            }
        }
        let kind = match schema {
            "Person" => Kind::Person,
            "Organization" | "Company" | "LegalEntity" | "PublicBody" => Kind::Organization,
            "Vessel" => Kind::Vessel,
            "Airplane" => Kind::Aircraft,
            "Address" => {
                let full = strings(props, "full")
                    .next()
                    .map(str::to_string)
                    .unwrap_or_else(|| {
                        ["street", "city", "postalCode", "region", "country"]
                            .iter()
                            .flat_map(|k| strings(props, k))
                            .collect::<Vec<_>>()
                            .join(", ")
                    });
                addresses.insert(id.to_string(), full);
                continue;
            }
            other => {
                *others.entry(other.to_string()).or_default() += 1;
                continue;
            }
        };
        let e = party(id, kind, obj, props);
        let refs = strings(props, "addressEntity")
            .map(str::to_string)
            .collect();
        parties.push((e, refs, path.to_path_buf(), number));
    }
    ctx.file_read(path, records);
    Ok(())
}

fn strings<'a>(props: &'a Map<String, Value>, key: &str) -> impl Iterator<Item = &'a str> {
    props
        .get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

fn party(
    id: &str,
    kind: Kind,
    obj: &Map<String, Value>,
    props: &Map<String, Value>,
) -> EntityBuilder {
    let mut e = EntityBuilder::new("ftm", id);
    e.set_kind(kind);
    if let Some(caption) = obj.get("caption").and_then(Value::as_str) {
        e.name(caption);
    }
    for (key, relation, strength) in [
        ("name", AliasRelation::Aka, Strength::Strong),
        ("alias", AliasRelation::Aka, Strength::Strong),
        ("weakAlias", AliasRelation::Aka, Strength::Weak),
        ("previousName", AliasRelation::Fka, Strength::Strong),
    ] {
        for n in strings(props, key) {
            if e.has_name() {
                e.alias(relation, strength, n);
            } else {
                e.name(n);
            }
        }
    }
    for c in strings(props, "country")
        .chain(strings(props, "jurisdiction"))
        .chain(strings(props, "flag"))
    {
        e.country(c);
    }
    for c in strings(props, "nationality").chain(strings(props, "citizenship")) {
        e.nationality(c);
    }
    for p in strings(props, "programId").chain(strings(props, "program")) {
        e.program(p);
    }
    for (key, scheme) in IDS {
        for v in strings(props, key) {
            if *scheme == "imo" {
                e.imo(v, None);
            } else {
                e.identifier(scheme, v, None);
            }
        }
    }
    for a in strings(props, "address") {
        e.address(a);
    }
    for d in strings(props, "birthDate") {
        e.born(d);
    }
    for p in strings(props, "birthPlace") {
        e.birthplace(p);
    }
    for p in strings(props, "position") {
        e.position(p);
    }
    for t in strings(props, "title") {
        e.remark(&format!("Title: {t}"));
    }
    for n in strings(props, "notes").chain(strings(props, "summary")) {
        e.remark(n);
    }
    if let Some(d) = strings(props, "listingDate").next() {
        e.listed(d.get(..10).unwrap_or(d));
    }
    let datasets: Vec<&str> = obj
        .get("datasets")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    if !datasets.is_empty() {
        e.remark(&format!("Datasets: {}", datasets.join(", ")));
    }
    e
}
