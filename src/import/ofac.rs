//! OFAC's SDN and Consolidated (non-SDN) lists in their CSV layout.
//!
//! The primary file (`sdn.csv`, `cons_prim.csv`) has no header; its columns are
//! `ent_num, name, type, programs, title, call_sign, vessel_type, tonnage, grt,
//! vessel_flag, vessel_owner, remarks`, with `-0-` for empty. Aliases (`alt.csv`:
//! `ent_num, alt_num, alt_type, alt_name, alt_remarks`), addresses (`add.csv`:
//! `ent_num, add_num, address, city_state_zip, country, add_remarks`) and remarks
//! longer than OFAC's 1000-character column (`sdn_comments.csv`: `ent_num,
//! remarks_extended`) are separate files keyed by `ent_num`.
//!
//! Much of what an analyst needs sits in the remarks: low-quality aliases
//! (`a.k.a. 'KOMID'`), dates of birth, nationalities, passports and registry numbers,
//! IMO numbers of vessels. Those are pulled out into their own properties; the remarks
//! are kept whole as well, so nothing the list says is lost.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::rules::ast::Strength;

use super::builder::{EntityBuilder, Kind};
use super::read::{expect_fields, CsvFile, Row};
use super::remarks::{parse_remarks, relation};
use super::text::split_values;
use super::{Ctx, Format, ImportError, ListMeta, Parsed};

const SDN_META: ListMeta = ListMeta {
    title: "Specially Designated Nationals and Blocked Persons List",
    authority: "U.S. Department of the Treasury, Office of Foreign Assets Control",
    url: "https://sanctionslist.ofac.treas.gov/",
    basis: &["31 CFR Chapter V"],
};

const CONS_META: ListMeta = ListMeta {
    title: "Consolidated Sanctions List (Non-SDN Lists)",
    authority: "U.S. Department of the Treasury, Office of Foreign Assets Control",
    url: "https://sanctionslist.ofac.treas.gov/",
    basis: &["31 CFR Chapter V"],
};

/// The width of OFAC's remarks column: a remark this long continues in the comments
/// file, or was cut.
const REMARKS_WIDTH: usize = 1000;

/// What each input file holds, told by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Primary,
    Aliases,
    Addresses,
    Comments,
    Xml,
}

fn role(path: &Path) -> Role {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if name.ends_with(".xml") || name.ends_with(".xml.gz") {
        Role::Xml
    } else if name.contains("comment") {
        Role::Comments
    } else if name.contains("alt") {
        Role::Aliases
    } else if name.contains("add") {
        Role::Addresses
    } else {
        Role::Primary
    }
}

/// One primary record while the secondary files are merged in.
struct Pending {
    entity: EntityBuilder,
    remarks: String,
    path: PathBuf,
    line: u64,
}

pub(crate) fn import(
    format: Format,
    inputs: &[PathBuf],
    ctx: &mut Ctx<'_>,
) -> Result<Parsed, ImportError> {
    let meta = if format == Format::OfacCons {
        CONS_META
    } else {
        SDN_META
    };
    let list = format.name();
    let roles: Vec<(Role, &PathBuf)> = inputs.iter().map(|p| (role(p), p)).collect();
    if let Some((_, xml)) = roles.iter().find(|(r, _)| *r == Role::Xml) {
        if inputs.len() > 1 {
            return Err(ImportError::usage(
                "the SDN XML file holds the whole list: give it alone",
            ));
        }
        return super::ofac_xml::import(list, meta, xml, ctx);
    }
    let primaries: Vec<&PathBuf> = roles
        .iter()
        .filter(|(r, _)| *r == Role::Primary)
        .map(|(_, p)| *p)
        .collect();
    let [primary] = primaries.as_slice() else {
        return Err(ImportError::usage(format!(
            "{list}: expected exactly one primary file (sdn.csv / cons_prim.csv) among the inputs, \
             found {}; alias, address and comment files are recognised by `alt`, `add` and `comments` in their names",
            primaries.len()
        )));
    };

    let mut pending: Vec<Pending> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    read_primary(list, primary, ctx, &mut pending, &mut index)?;

    // Remarks must be whole before they are taken apart, so comments come first.
    for (_, path) in roles.iter().filter(|(r, _)| *r == Role::Comments) {
        read_secondary(Role::Comments, path, 2, ctx, &index, |row, i| {
            let text = row.fields.get(1).map(String::as_str).unwrap_or("");
            if let Some(p) = pending.get_mut(i) {
                p.remarks.push_str(text);
            }
            !nil(text).is_empty()
        })?;
    }
    let mut cut = 0;
    for p in &mut pending {
        let remarks = nil(&p.remarks).to_string();
        if remarks.chars().count() == REMARKS_WIDTH {
            // Without its continuation the last clause may be a fragment
            // ("Passport 4722"): keep it in the remark text, do not interpret it.
            cut += 1;
            p.entity.remark(&format!(
                "{remarks} [cut at {REMARKS_WIDTH} characters by OFAC]"
            ));
            parse_remarks(&mut p.entity, &remarks, true);
        } else if !remarks.is_empty() {
            p.entity.remark(&remarks);
            parse_remarks(&mut p.entity, &remarks, false);
        }
    }
    if cut > 0 {
        ctx.note(format!(
            "{cut} remarks are exactly {REMARKS_WIDTH} characters with no continuation in a comments file: \
             their last clause was not interpreted"
        ));
    }

    for (role, path) in &roles {
        match role {
            Role::Aliases => read_secondary(Role::Aliases, path, 4, ctx, &index, |row, i| {
                pending
                    .get_mut(i)
                    .is_some_and(|p| add_alias(&mut p.entity, row))
            })?,
            Role::Addresses => read_secondary(Role::Addresses, path, 5, ctx, &index, |row, i| {
                pending
                    .get_mut(i)
                    .is_some_and(|p| add_address(&mut p.entity, row))
            })?,
            _ => {}
        }
    }

    let mut entities = Vec::with_capacity(pending.len());
    for p in pending {
        if let Some(e) = ctx.build(p.entity, &p.path, p.line)? {
            entities.push(e);
        }
    }
    Ok(Parsed {
        meta,
        as_of: None,
        entities,
    })
}

/// `-0-` (OFAC's empty) and blanks read as empty.
fn nil(s: &str) -> &str {
    let s = s.trim();
    if s == "-0-" {
        ""
    } else {
        s
    }
}

fn read_primary(
    list: &str,
    path: &Path,
    ctx: &mut Ctx<'_>,
    pending: &mut Vec<Pending>,
    index: &mut HashMap<String, usize>,
) -> Result<(), ImportError> {
    let mut csv = CsvFile::open(path, b',')?;
    while let Some(row) = csv.next_row()? {
        if let Err(msg) = expect_fields(&row, 12) {
            ctx.bad_record(path, row.line, msg)?;
            continue;
        }
        let id = nil(row.get(0));
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
            ctx.bad_record(path, row.line, format!("ent_num `{id}` is not a number"))?;
            continue;
        }
        if index.contains_key(id) {
            ctx.bad_record(path, row.line, format!("ent_num {id} listed twice"))?;
            continue;
        }
        let mut e = EntityBuilder::new(list, id);
        e.name(nil(row.get(1)));
        e.set_kind(match nil(row.get(2)).to_ascii_lowercase().as_str() {
            "individual" => Kind::Person,
            "vessel" => Kind::Vessel,
            "aircraft" => Kind::Aircraft,
            _ => Kind::Organization,
        });
        for program in split_values(nil(row.get(3)), "] [") {
            e.program(program.trim_matches(['[', ']']).trim());
        }
        e.position(nil(row.get(4)));
        let call_sign = nil(row.get(5));
        if !call_sign.is_empty() {
            e.identifier("call_sign", call_sign, None);
        }
        let flag = nil(row.get(9));
        if !flag.is_empty() && !e.country(flag) {
            e.remark(&format!("Flag {flag}"));
        }
        let vessel: Vec<String> = [
            ("Vessel type", row.get(6)),
            ("Tonnage", row.get(7)),
            ("GRT", row.get(8)),
            ("Owner", row.get(10)),
        ]
        .iter()
        .filter(|(_, v)| !nil(v).is_empty())
        .map(|(k, v)| format!("{k} {}", nil(v)))
        .collect();
        if !vessel.is_empty() {
            e.remark(&vessel.join("; "));
        }
        index.insert(id.to_string(), pending.len());
        pending.push(Pending {
            entity: e,
            remarks: row.fields.get(11).cloned().unwrap_or_default(),
            path: path.to_path_buf(),
            line: row.line,
        });
    }
    csv.require_end_mark()?;
    ctx.file_read(path, csv.records);
    Ok(())
}

/// Reads an alias, address or comments file (its `role`), handing each row that names
/// a known entity to `apply` with the entity's index. Alias and address files must end
/// with OFAC's end-of-file mark; comments files come without one.
fn read_secondary(
    role: Role,
    path: &Path,
    min_fields: usize,
    ctx: &mut Ctx<'_>,
    index: &HashMap<String, usize>,
    mut apply: impl FnMut(&Row, usize) -> bool,
) -> Result<(), ImportError> {
    let mut csv = CsvFile::open(path, b',')?;
    while let Some(row) = csv.next_row()? {
        if let Err(msg) = expect_fields(&row, min_fields) {
            ctx.bad_record(path, row.line, msg)?;
            continue;
        }
        match index.get(nil(row.get(0))) {
            Some(&i) => {
                if !apply(&row, i) {
                    ctx.stats.empty += 1;
                }
            }
            None => ctx.stats.unmatched += 1,
        }
    }
    if role != Role::Comments {
        csv.require_end_mark()?;
    }
    ctx.file_read(csv.path(), csv.records);
    Ok(())
}

/// Adds the alias of an `alt.csv` row; false when the row names none.
fn add_alias(e: &mut EntityBuilder, row: &Row) -> bool {
    let relation = relation(nil(row.get(2))).unwrap_or_default();
    let strength = if nil(row.get(4)).to_ascii_lowercase().contains("low quality")
        || nil(row.get(4)).to_ascii_lowercase().contains("weak")
    {
        Strength::Weak
    } else {
        Strength::Strong
    };
    let name = nil(row.get(3));
    e.alias(relation, strength, name);
    !name.is_empty()
}

/// Adds the address of an `add.csv` row; false when every field is `-0-`.
fn add_address(e: &mut EntityBuilder, row: &Row) -> bool {
    let country = nil(row.get(4));
    let parts: Vec<&str> = [row.get(2), row.get(3), row.get(4)]
        .into_iter()
        .map(nil)
        .filter(|s| !s.is_empty())
        .collect();
    let mut address = parts.join(", ");
    let note = nil(row.get(5));
    if !note.is_empty() {
        address.push_str(&format!(" ({note})"));
    }
    e.address(&address);
    // Unknown places ("region: Crimea") stay in the address text.
    e.country(country);
    !address.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_by_name() {
        assert_eq!(role(Path::new("sdn.csv")), Role::Primary);
        assert_eq!(role(Path::new("cons_prim.csv")), Role::Primary);
        assert_eq!(role(Path::new("alt-2025-12.csv")), Role::Aliases);
        assert_eq!(role(Path::new("cons_add.csv")), Role::Addresses);
        assert_eq!(role(Path::new("sdn_comments.csv")), Role::Comments);
        assert_eq!(role(Path::new("sdn.xml")), Role::Xml);
    }
}
