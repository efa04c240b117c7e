//! The canonical form `embargo fmt` writes: conditions broken before `and` and `or`
//! within the width, numbers as written, and the shipped rules kept in that form.
//! (Comments in place are tested with the printer, in `src/rules/print`, and on
//! generated and mutated trees in `tests/rules_roundtrip.rs`.)

use embargo::rules::ast::*;
use embargo::rules::{parser, print, FileId, Span};
use proptest::prelude::*;

mod common;

fn sp() -> Span {
    Span::default()
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: common::cases(256),
        ..ProptestConfig::default()
    }
}

/// `tree` prints to text that parses back to it, and printing that again changes
/// nothing.
fn assert_round_trip(tree: &File) -> Result<(), TestCaseError> {
    let printed = print::print_file(tree);
    let (reparsed, diags) = parser::parse(FileId(0), &printed);
    prop_assert!(diags.is_empty(), "{:?}\n{}", diags, printed);
    prop_assert_eq!(&reparsed, tree, "--- text ---\n{}", printed);
    prop_assert_eq!(print::print_file(&reparsed), printed);
    Ok(())
}

/// Tests written with short identifiers only, so that a line of a printed condition
/// is longer than the width only when it holds one test.
fn plain_expr() -> impl Strategy<Value = Expr> {
    let name = "[a-z][a-z_]{0,14}".prop_map(|name| Ident { name, span: sp() });
    let leaf = prop_oneof![
        name.clone().prop_map(|n| Test::RouteIn {
            leg: RouteLeg::Destination,
            places: PlaceRef::Set(n),
        }),
        name.clone().prop_map(|n| Test::GoodsIn(CategoryRef::Tagged(
            vec![Text {
                value: n.name,
                span: sp()
            }],
            sp()
        ))),
        prop::collection::vec(name, 1..8).prop_map(|lists| Test::PartyMatches {
            roles: Vec::new(),
            filter: EntityFilter {
                lists,
                ..EntityFilter::default()
            },
            min_score: None,
        }),
    ]
    .prop_map(|test| Expr::Cond(Condition { test, span: sp() }));
    leaf.prop_recursive(4, 40, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 2..6).prop_map(|v| Expr::And(v, sp())),
            prop::collection::vec(inner.clone(), 2..6).prop_map(|v| Expr::Or(v, sp())),
            inner.prop_map(|e| Expr::Not(Box::new(e), sp())),
        ]
    })
}

fn rule_with(when: Expr) -> File {
    File {
        items: vec![Item::Rule(Rule {
            name: Ident {
                name: "r".into(),
                span: sp(),
            },
            title: None,
            basis: Vec::new(),
            when,
            then: Outcome {
                decision: Decision::Block,
                reason: Text {
                    value: String::new(),
                    span: sp(),
                },
                span: sp(),
            },
            span: sp(),
        })],
        comments: Vec::new(),
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn long_conditions_break_before_and_or_within_the_width(when in plain_expr()) {
        let tree = rule_with(when);
        assert_round_trip(&tree)?;
        let printed = print::print_file(&tree);
        for line in printed.lines() {
            let body = line
                .trim_start()
                .trim_start_matches("when ")
                .trim_start_matches("and ")
                .trim_start_matches("or ")
                .trim_start_matches(['(', ' ']);
            let several = body.contains(" and ") || body.contains(" or ");
            prop_assert!(
                line.chars().count() <= print::WIDTH || !several,
                "a line past the width holds more than one test:\n{}",
                printed
            );
        }
    }
}

#[test]
fn numbers_stay_as_written() {
    let text = "category c {\n  title \"C\"\n  basis \"B\"\n  hs 87\n  threshold EUR 1_000.10\n}\n\nrates {\n  rate EUR 1.10\n}\n";
    let (tree, diags) = parser::parse(FileId(0), text);
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(print::print_file(&tree), text);
}

/// The shipped rules are in canonical form: `embargo fmt --check` passes on them, and
/// CI runs it.
#[test]
fn shipped_rules_are_in_canonical_form() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/rules");
    let mut files = Vec::new();
    let mut dirs = vec![std::path::PathBuf::from(root)];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir)
            .expect("rules/ is readable")
            .flatten()
        {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "emb") {
                files.push(path);
            }
        }
    }
    assert!(files.len() >= 15, "found {} rules files", files.len());
    for path in files {
        let text = std::fs::read_to_string(&path).expect("readable");
        let (tree, diags) = parser::parse(FileId(0), &text);
        assert!(diags.is_empty(), "{}: {diags:?}", path.display());
        assert!(
            print::print_file(&tree) == text,
            "{} is not in canonical form: run `embargo fmt --write` on it",
            path.display()
        );
    }
}
