//! The classifier on small hand-made categories: what matches, with which evidence,
//! where. Its agreement with the naive classifier on the shipped rules and on
//! generated lines is in [`super::naive`].

use super::evidence::char_slice;
use super::naive::{assert_same, with_naive};
use super::tally::take_bits;
use super::*;
use crate::rules::ir::{ExcludedTerm, HsPrefix, Term};
use proptest::prelude::*;

pub(super) fn term(text: &str, strength: Strength) -> Term {
    Term::new(text, None, strength)
}

pub(super) fn excluded(terms: &[&str]) -> Vec<ExcludedTerm> {
    terms.iter().map(|&t| ExcludedTerm::new(t)).collect()
}

pub(super) fn hs_prefix(digits: &str, strength: Strength) -> HsPrefix {
    HsPrefix {
        digits: digits.into(),
        strength,
    }
}

pub(super) fn category(id: &str) -> Category {
    Category {
        id: id.into(),
        title: id.into(),
        tags: vec!["luxury".into()],
        basis: vec!["test".into()],
        terms: vec![],
        hs: vec![],
        exclude_terms: vec![],
        exclude_hs: vec![],
        threshold_usd: None,
        threshold_text: None,
    }
}

fn fixture() -> Classifier {
    let mut jewellery = category("jewellery");
    jewellery.terms = vec![
        term("jewellery", Strength::Strong),
        term("gold necklace", Strength::Strong),
        term("jade", Strength::Weak),
        term("gold", Strength::Weak),
        term("necklace", Strength::Weak),
        term("钻石戒指", Strength::Strong),
        term("золот*", Strength::Weak),
        term("серьг*", Strength::Weak),
    ];
    jewellery.hs = vec![hs_prefix("7113", Strength::Strong)];
    jewellery.exclude_terms = excluded(&["imitation", "gold plated"]);

    let mut drinks = category("drinks");
    drinks.terms = vec![
        term("cognac", Strength::Strong),
        term("xo", Strength::Weak),
        term("bottle", Strength::Weak),
    ];
    drinks.hs = vec![hs_prefix("2208", Strength::Weak)];
    drinks.exclude_terms = excluded(&["xo sauce"]);

    let mut kits = category("luxury_kits");
    kits.terms = vec![term("luxury", Strength::Weak), term("kit", Strength::Weak)];

    let mut vehicles = category("vehicles");
    vehicles.terms = vec![
        term("rolls royce", Strength::Weak),
        term("car", Strength::Weak),
        term("maybach", Strength::Strong),
    ];
    vehicles.hs = vec![hs_prefix("8703", Strength::Strong)];
    vehicles.exclude_terms = excluded(&["1:18 die-cast model", "toy"]);
    vehicles.exclude_hs = vec!["870310".into()];

    let mut rugs = category("rugs");
    rugs.terms = vec![term("hand-knotted", Strength::Strong)];
    rugs.threshold_usd = Some(500.0);

    let mut rates = Rates::default();
    rates.insert("EUR".to_string(), 1.10);
    Classifier::from_categories(&[jewellery, drinks, kits, vehicles, rugs], rates)
}

pub(super) fn ids(c: &Classifier, line: &GoodsLine) -> Vec<String> {
    c.classify(line)
        .iter()
        .map(|m| c.categories()[m.category].id.clone())
        .collect()
}

fn desc(c: &Classifier, text: &str) -> Vec<String> {
    ids(c, &GoodsLine::new(text))
}

/// A term right next to a name word is a name, not goods: a company (`Rolex
/// Trading LLC`), a street, a person (`Mr. Bentley`). Only that term is dropped,
/// on every reading of a line (as written, by stretches, normalized).
#[test]
fn terms_next_to_name_words_are_names() {
    let mut watches = category("watches");
    watches.terms = vec![
        term("rolex", Strength::Strong),
        term("diamond ring", Strength::Strong),
        term("tiffany", Strength::Strong),
    ];
    let mut cars = category("cars");
    cars.terms = vec![term("bentley", Strength::Strong)];
    let c = Classifier::from_categories(&[watches, cars], Rates::default());
    for text in [
        "notify party: Rolex Trading LLC, Dubai; goods: steel fasteners",
        "Rolex Trading LLC's steel fasteners",
        "Rolex Trading LLC, 钢管",
        "Rolex Trading LLC, ½ inch steel pipes",
        "Rolex Street 5, office chairs",
        "attn: Mr. Bentley, office supplies",
        "shipper: Bentley - used tyres",
    ] {
        assert!(desc(&c, text).is_empty(), "{text}: {:?}", desc(&c, text));
    }
    for (text, want) in [
        ("Rolex watches from Acme Trading LLC", "watches"),
        ("Tiffany & Co. diamond ring", "watches"),
        ("Rolex Submariner, 钢 strap", "watches"),
        ("Bentley Bentayga, consignee: Acme Ltd", "cars"),
    ] {
        assert_eq!(desc(&c, text), [want], "{text}");
    }
}

#[test]
fn words_are_not_goods() {
    let c = fixture();
    assert!(desc(&c, "jade green tiles").is_empty());
    assert!(desc(&c, "golden syrup 454g").is_empty());
    assert!(desc(&c, "XO sauce, 6 bottles").is_empty());
    assert!(desc(&c, "deluxe first aid kits").is_empty());
    assert!(desc(&c, "goldsmith tools").is_empty());
}

#[test]
fn strong_or_two_weak() {
    let c = fixture();
    assert_eq!(desc(&c, "Hennessy COGNAC"), ["drinks"]);
    assert_eq!(desc(&c, "jade necklace"), ["jewellery"]);
    assert_eq!(desc(&c, "LUX KITS"), ["luxury_kits"]);
    assert!(
        desc(&c, "gold gold gold").is_empty(),
        "one weak term repeated"
    );
    // `gold necklace` is strong by itself; the weak `gold` and `necklace` inside it
    // are one place, not two pieces of evidence.
    assert_eq!(desc(&c, "gold necklace"), ["jewellery"]);
}

#[test]
fn weak_term_and_weak_code() {
    let c = fixture();
    let line = GoodsLine::new("XO 0.7L x 6 btls").with_hs("2208.20");
    assert_eq!(ids(&c, &line), ["drinks"]);
    assert!(ids(&c, &GoodsLine::new("assorted").with_hs("220820")).is_empty());
}

#[test]
fn plurals_and_abbreviations() {
    let c = fixture();
    assert_eq!(desc(&c, "6 BTLS xo"), ["drinks"]);
    assert_eq!(desc(&c, "Jewelry, assorted"), ["jewellery"]);
    assert_eq!(desc(&c, "used Maybachs"), ["vehicles"]);
}

#[test]
fn cjk_and_cyrillic_terms() {
    let c = fixture();
    assert_eq!(desc(&c, "钻石戒指 铂金"), ["jewellery"]);
    assert_eq!(
        desc(&c, "高级钻石戒指两枚"),
        ["jewellery"],
        "inside a CJK run"
    );
    assert_eq!(desc(&c, "Золотые серьги с бриллиантами"), ["jewellery"]);
}

#[test]
fn exclusions_veto() {
    let c = fixture();
    assert!(desc(&c, "imitation jewellery").is_empty());
    assert!(desc(&c, "1:18 die-cast model Maybach").is_empty());
    assert!(desc(&c, "Maybach toy car").is_empty());
    // An excluded code vetoes weak evidence, and a strong term with an exclusion
    // term; a strong term alone outweighs it, and the code is marked a mismatch.
    let weak_code = GoodsLine::new("Rolls Royce car").with_hs("8703.10");
    assert!(ids(&c, &weak_code).is_empty(), "excluded code, weak terms");
    let toy_code = GoodsLine::new("Maybach toy").with_hs("8703.10");
    assert!(ids(&c, &toy_code).is_empty(), "excluded code and term");
    let snow = GoodsLine::new("Maybach").with_hs("8703.10");
    let relabelled = c.classify(&snow);
    assert_eq!(
        ids(&c, &snow),
        ["vehicles"],
        "strong term over excluded code"
    );
    let codes: Vec<(&str, bool)> = relabelled[0]
        .evidence()
        .iter()
        .filter(|e| e.kind == EvidenceKind::Hs)
        .map(|e| (e.text(), e.mismatch))
        .collect();
    assert_eq!(codes, [("8703", false), ("8703.10", true)]);
    // A weak term and a code, or a strong term without one, stay vetoed.
    let weak = GoodsLine::new("toy car").with_hs("8703.24");
    assert!(ids(&c, &weak).is_empty(), "weak term and code");
    let plated = GoodsLine::new("gold plated necklace").with_hs("7113.19");
    assert!(ids(&c, &plated).is_empty(), "weak terms and code");
}

#[test]
fn an_exclusion_term_yields_to_a_strong_term_with_a_code() {
    let c = fixture();
    let line = GoodsLine::new("Maybach S680, toy car for the kids included").with_hs("8703.24");
    assert_eq!(ids(&c, &line), ["vehicles"]);
    let line = GoodsLine::new("imitation leather box, gold necklace").with_hs("7113.19");
    assert_eq!(ids(&c, &line), ["jewellery"]);
    // The code of another category, or an exclusion code, does not prove it.
    let other = GoodsLine::new("Maybach toy").with_hs("7113.19");
    assert!(!ids(&c, &other).contains(&"vehicles".to_string()));
    let snow = GoodsLine::new("Maybach toy").with_hs("8703.10");
    assert!(ids(&c, &snow).is_empty(), "excluded code");
}

#[test]
fn hs_prefix_any_level_with_or_without_dots() {
    let c = fixture();
    for code in ["8703", "870324", "8703.24", "8703.24.00.10", "HS 8703 24"] {
        let line = GoodsLine::new("see attached invoice").with_hs(code);
        assert_eq!(ids(&c, &line), ["vehicles"], "{code}");
    }
    assert!(ids(&c, &GoodsLine::new("as per P/I").with_hs("870410")).is_empty());
    assert!(ids(&c, &GoodsLine::new("x").with_hs("87")).is_empty());
}

/// Prefixes of every length are found, whatever else the rules have under the same
/// chapter or heading: the look-ups stop early only where the rules have nothing
/// longer.
#[test]
fn hs_prefixes_of_every_length_under_chapters_and_headings() {
    let mut odd = category("odd");
    odd.hs = vec![
        hs_prefix("870", Strength::Strong),
        hs_prefix("71131", Strength::Strong),
        hs_prefix("9101211", Strength::Strong),
    ];
    let c = Classifier::from_categories(&[odd], Rates::default());
    for code in ["8703", "7113.19", "9101.21.10"] {
        let line = GoodsLine::new("x").with_hs(code);
        assert_eq!(ids(&c, &line), ["odd"], "{code}");
    }
    for code in ["8713", "7114.19", "9101.22.10", "87"] {
        assert!(
            ids(&c, &GoodsLine::new("x").with_hs(code)).is_empty(),
            "{code}"
        );
    }
}

/// Two terms of a category that normalize alike (`steel pipe`, `steel pipes`) are
/// found at one place: it is one piece of evidence, strong if either term is.
#[test]
fn one_piece_of_evidence_per_place() {
    let mut metals = category("metals");
    metals.terms = vec![
        term("steel pipe", Strength::Weak),
        term("steel pipes", Strength::Strong),
        term("pipes", Strength::Weak),
    ];
    metals.hs = vec![hs_prefix("7306", Strength::Weak)];
    let c = Classifier::from_categories(&[metals], Rates::default());
    let hits = c.classify(&GoodsLine::new("Steel Pipes, welded").with_hs("7306.30"));
    let [m] = hits.as_slice() else {
        panic!("one category: {hits:?}");
    };
    let got: Vec<_> = m
        .evidence
        .iter()
        .map(|e| (e.kind, e.text.as_str(), e.start, e.end, e.strength))
        .collect();
    assert_eq!(
        got,
        [
            (EvidenceKind::Term, "Steel Pipes", 0, 11, Strength::Strong),
            (EvidenceKind::Hs, "7306", 0, 4, Strength::Weak),
        ]
    );
    let s = with_naive(c);
    assert_same(
        &s,
        &GoodsLine::new("steel pipe steel pipes"),
        &mut Scratch::new(),
    )
    .expect("as the naive classifier");
}

#[test]
fn evidence_spans_are_original_character_offsets() {
    let c = fixture();
    let text = "Notify: Zoë — 2× Hand-Knotted rugs, Rolls-Royce car";
    let line = GoodsLine::new(text).with_hs("8703.23");
    let hits = c.classify(&line);
    for h in &hits {
        for e in &h.evidence {
            let source = match e.kind {
                EvidenceKind::Term => text,
                EvidenceKind::Hs => "8703.23",
            };
            let slice: String = source.chars().skip(e.start).take(e.end - e.start).collect();
            assert_eq!(slice, e.text);
        }
    }
    let rugs = hits
        .iter()
        .find(|h| c.categories()[h.category].id == "rugs");
    let ev = &rugs.expect("rugs found").evidence[0];
    assert_eq!(
        (ev.text.as_str(), ev.start, ev.end),
        ("Hand-Knotted", 17, 29)
    );
    let cars = hits
        .iter()
        .find(|h| c.categories()[h.category].id == "vehicles");
    let ev: Vec<&str> = cars
        .expect("vehicles")
        .evidence
        .iter()
        .map(|e| e.text.as_str())
        .collect();
    assert_eq!(ev, ["Rolls-Royce", "car", "8703"]);
}

#[test]
fn thresholds_with_currency_and_unit_values() {
    let c = fixture();
    let rug = |text: &str| GoodsLine::new(text);
    assert!(ids(&c, &rug("hand-knotted rug").with_value(499.0, "USD")).is_empty());
    assert!(ids(&c, &rug("hand-knotted rug").with_value(500.0, "USD")).is_empty());
    assert_eq!(
        ids(&c, &rug("hand-knotted rug").with_value(501.0, "USD")),
        ["rugs"]
    );
    // 480 EUR is 528 USD at the fixture rate.
    assert_eq!(
        ids(&c, &rug("hand-knotted rug").with_value(480.0, "eur")),
        ["rugs"]
    );
    // A missing value, or one in a currency without a rate, does not veto.
    assert_eq!(ids(&c, &rug("hand-knotted rug")), ["rugs"]);
    assert_eq!(
        ids(&c, &rug("hand-knotted rug").with_value(10.0, "XAU")),
        ["rugs"]
    );
    // Per unit: the quantity field, a unit price in the text, a count in the text.
    let ten = rug("hand-knotted rugs")
        .with_value(3000.0, "USD")
        .with_quantity(10.0);
    assert!(ids(&c, &ten).is_empty());
    let priced = rug("hand-knotted rugs, 10 pcs @ USD 450").with_value(4500.0, "USD");
    assert!(ids(&c, &priced).is_empty());
    let per = rug("hand-knotted rugs EUR 900/pc").with_value(1800.0, "EUR");
    assert_eq!(ids(&c, &per), ["rugs"]);
    let counted = rug("hand-knotted rugs, 4 pcs").with_value(1600.0, "USD");
    assert!(ids(&c, &counted).is_empty());
    let hits = c.classify(&rug("hand-knotted rug, 1 pc").with_value(800.0, "USD"));
    assert_eq!(hits.first().and_then(|h| h.unit_value_usd), Some(800.0));
}

#[test]
fn classifier_is_send_sync_and_cheap_to_clone() {
    fn assert_send_sync<T: Send + Sync + Clone>() {}
    assert_send_sync::<Classifier>();
}

#[test]
fn empty_ruleset_and_empty_input() {
    let c = Classifier::from_categories(&[], Rates::default());
    assert!(c.classify(&GoodsLine::new("Rolex")).is_empty());
    let c = fixture();
    assert!(c.classify(&GoodsLine::default()).is_empty());
    assert!(c.classify(&GoodsLine::new("  ").with_hs("")).is_empty());
}

proptest! {
    #[test]
    fn char_slice_is_the_characters_in_range(
        s in any::<String>(),
        start in 0..40usize,
        end in 0..40usize,
    ) {
        let want: String = s.chars().skip(start).take(end.saturating_sub(start)).collect();
        prop_assert_eq!(char_slice(&s, s.is_ascii(), start, end), want);
    }
}

#[test]
fn take_bits_hands_out_set_bits_in_order_and_clears_them() {
    // Categories past the first 64 (the shipped rules have 45), and a word with
    // no bit between two that have some.
    let mut words = [0b101u64, 0, 1 << 63 | 1];
    assert_eq!(take_bits(&mut words).collect::<Vec<_>>(), [0, 2, 128, 191]);
    assert_eq!(words, [0, 0, 0]);
    assert_eq!(take_bits(&mut []).next(), None);
}
