//! Size checks for the 100,000 rows × 20 columns target. Ignored by default
//! (slow unoptimised); run with
//! `cargo test -p mercato-docs --release -- --ignored --nocapture perf`.

use std::time::Instant;

use mercato_docs::{write_csv, write_xlsx};

use crate::{read_csv, read_xlsx};

const ROWS: usize = 100_000;
const COLUMNS: usize = 20;

/// A catalog-like table: a few columns unique per row (SKU, name, GTIN,
/// price, stock), the rest drawn from small vocabularies (brand, unit,
/// category, material…), as product sheets are.
fn table() -> (Vec<String>, Vec<Vec<String>>) {
    table_with(|r, c| match c {
        0 => format!("SKU-{r:06}"),
        1 => format!("六角螺栓 M{} x {} 不锈钢 {r}", r % 30, r % 7),
        2 => format!("87{r:011}"),
        3 => format!("{}.{:02}", r % 1000, r % 100),
        4 => format!("{}", r % 5000),
        _ => format!("option {} of {c}", r % 12),
    })
}

/// The worst case for XLSX: every one of the 2,000,000 cells a different
/// string, so the shared-string table holds them all.
fn unique_table() -> (Vec<String>, Vec<Vec<String>>) {
    table_with(|r, c| format!("value {r} {c}"))
}

fn table_with(cell: impl Fn(usize, usize) -> String) -> (Vec<String>, Vec<Vec<String>>) {
    let headers = (0..COLUMNS).map(|c| format!("column {c}")).collect();
    let rows = (0..ROWS)
        .map(|r| (0..COLUMNS).map(|c| cell(r, c)).collect())
        .collect();
    (headers, rows)
}

#[test]
#[ignore = "timing; run in release"]
fn perf_csv_100k_by_20() {
    let (headers, rows) = table();
    let started = Instant::now();
    let bytes = write_csv(&headers, &rows);
    let written = started.elapsed();
    let started = Instant::now();
    let sheet = read_csv(&bytes).unwrap();
    let read = started.elapsed();
    assert_eq!(sheet.rows.len(), ROWS);
    eprintln!(
        "csv: {} MB, write {written:?}, read {read:?}",
        bytes.len() / 1_000_000
    );
}

#[test]
#[ignore = "timing; run in release"]
fn perf_xlsx_100k_by_20() {
    for (label, (headers, rows)) in [("catalog-like", table()), ("all unique", unique_table())] {
        let started = Instant::now();
        let bytes = write_xlsx(&headers, &rows).unwrap();
        let written = started.elapsed();
        let started = Instant::now();
        let sheet = read_xlsx(&bytes).unwrap();
        let read = started.elapsed();
        assert_eq!(sheet.rows.len(), ROWS);
        eprintln!(
            "xlsx {label}: {} MB, write {written:?}, read {read:?}",
            bytes.len() / 1_000_000
        );
    }
}
