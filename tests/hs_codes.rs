//! One reader of tariff codes: what `classify` reads as a code, `screen` accepts in an
//! order, and what neither reads, both refuse (regression: `screen` rejected
//! `"HS 8703.24"`, which `classify` read as 870324).

use embargo::goods::GoodsLine;
use embargo::refdata::hs::HsCode;
use embargo::{Order, Ruleset, ScreenOptions, Screener};

const CODES: &[&str] = &[
    "8703.24",
    "870324",
    "8703 24 10",
    "HS 8703.24",
    "HS: 8703.24",
    "hs8703-24",
    "CN 8703 24 10",
    "HTS 9101.21.00",
    "Schedule B 9101210000",
    "#8703",
    "8703\u{a0}24",
    "8703",
];

const NOT_CODES: &[&str] = &[
    "87",
    "12345678901",
    "8703x",
    "see invoice",
    "8703 24 10 ab",
    "８７０３",
];

fn order_with(hs: &str) -> Result<Order, embargo::Error> {
    let json = serde_json::json!({
        "id": "PO-1",
        "goods": [{"description": "assorted goods", "hs": hs}],
    });
    Order::from_json(&json.to_string())
}

#[test]
fn screen_accepts_every_code_classify_reads() {
    for code in CODES {
        assert!(HsCode::parse(code).is_some(), "{code}");
        assert!(order_with(code).is_ok(), "{code}");
    }
    for code in NOT_CODES {
        assert!(HsCode::parse(code).is_none(), "{code}");
        assert!(order_with(code).is_err(), "{code}");
    }
}

#[test]
fn a_labelled_code_decides_as_its_digits() -> Result<(), embargo::Error> {
    let rules = r#"
category cars {
  title "Cars"
  tags luxury
  basis "UNSCR 2094 (2013), Annex IV(d)"
  hs 8703
}
rule luxury {
  basis "UNSCR 1718 (2006), para. 8(a)(iii)"
  when goods in tagged(luxury)
  then block "Luxury goods"
}
"#;
    let screener = Screener::new(
        Ruleset::from_text("cars.emb", rules)?,
        ScreenOptions::default(),
    );
    for code in ["HS 8703.24", "8703.24"] {
        let decision = screener.screen(&order_with(code)?);
        assert_eq!(decision.decision, embargo::Decision::Block, "{code}");
        let categories = screener.classify(&GoodsLine::new("assorted goods").with_hs(code));
        assert_eq!(categories.len(), 1, "{code}");
    }
    Ok(())
}
