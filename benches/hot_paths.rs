//! Micro-benchmarks of the hot paths of a compile, on the shipped sample:
//! reading one response from its bytes, finding and normalising its answers,
//! and rendering one compilation workbook. `cargo bench --bench hot_paths`.

use ahq::compile::{Compilation, intake};
use ahq::country::Countries;
use ahq::files::{check, check_file};
use ahq::policy::Audience;
use ahq::query::Query;
use ahq::reading::{Format, Limits, read_bytes};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::Path;

fn sample() -> Query {
    Query::load(Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/samples/migration-partnerships"
    )))
    .expect("the sample query")
}

fn hot_paths(c: &mut Criterion) {
    let query = sample();
    let responses = query.responses_dir();
    let xlsx = responses.join("Belgium reply.xlsx");
    let bytes = std::fs::read(&xlsx).unwrap();
    let limits = Limits::default();
    c.bench_function("read one xlsx response", |b| {
        b.iter(|| read_bytes(black_box(&bytes), Format::Xlsx, &limits).unwrap())
    });
    let wb = read_bytes(&bytes, Format::Xlsx, &limits).unwrap();
    let countries = Countries::builtin().unwrap();
    c.bench_function("locate and normalise one response", |b| {
        b.iter(|| {
            let located = ahq::layout::locate(black_box(&wb), &query).unwrap();
            let src = ahq::normalise::Source {
                file: "BE.xlsx",
                sha256: "",
                restricted: &[],
            };
            ahq::normalise::normalise(&located.responses[0], &query, countries, &src)
        })
    });
    c.bench_function("check one file (read, locate, normalise, hash)", |b| {
        b.iter(|| check_file(&query, countries, black_box(&xlsx), "BE.xlsx", &limits))
    });
    let reports = check(&query, &[], &limits).unwrap();
    let taken = intake(&reports, false).unwrap();
    let date = query.compiled_on.unwrap();
    c.bench_function("render the wider workbook (18 responses)", |b| {
        b.iter(|| {
            let comp = Compilation::new(&query, &reports, &taken, date, Audience::Wider, None);
            ahq::render::xlsx::render(black_box(&comp)).unwrap()
        })
    });
}

criterion_group!(benches, hot_paths);
criterion_main!(benches);
