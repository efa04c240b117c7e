//! The HTML report in a real browser: Debian's Chromium, headless, driven by
//! playwright-core (`cli/tests/browser/check-report.mjs`; `npm ci --prefix
//! cli/tests/browser` installs it, never a browser of its own). The page must render
//! with no console error and no request leaving the file, show the counts of the
//! decisions file, filter the worklist on a decision to exactly the orders with that
//! decision, page it, and highlight the evidence of an order. A screenshot is written
//! to `target/report-screenshot.png`.
//!
//! Skipped, with a message, only when Chromium is not installed.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

#[path = "support/cli.rs"]
#[allow(dead_code)] // The shared helpers also serve tests of other rules.
mod cli;
use cli::{embargo, json_lines, root};

fn chromium() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("CHROMIUM").map(PathBuf::from),
        Some(PathBuf::from("/usr/bin/chromium")),
        Some(PathBuf::from("/usr/bin/chromium-browser")),
    ];
    candidates.into_iter().flatten().find(|p| p.is_file())
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// The labelled dev orders without their labels (`expect`, `why`), which no order has.
fn dev_orders(dir: &Path) -> PathBuf {
    let labelled = std::fs::read_to_string(root().join("tests/fixtures/orders/orders-dev.jsonl"))
        .expect("labelled orders");
    let mut text = String::new();
    for line in labelled.lines() {
        let mut o: Value = serde_json::from_str(line).expect("JSON");
        if let Some(m) = o.as_object_mut() {
            m.remove("expect");
            m.remove("why");
        }
        text.push_str(&format!("{o}\n"));
    }
    let path = dir.join("orders-dev.jsonl");
    std::fs::write(&path, text).expect("write orders");
    path
}

/// Decisions of the labelled dev orders with the shipped rules, repeated under new ids
/// until there are `n`, so that the worklist has several pages.
fn decisions(dir: &Path, n: usize) -> PathBuf {
    let orders = dev_orders(dir);
    let out = embargo(&["screen", s(&orders)], "");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let base = json_lines(&out);
    let mut text = String::new();
    for k in 0..n {
        let mut d = base[k % base.len()].clone();
        let id = format!("{}-{}", d["id"].as_str().unwrap_or("?"), k / base.len());
        d["id"] = Value::from(id);
        text.push_str(&d.to_string());
        text.push('\n');
    }
    let path = dir.join("decisions.jsonl");
    std::fs::write(&path, text).expect("write decisions");
    path
}

#[test]
fn the_report_renders_counts_filters_and_highlights_in_chromium() {
    let Some(browser) = chromium() else {
        eprintln!(
            "skipped: Chromium is not installed (apt-get install -y chromium chromium-driver), \
             so the report was not opened in a browser"
        );
        return;
    };
    let driver = root().join("cli/tests/browser");
    assert!(
        driver.join("node_modules/playwright-core").is_dir(),
        "Chromium is installed but playwright-core is not: run `npm ci --prefix cli/tests/browser`"
    );
    let dir = root().join("target/test-report-browser");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    let decisions = decisions(&dir, 360);
    let html = dir.join("report.html");
    let out = embargo(&["report", s(&decisions), "-o", s(&html)], "");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // What the file holds, counted here apart from the report.
    let mut counts = std::collections::BTreeMap::<String, u64>::new();
    for line in std::fs::read_to_string(&decisions).expect("read").lines() {
        let d: Value = serde_json::from_str(line).expect("json");
        *counts
            .entry(d["decision"].as_str().unwrap_or("").to_string())
            .or_default() += 1;
    }
    let count = |k: &str| counts.get(k).copied().unwrap_or(0);
    assert!(count("block") > 50 && count("review") > 0 && count("clear") > 0);

    let shot = root().join("target/report-screenshot.png");
    let exported = dir.join("dispositions.emb");
    let run = Command::new("node")
        .arg(driver.join("check-report.mjs"))
        .arg(&html)
        .arg(&shot)
        .arg("block")
        .arg(&exported)
        .env("CHROMIUM", &browser)
        .output()
        .expect("node runs");
    assert!(
        run.status.success(),
        "the browser script failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let seen: Value = serde_json::from_slice(&run.stdout).expect("the script's JSON line");

    assert_eq!(seen["errors"], serde_json::json!([]), "console errors");
    assert_eq!(
        seen["requests"],
        serde_json::json!([]),
        "requests outside the file"
    );
    assert_eq!(seen["counts"]["total"], 360);
    assert_eq!(seen["counts"]["block"], count("block"));
    assert_eq!(seen["counts"]["review"], count("review"));
    assert_eq!(seen["counts"]["clear"], count("clear"));
    assert_eq!(seen["counts"]["totalText"], "360");
    assert_eq!(seen["charts"], 5);
    // The worklist: every order held or blocked, 50 to a page.
    let worklist = count("block") + count("review");
    assert_eq!(seen["rowsAll"], worklist);
    assert_eq!(seen["pageRowsAll"], 50);
    assert_eq!(
        seen["pageInfoAll"],
        format!("page 1 of {}", worklist.div_ceil(50))
    );
    // Filtered on block: exactly the blocked orders, and only those on the page.
    assert_eq!(seen["rowsFiltered"], count("block"));
    assert_eq!(seen["pageRowsFiltered"], 50.min(count("block")));
    assert_eq!(seen["decisionsShown"], serde_json::json!(["block"]));
    assert_eq!(
        seen["page2"],
        format!("page 2 of {}", count("block").div_ceil(50))
    );
    // Sorted by best score, highest first.
    let scores: Vec<f64> = seen["scoresSorted"]
        .as_array()
        .expect("scores")
        .iter()
        .filter_map(|s| s.as_str().and_then(|s| s.parse().ok()))
        .collect();
    assert!(
        !scores.is_empty() && scores.windows(2).all(|w| w[0] >= w[1]),
        "{scores:?}"
    );
    // The first order's evidence: its matched words marked in the party's name, the
    // rule's legal basis, the listed entity's details.
    let detail = &seen["detail"];
    assert!(
        detail["marks"].as_array().is_some_and(|m| !m.is_empty()),
        "{detail}"
    );
    assert!(detail["basis"].as_u64().is_some_and(|b| b > 0), "{detail}");
    assert!(
        detail["entities"].as_u64().is_some_and(|e| e > 0),
        "{detail}"
    );
    assert!(detail["text"]
        .as_str()
        .is_some_and(|t| t.contains("Legal basis")));
    assert!(shot.is_file(), "the screenshot is written");

    // Dispositions: nothing to export at first; a form that refuses a record without a
    // reason and a name; then an allow file that embargo accepts and honours.
    assert_eq!(seen["exportDisabled"], true);
    assert_eq!(seen["disposeForm"], 1, "{seen}");
    assert_eq!(seen["refused"], "Give a reason and your name.");
    // The first order is blocked: its blocking hit is not ticked for clearing at first.
    assert!(
        seen["ticked"]
            .as_array()
            .is_some_and(|t| t.contains(&serde_json::Value::Bool(false))),
        "{seen}"
    );
    assert!(
        seen["recorded"]
            .as_str()
            .is_some_and(|t| t.contains("cleared")),
        "{seen}"
    );
    assert!(
        seen["exportLabel"]
            .as_str()
            .is_some_and(|t| t.starts_with("Export dispositions (")),
        "{seen}"
    );
    assert!(
        seen["exportName"]
            .as_str()
            .is_some_and(|n| n.ends_with(".emb")),
        "{seen}"
    );
    let text = std::fs::read_to_string(&exported).expect("the exported allow file");
    assert!(text.contains("by \"r.browser\""), "{text}");
    assert!(
        text.contains("because \"false positive: different date of birth \\\"1961\\\"\""),
        "{text}"
    );
    let fmt = embargo(&["fmt", "--check", s(&exported)], "");
    assert!(
        fmt.status.success(),
        "{}",
        String::from_utf8_lossy(&fmt.stderr)
    );
    let again = embargo(
        &[
            "screen",
            "--add-rules",
            s(&exported),
            s(&dir.join("orders-dev.jsonl")),
        ],
        "",
    );
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    let cleared: Vec<String> = json_lines(&again)
        .iter()
        .flat_map(|d| d["allowed"].as_array().cloned().unwrap_or_default())
        .filter_map(|a| a["cleared"].as_str().map(str::to_string))
        .collect();
    assert!(
        cleared
            .iter()
            .any(|c| c.starts_with("cleared by r.browser on ")
                && c.ends_with(
                    "reason: false positive: different date of birth \"1961\", until 2099-12-31"
                )),
        "{cleared:?}"
    );
}
