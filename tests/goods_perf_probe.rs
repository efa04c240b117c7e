mod goods_common;
use std::time::Instant;
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use embargo::goods::normalize::{normalize_into, Normalized, normalize};
use embargo::goods::{Classifier, GoodsLine, Scratch};

#[test]
#[ignore]
fn probe() {
    let rules = goods_common::shipped();
    let lines: Vec<String> = (0..20000).map(|i| format!("steel pipes assorted cotton t-shirts {i} ctns x 12 @ USD 2.50/pc office chairs printing paper A4 rolls")).collect();
    let bytes: usize = lines.iter().map(|l| l.len()).sum();
    let mut n = Normalized::default();
    let t = Instant::now();
    for l in &lines { normalize_into(l, &mut n); }
    println!("normalize {:.1} MB/s", bytes as f64 / t.elapsed().as_secs_f64() / 1e6);
    let pats: Vec<String> = rules.categories.iter().flat_map(|c| c.terms.iter().map(|t| normalize(t.text.trim_end_matches('*')).text.trim().to_string()).chain(c.exclude_terms.iter().map(|t| normalize(t).text.trim().to_string()))).filter(|s| !s.is_empty()).collect();
    for kind in [Some(AhoCorasickKind::DFA), Some(AhoCorasickKind::ContiguousNFA), None] {
        let ac = AhoCorasick::builder().match_kind(MatchKind::Standard).kind(kind).build(&pats);
        let Ok(ac) = ac else { println!("{kind:?} failed"); continue };
        let normed: Vec<String> = lines.iter().map(|l| normalize(l).text).collect();
        let t = Instant::now();
        let mut c = 0;
        for l in &normed { c += ac.find_overlapping_iter(l.as_str()).count(); }
        println!("{kind:?} {:?} overlapping only {:.1} MB/s ({c} matches) mem {}", ac.kind(), bytes as f64 / t.elapsed().as_secs_f64() / 1e6, ac.memory_usage());
    }
    let cl = Classifier::new(&rules);
    let mut s = Scratch::new();
    let gl: Vec<GoodsLine> = lines.iter().map(|l| GoodsLine::new(l.as_str())).collect();
    let t = Instant::now();
    for _ in 0..5 { for l in &gl { cl.classify_with(l, &mut s); } }
    println!("classify {:.1} MB/s", 5.0 * bytes as f64 / t.elapsed().as_secs_f64() / 1e6);
}
