//! Evaluation against the real OFAC SDN list and the labelled dev sets.
//!
//! Ignored by default: it needs the shared data folder, which the repository does not
//! ship. Run it with
//!
//! ```text
//! cargo test --release --test matching_eval -- --ignored --nocapture
//! ```
//!
//! It prints a threshold sweep (recall, false positives, look-alikes, cross-script pass
//! rate), the misses and false positives at the default threshold, and the candidate
//! recall of the index against a brute-force scan. Set `EMBARGO_DATA` / `EMBARGO_EVAL`
//! to point at other copies of the data and eval folders.

use std::path::{Path, PathBuf};
use std::time::Instant;

use embargo::matching::{
    compare, compare_explained, NameIndex, NameQuery, SearchOptions, DEFAULT_THRESHOLD,
};
use embargo::rules::ir::EntityKind;

fn data_dir() -> PathBuf {
    std::env::var_os("EMBARGO_DATA")
        .map_or_else(|| PathBuf::from("/work/shared/data"), PathBuf::from)
}

fn eval_dir() -> PathBuf {
    std::env::var_os("EMBARGO_EVAL")
        .map_or_else(|| PathBuf::from("/work/shared/eval"), PathBuf::from)
}

#[path = "support/ofac.rs"]
mod ofac;
use ofac::load_sdn;

fn kind_of(s: Option<&str>) -> Option<EntityKind> {
    s.and_then(EntityKind::parse)
}

struct Case {
    qid: String,
    name: String,
    kind: Option<EntityKind>,
    expect: Option<String>,
    listed_as: Option<String>,
}

fn read_jsonl(path: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

#[test]
#[ignore = "needs the shared OFAC data and eval sets"]
fn names_dev_sweep() {
    let data = data_dir();
    let Some((names, ids)) = load_sdn(
        &data.join("ofac/sdn-2024-05.csv"),
        &data.join("ofac/alt-2025-12.csv"),
    ) else {
        eprintln!("no OFAC data, skipped");
        return;
    };
    let n_names = names.len();
    let t0 = Instant::now();
    let index = NameIndex::build(names);
    println!(
        "index: {} names, {} words, built in {:.0} ms, ~{:.1} MB",
        n_names,
        index.vocabulary_len(),
        t0.elapsed().as_secs_f64() * 1e3,
        index.heap_bytes() as f64 / 1e6
    );
    let cases: Vec<Case> = read_jsonl(&eval_dir().join("names-dev.jsonl"))
        .into_iter()
        .map(|v| Case {
            qid: v["qid"].as_str().unwrap_or("").to_string(),
            name: v["name"].as_str().unwrap_or("").to_string(),
            kind: kind_of(v["kind"].as_str()),
            expect: v["expect"].as_str().map(str::to_string),
            listed_as: v["listed_as"].as_str().map(str::to_string),
        })
        .collect();
    let floor = 0.5;
    let opts = SearchOptions {
        threshold: floor,
        limit: 50,
    };
    let t0 = Instant::now();
    let results: Vec<Vec<(String, f64, String)>> = cases
        .iter()
        .map(|c| {
            let q = NameQuery {
                name: c.name.clone(),
                kind: c.kind,
                country: None,
            };
            index
                .search(&q, &opts)
                .into_iter()
                .map(|h| {
                    (
                        ids.get(h.entity as usize).cloned().unwrap_or_default(),
                        h.score,
                        h.name,
                    )
                })
                .collect()
        })
        .collect();
    let dt = t0.elapsed().as_secs_f64();
    println!(
        "{} queries in {:.3} s ({:.0} queries/s, threshold {floor})",
        cases.len(),
        dt,
        cases.len() as f64 / dt
    );

    let cross = read_jsonl(&eval_dir().join("cross-script-dev.jsonl"));
    let cross_scores: Vec<(f64, bool)> = cross
        .iter()
        .map(|v| {
            let s = compare(
                v["a"].as_str().unwrap_or(""),
                v["b"].as_str().unwrap_or(""),
                kind_of(v["kind"].as_str()),
            );
            (s, v["match"].as_bool().unwrap_or(false))
        })
        .collect();

    let npos = cases.iter().filter(|c| c.expect.is_some()).count();
    let nneg = cases.iter().filter(|c| c.qid.starts_with("n-")).count();
    let nlook = cases.iter().filter(|c| c.qid.starts_with("l-")).count();
    println!("\n| threshold | precision | recall | FP rate (n-*) | look-alikes above | cross-script pass |");
    println!("| --- | --- | --- | --- | --- | --- |");
    let mut t = 0.60;
    while t <= 0.951 {
        let (mut tp, mut fpq, mut fp_neg, mut look) = (0, 0, 0, 0);
        for (c, hits) in cases.iter().zip(&results) {
            let above: Vec<&(String, f64, String)> = hits.iter().filter(|h| h.1 >= t).collect();
            match &c.expect {
                Some(e) => {
                    if above.iter().any(|h| &h.0 == e) {
                        tp += 1;
                    }
                }
                None => {
                    if !above.is_empty() {
                        fpq += 1;
                        if c.qid.starts_with("n-") {
                            fp_neg += 1;
                        } else {
                            look += 1;
                        }
                    }
                }
            }
        }
        let pass = cross_scores.iter().filter(|(s, m)| (*s >= t) == *m).count();
        println!(
            "| {:.2} | {:.3} | {:.3} | {:.4} ({}) | {} / {} | {} / {} |",
            t,
            tp as f64 / (tp + fpq).max(1) as f64,
            tp as f64 / npos as f64,
            fp_neg as f64 / nneg as f64,
            fp_neg,
            look,
            nlook,
            pass,
            cross_scores.len()
        );
        t += 0.01;
    }
    let t = DEFAULT_THRESHOLD;
    println!("\n# misses at {t}");
    for (c, hits) in cases.iter().zip(&results) {
        if let Some(e) = &c.expect {
            if !hits.iter().any(|h| &h.0 == e && h.1 >= t) {
                let listed = c.listed_as.as_deref().unwrap_or("");
                let ex = compare_explained(&c.name, listed, c.kind);
                println!("MISS {} | {} | listed {} | {}", c.qid, c.name, listed, ex);
            }
        }
    }
    println!("\n# false positives at {t}");
    for (c, hits) in cases.iter().zip(&results) {
        if c.expect.is_none() {
            for h in hits.iter().filter(|h| h.1 >= t) {
                let ex = compare_explained(&c.name, &h.2, c.kind);
                println!("FP {} | {} | {} {} | {}", c.qid, c.name, h.0, h.2, ex);
            }
        }
    }
    println!("\n# cross-script failures at {t}");
    for (v, (s, m)) in cross.iter().zip(&cross_scores) {
        if (*s >= t) != *m {
            let ex = compare_explained(
                v["a"].as_str().unwrap_or(""),
                v["b"].as_str().unwrap_or(""),
                kind_of(v["kind"].as_str()),
            );
            println!(
                "X {} {} | {} | match {} | {}",
                v["id"], v["a"], v["b"], m, ex
            );
        }
    }
}

#[test]
#[ignore = "needs the shared OFAC data and eval sets"]
fn index_recall_vs_brute_force() {
    let data = data_dir();
    let Some((names, _ids)) = load_sdn(
        &data.join("ofac/sdn-2024-05.csv"),
        &data.join("ofac/alt-2025-12.csv"),
    ) else {
        eprintln!("no OFAC data, skipped");
        return;
    };
    let index = NameIndex::build(names);
    let step: usize = std::env::var("EMBARGO_EVAL_STEP")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(4);
    let queries: Vec<serde_json::Value> = read_jsonl(&eval_dir().join("names-dev.jsonl"))
        .into_iter()
        .step_by(step)
        .collect();
    let opts = SearchOptions {
        threshold: DEFAULT_THRESHOLD,
        limit: usize::MAX,
    };
    let (mut want, mut got, mut extra) = (0usize, 0usize, 0usize);
    let (mut t_index, mut t_brute) = (0.0, 0.0);
    for v in &queries {
        let q = NameQuery {
            name: v["name"].as_str().unwrap_or("").to_string(),
            kind: kind_of(v["kind"].as_str()),
            country: None,
        };
        let repeat: usize = std::env::var("EMBARGO_REPEAT")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(1);
        let t0 = Instant::now();
        let mut a = index.search(&q, &opts);
        for _ in 1..repeat {
            a = index.search(&q, &opts);
        }
        t_index += t0.elapsed().as_secs_f64() / repeat as f64;
        if std::env::var_os("EMBARGO_NO_BRUTE").is_some() {
            continue;
        }
        let t0 = Instant::now();
        let b = index.search_brute_force(&q, &opts);
        t_brute += t0.elapsed().as_secs_f64();
        want += b.len();
        for h in &b {
            match a.iter().find(|x| x.entity == h.entity) {
                Some(x) if (x.score - h.score).abs() < 1e-9 => got += 1,
                Some(x) => println!(
                    "SCORE DIFF {} | {} {} vs {}",
                    q.name, h.name, x.score, h.score
                ),
                None => println!(
                    "MISSED {} | {} {:.3} | {}",
                    q.name, h.name, h.score, h.explanation
                ),
            }
        }
        extra += a
            .iter()
            .filter(|x| !b.iter().any(|h| h.entity == x.entity))
            .count();
    }
    println!(
        "candidate recall at {DEFAULT_THRESHOLD}: {got} / {want} hits of the brute-force scan ({} extra) over {} queries; index {:.1} us/query, brute force {:.1} us/query",
        extra,
        queries.len(),
        t_index / queries.len() as f64 * 1e6,
        t_brute / queries.len() as f64 * 1e6
    );
    assert_eq!(got, want);
}
