//! End-to-end tests of `embargo compare` and `embargo match` (CONTRACT.md): output
//! shapes, input order, kinds, thresholds, and the same score for the same pair from
//! both commands.

use std::process::Output;

#[path = "support/cli.rs"]
#[allow(dead_code)] // The shared helpers also serve tests of other files.
mod cli;
use cli::{embargo, json_lines as lines, MINI};

fn score_of(out: &Output) -> f64 {
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .expect("compare prints a number")
}

#[test]
fn compare_prints_one_graded_score() {
    let same = embargo(&["compare", "Kim Jong Un", "KIM, Jong Un"], "");
    assert_eq!(same.status.code(), Some(0));
    assert_eq!(score_of(&same), 1.0, "identical after normalization");

    let variant = embargo(
        &[
            "compare",
            "--kind",
            "organization",
            "Korea Kwangsong Banking Co.",
            "KOREA KWANGSON BANKING CORP",
        ],
        "",
    );
    let s = score_of(&variant);
    assert!(
        s > 0.8 && s < 1.0,
        "a spelling variant is close but not identical: {s}"
    );

    let other = embargo(
        &[
            "compare",
            "Korea Development Bank",
            "Korea Kwangson Banking Corp",
        ],
        "",
    );
    let s = score_of(&other);
    assert!(
        s > 0.0 && s < 0.8,
        "sharing generic words is not a match: {s}"
    );
}

#[test]
fn compare_jsonl_answers_in_input_order_and_rejects_bad_lines() {
    let input = concat!(
        r#"{"a":"Kim Jong Un","b":"Kim Jong Un"}"#,
        "\n",
        r#"{"a":"Ri Chol","b":"Ri Chol","kind":"person"}"#,
        "\n",
        "not json\n",
        r#"{"a":"Ocean Maritime Management","b":"Daedong Credit Bank","kind":"organization"}"#,
        "\n",
        r#"{"a":"x","b":"y","kind":"spaceship"}"#,
        "\n",
    );
    let out = embargo(&["compare", "--jsonl"], input);
    assert_eq!(
        out.status.code(),
        Some(2),
        "rejected lines make exit code 2"
    );
    let got = lines(&out);
    assert_eq!(got.len(), 5, "one output line per input line");
    assert_eq!(got[0]["score"], 1.0);
    assert_eq!(got[1]["score"], 1.0);
    assert!(got[2]["error"]
        .as_str()
        .is_some_and(|e| e.starts_with("invalid JSON")));
    assert!(got[3]["score"].as_f64().is_some_and(|s| s < 0.5));
    assert!(got[4]["error"]
        .as_str()
        .is_some_and(|e| e.starts_with("unknown kind `spaceship`")));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("line 3: invalid JSON"), "{stderr}");
    assert!(
        stderr.contains("line 5: unknown kind `spaceship`"),
        "{stderr}"
    );
}

#[test]
fn match_finds_listed_names_with_ids_and_lists() {
    let out = embargo(
        &[
            "match",
            "--rules",
            MINI,
            "Korea Kwangson Banking Corporation",
        ],
        "",
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got = lines(&out);
    let hits = got[0]["hits"].as_array().expect("hits");
    assert_eq!(hits[0]["entity"], "ofac-sdn:11581");
    assert_eq!(hits[0]["name"], "KOREA KWANGSON BANKING CORP");
    assert_eq!(hits[0]["kind"], "organization");
    assert_eq!(hits[0]["lists"], serde_json::json!(["ofac-sdn"]));

    // The score is the one `compare` gives the same pair.
    let s = hits[0]["score"].as_f64().expect("score");
    let cmp = embargo(
        &[
            "compare",
            "Korea Kwangson Banking Corporation",
            "KOREA KWANGSON BANKING CORP",
        ],
        "",
    );
    assert!(
        (score_of(&cmp) - s).abs() < 1e-9,
        "compare {} vs match {s}",
        score_of(&cmp)
    );
}

#[test]
fn match_jsonl_keeps_order_ids_kinds_and_thresholds() {
    let input = concat!(
        r#"{"id":"q1","name":"KOMID"}"#,
        "\n",
        r#"{"id":7,"name":"Chon Ma San","kind":"vessel"}"#,
        "\n",
        r#"{"id":"q3","name":"Tumen River Bakery"}"#,
        "\n",
        r#"{"id":"q4"}"#,
        "\n",
    );
    let out = embargo(&["match", "--rules", MINI, "--jsonl"], input);
    assert_eq!(out.status.code(), Some(2));
    let got = lines(&out);
    assert_eq!(got.len(), 4, "one output line per input line");
    assert_eq!(got[0]["id"], "q1");
    assert_eq!(got[0]["hits"][0]["entity"], "un:KPe.001");
    assert_eq!(got[1]["id"], 7);
    assert_eq!(got[1]["hits"][0]["entity"], "ofac-sdn:23729");
    assert_eq!(
        got[2]["hits"],
        serde_json::json!([]),
        "an unrelated name has no hits"
    );
    assert_eq!(got[3]["id"], "q4");
    assert_eq!(got[3]["error"], "missing \"name\"");
    assert!(String::from_utf8_lossy(&out.stderr).contains("line 4: missing \"name\""));

    // Threshold 0 returns the best `--limit` whatever their score, best first.
    let out = embargo(
        &[
            "match",
            "--rules",
            MINI,
            "--threshold",
            "0",
            "--limit",
            "2",
            "Tumen River Bakery",
        ],
        "",
    );
    let hits = lines(&out)[0]["hits"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(hits.len(), 2);
    assert!(hits[0]["score"].as_f64() >= hits[1]["score"].as_f64());
}

#[test]
fn match_usage_errors_exit_1() {
    let out = embargo(&["match", "--rules", MINI, "--kind", "boat", "X"], "");
    assert_eq!(out.status.code(), Some(1));
    let out = embargo(&["match", "--rules", MINI, "--threshold", "1.5", "X"], "");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn match_default_rules_find_transliterated_and_reordered_names() {
    // The embedded default lists: the UN and OFAC entries for KOMID and for
    // Kim Jong Un, asked for the way an invoice might write them.
    let input = concat!(
        r#"{"id":"a","name":"Korea Mining Development Trading Corp."}"#,
        "\n",
        r#"{"id":"b","name":"Kim Chong-un","kind":"person"}"#,
        "\n",
        r#"{"id":"c","name":"Korea Development Bank","country":"KR"}"#,
        "\n",
    );
    let out = embargo(&["match", "--jsonl"], input);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got = lines(&out);
    // One hit per party: its other list entries are in `also`.
    let ids = |k: usize| -> Vec<String> {
        got[k]["hits"]
            .as_array()
            .map(|h| {
                h.iter()
                    .flat_map(|x| {
                        let also = x["also"].as_array().cloned().unwrap_or_default();
                        std::iter::once(x["entity"].clone()).chain(also)
                    })
                    .filter_map(|x| x.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    };
    assert!(ids(0).contains(&"un:KPe.001".to_string()), "{:?}", ids(0));
    assert!(
        ids(0).iter().any(|i| i.starts_with("ofac-sdn:")),
        "{:?}",
        ids(0)
    );
    assert!(
        ids(1).contains(&"ofac-sdn:20157".to_string()),
        "{:?}",
        ids(1)
    );
    assert!(
        ids(2).is_empty(),
        "a legitimate look-alike stays clear: {:?}",
        ids(2)
    );
}

#[test]
fn a_short_company_name_meets_no_alias_of_its_consonants_alone() {
    // `Acme` and the UN alias `AQMI` (Al-Qaida au Maghreb islamique) share two
    // consonants only once `c` and `q` are folded, and their vowels differ: no two
    // spellings of one name (0.81 before, a hit at the default threshold).
    let out = embargo(&["match", "--jsonl"], "{\"id\":\"a\",\"name\":\"Acme\"}\n");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got = lines(&out);
    assert_eq!(
        got[0]["hits"].as_array().map(Vec::len),
        Some(0),
        "{}",
        got[0]
    );
}
