//! Test support for goods: loads the shipped `rules/goods/` through the real loader.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use embargo::rules::{load_paths, CompileOptions, Ruleset};

/// The folder of the shipped goods rules.
pub fn goods_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/goods")
}

/// Loads rules from `paths`, failing the test with the rendered diagnostics on error.
pub fn load(paths: &[PathBuf]) -> Ruleset {
    let checked = load_paths(paths, &CompileOptions::default()).expect("rules readable");
    assert_eq!(checked.error_count(), 0, "{}", checked.render_diagnostics());
    checked.ruleset.expect("valid rules compile")
}

/// The shipped goods rules.
pub fn shipped() -> Ruleset {
    load(&[goods_dir()])
}
