//! Compiled rulesets (`embargo::artifact`): the default ruleset read from its artifact
//! screens, matches and classifies exactly as the same rules compiled from text, and
//! an artifact that is foreign, of another build, cut short or altered is refused.

use std::path::Path;

use embargo::artifact::ArtifactErrorKind;
use embargo::goods::GoodsLine;
use embargo::io::JsonlOrders;
use embargo::{NameQuery, Order, Ruleset, ScreenOptions, Screener};

#[path = "../benches/support/gen_orders.rs"]
mod gen_orders;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Options that do not depend on the day the test runs.
fn options() -> ScreenOptions {
    ScreenOptions {
        today: Some("2026-03-01".into()),
        ..ScreenOptions::default()
    }
}

/// Every order of the dev set (their expectations dropped) and generated orders.
fn orders() -> Vec<Order> {
    let dev = std::fs::read_to_string(root().join("tests/fixtures/orders/orders-dev.jsonl"))
        .expect("the dev orders are committed");
    let mut text = String::new();
    for line in dev.lines().filter(|l| !l.trim().is_empty()) {
        let mut v: serde_json::Value = serde_json::from_str(line).expect("JSON");
        if let Some(o) = v.as_object_mut() {
            o.retain(|k, _| matches!(k.as_str(), "id" | "parties" | "goods" | "route"));
        }
        text.push_str(&format!("{v}\n"));
    }
    let mut rng = gen_orders::Rng::new(25);
    for i in 0..60 {
        text.push_str(&gen_orders::order(i, &mut rng));
        text.push('\n');
    }
    JsonlOrders::new(text.as_bytes())
        .map(|r| r.expect("reads").expect("a valid order").1)
        .collect()
}

/// Names of the committed evaluation sets, with their kinds: a few of each set.
fn names() -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    let dir = root().join("eval/names");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("eval/names is committed")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    files.sort();
    for f in files {
        let text = std::fs::read_to_string(&f).expect("readable");
        for line in text.lines().filter(|l| !l.trim().is_empty()).take(25) {
            let v: serde_json::Value = serde_json::from_str(line).expect("JSON");
            if let Some(name) = v.get("name").and_then(|n| n.as_str()) {
                let kind = v.get("kind").and_then(|k| k.as_str()).map(String::from);
                out.push((name.to_string(), kind));
            }
        }
    }
    out
}

/// Everything one screener answers for the inputs, as JSON text.
fn answers(s: &Screener, orders: &[Order], names: &[(String, Option<String>)]) -> Vec<String> {
    let mut out = Vec::new();
    for o in orders {
        out.push(serde_json::to_string(&s.screen(o)).expect("serializes"));
    }
    for (name, kind) in names {
        let mut q = NameQuery::new(name);
        if let Some(k) = kind
            .as_deref()
            .and_then(|k| embargo::api::parse_kind(k).ok().flatten())
        {
            q = q.kind(k);
        }
        out.push(serde_json::to_string(&s.match_name(&q, 0.7, 10)).expect("serializes"));
    }
    for o in orders {
        for g in &o.goods {
            out.push(serde_json::to_string(&s.classify(g)).expect("serializes"));
        }
    }
    let line = GoodsLine {
        description: Some("Lexus LX570 SUV, 2020".into()),
        hs: Some("8703.24".into()),
        value: Some(98_000.0),
        currency: Some("USD".into()),
        quantity: Some(1.0),
    };
    out.push(serde_json::to_string(&s.classify(&line)).expect("serializes"));
    out
}

#[test]
fn the_default_rules_answer_the_same_from_text_and_from_their_artifact() {
    let text = Ruleset::embedded().expect("the embedded rules compile");
    let bytes = text.to_artifact().expect("writes");
    let compiled = Ruleset::from_artifact(&bytes).expect("reads back");
    assert_eq!(compiled.hash(), text.hash());
    let (orders, names) = (orders(), names());
    assert!(
        orders.len() > 60 && names.len() > 50,
        "{} orders, {} names",
        orders.len(),
        names.len()
    );
    let a = answers(&Screener::new(text.clone(), options()), &orders, &names);
    let b = answers(&Screener::new(compiled.clone(), options()), &orders, &names);
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x, y);
    }
    // A choice of lists builds its own index from the ruleset read back.
    let only_un = ScreenOptions {
        lists: vec!["un".into()],
        ..options()
    };
    let few = &orders[..20];
    assert_eq!(
        answers(&Screener::new(text, only_un.clone()), few, &[]),
        answers(&Screener::new(compiled, only_un), few, &[])
    );
}

const SMALL: &str = r#"
list un { title "UN" as_of "2026-02-27" }
entity un:KPe.001 { kind organization name "KOREA MINING DEVELOPMENT TRADING CORPORATION" alias "KOMID" country KP }
entity un:KPi.001 { kind person name "KIM Jong Un" }
category cars { title "Cars" tags luxury basis "b" terms "lexus" hs 8703 }
set countries dprk = KP
rule listed { basis "b" when party matches any then block "listed" }
rule cars { basis "b" when goods in cars and destination in dprk then block "luxury" }
"#;

fn small() -> Vec<u8> {
    Ruleset::from_text("small.emb", SMALL)
        .expect("compiles")
        .to_artifact()
        .expect("writes")
}

fn refused(bytes: &[u8]) -> ArtifactErrorKind {
    match Ruleset::from_artifact(bytes) {
        Ok(_) => panic!("an altered artifact was read"),
        Err(e) => {
            assert!(e.to_string().starts_with("not a usable compiled ruleset: "));
            e.kind()
        }
    }
}

#[test]
fn foreign_bytes_are_refused() {
    assert_eq!(refused(b""), ArtifactErrorKind::Foreign);
    assert_eq!(refused(SMALL.as_bytes()), ArtifactErrorKind::Foreign);
    assert_eq!(refused(b"\x89PNG\r\n\x1a\n"), ArtifactErrorKind::Foreign);
}

#[test]
fn another_format_version_is_refused() {
    let mut bytes = small();
    if let Some(v) = bytes.get_mut(8) {
        *v = v.wrapping_add(1);
    }
    assert_eq!(refused(&bytes), ArtifactErrorKind::Version);
}

#[test]
fn another_build_is_refused() {
    let bytes = small();
    // The build fingerprint is hex text in the header: another build's differs in it.
    let text = String::from_utf8_lossy(&bytes[..200]).into_owned();
    let version = format!("embargo {}", env!("CARGO_PKG_VERSION"));
    let at = text.find(&version).expect("the header names the library");
    let mut other = bytes.clone();
    let fp = at + version.len() + 1;
    other[fp] = if other[fp] == b'0' { b'1' } else { b'0' };
    let err = Ruleset::from_artifact(&other).expect_err("refused");
    assert_eq!(err.kind(), ArtifactErrorKind::OtherBuild);
    assert!(err.to_string().contains("compile the rules again"), "{err}");
}

#[test]
fn a_truncated_artifact_is_refused_at_every_length() {
    let bytes = small();
    for cut in 0..bytes.len() {
        let kind = refused(&bytes[..cut]);
        assert!(
            matches!(
                kind,
                ArtifactErrorKind::Foreign
                    | ArtifactErrorKind::Truncated
                    | ArtifactErrorKind::Corrupt
            ),
            "cut at {cut}: {kind:?}"
        );
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert_eq!(refused(&longer), ArtifactErrorKind::Corrupt);
}

#[test]
fn every_flipped_byte_is_refused_and_none_panics() {
    let bytes = small();
    for at in 0..bytes.len() {
        for mask in [0x01u8, 0x80, 0xff] {
            let mut b = bytes.clone();
            b[at] ^= mask;
            refused(&b);
        }
    }
}
