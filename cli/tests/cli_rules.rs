//! End-to-end tests of which rules a command loads (issue 22, "fail closed"): rules
//! that cannot decide are refused, never screened with; `--add-rules` adds to the
//! shipped rules; `rules export` writes them out; loading survives hostile folders.

use std::path::Path;

#[path = "support/cli.rs"]
#[allow(dead_code)] // The shared helpers also serve tests of other files.
mod cli;
use cli::{arg, embargo, json_lines, temp_dir, text, MINI};

/// An order only a designated-party rule can catch: a listed bank, rice, no DPRK route.
const LISTED_BUYER: &str = r#"{"id":"L-1","parties":[{"role":"buyer","name":"Korea Kwangson Banking Corporation"}],"goods":[{"description":"rice"}]}
"#;

/// Runs `check` and `screen` on the same rules and asserts both refuse them, with
/// `needle` in the message, and that no decision was written.
fn refused(rules_args: &[&str], needle: &str) {
    let mut check = vec!["check"];
    check.extend_from_slice(rules_args);
    let out = embargo(&check, "");
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "check: {stderr}");
    assert!(stderr.contains(needle), "check: {stderr}");
    assert!(!text(&out.stdout).contains("ok:"), "{}", text(&out.stdout));

    let mut screen = vec!["screen"];
    screen.extend_from_slice(rules_args);
    let out = embargo(&screen, LISTED_BUYER);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "screen: {stderr}");
    assert!(stderr.contains(needle), "screen: {stderr}");
    assert!(out.stdout.is_empty(), "no decision: {}", text(&out.stdout));
}

#[test]
fn a_folder_without_rule_files_is_refused() {
    let dir = temp_dir("no-emb");
    std::fs::write(dir.join("README.txt"), "not rules").expect("write");
    refused(&["--rules", &arg(&dir)], "holds no rule file (*.emb)");
    let empty = temp_dir("empty");
    refused(&["--rules", &arg(&empty)], "holds no rule file (*.emb)");
}

#[test]
fn only_empty_files_are_refused_with_a_location() {
    let dir = temp_dir("empty-files");
    std::fs::write(dir.join("a.emb"), "").expect("write");
    std::fs::write(dir.join("b.emb"), "# nothing yet\n").expect("write");
    for f in ["a.emb", "b.emb"] {
        let path = arg(&dir.join(f));
        refused(
            &["--rules", &arg(&dir)],
            &format!("{path}:1:1: error: the file holds no rules, lists or entities"),
        );
    }
}

/// An emptied file among good ones (a list truncated by a failed download) would
/// silently drop what it held: it is refused, even next to the shipped rules.
#[test]
fn an_empty_rules_file_is_refused_beside_other_rules() {
    let dir = temp_dir("one-empty");
    for (name, body) in [("empty.emb", ""), ("comments.emb", "# list to come\n\n")] {
        let path = dir.join(name);
        std::fs::write(&path, body).expect("write");
        let needle = format!(
            "{}:1:1: error: the file holds no rules, lists or entities",
            arg(&path)
        );
        refused(&["--add-rules", &arg(&path)], &needle);
        refused(&["--rules", MINI, "--rules", &arg(&path)], &needle);
    }
}

#[test]
fn only_list_files_are_refused_and_point_at_add_rules() {
    let dir = temp_dir("lists-only");
    for f in ["lists.emb", "entities.emb"] {
        std::fs::copy(Path::new(MINI).join(f), dir.join(f))
            .or_else(|_| std::fs::copy(cli::root().join(MINI).join(f), dir.join(f)))
            .expect("copy");
    }
    refused(&["--rules", &arg(&dir)], "--add-rules");
}

#[test]
fn rules_that_only_clear_are_refused() {
    let dir = temp_dir("only-clear");
    std::fs::write(
        dir.join("r.emb"),
        r#"rule nothing { basis "none" when destination in countries(KP) then clear "fine" }"#,
    )
    .expect("write");
    refused(
        &["--rules", &arg(&dir)],
        "none of the 1 rule(s) reviews or blocks",
    );
}

#[test]
fn a_rule_naming_a_list_without_entities_is_refused() {
    let dir = temp_dir("empty-list");
    // The list file of a download cut off right after its header.
    std::fs::write(
        dir.join("lists.emb"),
        "list un { title \"UN\" as_of \"2026-02-27\" }\nlist ofac-sdn { title \"SDN\" as_of \"2026-02-27\" }\n",
    )
    .expect("write");
    std::fs::write(
        dir.join("entities.emb"),
        "entity ofac-sdn:1 { kind organization name \"KOREA KWANGSON BANKING CORP\" }\n",
    )
    .expect("write");
    std::fs::write(
        dir.join("rules.emb"),
        "rule listed {\n  basis \"UNSCR 1718 (2006)\"\n  when party matches list(un, ofac-sdn)\n  then block \"listed\"\n}\n",
    )
    .expect("write");
    let rules = arg(&dir.join("rules.emb"));
    refused(
        &["--rules", &arg(&dir)],
        &format!("{rules}:3:27: error: list `un` holds no entity"),
    );
}

#[test]
fn a_deep_include_chain_is_a_located_error_not_a_crash() {
    let dir = temp_dir("deep-include");
    let depth = 4000;
    for k in 0..depth {
        let body = if k + 1 < depth {
            format!("include \"f{}.emb\"\n", k + 1)
        } else {
            "list x { title \"x\" as_of \"2026-01-01\" }\n".to_string()
        };
        std::fs::write(dir.join(format!("f{k}.emb")), body).expect("write");
    }
    let out = embargo(&["check", "--rules", &arg(&dir.join("f0.emb"))], "");
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("f64.emb:1:9: error: `include` nests more than 64 files deep"),
        "{}",
        stderr.lines().take(5).collect::<Vec<_>>().join("\n")
    );
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_walked_once_and_a_fifo_is_refused() {
    let dir = temp_dir("loops");
    for f in ["lists.emb", "entities.emb", "goods.emb", "rules.emb"] {
        std::fs::copy(cli::root().join(MINI).join(f), dir.join(f)).expect("copy");
    }
    std::fs::create_dir_all(dir.join("a/b")).expect("mkdir");
    // Two links back up the tree: a naive walk goes round them until paths get too
    // long, doubling its work at every level.
    std::os::unix::fs::symlink("..", dir.join("a/b/up")).expect("symlink");
    std::os::unix::fs::symlink("../..", dir.join("a/b/top")).expect("symlink");
    let out = embargo(&["check", "--rules", &arg(&dir)], "");
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        stdout.contains("ok: 4 files, 2 lists, 3 entities"),
        "{stdout}"
    );
    // A folder given twice, or with a folder inside it, is read once, not refused.
    let d = arg(&dir);
    let twice = embargo(&["check", "--rules", &d, "--rules", &d], "");
    assert_eq!(twice.status.code(), Some(0), "{}", text(&twice.stderr));
    assert!(text(&twice.stdout).contains("ok: 4 files"));

    let fifo = dir.join("a/b/pipe.emb");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let out = embargo(&["check", "--rules", &arg(&dir)], "");
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("pipe.emb: not a regular file"), "{stderr}");
    let out = embargo(&["check", "--rules", &arg(&fifo)], "");
    assert_eq!(out.status.code(), Some(1));
}

/// README recipe (a): a list imported today, screened with the shipped decision rules.
#[test]
fn recipe_a_screen_a_list_imported_today_with_the_shipped_rules() {
    let dir = temp_dir("recipe-a");
    let list = dir.join("un.emb");
    let out = embargo(
        &[
            "import",
            "un",
            "tests/fixtures/lists/un-consolidated-2026-02-27.xml",
            "-o",
            &arg(&list),
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));

    // The imported `un` replaces the shipped one whole; the other lists stay.
    let out = embargo(&["check", "--add-rules", &arg(&list)], "");
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        stdout.contains("list un as of 2026-02-27: 8 entities"),
        "{stdout}"
    );
    assert!(stdout.contains("list ofac-sdn as of"), "{stdout}");

    let order = r#"{"id":"A-1","parties":[{"role":"buyer","name":"Korea Mining Development Trading Corporation"}],"goods":[{"description":"Rolex Submariner wristwatch"}],"route":{"destination":"CN"}}
"#;
    let out = embargo(&["screen", "--add-rules", &arg(&list)], order);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let d = &json_lines(&out)[0];
    assert_eq!(d["decision"], "block", "{d}");
    let hit = d["hits"]
        .as_array()
        .and_then(|h| h.iter().find(|h| h["rule"] == "dprk_listed_party"))
        .unwrap_or_else(|| panic!("the shipped rule fires on the imported entity: {d}"));
    // One hit per real party: the imported UN entry is the hit or one of its linked
    // entries on the other lists.
    let entries: Vec<&serde_json::Value> = std::iter::once(&hit["entity"])
        .chain(hit["also"].as_array().into_iter().flatten())
        .collect();
    assert!(entries.iter().any(|e| *e == "un:KPe.001"), "{hit}");
    // Without the shipped rules, the same list alone is refused (the README's trap).
    let out = embargo(&["screen", "--rules", &arg(&list)], order);
    assert_eq!(out.status.code(), Some(1));
}

/// README recipe (b): an internal watchlist and a rule of one's own, beside the
/// shipped rules.
#[test]
fn recipe_b_add_an_internal_watchlist_and_rule() {
    let dir = temp_dir("recipe-b");
    std::fs::write(
        dir.join("internal.emb"),
        r#"list internal {
  title "Counterparties our compliance team has refused"
  as_of "2026-12-01"
}

entity internal:17 {
  kind organization
  name "Golden Phoenix Trading FZE"
  country AE
  remark "Refused 2026-11 (case 882): shipped cars on to Nampo"
}

rule internal_refused_party {
  title "A counterparty we have refused before"
  basis "Internal policy CP-4, section 2"
  when party matches list(internal)
  then block "A party is on our internal refusal list"
}
"#,
    )
    .expect("write");
    let orders = concat!(
        r#"{"id":"B-1","parties":[{"role":"buyer","name":"Golden Phoenix Trading FZE","country":"AE"}],"goods":[{"description":"office chairs"}]}"#,
        "\n",
        r#"{"id":"B-2","parties":[{"role":"buyer","name":"Acme Ltd","country":"JP"}],"goods":[{"description":"Hennessy XO cognac"}],"route":{"destination":"KP"}}"#,
        "\n",
    );
    let out = embargo(&["screen", "--add-rules", &arg(&dir)], orders);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let got = json_lines(&out);
    assert_eq!(got[0]["decision"], "block");
    let mine = got[0]["hits"]
        .as_array()
        .and_then(|h| h.iter().find(|h| h["rule"] == "internal_refused_party"))
        .unwrap_or_else(|| panic!("the internal rule fires: {}", got[0]));
    assert_eq!(mine["entity"], "internal:17");
    assert_eq!(mine["decision"], "block");
    // The shipped rules still decide the rest.
    assert_eq!(got[1]["decision"], "block");
    assert!(got[1]["hits"]
        .as_array()
        .is_some_and(|h| h.iter().any(|h| h["rule"] == "luxury_goods_to_dprk")));
}

/// README recipe (c): the shipped rules written out as a folder to start from; loaded
/// back unedited they are the same ruleset.
#[test]
fn recipe_c_export_the_embedded_rules() {
    let dir = temp_dir("recipe-c").join("my-rules");
    let out = embargo(&["rules", "export", &arg(&dir)], "");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(dir.join("dprk/decisions.emb").is_file());
    assert!(dir.join("lists/un.emb").is_file());
    let hash = |args: &[&str]| {
        let out = embargo(args, "");
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        text(&out.stdout)
            .lines()
            .find_map(|l| l.strip_prefix("ruleset ").map(str::to_string))
            .expect("a ruleset line")
    };
    assert_eq!(hash(&["check"]), hash(&["check", "--rules", &arg(&dir)]));
    // Never over a file that is there: a second export refuses, naming it.
    let out = embargo(&["rules", "export", &arg(&dir)], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("dprk/decisions.emb"));
}

/// The importer states each list's entity count, and `check` holds the file to it: a
/// list file cut off at an entity boundary still parses, and only the count tells.
#[test]
fn a_list_file_cut_off_at_an_entity_boundary_is_a_located_error() {
    let dir = temp_dir("cut-off");
    let list = dir.join("un.emb");
    let out = embargo(
        &[
            "import",
            "un",
            "tests/fixtures/lists/un-consolidated-2026-02-27.xml",
            "-o",
            &arg(&list),
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let whole = std::fs::read_to_string(&list).expect("read");
    assert!(whole.contains("\n  entities 8\n}"), "{whole}");
    let out = embargo(&["check", "--add-rules", &arg(&list)], "");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));

    // Cut before the last entity, as a download that stopped there would be.
    let cut_at = whole.rfind("\nentity ").expect("an entity");
    std::fs::write(&list, &whole[..cut_at + 1]).expect("write");
    let line = whole
        .lines()
        .position(|l| l == "  entities 8")
        .expect("the count's line")
        + 1;
    let out = embargo(&["check", "--add-rules", &arg(&list)], "");
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "{}:{line}:12: error: list `un` states 8 entities, but 7 are loaded",
            arg(&list)
        )),
        "{stderr}"
    );
    let out = embargo(&["screen", "--add-rules", &arg(&list)], LISTED_BUYER);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
}
