//! Integration tests: real files in, sheets out, through the public API only.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod csv_read;
mod perf;
mod roundtrip;
mod xlsx_read;

use mercato_docs::{Sheet, SheetError, SheetFormat, SheetLimits, read_sheet};

pub fn strings(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| (*c).to_owned()).collect()
}

pub fn read_csv(bytes: &[u8]) -> Result<Sheet, SheetError> {
    read_sheet(bytes, SheetFormat::Csv, &SheetLimits::default())
}

pub fn read_xlsx(bytes: &[u8]) -> Result<Sheet, SheetError> {
    read_sheet(bytes, SheetFormat::Xlsx, &SheetLimits::default())
}

/// The cells of every row, for compact assertions.
pub fn cells(sheet: &Sheet) -> Vec<Vec<String>> {
    sheet
        .rows
        .iter()
        .map(|r| r.cells().into_iter().map(str::to_string).collect())
        .collect()
}

pub fn lines(sheet: &Sheet) -> Vec<usize> {
    sheet.rows.iter().map(|r| r.line).collect()
}
