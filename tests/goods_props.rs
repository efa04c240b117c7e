//! Property tests: classification never panics, and evidence always slices what was
//! written on character boundaries.

mod goods_common;

use std::sync::OnceLock;

use embargo::goods::{Classifier, EvidenceKind, GoodsLine};
use proptest::prelude::*;

fn classifier() -> &'static Classifier {
    static C: OnceLock<Classifier> = OnceLock::new();
    C.get_or_init(|| Classifier::new(&goods_common::shipped()))
}

fn slice(s: &str, start: usize, end: usize) -> Option<String> {
    if start > end || end > s.chars().count() {
        return None;
    }
    Some(s.chars().skip(start).take(end - start).collect())
}

/// Text built from luxury words, look-alikes, scripts and punctuation, so that the
/// property runs through real matches and not only random noise.
fn goods_text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "Rolex",
        "ROLLS-ROYCE",
        "car",
        "Hermès",
        "bags",
        "LUX",
        "btls",
        "钻石戒指",
        "铂金",
        "Золотые",
        "серьги",
        "양주",
        "발렌타인",
        "ß",
        "é",
        "ﬁ",
        "Ｌｕｘ",
        "'s",
        " ",
        ",",
        "@",
        "USD",
        "2.50",
        "/pc",
        "1:18",
        "die-cast",
        "toy",
        "hand-knotted",
        "rug",
        "\u{301}",
        "😀",
        "\t",
        "x",
        "12YRS",
        "İ",
    ]);
    prop::collection::vec(pieces, 0..12).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn never_panics_on_any_text(desc in any::<String>(), hs in proptest::option::of(any::<String>()),
                                value in proptest::option::of(any::<f64>()),
                                currency in proptest::option::of("[A-Za-z]{0,4}")) {
        let line = GoodsLine { description: Some(desc), hs, value, currency, quantity: None };
        let _ = classifier().classify(&line);
    }

    #[test]
    fn evidence_slices_the_original(desc in goods_text(), hs in proptest::option::of("[0-9. ]{0,14}")) {
        let line = GoodsLine { description: Some(desc.clone()), hs: hs.clone(), ..GoodsLine::default() };
        for m in classifier().classify(&line) {
            for e in m.evidence() {
                let source = match e.kind {
                    EvidenceKind::Term => desc.as_str(),
                    EvidenceKind::Hs => hs.as_deref().unwrap_or(""),
                };
                prop_assert_eq!(slice(source, e.start, e.end), Some(e.text().to_string()));
                prop_assert!(e.start < e.end);
            }
        }
    }
}
