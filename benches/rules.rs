//! Throughput of the rule-language pipeline on a ~20 MB file shaped like an imported
//! sanctions list: tens of thousands of entities with aliases, addresses, identifiers
//! and remarks, plus goods categories, sets, rules and rates.
//!
//! Three measurements over the same bytes, in one run:
//! - `baseline`: count lines and whitespace-separated words, the least any reader of
//!   the text must do; the other figures are read as multiples of it;
//! - `parse`: text -> syntax tree;
//! - `load_str`: parse + compile (validation, reference checks, compiled ruleset);
//! - `drop`: freeing what `load_str` returned, kept apart from the passes above.
//!
//! `scripts/bench-rules.sh` runs this and prints MB, seconds, MB/s and the ratio to the
//! baseline.

use std::fmt::Write as _;
use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use embargo::rules::{load_str, parser, CompileOptions, FileId};

/// Size of the generated file; the entity count follows from it.
const TARGET_BYTES: usize = 20 * 1024 * 1024;

/// A small deterministic generator (xorshift64*), so every run measures the same text
/// without a `rand` dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs.get(self.below(xs.len())).copied().unwrap_or("")
    }
}

const SYLLABLES: &[&str] = &[
    "KIM", "PAK", "SONG", "CHOL", "NAM", "RYONG", "HYON", "JONG", "IL", "SU", "MIN", "HO", "ALI",
    "REZA", "HOSSEIN", "MOHAMMAD", "SERGEI", "IVAN", "OV", "EV", "SKY", "PETRO", "TRANS", "GLOBAL",
    "OCEAN", "STAR", "UNION", "NOVA", "ALFA", "DELTA", "MARINE",
];
const ORG_WORDS: &[&str] = &[
    "TRADING",
    "SHIPPING",
    "INDUSTRIAL",
    "BANK",
    "INVESTMENT",
    "HOLDING",
    "ENGINEERING",
    "GENERAL",
    "IMPORT EXPORT",
    "TECHNOLOGY",
];
const SUFFIXES: &[&str] = &["CO., LTD.", "CORPORATION", "LLC", "JSC", "LIMITED", "GROUP"];
const COUNTRIES: &[&str] = &["KP", "IR", "RU", "SY", "CN", "CU", "VE", "BY", "AE", "HK"];
const CITIES: &[&str] = &[
    "Pyongyang",
    "Nampo",
    "Tehran",
    "Bandar Abbas",
    "Moscow",
    "Saint Petersburg",
    "Damascus",
    "Dandong",
    "Dubai",
    "Minsk",
];
const PROGRAMS: &[&str] = &["DPRK", "DPRK2", "IRAN", "SDGT", "RUSSIA-EO14024", "SYRIA"];
const KINDS: &[&str] = &["person", "organization", "vessel", "aircraft"];
const HS: &[&str] = &[
    "8703", "9101", "9102", "7113", "7102", "3303", "2204", "2208", "8711", "9701", "5701", "4303",
    "6201", "9504", "8901", "2701", "2601", "0306", "8525", "8471",
];

fn name(rng: &mut Rng, kind: &str) -> String {
    let mut n = String::new();
    for k in 0..2 + rng.below(2) {
        if k > 0 {
            n.push(' ');
        }
        n.push_str(rng.pick(SYLLABLES));
        n.push_str(rng.pick(SYLLABLES));
    }
    if kind == "organization" {
        let _ = write!(n, " {} {}", rng.pick(ORG_WORDS), rng.pick(SUFFIXES));
    }
    n
}

/// A 7-digit IMO number with a valid check digit (the compiler checks it).
fn imo(rng: &mut Rng) -> String {
    let digits: Vec<u32> = (0..6)
        .map(|k| if k == 0 { 9 } else { rng.below(10) as u32 })
        .collect();
    let sum: u32 = digits
        .iter()
        .zip([7u32, 6, 5, 4, 3, 2])
        .map(|(d, w)| d * w)
        .sum();
    let mut s: String = digits.iter().map(|d| char::from(b'0' + *d as u8)).collect();
    s.push(char::from(b'0' + (sum % 10) as u8));
    s
}

fn entity(out: &mut String, rng: &mut Rng, list: &str, n: usize) {
    let kind = rng.pick(KINDS);
    let _ = writeln!(out, "entity {list}:{n} {{");
    let _ = writeln!(out, "  kind {kind}");
    let _ = writeln!(out, "  name \"{}\"", name(rng, kind));
    for _ in 0..rng.below(5) {
        let rel = rng.pick(&["", "fka ", "nka "]);
        let strength = rng.pick(&["", "", "weak "]);
        let _ = writeln!(out, "  alias {rel}{strength}\"{}\"", name(rng, kind));
    }
    let _ = writeln!(
        out,
        "  country {}, {}",
        rng.pick(COUNTRIES),
        rng.pick(COUNTRIES)
    );
    let _ = writeln!(out, "  program {}", rng.pick(PROGRAMS));
    if kind == "vessel" {
        let _ = writeln!(
            out,
            "  identifier imo \"{}\" \"flag {}\"",
            imo(rng),
            rng.pick(COUNTRIES)
        );
    } else {
        let _ = writeln!(
            out,
            "  identifier {} \"{}{:08}\"",
            rng.pick(&["passport", "registration", "tax_id", "swift"]),
            rng.pick(&["P", "R", "T"]),
            rng.next() % 100_000_000
        );
    }
    for _ in 0..1 + rng.below(2) {
        let _ = writeln!(
            out,
            "  address \"{} {}, {} District, {}\"",
            rng.below(500),
            rng.pick(&[
                "Haebangsan Street",
                "Enghelab Ave.",
                "Tverskaya ul.",
                "Al Maktoum Rd"
            ]),
            rng.pick(SYLLABLES),
            rng.pick(CITIES)
        );
    }
    if kind == "person" {
        let _ = writeln!(
            out,
            "  born \"{}-{:02}-{:02}\"",
            1940 + rng.below(60),
            1 + rng.below(12),
            1 + rng.below(28)
        );
        let _ = writeln!(out, "  birthplace \"{}\"", rng.pick(CITIES));
        let _ = writeln!(out, "  position \"Director of {}\"", rng.pick(ORG_WORDS));
    }
    let _ = writeln!(
        out,
        "  listed \"{}-{:02}-{:02}\"",
        2006 + rng.below(19),
        1 + rng.below(12),
        1 + rng.below(28)
    );
    let _ = writeln!(
        out,
        "  remark \"Linked to {}; designated under {} (\\\"{}\\\").\"",
        name(rng, "organization"),
        rng.pick(PROGRAMS),
        rng.pick(SYLLABLES)
    );
    out.push_str("}\n\n");
}

/// The benchmark input: lists, categories, sets, rules, rates, then entities until
/// the file reaches `TARGET_BYTES`.
fn generate() -> String {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut out = String::with_capacity(TARGET_BYTES + 4096);
    let lists = ["un", "ofac-sdn", "eu-fsf", "uk-hmt"];
    for l in lists {
        let _ = writeln!(
            out,
            "list {l} {{\n  title \"Consolidated list {l}\"\n  authority \"Authority {l}\"\n  as_of \"2026-01-15\"\n  basis \"Regulation {l}\"\n}}\n"
        );
    }
    for c in 0..200 {
        let _ = writeln!(out, "category cat{c} {{");
        let _ = writeln!(out, "  title \"Goods category {c}\"");
        let _ = writeln!(
            out,
            "  tags {}",
            rng.pick(&["luxury", "export-ban", "import-ban"])
        );
        let _ = writeln!(out, "  basis \"EU Reg. 2017/1509, Annex VIII, item {c}\"");
        let _ = writeln!(
            out,
            "  terms \"{} {c}\", \"{}\"",
            rng.pick(&["watch", "rug", "yacht", "car", "wine"]),
            rng.pick(&["rolex", "tapestry", "limousine", "cognac", "caviar"])
        );
        let _ = writeln!(out, "  terms weak zh \"劳力士{c}\"");
        let _ = writeln!(out, "  hs {}, {}", rng.pick(HS), rng.pick(HS));
        let _ = writeln!(out, "  exclude \"toy\", \"scale model\"");
        let _ = writeln!(out, "  threshold USD {}\n}}\n", 100 + rng.below(10_000));
    }
    out.push_str("set countries dprk = KP\nset countries iran = IR, \"Iran\"\n");
    out.push_str("set places hubs = \"Dandong\", \"Hunchun\", \"Vladivostok\"\n");
    out.push_str("set categories lux = cat0, cat1, cat2, cat3\n\n");
    for r in 0..200 {
        let _ = writeln!(
            out,
            "rule r{r} {{\n  title \"Rule {r}\"\n  basis \"UNSCR 2270 (2016), para. {r}\"\n  when goods in tagged(luxury) and (destination in dprk or party role(buyer) in iran)\n    or party matches program(DPRK, IRAN) country(KP) score >= 0.9\n    or vessel matches list(un) kind(vessel) or goods in categories(cat{}, cat0) and value > EUR {} or goods in lux\n  then {} \"Reason {r}\"\n}}\n",
            rng.below(200),
            1000 + rng.below(100_000),
            rng.pick(&["block", "review", "clear"])
        );
    }
    out.push_str("rates {\n  as_of \"2026-01-02\"\n  rate EUR 1.17\n  rate GBP 1.34\n}\n\n");
    let mut n = 0;
    while out.len() < TARGET_BYTES {
        let list = lists.get(n % lists.len()).copied().unwrap_or("un");
        entity(&mut out, &mut rng, list, n);
        n += 1;
    }
    out
}

fn options() -> CompileOptions {
    CompileOptions {
        max_list_age_days: None,
        today: Some("2026-03-01".to_string()),
    }
}

fn bench(c: &mut Criterion) {
    let text = generate();
    // The input must be valid, or the benchmark measures error recovery instead.
    let checked = load_str("bench.emb", &text, &options());
    assert_eq!(
        checked.error_count(),
        0,
        "generated rules have errors:\n{}",
        checked.render_diagnostics()
    );
    let entities = text.matches("\nentity ").count();
    eprintln!(
        "input: {:.1} MB, {} entities, {} lines",
        text.len() as f64 / 1e6,
        entities,
        text.lines().count()
    );

    let mut group = c.benchmark_group("rules");
    group.throughput(Throughput::Bytes(text.len() as u64));
    // Each iteration takes hundreds of milliseconds; ten samples are plenty.
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("baseline", |b| {
        b.iter(|| {
            let t = black_box(text.as_str());
            (t.lines().count(), t.split_whitespace().count())
        })
    });
    // The results are dropped outside the timed region: freeing ~2 million small
    // strings takes a quarter of a second with the system allocator, and that is the
    // cost of discarding a ruleset, not of reading one (`drop` below measures it).
    group.bench_function("parse", |b| {
        b.iter_with_large_drop(|| parser::parse(FileId(0), black_box(&text)))
    });
    group.bench_function("load_str", |b| {
        b.iter_with_large_drop(|| load_str("bench.emb", black_box(&text), &options()))
    });
    group.bench_function("drop", |b| {
        b.iter_batched(
            || load_str("bench.emb", &text, &options()),
            drop,
            criterion::BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
