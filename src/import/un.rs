//! The UN Security Council Consolidated List, XML (`consolidated.xml`).
//!
//! ```text
//! CONSOLIDATED_LIST @dateGenerated
//!   INDIVIDUALS/INDIVIDUAL*  REFERENCE_NUMBER, FIRST_NAME..FOURTH_NAME, UN_LIST_TYPE,
//!                            LISTED_ON, COMMENTS1, NAME_ORIGINAL_SCRIPT,
//!                            TITLE/VALUE*, DESIGNATION/VALUE*, NATIONALITY/VALUE*,
//!                            INDIVIDUAL_ALIAS*(QUALITY, ALIAS_NAME),
//!                            INDIVIDUAL_ADDRESS*(STREET, CITY, STATE_PROVINCE,
//!                            ZIP_CODE, COUNTRY, NOTE),
//!                            INDIVIDUAL_DATE_OF_BIRTH*(TYPE_OF_DATE, DATE, YEAR,
//!                            FROM_YEAR, TO_YEAR, NOTE),
//!                            INDIVIDUAL_PLACE_OF_BIRTH*(CITY, STATE_PROVINCE, COUNTRY),
//!                            INDIVIDUAL_DOCUMENT*(TYPE_OF_DOCUMENT, NUMBER,
//!                            ISSUING_COUNTRY, DATE_OF_ISSUE, CITY_OF_ISSUE, NOTE)
//!   ENTITIES/ENTITY*         the same with FIRST_NAME as the name, ENTITY_ALIAS*,
//!                            ENTITY_ADDRESS*
//! ```

use std::collections::HashSet;
use std::path::PathBuf;

use crate::rules::ast::{AliasRelation, Strength};

use super::builder::{EntityBuilder, Kind};
use super::text::{imo_in_text, scheme};
use super::xml::{Node, XmlRecords};
use super::{Ctx, ImportError, ListMeta, Parsed};

const META: ListMeta = ListMeta {
    title: "UN Security Council Consolidated List",
    authority: "United Nations Security Council",
    url: "https://main.un.org/securitycouncil/en/content/un-sc-consolidated-list",
    basis: &["Charter of the United Nations, Chapter VII"],
};

/// The resolution that set up each sanctions committee, so that rules can name a
/// regime the way analysts do (`program "UN 1718"` for the DPRK).
const REGIMES: &[(&str, &str)] = &[
    ("Al-Qaida", "UN 1267"),
    ("CAR", "UN 2127"),
    ("DPRK", "UN 1718"),
    ("DRC", "UN 1533"),
    ("GB", "UN 2048"),
    ("Haiti", "UN 2653"),
    ("Iran", "UN 1737"),
    ("Iraq", "UN 1518"),
    ("Libya", "UN 1970"),
    ("Somalia", "UN 2713"),
    ("SouthSudan", "UN 2206"),
    ("Sudan", "UN 1591"),
    ("Taliban", "UN 1988"),
    ("Yemen", "UN 2140"),
];

pub(crate) fn import(inputs: &[PathBuf], ctx: &mut Ctx<'_>) -> Result<Parsed, ImportError> {
    let mut entities = Vec::new();
    let mut as_of: Option<String> = None;
    let mut seen = HashSet::new();
    for path in inputs {
        let mut xml = XmlRecords::open(path, &["INDIVIDUAL", "ENTITY"])?;
        while let Some(node) = xml.next_record()? {
            let id = node.text_of("REFERENCE_NUMBER");
            if id.is_empty() {
                ctx.bad_record(
                    path,
                    node.line,
                    format!("<{}> without REFERENCE_NUMBER", node.name),
                )?;
                continue;
            }
            if !seen.insert(id.to_string()) {
                ctx.bad_record(
                    path,
                    node.line,
                    format!("reference number {id} listed twice"),
                )?;
                continue;
            }
            if let Some(e) = ctx.build(record(&node), path, node.line)? {
                entities.push(e);
            }
        }
        if let Some(date) = xml
            .root
            .as_ref()
            .and_then(|r| r.attr("dateGenerated").get(..10))
            .filter(|d| crate::reference::is_date(d))
        {
            // Several files: the list is as old as its oldest part.
            if as_of.as_deref().is_none_or(|a| date < a) {
                as_of = Some(date.to_string());
            }
        }
        ctx.file_read(xml.path(), xml.count);
    }
    Ok(Parsed {
        meta: META,
        as_of,
        entities,
    })
}

fn values<'a>(node: &'a Node, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    node.all(name)
        .flat_map(|n| n.all("VALUE"))
        .map(|v| v.text.as_str())
        .filter(|v| !v.is_empty())
}

fn joined(node: &Node, parts: &[&str]) -> String {
    parts
        .iter()
        .map(|p| node.text_of(p))
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

fn record(node: &Node) -> EntityBuilder {
    let person = node.name == "INDIVIDUAL";
    let mut e = EntityBuilder::new("un", node.text_of("REFERENCE_NUMBER"));
    e.set_kind(if person {
        Kind::Person
    } else {
        Kind::Organization
    });
    let name = ["FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME"]
        .iter()
        .map(|p| node.text_of(p))
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    e.name(&name);
    e.alias(
        AliasRelation::Aka,
        Strength::Strong,
        node.text_of("NAME_ORIGINAL_SCRIPT"),
    );
    let list_type = node.text_of("UN_LIST_TYPE");
    if let Some((_, regime)) = REGIMES.iter().find(|(t, _)| *t == list_type) {
        e.program(regime);
    }
    e.program(list_type);
    e.listed(node.text_of("LISTED_ON"));
    for v in values(node, "DESIGNATION") {
        e.position(v);
    }
    for v in values(node, "TITLE") {
        e.remark(&format!("Title: {v}"));
    }
    for v in values(node, "NATIONALITY") {
        e.nationality(v);
    }
    let alias_el = if person {
        "INDIVIDUAL_ALIAS"
    } else {
        "ENTITY_ALIAS"
    };
    for a in node.all(alias_el) {
        let (relation, strength) = match a.text_of("QUALITY").to_ascii_lowercase().as_str() {
            "low" => (AliasRelation::Aka, Strength::Weak),
            "f.k.a." => (AliasRelation::Fka, Strength::Strong),
            _ => (AliasRelation::Aka, Strength::Strong),
        };
        e.alias(relation, strength, a.text_of("ALIAS_NAME"));
    }
    let address_el = if person {
        "INDIVIDUAL_ADDRESS"
    } else {
        "ENTITY_ADDRESS"
    };
    for a in node.all(address_el) {
        let mut address = joined(
            a,
            &["STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY"],
        );
        let note = a.text_of("NOTE");
        if !note.is_empty() && !address.is_empty() {
            address.push_str(&format!(" ({note})"));
        }
        e.address(&address);
        e.country(a.text_of("COUNTRY"));
    }
    for d in node.all("INDIVIDUAL_DATE_OF_BIRTH") {
        let kind = d.text_of("TYPE_OF_DATE");
        let date = match (d.text_of("DATE"), d.text_of("YEAR")) {
            ("", "") => String::new(),
            ("", year) => year.to_string(),
            (date, _) => date.get(..10).unwrap_or(date).to_string(),
        };
        let born = match kind {
            "BETWEEN" => format!("{} to {}", d.text_of("FROM_YEAR"), d.text_of("TO_YEAR")),
            "APPROXIMATELY" if !date.is_empty() => format!("circa {date}"),
            _ => date,
        };
        if born.trim() != "to" {
            e.born(&born);
        }
    }
    for p in node.all("INDIVIDUAL_PLACE_OF_BIRTH") {
        e.birthplace(&joined(p, &["CITY", "STATE_PROVINCE", "COUNTRY"]));
    }
    for doc in node.all("INDIVIDUAL_DOCUMENT") {
        let kind = doc.text_of("TYPE_OF_DOCUMENT");
        let lower = kind.to_lowercase();
        let scheme = if lower.contains("pas") {
            "passport".to_string()
        } else if lower.starts_with("national identification") {
            "national_id".to_string()
        } else if kind.is_empty() {
            "document".to_string()
        } else {
            scheme(kind)
        };
        let mut note: Vec<String> = Vec::new();
        let country = doc.text_of("ISSUING_COUNTRY");
        let country = if country.is_empty() {
            doc.text_of("COUNTRY_OF_ISSUE")
        } else {
            country
        };
        for (prefix, v) in [
            ("", doc.text_of("TYPE_OF_DOCUMENT2")),
            ("", country),
            ("issued ", doc.text_of("DATE_OF_ISSUE")),
            ("in ", doc.text_of("CITY_OF_ISSUE")),
            ("", doc.text_of("NOTE")),
        ] {
            if !v.is_empty() {
                note.push(format!("{prefix}{v}"));
            }
        }
        let note = (!note.is_empty()).then(|| note.join("; "));
        e.identifier(&scheme, doc.text_of("NUMBER"), note.as_deref());
    }
    let comments = node.text_of("COMMENTS1");
    if !comments.is_empty() {
        e.remark(comments);
        // Shipping companies carry their IMO company number in the comments; it is
        // not a ship's number and has no check digit.
        if let Some(number) = imo_in_text(comments) {
            e.identifier("imo_company", &number, None);
        }
    }
    e
}
