//! Product spreadsheets for the catalog import and export: reading CSV and
//! XLSX uploads into rows of text, and writing CSV and XLSX files that Excel
//! opens correctly.
//!
//! Pure: bytes in, values out. No database, no async, no file system, so the
//! importer decides where bytes come from and where reports go.
//!
//! Reading never guesses at business meaning: every cell is text, trimmed, in
//! a column named by the header row. What the reader noticed on the way
//! (encodings, merged cells, formulas without values, ragged rows) is kept
//! on the [`Sheet`] as [`CellIssue`]s and notes for the import report.
#![forbid(unsafe_code)]

mod a1;
mod cell_text;
mod csv_io;
mod encoding;
mod error;
mod format;
mod sheet;
mod xlsx;

pub use csv_io::write_csv;
pub use encoding::TextEncoding;
pub use error::{SheetError, WriteError};
pub use format::{SheetFormat, detect_format};
pub use sheet::{CellIssue, Sheet, SheetLimits, SheetRow, read_sheet};
pub use xlsx::write_xlsx;
