//! Imports every list file of the shared data folder, round-trips the result through
//! the canonical printer and the parser, and holds the shipped lists (`rules/lists/`)
//! to what the importer makes of their sources today. The folder is not part of the
//! repository, so the test is ignored by default: run it with the folder in
//! `EMBARGO_LIST_DATA` (the regenerate script's default is `../shared/data`):
//! `EMBARGO_LIST_DATA=../shared/data cargo test --release --test import_full -- --ignored`.

use std::path::{Path, PathBuf};

use embargo::import::{import, render, Format, ImportOptions, Imported};
use embargo::rules::{parser, print, FileId};

/// The data folder; a run without it fails, since it was asked for.
fn data() -> PathBuf {
    let Some(dir) = std::env::var_os("EMBARGO_LIST_DATA").map(PathBuf::from) else {
        panic!("set EMBARGO_LIST_DATA to the folder of the official list files");
    };
    assert!(
        dir.is_dir(),
        "EMBARGO_LIST_DATA: {} is not a folder",
        dir.display()
    );
    dir
}

fn run(format: Format, files: &[&str], as_of: Option<&str>) -> Imported {
    let dir = data();
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
    assert!(s.entities > 0, "{format} {files:?}: no entity imported");
    imported
}

/// The shipped list `rules/lists/{name}` is what the importer makes of its sources.
fn assert_shipped(name: &str, imported: &Imported) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("rules/lists")
        .join(name);
    let shipped = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert!(
        render(imported) == shipped,
        "rules/lists/{name} differs from a fresh import: run scripts/regenerate-lists.sh"
    );
}

#[test]
#[ignore = "needs the official list files in EMBARGO_LIST_DATA (not in the repository)"]
fn whole_files_import_and_round_trip() {
    let sdn = run(
        Format::OfacSdn,
        &[
            "ofac/sdn-2024-05.csv",
            "ofac/alt-2025-12.csv",
            "ofac/add-2025-12.csv",
        ],
        Some("2024-05-03"),
    );
    assert_shipped("ofac-sdn.emb", &sdn);
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
    let cons = run(
        Format::OfacCons,
        &[
            "ofac/cons-2025-12/cons_prim.csv",
            "ofac/cons-2025-12/cons_alt.csv",
            "ofac/cons-2025-12/cons_add.csv",
            "ofac/cons-2025-12/cons_comments.csv",
        ],
        Some("2025-12-24"),
    );
    assert_shipped("ofac-cons.emb", &cons);
    let un = run(Format::Un, &["un/consolidated-2026-02-27.xml"], None);
    assert_shipped("un.emb", &un);
    let eu = run(
        Format::Eu,
        &["eu/eu-journal-2017-1509-dprk.csv"],
        Some("2026-08-01"),
    );
    assert_shipped("eu-dprk.emb", &eu);
    run(Format::Eu, &["eu/fsf-legacy-sample-2018.csv"], None);
    run(Format::Uk, &["uk/conlist-2018-04.csv"], None);
    run(
        Format::Csl,
        &["csl/consolidated-2022-05.csv.gz"],
        Some("2022-05-01"),
    );
    run(Format::Ftm, &["ftm/sample.ftm.json"], None);
}
