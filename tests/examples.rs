//! Every example runs and prints what it promises.

use std::process::Command;

fn run_example(name: &str) -> String {
    let out = Command::new(env!("CARGO"))
        .args(["run", "--quiet", "--release", "--example", name])
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn custom_rules_example() {
    let out = run_example("custom_rules");
    assert!(out.contains("rule pianos_to_dprk -> block"), "{out}");
    assert!(out.contains("entity house:42: SUNRISE PACIFIC TRADING LIMITED (1 alias)"));
    assert!(out.contains("custom.emb:"), "{out}");
    assert!(out.contains("did you mean `pianos`?"), "{out}");
}

#[test]
fn screen_order_example() {
    let out = run_example("screen_order");
    assert!(out.starts_with("PO-1: block"), "{out}");
    assert!(out.contains("dprk_listed_party (block)"), "{out}");
    // OFAC's entry, as the hit or one of the party's other entries.
    assert!(out.contains("\"ofac-sdn:11581\""), "{out}");
    assert!(out.contains("luxury_goods_to_dprk (block)"), "{out}");
    assert!(out.contains("ruleset sha256:"), "{out}");
}

#[test]
fn batch_csv_example() {
    let out = run_example("batch_csv");
    let ids: Vec<String> = out
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .map(|d| {
            format!(
                "{} {}",
                d["id"].as_str().unwrap_or(""),
                d["decision"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert_eq!(
        ids,
        ["CSV-1 clear", "CSV-2 block", "CSV-3 clear", "CSV-4 block"]
    );
}

#[test]
fn import_and_screen_example() {
    let out = run_example("import_and_screen");
    assert!(out.contains("imported 8 entities"), "{out}");
    assert!(
        out.contains("A Korea Mining Development Trading Corp.: block un:KPe.001"),
        "{out}"
    );
    assert!(
        out.contains("B Ocean Maritime Management Co Ltd: block un:KPe.020"),
        "{out}"
    );
    assert!(
        out.contains("C Nanjing Garden Furniture Co., Ltd.: clear"),
        "{out}"
    );
}

#[test]
fn web_handler_example() {
    let out = run_example("web_handler");
    assert!(out.starts_with("HTTP/1.1 200 OK"), "{out}");
    assert!(out.contains("\"WEB-1\" \"block\""), "{out}");
    let listed = out
        .lines()
        .find(|l| l.contains("\"dprk_listed_party\" \"parties[0].name\""))
        .unwrap_or_default();
    assert!(listed.contains("\"un:KPe.020\""), "{out}");
}
