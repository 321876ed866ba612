//! Documents in and out of Mercato:
//!
//! * Product spreadsheets for the catalog import and export: reading CSV and
//!   XLSX uploads into rows of text, and writing CSV and XLSX files that Excel
//!   opens correctly.
//! * Business documents as PDF (module [`pdf`], cargo feature `pdf`, on by
//!   default): order confirmations now, invoices and quotes later, laid out
//!   by typst from already translated and formatted text.
//!
//! Pure: bytes in, values out. No database, no async, and no file system
//! except for font files (scanned by [`pdf::PdfFonts::load`], a file read
//! again on the first use of one of its faces), so the caller decides where
//! bytes come from and where they go.
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
#[cfg(feature = "pdf")]
pub mod pdf;
mod sheet;
mod xlsx;

pub use csv_io::write_csv;
pub use encoding::TextEncoding;
pub use error::{SheetError, WriteError};
pub use format::{SheetFormat, detect_format};
#[cfg(feature = "pdf")]
pub use pdf::{PdfColumn, PdfDocument, PdfError, PdfFonts, PdfParty, PdfTotal, render_pdf};
pub use sheet::{CellIssue, Sheet, SheetLimits, SheetRow, read_sheet};
pub use xlsx::write_xlsx;
