//! Bad input fails loudly: truncated files are errors whatever the options, a
//! malformed record is an error naming its line, or (with `skip_bad`) a counted skip.

use std::path::{Path, PathBuf};

use embargo::import::{import, Format, ImportOptions};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/lists")
        .join(name)
}

/// A scratch folder of this test process.
fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("embargo-import-{}-{test}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write scratch file");
    path
}

fn read(name: &str) -> Vec<u8> {
    std::fs::read(fixture(name)).expect("fixture")
}

fn dated() -> ImportOptions {
    ImportOptions {
        as_of: Some("2021-07-01".into()),
        ..ImportOptions::default()
    }
}

fn skipping() -> ImportOptions {
    ImportOptions {
        skip_bad: true,
        ..dated()
    }
}

#[test]
fn csv_cut_mid_row_is_truncated() {
    let dir = scratch("csv-cut");
    let sdn = read("ofac-sdn-2021-07/sdn.csv");
    // Inside the last record's quoted remarks, and inside its last unquoted field.
    for cut in [sdn.len() - 40, sdn.len() - 4] {
        let path = write(&dir, "sdn.csv", &sdn[..cut]);
        for opts in [dated(), skipping()] {
            let err = import(Format::OfacSdn, std::slice::from_ref(&path), &opts)
                .expect_err("a cut file must not import");
            assert!(err.is_truncated(), "{err}");
            assert!(
                err.to_string().starts_with(&path.display().to_string()),
                "{err}"
            );
        }
    }
}

#[test]
fn csv_cut_between_rows_is_truncated() {
    // A user trial: the first 5,000 lines of a 14,965-row sdn.csv imported cleanly, and
    // the entity count written with them made `check` vouch for the cut list. Only
    // OFAC's end-of-file mark tells a whole file from one cut after a row.
    let dir = scratch("csv-cut-rows");
    let sdn = read("ofac-sdn-2021-07/sdn.csv");
    assert_eq!(
        sdn.last(),
        Some(&0x1a),
        "the fixture ends as OFAC's files do"
    );
    let text = String::from_utf8(sdn.clone()).expect("ascii");
    let rows: Vec<&str> = text.split_inclusive("\r\n").collect();
    let cut = rows[..rows.len() / 2].concat();
    let path = write(&dir, "sdn.csv", cut.as_bytes());
    for opts in [dated(), skipping()] {
        let err = import(Format::OfacSdn, std::slice::from_ref(&path), &opts)
            .expect_err("a file cut between rows must not import");
        assert!(err.is_truncated(), "{err}");
        assert!(err.to_string().contains("end-of-file mark (0x1A)"), "{err}");
    }
    // The whole file, and the same rows with the mark, import.
    let whole = write(&dir, "sdn.csv", &sdn);
    import(Format::OfacSdn, std::slice::from_ref(&whole), &dated()).expect("whole file");
    let marked = write(&dir, "sdn.csv", format!("{cut}\u{1a}").as_bytes());
    import(Format::OfacSdn, std::slice::from_ref(&marked), &dated()).expect("marked rows");
}

#[test]
fn xml_cut_mid_element_is_truncated() {
    let dir = scratch("xml-cut");
    let xml = read("un-consolidated-2026-02-27.xml");
    for cut in [xml.len() / 2, xml.len() - 30, xml.len() - 3] {
        let path = write(&dir, "un.xml", &xml[..cut]);
        let err = import(Format::Un, std::slice::from_ref(&path), &skipping())
            .expect_err("a cut file must not import");
        assert!(err.is_truncated(), "cut at {cut}: {err}");
    }
}

#[test]
fn gzip_cut_short_is_truncated() {
    let dir = scratch("gz-cut");
    let gz = read("csl-excerpt-2022-05.csv.gz");
    for cut in [gz.len() / 2, gz.len() - 4] {
        let path = write(&dir, "csl.csv.gz", &gz[..cut]);
        let err = import(Format::Csl, std::slice::from_ref(&path), &skipping())
            .expect_err("a cut file must not import");
        assert!(err.is_truncated(), "cut at {cut}: {err}");
    }
}

#[test]
fn jsonl_cut_mid_object_is_truncated() {
    let dir = scratch("json-cut");
    let json = read("sample.ftm.json");
    let path = write(&dir, "cut.ftm.json", &json[..json.len() - 20]);
    let err = import(Format::Ftm, std::slice::from_ref(&path), &skipping())
        .expect_err("a cut file must not import");
    assert!(err.is_truncated(), "{err}");
}

#[test]
fn malformed_row_fails_with_its_line_or_is_skipped_and_counted() {
    let dir = scratch("bad-row");
    let mut sdn = read("ofac-sdn-2021-07/sdn.csv");
    // A third record with too few fields, and a fifth whose ent_num is not a number.
    let text = String::from_utf8(sdn.clone()).expect("ascii");
    let mut lines: Vec<String> = text.split("\r\n").map(str::to_string).collect();
    if let Some(l) = lines.get_mut(2) {
        *l = "999,\"BROKEN ROW\",-0- ".to_string();
    }
    if let Some(l) = lines.get_mut(4) {
        *l = l.replacen(|c: char| c.is_ascii_digit(), "X", 1);
    }
    sdn = lines.join("\r\n").into_bytes();
    let path = write(&dir, "sdn.csv", &sdn);

    let err = import(Format::OfacSdn, std::slice::from_ref(&path), &dated())
        .expect_err("a malformed row fails the import");
    assert!(err.is_malformed(), "{err}");
    assert_eq!(err.line(), Some(3), "{err}");
    assert!(
        err.to_string().contains(":3: expected 12 fields, found 3"),
        "{err}"
    );

    let ok =
        import(Format::OfacSdn, std::slice::from_ref(&path), &skipping()).expect("skip_bad skips");
    let lines: Vec<u64> = ok.stats.skipped.iter().map(|s| s.line).collect();
    assert_eq!(lines, [3, 5]);
    assert_eq!(ok.stats.entities, 9);
}

#[test]
fn malformed_xml_record_is_skipped_with_its_line() {
    let dir = scratch("bad-xml");
    let xml = String::from_utf8(read("un-consolidated-2026-02-27.xml")).expect("utf-8");
    let broken = xml.replacen("<REFERENCE_NUMBER>CDi.003</REFERENCE_NUMBER>", "", 1);
    assert_ne!(broken, xml);
    let path = write(&dir, "un.xml", broken.as_bytes());
    let err = import(
        Format::Un,
        std::slice::from_ref(&path),
        &ImportOptions::default(),
    )
    .expect_err("a record without reference number fails");
    assert!(err.is_malformed() && err.line().is_some(), "{err}");
    let ok = import(
        Format::Un,
        std::slice::from_ref(&path),
        &ImportOptions {
            skip_bad: true,
            ..ImportOptions::default()
        },
    )
    .expect("skip_bad skips");
    assert_eq!(ok.stats.skipped.len(), 1);
    assert_eq!(ok.stats.entities, 7);
}

#[test]
fn a_list_without_date_needs_as_of() {
    let err = import(
        Format::OfacSdn,
        &[fixture("ofac-sdn-2021-07/sdn.csv")],
        &ImportOptions::default(),
    )
    .expect_err("OFAC CSV carries no date");
    assert!(
        err.is_usage() && err.to_string().contains("--as-of"),
        "{err}"
    );
    let err = import(
        Format::Un,
        &[fixture("un-consolidated-2026-02-27.xml")],
        &ImportOptions {
            as_of: Some("27/02/2026".into()),
            ..ImportOptions::default()
        },
    )
    .expect_err("a bad --as-of");
    assert!(err.is_usage(), "{err}");
}

#[test]
fn formats_by_name() {
    for f in Format::ALL {
        assert_eq!(f.name().parse::<Format>().ok(), Some(f));
    }
    assert!("ofac".parse::<Format>().is_err());
}

#[test]
fn error_types_are_send_and_sync() {
    fn is<T: Send + Sync + 'static>() {}
    is::<embargo::import::ImportError>();
    is::<embargo::import::Imported>();
}
