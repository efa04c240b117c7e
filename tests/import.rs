//! The importers on small excerpts of the real list files (`tests/fixtures/lists/`):
//! exact counts of what each excerpt holds, spot checks of known entries, the printed
//! rules round-tripping through the parser and passing the compiler, and bad input
//! failing loudly.

use std::path::{Path, PathBuf};

use embargo::import::{import, render, Format, ImportOptions, Imported};
use embargo::rules::ast::{AliasRelation, Entity, Item, Strength};
use embargo::rules::{load_str, parser, CompileOptions, FileId};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/lists")
        .join(name)
}

fn opts(as_of: Option<&str>) -> ImportOptions {
    ImportOptions {
        as_of: as_of.map(str::to_string),
        ..ImportOptions::default()
    }
}

/// Imports, then checks that the printed rules parse back to the same tree and
/// compile without errors.
fn imported(format: Format, files: &[&str], as_of: Option<&str>) -> Imported {
    let inputs: Vec<PathBuf> = files.iter().map(|f| fixture(f)).collect();
    let imported = import(format, &inputs, &opts(as_of)).unwrap_or_else(|e| panic!("{e}"));
    let text = render(&imported);
    let (parsed, errors) = parser::parse(FileId(0), &text);
    assert!(errors.is_empty(), "{format}: {errors:?}");
    assert_eq!(
        parsed, imported.file,
        "{format}: print -> parse changed the tree"
    );
    let checked = load_str("imported.emb", &text, &CompileOptions::default());
    assert_eq!(
        checked.error_count(),
        0,
        "{format}: {}",
        checked.render_diagnostics()
    );
    imported
}

/// (entities, aliases, addresses, identifiers, skipped, unmatched, empty)
fn counts(i: &Imported) -> (usize, usize, usize, usize, usize, usize, usize) {
    let s = &i.stats;
    (
        s.entities,
        s.aliases,
        s.addresses,
        s.identifiers,
        s.skipped.len(),
        s.unmatched,
        s.empty,
    )
}

fn records(i: &Imported) -> Vec<usize> {
    i.stats.files.iter().map(|f| f.records).collect()
}

fn entity<'a>(i: &'a Imported, id: &str) -> &'a Entity {
    i.file
        .items
        .iter()
        .find_map(|item| match item {
            Item::Entity(e) if e.id.to_string() == id => Some(e),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no entity {id}"))
}

fn name(e: &Entity) -> &str {
    e.name.as_ref().map(|n| n.value.as_str()).unwrap_or("")
}

fn values(v: &[embargo::rules::ast::Text]) -> Vec<&str> {
    v.iter().map(|t| t.value.as_str()).collect()
}

fn ids(e: &Entity) -> Vec<(String, String)> {
    e.identifiers
        .iter()
        .map(|i| (i.scheme.name.clone(), i.value.value.clone()))
        .collect()
}

fn has_alias(e: &Entity, alias: &str, relation: AliasRelation, strength: Strength) -> bool {
    e.aliases
        .iter()
        .any(|a| a.name.value == alias && a.relation == relation && a.strength == strength)
}

fn list_as_of(i: &Imported) -> String {
    match i.file.items.first() {
        Some(Item::List(l)) => l
            .as_of
            .as_ref()
            .map(|d| d.value.clone())
            .unwrap_or_default(),
        _ => panic!("the first item is not the list"),
    }
}

const SDN_2021: [&str; 4] = [
    "ofac-sdn-2021-07/sdn.csv",
    "ofac-sdn-2021-07/alt.csv",
    "ofac-sdn-2021-07/add.csv",
    "ofac-sdn-2021-07/sdn_comments.csv",
];

#[test]
fn ofac_sdn_csv() {
    let i = imported(Format::OfacSdn, &SDN_2021, Some("2021-07-01"));
    // 11 sdn rows; 13 alt rows, one for an ent_num not in sdn.csv; 28 add rows, 3 of
    // them `-0-` only; 2 comment rows. Aliases: 12 from alt.csv plus 4 low-quality
    // ones from the remarks. Identifiers: from remarks (passports, IMO, SWIFT, ...).
    assert_eq!(records(&i), [11, 2, 13, 28]);
    assert_eq!(counts(&i), (11, 16, 25, 29, 0, 1, 3));
    assert_eq!(list_as_of(&i), "2021-07-01");

    let komid = entity(&i, "ofac-sdn:9345");
    assert_eq!(name(komid), "KOREA MINING DEVELOPMENT TRADING CORPORATION");
    assert_eq!(
        komid.kind.as_ref().map(|k| k.name.as_str()),
        Some("organization")
    );
    assert_eq!(values(&komid.programs), ["NPWMD", "DPRK2"]);
    assert!(has_alias(
        komid,
        "KOMID",
        AliasRelation::Aka,
        Strength::Weak
    ));
    assert!(has_alias(
        komid,
        "CHANGGWANG SINYONG CORPORATION",
        AliasRelation::Aka,
        Strength::Strong
    ));
    assert_eq!(values(&komid.countries), ["KP", "CN", "RU", "IR", "SY"]);
    assert_eq!(komid.addresses.len(), 5);

    let kkbc = entity(&i, "ofac-sdn:11581");
    assert_eq!(name(kkbc), "KOREA KWANGSON BANKING CORP");
    assert!(has_alias(
        kkbc,
        "KKBC",
        AliasRelation::Aka,
        Strength::Strong
    ));
    assert_eq!(
        values(&kkbc.addresses),
        ["Jungson-dong, Sungri Street, Central District, Pyongyang, Korea, North"]
    );

    // Listed under NPWMD, not a DPRK program: only a whole-list import keeps it.
    let dandong = entity(&i, "ofac-sdn:20564");
    assert_eq!(
        name(dandong),
        "DANDONG HONGXIANG INDUSTRIAL DEVELOPMENT CO LTD"
    );
    assert_eq!(values(&dandong.programs), ["NPWMD"]);

    let vessel = entity(&i, "ofac-sdn:17069");
    assert_eq!(name(vessel), "CHONG CHON GANG");
    assert_eq!(
        vessel.kind.as_ref().map(|k| k.name.as_str()),
        Some("vessel")
    );
    assert_eq!(ids(vessel), [("imo".to_string(), "7937317".to_string())]);
    assert_eq!(values(&vessel.countries), ["KP"]);

    let ri = entity(&i, "ofac-sdn:18668");
    assert_eq!(values(&ri.born), ["1970-04-12"]);
    assert_eq!(
        ids(ri).iter().filter(|(s, _)| s == "passport").count(),
        3,
        "{:?}",
        ids(ri)
    );

    // Its remarks run past 1000 characters and end in sdn_comments.csv.
    let li = entity(&i, "ofac-sdn:28264");
    let remark = &li.remarks.first().expect("remark").value;
    assert!(
        remark.contains("alt. Phone Number 8618004121000"),
        "{remark}"
    );
    assert!(remark.ends_with("Linked To: LAZARUS GROUP."), "{remark}");
    assert!(has_alias(
        li,
        "blackjack1987",
        AliasRelation::Aka,
        Strength::Weak
    ));

    // An IMO number that fails its check digit is kept, not passed off as one.
    let bad_imo = entity(&i, "ofac-sdn:19569");
    assert_eq!(
        ids(bad_imo).first().map(|(s, _)| s.as_str()),
        Some("imo_unverified")
    );
}

#[test]
fn ofac_sdn_xml() {
    let i = imported(Format::OfacSdn, &["sdn-sample.xml"], None);
    assert_eq!(records(&i), [2]);
    assert_eq!(counts(&i), (2, 2, 1, 1, 0, 0, 0));
    assert_eq!(list_as_of(&i), "2024-05-03");
    let komid = entity(&i, "ofac-sdn:9345");
    assert!(has_alias(
        komid,
        "KOMID",
        AliasRelation::Aka,
        Strength::Weak
    ));
    assert_eq!(values(&komid.countries), ["KP"]);
    let vessel = entity(&i, "ofac-sdn:17069");
    assert_eq!(ids(vessel), [("imo".to_string(), "7937317".to_string())]);
}

#[test]
fn ofac_consolidated() {
    let i = imported(
        Format::OfacCons,
        &[
            "ofac-cons-2025-12/cons_prim.csv",
            "ofac-cons-2025-12/cons_alt.csv",
            "ofac-cons-2025-12/cons_add.csv",
            "ofac-cons-2025-12/cons_comments.csv",
        ],
        Some("2025-12-24"),
    );
    assert_eq!(records(&i), [4, 2, 11, 9]);
    assert_eq!(counts(&i), (4, 12, 7, 9, 0, 0, 2));
    assert_eq!(
        name(entity(&i, "ofac-cons:9639")),
        "HANIYA, Ismail Abdul Salah"
    );
}

#[test]
fn un_consolidated() {
    let i = imported(Format::Un, &["un-consolidated-2026-02-27.xml"], None);
    assert_eq!(records(&i), [8]);
    assert_eq!(counts(&i), (8, 24, 9, 4, 0, 0, 0));
    assert_eq!(list_as_of(&i), "2026-02-27");
    let komid = entity(&i, "un:KPe.001");
    assert_eq!(name(komid), "KOREA MINING DEVELOPMENT TRADING CORPORATION");
    assert_eq!(values(&komid.programs), ["UN 1718", "DPRK"]);
    assert!(has_alias(
        komid,
        "KOMID",
        AliasRelation::Aka,
        Strength::Strong
    ));
    assert_eq!(
        komid.listed.as_ref().map(|d| d.value.as_str()),
        Some("2009-04-24")
    );
    let ri = entity(&i, "un:KPi.033");
    assert_eq!(name(ri), "RI WON HO");
    assert_eq!(values(&ri.nationalities), ["KP"]);
    assert_eq!(ids(ri), [("passport".to_string(), "381310014".to_string())]);
    let omm = entity(&i, "un:KPe.020");
    assert_eq!(
        ids(omm),
        [("imo_company".to_string(), "1790183".to_string())]
    );
    // Low-quality aliases are weak.
    let cdi = entity(&i, "un:CDi.003");
    assert!(has_alias(cdi, "Rumuli", AliasRelation::Aka, Strength::Weak));
}

#[test]
fn eu_official_journal() {
    let i = imported(
        Format::Eu,
        &["eu-journal-2017-1509-excerpt.csv"],
        Some("2026-08-01"),
    );
    assert_eq!(records(&i), [9]);
    assert_eq!(counts(&i), (9, 17, 5, 8, 0, 0, 0));
    let yun = entity(&i, "eu:32017R1509/XIII.A/1");
    assert_eq!(name(yun), "Yun Ho-jin");
    assert_eq!(values(&yun.born), ["1944-10-13"]);
    assert_eq!(
        yun.listed.as_ref().map(|d| d.value.as_str()),
        Some("2009-07-16")
    );
    // Vessels added as a block have no entry number: their IMO number stands in.
    let vessel = entity(&i, "eu:32017R1509/XIII.B/IMO7937317");
    assert_eq!(name(vessel), "Tong Hung San (Chong Chon Gang)");
    assert!(has_alias(
        vessel,
        "Chong Chon Gang",
        AliasRelation::Aka,
        Strength::Strong
    ));
    assert_eq!(ids(vessel), [("imo".to_string(), "7937317".to_string())]);
}

#[test]
fn eu_fsf_legacy() {
    // Rows wrapped whole in one quoted cell by a spreadsheet, Windows-1252 text.
    let i = imported(Format::Eu, &["fsf-legacy-excerpt-2018.csv"], None);
    assert_eq!(records(&i), [21]);
    assert_eq!(counts(&i), (3, 2, 0, 3, 0, 0, 0));
    assert_eq!(list_as_of(&i), "2018-07-04");
    let mugabe = entity(&i, "eu:1");
    assert_eq!(name(mugabe), "Robert Gabriel Mugabe");
    assert_eq!(values(&mugabe.born), ["1924-02-21"]);
    assert_eq!(
        ids(mugabe),
        [("passport".to_string(), "AD001095".to_string())]
    );
}

#[test]
fn uk_conlist() {
    let i = imported(Format::Uk, &["conlist-excerpt-2018-04-13.csv"], None);
    // 22 name rows in 3 groups.
    assert_eq!(records(&i), [22]);
    assert_eq!(counts(&i), (3, 11, 2, 3, 0, 0, 0));
    assert_eq!(list_as_of(&i), "2018-04-13");
    let ship = entity(&i, "uk:13556");
    assert_eq!(name(ship), "TONG SAN 2");
    assert_eq!(ship.kind.as_ref().map(|k| k.name.as_str()), Some("vessel"));
    assert_eq!(
        ids(ship),
        [
            ("imo".to_string(), "8937675".to_string()),
            ("mmsi".to_string(), "445539000".to_string())
        ]
    );
    let komid = entity(&i, "uk:10892");
    assert_eq!(name(komid), "KOREA MINING DEVELOPMENT TRADING CORPORATION");
    assert!(has_alias(
        komid,
        "KOMID",
        AliasRelation::Aka,
        Strength::Strong
    ));
}

#[test]
fn csl_gzip() {
    let i = imported(
        Format::Csl,
        &["csl-excerpt-2022-05.csv.gz"],
        Some("2022-05-01"),
    );
    // 6 rows, two of them one party on two lists.
    assert_eq!(records(&i), [6]);
    assert_eq!(counts(&i), (5, 10, 8, 2, 0, 0, 0));
    let komid = entity(&i, "csl:9345");
    assert!(values(&komid.programs).contains(&"SDN"));
    // The CSL lists KOMID among the alternate names, so it stays a strong alias.
    assert!(has_alias(
        komid,
        "KOMID",
        AliasRelation::Aka,
        Strength::Strong
    ));
    let merged = entity(&i, "csl:34616");
    assert!(values(&merged.programs).contains(&"CAP"));
    assert!(values(&merged.programs).contains(&"SDN"));
    let vessel = entity(&i, "csl:17069");
    assert_eq!(ids(vessel), [("imo".to_string(), "7937317".to_string())]);
}

#[test]
fn followthemoney() {
    let i = imported(Format::Ftm, &["sample.ftm.json"], None);
    // 7 lines: 6 parties and one Address entity.
    assert_eq!(records(&i), [7]);
    assert_eq!(counts(&i), (6, 29, 0, 2, 0, 0, 0));
    let inter = entity(&i, "ftm:NK-2GdmHtZTeNXjNVrBGEXZNj");
    assert_eq!(name(inter), "RAB „Inter Tobacco“");
    assert!(has_alias(
        inter,
        "Общество с ограниченной ответственностью “Интер Тобако”",
        AliasRelation::Aka,
        Strength::Strong
    ));
    assert_eq!(values(&inter.countries), ["BY"]);
}
