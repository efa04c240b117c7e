//! End-to-end tests of what the CLI says when input is wrong: `--jsonl` answers that
//! line up with their input, errors that name their path and their place, `fmt` on
//! folders, `report` of a file with no decisions, and one check of HS codes.

#[path = "support/cli.rs"]
#[allow(dead_code)] // The shared helpers also serve tests of other files.
mod cli;
use cli::{arg, embargo, json_lines, stderr, temp_dir, MINI};

#[test]
fn jsonl_commands_answer_every_line_in_place_with_its_id() {
    let pairs = concat!(
        r#"{"id":"p1","a":"Kim Jong Un","b":"Kim Jong Un"}"#,
        "\n",
        r#"{"id":"p2","a":"Ri Chol"}"#,
        "\n",
        "not json\n",
        r#"{"a":"Ri Chol","b":"Ri Chol"}"#,
        "\n",
    );
    let out = embargo(&["compare", "--jsonl"], pairs);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let got = json_lines(&out);
    assert_eq!(got.len(), 4, "one output line per input line");
    assert_eq!(got[0]["id"], "p1");
    assert_eq!(got[0]["score"], 1.0);
    assert_eq!(
        got[1],
        serde_json::json!({"id": "p2", "error": "missing \"b\""})
    );
    assert!(got[2].get("id").is_none(), "{}", got[2]);
    assert!(got[2]["error"].is_string());
    assert_eq!(got[3]["score"], 1.0);
    let err = stderr(&out);
    assert!(err.contains("line 2: missing \"b\""), "{err}");
    assert!(err.contains("line 3: invalid JSON"), "{err}");

    let names = concat!(
        r#"{"id":"n1","name":"KOMID"}"#,
        "\n",
        r#"{"id":"n2","name":"KOMID","limit":0}"#,
        "\n",
        r#"{"id":"n3","name":"KOMID"}"#,
        "\n",
    );
    let out = embargo(&["match", "--rules", MINI, "--jsonl"], names);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let got = json_lines(&out);
    let ids: Vec<&str> = got.iter().filter_map(|l| l["id"].as_str()).collect();
    assert_eq!(ids, ["n1", "n2", "n3"]);
    assert!(got[1]["error"].is_string() && got[1].get("hits").is_none());
    assert!(stderr(&out).contains("line 2: "), "{}", stderr(&out));

    let goods = concat!(
        r#"{"id":"g1","description":"Rolex watch"}"#,
        "\n",
        r#"{"id":"g2","value":3}"#,
        "\n",
        r#"{"id":"g3","description":"Rolex watch"}"#,
        "\n",
    );
    let out = embargo(&["classify", "--rules", MINI, "--jsonl"], goods);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let got = json_lines(&out);
    let ids: Vec<&str> = got.iter().filter_map(|l| l["id"].as_str()).collect();
    assert_eq!(ids, ["g1", "g2", "g3"]);
    assert!(got[1]["error"].is_string() && got[1].get("categories").is_none());
}

/// The README's example of an internal watchlist, as a user copies it.
fn readme_internal_list() -> String {
    let readme = std::fs::read_to_string(cli::root().join("README.md")).expect("README");
    let start = readme
        .find("list internal {")
        .expect("the README shows internal.emb");
    let end = readme[start..]
        .find("```")
        .expect("the example's block ends")
        + start;
    readme[start..end].to_string()
}

#[test]
fn fmt_takes_folders_and_says_what_to_pass() {
    let dir = temp_dir("fmt");
    let rules = dir.join("my");
    std::fs::create_dir_all(rules.join("sub")).expect("folders");
    std::fs::write(rules.join("internal.emb"), readme_internal_list()).expect("write");
    std::fs::write(rules.join("notes.txt"), "not rules { at all").expect("write");
    let messy = rules.join("sub").join("messy.emb");
    std::fs::write(
        &messy,
        "list extra { title \"Extra\" as_of \"2026-12-01\" }\n",
    )
    .expect("write");

    let out = embargo(&["fmt", "--check", &arg(&rules.join("internal.emb"))], "");
    assert_eq!(
        out.status.code(),
        Some(0),
        "the README's example is canonical: {}",
        stderr(&out)
    );

    let out = embargo(&["fmt", "--check", &format!("{}/", arg(&rules))], "");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("{}: not in canonical form", messy.display())),
        "{err}"
    );
    assert!(!err.contains("internal.emb"), "{err}");
    assert!(
        !err.contains("notes.txt"),
        "only *.emb files are rules: {err}"
    );

    let out = embargo(&["fmt", "--write", &arg(&rules)], "");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = embargo(&["fmt", "--check", &arg(&rules)], "");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    let out = embargo(&["fmt", "--check"], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("name the rules files or folders to format"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn report_refuses_a_file_that_holds_no_decision() {
    let dir = temp_dir("report");
    let orders = dir.join("orders.jsonl");
    std::fs::write(
        &orders,
        "{\"id\":\"PO-1\",\"parties\":[{\"name\":\"Bob\"}]}\n{\"id\":\"PO-2\",\"parties\":[{\"name\":\"Ann\"}]}\n",
    )
    .expect("write");
    let html = dir.join("report.html");
    let out = embargo(
        &["report", "--rules", MINI, &arg(&orders), "-o", &arg(&html)],
        "",
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "{} holds no decisions: line 1 is not one (",
            orders.display()
        )),
        "{err}"
    );
    assert_eq!(err.matches("line 2").count(), 0, "one message: {err}");
    assert!(!html.exists(), "nothing is written");
}

#[test]
fn io_errors_name_their_path() {
    let dir = temp_dir("io");
    let folder = dir.join("orders");
    std::fs::create_dir_all(&folder).expect("folder");
    let orders = dir.join("o.jsonl");
    std::fs::write(
        &orders,
        "{\"id\":\"PO-1\",\"parties\":[{\"name\":\"Bob\"}]}\n",
    )
    .expect("write");
    let decisions = dir.join("d.jsonl");
    let out = embargo(
        &[
            "screen",
            "--rules",
            MINI,
            &arg(&orders),
            "-o",
            &arg(&decisions),
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    let f = arg(&folder);
    let d = arg(&decisions);
    let runs: [Vec<&str>; 5] = [
        vec!["screen", "--rules", MINI, &f],
        vec!["screen", "--rules", MINI, "--format", "csv", &f],
        vec!["report", "--rules", MINI, &f],
        vec!["rescreen", "--rules", MINI, "--previous", &d, &f],
        vec![
            "dispose",
            "--decisions",
            &f,
            "--order",
            "PO-1",
            "--by",
            "a.user",
            "--reason",
            "a test",
            "--until",
            "2030-01-01",
        ],
    ];
    for args in runs {
        let out = embargo(&args, "");
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(&f), "{args:?}: {}", stderr(&out));
    }
}

#[test]
fn json_errors_give_the_file_line_and_the_column() {
    let dir = temp_dir("json");
    let orders = dir.join("o.jsonl");
    std::fs::write(
        &orders,
        "{\"id\":\"PO-1\",\"parties\":[{\"name\":\"Bob\"}]}\n\n{\"id\":\"PO-3\",\"parties\":[{\"name\":\"x\" \"y\"}]}\n",
    )
    .expect("write");
    let out = embargo(&["screen", "--rules", MINI, &arg(&orders)], "");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("line 3: invalid order: expected `,` or `}` at column 37"),
        "{err}"
    );
    assert!(!err.contains("at line 1"), "{err}");

    let out = embargo(&["compare", "--jsonl"], "{\"a\": \"x\" \"b\"}\n");
    assert!(
        json_lines(&out)[0]["error"]
            .as_str()
            .is_some_and(|e| e.ends_with("at column 11")),
        "{}",
        stderr(&out)
    );
}

#[test]
fn hs_codes_are_checked_alike_by_classify_and_screen() {
    for bad in ["abc", "10121"] {
        let out = embargo(
            &["classify", "--rules", MINI, "--hs", bad, "steel bolts"],
            "",
        );
        assert_eq!(out.status.code(), Some(1), "--hs {bad}");
        assert!(
            stderr(&out).contains(&format!("--hs `{bad}` is not an HS code")),
            "{}",
            stderr(&out)
        );

        let line = format!("{{\"id\":\"g\",\"description\":\"steel bolts\",\"hs\":\"{bad}\"}}\n");
        let out = embargo(&["classify", "--rules", MINI, "--jsonl"], &line);
        assert_eq!(out.status.code(), Some(2), "{line}");
        assert!(json_lines(&out)[0]["error"]
            .as_str()
            .is_some_and(|e| e.contains("is not an HS code")));

        let order = format!(
            "{{\"id\":\"PO-1\",\"goods\":[{{\"description\":\"steel bolts\",\"hs\":\"{bad}\"}}]}}\n"
        );
        let out = embargo(&["screen", "--rules", MINI], &order);
        assert_eq!(out.status.code(), Some(2), "{order}");
        assert!(
            stderr(&out).contains(&format!("goods[0].hs `{bad}` is not an HS code")),
            "{}",
            stderr(&out)
        );
    }
    for good in ["7318.15", "7318", "7318150000", "HS 7318.15"] {
        let out = embargo(
            &["classify", "--rules", MINI, "--hs", good, "steel bolts"],
            "",
        );
        assert_eq!(out.status.code(), Some(0), "--hs {good}: {}", stderr(&out));
    }
}

#[test]
fn a_key_given_twice_is_refused_by_every_jsonl_command_as_by_screen() {
    let out = embargo(
        &["match", "--rules", MINI, "--jsonl"],
        "{\"id\":\"m\",\"name\":\"KOMID\",\"name\":\"Acme\"}\n",
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let got = json_lines(&out);
    assert_eq!(got[0]["id"], "m");
    assert!(got[0].get("hits").is_none(), "{}", got[0]);
    let why = got[0]["error"].as_str().unwrap_or_default();
    assert!(why.contains("duplicate field `name`"), "{why}");

    let out = embargo(
        &["classify", "--rules", MINI, "--jsonl"],
        "{\"description\":\"Rolex watch\",\"description\":\"tea\"}\n",
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("line 1: duplicate field `description`"),
        "{}",
        stderr(&out)
    );

    let out = embargo(
        &["compare", "--jsonl"],
        "{\"a\":\"KOMID\",\"b\":\"KOMID\",\"b\":\"Acme\"}\n",
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("duplicate field `b`"),
        "{}",
        stderr(&out)
    );

    let out = embargo(
        &["screen", "--rules", MINI, "-"],
        "{\"id\":\"s\",\"route\":{\"destination\":\"KP\",\"destination\":\"CN\"}}\n",
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("duplicate field `destination`"),
        "{}",
        stderr(&out)
    );
}
