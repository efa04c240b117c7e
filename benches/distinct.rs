//! Name search throughput on distinct names (issue 25): every query asked once, so
//! the per-thread memo of similar words helps only through words the names share,
//! against the whole OFAC SDN list with aliases. Beside it, in the same run, the
//! labelled dev names asked over and over with the memo warm (the figure the README
//! gave before). Both on one thread, counted per second of that thread's CPU time, so
//! that other work on the machine inflates neither much.
//!
//! ```text
//! cargo bench --bench distinct            # prints a table
//! DISTINCT_ONLY=5 cargo bench --bench distinct   # distinct names only, 5 rounds after keeping neighbours (to profile)
//! ```
//!
//! Needs `/work/shared/data/ofac` (or `EMBARGO_DATA`) and the eval names
//! (`/work/shared/eval` or `EMBARGO_EVAL`, and this crate's `eval/names/`).

use std::collections::BTreeSet;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Instant;

use embargo::matching::{NameIndex, NameQuery, SearchOptions, SearchWork, DEFAULT_THRESHOLD};

#[path = "../tests/support/ofac.rs"]
mod ofac;

fn env_path(var: &str, default: &str) -> PathBuf {
    std::env::var_os(var).map_or_else(|| PathBuf::from(default), PathBuf::from)
}

/// The `name` of every JSON line of `path`.
fn names_in(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["name"].as_str().map(str::to_string))
        .collect()
}

/// This thread's CPU time so far, in seconds (Linux; 0 elsewhere).
fn thread_cpu() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(0.0, |ns| ns / 1e9)
}

/// Queries per CPU second and per wall second of asking `queries` in order on a new
/// thread (so with an empty memo), `rounds` times over.
fn rate(index: &NameIndex, queries: &[NameQuery], rounds: usize) -> (f64, f64) {
    let opts = SearchOptions {
        threshold: DEFAULT_THRESHOLD,
        limit: 10,
    };
    std::thread::scope(|s| {
        s.spawn(|| {
            let (cpu, wall) = (thread_cpu(), Instant::now());
            for _ in 0..rounds {
                for q in queries {
                    black_box(index.search(q, &opts));
                }
            }
            let n = (queries.len() * rounds) as f64;
            let (cpu, wall) = (thread_cpu() - cpu, wall.elapsed().as_secs_f64());
            (n / cpu.max(1e-9), n / wall.max(1e-9))
        })
        .join()
        .unwrap_or((0.0, 0.0))
    })
}

/// What an average distinct query does without the memo: the cost the rate depends on.
fn print_work(index: &NameIndex, queries: &[NameQuery]) {
    let opts = SearchOptions {
        threshold: DEFAULT_THRESHOLD,
        limit: 10,
    };
    let (mut sum, mut hits) = (SearchWork::default(), 0usize);
    for q in queries {
        let (h, w) = index.search_counted(q, &opts);
        hits += h.len();
        sum.variants += w.variants;
        sum.words_compared += w.words_compared;
        sum.contained_checked += w.contained_checked;
        sum.names_met += w.names_met;
        sum.names_scored += w.names_scored;
    }
    let n = queries.len().max(1) as f64;
    let per = |x: u64| x as f64 / n;
    println!(
        "per distinct query, memo off: {:.0} deletion variants, {:.0} words compared, \
         {:.0} contained words checked, {:.0} names met, {:.1} scored, {:.2} hits",
        per(sum.variants),
        per(sum.words_compared),
        per(sum.contained_checked),
        per(sum.names_met),
        per(sum.names_scored),
        hits as f64 / n
    );
}

fn main() {
    let data = env_path("EMBARGO_DATA", "/work/shared/data");
    let eval = env_path("EMBARGO_EVAL", "/work/shared/eval");
    let Some((names, _)) = ofac::load_sdn(
        &data.join("ofac/sdn-2024-05.csv"),
        &data.join("ofac/alt-2025-12.csv"),
    ) else {
        eprintln!("no SDN list under {}: nothing to measure", data.display());
        return;
    };
    let index = NameIndex::build(names);
    let dev: Vec<NameQuery> = names_in(&eval.join("names-dev.jsonl"))
        .iter()
        .map(NameQuery::new)
        .collect();
    // Every distinct name of the labelled sets, in a fixed shuffled order (their
    // files group variants of one name together, which would favour the memo).
    let mut distinct: BTreeSet<String> = BTreeSet::new();
    let local = Path::new(env!("CARGO_MANIFEST_DIR")).join("eval/names");
    let files = std::fs::read_dir(&local)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.path())
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    for f in files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "jsonl"))
    {
        distinct.extend(names_in(f));
    }
    for f in ["names-dev.jsonl", "cross-script-dev.jsonl"] {
        distinct.extend(names_in(&eval.join(f)));
    }
    let mut distinct: Vec<(u64, String)> = distinct
        .into_iter()
        .map(|n| {
            let h = n.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
            });
            (h, n)
        })
        .collect();
    distinct.sort();
    let distinct: Vec<NameQuery> = distinct.iter().map(|(_, n)| NameQuery::new(n)).collect();
    if dev.is_empty() || distinct.is_empty() {
        eprintln!("no eval names under {}: nothing to measure", eval.display());
        return;
    }
    println!(
        "index: {} names, {} words; {} distinct query names, {} dev names",
        index.len(),
        index.vocabulary_len(),
        distinct.len(),
        dev.len()
    );
    if let Some(rounds) = std::env::var("DISTINCT_ONLY")
        .ok()
        .and_then(|r| r.parse::<usize>().ok())
    {
        index.keep_neighbours();
        for round in 1..=rounds {
            let (dc, dw) = rate(&index, &distinct, 1);
            println!(
                "distinct names (round {round}): {dc:.0} per CPU second, {dw:.0} per wall second"
            );
        }
        return;
    }
    print_work(&index, &distinct);
    println!("| queries (one thread) | per CPU second | per wall second |");
    println!("| --- | ---: | ---: |");
    // The first round finds each listed word's neighbours when a query first holds
    // it; then every listed word's are kept, as a service or batch would (queries
    // asked before cannot favour the later rounds: the kept lists depend on the index
    // alone).
    let (dc, dw) = rate(&index, &distinct, 1);
    println!("| distinct names, each once, neighbours found as met | {dc:.0} | {dw:.0} |");
    let (cpu, wall) = (thread_cpu(), Instant::now());
    index.keep_neighbours();
    println!(
        "| keeping every listed word's neighbours (once) | {:.2} CPU s | {:.2} s |",
        thread_cpu() - cpu,
        wall.elapsed().as_secs_f64()
    );
    for round in 1..=3 {
        let (dc, dw) = rate(&index, &distinct, 1);
        let (rc, rw) = rate(&index, &dev, 5);
        println!("| distinct names, each once (round {round}) | {dc:.0} | {dw:.0} |");
        println!("| dev names, 5 times, memo warm (round {round}) | {rc:.0} | {rw:.0} |");
    }
}
