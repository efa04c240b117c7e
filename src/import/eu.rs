//! EU financial sanctions, in either of two CSV layouts, told apart by the header:
//!
//! - **FSF legacy** (`Date_file;Entity_logical_id;Subject_type;...;EU_ref_num`), the
//!   Financial Sanctions Files' old `;`-separated export. Each row carries one fact of
//!   one entity (a name, an address, a birth, an identification document or a
//!   citizenship) next to the entity's own columns; rows are grouped by
//!   `Entity_logical_id`, which becomes the entity id. Files that went through a
//!   spreadsheet sometimes come back with every row wrapped in one quoted cell padded
//!   with tabs: such rows are unwrapped and read again. Its programme is the regime's
//!   code (`PRK`, `ZWE`), written `EU-PRK` as the journal layout writes it, so that
//!   rules name one program whichever layout the list came from.
//! - **Official Journal transcription** (`celex,recordId,programKey,annex,...`), one row
//!   per annex entry with multi-valued cells separated by `; `. Its `recordId` counts
//!   within an annex, so the id is `CELEX/ANNEX/RECORD` (`eu:32017R1509/XIII.A/1`).

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::rules::ast::{AliasRelation, Strength};

use super::builder::{EntityBuilder, Kind, Parties};
use super::read::{decode, open, CsvFile, Header, Row};
use super::text::{dmy_date, split_values};
use super::{Ctx, ImportError, ListMeta, Parsed};

const META: ListMeta = ListMeta {
    title: "EU Consolidated List of Financial Sanctions",
    authority: "European Union (Council of the EU, European Commission)",
    url: "https://data.europa.eu/data/datasets/consolidated-list-of-persons-groups-and-entities-subject-to-eu-financial-sanctions",
    basis: &["Treaty on European Union, Article 29", "TFEU, Article 215"],
};

const JOURNAL_META: ListMeta = ListMeta {
    title: "EU restrictive measures against the DPRK (Regulation (EU) 2017/1509), Official Journal annexes",
    authority: "Council of the European Union",
    url: "https://eur-lex.europa.eu/eli/reg/2017/1509/oj",
    basis: &["Council Regulation (EU) 2017/1509"],
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layout {
    Journal,
    Fsf,
}

/// Tells the layout from the first line of the file.
fn layout(path: &Path) -> Result<Layout, ImportError> {
    let mut head = Vec::new();
    open(path)?
        .take(64 * 1024)
        .read_to_end(&mut head)
        .map_err(|e| ImportError::io(path, Some(1), e))?;
    let first = decode(head.split(|&b| b == b'\n').next().unwrap_or(&[])).into_owned();
    let first = first.trim_start_matches(['\u{feff}', '"']);
    if first.starts_with("celex,") {
        Ok(Layout::Journal)
    } else if first.contains("Entity_logical_id") {
        Ok(Layout::Fsf)
    } else {
        Err(ImportError::malformed(
            path,
            1,
            None,
            "neither an EU FSF legacy CSV (Date_file;Entity_logical_id;...) nor an Official Journal transcription (celex,recordId,...)",
        ))
    }
}

pub(crate) fn import(inputs: &[PathBuf], ctx: &mut Ctx<'_>) -> Result<Parsed, ImportError> {
    let mut entities = Parties::new("eu");
    let mut as_of: Option<String> = None;
    let mut journal = true;
    for path in inputs {
        match layout(path)? {
            Layout::Journal => read_journal(path, ctx, &mut entities)?,
            Layout::Fsf => {
                journal = false;
                if let Some(d) = read_fsf(path, ctx, &mut entities)? {
                    if as_of.as_deref().is_none_or(|a| d.as_str() < a) {
                        as_of = Some(d);
                    }
                }
            }
        }
    }
    Ok(Parsed {
        meta: if journal { JOURNAL_META } else { META },
        as_of,
        entities: entities.build(ctx)?,
    })
}

const FSF_REQUIRED: [&str; 4] = [
    "Entity_logical_id",
    "Subject_type",
    "Naal_wholename",
    "Date_file",
];

fn read_fsf(
    path: &Path,
    ctx: &mut Ctx<'_>,
    entities: &mut Parties,
) -> Result<Option<String>, ImportError> {
    let mut csv = CsvFile::open(path, b';')?;
    let Some(first) = csv.next_row()? else {
        return Err(ImportError::truncated(path, Some(1), "empty file"));
    };
    let wrapped = first.fields.len() == 1 && first.get(0).contains(';');
    let header = if wrapped { unwrap(&first) } else { Ok(first) }
        .map_err(|m| ImportError::malformed(path, 1, None, m))?;
    // Some exports head the first column `Date_filexxxx`.
    let mut named = header;
    named.fields = named
        .fields
        .into_iter()
        .map(|f| match f.trim() {
            name if name.starts_with("Date_file") => "Date_file".to_string(),
            _ => f,
        })
        .collect();
    let cols = Header::new(path, &named, &FSF_REQUIRED, "an EU FSF legacy CSV")?;
    let mut as_of = None;
    while let Some(outer) = csv.next_row()? {
        let line = outer.line;
        let row = if wrapped { unwrap(&outer) } else { Ok(outer) };
        let row = match row {
            Ok(r) if cols.fits(ctx, path, &r)? => r,
            Ok(_) => continue,
            Err(msg) => {
                ctx.bad_record(path, line, msg)?;
                continue;
            }
        };
        let c = |name: &str| cols.get(&row, name);
        let id = c("Entity_logical_id");
        if id.is_empty() {
            ctx.bad_record(path, row.line, "row without an Entity_logical_id")?;
            continue;
        }
        if as_of.is_none() {
            as_of = dmy_date(c("Date_file"));
        }
        let Some(e) = entities.entry(id, path, row.line) else {
            continue;
        };
        fsf_row(e, &c);
    }
    ctx.file_read(path, csv.records.saturating_sub(1));
    Ok(as_of)
}

/// The inner `;` record of a row that a spreadsheet wrapped into one quoted cell.
fn unwrap(outer: &Row) -> Result<Row, String> {
    let inner = outer.fields.first().map(String::as_str).unwrap_or("");
    let inner = inner.trim_end_matches(['\t', '\r', '\n']);
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .flexible(true)
        .from_reader(inner.as_bytes());
    let mut records = rdr.records();
    let record = match records.next() {
        Some(Ok(r)) => r,
        Some(Err(e)) => return Err(format!("wrapped row does not parse: {e}")),
        None => return Err("empty wrapped row".into()),
    };
    if records.next().is_some() {
        return Err("wrapped cell holds more than one row".into());
    }
    Ok(Row {
        line: outer.line,
        fields: record.iter().map(str::to_string).collect(),
    })
}

/// An FSF programme code as the journal layout writes it: `PRK` -> `EU-PRK`.
fn eu_program(code: &str) -> String {
    let code = code.trim();
    if code.is_empty() || code.starts_with("EU-") {
        code.to_string()
    } else {
        format!("EU-{code}")
    }
}

fn fsf_row<'r>(e: &mut EntityBuilder, c: &dyn Fn(&str) -> &'r str) {
    e.set_kind(if c("Subject_type").eq_ignore_ascii_case("P") {
        Kind::Person
    } else {
        Kind::Organization
    });
    e.program(&eu_program(c("Programme")));
    let remark = c("Entity_remark").replace("\\n", " ");
    e.remark(&remark);
    if let Some(d) = dmy_date(c("Leba_publication_date")) {
        e.listed(&d);
    }
    let reference = c("EU_ref_num");
    if !reference.is_empty() {
        e.remark(&format!("EU reference number {reference}"));
    }
    if !c("Naal_logical_id").is_empty() {
        let whole = c("Naal_wholename");
        let name = if whole.is_empty() {
            [
                c("Naal_firstname"),
                c("Naal_middlename"),
                c("Naal_lastname"),
            ]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
        } else {
            whole.to_string()
        };
        // The first name listed is the entity's name; the rest, spellings in other
        // languages among them, are aliases.
        e.name(&name);
        e.position(c("Naal_function"));
        let title = c("Naal_title");
        if !title.is_empty() {
            e.remark(&format!("Title: {title}"));
        }
    }
    if !c("Addr_logical_id").is_empty() {
        let country = c("Addr_country");
        let address = [
            c("Addr_number"),
            c("Addr_street"),
            c("Addr_zipcode"),
            c("Addr_city"),
            country,
            c("Addr_other"),
        ]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
        e.address(&address);
        e.country(country);
    }
    if !c("Birt_logical_id").is_empty() {
        let date = c("Birt_date");
        e.born(&dmy_date(date).unwrap_or_else(|| date.to_string()));
        let place = [c("Birt_place"), c("Birt_country")]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(", ");
        e.birthplace(&place);
    }
    if !c("Iden_logical_id").is_empty() {
        let text = c("Iden_number");
        let number = text.split_whitespace().next().unwrap_or("");
        let lower = text.to_lowercase();
        let scheme = if lower.contains("passport") {
            "passport"
        } else if lower.contains("id") {
            "national_id"
        } else {
            "document"
        };
        let mut note = text.to_string();
        let country = c("Iden_country");
        if !country.is_empty() {
            note.push_str(&format!("; {country}"));
        }
        e.identifier(scheme, number, Some(&note));
    }
    if !c("Citi_logical_id").is_empty() {
        e.nationality(c("Citi_country"));
    }
}

const JOURNAL_REQUIRED: [&str; 5] = ["celex", "recordId", "annex", "schema", "name"];

fn read_journal(path: &Path, ctx: &mut Ctx<'_>, entities: &mut Parties) -> Result<(), ImportError> {
    let mut csv = CsvFile::open(path, b',')?;
    let Some(header) = csv.next_row()? else {
        return Err(ImportError::truncated(path, Some(1), "empty file"));
    };
    let cols = Header::new(
        path,
        &header,
        &JOURNAL_REQUIRED,
        "an EU Official Journal transcription CSV",
    )?;
    while let Some(row) = csv.next_row()? {
        if !cols.fits(ctx, path, &row)? {
            continue;
        }
        let c = |name: &str| cols.get(&row, name);
        let (celex, annex) = (c("celex"), c("annex"));
        // Vessels added to an annex as a block carry no entry number; their IMO
        // number identifies them as well.
        let record = match (c("recordId"), c("imoNumber")) {
            ("", "") => String::new(),
            ("", imo) => format!("IMO{imo}"),
            (record, _) => record.to_string(),
        };
        if celex.is_empty() || record.is_empty() {
            ctx.bad_record(
                path,
                row.line,
                "row without celex, or without recordId and IMO number",
            )?;
            continue;
        }
        let id = if annex.is_empty() {
            format!("{celex}/{record}")
        } else {
            format!("{celex}/{annex}/{record}")
        };
        if entities.contains(&id) {
            ctx.bad_record(path, row.line, format!("entry {id} listed twice"))?;
            continue;
        }
        let Some(e) = entities.entry(&id, path, row.line) else {
            continue;
        };
        journal_row(e, &c);
    }
    ctx.file_read(path, csv.records.saturating_sub(1));
    Ok(())
}

fn journal_row<'r>(e: &mut EntityBuilder, c: &dyn Fn(&str) -> &'r str) {
    e.set_kind(match c("schema") {
        "Person" => Kind::Person,
        "Vessel" => Kind::Vessel,
        "Airplane" => Kind::Aircraft,
        _ => Kind::Organization,
    });
    let name = c("name");
    e.name(name);
    if c("schema") == "Vessel" {
        // "Chong Bong (Greenlight) (Blue Nouvelle)": the annex gives a vessel's other
        // names in parentheses.
        let mut parts = name
            .split(['(', ')'])
            .map(str::trim)
            .filter(|p| !p.is_empty());
        if let Some(first) = parts.next() {
            if first != name {
                e.alias(AliasRelation::Aka, Strength::Strong, first);
                for other in parts {
                    e.alias(AliasRelation::Aka, Strength::Strong, other);
                }
            }
        }
    }
    let multi = |name: &str| split_values(c(name), ";").collect::<Vec<_>>();
    for a in multi("alias") {
        e.alias(AliasRelation::Aka, Strength::Strong, a);
    }
    for a in multi("weakAlias") {
        e.alias(AliasRelation::Aka, Strength::Weak, a);
    }
    for a in multi("previousName") {
        e.alias(AliasRelation::Fka, Strength::Strong, a);
    }
    e.program(c("programKey"));
    if let Some(d) = dmy_date(c("startDate")) {
        e.listed(&d);
    }
    let annex = c("annex");
    let measure = c("measure");
    if !annex.is_empty() || !measure.is_empty() {
        e.remark(&format!("Annex {annex}: {measure}"));
    }
    e.remark(c("reason"));
    for v in multi("country")
        .into_iter()
        .chain(multi("jurisdiction"))
        .chain(multi("flag"))
    {
        e.country(v);
    }
    for v in multi("nationality") {
        e.nationality(v.trim_end_matches('.'));
    }
    for d in multi("birthDate") {
        e.born(&dmy_date(d).unwrap_or_else(|| d.to_string()));
    }
    for p in multi("birthPlace") {
        e.birthplace(p);
    }
    for p in multi("position") {
        e.position(p);
    }
    for (column, scheme) in [
        ("passportNumber", "passport"),
        ("registrationNumber", "registration"),
        ("taxNumber", "tax_id"),
        ("idNumber", "national_id"),
        ("innCode", "inn"),
        ("ogrnCode", "ogrn"),
        ("kppCode", "kpp"),
        ("okpoCode", "okpo"),
        ("leiCode", "lei"),
        ("swiftBic", "swift"),
        ("mmsi", "mmsi"),
        ("email", "email"),
        ("website", "website"),
    ] {
        for v in multi(column) {
            // `836110034 (diplomatic)`: the number, then what the annex says of it.
            match v.split_once(" (") {
                Some((number, note)) => {
                    e.identifier(scheme, number, Some(note.trim_end_matches(')')))
                }
                None => e.identifier(scheme, v, None),
            }
        }
    }
    for v in multi("imoNumber") {
        e.imo(v, None);
    }
    for a in multi("address") {
        e.address(a);
    }
    e.remark(c("notes"));
}
