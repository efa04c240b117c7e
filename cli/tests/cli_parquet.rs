//! End-to-end tests of Parquet in `embargo screen` (issue 26): orders in the flat
//! layout of CSV files, read a record batch at a time, rejected rows reported by
//! number with every other row screened, and decisions written as Parquet with the
//! columns of the Python package's `screen_arrow`.

use std::path::Path;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, RecordBatch, StringArray};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::ArrowWriter;
use serde_json::{json, Value};

#[path = "support/cli.rs"]
#[allow(dead_code)] // The shared helpers also serve tests of other files.
mod cli;
use cli::{arg, embargo, json_lines, root, temp_dir, MINI};

fn write_parquet(path: &Path, batch: &RecordBatch) {
    let file = std::fs::File::create(path).expect("create");
    let mut w = ArrowWriter::try_new(file, batch.schema(), None).expect("writer");
    w.write(batch).expect("write");
    w.close().expect("close");
}

/// Text columns, as a CSV file converted to Parquet has them.
fn text_batch(header: &[&str], rows: &[&[&str]]) -> RecordBatch {
    let columns: Vec<(String, ArrayRef)> = header
        .iter()
        .enumerate()
        .map(|(k, h)| {
            let values: Vec<Option<&str>> = rows
                .iter()
                .map(|r| r.get(k).copied().filter(|v| !v.is_empty()))
                .collect();
            (
                h.to_string(),
                Arc::new(StringArray::from(values)) as ArrayRef,
            )
        })
        .collect();
    RecordBatch::try_from_iter(columns).expect("batch")
}

const HEADER: &[&str] = &[
    "id",
    "buyer_name",
    "buyer_country",
    "goods_description",
    "goods_hs",
    "goods_value",
    "destination",
    "via",
];
const ROWS: &[&[&str]] = &[
    &[
        "P1",
        "Korea Kwangson Banking Corp",
        "KP",
        "rice",
        "1006.30",
        "1000",
        "KP",
        "",
    ],
    &[
        "P2",
        "Lyon Spirits SARL",
        "FR",
        "Hennessy XO cognac; Rolex watch",
        "2208.20;9101.11",
        "96000;5,000",
        "CN",
        "Dalian;Dandong",
    ],
    &["P3", "Acme Ltd", "CN", "cognac", "", "ten", "CN", ""],
    &[
        "P4",
        "Acme Ltd",
        "CN",
        "tractor parts",
        "8708.99",
        "12000",
        "VN",
        "Haiphong",
    ],
];

#[test]
fn parquet_orders_are_read_as_the_same_csv_is() {
    let dir = temp_dir("csv");
    let csv_path = dir.join("orders.csv");
    let mut csv = HEADER.join(",") + "\n";
    for r in ROWS {
        let cells: Vec<String> = r.iter().map(|c| format!("\"{c}\"")).collect();
        csv += &(cells.join(",") + "\n");
    }
    std::fs::write(&csv_path, csv).expect("csv");
    let pq_path = dir.join("orders.parquet");
    write_parquet(&pq_path, &text_batch(HEADER, ROWS));

    let from_csv = embargo(&["screen", "--rules", MINI, &arg(&csv_path)], "");
    let from_pq = embargo(&["screen", "--rules", MINI, &arg(&pq_path)], "");
    let stderr = String::from_utf8_lossy(&from_pq.stderr).into_owned();
    assert_eq!(from_csv.status.code(), Some(2));
    assert_eq!(from_pq.status.code(), Some(2), "{stderr}");
    // The third row is rejected by its row number, with the field at fault.
    assert!(
        stderr.contains("row 3 (order P3): goods[0].value `ten` is not a number"),
        "{stderr}"
    );
    assert!(String::from_utf8_lossy(&from_csv.stderr).contains("line 4 (order P3)"));
    let decisions = json_lines(&from_pq);
    assert_eq!(decisions, json_lines(&from_csv));
    let ids: Vec<&str> = decisions.iter().filter_map(|d| d["id"].as_str()).collect();
    assert_eq!(ids, ["P1", "P2", "P4"]);
    assert_eq!(decisions[0]["decision"], "block");
}

/// One decision line rebuilt from a row of a decisions file.
fn rebuilt(batch: &RecordBatch, row: usize) -> Value {
    let text = |name: &str| -> Option<String> {
        let c = batch.column_by_name(name).expect(name).as_string::<i32>();
        (!c.is_null(row)).then(|| c.value(row).to_string())
    };
    let parsed = |name: &str| -> Value {
        text(name).map_or(Value::Null, |t| serde_json::from_str(&t).expect("JSON"))
    };
    let mut d = json!({
        "id": text("id"),
        "decision": text("decision"),
        "hits": parsed("hits"),
        "ruleset": text("ruleset"),
        "order_hash": text("order_hash"),
        "engine": text("engine"),
        "settings": parsed("settings"),
        "lists": parsed("lists"),
    });
    if let Some(allowed) = text("allowed") {
        d["allowed"] = serde_json::from_str(&allowed).expect("JSON");
    }
    d
}

fn list(batch: &RecordBatch, name: &str, row: usize) -> Vec<String> {
    let l = batch.column_by_name(name).expect(name).as_list::<i32>();
    let v = l.value(row);
    let s = v.as_string::<i32>();
    (0..s.len()).map(|i| s.value(i).to_string()).collect()
}

#[test]
fn decisions_written_as_parquet_hold_every_decision_line() {
    let dir = temp_dir("out");
    // Orders in the layout `orders_to_arrow` writes: list columns for parties and goods.
    let text = std::fs::read_to_string(root().join("examples/data/orders.jsonl")).expect("orders");
    let orders: Vec<embargo::Order> = text
        .lines()
        .map(|l| embargo::Order::from_json(l).expect("order"))
        .collect();
    let pq_in = dir.join("orders.parquet");
    write_parquet(
        &pq_in,
        &embargo::io::arrow::orders_batch(&orders).expect("batch"),
    );
    let pq_out = dir.join("decisions.parquet");

    let jsonl = embargo(&["screen", "examples/data/orders.jsonl"], "");
    assert_eq!(jsonl.status.code(), Some(0));
    let expected = json_lines(&jsonl);
    let out = embargo(&["screen", &arg(&pq_in), "-o", &arg(&pq_out)], "");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty());

    let file = std::fs::File::open(&pq_out).expect("decisions file");
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)
        .expect("parquet")
        .build()
        .expect("reader");
    let mut got = Vec::new();
    for batch in reader {
        let batch = batch.expect("batch");
        for row in 0..batch.num_rows() {
            let d = rebuilt(&batch, row);
            let hits = d["hits"].as_array().cloned().unwrap_or_default();
            let rules: Vec<String> = hits
                .iter()
                .filter_map(|h| h["rule"].as_str().map(String::from))
                .fold(Vec::new(), |mut v, r| {
                    if !v.contains(&r) {
                        v.push(r);
                    }
                    v
                });
            assert_eq!(list(&batch, "rules", row), rules);
            let entities: Vec<String> = hits
                .iter()
                .filter_map(|h| h["entity"].as_str().map(String::from))
                .fold(Vec::new(), |mut v, r| {
                    if !v.contains(&r) {
                        v.push(r);
                    }
                    v
                });
            assert_eq!(list(&batch, "entities", row), entities);
            got.push(d);
        }
    }
    assert_eq!(got.len(), expected.len());
    for (g, e) in got.iter().zip(&expected) {
        assert_eq!(g, e);
    }
    assert!(got.iter().any(|d| d["decision"] == "block"));
}

#[test]
fn what_parquet_cannot_be_is_refused_before_screening() {
    let dir = temp_dir("refused");
    let pq = dir.join("orders.parquet");
    write_parquet(&pq, &text_batch(&["id", "destinaton"], &[&["A", "KP"]]));
    let out = embargo(&["screen", "--rules", MINI, &arg(&pq)], "");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr.contains("unknown column `destinaton`: did you mean `destination`?"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());

    let good = dir.join("good.parquet");
    write_parquet(&good, &text_batch(&["id", "destination"], &[&["A", "KP"]]));
    let bytes = std::fs::read(&good).expect("read");
    let piped = embargo(
        &["screen", "--rules", MINI, "--format", "parquet", "-"],
        &String::from_utf8_lossy(&bytes),
    );
    assert_eq!(piped.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&piped.stderr).contains("Parquet is read from a file"));

    let to_stdout = embargo(
        &[
            "screen",
            "--rules",
            MINI,
            "--output-format",
            "parquet",
            "-o",
            "-",
            &arg(&good),
        ],
        "",
    );
    assert_eq!(to_stdout.status.code(), Some(1));
    // `-o -` stays JSON lines whatever the input.
    let jsonl = embargo(&["screen", "--rules", MINI, "-o", "-", &arg(&good)], "");
    assert_eq!(jsonl.status.code(), Some(0));
    assert_eq!(json_lines(&jsonl)[0]["id"], "A");
}

/// A Parquet row is checked as a CSV row or a JSON line is: a date of birth that is
/// no date or a country that is none rejects the row, with its number and field.
#[test]
fn parquet_values_are_checked_as_csv_cells_are() {
    let dir = temp_dir("values");
    let pq = dir.join("orders.parquet");
    write_parquet(
        &pq,
        &text_batch(
            &[
                "id",
                "buyer_name",
                "buyer_dob",
                "buyer_country",
                "destination",
            ],
            &[
                &["P1", "Kim Tong Un", "1984-13-45", "", ""],
                &["P2", "Ocean Star Ltd", "", "XX", ""],
                &["P3", "Ocean Star Ltd", "", "SG", "ZZ"],
                &["P4", "Ocean Star Ltd", "1970", "SG", "Nampo"],
            ],
        ),
    );
    let out = embargo(&["screen", "--rules", MINI, &arg(&pq)], "");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    let ids: Vec<Value> = json_lines(&out).iter().map(|d| d["id"].clone()).collect();
    assert_eq!(ids, [json!("P4")], "{stderr}");
    for needle in [
        "row 1 (order P1): parties[0].dob: `1984-13-45` is not a date of birth",
        "row 2 (order P2): parties[0].country: `XX` is not a country",
        "row 3 (order P3): route.destination: `ZZ` looks like a country code",
    ] {
        assert!(stderr.contains(needle), "{needle}\n{stderr}");
    }
}
