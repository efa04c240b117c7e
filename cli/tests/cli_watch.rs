//! End-to-end tests of continuous screening: `lists diff`, `rescreen`, `show`,
//! `report`, and the legal basis and input text `screen` gives each hit.

use std::path::{Path, PathBuf};

use serde_json::Value;

#[path = "support/cli.rs"]
#[allow(dead_code)] // The shared helpers also serve tests of other files.
mod cli;
use cli::{arg, embargo, json_lines, root, stderr, temp_dir, BOOK, MINI};

/// Imports an excerpt of a real OFAC sdn.csv into a rules file.
fn import(csv: &str, as_of: &str, out: &Path) {
    let o = embargo(
        &["import", "ofac-sdn", csv, "--as-of", as_of, "-o", &arg(out)],
        "",
    );
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn lists_diff_reports_two_real_versions_of_the_sdn_list() {
    let dir = temp_dir("diff");
    let (old, new) = (dir.join("old.emb"), dir.join("new.emb"));
    import(
        "tests/fixtures/lists/ofac-sdn-versions/sdn-2021-07.csv",
        "2021-07-01",
        &old,
    );
    import(
        "tests/fixtures/lists/ofac-sdn-versions/sdn-2024-05.csv",
        "2024-05-03",
        &new,
    );
    let out = embargo(&["lists", "diff", &arg(&old), &arg(&new)], "");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let lines = json_lines(&out);
    let by_id = |id: &str| -> &Value {
        lines
            .iter()
            .find(|l| l["entity"] == id)
            .unwrap_or_else(|| panic!("{id} in the diff"))
    };
    // Every line has the contract's fields.
    for l in &lines {
        assert_eq!(l["list"], "ofac-sdn");
        assert!(l["name"].is_string() && l["entity"].is_string(), "{l}");
        assert!(["added", "removed", "changed"].contains(&l["change"].as_str().unwrap_or("")));
        assert_eq!(l["as_of"], "2024-05-03");
        assert_eq!(l["change"] == "changed", l.get("fields").is_some(), "{l}");
    }
    // A DPRK vessel and a DPRK3 person were delisted by 2024.
    assert_eq!(by_id("ofac-sdn:25690")["change"], "removed");
    assert_eq!(by_id("ofac-sdn:25690")["name"], "JW JEWEL");
    assert_eq!(by_id("ofac-sdn:22611")["change"], "removed");
    // New DPRK designations.
    assert_eq!(by_id("ofac-sdn:27743")["change"], "added");
    assert_eq!(by_id("ofac-sdn:35754")["name"], "ZEEL - M CO., LTD.");
    // The Lazarus Group gained digital currency addresses and lost aliases that OFAC's
    // 1,000-character remark no longer holds.
    let lazarus = by_id("ofac-sdn:27307");
    assert_eq!(
        lazarus["fields"],
        serde_json::json!(["aliases", "identifiers", "remarks"])
    );
    assert!(lazarus["details"]["aliases"]["removed"]
        .as_array()
        .is_some_and(|a| a.iter().any(|x| x == "weak ZINC")));
    // Aum Shinrikyo is no longer an FTO; Mnangagwa moved from ZIMBABWE to GLOMAG.
    assert_eq!(
        by_id("ofac-sdn:4691")["fields"],
        serde_json::json!(["programs"])
    );
    assert_eq!(
        by_id("ofac-sdn:4691")["details"]["programs"]["removed"],
        serde_json::json!(["FTO"])
    );
    assert_eq!(
        by_id("ofac-sdn:7513")["details"]["programs"],
        serde_json::json!({"added": ["GLOMAG"], "removed": ["ZIMBABWE"]})
    );
    // A renamed vessel is a change of name, not a removal and an addition.
    assert_eq!(by_id("ofac-sdn:4243")["name"], "EBANO");
    assert!(by_id("ofac-sdn:4243")["fields"]
        .as_array()
        .is_some_and(|f| f.iter().any(|x| x == "name")));
    // KOMID is in both versions, unchanged.
    assert!(lines.iter().all(|l| l["entity"] != "ofac-sdn:9345"));
    assert_eq!(lines.len(), 8 + 3 + 8);
    assert!(
        stderr(&out).contains("ofac-sdn (2021-07-01 -> 2024-05-03): 8 added, 3 removed, 8 changed"),
        "{}",
        stderr(&out)
    );

    // Only some lists; a list neither ruleset has is an error.
    let un = embargo(
        &["lists", "diff", "--list", "un", &arg(&old), &arg(&new)],
        "",
    );
    assert_eq!(un.status.code(), Some(1));
    assert!(stderr(&un).contains("no list `un`"), "{}", stderr(&un));
    // The output may not be an input.
    let clobber = embargo(
        &["lists", "diff", &arg(&old), &arg(&new), "-o", &arg(&new)],
        "",
    );
    assert_eq!(clobber.status.code(), Some(1));
    assert!(std::fs::read_to_string(&new).is_ok_and(|t| t.contains("ofac-sdn:35754")));
}

#[test]
fn screen_hits_carry_the_rule_basis_and_the_matched_text() {
    let order = r#"{"id":"PO-1","parties":[{"role":"buyer","name":"Korea Mining Development Trading Corp","country":"KP"}],"goods":[{"description":"Lexus LX570 SUV","hs":"8703.24"}],"route":{"destination":"Nampo"}}"#;
    let out = embargo(&["screen", "--rules", MINI], order);
    assert!(out.status.success(), "{}", stderr(&out));
    let d = &json_lines(&out)[0];
    let hits = d["hits"].as_array().expect("hits");
    let listed = hits
        .iter()
        .find(|h| h["rule"] == "listed_party")
        .expect("the listed party hit");
    assert_eq!(
        listed["basis"],
        serde_json::json!(["UNSCR 2270 (2016), para. 32"])
    );
    assert_eq!(listed["input"], "Korea Mining Development Trading Corp");
    assert_eq!(listed["field"], "parties[0].name");
    let goods = hits
        .iter()
        .find(|h| h["kind"] == "goods")
        .expect("a goods hit");
    assert_eq!(goods["input"], "Lexus LX570 SUV");
    assert_eq!(
        goods["basis"],
        serde_json::json!(["UNSCR 1718 (2006), para. 8(a)(iii)"])
    );
    let span = &goods["evidence"][0];
    let (start, end) = (
        span["start"].as_u64().unwrap_or(0),
        span["end"].as_u64().unwrap_or(0),
    );
    let text: String = "Lexus LX570 SUV"
        .chars()
        .skip(start as usize)
        .take((end - start) as usize)
        .collect();
    assert_eq!(
        text.to_lowercase(),
        span["text"].as_str().unwrap_or("").to_lowercase()
    );
}

/// The mini ruleset with `edit` applied to its entities, in a folder of its own.
fn mini_copy(dir: &Path, edit: impl Fn(String) -> String) -> PathBuf {
    std::fs::create_dir_all(dir).expect("folder");
    for f in ["entities.emb", "goods.emb", "lists.emb", "rules.emb"] {
        let text = std::fs::read_to_string(root().join(MINI).join(f)).expect("fixture");
        let text = if f == "entities.emb" {
            edit(text)
        } else {
            text
        };
        std::fs::write(dir.join(f), text).expect("write");
    }
    dir.to_path_buf()
}

#[test]
fn rescreen_writes_only_the_decisions_a_list_update_changed() {
    let dir = temp_dir("rescreen");
    let old = mini_copy(&dir.join("old"), |t| t);
    // The update: a new DPRK designation, KKBC's country corrected to China (so the
    // DPRK rule no longer takes it), the vessel delisted.
    let new = mini_copy(&dir.join("new"), |t| {
        let t = t.replace("country \"Korea, North\"", "country CN");
        let start = t.find("entity ofac-sdn:23729").expect("the vessel");
        let end = start + t[start..].find('}').expect("its end") + 1;
        let t = format!("{}{}", &t[..start], &t[end..]);
        format!("{t}\nentity un:KPe.999 {{\n  kind organization\n  name \"HUAXIN TRADING COMPANY LIMITED\"\n  country KP\n  program \"UN 1718\"\n}}\n")
    });
    let orders = dir.join("orders.jsonl");
    std::fs::write(&orders, BOOK).expect("write");
    let before = dir.join("before.jsonl");
    let o = embargo(
        &[
            "screen",
            "--rules",
            &arg(&old),
            &arg(&orders),
            "-o",
            &arg(&before),
        ],
        "",
    );
    assert!(o.status.success(), "{}", stderr(&o));

    let (new_arg, before_arg, orders_arg) = (arg(&new), arg(&before), arg(&orders));
    let run = |extra: &[&str]| {
        let mut args = vec!["rescreen", "--rules", &new_arg, "--previous", &before_arg];
        args.extend_from_slice(extra);
        args.push(&orders_arg);
        embargo(&args, "")
    };
    // The previous decisions were made with rules that are neither the new ones nor the
    // embedded ones: they must be named.
    let unknown = run(&[]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(
        stderr(&unknown).contains("--previous-rules"),
        "{}",
        stderr(&unknown)
    );
    // Rules that made none of them are refused.
    let wrong = run(&["--previous-rules", &arg(&new)]);
    assert_eq!(wrong.status.code(), Some(1));
    assert!(
        stderr(&wrong).contains("none of the previous decisions"),
        "{}",
        stderr(&wrong)
    );

    let out = run(&["--previous-rules", &arg(&old)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let lines = json_lines(&out);
    let ids: Vec<&str> = lines.iter().filter_map(|l| l["id"].as_str()).collect();
    assert_eq!(ids, ["PO-1", "PO-2", "PO-4"], "{}", stderr(&out));
    let po1 = &lines[0];
    assert_eq!(po1["decision"], "block");
    assert_eq!(po1["previous"]["decision"], "clear");
    assert!(po1["previous"]["ruleset"]
        .as_str()
        .is_some_and(|h| h.starts_with("sha256:")));
    assert_eq!(
        po1["changes"][0]["text"],
        "newly listed on un, as of 2026-02-27"
    );
    assert_eq!(po1["changes"][0]["entity"], "un:KPe.999");
    let po2 = &lines[1];
    assert_eq!(
        (&po2["decision"], &po2["previous"]["decision"]),
        (&Value::from("clear"), &Value::from("block"))
    );
    assert_eq!(
        po2["changes"][0]["text"],
        "changed on ofac-sdn: countries, as of 2025-12-24"
    );
    let po4 = &lines[2];
    assert_eq!(po4["decision"], "clear");
    assert_eq!(
        po4["changes"][0]["text"],
        "removed from ofac-sdn, as of 2025-12-24"
    );
    assert_eq!(po4["changes"][0]["name"], "CHON MA SAN");
    // The same decisions a full screen with the new rules gives.
    let full = embargo(&["screen", "--rules", &arg(&new), &arg(&orders)], "");
    for l in &lines {
        let f = json_lines(&full)
            .into_iter()
            .find(|f| f["id"] == l["id"])
            .expect("screened");
        assert_eq!(f["decision"], l["decision"]);
        assert_eq!(f["hits"], l["hits"]);
    }
    assert!(
        stderr(&out).contains("read 5 orders, screened"),
        "{}",
        stderr(&out)
    );

    // A previous decision that cannot be read is reported by line, and its order is
    // screened as one without a decision; the exit code says so.
    let mut text = std::fs::read_to_string(&before).expect("read");
    text.push_str("{\"id\":\"PO-9\",\"decision\":\"maybe\"}\n");
    let broken = dir.join("broken.jsonl");
    std::fs::write(&broken, text).expect("write");
    let out = embargo(
        &[
            "rescreen",
            "--rules",
            &arg(&new),
            "--previous-rules",
            &arg(&old),
            "--previous",
            &arg(&broken),
            &arg(&orders),
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("line 6"), "{}", stderr(&out));
    // Writing over an input is refused before anything is read.
    let out = embargo(
        &[
            "rescreen",
            "--rules",
            &arg(&new),
            "--previous",
            &arg(&before),
            "-o",
            &arg(&before),
            &arg(&orders),
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(std::fs::read_to_string(&before).is_ok_and(|t| t.lines().count() == 5));
}

#[test]
fn rescreen_finds_the_old_rules_by_hash_when_they_are_the_new_ones() {
    let dir = temp_dir("rescreen-same");
    let orders = dir.join("orders.jsonl");
    std::fs::write(&orders, BOOK).expect("write");
    let before = dir.join("before.jsonl");
    let o = embargo(
        &[
            "screen",
            "--rules",
            MINI,
            &arg(&orders),
            "-o",
            &arg(&before),
        ],
        "",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = embargo(
        &[
            "rescreen",
            "--rules",
            MINI,
            "--previous",
            &arg(&before),
            &arg(&orders),
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(out.stdout.is_empty(), "nothing changed");
    assert!(
        stderr(&out).contains("screened 0 again"),
        "{}",
        stderr(&out)
    );
}

/// Decisions made under other settings than the re-screen's are not kept on the
/// grounds that the rules did not change: a new user screened under a stricter
/// threshold, or with the UN list alone, then re-screened under the defaults and was
/// told nothing changed where a full screen blocks.
#[test]
fn rescreen_screens_again_the_decisions_made_under_other_settings() {
    let dir = temp_dir("rescreen-settings");
    let orders = dir.join("orders.jsonl");
    std::fs::write(
        &orders,
        r#"{"id":"T1","parties":[{"name":"Tangun Trading Corporation"}]}
{"id":"T2","parties":[{"name":"CHON Chi Bu"}]}
{"id":"T3","parties":[{"name":"Ningbo Sunrise Textile Co., Ltd."}]}
"#,
    )
    .expect("write");
    for (name, settings, changed, why, text) in [
        (
            "strict",
            "[matching]\nthreshold = 0.95\n",
            "T1",
            "because previous decision made under other matching settings",
            "the previous decision was made under other settings (threshold 0.95, limit 10; now threshold 0.8, limit 10)",
        ),
        (
            "un-only",
            "[lists]\nenabled = [\"un\"]\n",
            "T2",
            "because previous decision screened other lists",
            "the previous decision screened other lists (un; now eu, ofac-cons, ofac-sdn, un)",
        ),
    ] {
        let config = dir.join(format!("{name}.toml"));
        std::fs::write(&config, settings).expect("write");
        let before = dir.join(format!("{name}.jsonl"));
        let o = embargo(
            &[
                "--config",
                &arg(&config),
                "screen",
                &arg(&orders),
                "-o",
                &arg(&before),
            ],
            "",
        );
        assert!(o.status.success(), "{}", stderr(&o));
        let full = json_lines(&embargo(&["screen", &arg(&orders)], ""));
        let out = embargo(&["rescreen", "--previous", &arg(&before), &arg(&orders)], "");
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let written = json_lines(&out);
        // Exactly the decisions that differ between the two full screens.
        let was = json_lines(&embargo(&["--config", &arg(&config), "screen", &arg(&orders)], ""));
        let key = |d: &Value| {
            let mut hits: Vec<String> = d["hits"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|h| format!("{}{}", h["entity"], h["category"]))
                .collect();
            hits.sort();
            (d["decision"].to_string(), hits)
        };
        let differ: Vec<&Value> = full
            .iter()
            .zip(&was)
            .filter(|(n, w)| key(n) != key(w))
            .map(|(n, _)| &n["id"])
            .collect();
        let ids: Vec<&Value> = written.iter().map(|d| &d["id"]).collect();
        assert_eq!(ids, differ, "{name}");
        let now = full.iter().find(|d| d["id"] == changed).expect("screened");
        assert_eq!(now["decision"], "block", "{name}");
        let mine = written.iter().find(|d| d["id"] == changed).expect("written");
        assert_eq!(mine["decision"], "block", "{name}");
        assert_eq!(mine["changes"][0]["text"], text, "{name}");
        assert!(
            stderr(&out).contains(&format!("3 {why}")),
            "{name}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn rescreen_with_added_rules_compares_with_the_built_in_or_the_added_ones() {
    let dir = temp_dir("rescreen-added");
    let orders = dir.join("orders.jsonl");
    std::fs::write(&orders, BOOK).expect("write");
    let list = |name: &str| {
        format!(
            "list internal {{ title \"Refused\" as_of \"2026-12-05\" }}\n\
             entity internal:1 {{ kind organization name \"{name}\" country SG }}\n\
             rule internal_refused {{\n  basis \"Internal policy CP-4\"\n  \
             when party matches list(internal)\n  then block \"Refused\"\n}}\n"
        )
    };
    let (v1, v2) = (dir.join("v1.emb"), dir.join("v2.emb"));
    std::fs::write(&v1, list("Sunrise Logistics")).expect("write");
    std::fs::write(&v2, list("Evergreen Textile Co")).expect("write");
    let screen = |extra: &[&str], out: &Path| {
        let mut a = vec!["screen"];
        a.extend_from_slice(extra);
        let (o, out) = (arg(&orders), arg(out));
        a.extend_from_slice(&[o.as_str(), "-o", out.as_str()]);
        let o = embargo(&a, "");
        assert!(o.status.success(), "{}", stderr(&o));
    };
    let rescreen = |extra: &[&str], previous: &Path| {
        let mut a = vec!["rescreen"];
        a.extend_from_slice(extra);
        let (p, o) = (arg(previous), arg(&orders));
        a.extend_from_slice(&["--previous", p.as_str(), o.as_str()]);
        embargo(&a, "")
    };
    // Screened with the built-in rules, then the rules added: the old ruleset is the
    // built-in one, found by its hash.
    let built_in = dir.join("built-in.jsonl");
    screen(&[], &built_in);
    let v1_arg = arg(&v1);
    let out = rescreen(&["--add-rules", &v1_arg], &built_in);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let changed = json_lines(&out);
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert_eq!(changed[0]["id"], "PO-1");
    assert_eq!(changed[0]["decision"], "block");
    // Screened with v1 added, then v2: the old rules are named by --previous-add-rules.
    let with_v1 = dir.join("with-v1.jsonl");
    screen(&["--add-rules", &v1_arg], &with_v1);
    let v2_arg = arg(&v2);
    let out = rescreen(&["--add-rules", &v2_arg], &with_v1);
    assert_eq!(out.status.code(), Some(1), "unknown old rules are refused");
    assert!(
        stderr(&out).contains("--previous-add-rules"),
        "{}",
        stderr(&out)
    );
    let out = rescreen(
        &["--add-rules", &v2_arg, "--previous-add-rules", &v1_arg],
        &with_v1,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let decision_of = |id: &str| -> Option<String> {
        json_lines(&out)
            .iter()
            .find(|d| d["id"] == id)
            .and_then(|d| d["decision"].as_str().map(str::to_string))
    };
    // Sunrise Logistics is no longer refused; Evergreen Textile is.
    assert!(
        decision_of("PO-1").is_some_and(|d| d != "block"),
        "{}",
        stderr(&out)
    );
    assert_eq!(decision_of("PO-3").as_deref(), Some("block"));
}

#[test]
fn show_prints_a_listed_entity() {
    let out = embargo(&["show", "--rules", MINI, "un:KPe.001"], "");
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    for want in [
        "KOREA MINING DEVELOPMENT TRADING CORPORATION (organization)",
        "listed on: un",
        "source id KPe.001",
        "also known as: KOMID",
        "programs: UN 1718",
        "designated: 2009-04-24",
    ] {
        assert!(text.contains(want), "{want} in\n{text}");
    }
    let json = embargo(&["show", "--rules", MINI, "--json", "un:KPe.001"], "");
    let v: Value = serde_json::from_slice(&json.stdout).expect("json");
    assert_eq!(v["list"]["name"], "un");
    assert_eq!(v["aliases"][0]["relation"], "aka");
    assert_eq!(v["countries"], serde_json::json!(["KP"]));
    let missing = embargo(&["show", "--rules", MINI, "KPe.001"], "");
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        stderr(&missing).contains("did you mean un:KPe.001"),
        "{}",
        stderr(&missing)
    );
}

#[test]
fn report_counts_every_decision_and_names_lines_it_cannot_read() {
    let dir = temp_dir("report");
    let decisions = dir.join("decisions.jsonl");
    let o = embargo(&["screen", "--rules", MINI, "-o", &arg(&decisions)], BOOK);
    assert!(o.status.success(), "{}", stderr(&o));
    let html = dir.join("report.html");
    let report: [&str; 6] = [
        "report",
        "--rules",
        MINI,
        &arg(&decisions),
        "-o",
        &arg(&html),
    ];
    let out = embargo(&report, "");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let page = std::fs::read_to_string(&html).expect("written");
    assert!(page.contains("id=\"count-total\" data-count=\"5\""));
    assert!(
        !page.contains("http://") && !page.contains("https://"),
        "nothing from the network"
    );
    assert!(
        page.contains("KOREA MINING DEVELOPMENT TRADING CORPORATION"),
        "entity details"
    );
    // A line that is no decision is counted out, listed and makes the exit code 2.
    let mut text = std::fs::read_to_string(&decisions).expect("read");
    text.push_str("not json\n");
    std::fs::write(&decisions, text).expect("write");
    let out = embargo(&report, "");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("line 6"), "{}", stderr(&out));
    assert!(std::fs::read_to_string(&html).is_ok_and(|p| p.contains("line 6: not a decision")));
    let out = embargo(&["report", &arg(&decisions), "-o", &arg(&decisions)], "");
    assert_eq!(out.status.code(), Some(1));
}

/// Decisions made with other rules than the report reads (here an added designation
/// the report's rules lack) and with stale lists: the page and stderr say so, and name
/// the entity whose details cannot be shown.
#[test]
fn report_says_when_decisions_were_made_with_other_rules_or_stale_lists() {
    let dir = temp_dir("report-other-rules");
    let rules = mini_copy(&dir.join("rules"), |t| {
        format!("{t}\nentity un:KPe.999 {{\n  kind organization\n  name \"HUAXIN TRADING COMPANY LIMITED\"\n  country KP\n  program \"UN 1718\"\n}}\n")
    });
    let config = dir.join("embargo.toml");
    std::fs::write(&config, "[lists]\nmax_age_days = 30\n").expect("write");
    let decisions = dir.join("decisions.jsonl");
    let o = embargo(
        &[
            "--config",
            &arg(&config),
            "screen",
            "--rules",
            &arg(&rules),
            "-o",
            &arg(&decisions),
        ],
        BOOK,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let html = dir.join("report.html");
    let report = |rules: &str| {
        embargo(
            &[
                "report",
                "--rules",
                rules,
                &arg(&decisions),
                "-o",
                &arg(&html),
            ],
            "",
        )
    };
    let out = report(MINI);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("5 decision(s) were made with another ruleset")
            && err.contains("1 entity they cite is not in it")
            && err.contains("un:KPe.999"),
        "{err}"
    );
    assert!(err.contains("stale lists: ofac-sdn 2025-12-24"), "{err}");
    let page = std::fs::read_to_string(&html).expect("written");
    assert!(page.contains("id=\"other-rules\""), "the page says it too");
    assert!(page.contains("id=\"stale-lists\""));
    assert!(page.contains("ofac-sdn 2025-12-24 (stale, "));
    // With the rules they were made with, no note of other rules.
    let out = report(&arg(&rules));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        !stderr(&out).contains("another ruleset"),
        "{}",
        stderr(&out)
    );
    let page = std::fs::read_to_string(&html).expect("written");
    assert!(!page.contains("id=\"other-rules\""));
    assert!(page.contains("(the rules this page read)"));
}
