//! End-to-end tests of a compliance team's own rules, lists and files: mistakes that
//! used to change decisions without a word (a user trial's findings) are refused or
//! said, with their location.

use std::path::Path;

#[path = "support/cli.rs"]
#[allow(dead_code)] // The shared helpers also serve tests of other files.
mod cli;
use cli::{arg, embargo, json_lines, root, stderr, temp_dir, text};

/// A company's own watch list of one entity, carrying program `OWN`.
const INTERNAL_LIST: &str = r#"list internal {
  title "Our watch list"
  as_of "2026-12-01"
}

entity internal:17 {
  kind organization
  name "Golden Phoenix Trading FZE"
  country AE
  program OWN
}
"#;

/// Writes `text` as `name` in a new folder and returns the file's path.
fn rules_file(folder: &str, name: &str, text: &str) -> String {
    let dir = temp_dir(folder);
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write rules");
    arg(&path)
}

/// `check --add-rules FILE` fails (exit 1) and says `needle`.
fn check_refuses(file: &str, needle: &str) -> String {
    let out = embargo(&["check", "--add-rules", file], "");
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains(needle), "{err}");
    err
}

#[test]
fn a_misspelt_weak_is_no_language_tag() {
    // `terms wek` used to read `wek` as a language, making the line's terms strong.
    let file = rules_file(
        "lang-typo",
        "gadgets.emb",
        r#"category gadgets {
  title "Gadgets"
  basis "Company policy 4"
  terms "gadget set"
  terms wek "gadget", "widget"
}
"#,
    );
    let err = check_refuses(&file, "unknown language tag `wek`");
    assert!(err.contains("did you mean `weak`?"), "{err}");
    assert!(err.contains("gadgets.emb:5:9"), "{err}");
    // A real tag, with a script subtag, is accepted.
    let ok = rules_file(
        "lang-ok",
        "gadgets.emb",
        "category gadgets {\n  title \"Gadgets\"\n  basis \"Company policy 4\"\n  terms zh-Hant \"小工具\"\n}\n",
    );
    let out = embargo(&["check", "--add-rules", &ok], "");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn a_name_test_that_no_loaded_entity_passes_is_refused() {
    // Each facet alone accepts entities; together (no entity of `internal` carries
    // DPRK) none, so the rule could never fire.
    let rule = r#"
rule internal_refused_party {
  title "A party on our own watch list"
  basis "Company policy 7"
  when party matches list(internal) program(DPRK)
  then block "A party on our own watch list"
}
"#;
    let file = rules_file("facets", "internal.emb", &format!("{INTERNAL_LIST}{rule}"));
    let err = check_refuses(
        &file,
        "no loaded entity passes `list(internal) program(DPRK)`, so this name test can never hold",
    );
    assert!(err.contains("internal.emb:16:27"), "{err}");
    let out = embargo(
        &["screen", "--add-rules", &file],
        "{\"id\":\"A1\",\"parties\":[{\"name\":\"Golden Phoenix Trading FZE\"}]}\n",
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    // The same rule with the program the entity carries loads and blocks.
    let fixed = rules_file(
        "facets-ok",
        "internal.emb",
        &format!(
            "{INTERNAL_LIST}{}",
            rule.replace("program(DPRK)", "program(OWN)")
        ),
    );
    let out = embargo(
        &["screen", "--add-rules", &fixed],
        "{\"id\":\"A1\",\"parties\":[{\"name\":\"Golden Phoenix Trading FZE\"}]}\n",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(json_lines(&out)[0]["decision"], "block");
}

#[test]
fn an_eu_list_without_its_dprk_regime_cannot_stand_in_for_the_shipped_one() {
    // The FSF excerpt holds Zimbabwe and Iraq listings only. Imported, it replaces the
    // shipped EU list; the shipped DPRK rule takes only the EU's DPRK regime from it,
    // so it would never fire on the EU list: refused, rather than blocking Mugabe as a
    // DPRK designation (as it did) or dropping the EU designations unsaid.
    let dir = temp_dir("eu-fsf");
    let imported = arg(&dir.join("eu.emb"));
    let fixture = root().join("tests/fixtures/lists/fsf-legacy-excerpt-2018.csv");
    let out = embargo(&["import", "eu", &arg(&fixture), "-o", &imported], "");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let written = std::fs::read_to_string(&imported).expect("imported list");
    assert!(
        written.contains("program EU-ZWE"),
        "FSF codes as the journal writes them"
    );
    let err = check_refuses(
        &imported,
        "no loaded entity passes `list(eu) program(EU-PRK)`",
    );
    assert!(err.contains("decisions.emb"), "{err}");
    let out = embargo(
        &["screen", "--add-rules", &imported],
        "{\"id\":\"EU1\",\"parties\":[{\"name\":\"Robert Gabriel Mugabe\",\"country\":\"ZW\"}]}\n",
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
}

#[test]
fn replacing_a_shipped_list_is_said() {
    let file = rules_file(
        "own-eu",
        "eu.emb",
        r#"list eu {
  title "Our EU-related watch"
  as_of "2026-12-01"
}

entity eu:own-1 {
  kind organization
  name "Golden Phoenix Trading FZE"
  program EU-PRK
}
"#,
    );
    let out = embargo(&["check", "--add-rules", &file], "");
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("eu.emb:1:6: warning: list `eu` replaces the shipped list `eu` ("),
        "{err}"
    );
    assert!(
        err.contains("the shipped entries are not screened"),
        "{err}"
    );
    // Commands that screen say that the rules have warnings.
    let out = embargo(
        &["screen", "--add-rules", &file],
        "{\"id\":\"X\",\"parties\":[{\"name\":\"Acme\"}]}\n",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("note: the rules have"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn an_allowance_names_its_party_and_its_entity() {
    let cases = [
        (
            "allow x {\n  entity un:KPe.025\n  because \"test\"\n}\n",
            "allowance `x` names no party",
        ),
        (
            "allow x {\n  name \"KKBC\"\n  because \"test\"\n}\n",
            "allowance `x` names no `entity`",
        ),
        (
            "allow x {\n  entity un:KPe.025\n  name \"  \"\n  because \"test\"\n}\n",
            "allowance `x` has a blank party `name`",
        ),
    ];
    for (k, (allow, needle)) in cases.iter().enumerate() {
        let file = rules_file(&format!("allow-{k}"), "allow.emb", allow);
        check_refuses(&file, needle);
    }
}

#[test]
fn a_list_dated_after_today_is_called_stale() {
    let file = rules_file(
        "future",
        "internal.emb",
        &INTERNAL_LIST.replace("2026-12-01", "2099-01-01"),
    );
    let out = embargo(&["check", "--add-rules", &file], "");
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("list `internal` is dated 2099-01-01, after today"),
        "{err}"
    );
    let out = embargo(
        &["screen", "--add-rules", &file],
        "{\"id\":\"X\",\"parties\":[{\"name\":\"Acme\"}]}\n",
    );
    let err = stderr(&out);
    assert!(
        err.contains("warning: list `internal` is dated 2099-01-01, after today"),
        "{err}"
    );
    let decision = &json_lines(&out)[0];
    let internal = decision["lists"]
        .as_array()
        .and_then(|l| l.iter().find(|l| l["name"] == "internal"))
        .expect("the list in the decision");
    assert_eq!(internal["stale"], true, "{internal}");
}

#[test]
fn rules_files_with_an_upper_case_extension_are_read() {
    let dir = temp_dir("upper-ext");
    std::fs::write(dir.join("INTERNAL.EMB"), INTERNAL_LIST).expect("write");
    let out = embargo(&["check", "--add-rules", &arg(&dir)], "");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        text(&out.stdout).contains("list internal as of 2026-12-01: 1 entities"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn a_category_no_rule_reaches_is_warned_with_its_misspelt_tag() {
    let file = rules_file(
        "tag-typo",
        "drones.emb",
        "category drones {\n  title \"Drones\"\n  tags luxry\n  basis \"Company policy 9\"\n  terms \"quadcopter\"\n}\n",
    );
    let out = embargo(&["check", "--add-rules", &file], "");
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("drones.emb:1:10: warning: no rule reaches category `drones`"),
        "{err}"
    );
    assert!(
        err.contains("its tag `luxry`: did you mean `luxury`?"),
        "{err}"
    );
}

#[test]
fn a_server_limit_of_zero_is_refused() {
    let dir = temp_dir("zero-limit");
    let config = dir.join("embargo.toml");
    std::fs::write(&config, "[server]\nmax_body_bytes = 0\n").expect("write");
    let out = embargo(&["--config", &arg(&config), "check"], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("server.max_body_bytes must be at least 1"),
        "{}",
        stderr(&out)
    );
}

/// Decisions of `orders` (CSV) and the rejected lines' messages.
fn screen_csv(dir: &Path, orders: &str) -> (Vec<serde_json::Value>, String, Option<i32>) {
    let file = dir.join("orders.csv");
    std::fs::write(&file, orders).expect("write orders");
    let out = embargo(&["screen", &arg(&file)], "");
    (json_lines(&out), stderr(&out), out.status.code())
}

#[test]
fn decimal_commas_in_amounts_are_rejected_not_misread() {
    // `2.500,00` read as 2.5 cleared a EUR 2,500 carpet through Dandong.
    let dir = temp_dir("decimal-comma");
    let (decisions, err, code) = screen_csv(
        &dir,
        "id,goods_description,goods_hs,goods_value,goods_currency,destination\n\
         C1,hand knotted carpet,5701.10,\"2.500,00\",EUR,KP\n\
         C2,hand knotted carpet,5701.10,\"2,500.00\",EUR,KP\n\
         C3,hand knotted carpet,5701.10,\"1,5\",EUR,KP\n",
    );
    assert_eq!(code, Some(2), "{err}");
    let ids: Vec<&str> = decisions.iter().filter_map(|d| d["id"].as_str()).collect();
    assert_eq!(ids, ["C2"], "{err}");
    assert!(err.contains("`2.500,00` is not a number"), "{err}");
    assert!(err.contains("`1,5` is not a number"), "{err}");
}

#[test]
fn an_imo_number_failing_its_check_digit_is_rejected() {
    // 8987334 is one digit off 8987333; the vessel's name is not screened when a
    // number is given, so the typo let a designated vessel through.
    let out = embargo(
        &["screen"],
        "{\"id\":\"V1\",\"route\":{\"vessel\":\"Ryo Myong\",\"imo\":\"8987334\"}}\n{\"id\":\"V2\",\"route\":{\"vessel\":\"Ryo Myong\",\"imo\":\"8987333\"}}\n",
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("line 1 (order V1): route.imo: `8987334` fails the IMO check digit"),
        "{err}"
    );
    let decisions = json_lines(&out);
    assert_eq!(decisions.len(), 1);
    assert_eq!(decisions[0]["id"], "V2");
    assert_eq!(decisions[0]["decision"], "block");
}

#[test]
fn a_role_is_read_however_the_order_spells_it() {
    // A user trial: `end user`, `End-User`, `Notify party` never met the shipped
    // transshipment rule's `role(consignee, buyer, notify, end_user)`: the order of a
    // Rolex to a Dandong end user cleared, as `end_user` did not.
    let orders: String = [
        "end_user",
        "end user",
        "End-User",
        "Notify party",
        "ultimate consignee",
        "guarantor",
        "advising bank",
    ]
    .iter()
    .map(|role| {
        format!(
            r#"{{"id":"{role}","parties":[{{"role":"{role}","name":"Acme Ltd","address":"Dandong, China"}}],"goods":[{{"description":"Rolex Daytona wristwatch","hs":"9101.11","value":20000,"currency":"USD"}}]}}"#
        ) + "\n"
    })
    .collect();
    let out = embargo(&["screen"], &orders);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let decided: Vec<(String, String)> = json_lines(&out)
        .iter()
        .map(|d| {
            let rules: Vec<&str> = d["hits"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|h| h["rule"].as_str())
                .collect();
            let hub = rules.contains(&"luxury_goods_via_transshipment_hub");
            (d["id"].as_str().unwrap_or("").to_string(), hub.to_string())
        })
        .collect();
    let expected = [
        ("end_user", "true"),
        ("end user", "true"),
        ("End-User", "true"),
        ("Notify party", "true"),
        ("ultimate consignee", "true"),
        // A role embargo does not know may be the receiving party's.
        ("guarantor", "true"),
        // A known role that does not receive the goods is not tested.
        ("advising bank", "false"),
    ];
    assert_eq!(
        decided,
        expected.map(|(r, h)| (r.to_string(), h.to_string()))
    );

    // A role no order may carry is warned of in the rules, with its spelling's hint.
    let file = rules_file(
        "role-typo",
        "roles.emb",
        r#"set countries hubs = CN
rule hub_buyer {
  basis "Company policy 7"
  when party role(buyr) in hubs
  then review "A buyer in a hub"
}
"#,
    );
    let out = embargo(&["check", "--add-rules", &file], "");
    let err = stderr(&out);
    assert!(
        err.contains("roles.emb:4:19: warning: `buyr` is not a role embargo knows")
            && err.contains("did you mean `buyer`?"),
        "{err}"
    );
}
