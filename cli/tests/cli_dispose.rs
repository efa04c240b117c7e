//! End-to-end tests of dispositions: `embargo dispose` writes an `allow` item from a
//! decision under review; screening with it honours it for the whole linked party and
//! reports who cleared it; an expired one stops applying and says so; a broken allow
//! file is refused with FILE:LINE:COL and left as it was.

use std::path::{Path, PathBuf};

use serde_json::Value;

#[path = "support/cli.rs"]
#[allow(dead_code)] // The shared helpers also serve tests of other files.
mod cli;
use cli::{arg, embargo, json_lines, stderr, temp_dir};

/// Two entries of one real party (a shared registration number) on two lists.
const RULES: &str = r#"
list un { title "UN" as_of "2026-02-27" }
list ofac-sdn { title "SDN" as_of "2026-02-27" }
entity un:KPe.001 {
  kind organization
  name "KOREA KUMRYONG TRADING COMPANY"
  country KP
  program "UN 1718"
  identifier registration "KKTC-123456"
}
entity ofac-sdn:9345 {
  kind organization
  name "KOREA KUMRYONG TRADING COMPANY"
  country KP
  program DPRK
  identifier registration "KKTC-123456"
}
rule listed {
  basis "UNSCR 1718 (2006)"
  when party matches list(un, ofac-sdn) score >= 0.7
  then review "A party resembles a listed one"
}
"#;

const ORDERS: &str = r#"{"id":"PO-1","parties":[{"role":"buyer","name":"Kumryong Trading Co","country":"KR"}]}
{"id":"PO-2","parties":[{"role":"buyer","name":"Sunrise Logistics","country":"KR"}]}
"#;

/// The rules, orders and their first decisions (reviews) in a fresh folder.
fn setup(name: &str) -> (PathBuf, PathBuf, PathBuf, PathBuf) {
    let (dir, rules, orders, decisions) = setup_with(name, RULES);
    let first = std::fs::read_to_string(&decisions).expect("decisions");
    assert!(first.contains(r#""decision":"review""#), "{first}");
    (dir, rules, orders, decisions)
}

/// `rules`, the orders and their first decisions in a fresh folder.
fn setup_with(name: &str, rules_text: &str) -> (PathBuf, PathBuf, PathBuf, PathBuf) {
    setup_orders(name, rules_text, ORDERS)
}

/// `rules`, `orders` and their first decisions in a fresh folder.
fn setup_orders(
    name: &str,
    rules_text: &str,
    orders_text: &str,
) -> (PathBuf, PathBuf, PathBuf, PathBuf) {
    let dir = temp_dir(name);
    let rules = dir.join("rules.emb");
    std::fs::write(&rules, rules_text).expect("rules");
    let orders = dir.join("orders.jsonl");
    std::fs::write(&orders, orders_text).expect("orders");
    let decisions = dir.join("decisions.jsonl");
    let out = embargo(
        &[
            "screen",
            "--rules",
            &arg(&rules),
            &arg(&orders),
            "-o",
            &arg(&decisions),
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    (dir, rules, orders, decisions)
}

fn screen_with(rules: &Path, allow: &Path, orders: &Path) -> Vec<Value> {
    let out = embargo(
        &[
            "screen",
            "--rules",
            &arg(rules),
            "--rules",
            &arg(allow),
            &arg(orders),
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    json_lines(&out)
}

#[test]
fn a_cleared_review_is_honoured_for_the_linked_party_and_reported() {
    let (dir, rules, orders, decisions) = setup("honoured");
    let allow = dir.join("dispositions.emb");
    let out = embargo(
        &[
            "dispose",
            "--rules",
            &arg(&rules),
            "--decisions",
            &arg(&decisions),
            "--order",
            "PO-1",
            "--reason",
            "false positive: a Seoul trading firm, different registration",
            "--by",
            "j.doe",
            "--on",
            "2026-12-01",
            "--until",
            "2099-12-31",
            "-o",
            &arg(&allow),
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = std::fs::read_to_string(&allow).expect("allow file");
    // Both entries of the party, the name as screened, who, when, why, until when.
    assert!(
        text.contains("entity ofac-sdn:9345, un:KPe.001\n")
            || text.contains("entity un:KPe.001, ofac-sdn:9345\n"),
        "{text}"
    );
    for needle in [
        "name \"Kumryong Trading Co\"",
        "by \"j.doe\"",
        "on \"2026-12-01\"",
        "expires \"2099-12-31\"",
    ] {
        assert!(text.contains(needle), "{needle} in {text}");
    }
    // The file is in canonical form.
    let fmt = embargo(&["fmt", "--check", &arg(&allow)], "");
    assert_eq!(fmt.status.code(), Some(0), "{}", stderr(&fmt));

    let now = screen_with(&rules, &allow, &orders);
    assert_eq!(now[0]["decision"], "clear", "{}", now[0]);
    let allowed = now[0]["allowed"].as_array().expect("allowed");
    // One record per real party, not one per list entry.
    assert_eq!(allowed.len(), 1, "{}", now[0]);
    assert_eq!(
        allowed[0]["cleared"],
        "cleared by j.doe on 2026-12-01, reason: false positive: a Seoul trading firm, different registration, until 2099-12-31"
    );
    assert_eq!(now[1]["decision"], "clear");

    // A second disposition of the same hit gets an id of its own.
    let again = embargo(
        &[
            "dispose",
            "--rules",
            &arg(&rules),
            "--entity",
            "un:KPe.001",
            "--name",
            "Kumryong Trading Co",
            "--reason",
            "re-reviewed",
            "--by",
            "a.smith",
            "--on",
            "2026-12-01",
            "-o",
            &arg(&allow),
        ],
        "",
    );
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    let check = embargo(
        &["check", "--rules", &arg(&rules), "--rules", &arg(&allow)],
        "",
    );
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    let text = std::fs::read_to_string(&allow).expect("allow file");
    // Named by the UN entry, it still covers the SDN entry; a year by default.
    assert!(
        text.contains("entity un:KPe.001, ofac-sdn:9345\n"),
        "{text}"
    );
    assert!(text.contains("expires \"2027-12-01\""), "{text}");
}

#[test]
fn an_expired_disposition_stops_applying_and_says_so() {
    let (dir, rules, orders, decisions) = setup("expired");
    let allow = dir.join("dispositions.emb");
    let out = embargo(
        &[
            "dispose",
            "--rules",
            &arg(&rules),
            "--decisions",
            &arg(&decisions),
            "--order",
            "PO-1",
            "--reason",
            "false positive",
            "--by",
            "j.doe",
            "--on",
            "2025-01-02",
            "--until",
            "2025-06-30",
            "-o",
            &arg(&allow),
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let now = screen_with(&rules, &allow, &orders);
    assert_eq!(now[0]["decision"], "review", "{}", now[0]);
    let note = now[0]["hits"][0]["allowance"].as_str().unwrap_or_default();
    assert!(
        note.contains("expired on 2025-06-30") && note.contains("cleared by j.doe on 2025-01-02"),
        "{note}"
    );
    assert!(now[0].get("allowed").is_none(), "{}", now[0]);
    // `check` warns of it.
    let check = embargo(
        &["check", "--rules", &arg(&rules), "--rules", &arg(&allow)],
        "",
    );
    assert!(
        stderr(&check).contains("expired on 2025-06-30")
            || String::from_utf8_lossy(&check.stdout).contains("expired on 2025-06-30"),
        "{}",
        stderr(&check)
    );
}

#[test]
fn an_allow_file_with_errors_is_refused_and_left_as_it_was() {
    let (dir, rules, orders, decisions) = setup("refused");
    let allow = dir.join("dispositions.emb");
    let broken = "allow cleared_x {\n  entity un:KPe.001\n  name \"Kumryong Trading Co\"\n  expires \"2099-13-45\"\n}\n";
    std::fs::write(&allow, broken).expect("allow file");
    let out = embargo(
        &[
            "dispose",
            "--rules",
            &arg(&rules),
            "--decisions",
            &arg(&decisions),
            "--order",
            "PO-1",
            "--reason",
            "false positive",
            "--by",
            "j.doe",
            "-o",
            &arg(&allow),
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    // No justification (the allowance's id) and a bad date, each at its place.
    assert!(err.contains("dispositions.emb:1:7"), "{err}");
    assert!(err.contains("dispositions.emb:4:11"), "{err}");
    assert_eq!(std::fs::read_to_string(&allow).expect("allow"), broken);
    // Screening with it is refused too: nothing is screened with half the rules.
    let screen = embargo(
        &[
            "screen",
            "--rules",
            &arg(&rules),
            "--rules",
            &arg(&allow),
            &arg(&orders),
        ],
        "",
    );
    assert_eq!(screen.status.code(), Some(1));
    assert!(
        stderr(&screen).contains("dispositions.emb:4:11"),
        "{}",
        stderr(&screen)
    );
}

#[test]
fn an_order_without_an_entity_hit_has_nothing_to_clear() {
    let (dir, rules, _orders, decisions) = setup("nothing");
    let out = embargo(
        &[
            "dispose",
            "--rules",
            &arg(&rules),
            "--decisions",
            &arg(&decisions),
            "--order",
            "PO-2",
            "--reason",
            "x",
            "--by",
            "y",
            "-o",
            &arg(&dir.join("a.emb")),
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no entity hit"), "{}", stderr(&out));
    assert!(!dir.join("a.emb").exists());
    let missing = embargo(
        &[
            "dispose",
            "--rules",
            &arg(&rules),
            "--decisions",
            &arg(&decisions),
            "--order",
            "PO-9",
            "--reason",
            "x",
            "--by",
            "y",
        ],
        "",
    );
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        stderr(&missing).contains("no decision of order `PO-9`"),
        "{}",
        stderr(&missing)
    );
}

#[test]
fn a_cleared_name_echo_is_reported_when_its_rule_no_longer_fires() {
    // The shipped rule `dprk_name_echo_near_border` holds a party whose name shares a
    // designated name's distinctive word (below the eager search) in DPRK-adjacent
    // trade. Clearing that echo clears the order; the decision must say why.
    let dir = temp_dir("echo");
    let orders = dir.join("orders.jsonl");
    std::fs::write(
        &orders,
        r#"{"id":"PO-8","parties":[{"role":"buyer","name":"Dandong Dongfang Trading Co., Ltd.","country":"CN","address":"Dandong"}],"route":{"origin":"CN","destination":"CN"}}
"#,
    )
    .expect("orders");
    let decisions = dir.join("decisions.jsonl");
    let out = embargo(&["screen", &arg(&orders), "-o", &arg(&decisions)], "");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let first = std::fs::read_to_string(&decisions).expect("decisions");
    assert!(first.contains("dprk_name_echo_near_border"), "{first}");
    let allow = dir.join("allow.emb");
    let out = embargo(
        &[
            "dispose",
            "--decisions",
            &arg(&decisions),
            "--order",
            "PO-8",
            "--by",
            "j.doe",
            "--reason",
            "a different company",
            "-o",
            &arg(&allow),
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = embargo(&["screen", "--add-rules", &arg(&allow), &arg(&orders)], "");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let d = json_lines(&out);
    assert_eq!(d[0]["decision"], "clear", "{:?}", d[0]);
    let allowed = d[0]["allowed"].as_array().cloned().unwrap_or_default();
    assert_eq!(allowed.len(), 1, "{:?}", d[0]);
    assert!(
        allowed[0]["cleared"]
            .as_str()
            .is_some_and(|c| c.starts_with("cleared by j.doe")),
        "{:?}",
        allowed[0]
    );
}

#[test]
fn a_block_is_cleared_only_when_asked_for_as_such() {
    // A new user's trial: `dispose` cleared an exact match on a DPRK-designated bank,
    // which had blocked the order, as readily as a review, and later orders naming it
    // cleared.
    let (dir, rules, orders, decisions) =
        setup_with("block", &RULES.replace("then review", "then block"));
    let allow = dir.join("dispositions.emb");
    let dispose = |extra: &[&str]| {
        let mut args = vec![
            "dispose".to_string(),
            "--rules".into(),
            arg(&rules),
            "--decisions".into(),
            arg(&decisions),
            "--order".into(),
            "PO-1".into(),
            "--reason".into(),
            "a Seoul firm".into(),
            "--by".into(),
            "j.doe".into(),
            "-o".into(),
            arg(&allow),
        ];
        args.extend(extra.iter().map(|s| s.to_string()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        embargo(&args, "")
    };
    let refused = dispose(&[]);
    assert_eq!(refused.status.code(), Some(1), "{}", stderr(&refused));
    let message = stderr(&refused);
    assert!(
        message.contains("blocks the order (rule listed, score")
            && message.contains("needs `--clear-block`"),
        "{message}"
    );
    assert!(!allow.exists(), "nothing written");
    let before = std::fs::read_to_string(&decisions).expect("decisions");
    assert!(
        before.starts_with(r#"{"id":"PO-1","decision":"block""#),
        "{before}"
    );

    let cleared = dispose(&["--clear-block"]);
    assert_eq!(cleared.status.code(), Some(0), "{}", stderr(&cleared));
    assert_eq!(screen_with(&rules, &allow, &orders)[0]["decision"], "clear");
}

/// Two listed people of one name, told apart by their dates of birth (as the UN and EU
/// lists designate two `KIM Yong Chol`s).
const NAMESAKES: &str = r#"
list un { title "UN" as_of "2026-02-27" }
list eu { title "EU" as_of "2026-02-27" }
entity un:KPi.024 {
  kind person
  name "KIM YONG CHOL"
  nationality KP
  program "UN 1718"
  born "1962-02-18"
  identifier passport "472310168"
}
entity eu:XV.A/7 {
  kind person
  name "KIM YONG CHOL"
  nationality KP
  program EU-PRK
  born "1946"
}
rule listed {
  basis "UNSCR 1718 (2006)"
  when party matches list(un, eu) score >= 0.7
  then review "A party resembles a listed one"
}
"#;

#[test]
fn clearing_a_namesake_does_not_clear_the_listed_person() {
    // A trial: clearing a Seoul buyer named Kim Yong Chol wrote an allowance that
    // later cleared the listed Kim Yong Chol himself, screened with his listed date of
    // birth and passport: the two designations were linked as one party (same name,
    // both DPRK) although their dates of birth differ, and an allowance of the name
    // covered a party whose own data matched the listing.
    let (dir, rules, orders, decisions) = setup_orders(
        "namesakes",
        NAMESAKES,
        r#"{"id":"PO-1","parties":[{"role":"buyer","name":"Kim Yong Chol","country":"KR"}]}
"#,
    );
    let first: Value = serde_json::from_str(
        std::fs::read_to_string(&decisions)
            .expect("decisions")
            .lines()
            .next()
            .expect("a decision"),
    )
    .expect("json");
    let hits = first["hits"].as_array().expect("hits");
    assert_eq!(hits.len(), 2, "two people, two hits: {first}");
    assert!(hits.iter().all(|h| h.get("also").is_none()), "{first}");

    let allow = dir.join("dispositions.emb");
    let out = embargo(
        &[
            "dispose",
            "--rules",
            &arg(&rules),
            "--decisions",
            &arg(&decisions),
            "--order",
            "PO-1",
            "--reason",
            "a Seoul steel buyer",
            "--by",
            "j.doe",
            "-o",
            &arg(&allow),
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(screen_with(&rules, &allow, &orders)[0]["decision"], "clear");

    let listed = dir.join("listed.jsonl");
    std::fs::write(
        &listed,
        r#"{"id":"PO-2","parties":[{"role":"buyer","name":"Kim Yong Chol","country":"KR","dob":"1962-02-18","identifiers":[{"type":"passport","value":"472310168"}]}]}
"#,
    )
    .expect("orders");
    let got = &screen_with(&rules, &allow, &listed)[0];
    assert_eq!(got["decision"], "review", "{got}");
    let hit = &got["hits"][0];
    assert_eq!(hit["entity"], "un:KPi.024", "{got}");
    let note = hit["allowance"].as_str().unwrap_or_default();
    assert!(
        note.contains("does not apply") && note.contains("passport number matches"),
        "{got}"
    );
}
