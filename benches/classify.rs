//! Goods classification throughput over a generated corpus of invoice descriptions,
//! with the full default ruleset, against a naive baseline (every term searched with
//! `str::contains` in the lowercased text). Building the classifier is measured apart.
//!
//! The corpus is held as a batch file holds it: every line's text in one buffer, in
//! order. Each line is read into one reused [`GoodsLine`] and classified, as the CLI and
//! a library user's batch loop do; the copy is part of the time. The same lines held
//! as 20,000 separate `GoodsLine`s, each with its own strings on the heap, are measured
//! too ("lines held apart"): there, reading each line's text from memory the
//! prefetcher cannot foresee cost from a few percent to a quarter of the time,
//! depending on what else the machine's shared cache held. That is the bench's
//! layout, not the classifier.
//!
//! `cargo bench --bench classify` prints MB/s per core for all three and the ratio of
//! the first to the naive scan, then runs the criterion groups (`classify/batch`,
//! `classify/naive-contains`, `build`). With `-- --table-only` it prints a table of
//! `CLASSIFY_RUNS` rounds (default 5) instead, each measuring all three, and stops
//! (`scripts/bench-classify.sh`). With `CLASSIFY_ONCE=1` it classifies the batch once
//! and stops, for counting instructions under valgrind.

use std::hint::black_box;
use std::ops::Range;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};
use embargo::goods::{Classifier, GoodsLine, Scratch};
use embargo::rules::{load_embedded, CompileOptions, Ruleset};

const GENERIC: &[&str] = &[
    "steel",
    "pipes",
    "assorted",
    "cotton",
    "t-shirts",
    "frozen",
    "fillets",
    "spare",
    "parts",
    "for",
    "machinery",
    "LED",
    "lamps",
    "plastic",
    "containers",
    "PE",
    "film",
    "rolls",
    "25kg",
    "bags",
    "cartons",
    "office",
    "chairs",
    "printing",
    "paper",
    "A4",
    "hydraulic",
    "hoses",
    "rubber",
    "gaskets",
    "ceramic",
    "tiles",
    "60x60",
    "glass",
    "bottles",
    "fertilizer",
    "urea",
    "46%",
    "rice",
    "flour",
    "sugar",
    "canned",
    "tomatoes",
    "shoes",
    "canvas",
    "wooden",
    "pallets",
    "cables",
    "copper",
    "PVC",
    "100m",
    "pcs",
    "ctns",
    "x",
    "12",
    "500",
    "@",
    "USD",
    "2.50",
    "/pc",
    "new",
    "used",
    "grade",
    "A",
    "export",
    "packing",
    "as",
    "per",
    "P/I",
    "No.",
    "2024-118",
];

const LUXURY: &[&str] = &[
    "Rolex Submariner",
    "Hennessy XO",
    "Louis Vuitton handbag",
    "Lexus LX600",
    "Rolls-Royce Cullinan",
    "Chanel No 5 EDP",
    "bone china dinner set",
    "Steinway piano",
    "18k gold necklace",
    "Macallan 18",
    "cigarettes 200 ctns",
    "snowmobile",
    "hand-knotted rug",
    "golf clubs",
    "iPhone 15 Pro",
    "Maybach S680",
];

const OTHER_SCRIPTS: &[&str] = &[
    "钢管 50吨",
    "冷冻鱼片",
    "洋酒 威士忌",
    "钻石戒指 铂金",
    "Трубы стальные",
    "Сигареты с фильтром",
    "Духи женские",
    "철강 코일",
    "양주 발렌타인",
    "Teppich handgeknüpft",
    "Vêtements de travail",
    "Ersatzteile für Maschinen",
];

/// A deterministic corpus: mostly ordinary trade lines, some luxury, some in other
/// scripts, 20 to 120 bytes each, like invoice descriptions.
fn corpus(lines: usize) -> Vec<GoodsLine> {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    (0..lines)
        .map(|_| {
            let mut words: Vec<&str> = Vec::new();
            for _ in 0..3 + next(10) {
                words.push(GENERIC[next(GENERIC.len())]);
            }
            match next(10) {
                0 | 1 => words.insert(next(words.len()), LUXURY[next(LUXURY.len())]),
                2 => words.insert(next(words.len()), OTHER_SCRIPTS[next(OTHER_SCRIPTS.len())]),
                _ => {}
            }
            let mut line = GoodsLine::new(words.join(" "));
            if next(2) == 0 {
                line.hs = Some(format!("{:04}.{:02}", 1000 + next(8700), next(100)));
            }
            line
        })
        .collect()
}

/// Every term of every category, lowercased, for the naive baseline.
fn naive_terms(rules: &Ruleset) -> Vec<(usize, String)> {
    rules
        .categories()
        .iter()
        .enumerate()
        .flat_map(|(i, c)| {
            c.terms
                .iter()
                .map(|t| t.text.to_lowercase())
                .chain(c.exclude_terms.iter().map(|t| t.text.to_lowercase()))
                .map(move |t| (i, t))
        })
        .collect()
}

fn naive(terms: &[(usize, String)], batch: &Batch) -> usize {
    batch.each(|l| {
        let text = l.text().to_lowercase();
        terms
            .iter()
            .filter(|(_, t)| text.contains(t.as_str()))
            .count()
    })
}

/// The corpus as a batch file holds it: every line's text in one buffer, in order.
struct Batch {
    text: String,
    /// Each line's description and code, as ranges of `text`.
    lines: Vec<(Range<usize>, Option<Range<usize>>)>,
}

impl Batch {
    fn of(lines: &[GoodsLine]) -> Batch {
        let mut text = String::new();
        let mut ranges = Vec::with_capacity(lines.len());
        let mut push = |s: &str| {
            text.push_str(s);
            text.len() - s.len()..text.len()
        };
        for l in lines {
            let description = push(l.text());
            let hs = l.hs.as_deref().map(&mut push);
            ranges.push((description, hs));
        }
        Batch {
            text,
            lines: ranges,
        }
    }

    /// Reads every line in order into one reused `GoodsLine` and hands it to `f`;
    /// the sum of what `f` answers.
    fn each(&self, mut f: impl FnMut(&GoodsLine) -> usize) -> usize {
        let mut line = GoodsLine::new(String::new());
        let mut hs = String::new();
        let mut sum = 0;
        for (description, code) in &self.lines {
            let text = line.description.get_or_insert_with(String::new);
            text.clear();
            text.push_str(self.text.get(description.clone()).unwrap_or_default());
            line.hs = code.as_ref().map(|code| {
                hs.clear();
                hs.push_str(self.text.get(code.clone()).unwrap_or_default());
                std::mem::take(&mut hs)
            });
            sum += f(&line);
            // The code's buffer goes back for the next line.
            if let Some(code) = line.hs.take() {
                hs = code;
            }
        }
        sum
    }
}

// A batch as a library user writes one: one line, scratch and result vector reused
// across lines. Not inlined, so that valgrind can count exactly this
// (`--toggle-collect`).
#[inline(never)]
fn fast(c: &Classifier, scratch: &mut Scratch, batch: &Batch) -> usize {
    let mut matches = Vec::new();
    batch.each(|line| {
        c.classify_into(line, scratch, &mut matches);
        matches.len()
    })
}

/// [`fast`] over lines held apart, each with its own strings on the heap.
fn held_apart(c: &Classifier, scratch: &mut Scratch, lines: &[GoodsLine]) -> usize {
    let mut matches = Vec::new();
    lines
        .iter()
        .map(|l| {
            c.classify_into(l, scratch, &mut matches);
            matches.len()
        })
        .sum()
}

fn mb_per_s(bytes: usize, mut f: impl FnMut() -> usize) -> f64 {
    let _ = black_box(f());
    let start = Instant::now();
    let mut rounds = 0u32;
    while start.elapsed() < Duration::from_secs(3) {
        black_box(f());
        rounds += 1;
    }
    bytes as f64 * f64::from(rounds) / start.elapsed().as_secs_f64() / 1e6
}

fn main() {
    let checked = load_embedded(&CompileOptions::default());
    let rules = checked.ruleset.expect("the default ruleset compiles");
    let lines = corpus(20_000);
    let bytes: usize = lines.iter().map(|l| l.text().len()).sum();
    let batch = Batch::of(&lines);
    let classifier = Classifier::new(&rules);
    let terms = naive_terms(&rules);
    let mut scratch = Scratch::new();

    // `CLASSIFY_ONCE=1`: classify the corpus once and stop, for counting instructions
    // under valgrind (the wall-clock figures on a shared machine are noisy).
    if std::env::var_os("CLASSIFY_ONCE").is_some() {
        let n = black_box(fast(&classifier, &mut scratch, black_box(&batch)));
        println!("{} lines, {bytes} bytes, {n} matches", lines.len());
        return;
    }

    println!(
        "corpus: {} lines, {:.2} MB; ruleset: {} categories, {} terms",
        lines.len(),
        bytes as f64 / 1e6,
        rules.categories().len(),
        terms.len()
    );
    if std::env::args().any(|a| a == "--table-only") {
        // The machine's speed drifts: each round measures both, one after the other,
        // and the ratio is taken within the round.
        let runs: usize = std::env::var("CLASSIFY_RUNS")
            .ok()
            .and_then(|r| r.parse().ok())
            .unwrap_or(5);
        println!();
        println!(
            "| round | classify, MB/s per core | lines held apart, MB/s | naive scan, MB/s | ratio |"
        );
        println!("| ---: | ---: | ---: | ---: | ---: |");
        for round in 1..=runs {
            let fast_mbs = mb_per_s(bytes, || fast(&classifier, &mut scratch, &batch));
            let apart_mbs = mb_per_s(bytes, || held_apart(&classifier, &mut scratch, &lines));
            let naive_mbs = mb_per_s(bytes, || naive(&terms, &batch));
            let ratio = fast_mbs / naive_mbs;
            println!("| {round} | {fast_mbs:.1} | {apart_mbs:.1} | {naive_mbs:.2} | {ratio:.0}x |");
        }
        return;
    }

    // Each figure as soon as it is measured.
    let fast_mbs = mb_per_s(bytes, || fast(&classifier, &mut scratch, &batch));
    println!("classify (word by word, trie): {fast_mbs:.1} MB/s per core");
    let apart_mbs = mb_per_s(bytes, || held_apart(&classifier, &mut scratch, &lines));
    println!("classify, lines held apart: {apart_mbs:.1} MB/s per core");
    let naive_mbs = mb_per_s(bytes, || naive(&terms, &batch));
    println!("naive (str::contains per term): {naive_mbs:.2} MB/s per core");
    println!("ratio: {:.0}x", fast_mbs / naive_mbs);

    let mut c = Criterion::default()
        .configure_from_args()
        .measurement_time(Duration::from_secs(5))
        .sample_size(20);
    let mut group = c.benchmark_group("classify");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("batch", |b| {
        b.iter(|| fast(&classifier, &mut scratch, &batch))
    });
    group.bench_function("naive-contains", |b| b.iter(|| naive(&terms, &batch)));
    group.finish();
    c.bench_function("build", |b| b.iter(|| Classifier::new(black_box(&rules))));
    c.final_summary();
}
