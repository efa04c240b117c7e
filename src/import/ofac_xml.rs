//! OFAC's classic SDN XML (`sdn.xml`, schema `sdnList.xsd`): the same list as the CSV
//! set in one file, with aliases, addresses, identifiers and dates as elements.
//!
//! ```text
//! sdnList
//!   publshInformation  Publish_Date (MM/DD/YYYY), Record_Count
//!   sdnEntry*          uid, firstName, lastName, title, sdnType, remarks,
//!                      programList/program*, idList/id*(idType, idNumber, idCountry,
//!                      issueDate, expirationDate), akaList/aka*(type, category,
//!                      firstName, lastName), addressList/address*(address1..3, city,
//!                      stateOrProvince, postalCode, country),
//!                      nationalityList/nationality*(country),
//!                      citizenshipList/citizenship*(country),
//!                      dateOfBirthList/dateOfBirthItem*(dateOfBirth),
//!                      placeOfBirthList/placeOfBirthItem*(placeOfBirth),
//!                      vesselInfo(callSign, vesselType, vesselFlag, vesselOwner,
//!                      tonnage, grossRegisteredTonnage)
//! ```

use std::collections::HashSet;
use std::path::Path;

use crate::rules::ast::{AliasRelation, Strength};

use super::builder::{EntityBuilder, Kind};
use super::remarks::{id_scheme, relation};
use super::text::ofac_date;
use super::xml::{Node, XmlRecords};
use super::{Ctx, ImportError, ListMeta, Parsed};

pub(crate) fn import(
    list: &str,
    meta: ListMeta,
    path: &Path,
    ctx: &mut Ctx<'_>,
) -> Result<Parsed, ImportError> {
    let mut xml = XmlRecords::open(path, &["sdnEntry", "publshInformation"])?;
    let mut as_of = None;
    let mut entities = Vec::new();
    let mut seen = HashSet::new();
    let mut declared: Option<usize> = None;
    while let Some(node) = xml.next_record()? {
        if node.name == "publshInformation" {
            as_of = super::text::mdy_date(node.text_of("Publish_Date"));
            declared = node.text_of("Record_Count").parse().ok();
            continue;
        }
        let uid = node.text_of("uid");
        if uid.is_empty() {
            ctx.bad_record(path, node.line, "<sdnEntry> without <uid>")?;
            continue;
        }
        if !seen.insert(uid.to_string()) {
            ctx.bad_record(path, node.line, format!("uid {uid} listed twice"))?;
            continue;
        }
        let e = entry(list, &node);
        if let Some(e) = ctx.build(e, path, node.line)? {
            entities.push(e);
        }
    }
    let records = seen.len();
    ctx.file_read(path, records);
    if let Some(n) = declared {
        if n != records {
            ctx.note(format!(
                "{}: Record_Count says {n} entries, the file holds {records}",
                path.display()
            ));
        }
    }
    Ok(Parsed {
        meta,
        as_of,
        entities,
    })
}

/// `LAST, First` as the CSV files and the printed list write individuals.
fn full_name(node: &Node) -> String {
    let last = node.text_of("lastName");
    let first = node.text_of("firstName");
    match (last.is_empty(), first.is_empty()) {
        (false, false) => format!("{last}, {first}"),
        (false, true) => last.to_string(),
        _ => first.to_string(),
    }
}

fn entry(list: &str, node: &Node) -> EntityBuilder {
    let mut e = EntityBuilder::new(list, node.text_of("uid"));
    e.name(&full_name(node));
    e.set_kind(
        match node.text_of("sdnType").to_ascii_lowercase().as_str() {
            "individual" => Kind::Person,
            "vessel" => Kind::Vessel,
            "aircraft" => Kind::Aircraft,
            _ => Kind::Organization,
        },
    );
    e.position(node.text_of("title"));
    for programs in node.all("programList") {
        for p in programs.all("program") {
            e.program(&p.text);
        }
    }
    for akas in node.all("akaList") {
        for aka in akas.all("aka") {
            let relation = relation(aka.text_of("type")).unwrap_or(AliasRelation::Aka);
            let strength = if aka.text_of("category").eq_ignore_ascii_case("weak") {
                Strength::Weak
            } else {
                Strength::Strong
            };
            e.alias(relation, strength, &full_name(aka));
        }
    }
    for addresses in node.all("addressList") {
        for a in addresses.all("address") {
            let parts: Vec<&str> = [
                "address1",
                "address2",
                "address3",
                "city",
                "stateOrProvince",
                "postalCode",
                "country",
            ]
            .iter()
            .map(|k| a.text_of(k))
            .filter(|s| !s.is_empty())
            .collect();
            e.address(&parts.join(", "));
            e.country(a.text_of("country"));
        }
    }
    for ids in node.all("idList") {
        for id in ids.all("id") {
            let label = id.text_of("idType");
            let value = id.text_of("idNumber");
            let mut note: Vec<String> = Vec::new();
            for (k, prefix) in [
                ("idCountry", ""),
                ("issueDate", "issued "),
                ("expirationDate", "expires "),
            ] {
                let v = id.text_of(k);
                if !v.is_empty() {
                    note.push(format!("{prefix}{v}"));
                }
            }
            let note = (!note.is_empty()).then(|| note.join("; "));
            match id_scheme(label, value) {
                Some(("imo", v)) => e.imo(&v, note.as_deref()),
                Some((scheme, v)) => e.identifier(scheme, &v, note.as_deref()),
                None => {
                    let scheme = super::text::scheme(label);
                    e.identifier(&scheme, value, note.as_deref());
                }
            }
        }
    }
    for (list_el, item, field) in [
        ("nationalityList", "nationality", "country"),
        ("citizenshipList", "citizenship", "country"),
    ] {
        for l in node.all(list_el) {
            for n in l.all(item) {
                e.nationality(n.text_of(field));
            }
        }
    }
    for l in node.all("dateOfBirthList") {
        for d in l.all("dateOfBirthItem") {
            let raw = d.text_of("dateOfBirth");
            e.born(&ofac_date(raw).unwrap_or_else(|| raw.to_string()));
        }
    }
    for l in node.all("placeOfBirthList") {
        for p in l.all("placeOfBirthItem") {
            e.birthplace(p.text_of("placeOfBirth"));
        }
    }
    if let Some(v) = node.child("vesselInfo") {
        let call_sign = v.text_of("callSign");
        if !call_sign.is_empty() {
            e.identifier("call_sign", call_sign, None);
        }
        let flag = v.text_of("vesselFlag");
        if !flag.is_empty() && !e.country(flag) {
            e.remark(&format!("Flag {flag}"));
        }
        let facts: Vec<String> = [
            ("Vessel type", "vesselType"),
            ("Tonnage", "tonnage"),
            ("GRT", "grossRegisteredTonnage"),
            ("Owner", "vesselOwner"),
        ]
        .iter()
        .filter(|(_, k)| !v.text_of(k).is_empty())
        .map(|(label, k)| format!("{label} {}", v.text_of(k)))
        .collect();
        if !facts.is_empty() {
            e.remark(&facts.join("; "));
        }
    }
    let remarks = node.text_of("remarks");
    if !remarks.is_empty() {
        e.remark(remarks);
        super::remarks::parse_remarks(&mut e, remarks, false);
    }
    e
}
