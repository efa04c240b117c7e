//! Measures the luxury flag on the labelled dev set (`/work/shared/eval/goods-dev.jsonl`
//! or `$EMBARGO_GOODS_EVAL`). Ignored by default: the file lives outside the repository.
//! Run: `cargo test --release --test goods_eval -- --ignored --nocapture`.

mod goods_common;

use embargo::goods::{Classifier, GoodsLine};

#[test]
#[ignore]
fn luxury_flag_on_dev_set() {
    let path = std::env::var("EMBARGO_GOODS_EVAL")
        .unwrap_or_else(|_| "/work/shared/eval/goods-dev.jsonl".into());
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("no eval file at {path}; skipped");
        return;
    };
    let rules = goods_common::shipped();
    let classifier = Classifier::new(&rules);
    let (mut tp, mut fp, mut tn, mut fn_) = (0, 0, 0, 0);
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).expect("json");
        let g = GoodsLine {
            description: v["description"].as_str().map(Into::into),
            hs: v["hs"].as_str().map(Into::into),
            value: v["value"].as_f64(),
            currency: v["currency"].as_str().map(Into::into),
            quantity: None,
        };
        let hits = classifier.classify(&g);
        let names: Vec<String> = hits
            .iter()
            .map(|h| {
                let c = &rules.categories[h.category];
                let ev: Vec<&str> = h.evidence.iter().map(|e| e.text.as_str()).collect();
                format!("{}[{}]", c.id, ev.join("|"))
            })
            .collect();
        let predicted = hits.iter().any(|h| {
            rules.categories[h.category]
                .tags
                .iter()
                .any(|t| t == "luxury")
        });
        let expected = v["luxury"].as_bool().unwrap_or(false);
        match (expected, predicted) {
            (true, true) => tp += 1,
            (false, false) => tn += 1,
            (false, true) => {
                fp += 1;
                println!(
                    "FP {} {:?} hs={:?} -> {:?}",
                    v["id"], g.description, g.hs, names
                );
            }
            (true, false) => {
                fn_ += 1;
                println!(
                    "FN {} {:?} hs={:?} -> {:?}",
                    v["id"], g.description, g.hs, names
                );
            }
        }
    }
    let p = tp as f64 / (tp + fp).max(1) as f64;
    let r = tp as f64 / (tp + fn_).max(1) as f64;
    println!("tp={tp} fp={fp} tn={tn} fn={fn_} precision={p:.3} recall={r:.3}");
}

/// Prints what the shipped rules find in `$GOODS_DEBUG` (with `$GOODS_DEBUG_HS`), for
/// working on the rules: `GOODS_DEBUG='...' cargo test --test goods_eval debug -- --ignored --nocapture`.
#[test]
#[ignore]
fn debug_one_line() {
    let Ok(desc) = std::env::var("GOODS_DEBUG") else {
        return;
    };
    let rules = goods_common::shipped();
    let mut only_one = rules.categories.clone();
    let classifier = Classifier::new(&rules);
    let line = GoodsLine {
        description: Some(desc),
        hs: std::env::var("GOODS_DEBUG_HS").ok(),
        ..GoodsLine::default()
    };
    for h in classifier.classify(&line) {
        println!("{} {:?}", rules.categories[h.category].id, h.evidence);
    }
    // Which exclusions fire: rebuild each category without exclusions and compare.
    for c in only_one.iter_mut() {
        let excl = std::mem::take(&mut c.exclude_terms);
        let xhs = std::mem::take(&mut c.exclude_hs);
        let single = Classifier::from_categories(std::slice::from_ref(c), rules.rates.clone());
        if !single.classify(&line).is_empty() {
            for x in excl {
                let probe = embargo::rules::ir::Category {
                    terms: vec![embargo::rules::ir::Term {
                        text: x.clone(),
                        lang: None,
                        strength: embargo::rules::ir::Strength::Strong,
                    }],
                    hs: vec![],
                    exclude_terms: vec![],
                    exclude_hs: vec![],
                    threshold_usd: None,
                    ..c.clone()
                };
                let p = Classifier::from_categories(&[probe], Default::default());
                if !p.classify(&line).is_empty() {
                    println!("{}: excluded by {x:?}", c.id);
                }
            }
            println!(
                "{}: matches without exclusions (exclude hs {:?})",
                c.id, xhs
            );
        }
    }
}
