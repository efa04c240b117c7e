//! End-to-end tests of what `embargo screen` refuses in its input and how it writes
//! its output (issue 22, "fail closed"): orders that say nothing or say it in fields
//! embargo does not read, CSV rows a stray quote would swallow, a CSV column given
//! twice, party or goods lists of different lengths, byte order marks and CRLF lines,
//! outputs that would overwrite an input, and output of a run that dies.

use std::io::{BufRead, BufReader, Write};

use std::process::{Command, Stdio};

#[path = "support/cli.rs"]
#[allow(dead_code)] // The shared helpers also serve tests of other files.
mod cli;
use cli::{arg, decision_of, embargo, ids, json_lines, temp_dir, text, MINI};

#[test]
fn unknown_fields_at_any_level_reject_the_order() {
    let orders = concat!(
        r#"{"id":"T0","parties":[{"name":"Korea Kumsan Trading Corporation","dob":"1970","nationality":"KP","identifiers":[{"type":"passport","value":"123"}]}]}"#,
        "\n",
        r#"{"id":"T1","party":[{"name":"Korea Kumsan Trading Corporation"}]}"#,
        "\n",
        r#"{"id":"T2","goods":[{"description":"Rolex"}],"destination":"KP"}"#,
        "\n",
        r#"{"id":"T3","goods":[{"description":"Rolex"}],"Route":{"destination":"KP"}}"#,
        "\n",
        r#"{"id":"T4","parties":[{"full_name":"Korea Kumsan Trading Corporation"}]}"#,
        "\n",
        r#"{"id":"T5","route":{"destinaton":"KP"}}"#,
        "\n",
        r#"{"id":"T6"}"#,
        "\n",
        r#"{"id":"T7","parties":[{"role":"buyer"}],"goods":[{"description":"rice"}]}"#,
        "\n",
    );
    let out = embargo(&["screen", "--rules", MINI], orders);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(ids(&out), ["T0"], "only the order that says what it means");
    for needle in [
        "line 2 (order T1): invalid order: unknown field `party` (did you mean `parties`?)",
        "line 3 (order T2): invalid order: unknown field `destination` (`destination` belongs in `route`)",
        "line 4 (order T3): invalid order: unknown field `Route` (did you mean `route`?)",
        "line 5 (order T4): invalid order: unknown field `parties[0].full_name`",
        "line 6 (order T5): invalid order: unknown field `route.destinaton` (did you mean `destination`?)",
        "line 7 (order T6): nothing to screen",
        "line 8 (order T7): parties[0] has no name, country or address",
    ] {
        assert!(stderr.contains(needle), "{needle}\n{stderr}");
    }
}

#[test]
fn a_byte_order_mark_does_not_cost_the_first_order() {
    let orders = "\u{feff}{\"id\":\"B1\",\"route\":{\"destination\":\"KP\"}}\n{\"id\":\"B2\",\"route\":{\"destination\":\"CN\"}}\n";
    let out = embargo(&["screen", "--rules", MINI], orders);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(ids(&out), ["B1", "B2"]);
}

#[test]
fn an_unbalanced_quote_swallows_no_csv_row() {
    let csv = "id,destination,goods_description\nA1,KP,Rolex watch\nA2,KP,\"Rolex watch\nA3,KP,Rolex watch\nA4,KP,Rolex watch\n";
    let out = embargo(&["screen", "--format", "csv"], csv);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(ids(&out), ["A1", "A3", "A4"]);
    assert!(json_lines(&out).iter().all(|d| d["decision"] == "block"));
    assert!(
        stderr.contains("line 3: the quote opened on line 3 is never closed"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "screened 3 orders (3 block, 0 review, 0 clear), rejected 1 records, 5 lines read"
        ),
        "{stderr}"
    );
}

#[test]
fn csv_line_numbers_count_crlf_lines_and_skip_a_byte_order_mark() {
    let csv = "\u{feff}id,destination,goods_description,goods_value\r\nC1,KP,rice,10\r\nC2,KP,rice,ten\r\n\r\nC3,CN,rice,\"1,000\"\r\nC4,KP,rice,eleven\r\n";
    let out = embargo(&["screen", "--rules", MINI, "--format", "csv"], csv);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(ids(&out), ["C1", "C3"]);
    assert!(stderr.contains("line 3 (order C2):"), "{stderr}");
    assert!(stderr.contains("line 6 (order C4):"), "{stderr}");
    assert!(stderr.contains("6 lines read"), "{stderr}");
}

#[test]
fn an_unknown_csv_column_refuses_the_file_with_a_hint() {
    let csv = "id,destinaton,goods_description\nU1,KP,Rolex watch\n";
    let out = embargo(&["screen", "--rules", MINI, "--format", "csv"], csv);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(out.stdout.is_empty());
    assert!(
        stderr
            .contains("line 1, column 2: unknown column `destinaton`: did you mean `destination`?"),
        "{stderr}"
    );
    // A column named as holding nothing to screen is read past.
    let csv = "id,destination,notes\nU1,KP,call first\n";
    let out = embargo(
        &[
            "screen",
            "--rules",
            MINI,
            "--format",
            "csv",
            "--ignore-column",
            "notes",
        ],
        csv,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(ids(&out), ["U1"]);
}

#[test]
fn csv_on_standard_input_is_recognised() {
    let csv = "id,destination,goods_description\nS1,KP,Rolex watch\n";
    let out = embargo(&["screen"], csv);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(ids(&out), ["S1"]);
    assert_eq!(json_lines(&out)[0]["decision"], "block");
    assert!(stderr.contains("read as CSV"), "{stderr}");
}

#[test]
fn dash_is_standard_output_and_writes_no_file() {
    let dash = cli::root().join("-");
    let _ = std::fs::remove_file(&dash);
    let out = embargo(
        &["screen", "--rules", MINI, "-o", "-"],
        "{\"id\":\"D1\",\"route\":{\"destination\":\"CN\"}}\n",
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(ids(&out), ["D1"]);
    assert!(!dash.exists(), "no file named `-`");
}

#[test]
fn an_output_that_is_an_input_is_refused_before_reading() {
    let dir = temp_dir("same");
    let input = dir.join("orders.jsonl");
    let body = "{\"id\":\"S1\",\"route\":{\"destination\":\"CN\"}}\n";
    std::fs::write(&input, body).expect("write");
    let check = |args: &[&str]| {
        let mut all = vec!["screen", "--rules", MINI];
        all.extend_from_slice(args);
        let out = embargo(&all, "");
        assert_eq!(
            out.status.code(),
            Some(1),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert!(out.stdout.is_empty());
        assert_eq!(std::fs::read_to_string(&input).ok().as_deref(), Some(body));
        text(&out.stderr)
    };
    let i = arg(&input);
    let stderr = check(&[&i, "-o", &i]);
    assert!(
        stderr.contains("is both an input and an output"),
        "{stderr}"
    );
    check(&[&i, "--errors", &i]);
    #[cfg(unix)]
    {
        let link = dir.join("link.jsonl");
        std::os::unix::fs::symlink(&input, &link).expect("symlink");
        check(&[&i, "-o", &arg(&link)]);
    }
    let same = arg(&dir.join("out.jsonl"));
    let stderr = check(&[&i, "-o", &same, "--errors", &same]);
    assert!(stderr.contains("given as two outputs"), "{stderr}");
    assert!(!dir.join("out.jsonl").exists());
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_is_an_error_naming_the_file() {
    let orders = "{\"id\":\"F1\",\"route\":{\"destination\":\"CN\"}}\n{\"id\":\"F2\"}\n";
    let out = embargo(&["screen", "--rules", MINI, "-o", "/dev/full"], orders);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("/dev/full: No space left on device"),
        "{}",
        text(&out.stderr)
    );
    // The errors file fails the same way; the decisions never appear as complete.
    let dir = temp_dir("full");
    let target = dir.join("decisions.jsonl");
    std::fs::write(&target, "a stale result\n").expect("write");
    let out = embargo(
        &[
            "screen",
            "--rules",
            MINI,
            "-o",
            &arg(&target),
            "--errors",
            "/dev/full",
        ],
        orders,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("/dev/full:"),
        "{}",
        text(&out.stderr)
    );
    assert!(
        !target.exists(),
        "neither the stale nor a partial result stands"
    );
    let left: Vec<_> = std::fs::read_dir(&dir).expect("dir").collect();
    assert!(left.is_empty(), "no partial file is left: {left:?}");
}

/// A run killed midway leaves its rejections so far in `--errors` and no file that
/// looks like its decisions.
#[cfg(unix)]
#[test]
fn a_killed_run_leaves_no_complete_looking_output() {
    let dir = temp_dir("killed");
    let config = dir.join("embargo.toml");
    // One order per chunk, so each is written as soon as it is read.
    std::fs::write(&config, "[batch]\nchunk_size = 1\n").expect("write");
    let target = dir.join("decisions.jsonl");
    let errors = dir.join("rejected.jsonl");
    let mut child = Command::new(env!("CARGO_BIN_EXE_embargo"))
        .current_dir(cli::root())
        .args([
            "screen",
            "--config",
            &arg(&config),
            "--rules",
            MINI,
            "-o",
            &arg(&target),
            "--errors",
            &arg(&errors),
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the embargo binary runs");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin
        .write_all(b"{\"id\":\"K1\",\"route\":{\"destination\":\"CN\"}}\n{\"id\":\"K2\"}\n")
        .expect("write");
    stdin.flush().expect("flush");
    // The rejection is reported on stderr once it is in the errors file.
    let mut stderr = BufReader::new(child.stderr.take().expect("stderr"));
    let mut line = String::new();
    while !line.contains("line 2") {
        line.clear();
        if stderr.read_line(&mut line).expect("stderr") == 0 {
            panic!("embargo ended before rejecting line 2");
        }
    }
    child.kill().expect("kill");
    let _ = child.wait();
    drop(stdin);
    let rejected = std::fs::read_to_string(&errors).expect("errors file");
    assert!(rejected.contains("\"line\":2"), "{rejected}");
    assert!(!target.exists(), "no decisions file until the run is done");
}

/// The DPRK however an order writes it, in any language or script or as a demonym, and
/// a party whose name says it is a DPRK body; the look-alikes stay what they are.
#[test]
fn the_dprk_in_other_languages_and_by_name_is_a_hit() {
    let rolex = |id: &str, destination: &str| {
        format!(
            "{{\"id\":\"{id}\",\"goods\":[{{\"description\":\"Rolex Submariner wristwatch\"}}],\"route\":{{\"destination\":\"{destination}\"}}}}\n"
        )
    };
    let dprk = [
        "朝鲜",
        "조선",
        "북한",
        "КНДР",
        "Nordkorea",
        "Corée du Nord",
        "North Korean",
        "Pjöngjang",
        "Phenjan",
    ];
    let mut orders: String = dprk
        .iter()
        .enumerate()
        .map(|(k, d)| rolex(&format!("K{k}"), d))
        .collect();
    for (id, d) in [
        ("S1", "대한민국"),
        ("S2", "South Korea"),
        ("S3", "韩国"),
        ("S4", "Korea"),
    ] {
        orders.push_str(&rolex(id, d));
    }
    orders.push_str(concat!(
        r#"{"id":"N1","parties":[{"role":"buyer","name":"Embassy of North Korea in Moscow","country":"RU","address":"Mosfilmovskaya 72, Moscow"}],"goods":[{"description":"office chairs"}]}"#,
        "\n",
        r#"{"id":"N2","parties":[{"role":"consignee","name":"DPRK Trade Representation in Vladivostok","country":"RU"}],"goods":[{"description":"Hennessy XO cognac"}]}"#,
        "\n",
        r#"{"id":"N3","parties":[{"role":"buyer","name":"Yanbian Rice Co","address":"吉林省延边朝鲜族自治州延吉市"}],"goods":[{"description":"rice"}]}"#,
        "\n",
    ));
    let out = embargo(&["screen"], &orders);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let got = json_lines(&out);
    let decision = |id: &str| decision_of(&got, id);
    for (k, written) in dprk.iter().enumerate() {
        assert_eq!(decision(&format!("K{k}")), "block", "{written}");
    }
    assert_eq!(decision("S1"), "clear");
    assert_eq!(decision("S2"), "clear");
    assert_eq!(decision("S3"), "clear");
    assert_eq!(decision("S4"), "review", "`Korea` alone needs a person");
    let n1 = got.iter().find(|d| d["id"] == "N1").expect("N1");
    assert_eq!(n1["decision"], "review", "{n1}");
    assert_eq!(n1["hits"][0]["rule"], "dprk_body_by_name");
    assert_eq!(n1["hits"][0]["field"], "parties[0].name");
    assert_eq!(n1["hits"][0]["text"], "North Korea");
    assert_eq!(decision("N2"), "block", "luxury goods to a DPRK body");
    assert_eq!(decision("N3"), "clear", "朝鲜族 is China's Korean minority");
}

/// The DPRK's official names in Chinese (either script), the Chinese names in the
/// script other than the one a source gives, and the short forms of trade statistics
/// with their abbreviations, in route fields and addresses: each was read as a place
/// screened as written, and a Rolex for the DPRK cleared.
#[test]
fn the_dprk_by_official_name_and_abbreviated_is_a_hit() {
    let rolex = |id: &str, field: &str, value: &str| {
        let (route, party) = match field {
            "address" => (
                String::new(),
                format!(",\"parties\":[{{\"role\":\"consignee\",\"name\":\"Acme Trading\",\"address\":\"{value}\"}}]"),
            ),
            _ => (format!(",\"route\":{{\"{field}\":\"{value}\"}}"), String::new()),
        };
        format!(
            "{{\"id\":\"{id}\",\"goods\":[{{\"description\":\"Rolex Submariner wristwatch\",\"hs\":\"9101.11\"}}]{route}{party}}}\n"
        )
    };
    let dprk = [
        ("destination", "朝鲜民主主义人民共和国"),
        ("destination", "朝鮮民主主義人民共和國"),
        ("destination", "北朝鲜"),
        ("destination", "朝鮮"),
        ("destination", "Demokratische Volksrepublik Korea"),
        ("destination", "Dem. People's Rep. of Korea"),
        ("destination", "Korea, Dem. Rep."),
        ("destination", "DPR of Korea"),
        ("destination", "D.P.R. of Korea"),
        ("address", "朝鲜民主主义人民共和国平壤市"),
        ("address", "朝鮮民主主義人民共和國 咸鏡北道"),
        ("address", "北朝鲜 咸镜北道"),
    ];
    let korea = [
        ("destination", "Korea, Rep."),
        ("destination", "Rep. of Korea"),
        ("address", "朝鮮族自治州"),
    ];
    let mut orders = String::new();
    for (k, (field, value)) in dprk.iter().enumerate() {
        orders.push_str(&rolex(&format!("K{k}"), field, value));
    }
    for (k, (field, value)) in korea.iter().enumerate() {
        orders.push_str(&rolex(&format!("S{k}"), field, value));
    }
    let out = embargo(&["screen"], &orders);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let got = json_lines(&out);
    let decision = |id: &str| decision_of(&got, id);
    for (k, (field, value)) in dprk.iter().enumerate() {
        assert_eq!(decision(&format!("K{k}")), "block", "{field} {value}");
    }
    for (k, (field, value)) in korea.iter().enumerate() {
        assert_eq!(decision(&format!("S{k}")), "clear", "{field} {value}");
    }
}

/// Writes `body` as `name` in a fresh folder and screens it with the embedded rules,
/// decisions and rejections to files: (exit code, decisions, rejections, stderr).
fn screen_csv_file(name: &str, body: &str) -> (Option<i32>, String, String, String) {
    let dir = temp_dir(name);
    let input = dir.join(format!("{name}.csv"));
    std::fs::write(&input, body).expect("write");
    let (out, err) = (dir.join("out.jsonl"), dir.join("err.jsonl"));
    let run = embargo(
        &[
            "screen",
            &arg(&input),
            "-o",
            &arg(&out),
            "--errors",
            &arg(&err),
        ],
        "",
    );
    let read = |p: &std::path::Path| std::fs::read_to_string(p).unwrap_or_default();
    (run.status.code(), read(&out), read(&err), text(&run.stderr))
}

/// The ids in a decisions file.
fn decided(decisions: &str) -> Vec<String> {
    decisions
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|d| d["id"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn a_stray_quote_closed_by_a_later_one_takes_no_row_unseen() {
    let head = "id,buyer_name,goods_description,destination\n";
    let rest = "C2,Korea Kwangson Banking Corp.,cognac,CN\nC3,Foo,\"bolts\",DE\nC4,Korea Kwangson Banking Corp.,rice,CN\n";
    for (name, stray) in [
        ("stray", "C1,Acme,\"steel bolts,DE\n"),
        ("inches", "C1,Acme,\"steel bolts 12\"\",DE\n"),
    ] {
        let (code, decisions, errors, stderr) =
            screen_csv_file(name, &format!("{head}{stray}{rest}"));
        assert_eq!(code, Some(2), "{name}: {stderr}");
        assert_eq!(decided(&decisions), ["C4"], "{name}");
        assert!(errors.contains("\"line\":2"), "{name}: {errors}");
        assert!(
            errors.contains(
                "lines 2 to 4 would be one record, the quote opened on line 2 closing on line 4"
            ),
            "{name}: {errors}"
        );
        assert!(
            stderr.contains("rejected 1 records, 5 lines read"),
            "{name}: {stderr}"
        );
    }
    // A lone quote inside an unquoted field is text: every row is read.
    let (code, decisions, _, stderr) = screen_csv_file(
        "lone",
        &format!("{head}C1,Acme,steel bolts 12\",DE\n{rest}"),
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(decided(&decisions), ["C1", "C2", "C3", "C4"]);
    // A cell with a line break (Alt+Enter in Excel) in a well-formed record is read.
    let (code, decisions, _, stderr) = screen_csv_file(
        "excel",
        "id,buyer_name,buyer_address,destination\nE1,Korea Kwangson Banking Corp.,\"Sungri Street\nPyongyang\",KP\nE2,Foo,Berlin,DE\n",
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(decided(&decisions), ["E1", "E2"]);
    assert!(decisions
        .lines()
        .next()
        .unwrap_or("")
        .contains("\"decision\":\"block\""));
}

#[test]
fn a_repeated_csv_column_refuses_the_file() {
    let (code, decisions, _, stderr) = screen_csv_file(
        "repeated",
        "id,buyer_name,buyer_name\nR1,Korea Mining Development Trading Corporation,Foo\n",
    );
    assert_eq!(code, Some(1), "{stderr}");
    assert!(decisions.is_empty());
    assert!(
        stderr.contains("line 1, column 3: column `buyer_name` repeats column 2 (`buyer_name`)"),
        "{stderr}"
    );
}

#[test]
fn lists_of_one_party_or_goods_group_must_agree_in_length() {
    let (code, decisions, errors, stderr) = screen_csv_file(
        "lists",
        "id,party_role,party_name,party_country,goods_description,goods_value\n\
         H1,seller;bank,Foo,CN;KP;RU,rice,10\n\
         H2,seller;bank,Foo;Bar,CN;,rice,10\n\
         H3,seller,Foo,CN,cognac;rice,10\n",
    );
    assert_eq!(code, Some(2), "{stderr}");
    assert_eq!(decided(&decisions), ["H2"]);
    for needle in [
        "line 2 (order H1): the party lists disagree: `party_role` has 2 items, `party_name` has 1 item, `party_country` has 3 items",
        "line 4 (order H3): the goods lists disagree: `goods_description` has 2 items, `goods_value` has 1 item",
    ] {
        assert!(stderr.contains(needle), "{needle}\n{stderr}");
    }
    assert!(errors.contains("\"line\":4"), "{errors}");
}

#[test]
fn an_order_id_is_echoed_as_written_or_refused_with_its_field() {
    let orders = concat!(
        r#"{"id":12345678901234567890,"parties":[{"name":"KOMID"}]}"#,
        "\n",
        r#"{"id":12345678901234567891,"parties":[{"name":"Tumen River Bakery"}]}"#,
        "\n",
        r#"{"id":-42,"route":{"destination":"CN"}}"#,
        "\n",
        r#"{"id":1.5,"route":{"destination":"CN"}}"#,
        "\n",
        r#"{"id":true,"route":{"destination":"CN"}}"#,
        "\n",
        r#"{"id":1e3,"route":{"destination":"CN"}}"#,
        "\n",
        r#"{"id":123456789012345678901234,"route":{"destination":"CN"}}"#,
        "\n",
    );
    let out = embargo(&["screen", "--rules", MINI, "-"], orders);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let got = json_lines(&out);
    let pairs: Vec<(&str, &str)> = got
        .iter()
        .map(|d| (d["id"].as_str().unwrap(), d["decision"].as_str().unwrap()))
        .collect();
    // Two ids a float would round to one keep their last digit, and their decisions.
    assert_eq!(
        pairs,
        [
            ("12345678901234567890", "block"),
            ("12345678901234567891", "clear"),
            ("-42", "clear")
        ]
    );
    let err = text(&out.stderr);
    for line in 4..=7 {
        assert!(
            err.lines().any(|l| l.starts_with(&format!("line {line}"))
                && l.contains("invalid order: id: must be a non-blank string or a whole number")),
            "{err}"
        );
    }
}
