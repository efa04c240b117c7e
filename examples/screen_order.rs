//! Screen one order against the default rules embedded in the library, and print the
//! decision with its evidence.
//!
//! Run with `cargo run --release --example screen_order`.

use embargo::{Order, Ruleset, ScreenOptions, Screener};

const ORDER: &str = r#"{
  "id": "PO-1",
  "parties": [
    {"role": "seller", "name": "Emirates Auto Trading FZE", "country": "AE"},
    {"role": "buyer", "name": "Korea Kwangson Banking Corp.", "country": "Korea, North"}
  ],
  "goods": [{"description": "Lexus LX570 SUV, 2020", "hs": "8703.24", "quantity": 10, "value": 1000000, "currency": "USD"}],
  "route": {"origin": "AE", "destination": "CN", "via": ["Ningbo", "Dandong"]}
}"#;

fn main() -> Result<(), embargo::Error> {
    let ruleset = Ruleset::embedded()?;
    let screener = Screener::new(ruleset, ScreenOptions::default());
    let order = Order::from_json(ORDER)?;
    let decision = screener.screen(&order);

    println!("{}: {}", decision.id, decision.decision);
    for hit in &decision.hits {
        // Each hit serializes to the JSON the CLI writes; print it compactly.
        let evidence = serde_json::to_string(&hit.evidence).unwrap_or_default();
        println!("  {} ({}): {evidence}", hit.rule, hit.decision);
    }
    println!("ruleset {}", decision.ruleset);
    Ok(())
}
