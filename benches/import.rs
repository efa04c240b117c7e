//! Import speed of the full OFAC SDN list (sdn.csv with alt.csv and add.csv), against
//! a baseline that only parses the same CSV records. The list files are not in the
//! repository: set `EMBARGO_LIST_DATA` to the folder holding `ofac/` (default
//! `../shared/data`); without it the repository's small excerpt is measured instead.
//!
//!   EMBARGO_LIST_DATA=/path/to/data cargo bench --bench import

use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};

use embargo::import::{import, render, Format, ImportOptions};

fn inputs() -> (Vec<PathBuf>, &'static str) {
    let dir = std::env::var_os("EMBARGO_LIST_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data"));
    let full = [
        "ofac/sdn-2024-05.csv",
        "ofac/alt-2025-12.csv",
        "ofac/add-2025-12.csv",
    ]
    .map(|f| dir.join(f));
    if full.iter().all(|p| p.is_file()) {
        return (full.to_vec(), "full SDN list");
    }
    let excerpt =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lists/ofac-sdn-2021-07");
    (
        ["sdn.csv", "alt.csv", "add.csv"]
            .map(|f| excerpt.join(f))
            .to_vec(),
        "SDN excerpt (list data not found)",
    )
}

fn bench(c: &mut Criterion) {
    let (files, what) = inputs();
    let bytes: u64 = files
        .iter()
        .map(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0))
        .sum();
    eprintln!(
        "benchmarking the {what}: {} files, {bytes} bytes",
        files.len()
    );
    let opts = ImportOptions {
        as_of: Some("2024-05-03".into()),
        ..ImportOptions::default()
    };

    let mut group = c.benchmark_group("ofac-sdn");
    group.throughput(Throughput::Bytes(bytes));
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("baseline: csv records only", |b| {
        b.iter(|| {
            let mut fields = 0usize;
            for path in &files {
                let mut rdr = csv::ReaderBuilder::new()
                    .has_headers(false)
                    .flexible(true)
                    .from_path(path)
                    .expect("readable");
                let mut record = csv::ByteRecord::new();
                while rdr.read_byte_record(&mut record).expect("csv") {
                    fields += record.len();
                }
            }
            black_box(fields)
        })
    });
    group.bench_function("import", |b| {
        b.iter(|| black_box(import(Format::OfacSdn, &files, &opts).expect("imports")))
    });
    group.bench_function("import + print", |b| {
        b.iter(|| {
            let imported = import(Format::OfacSdn, &files, &opts).expect("imports");
            black_box(render(&imported).len())
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
