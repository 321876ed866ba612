//! A spreadsheet as the importer sees it: named columns, rows of text, and
//! what we noticed on the way.
//!
//! Both readers (CSV and XLSX) feed rows into one [`SheetBuilder`], so header
//! rules, blank-row skipping, ragged rows and the row limit behave the same
//! whatever the file format.

use std::collections::HashSet;

use crate::encoding::TextEncoding;
use crate::error::SheetError;
use crate::format::SheetFormat;
use crate::{csv_io, xlsx};

/// Upper bounds on what a reader accepts, checked before the expensive work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SheetLimits {
    /// Largest file accepted, in bytes (default 64 MiB).
    pub max_bytes: usize,
    /// Most data rows accepted, the header row not counted (default 1,000,000).
    pub max_rows: usize,
}

impl Default for SheetLimits {
    fn default() -> Self {
        Self {
            max_bytes: 64 * 1024 * 1024,
            max_rows: 1_000_000,
        }
    }
}

/// A problem tied to a place in the file, worded for a catalog clerk.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CellIssue {
    /// Row as the clerk sees it: the line of a CSV file, the row number of a
    /// worksheet.
    pub line: usize,
    /// Header name of the column, when the problem is in one named column.
    pub column: Option<String>,
    /// The offending value (or formula, or merged range), when there is one.
    pub value: Option<String>,
    /// What is wrong and what was done about it.
    pub reason: String,
}

/// One data row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetRow {
    /// Row number as the clerk sees it (the header row is line 1 when it is the
    /// first row): for CSV the line the record starts on, for XLSX the
    /// worksheet row.
    pub line: usize,
    /// The row's cells concatenated; `ends[i]` is where cell `i` ends. One
    /// allocation per row instead of one `String` per cell: a 100,000-row,
    /// 86-column catalog (mostly empty cells) took over 200 MB as strings.
    text: String,
    ends: Vec<u32>,
}

impl SheetRow {
    /// A row of `cells` (one per header, in header order).
    #[must_use]
    pub fn new(line: usize, cells: &[String]) -> Self {
        let mut text = String::with_capacity(cells.iter().map(String::len).sum());
        let mut ends = Vec::with_capacity(cells.len());
        for c in cells {
            text.push_str(c);
            ends.push(u32::try_from(text.len()).unwrap_or(u32::MAX));
        }
        Self { line, text, ends }
    }

    /// The cell in column `sheet_col` (from [`Sheet::column`]), or `""` when the
    /// column is absent, so optional columns need no special casing.
    #[must_use]
    pub fn get(&self, sheet_col: Option<usize>) -> &str {
        let Some(i) = sheet_col else { return "" };
        let Some(end) = self.ends.get(i) else {
            return "";
        };
        let start = if i == 0 {
            0
        } else {
            self.ends.get(i - 1).copied().unwrap_or(0)
        };
        self.text.get(start as usize..*end as usize).unwrap_or("")
    }

    /// Every cell, in header order.
    #[must_use]
    pub fn cells(&self) -> Vec<&str> {
        (0..self.ends.len()).map(|i| self.get(Some(i))).collect()
    }

    /// How many cells the row has (the header's width).
    #[must_use]
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether the row has no cells.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
}

/// A spreadsheet read into memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    /// Column names from the header row, trimmed, unique, none empty.
    pub headers: Vec<String>,
    /// Data rows in file order; completely blank rows are left out.
    pub rows: Vec<SheetRow>,
    /// How the text was stored ([`TextEncoding::Binary`] for XLSX).
    pub encoding: TextEncoding,
    /// Cell-level problems the import report must show (extra cells, merged
    /// cells, formulas without a value, Excel error values), in line order.
    pub issues: Vec<CellIssue>,
    /// File-level observations the import report must show, e.g. "file was
    /// GBK-encoded (typical of Chinese Excel); read as GB18030".
    pub notes: Vec<String>,
}

impl Sheet {
    /// Index of the first of `names` the sheet has a column for (a column
    /// known by several names: `sku`, `part number`, `物料号`).
    #[must_use]
    pub fn column_any(&self, names: &[&str]) -> Option<usize> {
        names.iter().find_map(|n| self.column(n))
    }

    /// Index of the column called `name`.
    ///
    /// An exact match wins; otherwise a case-insensitive match is accepted if
    /// exactly one header matches, because clerks retype "SKU" as "sku" but a
    /// sheet with both "Name" and "NAME" must not be guessed at.
    #[must_use]
    pub fn column(&self, name: &str) -> Option<usize> {
        let name = name.trim();
        if let Some(index) = self.headers.iter().position(|h| h == name) {
            return Some(index);
        }
        let lower = name.to_lowercase();
        let mut matches = self
            .headers
            .iter()
            .enumerate()
            .filter(|(_, h)| h.to_lowercase() == lower)
            .map(|(index, _)| index);
        match (matches.next(), matches.next()) {
            (Some(index), None) => Some(index),
            _ => None,
        }
    }
}

/// Reads a whole spreadsheet.
///
/// The header is the first row with any content; rows before it that are
/// blank are skipped, as are blank rows anywhere else. Trailing empty header
/// cells are dropped; an empty one between named columns is an error.
///
/// CSV: UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030/GBK; the
/// delimiter (`,` `;` or tab) is taken from the header line.
///
/// XLSX: the first visible worksheet in tab order is read, with a note when
/// there are others. Cells become text: numbers rounded to Excel's 15
/// significant digits and printed without exponent ("12.5", "3",
/// "8712345678901"), booleans
/// "true"/"false", dates ISO 8601 ("2024-03-15", "2024-03-15T08:30:00"),
/// formulas by their cached value. Old `.xls` workbooks are read too.
///
/// Limits: the file size is checked before anything is parsed (and, for
/// XLSX, the unpacked size before anything is unpacked), the row limit
/// while rows are read.
///
/// # Errors
/// See [`SheetError`]: the file is empty, too big, undecodable, not a
/// workbook, or its header row is unusable.
pub fn read_sheet(
    bytes: &[u8],
    format: SheetFormat,
    limits: &SheetLimits,
) -> Result<Sheet, SheetError> {
    if bytes.len() > limits.max_bytes {
        return Err(SheetError::TooLarge {
            bytes: bytes.len(),
            limit: limits.max_bytes,
        });
    }
    if bytes.is_empty() {
        return Err(SheetError::Empty);
    }
    match format {
        SheetFormat::Csv => csv_io::read(bytes, limits),
        SheetFormat::Xlsx => xlsx::read(bytes, limits),
    }
}

/// Collects rows from a reader and applies the rules shared by all formats.
#[derive(Debug)]
pub(crate) struct SheetBuilder {
    headers: Option<Vec<String>>,
    rows: Vec<SheetRow>,
    issues: Vec<CellIssue>,
    notes: Vec<String>,
    encoding: TextEncoding,
    max_rows: usize,
}

/// What [`SheetBuilder::push`] did with a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pushed {
    /// The row was blank and skipped.
    Blank,
    /// The row became the header.
    Header,
    /// The row became a data row.
    Data,
}

impl SheetBuilder {
    pub(crate) fn new(encoding: TextEncoding, limits: &SheetLimits) -> Self {
        Self {
            headers: None,
            rows: Vec::new(),
            issues: Vec::new(),
            notes: Vec::new(),
            encoding,
            max_rows: limits.max_rows,
        }
    }

    pub(crate) fn note(&mut self, note: String) {
        self.notes.push(note);
    }

    pub(crate) fn issue(&mut self, issue: CellIssue) {
        self.issues.push(issue);
    }

    pub(crate) fn headers(&self) -> Option<&[String]> {
        self.headers.as_deref()
    }

    /// Adds the next non-empty-or-blank row. `first_column_number` is the
    /// 1-based column number of `cells[0]`, so header errors point at the
    /// column the clerk sees (it is not 1 when an XLSX sheet starts at B).
    pub(crate) fn push(
        &mut self,
        line: usize,
        mut cells: Vec<String>,
        first_column_number: usize,
    ) -> Result<Pushed, SheetError> {
        trim_all(&mut cells);
        let Some(last_filled) = cells.iter().rposition(|c| !c.is_empty()) else {
            return Ok(Pushed::Blank);
        };
        let Some(headers) = &self.headers else {
            // Trailing empty header cells are dropped, not rejected: Excel
            // writes them whenever a column to the right was ever formatted.
            cells.truncate(last_filled + 1);
            validate_headers(&cells, first_column_number)?;
            self.headers = Some(cells);
            return Ok(Pushed::Header);
        };
        if self.rows.len() >= self.max_rows {
            return Err(SheetError::TooManyRows {
                limit: self.max_rows,
            });
        }
        let width = headers.len();
        if last_filled >= width {
            // Only cells with content count as extra: trailing empty cells
            // (",,," at the end of a line) lose nothing and are not worth a
            // line in the report.
            let dropped = cells[width..]
                .iter()
                .find(|c| !c.is_empty())
                .cloned()
                .unwrap_or_default();
            self.overflow_issue(line, last_filled + 1, dropped);
            if cells[..width].iter().all(String::is_empty) {
                // Content only outside the named columns: reported, not kept.
                return Ok(Pushed::Blank);
            }
        }
        cells.resize(width, String::new());
        self.rows.push(SheetRow::new(line, &cells));
        Ok(Pushed::Data)
    }

    /// Reports a row with `cells` cells (counting to its last non-empty one)
    /// where the header has fewer; `first_dropped` is the first lost value.
    pub(crate) fn overflow_issue(&mut self, line: usize, cells: usize, first_dropped: String) {
        let width = self.headers.as_ref().map_or(0, Vec::len);
        self.issues.push(CellIssue {
            line,
            column: None,
            value: Some(first_dropped),
            reason: format!(
                "row has {cells} cells but the header has {width}; the cells after column \
                 {width} were ignored"
            ),
        });
    }

    /// Finishes the sheet; issues are put in line order for the report.
    pub(crate) fn finish(mut self) -> Result<Sheet, SheetError> {
        let headers = self.headers.ok_or(SheetError::Empty)?;
        // Stable: issues on one line keep the order in which they were found.
        self.issues.sort_by_key(|issue| issue.line);
        Ok(Sheet {
            headers,
            rows: self.rows,
            encoding: self.encoding,
            issues: self.issues,
            notes: self.notes,
        })
    }
}

fn trim_all(cells: &mut [String]) {
    for cell in cells {
        let trimmed = cell.trim();
        // Most cells are already trimmed; only reallocate those that are not.
        if trimmed.len() != cell.len() {
            *cell = trimmed.to_owned();
        }
    }
}

fn validate_headers(headers: &[String], first_column_number: usize) -> Result<(), SheetError> {
    let mut seen = HashSet::with_capacity(headers.len());
    for (index, header) in headers.iter().enumerate() {
        if header.is_empty() {
            return Err(SheetError::EmptyHeader {
                column_number: first_column_number + index,
            });
        }
        if !seen.insert(header.as_str()) {
            return Err(SheetError::DuplicateHeader {
                column: header.clone(),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    fn strings(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| (*c).to_owned()).collect()
    }

    fn sheet(headers: &[&str]) -> Sheet {
        Sheet {
            headers: strings(headers),
            rows: Vec::new(),
            encoding: TextEncoding::Utf8,
            issues: Vec::new(),
            notes: Vec::new(),
        }
    }

    #[test]
    fn column_prefers_exact_then_unique_case_insensitive() {
        let s = sheet(&["SKU", "Name", "NAME"]);
        assert_eq!(s.column("SKU"), Some(0));
        assert_eq!(s.column("sku"), Some(0));
        assert_eq!(s.column(" SKU "), Some(0));
        assert_eq!(s.column("NAME"), Some(2));
        assert_eq!(s.column("name"), None, "ambiguous");
        assert_eq!(s.column("price"), None);
    }

    #[test]
    fn row_get_is_empty_when_absent() {
        let row = SheetRow::new(2, &strings(&["a"]));
        assert_eq!(row.get(Some(0)), "a");
        assert_eq!(row.get(Some(5)), "");
        assert_eq!(row.get(None), "");
    }

    #[test]
    fn builder_pads_trims_and_reports_extra_cells() {
        let mut b = SheetBuilder::new(TextEncoding::Utf8, &SheetLimits::default());
        assert_eq!(
            b.push(1, strings(&[" a ", "b", "", ""]), 1),
            Ok(Pushed::Header)
        );
        assert_eq!(b.push(2, strings(&["", "  "]), 1), Ok(Pushed::Blank));
        assert_eq!(b.push(3, strings(&["1"]), 1), Ok(Pushed::Data));
        assert_eq!(b.push(4, strings(&["1", "2", "", ""]), 1), Ok(Pushed::Data));
        assert_eq!(
            b.push(5, strings(&["1", "2", "x", ""]), 1),
            Ok(Pushed::Data)
        );
        let sheet = b.finish().unwrap();
        assert_eq!(sheet.headers, strings(&["a", "b"]));
        assert_eq!(sheet.rows[0].cells(), ["1", ""]);
        assert_eq!(sheet.rows[1].cells(), ["1", "2"]);
        assert_eq!(sheet.issues.len(), 1);
        assert_eq!(sheet.issues[0].line, 5);
        assert_eq!(sheet.issues[0].value.as_deref(), Some("x"));
        assert!(
            sheet.issues[0].reason.contains("3 cells"),
            "{:?}",
            sheet.issues
        );
    }

    #[test]
    fn builder_rejects_bad_headers() {
        let mut b = SheetBuilder::new(TextEncoding::Utf8, &SheetLimits::default());
        assert_eq!(
            b.push(1, strings(&["a", "", "c"]), 3),
            Err(SheetError::EmptyHeader { column_number: 4 })
        );
        let mut b = SheetBuilder::new(TextEncoding::Utf8, &SheetLimits::default());
        assert_eq!(
            b.push(1, strings(&["a", "b", "a"]), 1),
            Err(SheetError::DuplicateHeader {
                column: "a".to_owned()
            })
        );
    }

    #[test]
    fn builder_enforces_row_limit() {
        let limits = SheetLimits {
            max_bytes: 100,
            max_rows: 1,
        };
        let mut b = SheetBuilder::new(TextEncoding::Utf8, &limits);
        b.push(1, strings(&["a"]), 1).unwrap();
        b.push(2, strings(&["1"]), 1).unwrap();
        assert_eq!(
            b.push(3, strings(&["2"]), 1),
            Err(SheetError::TooManyRows { limit: 1 })
        );
    }

    #[test]
    fn nothing_pushed_is_empty() {
        let b = SheetBuilder::new(TextEncoding::Utf8, &SheetLimits::default());
        assert_eq!(b.finish(), Err(SheetError::Empty));
    }
}
