//! Product videos.

use crate::error::MediaError;
use crate::kind::{MediaKind, describe, sniff};

/// Checks that `bytes` are a video we serve (MP4, MOV or WebM, by content)
/// and returns its MIME type and extension.
///
/// Videos are stored as uploaded, not transcoded: that would need ffmpeg,
/// and clerks upload clips their marketing team already exported for the web.
pub fn check_video(
    file_name: &str,
    bytes: &[u8],
) -> Result<(&'static str, &'static str), MediaError> {
    let file_name = file_name.to_owned();
    if bytes.is_empty() {
        return Err(MediaError::Empty { file_name });
    }
    match sniff(bytes) {
        Some((MediaKind::Video, mime, ext)) => Ok((mime, ext)),
        _ => match describe(bytes) {
            Some(foreign) if foreign.near == Some(MediaKind::Video) => {
                Err(MediaError::UnsupportedFormat {
                    file_name,
                    what: foreign.what,
                    accepted: "MP4 or WebM",
                })
            }
            other => Err(MediaError::NotAVideo {
                file_name,
                looks_like: other.map(|f| f.what),
            }),
        },
    }
}
