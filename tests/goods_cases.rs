//! Data-driven cases for the shipped goods rules: `tests/fixtures/goods-cases.jsonl`
//! holds lines written apart from the dev set (brands, languages, look-alikes) with
//! their luxury label under the rules of `eval/README.md` (shared data), and for some
//! a tag that one of their categories must carry.

mod goods_common;

use embargo::goods::{Classifier, GoodsLine};

#[test]
fn shipped_rules_label_the_fixture_cases() {
    let rules = goods_common::shipped();
    let classifier = Classifier::new(&rules);
    let text = include_str!("fixtures/goods-cases.jsonl");
    let mut wrong = Vec::new();
    for (n, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let v: serde_json::Value = serde_json::from_str(line).expect("fixture line is JSON");
        let g = GoodsLine {
            description: v["description"].as_str().map(Into::into),
            hs: v["hs"].as_str().map(Into::into),
            value: v["value"].as_f64(),
            currency: v["currency"].as_str().map(Into::into),
            quantity: v["quantity"].as_f64(),
        };
        let hits = classifier.classify(&g);
        let luxury = hits.iter().any(|h| {
            rules.categories()[h.category]
                .tags
                .iter()
                .any(|t| t == "luxury")
        });
        // A line may also name a tag one of its categories must carry (`export-ban`,
        // `import-ban`), for the trade bans that decide on origin and destination.
        let tag = v["tag"].as_str();
        let tagged = tag.is_none_or(|tag| {
            hits.iter()
                .any(|h| rules.categories()[h.category].tags.iter().any(|t| t == tag))
        });
        if !tagged {
            wrong.push(format!(
                "line {}: {:?} has no category tagged {tag:?}",
                n + 1,
                g.description
            ));
        }
        if Some(luxury) != v["luxury"].as_bool() {
            let found: Vec<String> = hits
                .iter()
                .map(|h| {
                    let ev: Vec<&str> = h.evidence().iter().map(|e| e.text()).collect();
                    format!("{}[{}]", rules.categories()[h.category].id, ev.join("|"))
                })
                .collect();
            wrong.push(format!(
                "line {}: {:?} expected luxury={} got {:?}",
                n + 1,
                g.description,
                !luxury,
                found
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

/// The shipped goods rules draw no warning from the loader. In particular, no term
/// holds one of its category's exclusions (`tablet` once was both a weak term of
/// premium electronics and an exclusion of it, so an iPad listed as a tablet was never
/// flagged), and no term repeats another of its category once normalized (90 did, such
/// as `steel pipes` beside `steel pipe`, and a weak `ski` beside a strong one).
#[test]
fn shipped_goods_rules_draw_no_warnings() {
    let checked = embargo::rules::load_paths(
        &[goods_common::goods_dir()],
        &embargo::rules::CompileOptions::default(),
    )
    .expect("rules readable");
    let rendered = checked.render_diagnostics();
    assert_eq!(checked.warning_count(), 0, "{rendered}");
}
