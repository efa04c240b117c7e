//! Allowances expire on the day the screener is told (`ScreenOptions::today`), read
//! once per order: the day an allowance expires it still clears, the day after the hit
//! stands and says which allowance expired.

use embargo::{Decision, Order, Ruleset, ScreenOptions, Screener};

const RULES: &str = r#"
list un { title "UN Security Council Consolidated List" as_of "2026-02-27" }
entity un:KPe.047 {
  kind organization
  name "KOREA KWANGSON BANKING CORPORATION"
  country KP
  program "UN 1718"
}
rule listed_party {
  basis "UNSCR 1718 (2006), para. 8(d)"
  when party matches list(un)
  then block "A party is designated under UNSCR 1718"
}
allow kwangson_hk {
  entity un:KPe.047
  name "Korea Kwangson Banking Corporation"
  because "Reviewed (case 17): Hong Kong namesake, no DPRK link"
  expires "2026-06-30"
}
"#;

fn screen_on(day: &str) -> embargo::OrderDecision {
    let ruleset = Ruleset::from_text("allow.emb", RULES).expect("valid rules");
    let options = ScreenOptions {
        today: Some(day.to_string()),
        ..ScreenOptions::default()
    };
    let order = Order::from_json(
        r#"{"id":"PO-1","parties":[{"role":"buyer","name":"Korea Kwangson Banking Corporation"}]}"#,
    )
    .expect("valid order");
    Screener::new(ruleset, options).screen(&order)
}

#[test]
fn an_allowance_clears_up_to_its_expiry_day() {
    let d = screen_on("2026-06-30");
    assert_eq!(d.decision, Decision::Clear, "{:?}", d.hits);
    assert_eq!(d.allowed.len(), 1);
    assert_eq!(d.allowed[0].allow, "kwangson_hk");
}

#[test]
fn the_day_after_expiry_the_hit_stands_and_names_the_allowance() {
    let d = screen_on("2026-07-01");
    assert_eq!(d.decision, Decision::Block);
    assert!(d.allowed.is_empty());
    let said = serde_json::to_string(&d.hits).expect("hits serialize");
    assert!(
        said.contains("allowance kwangson_hk expired on 2026-06-30"),
        "{said}"
    );
}
