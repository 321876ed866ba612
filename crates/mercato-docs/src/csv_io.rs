//! CSV files: reading uploads and writing exports.

use crate::encoding;
use crate::error::SheetError;
use crate::sheet::{Sheet, SheetBuilder, SheetLimits};

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Delimiters we recognise, in order of preference when counts tie. Excel
/// writes `;` where the decimal separator is a comma, and `\t` for "Text".
const DELIMITERS: [u8; 3] = [b',', b';', b'\t'];

pub(crate) fn read(bytes: &[u8], limits: &SheetLimits) -> Result<Sheet, SheetError> {
    let decoded = encoding::decode(bytes)?;
    let text: &str = &decoded.text;
    let delimiter = detect_delimiter(text);
    check_quotes_closed(text, delimiter)?;

    let mut builder = SheetBuilder::new(decoded.encoding, limits);
    if let Some(note) = decoded.note {
        builder.note(note);
    }
    match delimiter {
        b';' => builder.note("columns are separated by semicolons (;)".to_owned()),
        b'\t' => builder.note("columns are separated by tabs".to_owned()),
        _ => {}
    }

    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut record = csv::StringRecord::new();
    let mut lines = LineCounter::new(text);
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(err) => return Err(csv_error(&err)),
        }
        // Skip blank rows before allocating anything for them.
        if record.iter().all(|field| field.trim().is_empty()) {
            continue;
        }
        let line = record.position().map_or(0, |p| lines.line_at(p.byte()));
        let cells = record.iter().map(|field| field.trim().to_owned()).collect();
        builder.push(line, cells, 1)?;
    }
    builder.finish()
}

/// Finds the line a record starts on.
///
/// Counting records would be wrong (a quoted cell with line breaks makes one
/// record span several lines), and the csv crate's own `Position::line` is
/// taken before the line breaks that precede a record (the `\n` of a `\r\n`,
/// blank lines), so it can be one or more lines early. Its byte offset has the
/// same quirk, but line breaks are easy to skip; counting forward from the
/// previous record keeps the whole pass linear.
struct LineCounter<'a> {
    text: &'a [u8],
    offset: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text: text.as_bytes(),
            offset: 0,
            line: 1,
        }
    }

    fn line_at(&mut self, byte: u64) -> usize {
        let mut start = usize::try_from(byte)
            .unwrap_or(usize::MAX)
            .clamp(self.offset, self.text.len());
        while matches!(self.text.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        self.line += self.text[self.offset..start]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.offset = start;
        self.line
    }
}

fn csv_error(err: &csv::Error) -> SheetError {
    let line = err
        .position()
        .map_or(1, |p| usize::try_from(p.line()).unwrap_or(usize::MAX));
    SheetError::Csv {
        line,
        detail: err.to_string(),
    }
}

/// Picks the delimiter from the header line: the candidate that occurs most
/// often outside quotes; comma when none occurs (a one-column file).
///
/// The header line is the first line with a character other than
/// delimiters, quotes and spaces, because Excel exports often start with rows
/// of bare separators (",,,,") left over from formatted but empty cells.
fn detect_delimiter(text: &str) -> u8 {
    let header = text
        .lines()
        .find(|line| {
            line.bytes()
                .any(|b| !matches!(b, b',' | b';' | b'\t' | b'"' | b' ' | b'\r'))
        })
        .unwrap_or("");
    let mut counts = [0usize; DELIMITERS.len()];
    let mut quoted = false;
    for byte in header.bytes() {
        if byte == b'"' {
            quoted = !quoted;
        } else if !quoted && let Some(i) = DELIMITERS.iter().position(|&d| d == byte) {
            counts[i] += 1;
        }
    }
    let mut best = 0;
    for i in 1..DELIMITERS.len() {
        if counts[i] > counts[best] {
            best = i;
        }
    }
    DELIMITERS[best]
}

/// Fails when a quoted cell is never closed.
///
/// The csv crate, like Excel, would read everything after a stray opening
/// quote as one cell and silently swallow the rest of the file; a clerk
/// needs to hear about that line instead. The scanner follows the csv
/// crate's own rules: a quote opens a quoted cell only at the start of a
/// cell, `""` inside one is a literal quote.
fn check_quotes_closed(text: &str, delimiter: u8) -> Result<(), SheetError> {
    #[derive(Clone, Copy)]
    enum State {
        CellStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }
    let mut state = State::CellStart;
    let mut line = 1;
    let mut opened_on = 1;
    // Delimiters, quotes and line breaks are ASCII, and UTF-8 never uses
    // ASCII bytes inside a multi-byte character, so bytes are safe to scan.
    for byte in text.bytes() {
        let is_break = byte == b'\n' || byte == b'\r';
        state = match state {
            State::CellStart | State::Unquoted | State::QuoteInQuoted
                if is_break || byte == delimiter =>
            {
                State::CellStart
            }
            State::CellStart if byte == b'"' => {
                opened_on = line;
                State::Quoted
            }
            State::CellStart | State::Unquoted => State::Unquoted,
            State::Quoted if byte == b'"' => State::QuoteInQuoted,
            State::Quoted => State::Quoted,
            State::QuoteInQuoted if byte == b'"' => State::Quoted,
            // Text after a closing quote is kept by the csv crate as part of the cell.
            State::QuoteInQuoted => State::Unquoted,
        };
        if byte == b'\n' {
            line += 1;
        }
    }
    if matches!(state, State::Quoted) {
        return Err(SheetError::Csv {
            line: opened_on,
            detail: "a cell starting with a quote (\") on this line is never closed, so the rest \
                     of the file would be read as one cell; check this line for a stray quote"
                .to_owned(),
        });
    }
    Ok(())
}

/// Writes a CSV file that Excel opens correctly, Chinese text included.
///
/// UTF-8 with a byte-order mark (without it Excel on Windows assumes the
/// local code page and shows mojibake), comma-separated, `\r\n` line ends,
/// RFC 4180 quoting. Cells containing `;` or tabs are quoted too, so the
/// delimiter detection of [`read_sheet`](crate::read_sheet) cannot mistake
/// them for separators. Rows shorter than the header are padded with empty
/// cells; longer rows are written whole.
///
/// Cells are written as they are: a cell starting with `=`, `+`, `-` or `@`
/// is a formula to Excel when the file is opened there. Prefer
/// [`write_xlsx`](crate::write_xlsx) for exports of untrusted text; it stores
/// every cell as text.
#[must_use]
pub fn write_csv(headers: &[String], rows: &[Vec<String>]) -> Vec<u8> {
    let estimate = rows
        .first()
        .map_or(0, |row| row.iter().map(|c| c.len() + 3).sum::<usize>())
        .saturating_mul(rows.len().saturating_add(1));
    let mut out = Vec::with_capacity(UTF8_BOM.len() + estimate);
    out.extend_from_slice(UTF8_BOM);
    write_record(&mut out, headers, headers.len());
    for row in rows {
        write_record(&mut out, row, headers.len());
    }
    out
}

fn write_record(out: &mut Vec<u8>, cells: &[String], width: usize) {
    for (index, cell) in cells.iter().enumerate() {
        if index > 0 {
            out.push(b',');
        }
        write_cell(out, cell);
    }
    for _ in cells.len()..width {
        out.push(b',');
    }
    out.extend_from_slice(b"\r\n");
}

fn write_cell(out: &mut Vec<u8>, cell: &str) {
    let needs_quotes = cell
        .bytes()
        .any(|b| matches!(b, b',' | b'"' | b'\r' | b'\n' | b';' | b'\t'))
        // Leading/trailing spaces survive other tools only when quoted.
        || cell.starts_with(char::is_whitespace)
        || cell.ends_with(char::is_whitespace);
    if !needs_quotes {
        out.extend_from_slice(cell.as_bytes());
        return;
    }
    out.push(b'"');
    for byte in cell.bytes() {
        if byte == b'"' {
            out.push(b'"');
        }
        out.push(byte);
    }
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn delimiter_from_header_line() {
        assert_eq!(detect_delimiter("a,b,c\n"), b',');
        assert_eq!(detect_delimiter("a;b;c\n1,5;2\n"), b';');
        assert_eq!(detect_delimiter("a\tb\n"), b'\t');
        assert_eq!(detect_delimiter("only\n"), b',');
        assert_eq!(detect_delimiter(";;;\n\"x;y\",b\n"), b',');
        assert_eq!(detect_delimiter(""), b',');
    }

    #[test]
    fn unclosed_quote_names_its_line() {
        assert!(check_quotes_closed("a,b\n\"x\"\"y\",2\n", b',').is_ok());
        assert!(
            check_quotes_closed("a,b\n5\"x,2\n", b',').is_ok(),
            "quote mid-cell is literal"
        );
        let err = check_quotes_closed("a,b\n1,2\n\"open,3\n4,5\n", b',').unwrap_err();
        assert_eq!(
            err,
            SheetError::Csv {
                line: 3,
                detail: match &err {
                    SheetError::Csv { detail, .. } => detail.clone(),
                    _ => String::new(),
                }
            }
        );
    }

    #[test]
    fn cells_are_quoted_only_when_needed() {
        let mut out = Vec::new();
        write_record(
            &mut out,
            &[
                "plain".into(),
                "a,b".into(),
                "say \"hi\"".into(),
                "x;y".into(),
            ],
            5,
        );
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "plain,\"a,b\",\"say \"\"hi\"\"\",\"x;y\",\r\n"
        );
    }
}
