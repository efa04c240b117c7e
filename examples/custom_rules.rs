//! Write rules of your own, compile them, and see what `check` would say.
//!
//! Run with `cargo run --example custom_rules`.

use embargo::rules::{load_str, CompileOptions};

const RULES: &str = r#"
list house {
  title "In-house watchlist"
  authority "Compliance, Example Trading GmbH"
  as_of "2026-11-01"
}

entity house:42 {
  kind organization
  name "SUNRISE PACIFIC TRADING LIMITED"
  alias weak "SUNRISE PACIFIC"
  country HK
  remark "Front company suspected of DPRK procurement (internal case 2026-117)."
}

category pianos {
  title "Pianos and other keyboard instruments"
  tags luxury
  basis "15 CFR 746, Supp. 1: musical instruments"
  terms "grand piano", "upright piano", "steinway"
  hs 9201
}

set countries dprk = KP

rule house_list {
  title "Counterparty on the in-house list"
  basis "Internal policy CP-7"
  when party matches list(house) score >= 0.85
  then review "Counterparty on the in-house watchlist"
}

rule pianos_to_dprk {
  basis "UNSCR 1718 (2006), para. 8(a)(iii)"
  when goods in pianos and destination in dprk
  then block "Luxury goods may not be supplied to the DPRK"
}
"#;

fn main() {
    let checked = load_str("custom.emb", RULES, &CompileOptions::default());
    if checked.error_count() > 0 {
        eprint!("{}", checked.render_diagnostics());
        std::process::exit(1);
    }
    let Some(ruleset) = checked.ruleset else {
        std::process::exit(1);
    };
    println!("ruleset {}", ruleset.hash());
    for rule in ruleset.rules() {
        println!(
            "rule {} -> {} ({})",
            rule.id,
            rule.decision.as_str(),
            rule.reason
        );
    }
    if let Some(e) = ruleset.entity("house:42") {
        println!("entity {}: {} ({} alias)", e.id, e.name, e.aliases.len());
    }

    // A mistake is reported with its place and a hint.
    let broken = RULES.replace("goods in pianos", "goods in piano");
    let checked = load_str("custom.emb", &broken, &CompileOptions::default());
    print!("{}", checked.render_diagnostics());
}
