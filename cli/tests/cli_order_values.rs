//! End-to-end tests of the order values `embargo screen` and `embargo match` refuse
//! rather than screen on a guess (a new user's trial): a date of birth that is no
//! date, a party's country or nationality no one recognizes, a route field written as
//! a country code that is none, an IMO number that is not seven digits. JSON lines
//! and CSV are refused alike, each record with its line and field.

#[path = "support/cli.rs"]
#[allow(dead_code)] // The shared helpers also serve tests of other files.
mod cli;
use cli::{arg, embargo, ids, json_lines, temp_dir, text, MINI};

/// Asserts a run exited 2, screened exactly `kept` and reported each of `needles`.
fn rejected(out: &std::process::Output, kept: &[&str], needles: &[&str]) {
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(ids(out), kept, "{stderr}");
    for needle in needles {
        assert!(stderr.contains(needle), "{needle}\n{stderr}");
    }
}

#[test]
fn a_date_of_birth_that_is_no_date_rejects_the_order() {
    // Before, `1984-13-45` counted as a birth year of 1984 against the listed
    // person's and lowered the block to a review.
    let orders = concat!(
        r#"{"id":"D1","parties":[{"name":"Kim Tong Un","dob":"1984-13-45"}]}"#,
        "\n",
        r#"{"id":"D2","parties":[{"name":"Kim Tong Un","dob":"yesterday"}]}"#,
        "\n",
        r#"{"id":"D3","parties":[{"name":"Kim Tong Un","dob":"1983-02-29"}]}"#,
        "\n",
        r#"{"id":"D4","parties":[{"name":"Kim Tong Un","dob":"1961-04"}]}"#,
        "\n",
    );
    let out = embargo(&["screen"], orders);
    rejected(
        &out,
        &["D4"],
        &[
            "line 1 (order D1): parties[0].dob: `1984-13-45` is not a date of birth (YYYY, YYYY-MM or YYYY-MM-DD)",
            "line 2 (order D2): parties[0].dob: `yesterday` is not a date of birth",
            "line 3 (order D3): parties[0].dob: `1983-02-29`",
        ],
    );
}

#[test]
fn a_party_country_no_one_recognizes_rejects_the_order() {
    let orders = concat!(
        r#"{"id":"C1","parties":[{"name":"Sunrise Logistics","country":"XX"}],"goods":[{"description":"Rolex watch"}]}"#,
        "\n",
        r#"{"id":"C2","parties":[{"name":"Sunrise Logistics","country":"KPP"}]}"#,
        "\n",
        r#"{"id":"C3","parties":[{"name":"Sunrise Logistics","country":"CN","nationality":"Narnia"}]}"#,
        "\n",
        r#"{"id":"C4","parties":[{"name":"Sunrise Logistics","country":"Corée du Nord","nationality":"North Korean"}]}"#,
        "\n",
        r#"{"id":"C5","parties":[{"name":"Sunrise Logistics","country":"Korea"}]}"#,
        "\n",
    );
    let out = embargo(&["screen", "--rules", MINI], orders);
    rejected(
        &out,
        &["C4", "C5"],
        &[
            "line 1 (order C1): parties[0].country: `XX` is not a country",
            "line 2 (order C2): parties[0].country: `KPP` is not a country (an ISO code or a country name); did you mean `KP`?",
            "line 3 (order C3): parties[0].nationality: `Narnia` is not a country",
        ],
    );
}

#[test]
fn a_route_code_that_is_none_and_a_malformed_imo_reject_the_order() {
    let orders = concat!(
        r#"{"id":"R1","route":{"origin":"CN","destination":"ZZ"}}"#,
        "\n",
        r#"{"id":"R2","route":{"origin":"CN","via":["Dalian","KPP"]}}"#,
        "\n",
        r#"{"id":"R3","route":{"origin":"Narnia","destination":"Nampo","via":"Dalian; PRK"}}"#,
        "\n",
        r#"{"id":"R4","route":{"vessel":"CHON MA SAN","imo":"866031"}}"#,
        "\n",
        r#"{"id":"R5","route":{"vessel":"CHON MA SAN","imo":"IMO 8660313"}}"#,
        "\n",
    );
    let out = embargo(&["screen", "--rules", MINI], orders);
    rejected(
        &out,
        &["R3", "R5"],
        &[
            "line 1 (order R1): route.destination: `ZZ` looks like a country code but is none",
            "line 2 (order R2): route.via[1]: `KPP` looks like a country code but is none; did you mean `KP`?",
            "line 4 (order R4): route.imo: `866031` is not an IMO number (7 digits, with or without `IMO`)",
        ],
    );
}

#[test]
fn csv_cells_are_checked_as_json_fields_are() {
    let dir = temp_dir("csv-values");
    let csv = dir.join("orders.csv");
    std::fs::write(
        &csv,
        "id,buyer_name,buyer_dob,party1_name,party1_country,party1_nationality\n\
         V1,Kim Tong Un,1984-13-45,,,\n\
         V2,Sunrise Logistics,,Ocean Star Ltd,Narnia,\n\
         V3,Sunrise Logistics,,Ocean Star Ltd,SG,Atlantis\n\
         V4,Sunrise Logistics,1970-01-02,Ocean Star Ltd,Singapore,SG\n",
    )
    .expect("write");
    let out = embargo(&["screen", "--rules", MINI, &arg(&csv)], "");
    rejected(
        &out,
        &["V4"],
        &[
            "line 2 (order V1): parties[0].dob: `1984-13-45` is not a date of birth",
            "line 3 (order V2): parties[0].country: `Narnia` is not a country",
            "line 4 (order V3): parties[0].nationality: `Atlantis` is not a country",
        ],
    );
}

#[test]
fn match_refuses_a_country_that_is_none() {
    let out = embargo(&["match", "--rules", MINI, "--country", "XX", "KOMID"], "");
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("`XX` is not a country"), "{stderr}");
    assert!(out.stdout.is_empty());

    let ok = embargo(
        &["match", "--rules", MINI, "--country", "DPRK", "KOMID"],
        "",
    );
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok.stderr));

    // One bad line of `--jsonl` is that line's error, not the run's.
    let lines = "{\"id\":1,\"name\":\"KOMID\",\"country\":\"Narnia\"}\n{\"id\":2,\"name\":\"KOMID\",\"country\":\"KP\"}\n";
    let out = embargo(&["match", "--rules", MINI, "--jsonl"], lines);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("`Narnia` is not a country"), "{stderr}");
    // Answered in its place, so that the answers line up with the questions.
    let answers = json_lines(&out);
    assert_eq!(answers.len(), 2, "{stderr}");
    assert!(answers[0]["error"]
        .as_str()
        .is_some_and(|e| e.contains("`Narnia` is not a country")));
    assert_eq!(answers[1]["id"], 2);
}

#[test]
fn an_identifier_needs_its_type_and_a_value_as_the_service_says() {
    let orders = concat!(
        r#"{"id":"I1","parties":[{"name":"Kim Tong Un","identifiers":[{"value":"P-123"}]}]}"#,
        "\n",
        r#"{"id":"I2","parties":[{"name":"Kim Tong Un","identifiers":[{"type":"passport","value":"  "}]}]}"#,
        "\n",
        r#"{"id":"I3","parties":[{"name":"Kim Tong Un","identifiers":[{"type":"passport","value":"P-123"}]}]}"#,
        "\n",
    );
    let out = embargo(&["screen", "--rules", MINI], orders);
    rejected(
        &out,
        &["I3"],
        &[
            "line 1 (order I1): invalid order: parties[0].identifiers[0]: missing field `type`",
            "line 2 (order I2): parties[0].identifiers[0].value: must not be blank",
        ],
    );
}

#[test]
fn a_party_name_with_nothing_to_screen_rejects_the_order_as_a_blank_one_does() {
    // Before, `...` and `Co., Ltd.` were screened as no name at all and cleared.
    let orders = concat!(
        r#"{"id":"P1","parties":[{"name":"..."}]}"#,
        "\n",
        r#"{"id":"P2","parties":[{"name":"Co., Ltd.","country":"CN"}]}"#,
        "\n",
        r#"{"id":"P3","parties":[{"name":""}]}"#,
        "\n",
        r#"{"id":"P4","parties":[{"name":"3M Co., Ltd."}]}"#,
        "\n",
    );
    let out = embargo(&["screen", "--rules", MINI], orders);
    rejected(
        &out,
        &["P4"],
        &[
            "line 1 (order P1): parties[0].name: `...` has nothing to screen",
            "line 2 (order P2): parties[0].name: `Co., Ltd.` has nothing to screen",
            "line 3 (order P3): nothing to screen",
        ],
    );
    // CSV rows are refused alike.
    let dir = temp_dir("nothing-name");
    let csv = dir.join("orders.csv");
    std::fs::write(
        &csv,
        "id,buyer_name,buyer_country\nC1,\"Co., Ltd.\",CN\nC2,Acme Bakery,CN\n",
    )
    .unwrap();
    let out = embargo(&["screen", "--rules", MINI, &arg(&csv)], "");
    rejected(
        &out,
        &["C2"],
        &["line 2 (order C1): parties[0].name: `Co., Ltd.` has nothing"],
    );
}

#[test]
fn a_currency_that_is_none_is_refused_and_one_without_a_rate_meets_the_value_test() {
    let dir = temp_dir("currencies");
    let rules = dir.join("drones.emb");
    std::fs::write(
        &rules,
        concat!(
            "category drones {\n  title \"Consumer drones\"\n  basis \"Internal policy\"\n",
            "  terms \"quadcopter\"\n  hs 8806\n}\n",
            "rule drones_over {\n  basis \"Internal policy\"\n",
            "  when goods in drones and value > USD 1000\n  then review \"Drone export\"\n}\n",
        ),
    )
    .unwrap();
    let line = |id: &str, value: u32, currency: &str| {
        format!(
            r#"{{"id":"{id}","goods":[{{"description":"DJI quadcopter","hs":"8806.22","value":{value},"currency":"{currency}"}}]}}"#
        ) + "\n"
    };
    let orders = [
        line("D-USD", 5000, "USD"),
        line("D-usd", 5000, "usd"),
        line("D-USX", 5000, "USX"),
        line("D-BRL", 5000, "BRL"),
        line("D-small", 50, "USD"),
    ]
    .concat();
    let out = embargo(&["screen", "--add-rules", &arg(&rules)], &orders);
    rejected(
        &out,
        &["D-USD", "D-usd", "D-BRL", "D-small"],
        &["line 3 (order D-USX): goods[0].currency: `USX` is not an ISO 4217 currency code"],
    );
    let got = json_lines(&out);
    let decisions: Vec<&str> = got
        .iter()
        .map(|d| d["decision"].as_str().unwrap())
        .collect();
    // Before, BRL (no rate in the shipped rates) made `value > USD 1000` false: clear.
    assert_eq!(decisions, ["review", "review", "review", "clear"]);
    let hits = got[2]["hits"].as_array().unwrap();
    let value = hits
        .iter()
        .find(|h| h["kind"] == "value")
        .unwrap_or_else(|| panic!("no value hit in {hits:?}"));
    assert_eq!(value["rule"], "drones_over");
    assert_eq!(value["no_rate"], "BRL");
    assert_eq!(value["field"], "goods[0].currency");

    // classify refuses the same code, as an argument and on a line.
    let out = embargo(
        &[
            "classify",
            "--hs",
            "5701.10",
            "--value",
            "400",
            "--currency",
            "USX",
            "hand knotted carpet",
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("--currency `USX` is not an ISO 4217"),
        "{}",
        text(&out.stderr)
    );
    let out = embargo(
        &["classify", "--jsonl"],
        "{\"id\":\"c\",\"description\":\"carpet\",\"value\":1,\"currency\":\"USX\"}\n",
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("\"currency\": `USX` is not"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_common_demonym_reads_as_its_country() {
    // A new user's trial: "Chinese", "American", "French" and "Indian" were refused as
    // no country, as the countries of their dependencies share them; the most common
    // nationalities of the counterparties screened rejected whole orders.
    let dir = temp_dir("demonyms");
    let rules = dir.join("places.emb");
    std::fs::write(
        &rules,
        concat!(
            "set countries watched = CN, US, FR, IN\n",
            "rule watched_country {\n  basis \"Internal policy\"\n",
            "  when party in watched\n  then review \"A party in a watched country\"\n}\n",
        ),
    )
    .unwrap();
    let line = |id: &str, country: &str| {
        format!(
            r#"{{"id":"{id}","parties":[{{"name":"Sunrise Logistics","country":"{country}","nationality":"{country}"}}]}}"#
        ) + "\n"
    };
    let orders = [
        line("Chinese", "Chinese"),
        line("American", "American"),
        line("French", "French"),
        line("Indian", "Indian"),
        line("Norwegian", "Norwegian"),
    ]
    .concat();
    let out = embargo(
        &["screen", "--rules", MINI, "--rules", &arg(&rules)],
        &orders,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let decisions: Vec<(String, String)> = json_lines(&out)
        .iter()
        .map(|d| {
            (
                d["id"].as_str().unwrap().into(),
                d["decision"].as_str().unwrap().into(),
            )
        })
        .collect();
    let expected = [
        ("Chinese", "review"),
        ("American", "review"),
        ("French", "review"),
        ("Indian", "review"),
        ("Norwegian", "clear"),
    ];
    assert_eq!(
        decisions,
        expected.map(|(i, d)| (i.to_string(), d.to_string()))
    );
}
