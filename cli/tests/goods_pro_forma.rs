//! Goods as pro-formas write them, screened end to end with the shipped rules: a
//! strong description under an HS code its category excludes, an origin or
//! destination stated in the goods text, vague parts and generators to the DPRK, and
//! Japanese and hand-typed luxury terms through a transshipment hub.

#[path = "support/cli.rs"]
#[allow(dead_code)]
mod cli;

use serde_json::{json, Value};

/// One order per `(id, description, hs, route)`, a Chinese consignee, screened; the
/// decisions in input order.
fn screen(lines: &[(&str, &str, &str, Value)]) -> Vec<Value> {
    let input: String = lines
        .iter()
        .map(|(id, description, hs, route)| {
            let mut goods = json!({"description": description, "value": 98000, "currency": "USD", "quantity": 1});
            if !hs.is_empty() {
                goods["hs"] = json!(hs);
            }
            let order = json!({
                "id": id,
                "parties": [{"role": "consignee", "name": "Liaoning Xinhe Trade Co., Ltd.",
                             "country": "CN", "address": "Shenyang"}],
                "goods": [goods],
                "route": route,
            });
            format!("{order}\n")
        })
        .collect();
    let out = cli::embargo(&["screen", "-"], &input);
    assert_eq!(out.status.code(), Some(0), "{}", cli::stderr(&out));
    cli::json_lines(&out)
}

fn rules_of(decision: &Value) -> Vec<String> {
    let mut rules: Vec<String> = decision["hits"]
        .as_array()
        .map(|hits| {
            hits.iter()
                .filter_map(|h| h["rule"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    rules.sort();
    rules.dedup();
    rules
}

fn via_dandong() -> Value {
    json!({"origin": "AE", "destination": "CN", "via": ["Dandong"]})
}

fn to_dprk() -> Value {
    json!({"origin": "CN", "destination": "KP"})
}

#[test]
fn a_strong_description_outweighs_an_excluded_code_and_says_they_disagree() {
    let decisions = screen(&[
        ("hub", "Lexus LX570 SUV", "9503.00", via_dandong()),
        ("kp", "Lexus LX570 SUV", "9503.00", to_dprk()),
        ("watch", "Rolex Daytona 116500LN", "9102.12", to_dprk()),
        // The words agree with the code: a toy.
        ("toy", "Lexus LX570 toy car", "9503.00", via_dandong()),
    ]);
    assert_eq!(cli::decision_of(&decisions, "hub"), "review");
    assert_eq!(
        rules_of(&decisions[0]),
        ["luxury_goods_via_transshipment_hub"]
    );
    let evidence = &decisions[0]["hits"][0]["evidence"];
    let code = evidence
        .as_array()
        .and_then(|e| e.iter().find(|e| e["kind"] == "hs"))
        .expect("the code is evidence");
    assert_eq!(
        (&code["text"], &code["mismatch"]),
        (&json!("9503"), &json!(true))
    );
    assert!(rules_of(&decisions[1]).contains(&"luxury_goods_to_dprk".to_string()));
    assert!(rules_of(&decisions[2]).contains(&"luxury_goods_to_dprk".to_string()));
    assert_eq!(cli::decision_of(&decisions, "toy"), "clear");
}

#[test]
fn an_origin_or_destination_stated_in_the_goods_text_is_the_route_s() {
    let cn = || json!({"origin": "CN", "destination": "CN"});
    let decisions = screen(&[
        ("crab", "frozen snow crab, origin: Rason", "0306.14", cn()),
        (
            "squid",
            "frozen squid, product of Korea DPR",
            "0307.43",
            cn(),
        ),
        (
            "suits",
            "men's wool suits, made in Sinuiju",
            "6203.11",
            cn(),
        ),
        (
            "dpr",
            "men's wool suits, made in D.P.R. Korea",
            "6203.11",
            cn(),
        ),
        ("code", "frozen squid, origin: KP", "0307.43", cn()),
        ("de", "Herrenanzüge, Ursprung Nordkorea", "6203.11", cn()),
        ("zh", "冻鱿鱼 产地:罗先", "0307.43", cn()),
        (
            "dest",
            "Lexus LX570 SUV, final destination Pyongyang",
            "8703.24",
            cn(),
        ),
        ("dest-zh", "雷克萨斯LX570 最终目的地:平壤", "8703.24", cn()),
        (
            "reexport",
            "Lexus LX570 SUV for re-export to DPRK",
            "8703.24",
            cn(),
        ),
        // Other origins and a bare "Korea" say nothing of the DPRK.
        ("italy", "men's wool suits, made in Italy", "6203.11", cn()),
        ("korea", "frozen squid, origin: Korea", "0307.43", cn()),
        (
            "busan",
            "Lexus LX570 SUV, destination Busan",
            "8703.24",
            cn(),
        ),
    ]);
    for id in ["crab", "squid", "suits", "dpr", "code", "de", "zh"] {
        let d = decisions.iter().find(|d| d["id"] == id).expect("decided");
        assert!(
            rules_of(d).contains(&"export_ban_goods_from_dprk".to_string()),
            "{id}: {d}"
        );
    }
    for id in ["dest", "dest-zh", "reexport"] {
        let d = decisions.iter().find(|d| d["id"] == id).expect("decided");
        assert!(
            rules_of(d).contains(&"luxury_goods_to_dprk".to_string()),
            "{id}: {d}"
        );
    }
    for id in ["italy", "korea", "busan"] {
        assert_eq!(cli::decision_of(&decisions, id), "clear", "{id}");
    }
    // The evidence places the stated place in the description.
    let crab = decisions[0]["hits"]
        .as_array()
        .and_then(|hits| hits.iter().find(|h| h["kind"] == "route"))
        .expect("a route hit");
    assert_eq!(crab["field"], "goods[0]", "{crab}");
    assert_eq!(crab["text"], "Rason");
    assert_eq!((&crab["start"], &crab["end"]), (&json!(26), &json!(31)));
}

#[test]
fn vague_vehicle_parts_and_generators_to_the_dprk_are_import_ban_goods() {
    let decisions = screen(&[
        ("en", "auto parts", "", to_dprk()),
        ("ru", "автозапчасти", "", to_dprk()),
        ("gen", "generator", "", to_dprk()),
        ("zh", "汽车配件", "", to_dprk()),
    ]);
    for d in &decisions {
        assert!(
            rules_of(d).contains(&"import_ban_goods_to_dprk".to_string()),
            "{d}"
        );
    }
}

#[test]
fn japanese_and_hand_typed_luxury_terms_through_a_hub_are_reviewed() {
    let lines: Vec<(&str, &str, &str, Value)> = [
        "ロレックス 腕時計 20本",
        "ヘネシー XO コニャック 600本",
        "メルセデス・マイバッハ S680 防弾仕様",
        "ミンクの毛皮コート",
        "高級腕時計 パテック・フィリップ",
        "S680 Pullman Guard",
        "Patek 5711",
        "Hennesy XO",
        "Rollex watch",
        "i-Phone 15",
        "Landcruiser 300",
        "Maybah S680",
        "bullet proof vehicle",
    ]
    .iter()
    .map(|d| (*d, *d, "", via_dandong()))
    .collect();
    for d in screen(&lines) {
        assert_eq!(
            rules_of(&d),
            ["luxury_goods_via_transshipment_hub"],
            "{}",
            d["id"]
        );
    }
    // Ordinary goods one letter from a brand stay ordinary.
    let plain = screen(&[
        ("salon", "salon chairs", "", via_dandong()),
        ("solid", "solid fuel briquettes", "", via_dandong()),
    ]);
    for d in plain {
        assert_eq!(d["decision"], "clear", "{d}");
    }
}
