//! Import an official list (an excerpt of the UN consolidated XML), add a decision
//! rule of your own, and screen orders against it: what a team does with a list it
//! downloaded itself (`embargo import un consolidated.xml -o un.emb`, then
//! `embargo screen --rules un.emb --rules my-rules.emb`).
//!
//! Run with `cargo run --release --example import_and_screen`.

use embargo::import::{import, render, Format, ImportOptions};
use embargo::{Order, Ruleset, ScreenOptions, Screener};

const MY_RULES: &str = r#"
rule un_dprk_designation {
  title "A party is designated under the UN DPRK regime"
  basis "UNSCR 1718 (2006), para. 8(d)"
  when party matches list(un) program("UN 1718")
  then block "A party is on the UN 1718 list"
}
"#;

fn main() -> Result<(), embargo::Error> {
    let imported = import(
        Format::Un,
        &["tests/fixtures/lists/un-consolidated-2026-02-27.xml".into()],
        &ImportOptions::default(),
    )?;
    println!(
        "imported {} entities, {} aliases from the UN list",
        imported.stats.entities, imported.stats.aliases
    );
    // The import is an ordinary rules file: print it, review it, keep it in git.
    let list = render(&imported);
    let ruleset = Ruleset::from_text("un.emb", &(list + MY_RULES))?;
    let screener = Screener::new(ruleset, ScreenOptions::default());

    for (id, name) in [
        ("A", "Korea Mining Development Trading Corp."),
        ("B", "Ocean Maritime Management Co Ltd"),
        ("C", "Nanjing Garden Furniture Co., Ltd."),
    ] {
        let order = Order::from_json(&format!(
            r#"{{"id": "{id}", "parties": [{{"role": "buyer", "name": "{name}"}}]}}"#
        ))?;
        let decision = screener.screen(&order);
        let entities: Vec<String> = decision
            .hits
            .iter()
            .filter_map(|h| match &h.evidence {
                embargo::engine::Evidence::Entity { hit, .. } => {
                    Some(format!("{} ({:.2})", hit.entity_id, hit.score))
                }
                _ => None,
            })
            .collect();
        println!("{id} {name}: {} {}", decision.decision, entities.join(", "));
    }
    Ok(())
}
