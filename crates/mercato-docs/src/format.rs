//! Telling a CSV upload from an XLSX upload.

/// The kind of spreadsheet file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SheetFormat {
    /// Comma-, semicolon- or tab-separated text.
    Csv,
    /// An Office Open XML workbook (`.xlsx`, `.xlsm`).
    Xlsx,
}

/// Zip local-file header: every XLSX file starts with it.
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
/// OLE compound file: old `.xls` workbooks and password-protected `.xlsx`.
/// Routed to the XLSX reader, which explains what to do with them.
const CFB_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// Decides how to read an upload: by content first, file name extension second.
///
/// Content wins because browsers and clerks rename files freely ("products.csv"
/// that is really a workbook is common); the extension only decides for bytes
/// that carry no signature, where an `.xlsx`/`.xlsm`/`.xls` name means the
/// clerk expects a workbook and should get a workbook error rather than a page
/// of garbled CSV rows.
#[must_use]
pub fn detect_format(file_name: Option<&str>, bytes: &[u8]) -> SheetFormat {
    if bytes.starts_with(ZIP_MAGIC) || bytes.starts_with(CFB_MAGIC) {
        return SheetFormat::Xlsx;
    }
    let extension = file_name
        .and_then(|name| name.rsplit_once('.'))
        .map(|(_, ext)| ext.trim().to_ascii_lowercase());
    match extension.as_deref() {
        Some("xlsx" | "xlsm" | "xltx" | "xltm" | "xls") => SheetFormat::Xlsx,
        _ => SheetFormat::Csv,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zip_content_wins_over_name() {
        assert_eq!(
            detect_format(Some("products.csv"), b"PK\x03\x04rest"),
            SheetFormat::Xlsx
        );
    }

    #[test]
    fn old_excel_goes_to_xlsx_reader() {
        assert_eq!(detect_format(None, CFB_MAGIC), SheetFormat::Xlsx);
    }

    #[test]
    fn extension_decides_for_plain_bytes() {
        assert_eq!(detect_format(Some("A.XLSX"), b"sku"), SheetFormat::Xlsx);
        assert_eq!(detect_format(Some("a.csv"), b"sku"), SheetFormat::Csv);
        assert_eq!(detect_format(Some("a.txt"), b"sku"), SheetFormat::Csv);
        assert_eq!(detect_format(Some("noext"), b"sku"), SheetFormat::Csv);
        assert_eq!(detect_format(None, b""), SheetFormat::Csv);
    }
}
