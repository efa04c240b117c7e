//! End-to-end tests of the `party nationality in` test and the shipped rule built on
//! it: luxury goods whose buyer, consignee or end user is a DPRK national are held for
//! review wherever the order goes (a North Korean buying a Rolex in Dubai cleared), and
//! a nationality test against places is refused by `check`.

use serde_json::Value;

#[path = "support/cli.rs"]
#[allow(dead_code)] // The shared helpers also serve tests of other files.
mod cli;
use cli::{embargo, json_lines};

const NATIONALS: &str = include_str!("../../tests/fixtures/orders/dprk-nationals.jsonl");

fn decisions() -> Vec<Value> {
    let out = embargo(&["screen", "-"], NATIONALS);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    json_lines(&out)
}

#[test]
fn luxury_goods_for_a_dprk_national_abroad_are_held_for_review() {
    let all = decisions();
    let by_id = |id: &str| {
        all.iter()
            .find(|d| d["id"] == id)
            .unwrap_or_else(|| panic!("order {id} decided"))
    };
    for (id, written) in [("N1", "North Korean"), ("N2", "KP")] {
        let d = by_id(id);
        assert_eq!(d["decision"], "review", "{d}");
        let hit = d["hits"]
            .as_array()
            .and_then(|h| h.iter().find(|h| h["field"] == "parties[0].nationality"))
            .unwrap_or_else(|| panic!("a nationality hit: {d}"));
        assert_eq!(hit["rule"], "luxury_goods_for_dprk_national", "{hit}");
        assert_eq!(hit["place"], "KP", "{hit}");
        assert_eq!(hit["input"], written, "{hit}");
        let basis = hit["basis"].to_string();
        assert!(basis.contains("2017/1509, Art. 10(1)"), "{basis}");
        assert!(basis.contains("1718 (2006), para. 8(a)(iii)"), "{basis}");
    }
    // Another nationality, a DPRK national who sells, and goods that are no luxury
    // stay clear.
    for id in ["N3", "N4", "N5"] {
        assert_eq!(by_id(id)["decision"], "clear", "{id}: {}", by_id(id));
    }
}

#[test]
fn a_nationality_tested_against_places_is_an_error() {
    let out = embargo(
        &[
            "check",
            "--add-rules",
            "tests/fixtures/rules/diagnostics/nationality.emb",
        ],
        "",
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("nationality.emb:7:41: error: a nationality is a country"),
        "{err}"
    );
    assert!(err.contains("nationality.emb:13:35"), "{err}");
}
