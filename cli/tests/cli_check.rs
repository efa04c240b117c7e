//! End-to-end tests of `embargo check` and `embargo fmt`: the real binary, real files,
//! exit codes as in CONTRACT.md.

#[path = "support/cli.rs"]
#[allow(dead_code)] // The shared helpers also serve tests of other files.
mod cli;
use cli::{root, text};

/// Runs `embargo ARGS` with nothing on standard input.
fn embargo(args: &[&str]) -> std::process::Output {
    cli::embargo(args, "")
}

#[test]
fn check_prints_counts_and_hash_for_valid_rules() {
    let out = embargo(&["check", "--rules", "tests/fixtures/rules/valid/dprk-mini"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        stdout.contains("2 lists, 3 entities, 10 names, 3 categories, 4 rules"),
        "{stdout}"
    );
    assert!(
        stdout.contains("list un as of 2026-02-27: 1 entities"),
        "{stdout}"
    );
    assert!(stdout.contains("ruleset sha256:"), "{stdout}");
}

#[test]
fn check_reports_every_error_with_location_and_exits_1() {
    let out = embargo(&[
        "check",
        "--rules",
        "tests/fixtures/rules/diagnostics/references.emb",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains(
        "tests/fixtures/rules/diagnostics/references.emb:16:17: error: unknown category `luxury_vehicle`"
    ), "{stderr}");
    assert!(stderr.contains("did you mean `luxury_vehicles`?"));
    assert!(stderr.contains("references.emb:23:8: error: unknown decision `blok`"));
    assert!(stderr.contains("4 error(s)"), "{stderr}");
    // The offending line and a caret under the fault.
    assert!(stderr.contains("16 |   when goods in luxury_vehicle and destination in dprkk\n"));
    assert!(stderr.contains("   |                 ^^^^^^^^^^^^^^\n"));
}

#[test]
fn check_on_several_paths_loads_exactly_those() {
    let out = embargo(&[
        "check",
        "--rules",
        "tests/fixtures/rules/valid/dprk-mini/lists.emb",
        "--rules",
        "tests/fixtures/rules/valid/dprk-mini/entities.emb",
        "--rules",
        "tests/fixtures/rules/valid/dprk-mini/goods.emb",
        "--rules",
        "tests/fixtures/rules/valid/dprk-mini/rules.emb",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("2 lists, 3 entities"));
    // Lists alone cannot decide anything: refused, not an empty screen.
    let out = embargo(&[
        "check",
        "--rules",
        "tests/fixtures/rules/valid/dprk-mini/lists.emb",
        "--rules",
        "tests/fixtures/rules/valid/dprk-mini/entities.emb",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
}

#[test]
fn missing_rules_path_is_an_error_not_a_panic() {
    let out = embargo(&["check", "--rules", "tests/fixtures/rules/no-such-file.emb"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("cannot read rules from tests/fixtures/rules/no-such-file.emb")
    );
}

#[test]
fn usage_errors_exit_1() {
    let out = embargo(&["check", "--no-such-flag"]);
    assert_eq!(out.status.code(), Some(1));
    let out = embargo(&["no-such-command"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn check_without_rules_uses_the_embedded_default() {
    let out = embargo(&["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).starts_with("ok: "));
}

#[test]
fn bad_settings_are_located() {
    let dir = std::env::temp_dir().join(format!("embargo-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let cfg = dir.join("embargo.toml");
    std::fs::write(&cfg, "[matching]\nlimit = 5\nthreshhold = 0.9\n").expect("write");
    let cfg = cfg.to_string_lossy().into_owned();
    let out = embargo(&["--config", &cfg, "check"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(&format!("{cfg}:3:1: unknown field `threshhold`")),
        "{stderr}"
    );
}

#[test]
fn fmt_prints_canonical_text_that_checks_the_same() {
    let out = embargo(&["fmt", "tests/fixtures/rules/valid/dprk-mini/rules.emb"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let formatted = text(&out.stdout);
    assert!(formatted.contains("rule luxury_via_hub {\n  basis \"UNSCR 2270 (2016), para. 18\"\n"));
    // Formatting the formatted text changes nothing.
    let dir = std::env::temp_dir().join(format!("embargo-fmt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("rules.emb");
    std::fs::write(&path, &formatted).expect("write");
    let path = path.to_string_lossy().into_owned();
    let again = embargo(&["fmt", "--check", &path]);
    assert_eq!(again.status.code(), Some(0), "{}", text(&again.stderr));
    // The hand-written fixture is not in canonical form (its `when` spans two lines).
    let check = embargo(&[
        "fmt",
        "--check",
        "tests/fixtures/rules/valid/dprk-mini/rules.emb",
    ]);
    assert_eq!(check.status.code(), Some(1));
}

#[test]
fn fmt_keeps_comments() {
    let out = embargo(&["fmt", "tests/fixtures/rules/valid/include/main.emb"]);
    assert!(text(&out.stdout).starts_with("# An entry point that pulls in its parts.\ninclude "));
}

#[test]
fn the_example_settings_file_is_valid_and_says_the_defaults() {
    let text =
        std::fs::read_to_string(root().join("embargo.example.toml")).expect("example settings");
    let parsed = embargo::config::Settings::from_toml("embargo.example.toml", &text);
    assert_eq!(parsed.ok(), Some(embargo::config::Settings::default()));
}
