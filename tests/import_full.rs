//! Imports every list file of the shared data folder and round-trips the result
//! through the canonical printer and the parser. The folder is not part of the
//! repository: set `EMBARGO_LIST_DATA` to it (the regenerate script does); without it
//! these tests pass without doing anything.

use std::path::{Path, PathBuf};

use embargo::import::{import, Format, ImportOptions, Imported};
use embargo::rules::{parser, print, FileId};

fn data() -> Option<PathBuf> {
    let dir = PathBuf::from(std::env::var_os("EMBARGO_LIST_DATA")?);
    dir.is_dir().then_some(dir)
}

fn run(format: Format, files: &[&str], as_of: Option<&str>) -> Option<Imported> {
    let dir = data()?;
    let inputs: Vec<PathBuf> = files.iter().map(|f| dir.join(f)).collect();
    let opts = ImportOptions {
        as_of: as_of.map(str::to_string),
        ..ImportOptions::default()
    };
    let imported = import(format, &inputs, &opts).unwrap_or_else(|e| panic!("{e}"));
    let s = &imported.stats;
    eprintln!(
        "{format} {files:?}: {} entities, {} aliases, {} addresses, {} identifiers, {} skipped, {} unmatched; records {:?}; notes {:?}",
        s.entities,
        s.aliases,
        s.addresses,
        s.identifiers,
        s.skipped.len(),
        s.unmatched,
        s.files.iter().map(|f| f.records).collect::<Vec<_>>(),
        s.notes
    );
    let text = print::print_file(&imported.file);
    let (parsed, errors) = parser::parse(FileId(0), &text);
    assert!(errors.is_empty(), "{format}: {:?}", errors.first());
    assert!(
        parsed == imported.file,
        "{format}: print -> parse changed the tree"
    );
    Some(imported)
}

fn check(path: &Path) -> bool {
    path.exists()
}

#[test]
fn whole_files_import_and_round_trip() {
    let Some(dir) = data() else { return };
    assert!(check(&dir));
    run(
        Format::OfacSdn,
        &[
            "ofac/sdn-2024-05.csv",
            "ofac/alt-2025-12.csv",
            "ofac/add-2025-12.csv",
        ],
        Some("2024-05-03"),
    );
    run(
        Format::OfacSdn,
        &[
            "ofac/sdn-2021-07/sdn.csv",
            "ofac/sdn-2021-07/alt.csv",
            "ofac/sdn-2021-07/add.csv",
            "ofac/sdn-2021-07/sdn_comments.csv",
        ],
        Some("2021-07-01"),
    );
    run(
        Format::OfacCons,
        &[
            "ofac/cons-2025-12/cons_prim.csv",
            "ofac/cons-2025-12/cons_alt.csv",
            "ofac/cons-2025-12/cons_add.csv",
            "ofac/cons-2025-12/cons_comments.csv",
        ],
        Some("2025-12-24"),
    );
    run(Format::Un, &["un/consolidated-2026-02-27.xml"], None);
    run(
        Format::Eu,
        &["eu/eu-journal-2017-1509-dprk.csv"],
        Some("2026-08-01"),
    );
    run(Format::Eu, &["eu/fsf-legacy-sample-2018.csv"], None);
    run(Format::Uk, &["uk/conlist-2018-04.csv"], None);
    run(
        Format::Csl,
        &["csl/consolidated-2022-05.csv.gz"],
        Some("2022-05-01"),
    );
    run(Format::Ftm, &["ftm/sample.ftm.json"], None);
}
