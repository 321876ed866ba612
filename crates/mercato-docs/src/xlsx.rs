//! Excel workbooks: reading uploads (XLSX, and old XLS as a courtesy) and
//! writing exports.
//!
//! Reading streams the worksheet XML once for values and formulas (a second,
//! cheaper pass finds merged ranges), row by row into the shared
//! [`SheetBuilder`], so memory is bounded by the rows kept, not by how far
//! the sheet's formatting reaches.

use std::borrow::Cow;
use std::io::Cursor;

use calamine::{Data, DataRef, Dimensions, Reader, SheetType, SheetVisible, Xls, Xlsx};
use rust_xlsxwriter::{Format, FormatBorder, Workbook, Worksheet, XlsxError};

use crate::a1;
use crate::cell_text;
use crate::encoding::TextEncoding;
use crate::error::{SheetError, WriteError};
use crate::sheet::{CellIssue, Pushed, Sheet, SheetBuilder, SheetLimits};

/// OLE compound file signature: Excel 97–2003 `.xls`, or an encrypted `.xlsx`.
const CFB_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// Excel's worksheet limits.
const MAX_ROWS: usize = 1_048_576;
const MAX_COLUMNS: usize = 16_384;
const MAX_CELL_CHARS: usize = 32_767;

pub(crate) fn read(bytes: &[u8], limits: &SheetLimits) -> Result<Sheet, SheetError> {
    if bytes.starts_with(CFB_MAGIC) {
        return read_legacy(bytes, limits);
    }
    check_unpacked_size(bytes, limits)?;
    let mut workbook = Xlsx::new(Cursor::new(bytes)).map_err(|err| not_a_workbook(&err))?;
    let (name, sheet_count) = pick_sheet(workbook.sheets_metadata())?;
    let merged = workbook
        .merge_cells_by_sheet_name(&name)
        .map_err(|err| damaged(&name, &err))?;

    let mut rows = RowAssembler::new(limits);
    if sheet_count > 1 {
        rows.builder.note(other_sheets_note(sheet_count, &name));
    }
    let mut cells = workbook
        .worksheet_cells_reader(&name)
        .map_err(|err| damaged(&name, &err))?;
    while let Some(cell) = cells
        .next_cell_with_formula()
        .map_err(|err| damaged(&name, &err))?
    {
        let (row, column) = cell.pos;
        let value = CellValue::from_ref(cell.value);
        let no_cached_value = matches!(value, CellValue::Empty);
        rows.cell(row, column, value)?;
        if no_cached_value && let Some(formula) = cell.formula.filter(|f| !f.is_empty()) {
            rows.pending.push(Pending {
                row,
                column: Some(column),
                value: Some(format!("={formula}")),
                reason: format!(
                    "cell {}: formula without a computed value; save the file in Excel first \
                     or paste values",
                    a1::cell(row, column)
                ),
            });
        }
    }
    drop(cells);
    rows.finish(&merged)
}

/// How much bigger than the file size limit a workbook may be once unpacked.
///
/// XLSX is zipped XML; real sheets unpack to 5–15 times their size. The
/// check stops zip bombs before calamine unpacks the shared strings into
/// memory; the zip reader enforces the sizes the archive declares.
const MAX_UNPACK_RATIO: u64 = 16;

fn check_unpacked_size(bytes: &[u8], limits: &SheetLimits) -> Result<(), SheetError> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|err| not_a_workbook(&err))?;
    let mut unpacked = 0u64;
    for index in 0..archive.len() {
        let entry = archive
            .by_index_raw(index)
            .map_err(|err| not_a_workbook(&err))?;
        unpacked = unpacked.saturating_add(entry.size());
    }
    let limit = u64::try_from(limits.max_bytes)
        .unwrap_or(u64::MAX)
        .saturating_mul(MAX_UNPACK_RATIO);
    if unpacked > limit {
        return Err(SheetError::Xlsx {
            detail: format!(
                "the workbook unpacks to {} MB, more than the {} MB allowed; split it into \
                 smaller files",
                unpacked / 1_000_000,
                limit / 1_000_000
            ),
        });
    }
    Ok(())
}

fn not_a_workbook(err: &dyn std::fmt::Display) -> SheetError {
    SheetError::Xlsx {
        detail: format!(
            "the file is not a readable Excel workbook (.xlsx); open it in Excel and save it \
             as \"Excel Workbook (.xlsx)\" or \"CSV UTF-8\" ({err})"
        ),
    }
}

/// Excel 97–2003 workbooks still arrive from older ERP exports; calamine
/// reads them, so we do rather than send the clerk back to Excel.
fn read_legacy(bytes: &[u8], limits: &SheetLimits) -> Result<Sheet, SheetError> {
    let mut workbook = Xls::new(Cursor::new(bytes)).map_err(|err| SheetError::Xlsx {
        detail: format!(
            "the file is an old-style Excel (.xls) or password-protected workbook that cannot \
             be read; remove any password, then save it as \"Excel Workbook (.xlsx)\" or \
             \"CSV UTF-8\" ({err})"
        ),
    })?;
    let (name, sheet_count) = pick_sheet(workbook.sheets_metadata())?;
    let range = workbook
        .worksheet_range(&name)
        .map_err(|err| damaged(&name, &err))?;
    let merged = workbook
        .merge_cells_by_sheet_name(&name)
        .map_err(|err| damaged(&name, &err))?;

    let mut rows = RowAssembler::new(limits);
    rows.builder
        .note("file is an old-style Excel workbook (.xls)".to_owned());
    if sheet_count > 1 {
        rows.builder.note(other_sheets_note(sheet_count, &name));
    }
    // `used_cells` positions are relative to the range's top-left corner.
    let (start_row, start_column) = range.start().unwrap_or((0, 0));
    for (row, column, value) in range.used_cells() {
        let (Ok(row), Ok(column)) = (u32::try_from(row), u32::try_from(column)) else {
            continue;
        };
        rows.cell(
            start_row.saturating_add(row),
            start_column.saturating_add(column),
            CellValue::from_data(value),
        )?;
    }
    rows.finish(&merged)
}

/// Picks the first visible worksheet in tab order: a hidden first sheet
/// (lookup lists, old versions) is not what the clerk thinks of as "the
/// first sheet". Falls back to the first worksheet when all are hidden.
fn pick_sheet(sheets: &[calamine::Sheet]) -> Result<(String, usize), SheetError> {
    let worksheets: Vec<_> = sheets
        .iter()
        .filter(|s| s.typ == SheetType::WorkSheet)
        .collect();
    let chosen = worksheets
        .iter()
        .find(|s| s.visible == SheetVisible::Visible)
        .or_else(|| worksheets.first())
        .ok_or_else(|| SheetError::Xlsx {
            detail: "the workbook has no worksheet (only charts or macros)".to_owned(),
        })?;
    Ok((chosen.name.clone(), worksheets.len()))
}

fn other_sheets_note(count: usize, name: &str) -> String {
    format!("the workbook has {count} worksheets; only the first, \"{name}\", was read")
}

fn damaged(sheet: &str, err: &dyn std::fmt::Display) -> SheetError {
    SheetError::Xlsx {
        detail: format!(
            "worksheet \"{sheet}\" could not be read; the file may be damaged, open it in \
             Excel and save it again ({err})"
        ),
    }
}

/// A cell's value, reduced to what the importer needs.
enum CellValue<'a> {
    Text(Cow<'a, str>),
    /// An Excel error value such as `#DIV/0!`.
    Error(String),
    Empty,
}

impl<'a> CellValue<'a> {
    fn from_ref(value: DataRef<'a>) -> Self {
        match value {
            DataRef::String(s) => Self::Text(Cow::Owned(s)),
            DataRef::SharedString(s) => Self::Text(Cow::Borrowed(s)),
            DataRef::Int(i) => Self::Text(Cow::Owned(i.to_string())),
            DataRef::Float(f) => Self::Text(Cow::Owned(cell_text::number(f))),
            DataRef::Bool(b) => Self::Text(Cow::Borrowed(if b { "true" } else { "false" })),
            DataRef::DateTime(dt) => Self::Text(Cow::Owned(cell_text::date_time(&dt))),
            DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Self::Text(Cow::Owned(s)),
            DataRef::Error(e) => Self::Error(e.to_string()),
            DataRef::Empty => Self::Empty,
        }
    }

    fn from_data(value: &'a Data) -> Self {
        match value {
            Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => {
                Self::Text(Cow::Borrowed(s))
            }
            Data::Int(i) => Self::Text(Cow::Owned(i.to_string())),
            Data::Float(f) => Self::Text(Cow::Owned(cell_text::number(*f))),
            Data::Bool(b) => Self::Text(Cow::Borrowed(if *b { "true" } else { "false" })),
            Data::DateTime(dt) => Self::Text(Cow::Owned(cell_text::date_time(dt))),
            Data::Error(e) => Self::Error(e.to_string()),
            Data::Empty => Self::Empty,
        }
    }
}

/// An issue found before the header names are known.
struct Pending {
    row: u32,
    column: Option<u32>,
    value: Option<String>,
    reason: String,
}

/// Groups streamed cells into rows and feeds them to the builder.
struct RowAssembler {
    builder: SheetBuilder,
    pending: Vec<Pending>,
    current_row: Option<u32>,
    /// Non-empty cells of the current row as (column, text).
    row_cells: Vec<(u32, String)>,
    /// Worksheet column of the first header; sheets need not start at A.
    first_column: u32,
}

impl RowAssembler {
    fn new(limits: &SheetLimits) -> Self {
        Self {
            builder: SheetBuilder::new(TextEncoding::Binary, limits),
            pending: Vec::new(),
            current_row: None,
            row_cells: Vec::new(),
            first_column: 0,
        }
    }

    fn cell(&mut self, row: u32, column: u32, value: CellValue<'_>) -> Result<(), SheetError> {
        if self.current_row != Some(row) {
            self.flush()?;
            self.current_row = Some(row);
        }
        match value {
            CellValue::Text(text) if !text.is_empty() => {
                self.row_cells.push((column, text.into_owned()));
            }
            CellValue::Text(_) | CellValue::Empty => {}
            CellValue::Error(error) => self.pending.push(Pending {
                row,
                column: Some(column),
                reason: format!(
                    "cell {} shows the Excel error {error}; it was read as empty",
                    a1::cell(row, column)
                ),
                value: Some(error),
            }),
        }
        Ok(())
    }

    /// Hands the current row to the builder.
    fn flush(&mut self) -> Result<(), SheetError> {
        let Some(row) = self.current_row else {
            return Ok(());
        };
        if self.row_cells.is_empty() {
            return Ok(());
        }
        let mut cells = std::mem::take(&mut self.row_cells);
        let line = usize::try_from(row).unwrap_or(usize::MAX).saturating_add(1);
        let width = match self.builder.headers() {
            Some(headers) => headers.len(),
            None => {
                // This row becomes the header if it has content: it decides
                // where the sheet starts and how wide it is.
                let Some(first) = cells
                    .iter()
                    .filter(|(_, text)| !text.trim().is_empty())
                    .map(|(column, _)| *column)
                    .min()
                else {
                    return Ok(());
                };
                self.first_column = first;
                let last = cells
                    .iter()
                    .map(|(column, _)| *column)
                    .max()
                    .unwrap_or(first);
                (last - first) as usize + 1
            }
        };
        let mut values = vec![String::new(); width];
        let mut overflow: Option<(usize, String)> = None;
        for (column, text) in cells.drain(..) {
            let Some(offset) = column.checked_sub(self.first_column) else {
                if !text.trim().is_empty() {
                    self.pending.push(Pending {
                        row,
                        column: None,
                        reason: format!(
                            "cell {} is left of the first column of the header row and was \
                             ignored",
                            a1::cell(row, column)
                        ),
                        value: Some(text),
                    });
                }
                continue;
            };
            let offset = offset as usize;
            if offset < width {
                values[offset] = text;
            } else if !text.trim().is_empty() {
                let count = offset + 1;
                match &mut overflow {
                    Some((cells, _)) => *cells = (*cells).max(count),
                    None => overflow = Some((count, text)),
                }
            }
        }
        let first_column_number = self.first_column as usize + 1;
        let pushed = self.builder.push(line, values, first_column_number)?;
        // A header row is as wide as its content, so it never overflows.
        if let Some((count, value)) = overflow
            && pushed != Pushed::Header
        {
            self.builder.overflow_issue(line, count, value);
        }
        self.row_cells = cells;
        Ok(())
    }

    fn finish(mut self, merged: &[Dimensions]) -> Result<Sheet, SheetError> {
        self.flush()?;
        for region in merged {
            let reference = a1::range(region.start, region.end);
            self.pending.push(Pending {
                row: region.start.0,
                column: Some(region.start.1),
                reason: format!(
                    "cells {reference} are merged; only the top-left cell {} holds a value, \
                     the other cells were read as empty",
                    a1::cell(region.start.0, region.start.1)
                ),
                value: Some(reference),
            });
        }
        let headers = self.builder.headers().map(<[String]>::to_vec);
        for pending in self.pending {
            let column = pending.column.and_then(|column| {
                let offset = column.checked_sub(self.first_column)? as usize;
                headers.as_ref()?.get(offset).cloned()
            });
            self.builder.issue(CellIssue {
                line: usize::try_from(pending.row)
                    .unwrap_or(usize::MAX)
                    .saturating_add(1),
                column,
                value: pending.value,
                reason: pending.reason,
            });
        }
        self.builder.finish()
    }
}

/// Writes an XLSX workbook for catalog exports and import templates.
///
/// One worksheet; the header row is bold, frozen and has an autofilter.
/// Every cell is stored as text, and every column is formatted as text, so
/// "00123" keeps its zeros, a 13-digit GTIN is not shown as 8.71235E+12, and
/// values the clerk types into the template later stay text too. This also
/// means a cell starting with `=` is never a formula. Column widths follow
/// the longest value (CJK characters count double), between 8 and 60
/// characters. Empty cells are left out.
///
/// # Errors
/// [`WriteError`] when the data does not fit Excel's limits (1,048,576 rows,
/// 16,384 columns, 32,767 characters per cell).
pub fn write_xlsx(headers: &[String], rows: &[Vec<String>]) -> Result<Vec<u8>, WriteError> {
    let columns = rows
        .iter()
        .map(Vec::len)
        .max()
        .unwrap_or(0)
        .max(headers.len());
    if rows.len().saturating_add(1) > MAX_ROWS {
        return Err(WriteError::TooManyRows {
            rows: rows.len().saturating_add(1),
            limit: MAX_ROWS,
        });
    }
    if columns > MAX_COLUMNS {
        return Err(WriteError::TooManyColumns {
            columns,
            limit: MAX_COLUMNS,
        });
    }

    let text = Format::new().set_num_format("@");
    let header_format = Format::new()
        .set_bold()
        .set_num_format("@")
        .set_border_bottom(FormatBorder::Thin);
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    // Column formats first: cells written without a format of their own
    // take them, which is both how every cell becomes text and much faster
    // than passing a `Format` per cell (rust_xlsxwriter hashes it each time).
    for column in 0..columns {
        sheet
            .set_column_format(to_col(column)?, &text)
            .map_err(xlsx_error)?;
    }

    let mut widths = vec![0usize; columns];
    write_row(sheet, 0, headers, Some(&header_format), &mut widths)?;
    for (index, row) in rows.iter().enumerate() {
        write_row(sheet, index + 1, row, None, &mut widths)?;
    }
    for (column, width) in widths.iter().enumerate() {
        // Two characters of padding; bold header text is a little wider.
        let width = (*width + 2).clamp(8, 60);
        #[allow(clippy::cast_precision_loss)] // width ≤ 60
        sheet
            .set_column_width(to_col(column)?, width as f64)
            .map_err(xlsx_error)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(xlsx_error)?;
    if !headers.is_empty() {
        sheet
            .autofilter(0, 0, to_row(rows.len())?, to_col(headers.len() - 1)?)
            .map_err(xlsx_error)?;
    }
    workbook.save_to_buffer().map_err(xlsx_error)
}

fn write_row(
    sheet: &mut Worksheet,
    index: usize,
    cells: &[String],
    format: Option<&Format>,
    widths: &mut [usize],
) -> Result<(), WriteError> {
    let row = to_row(index)?;
    for (column_index, value) in cells.iter().enumerate() {
        if value.is_empty() {
            continue;
        }
        // Excel counts UTF-16 units; there are never more of them than
        // UTF-8 bytes, so short cells skip the count.
        if value.len() > MAX_CELL_CHARS {
            let chars = value.encode_utf16().count();
            if chars > MAX_CELL_CHARS {
                return Err(WriteError::CellTooLong {
                    line: index + 1,
                    column_number: column_index + 1,
                    chars,
                    limit: MAX_CELL_CHARS,
                });
            }
        }
        let column = to_col(column_index)?;
        match format {
            Some(format) => sheet.write_string_with_format(row, column, value, format),
            None => sheet.write_string(row, column, value),
        }
        .map_err(xlsx_error)?;
        if let Some(width) = widths.get_mut(column_index)
            && *width < 60
        {
            *width = (*width).max(display_width(value));
        }
    }
    Ok(())
}

/// Width of the widest line in Excel character units: East Asian wide
/// characters take two.
fn display_width(value: &str) -> usize {
    value
        .lines()
        .map(|line| line.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum())
        .max()
        .unwrap_or(0)
}

fn is_wide(c: char) -> bool {
    matches!(
        u32::from(c),
        0x1100..=0x115F
            | 0x2E80..=0xA4CF
            | 0xAC00..=0xD7A3
            | 0xF900..=0xFAFF
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFF60
            | 0xFFE0..=0xFFE6
            | 0x20000..=0x3FFFD
    )
}

fn to_row(index: usize) -> Result<u32, WriteError> {
    u32::try_from(index).map_err(|_| WriteError::TooManyRows {
        rows: index.saturating_add(1),
        limit: MAX_ROWS,
    })
}

fn to_col(index: usize) -> Result<u16, WriteError> {
    u16::try_from(index).map_err(|_| WriteError::TooManyColumns {
        columns: index.saturating_add(1),
        limit: MAX_COLUMNS,
    })
}

// Takes the error by value to fit `map_err` directly.
#[allow(clippy::needless_pass_by_value)]
fn xlsx_error(err: XlsxError) -> WriteError {
    WriteError::Xlsx {
        detail: err.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_characters_count_double() {
        assert_eq!(display_width("M8"), 2);
        assert_eq!(display_width("六角螺栓"), 8);
        assert_eq!(display_width("a\nlonger"), 6);
    }
}
