//! Rendering speed of order confirmations, fonts loaded once as in the
//! server: `cargo bench -p mercato-docs --bench pdf`.
//!
//! Font loading is timed once and printed rather than sampled: it reads and
//! scans every font file, which would make a sampled benchmark take minutes.
//!
//! typst memoises layout across compilations, so rendering the very same
//! document again is much cheaper than a new one. `cold` empties that cache
//! before each render (what a new order costs); `repeat` does not (the same
//! document downloaded twice).
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/support/sample.rs"]
mod sample;

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Instant;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use mercato_docs::pdf::{PdfFonts, render_pdf};

fn bench(c: &mut Criterion) {
    let started = Instant::now();
    let fonts = PdfFonts::load(&[PathBuf::from("/usr/share/fonts")]);
    eprintln!(
        "PdfFonts::load(/usr/share/fonts): {} faces, has_cjk={}, in {:?}",
        fonts.face_count(),
        fonts.has_cjk(),
        started.elapsed()
    );
    let started = Instant::now();
    let embedded = PdfFonts::load(&[]);
    eprintln!(
        "PdfFonts::load(no dirs): {} faces in {:?}",
        embedded.face_count(),
        started.elapsed()
    );

    // The first render also parses the faces it uses and reads their files.
    let started = Instant::now();
    render_pdf(&sample::chinese(10), &fonts).unwrap();
    eprintln!(
        "first render_pdf (zh, 10 rows) after loading: {:?}",
        started.elapsed()
    );

    let mut docs = vec![
        ("en_10_rows", sample::english(10)),
        ("en_120_rows", sample::english(120)),
    ];
    if fonts.has_cjk() {
        docs.push(("zh_10_rows", sample::chinese(10)));
        docs.push(("zh_120_rows", sample::chinese(120)));
    }
    let mut group = c.benchmark_group("render_pdf");
    group.sample_size(20);
    for (name, doc) in &docs {
        group.bench_function(format!("cold/{name}"), |b| {
            b.iter_batched(
                || typst::comemo::evict(0),
                |()| render_pdf(black_box(doc), &fonts).unwrap(),
                BatchSize::PerIteration,
            )
        });
        group.bench_function(format!("repeat/{name}"), |b| {
            b.iter(|| render_pdf(black_box(doc), &fonts).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
