//! An order is known by its id and its fingerprint (`order_hash`): `rescreen` screens
//! again an order edited under its id, and every reader of orders refuses a second
//! order with an id already met.

use std::path::Path;

use serde_json::Value;

#[path = "support/cli.rs"]
#[allow(dead_code)] // The shared helpers also serve tests of other files.
mod cli;
use cli::{arg, embargo, json_lines, stderr, temp_dir, text, BOOK, MINI};

/// The orders after the user's edits, under the same ids: PO-3's buyer is now a listed
/// bank (a full screen blocks it), PO-1's second party has a longer name and PO-4 goes
/// through Busan (neither changes a decision).
fn edited() -> String {
    BOOK.replace("Evergreen Textile Co", "Korea Kwangson Banking Corp")
        .replace("Sunrise Logistics\"", "Sunrise Logistics Pte Ltd\"")
        .replace(
            "\"route\":{\"vessel\"",
            "\"route\":{\"via\":[\"Busan\"],\"vessel\"",
        )
}

fn screen(orders: &Path, out: &Path) {
    let o = embargo(
        &["screen", "--rules", MINI, &arg(orders), "-o", &arg(out)],
        "",
    );
    assert!(o.status.success(), "{}", stderr(&o));
}

fn rescreen(previous: &Path, orders: &Path) -> std::process::Output {
    embargo(
        &[
            "rescreen",
            "--rules",
            MINI,
            "--previous",
            &arg(previous),
            &arg(orders),
        ],
        "",
    )
}

/// The decisions of a full screen of `orders` that differ from `before` (decision, or
/// the entities and categories hit), by id.
fn changed_by_full_screen(before: &Path, orders: &Path) -> Vec<Value> {
    let full = embargo(&["screen", "--rules", MINI, &arg(orders)], "");
    assert!(full.status.success(), "{}", stderr(&full));
    let before: Vec<Value> = std::fs::read_to_string(before)
        .expect("decisions")
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    let key = |d: &Value| {
        let mut hits: Vec<String> = d["hits"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|h| match h["kind"].as_str() {
                Some("entity") => Some(format!("e {}", h["entity"])),
                Some("goods") => Some(format!("g {}", h["category"])),
                _ => None,
            })
            .collect();
        hits.sort();
        hits.dedup();
        (d["decision"].to_string(), hits)
    };
    json_lines(&full)
        .into_iter()
        .filter(|now| {
            before
                .iter()
                .find(|b| b["id"] == now["id"])
                .is_none_or(|b| key(b) != key(now))
        })
        .collect()
}

/// A re-screen's line without what it adds to a decision.
fn decision_of(line: &Value) -> Value {
    let mut d = line.clone();
    if let Some(o) = d.as_object_mut() {
        o.remove("previous");
        o.remove("changes");
    }
    d
}

#[test]
fn decisions_carry_the_fingerprint_of_the_order_as_read() {
    let dir = temp_dir("order-hash");
    let orders = dir.join("orders.jsonl");
    std::fs::write(&orders, BOOK).expect("write");
    let before = dir.join("before.jsonl");
    screen(&orders, &before);
    let lines: Vec<Value> = std::fs::read_to_string(&before)
        .expect("decisions")
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    let hashes: Vec<&str> = lines
        .iter()
        .filter_map(|d| d["order_hash"].as_str())
        .collect();
    assert_eq!(hashes.len(), 5);
    assert!(hashes
        .iter()
        .all(|h| h.len() == 71 && h.starts_with("sha256:")));
    // The same orders written otherwise (keys reordered, blank space, a number as
    // text) hash alike; the edited ones do not.
    let respaced = BOOK.replace(
        r#"{"id":"PO-5","parties":[{"name":"KOMID","country":"KP"}]}"#,
        r#"{ "parties": [ {"country": "KP", "name": "KOMID", "address": null} ], "id": "PO-5" }"#,
    );
    assert_ne!(respaced, BOOK);
    for (text, same) in [
        (respaced, [true; 5]),
        (edited(), [false, true, false, false, true]),
    ] {
        let file = dir.join("other.jsonl");
        std::fs::write(&file, text).expect("write");
        let again = embargo(&["screen", "--rules", MINI, &arg(&file)], "");
        let now: Vec<bool> = json_lines(&again)
            .iter()
            .zip(&lines)
            .map(|(a, b)| a["order_hash"] == b["order_hash"])
            .collect();
        assert_eq!(now, same);
    }
}

#[test]
fn rescreen_screens_again_an_order_edited_under_its_id() {
    let dir = temp_dir("order-edited");
    let orders = dir.join("orders.jsonl");
    std::fs::write(&orders, BOOK).expect("write");
    let before = dir.join("before.jsonl");
    screen(&orders, &before);
    let edited_orders = dir.join("edited.jsonl");
    std::fs::write(&edited_orders, edited()).expect("write");

    // The rules are the same: only the edits can change a decision, and only PO-3's
    // does. The edits that change nothing are screened again and not written.
    let out = rescreen(&before, &edited_orders);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let lines = json_lines(&out);
    let expected = changed_by_full_screen(&before, &edited_orders);
    assert_eq!(
        expected.iter().map(|d| &d["id"]).collect::<Vec<_>>(),
        ["PO-3"]
    );
    assert_eq!(lines.len(), 1, "{}", text(&out.stdout));
    assert_eq!(decision_of(&lines[0]), expected[0]);
    assert_eq!(lines[0]["decision"], "block");
    assert_eq!(lines[0]["previous"]["decision"], "clear");
    assert_eq!(
        lines[0]["changes"][0]["text"],
        "the order changed since its previous decision (another order_hash)"
    );
    let err = stderr(&out);
    assert!(err.contains("screened 3 again"), "{err}");
    assert!(
        err.contains("3 because the order changed since its previous decision"),
        "{err}"
    );

    // Unedited, nothing is screened again.
    let out = rescreen(&before, &orders);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    assert!(
        stderr(&out).contains("screened 0 again"),
        "{}",
        stderr(&out)
    );

    // The same orders as CSV, against decisions made from CSV: the same answer.
    let csv = |jsonl: &str| -> String {
        let mut out = String::from("id,party1_name,party1_country,party2_name,party2_country,goods_description,vessel,imo,via\n");
        for l in jsonl.lines() {
            let o: Value = serde_json::from_str(l).expect("json");
            let party = |k: usize, f: &str| o["parties"][k][f].as_str().unwrap_or("").to_string();
            let route = |f: &str| o["route"][f].as_str().unwrap_or("").to_string();
            let via = o["route"]["via"][0].as_str().unwrap_or("").to_string();
            let goods = o["goods"][0]["description"]
                .as_str()
                .unwrap_or("")
                .to_string();
            out.push_str(&format!(
                "{},{},{},{},{},{},{},{},{}\n",
                o["id"].as_str().unwrap_or(""),
                party(0, "name"),
                party(0, "country"),
                party(1, "name"),
                party(1, "country"),
                goods,
                route("vessel"),
                route("imo"),
                via
            ));
        }
        out
    };
    let (orders_csv, edited_csv) = (dir.join("orders.csv"), dir.join("edited.csv"));
    std::fs::write(&orders_csv, csv(BOOK)).expect("write");
    std::fs::write(&edited_csv, csv(&edited())).expect("write");
    let before_csv = dir.join("before-csv.jsonl");
    screen(&orders_csv, &before_csv);
    // A CSV row and the JSON line of one order are one order, with one fingerprint.
    assert_eq!(
        std::fs::read_to_string(&before_csv).expect("decisions"),
        std::fs::read_to_string(&before).expect("decisions")
    );
    let out = rescreen(&before_csv, &edited_csv);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let csv_lines = json_lines(&out);
    assert_eq!(csv_lines, lines);
}

#[test]
fn decisions_without_a_fingerprint_screen_every_order_again() {
    let dir = temp_dir("order-hash-old");
    let orders = dir.join("orders.jsonl");
    std::fs::write(&orders, BOOK).expect("write");
    let before = dir.join("before.jsonl");
    screen(&orders, &before);
    // Decisions as a version before fingerprints wrote them.
    let old: String = std::fs::read_to_string(&before)
        .expect("decisions")
        .lines()
        .map(|l| {
            let mut d: Value = serde_json::from_str(l).expect("json");
            d.as_object_mut().map(|o| o.remove("order_hash"));
            format!("{d}\n")
        })
        .collect();
    let old_before = dir.join("old-before.jsonl");
    std::fs::write(&old_before, old).expect("write");
    let edited_orders = dir.join("edited.jsonl");
    std::fs::write(&edited_orders, edited()).expect("write");

    let out = rescreen(&old_before, &edited_orders);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("screened 5 again"), "{err}");
    assert!(
        err.contains("5 because previous decision has no order_hash"),
        "{err}"
    );
    let written: Vec<Value> = json_lines(&out).iter().map(decision_of).collect();
    assert_eq!(written, changed_by_full_screen(&before, &edited_orders));
    assert!(json_lines(&out)[0]["changes"][0]["text"]
        .as_str()
        .is_some_and(|t| t.contains("no order_hash")));
    // Unedited orders against them: all screened again, none written.
    let out = rescreen(&old_before, &orders);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    assert!(
        stderr(&out).contains("screened 5 again"),
        "{}",
        stderr(&out)
    );
}

/// `orders` with PO-2 again on a third line, with another party.
fn with_duplicate(orders: &str) -> String {
    let mut lines: Vec<&str> = orders.lines().collect();
    lines.insert(
        2,
        r#"{"id":"PO-2","parties":[{"name":"Sunrise Logistics","country":"SG"}]}"#,
    );
    lines.join("\n") + "\n"
}

#[test]
fn a_second_order_with_one_id_is_rejected_by_line() {
    let dir = temp_dir("order-duplicate");
    let orders = dir.join("orders.jsonl");
    std::fs::write(&orders, with_duplicate(BOOK)).expect("write");
    let errors = dir.join("errors.jsonl");
    let out = embargo(
        &[
            "screen",
            "--rules",
            MINI,
            "--errors",
            &arg(&errors),
            &arg(&orders),
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let ids: Vec<Value> = json_lines(&out).iter().map(|d| d["id"].clone()).collect();
    assert_eq!(ids, ["PO-1", "PO-2", "PO-3", "PO-4", "PO-5"]);
    // The first PO-2 keeps its decision: the listed bank blocks it.
    assert_eq!(json_lines(&out)[1]["decision"], "block");
    let message = "duplicate order id `PO-2`, first on line 2";
    assert!(
        stderr(&out).contains(&format!("line 3 (order PO-2): {message}")),
        "{}",
        stderr(&out)
    );
    let logged: Value =
        serde_json::from_str(std::fs::read_to_string(&errors).expect("errors").trim())
            .expect("one JSON line");
    assert_eq!(
        logged,
        serde_json::json!({"line": 3, "id": "PO-2", "error": message})
    );

    // CSV, a row per order after the header: the duplicate is on line 4.
    let csv = dir.join("orders.csv");
    std::fs::write(
        &csv,
        "id,buyer_name,buyer_country\nA-1,Acme,CN\nA-2,KOMID,KP\nA-1,Sunrise Logistics,SG\n",
    )
    .expect("write");
    let out = embargo(&["screen", "--rules", MINI, &arg(&csv)], "");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(
        json_lines(&out)
            .iter()
            .map(|d| d["id"].clone())
            .collect::<Vec<_>>(),
        ["A-1", "A-2"]
    );
    assert!(
        stderr(&out).contains("line 4 (order A-1): duplicate order id `A-1`, first on line 2"),
        "{}",
        stderr(&out)
    );

    // A rejected record takes no id: a later order may have it.
    let bad_first = "{\"id\":\"B-1\",\"goods\":[{\"value\":\"ten\"}]}\n{\"id\":\"B-1\",\"route\":{\"destination\":\"CN\"}}\n";
    let out = embargo(&["screen", "--rules", MINI], bad_first);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(json_lines(&out).len(), 1);
    assert!(!stderr(&out).contains("duplicate"), "{}", stderr(&out));
}

#[test]
fn rescreen_rejects_a_duplicate_order_and_screens_again_an_id_with_two_decisions() {
    let dir = temp_dir("rescreen-duplicate");
    let orders = dir.join("orders.jsonl");
    std::fs::write(&orders, BOOK).expect("write");
    let before = dir.join("before.jsonl");
    screen(&orders, &before);

    // A second order with one id: rejected as `screen` rejects it, and the others kept.
    let doubled = dir.join("doubled.jsonl");
    std::fs::write(&doubled, with_duplicate(BOOK)).expect("write");
    let out = rescreen(&before, &doubled);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(out.stdout.is_empty(), "{}", text(&out.stdout));
    assert!(
        stderr(&out).contains("line 3 (order PO-2): duplicate order id `PO-2`, first on line 2"),
        "{}",
        stderr(&out)
    );

    // Two decisions for PO-2: which one it was screened to is not known, so it has
    // none. Both lines are named; the order is screened again and written.
    let text_before = std::fs::read_to_string(&before).expect("decisions");
    let mut lines: Vec<&str> = text_before.lines().collect();
    let po2 = lines[1];
    let other = po2.replace("\"decision\":\"block\"", "\"decision\":\"clear\"");
    assert_ne!(other, po2);
    lines.insert(2, &other);
    let twice = dir.join("twice.jsonl");
    std::fs::write(&twice, lines.join("\n") + "\n").expect("write");
    for orders in [&orders, &dir.join("orders.csv")] {
        if orders.extension().is_some_and(|e| e == "csv") {
            std::fs::write(
                orders,
                "id,party1_name,party1_country\nPO-2,Korea Kwangson Banking Corp,KP\n",
            )
            .expect("write");
        }
        let out = rescreen(&twice, orders);
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert!(
            stderr(&out)
                .contains("line 3 (order PO-2): order PO-2 already has a decision (line 2)"),
            "{}",
            stderr(&out)
        );
        let lines = json_lines(&out);
        assert_eq!(lines.len(), 1, "{}", text(&out.stdout));
        assert_eq!(lines[0]["id"], "PO-2");
        assert_eq!(lines[0]["decision"], "block");
        assert_eq!(lines[0]["previous"], Value::Null);
    }

    // Read in step with the orders, a second decision after the last order's comes
    // too late to screen its order again: it is named, and the exit code says so.
    let after = dir.join("after.jsonl");
    std::fs::write(&after, format!("{text_before}{other}\n")).expect("write");
    let out = rescreen(&after, &orders);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("line 6 (order PO-2): order PO-2 already has a decision, the one its order (line 2 of the orders) was compared with"),
        "{}",
        stderr(&out)
    );
}
