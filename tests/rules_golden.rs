//! Golden tests of the rule language: valid rulesets compile to what they say, and
//! every file under `tests/fixtures/rules/diagnostics/` produces exactly the
//! diagnostics in its `.expected` file (regenerate with `UPDATE_GOLDEN=1 cargo test`).

use std::path::{Path, PathBuf};

use embargo::rules::ir::{Cond, EntityKind};
use embargo::rules::{load_paths, CompileOptions, Decision};

fn options() -> CompileOptions {
    // A fixed "today" keeps list-age warnings stable whatever the date of the run.
    CompileOptions {
        max_list_age_days: Some(365),
        today: Some("2026-11-23".to_string()),
    }
}

fn fixture(rel: &str) -> PathBuf {
    Path::new("tests/fixtures/rules").join(rel)
}

#[test]
fn valid_folder_compiles_with_resolved_references() {
    let checked = load_paths(&[fixture("valid/dprk-mini")], &options()).expect("readable");
    assert_eq!(checked.render_diagnostics(), "");
    let rs = checked.ruleset.expect("compiles");
    assert_eq!(rs.lists().len(), 2);
    assert_eq!(rs.entities().len(), 3);
    assert_eq!(rs.categories().len(), 3);
    assert_eq!(rs.rules().len(), 4);
    assert_eq!(rs.allows().len(), 1);
    assert!(rs.hash().starts_with("sha256:") && rs.hash().len() == 7 + 64);

    let komid = rs.entity("un:KPe.001").expect("KOMID");
    assert_eq!(komid.kind, EntityKind::Organization);
    assert_eq!(komid.aliases.len(), 4);
    assert_eq!(komid.countries, ["KP"]);
    assert_eq!(rs.lists()[komid.list].name, "un");
    // A list spelling of the country compiles to its ISO code.
    let kkbc = rs.entity("ofac-sdn:11581").expect("KKBC");
    assert_eq!(kkbc.countries, ["KP"]);
    let vessel = rs.entity("ofac-sdn:23729").expect("vessel");
    assert_eq!(vessel.identifiers[0].scheme, "imo");

    // EUR 450 at 1.17 USD/EUR.
    let rugs = rs.category("rugs").expect("rugs");
    assert!((rugs.threshold_usd.unwrap_or(0.0) - 526.5).abs() < 1e-9);
    assert_eq!(rs.place_sets()["dprk"].countries, ["KP", "KP"]);
    assert_eq!(rs.category_sets()["luxury_goods"].len(), 2);

    let rule = rs
        .rules()
        .iter()
        .find(|r| r.id == "luxury_via_hub")
        .expect("rule");
    assert_eq!(rule.decision, Decision::Review);
    let Cond::And(parts) = &rule.when else {
        panic!("expected a conjunction, got {:?}", rule.when);
    };
    assert_eq!(parts.len(), 3);
    assert!(matches!(&parts[2], Cond::Not(_)));
    // `tagged(luxury)` resolves to both luxury categories and not to coal.
    let Cond::GoodsIn(cats) = &parts[0] else {
        panic!("expected goods test");
    };
    let ids: Vec<&str> = cats
        .iter()
        .map(|i| rs.categories()[*i].id.as_str())
        .collect();
    assert_eq!(ids, ["luxury_vehicles", "rugs"]);
}

#[test]
fn includes_are_followed_once() {
    let checked = load_paths(&[fixture("valid/include/main.emb")], &options()).expect("readable");
    assert_eq!(checked.render_diagnostics(), "");
    assert_eq!(
        checked.sources.len(),
        2,
        "the twice-included file is read once"
    );
    let rs = checked.ruleset.expect("compiles");
    assert_eq!(rs.entity("demo:1").map(|e| e.aliases.len()), Some(2));
}

#[test]
fn the_hash_follows_the_content() {
    let a = load_paths(&[fixture("valid/dprk-mini")], &options()).expect("readable");
    let b = load_paths(&[fixture("valid/dprk-mini")], &options()).expect("readable");
    let c = load_paths(&[fixture("valid/include")], &options()).expect("readable");
    let hash = |x: &embargo::rules::Checked| x.ruleset.as_ref().map(|r| r.hash().to_string());
    assert_eq!(hash(&a), hash(&b));
    assert_ne!(hash(&a), hash(&c));
}

#[test]
fn diagnostics_match_golden_files() {
    let dir = fixture("diagnostics");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixture dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "emb"))
        .collect();
    files.sort();
    assert!(files.len() >= 5);
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut failures = Vec::new();
    for file in files {
        let checked = load_paths(std::slice::from_ref(&file), &options()).expect("readable");
        let actual = checked.render_diagnostics();
        let golden = file.with_extension("expected");
        if update {
            std::fs::write(&golden, &actual).expect("write golden");
            continue;
        }
        let expected = std::fs::read_to_string(&golden).unwrap_or_default();
        if actual != expected {
            failures.push(format!(
                "== {}\n-- expected\n{expected}\n-- actual\n{actual}",
                file.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
