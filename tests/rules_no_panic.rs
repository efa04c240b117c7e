//! The parser and the loader never panic, whatever the input, and every diagnostic
//! points into the text on character boundaries (so rendering it cannot slice a
//! character in half).
//!
//! Two sources of input: arbitrary bytes read as lossy UTF-8 (mostly rejected at the
//! first token, but cheap), and edits of a valid file (which reach every item and
//! property parser and the compiler). `PROPTEST_CASES` raises the counts for a soak run.

use embargo::rules::{load_str, parser, CompileOptions, Diagnostic, FileId};
use proptest::prelude::*;

mod common;

fn options() -> CompileOptions {
    // A fixed date, so a run does not depend on the day it runs.
    CompileOptions {
        max_list_age_days: Some(365),
        today: Some("2026-03-01".to_string()),
    }
}

fn check_spans(text: &str, diags: &[Diagnostic]) -> Result<(), TestCaseError> {
    for d in diags {
        let s = d.span;
        prop_assert!(
            s.start <= s.end && s.end <= text.len(),
            "span {:?} outside the text ({} bytes): {}",
            s,
            text.len(),
            d.message
        );
        prop_assert!(
            text.is_char_boundary(s.start) && text.is_char_boundary(s.end),
            "span {:?} not on char boundaries: {}",
            s,
            d.message
        );
    }
    Ok(())
}

fn check(text: &str) -> Result<(), TestCaseError> {
    let (_, diags) = parser::parse(FileId(0), text);
    check_spans(text, &diags)?;
    let checked = load_str("input.emb", text, &options());
    check_spans(text, &checked.diagnostics)?;
    // Rendering reads the line and column of every span.
    let _ = checked.render_diagnostics();
    Ok(())
}

proptest! {
    // 2048 arbitrary inputs and 2048 edited files run in about ten seconds in a debug
    // build; the soak run in the report used PROPTEST_CASES=100000.
    #![proptest_config(ProptestConfig {
        cases: common::cases(2048),
        ..ProptestConfig::default()
    })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let text = String::from_utf8_lossy(&bytes);
        check(&text)?;
    }

    #[test]
    fn arbitrary_text_of_language_characters_never_panics(
        chars in prop::collection::vec(common::mutation_char(), 0..256)
    ) {
        let text: String = chars.into_iter().collect();
        check(&text)?;
    }

    #[test]
    fn edited_valid_files_never_panic(text in common::mutated_seed()) {
        check(&text)?;
    }
}

#[test]
fn the_seed_is_valid() {
    // Otherwise the edits start from an error and test less than they seem to.
    let checked = load_str("seed.emb", common::SEED, &options());
    let errors: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.message.clone())
        .collect();
    // The seed includes a file, which `load_str` reports; nothing else may be wrong.
    assert_eq!(
        errors,
        vec!["`include` needs rules loaded from files".to_string()]
    );
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    for open in ["(", "not ", "not ("] {
        let text = format!(
            "rule r {{\n  when {}goods in x\n  then block \"r\"\n}}\n",
            open.repeat(10_000)
        );
        let (_, diags) = parser::parse(FileId(0), &text);
        assert!(
            diags.iter().any(|d| d.message.contains("nested")),
            "{open}: {diags:?}"
        );
    }
}
