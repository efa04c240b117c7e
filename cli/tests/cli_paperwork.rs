//! End-to-end tests of orders written the way freight paperwork writes them, with the
//! shipped rules: a party's role in the words of a bill of lading or invoice (`ship
//! to`, `收货人`, `Notify Party 2`), route fields as UN/LOCODEs (`KPNAM`), a notify
//! party's name and city on one line, and a DPRK embassy named in Chinese or Korean.
//! Each of these cleared a luxury-goods order before.

use serde_json::Value;

#[path = "support/cli.rs"]
#[allow(dead_code)] // The shared helpers also serve tests of other files.
mod cli;
use cli::{embargo, json_lines, stderr};

/// The decision and the rules that fired, per order id, screening `orders` (one JSON
/// object per line) with the shipped rules.
fn screen(orders: &[String]) -> Vec<(String, String, Vec<String>, Vec<Value>)> {
    let out = embargo(&["screen", "-"], &(orders.join("\n") + "\n"));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    json_lines(&out)
        .into_iter()
        .map(|d| {
            let hits = d["hits"].as_array().cloned().unwrap_or_default();
            let rules = hits
                .iter()
                .filter_map(|h| h["rule"].as_str().map(str::to_string))
                .collect();
            (
                d["id"].as_str().unwrap_or_default().to_string(),
                d["decision"].as_str().unwrap_or_default().to_string(),
                rules,
                hits,
            )
        })
        .collect()
}

/// A Lexus sold from Dubai to China, its second party as given.
fn lexus_with(id: &str, party: &str, route: &str) -> String {
    format!(
        r#"{{"id":"{id}","parties":[{{"role":"seller","name":"Emirates Luxury Motors LLC","country":"AE","address":"Dubai"}},{party}],"goods":[{{"description":"Lexus LX570 SUV","hs":"8703.24","value":98000,"currency":"USD"}}],"route":{route}}}"#
    )
}

#[test]
fn a_consignee_in_dandong_is_reviewed_whatever_word_the_paperwork_uses_for_its_role() {
    let roles = [
        "consignee",
        "importer",
        "receiver",
        "recipient",
        "deliver to",
        "Ship-To Party",
        "purchaser",
        "applicant",
        "收货人",
        "수하인",
        "грузополучатель",
        "Notify Party 2",
        // No role embargo knows: it may be the one receiving the goods.
        "Заказчик",
    ];
    let orders: Vec<String> = roles
        .iter()
        .enumerate()
        .map(|(k, role)| {
            let party = format!(
                r#"{{"role":"{role}","name":"Jinrui Trade Co","country":"CN","address":"Zhenxing District, Dandong"}}"#
            );
            lexus_with(&format!("R{k}"), &party, r#"{"origin":"AE","destination":"CN"}"#)
        })
        .collect();
    for (k, (_, decision, rules, _)) in screen(&orders).iter().enumerate() {
        assert_eq!(decision, "review", "{}", roles[k]);
        assert!(
            rules.contains(&"luxury_goods_via_transshipment_hub".to_string()),
            "{}: {rules:?}",
            roles[k]
        );
    }
    // A known role that does not receive the goods is not a receiving party.
    let seller = lexus_with(
        "S",
        r#"{"role":"manufacturer","name":"Jinrui Trade Co","country":"CN","address":"Zhenxing District, Dandong"}"#,
        r#"{"origin":"AE","destination":"CN"}"#,
    );
    assert_eq!(screen(&[seller])[0].1, "clear");
}

#[test]
fn a_route_written_as_a_un_locode_is_in_the_code_s_country() {
    let buyer =
        r#"{"role":"buyer","name":"Jiangsu Overseas Group Co","country":"CN","address":"Nanjing"}"#;
    let orders = [
        lexus_with("L1", buyer, r#"{"origin":"CNDLC","destination":"KPNAM"}"#),
        lexus_with("L2", buyer, r#"{"origin":"CNDLC","destination":"KP NAM"}"#),
        lexus_with("L3", buyer, r#"{"origin":"CN","destination":"KPRJN"}"#),
        lexus_with(
            "L4",
            buyer,
            r#"{"origin":"CN","destination":"CN","via":["KPNAM"]}"#,
        ),
    ];
    for (id, decision, rules, hits) in screen(&orders) {
        assert_eq!(decision, "block", "{id}");
        assert!(rules.contains(&"luxury_goods_to_dprk".to_string()), "{id}");
        let hit = hits
            .iter()
            .find(|h| h["rule"] == "luxury_goods_to_dprk" && h["kind"] == "route")
            .expect("the route's hit");
        // The evidence says how the field was read: its country letters, as a code.
        assert_eq!(hit["place"], "KP", "{id}");
        assert_eq!(hit["text"], "KP", "{id}");
        assert_eq!(hit["reading"], "UN/LOCODE", "{id}");
    }
    // The hubs' codes are spellings of the hubs; a city in capitals is that city.
    let orders = [
        lexus_with("H1", buyer, r#"{"origin":"AE","destination":"CNDDG"}"#),
        lexus_with("H2", buyer, r#"{"origin":"AE","destination":"RUVVO"}"#),
        lexus_with(
            "H3",
            buyer,
            r#"{"origin":"AE","destination":"CN","via":["RUNJK"]}"#,
        ),
        lexus_with("C1", buyer, r#"{"origin":"AE","destination":"PARIS"}"#),
        lexus_with("C2", buyer, r#"{"origin":"AE","destination":"DELHI"}"#),
    ];
    let got: Vec<(String, String)> = screen(&orders)
        .into_iter()
        .map(|(id, decision, _, _)| (id, decision))
        .collect();
    let want = [
        ("H1", "review"),
        ("H2", "review"),
        ("H3", "review"),
        ("C1", "clear"),
        ("C2", "clear"),
    ];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(got, want);
}

#[test]
fn a_dprk_city_on_a_party_s_name_line_or_a_dprk_embassy_in_chinese_or_korean_blocks() {
    let buyer =
        r#"{"role":"buyer","name":"Jiangsu Overseas Group Co","country":"CN","address":"Nanjing"}"#;
    let route = r#"{"origin":"AE","destination":"CN","via":["Ningbo"]}"#;
    let order = |id: &str, role: &str, name: &str| {
        let party = format!(r#"{{"role":"{role}","name":"{name}"}}"#);
        // The buyer first, the party on test second.
        lexus_with(id, buyer, route).replacen(
            r#"{"role":"seller","name":"Emirates Luxury Motors LLC","country":"AE","address":"Dubai"}"#,
            &party,
            1,
        )
    };
    let orders = [
        order("X0", "notify", "Mr. Pak, Sinuiju"),
        order("X1", "notify", "TO ORDER; NOTIFY: KIM MYONG HO, NAMPO"),
        order("X2", "end user", "朝鲜驻华大使馆"),
        order("X3", "end user", "주중 북한대사관"),
    ];
    for (id, decision, rules, hits) in screen(&orders) {
        assert_eq!(decision, "block", "{id}: {rules:?}");
        assert!(rules.contains(&"luxury_goods_to_dprk".to_string()), "{id}");
        assert!(
            hits.iter().any(|h| h["field"] == "parties[0].name"),
            "{id}: {hits:?}"
        );
    }
    let hit = |orders: &[String]| screen(orders)[0].3.clone();
    let x0 = hit(&orders[..1]);
    let place = x0
        .iter()
        .find(|h| h["rule"] == "luxury_goods_to_dprk" && h["kind"] == "route")
        .expect("the name line's hit");
    // The span is the city's, within the name as written.
    assert_eq!(
        (&place["text"], &place["start"], &place["end"]),
        (&Value::from("Sinuiju"), &Value::from(9), &Value::from(16))
    );
    // A street named after a DPRK city, and the Korean minority of China, are neither.
    let orders = [
        order("K0", "buyer", "Lotte Department Store, Nampo-dong, Busan"),
        order("K1", "buyer", "延边朝鲜族自治州贸易公司"),
    ];
    for (id, decision, rules, _) in screen(&orders) {
        assert_eq!(decision, "clear", "{id}: {rules:?}");
    }
}

#[test]
fn a_file_of_the_user_s_adds_a_hub_to_the_shipped_set() {
    let dir = cli::temp_dir("hubs");
    let hubs = dir.join("hubs.emb");
    std::fs::write(
        &hubs,
        "set places dprk_transshipment_hubs += \"Dalian\", \"CNDLC\"\n",
    )
    .expect("write hubs");
    let buyer =
        r#"{"role":"buyer","name":"Jiangsu Overseas Group Co","country":"CN","address":"Nanjing"}"#;
    let order = lexus_with(
        "D1",
        buyer,
        r#"{"origin":"AE","destination":"CN","via":["CNDLC"]}"#,
    );
    assert_eq!(screen(std::slice::from_ref(&order))[0].1, "clear");
    let out = embargo(
        &["screen", "--add-rules", &cli::arg(&hubs), "-"],
        &(order + "\n"),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let got = json_lines(&out);
    assert_eq!(got[0]["decision"], "review");
    let places: Vec<&Value> = got[0]["hits"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|h| h["kind"] == "route")
        .map(|h| &h["place"])
        .collect();
    assert_eq!(places, [&Value::from("CNDLC")], "{got:?}");
    // Adding to a set that is not there, or of another kind, is refused where written.
    let bad = dir.join("bad.emb");
    std::fs::write(
        &bad,
        "set places dprk_hubs += \"Dalian\"\nset countries dprk_transshipment_hubs += CN\n",
    )
    .expect("write bad");
    let out = embargo(&["check", "--add-rules", &cli::arg(&bad)], "");
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("bad.emb:1:12: error: no set `dprk_hubs` to add to"),
        "{err}"
    );
    assert!(
        err.contains(
            "bad.emb:2:15: error: set `dprk_transshipment_hubs` holds places, not countries"
        ),
        "{err}"
    );
}

/// A designated vessel whose name the paperwork prefixes with what the ship is, in one
/// word (`MV`, `MT`, `SS`), as bills of lading write it: `MV Greenlight` (an EU name of
/// CHONG BONG, IMO 8909575) scored 0.73 and cleared, below the vessel rule.
#[test]
fn a_designated_vessel_is_found_behind_a_ship_prefix() {
    let coils = |id: &str, vessel: &str| {
        format!(
            r#"{{"id":"{id}","parties":[{{"role":"buyer","name":"Ningbo Haitong Trading","country":"CN","address":"Ningbo"}}],"goods":[{{"description":"hot-rolled steel coils","hs":"7208.38","value":250000,"currency":"USD"}}],"route":{{"origin":"CN","destination":"CN","vessel":"{vessel}"}}}}"#
        )
    };
    let orders: Vec<String> = [
        "MV Greenlight",
        "MT Greenlight",
        "SS GREENLIGHT",
        "Greenlight",
    ]
    .iter()
    .enumerate()
    .map(|(k, v)| coils(&format!("V{k}"), v))
    .collect();
    for (id, decision, rules, _) in screen(&orders) {
        assert_eq!(decision, "block", "{id}");
        assert!(
            rules.iter().any(|r| r == "dprk_designated_vessel"),
            "{id}: {rules:?}"
        );
    }
}

/// An end user's address in the DPRK's own romanization (`Phyongyang`, `Songrim`) or
/// naming only a DPRK province cleared ten Lexus; South Korean and Chinese addresses
/// that share a word with the Korean names of provinces stay clear.
#[test]
fn a_dprk_address_in_the_dprk_s_own_romanization_or_by_province_blocks() {
    let buyer =
        r#"{"role":"buyer","name":"Jiangsu Overseas Group Co","country":"CN","address":"Nanjing"}"#;
    let route = r#"{"origin":"AE","destination":"CN","via":["Ningbo"]}"#;
    let order = |id: &str, address: &str| {
        let party =
            format!(r#"{{"role":"end user","name":"Hanbit Trading","address":"{address}"}}"#);
        lexus_with(id, buyer, route).replacen(
            r#"{"role":"seller","name":"Emirates Luxury Motors LLC","country":"AE","address":"Dubai"}"#,
            &party,
            1,
        )
    };
    let dprk = [
        "Central District, Phyongyang",
        "Songrim City",
        "Sinuiju, North Pyongan Province",
        "Hyesan, Ryanggang Province",
        "South Hamgyong Province",
    ];
    let elsewhere = [
        "Hwanghae-ro 12, Incheon, Korea, Republic of",
        "평안빌딩, 서울 종로구",
        "Chuncheon, Gangwon-do",
    ];
    let orders: Vec<String> = dprk
        .iter()
        .chain(&elsewhere)
        .enumerate()
        .map(|(k, a)| order(&format!("A{k}"), a))
        .collect();
    for (k, (id, decision, rules, _)) in screen(&orders).into_iter().enumerate() {
        if k < dprk.len() {
            assert_eq!(decision, "block", "{id} {}: {rules:?}", dprk[k]);
        } else {
            assert!(
                !rules.contains(&"luxury_goods_to_dprk".to_string()),
                "{id}: {rules:?}"
            );
        }
    }
}
