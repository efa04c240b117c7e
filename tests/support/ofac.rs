//! Loads the OFAC SDN CSV files (sdn.csv + alt.csv) as indexed names, for the
//! evaluation test and the benchmark. Only used when the files exist.

use std::collections::HashMap;
use std::path::Path;

use embargo::matching::IndexedName;
use embargo::rules::ir::EntityKind;

/// Listed names of the OFAC SDN list: primary names, aliases (alt.csv) and the weak
/// aliases quoted in remarks (`a.k.a. 'KOMID'`). Returns names and entity ids.
pub fn load_sdn(sdn: &Path, alt: &Path) -> Option<(Vec<IndexedName>, Vec<String>)> {
    let mut ids: Vec<String> = Vec::new();
    let mut by_ent: HashMap<String, (u32, EntityKind)> = HashMap::new();
    let mut names = Vec::new();
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_path(sdn)
        .ok()?;
    for rec in rdr.records().flatten() {
        let (Some(ent), Some(name)) = (rec.get(0), rec.get(1)) else {
            continue;
        };
        let kind = match rec.get(2).map(str::trim) {
            Some("individual") => EntityKind::Person,
            Some("vessel") => EntityKind::Vessel,
            Some("aircraft") => EntityKind::Aircraft,
            _ => EntityKind::Organization,
        };
        let idx = ids.len() as u32;
        ids.push(format!("ofac-sdn:{}", ent.trim()));
        by_ent.insert(ent.trim().to_string(), (idx, kind));
        names.push(IndexedName::new(idx, name, kind));
        let remarks = rec.get(11).unwrap_or("");
        let mut rest = remarks;
        while let Some(pos) = rest.find("a.k.a. '") {
            rest = &rest[pos + 8..];
            let end = rest
                .match_indices('\'')
                .find(|(i, _)| {
                    matches!(
                        rest[i + 1..].chars().next(),
                        None | Some(';' | '.' | ',' | ')' | ' ')
                    )
                })
                .map(|(i, _)| i);
            if let Some(end) = end {
                let mut n = IndexedName::new(idx, &rest[..end], kind);
                n.weak = true;
                names.push(n);
                rest = &rest[end..];
            }
        }
    }
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_path(alt)
        .ok()?;
    for rec in rdr.records().flatten() {
        let (Some(ent), Some(name)) = (rec.get(0), rec.get(3)) else {
            continue;
        };
        if let Some(&(idx, kind)) = by_ent.get(ent.trim()) {
            names.push(IndexedName::new(idx, name, kind));
        }
    }
    Some((names, ids))
}
