//! Turning the bytes of an uploaded CSV file into text.
//!
//! Clerks upload whatever their spreadsheet program wrote. Excel's "CSV UTF-8"
//! writes UTF-8 with a byte-order mark; plain "CSV" on a Chinese Windows writes
//! GBK; "Unicode Text" writes UTF-16 with a byte-order mark. We accept all of
//! these and say which one we used, so the import report can explain odd
//! characters instead of silently storing mojibake.

use std::borrow::Cow;

use encoding_rs::{GB18030, UTF_16BE, UTF_16LE};

use crate::error::SheetError;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";
const UTF16LE_BOM: &[u8] = b"\xFF\xFE";
const UTF16BE_BOM: &[u8] = b"\xFE\xFF";

/// How the text of a sheet was stored in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextEncoding {
    /// UTF-8 without a byte-order mark.
    Utf8,
    /// UTF-8 with a byte-order mark (Excel's "CSV UTF-8").
    Utf8Bom,
    /// GB18030, the superset of GBK that Chinese Windows Excel writes for plain "CSV".
    Gb18030,
    /// Not text at all: an XLSX workbook, whose strings are always Unicode.
    Binary,
    /// UTF-16 little-endian with a byte-order mark (Excel's "Unicode Text").
    Utf16Le,
    /// UTF-16 big-endian with a byte-order mark.
    Utf16Be,
}

/// Decoded text, the encoding it came from, and a note for the import report
/// when the encoding is one the clerk should know about.
#[derive(Debug)]
pub(crate) struct Decoded<'a> {
    pub text: Cow<'a, str>,
    pub encoding: TextEncoding,
    pub note: Option<String>,
}

/// Decodes CSV bytes: BOM-marked UTF-8/UTF-16 first, then plain UTF-8, then GB18030.
///
/// Plain UTF-8 is tried before GB18030 because GBK text is almost never valid
/// UTF-8 (its lead bytes 0x81–0xFE are followed by bytes UTF-8 forbids there),
/// while UTF-8 Chinese text often *is* valid GB18030 and would turn into
/// nonsense if we tried GB18030 first.
pub(crate) fn decode(bytes: &[u8]) -> Result<Decoded<'_>, SheetError> {
    if let Some(rest) = bytes.strip_prefix(UTF8_BOM) {
        // The BOM says UTF-8; bytes that are not are damage, not another encoding.
        return match std::str::from_utf8(rest) {
            Ok(text) => Ok(Decoded {
                text: Cow::Borrowed(text),
                encoding: TextEncoding::Utf8Bom,
                note: None,
            }),
            Err(err) => Err(SheetError::Encoding {
                line: line_of_offset(rest, err.valid_up_to()),
                detail: "the file says it is UTF-8 but this line contains bytes that are not \
                         UTF-8; the file may be damaged"
                    .to_owned(),
            }),
        };
    }
    if let Some(rest) = bytes.strip_prefix(UTF16LE_BOM) {
        return decode_utf16(rest, TextEncoding::Utf16Le);
    }
    if let Some(rest) = bytes.strip_prefix(UTF16BE_BOM) {
        return decode_utf16(rest, TextEncoding::Utf16Be);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(Decoded {
            text: Cow::Borrowed(text),
            encoding: TextEncoding::Utf8,
            note: None,
        });
    }
    if let Some(text) = GB18030.decode_without_bom_handling_and_without_replacement(bytes) {
        return Ok(Decoded {
            text,
            encoding: TextEncoding::Gb18030,
            note: Some(
                "file was GBK-encoded (typical of Chinese Excel); read as GB18030".to_owned(),
            ),
        });
    }
    Err(first_undecodable_line(bytes))
}

fn decode_utf16(rest: &[u8], encoding: TextEncoding) -> Result<Decoded<'_>, SheetError> {
    let coder = if encoding == TextEncoding::Utf16Le {
        UTF_16LE
    } else {
        UTF_16BE
    };
    if let Some(text) = coder.decode_without_bom_handling_and_without_replacement(rest) {
        return Ok(Decoded {
            text,
            encoding,
            note: Some("file was UTF-16 (Excel \"Unicode Text\"); read as UTF-16".to_owned()),
        });
    }
    // Line breaks are two bytes wide in UTF-16, so find the bad line in the
    // replaced text rather than in the bytes.
    let (lossy, _) = coder.decode_without_bom_handling(rest);
    let line = lossy
        .lines()
        .position(|l| l.contains('\u{FFFD}'))
        .map_or(1, |i| i + 1);
    Err(SheetError::Encoding {
        line,
        detail: "the file says it is UTF-16 but this line is not valid UTF-16; the file may be \
                 damaged"
            .to_owned(),
    })
}

/// Names the first line that is neither UTF-8 nor GB18030.
///
/// Splitting the raw bytes at `\n` is safe for both encodings: neither uses
/// 0x0A inside a multi-byte character.
fn first_undecodable_line(bytes: &[u8]) -> SheetError {
    let mut first_non_utf8 = None;
    for (index, line) in bytes.split(|&b| b == b'\n').enumerate() {
        let utf8 = std::str::from_utf8(line).is_ok();
        if utf8 {
            continue;
        }
        first_non_utf8.get_or_insert(index + 1);
        if GB18030
            .decode_without_bom_handling_and_without_replacement(line)
            .is_none()
        {
            return SheetError::Encoding {
                line: index + 1,
                detail: "this line is neither UTF-8 nor GBK/GB18030 text; in Excel use \
                         \"Save As\" → \"CSV UTF-8\" and upload again"
                    .to_owned(),
            };
        }
    }
    // Every line on its own is fine, but the file mixes UTF-8 and GBK lines
    // (typically two files pasted together); point at the first GBK line.
    SheetError::Encoding {
        line: first_non_utf8.unwrap_or(1),
        detail: "the file mixes UTF-8 and GBK text and this is the first line that is not \
                 UTF-8; in Excel use \"Save As\" → \"CSV UTF-8\" and upload again"
            .to_owned(),
    }
}

/// 1-based line number of a byte offset.
fn line_of_offset(bytes: &[u8], offset: usize) -> usize {
    let end = offset.min(bytes.len());
    bytes[..end].iter().filter(|&&b| b == b'\n').count() + 1
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn plain_utf8_is_borrowed() {
        let decoded = decode("sku,名称\n".as_bytes()).unwrap();
        assert_eq!(decoded.encoding, TextEncoding::Utf8);
        assert!(matches!(decoded.text, Cow::Borrowed(_)));
        assert!(decoded.note.is_none());
    }

    #[test]
    fn bom_is_stripped() {
        let decoded = decode(b"\xEF\xBB\xBFsku\n").unwrap();
        assert_eq!(decoded.encoding, TextEncoding::Utf8Bom);
        assert_eq!(decoded.text, "sku\n");
    }

    #[test]
    fn damaged_utf8_after_bom_names_the_line() {
        let err = decode(b"\xEF\xBB\xBFsku\nok\nbad \xFF\n").unwrap_err();
        assert!(
            matches!(err, SheetError::Encoding { line: 3, .. }),
            "{err:?}"
        );
    }

    #[test]
    fn utf16le_with_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "sku\t名称\r\n".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        let decoded = decode(&bytes).unwrap();
        assert_eq!(decoded.encoding, TextEncoding::Utf16Le);
        assert_eq!(decoded.text, "sku\t名称\r\n");
        assert!(decoded.note.is_some());
    }

    #[test]
    fn mixed_file_points_at_first_gbk_line() {
        // "名" alone on a line is UTF-8 that is not valid GB18030 (its third
        // byte 0x8D would need a trail byte, and gets '\n'), so the whole file
        // is neither encoding while each line is one of them.
        let (gbk, _, _) = encoding_rs::GBK.encode("螺栓");
        let mut bytes = "名\n".as_bytes().to_vec();
        bytes.extend_from_slice(&gbk);
        bytes.push(b'\n');
        let err = decode(&bytes).unwrap_err();
        assert!(
            matches!(err, SheetError::Encoding { line: 2, .. }),
            "{err:?}"
        );
    }

    #[test]
    fn line_of_offset_counts_newlines() {
        assert_eq!(line_of_offset(b"a\nb\nc", 0), 1);
        assert_eq!(line_of_offset(b"a\nb\nc", 2), 2);
        assert_eq!(line_of_offset(b"a\nb\nc", 4), 3);
        assert_eq!(line_of_offset(b"a", 99), 1);
    }
}
