//! End-to-end tests of settings and list staleness (issue 22, "fail closed"): unknown
//! keys and list names in embargo.toml are located errors, a settings file found in
//! the working directory is said, what can change a decision is recorded in it, and a
//! stale list is warned of by `screen`, `match` and `serve` and marked in decisions.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

#[path = "support/cli.rs"]
#[allow(dead_code)] // The shared helpers also serve tests of other files.
mod cli;
#[path = "support/http.rs"]
mod http;
use cli::{arg, embargo, json_lines, temp_dir, text, MINI};

/// Runs `embargo ARGS` in `dir`, as a user whose working directory holds settings.
fn embargo_in(dir: &Path, args: &[&str], stdin: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_embargo"))
        .current_dir(dir)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the embargo binary runs");
    let mut input = child.stdin.take().expect("stdin");
    let _ = input.write_all(stdin.as_bytes());
    drop(input);
    child.wait_with_output().expect("embargo finishes")
}

const ORDER: &str = "{\"id\":\"S-1\",\"parties\":[{\"name\":\"Korea Kwangson Banking Corp\"}]}\n";

#[test]
fn unknown_keys_and_list_names_are_located_errors_with_a_hint() {
    let dir = temp_dir("unknown");
    std::fs::write(dir.join("embargo.toml"), "[matching]\nthreshhold = 0.9\n").expect("write");
    let out = embargo_in(&dir, &["screen"], ORDER);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(out.stdout.is_empty());
    assert!(
        stderr.contains("embargo.toml:2:1: unknown field `threshhold`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("help: did you mean `threshold`?"),
        "{stderr}"
    );

    // `ofac` names no list: the OFAC lists are `ofac-sdn` and `ofac-cons`.
    std::fs::write(
        dir.join("embargo.toml"),
        "[lists]\nenabled = [\"un\", \"ofac\"]\n",
    )
    .expect("write");
    for command in [&["screen"][..], &["check"][..], &["match", "KOMID"][..]] {
        let out = embargo_in(&dir, command, ORDER);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{command:?}: {stderr}");
        assert!(out.stdout.is_empty() || command[0] == "check");
        assert!(
            stderr.contains("embargo.toml:2:18: error: no list is named `ofac`"),
            "{command:?}: {stderr}"
        );
        assert!(
            stderr.contains("did you mean `ofac-cons` and `ofac-sdn`?"),
            "{stderr}"
        );
    }
}

#[test]
fn settings_found_in_the_working_directory_are_said_and_recorded() {
    let dir = temp_dir("recorded");
    let rules = cli::root().join(MINI);
    let out = embargo_in(&dir, &["screen", "--rules", &arg(&rules)], ORDER);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(!text(&out.stderr).contains("settings from"));
    let before = &json_lines(&out)[0];
    assert_eq!(before["settings"]["threshold"], 0.8);
    assert_eq!(before["settings"]["limit"], 10);
    let both: Vec<&str> = before["lists"]
        .as_array()
        .map(|l| l.iter().filter_map(|x| x["name"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(both, ["un", "ofac-sdn"]);

    std::fs::write(
        dir.join("embargo.toml"),
        "[matching]\nthreshold = 0.95\nlimit = 3\n[lists]\nenabled = [\"un\"]\n",
    )
    .expect("write");
    let out = embargo_in(&dir, &["screen", "--rules", &arg(&rules)], ORDER);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("settings from ./embargo.toml (found in the working directory)"),
        "{stderr}"
    );
    let after = &json_lines(&out)[0];
    assert_eq!(after["settings"]["threshold"], 0.95);
    assert_eq!(after["settings"]["limit"], 3);
    // Only the list screened is named: the SDN entity that matched before is gone.
    assert_eq!(after["lists"].as_array().map(Vec::len), Some(1));
    assert_eq!(after["lists"][0]["name"], "un");
    assert_eq!(before["decision"], "block");
    assert_eq!(after["decision"], "clear");
    // Valid settings add nothing to what `check` counts.
    let out = embargo_in(&dir, &["check", "--rules", &arg(&rules)], "");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("ok: 4 files,"),
        "{}",
        text(&out.stdout)
    );
}

/// A list of one's own dated 2000: stale whatever the day the tests run.
fn old_list(dir: &Path) -> PathBuf {
    let path = dir.join("old.emb");
    std::fs::write(
        &path,
        "list old {\n  title \"An old internal list\"\n  as_of \"2000-01-01\"\n  entities 1\n}\n\nentity old:1 {\n  kind organization\n  name \"Tumen River Holdings\"\n}\n",
    )
    .expect("write");
    path
}

#[test]
fn a_stale_list_is_warned_of_and_marked_in_each_decision() {
    let dir = temp_dir("stale");
    let list = arg(&old_list(&dir));
    let out = embargo(&["screen", "--add-rules", &list], ORDER);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("warning: list `old` is ") && stderr.contains("(as of 2000-01-01)"),
        "{stderr}"
    );
    let d = &json_lines(&out)[0];
    let old = d["lists"]
        .as_array()
        .and_then(|l| l.iter().find(|x| x["name"] == "old"))
        .expect("the list is named");
    assert_eq!(old["stale"], true);
    assert!(old["age_days"].as_i64().is_some_and(|a| a > 9000), "{old}");
    let fresh = d["lists"]
        .as_array()
        .and_then(|l| l.iter().find(|x| x["name"] == "un"))
        .expect("un");
    assert!(fresh.get("stale").is_none(), "{fresh}");

    let out = embargo(&["match", "--add-rules", &list, "Tumen River Holdings"], "");
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stderr).contains("warning: list `old` is "));

    // Allowed older lists are not stale.
    std::fs::write(dir.join("embargo.toml"), "[lists]\nmax_age_days = 100000\n").expect("write");
    let out = embargo_in(&dir, &["screen", "--add-rules", &list], ORDER);
    assert!(
        !text(&out.stderr).contains("warning: list"),
        "{}",
        text(&out.stderr)
    );
    assert!(!text(&out.stdout).contains("\"stale\""));
}

/// `serve` warns of a stale list at start and after a reload, and a reload that would
/// leave it unable to decide is refused while the old rules keep serving.
#[test]
fn serve_warns_of_stale_lists_and_refuses_rules_that_cannot_decide() {
    let dir = temp_dir("serve");
    let rules = dir.join("rules");
    std::fs::create_dir_all(&rules).expect("dir");
    for f in ["lists.emb", "entities.emb", "goods.emb", "rules.emb"] {
        std::fs::copy(cli::root().join(MINI).join(f), rules.join(f)).expect("copy");
    }
    std::fs::copy(old_list(&dir), rules.join("old.emb")).expect("copy");
    let mut child = Command::new(env!("CARGO_BIN_EXE_embargo"))
        .current_dir(cli::root())
        .args(["serve", "--addr", "127.0.0.1:0", "--rules", &arg(&rules)])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the embargo binary runs");
    let (tx, rx) = mpsc::channel::<String>();
    let stderr = child.stderr.take().expect("stderr");
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    // Lines until one holding `needle`; a generous bound only guards against a hang.
    let until = |needle: &str| -> Vec<String> {
        let mut seen = Vec::new();
        while let Ok(line) = rx.recv_timeout(Duration::from_secs(120)) {
            let done = line.contains(needle);
            seen.push(line);
            if done {
                return seen;
            }
        }
        panic!("no `{needle}` on stderr: {seen:?}");
    };
    let start = until("listening on http://");
    assert!(
        start.iter().any(|l| l.contains("warning: list `old` is ")),
        "{start:?}"
    );
    let addr = start
        .last()
        .and_then(|l| l.split("listening on http://").nth(1))
        .and_then(|r| r.split_whitespace().next())
        .expect("address")
        .to_string();
    let mut conn = http::Conn::connect(&addr).expect("connect");

    let reloaded = conn.post_json("/v1/reload", "").expect("reload");
    assert_eq!(reloaded.status, 200, "{}", reloaded.text());
    let after = until("warning: list `old` is ");
    assert!(after.iter().any(|l| l.contains("reloaded")), "{after:?}");

    // The folder loses its rules: the reload is refused, the old ruleset serves on.
    for f in ["goods.emb", "rules.emb"] {
        std::fs::remove_file(rules.join(f)).expect("remove");
    }
    let refused = conn.post_json("/v1/reload", "").expect("reload");
    assert_eq!(refused.status, 422, "{}", refused.text());
    let body = refused.json();
    assert!(
        body.to_string()
            .contains("no rule in these files decides anything"),
        "{body}"
    );
    let screened = conn
        .post_json(
            "/v1/screen",
            r#"{"id":"H-1","parties":[{"name":"Korea Kwangson Banking Corp"}]}"#,
        )
        .expect("screen");
    assert_eq!(screened.status, 200, "{}", screened.text());
    assert_eq!(screened.json()["decision"], "block");
    // The library's order model refuses an unknown field over HTTP too, naming it.
    let typo = conn
        .post_json(
            "/v1/screen",
            r#"{"id":"H-2","party":[{"name":"Korea Kwangson Banking Corp"}]}"#,
        )
        .expect("screen");
    assert_eq!(typo.status, 422, "{}", typo.text());
    assert!(
        typo.text().contains("unknown field `party`"),
        "{}",
        typo.text()
    );
    let empty = conn
        .post_json("/v1/screen", r#"{"id":"H-3"}"#)
        .expect("screen");
    assert_eq!(empty.status, 422, "{}", empty.text());
    assert!(
        empty.text().contains("nothing to screen"),
        "{}",
        empty.text()
    );
    let _ = child.kill();
    let _ = child.wait();
}
