//! PDF documents (datasheets, safety data sheets, certificates).

use crate::error::MediaError;
use crate::kind::{MediaKind, describe, sniff};

/// How far from the end the `%%EOF` marker may be. Writers add a line break or
/// a few bytes of padding after it; PDF readers look in the last kilobyte too.
const EOF_WINDOW: usize = 1024;

/// Checks that `bytes` are a complete PDF (header `%PDF-` and an `%%EOF`
/// near the end) and returns its MIME type and extension.
///
/// This is a cheap plausibility check, not a PDF parser: it catches files that
/// are something else under a `.pdf` name and uploads that were cut off,
/// which are the mistakes clerks make.
pub fn check_document(
    file_name: &str,
    bytes: &[u8],
) -> Result<(&'static str, &'static str), MediaError> {
    let file_name = file_name.to_owned();
    if bytes.is_empty() {
        return Err(MediaError::Empty { file_name });
    }
    match sniff(bytes) {
        Some((MediaKind::Document, mime, ext)) => {
            let tail = &bytes[bytes.len().saturating_sub(EOF_WINDOW)..];
            if tail.windows(5).any(|w| w == b"%%EOF") {
                Ok((mime, ext))
            } else {
                Err(MediaError::PdfIncomplete { file_name })
            }
        }
        _ => Err(MediaError::NotAPdf {
            file_name,
            looks_like: describe(bytes).map(|f| f.what),
        }),
    }
}
