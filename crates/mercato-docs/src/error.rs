//! Why a spreadsheet could not be read or written.
//!
//! Messages are worded for the catalog clerk who uploaded the file: they say
//! what is wrong and, where we know, what to do in Excel about it.

/// A spreadsheet could not be read at all.
///
/// Problems with single cells do not fail the read; they become
/// [`CellIssue`](crate::CellIssue)s on the [`Sheet`](crate::Sheet).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SheetError {
    /// The file is empty, or holds only blank rows.
    #[error("the file is empty: it has no rows with any content")]
    Empty,
    /// The file is bigger than the upload limit.
    #[error(
        "the file is {bytes} bytes, more than the limit of {limit} bytes; split it into smaller files"
    )]
    TooLarge {
        /// Size of the file.
        bytes: usize,
        /// The limit it exceeds.
        limit: usize,
    },
    /// The file has more data rows than the limit.
    #[error("the file has more than {limit} rows; split it into smaller files")]
    TooManyRows {
        /// The limit on data rows (the header row does not count).
        limit: usize,
    },
    /// A CSV file that is neither UTF-8 nor GB18030 text.
    #[error("line {line}: {detail}")]
    Encoding {
        /// First line (1-based) that could not be decoded.
        line: usize,
        /// What is wrong, for the clerk.
        detail: String,
    },
    /// A CSV file whose structure cannot be parsed.
    #[error("line {line}: {detail}")]
    Csv {
        /// Line (1-based) where the problem starts.
        line: usize,
        /// What is wrong, for the clerk.
        detail: String,
    },
    /// Not a readable XLSX workbook, or one without a worksheet.
    #[error("{detail}")]
    Xlsx {
        /// What is wrong, for the clerk.
        detail: String,
    },
    /// No header row could be found.
    ///
    /// The readers take the first row with any content as the header, so a
    /// file with content always has one and they currently report
    /// [`SheetError::Empty`] instead; the variant stays for callers and for
    /// readers that look for the header more selectively.
    #[error("the file has no header row; the first row with content must name the columns")]
    NoHeader,
    /// A header cell between named columns is empty.
    #[error("column {column_number} of the header row is empty; every column needs a name")]
    EmptyHeader {
        /// 1-based column number (in XLSX, the worksheet column: A is 1).
        column_number: usize,
    },
    /// Two columns have the same name.
    #[error("the header row names the column \"{column}\" more than once")]
    DuplicateHeader {
        /// The repeated name.
        column: String,
    },
}

impl SheetError {
    /// A stable snake_case code for API clients and metrics; the message may
    /// change wording, the code does not.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "sheet_empty",
            Self::TooLarge { .. } => "sheet_too_large",
            Self::TooManyRows { .. } => "sheet_too_many_rows",
            Self::Encoding { .. } => "sheet_encoding",
            Self::Csv { .. } => "sheet_csv",
            Self::Xlsx { .. } => "sheet_xlsx",
            Self::NoHeader => "sheet_no_header",
            Self::EmptyHeader { .. } => "sheet_empty_header",
            Self::DuplicateHeader { .. } => "sheet_duplicate_header",
        }
    }
}

/// A spreadsheet could not be written.
///
/// Only XLSX writing can fail: the format has hard limits that CSV lacks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WriteError {
    /// More rows than an Excel worksheet holds.
    #[error("{rows} rows (with the header) do not fit in one Excel worksheet, which holds {limit}")]
    TooManyRows {
        /// Rows asked for, header included.
        rows: usize,
        /// Excel's limit.
        limit: usize,
    },
    /// More columns than an Excel worksheet holds.
    #[error("{columns} columns do not fit in one Excel worksheet, which holds {limit}")]
    TooManyColumns {
        /// Columns asked for.
        columns: usize,
        /// Excel's limit.
        limit: usize,
    },
    /// A cell longer than Excel accepts.
    #[error(
        "row {line}, column {column_number}: the text has {chars} characters; an Excel cell holds at most {limit}"
    )]
    CellTooLong {
        /// Row as Excel numbers it (the header is row 1).
        line: usize,
        /// 1-based column number.
        column_number: usize,
        /// Length of the text in characters as Excel counts them (UTF-16 units).
        chars: usize,
        /// Excel's limit.
        limit: usize,
    },
    /// The XLSX writer failed for another reason.
    #[error("could not write the workbook: {detail}")]
    Xlsx {
        /// The writer's own message.
        detail: String,
    },
}
