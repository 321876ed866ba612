//! Content addresses and storage keys.
//!
//! A media file is named by the SHA-256 of its bytes, so a URL never changes
//! meaning: it can be cached forever, the same picture uploaded twice is
//! stored once, and a changed picture gets a new URL instead of stale caches.

use sha2::{Digest, Sha256};

/// Lower-case hex SHA-256: media are content-addressed, so URLs are immutable
/// and cacheable forever.
pub fn content_hash(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// `originals/<hash>.<ext>`: the upload exactly as received.
pub fn original_key(hash: &str, ext: &str) -> String {
    format!("originals/{hash}.{ext}")
}

/// `r/<hash>/<name>.<ext>`: a rendition of the original with that hash.
pub fn rendition_key(hash: &str, name: &str, ext: &str) -> String {
    format!("r/{hash}/{name}.{ext}")
}

/// `d/<hash>.pdf`: a PDF document.
pub fn document_key(hash: &str) -> String {
    format!("d/{hash}.pdf")
}

/// `v/<hash>.<ext>`: a video.
pub fn video_key(hash: &str, ext: &str) -> String {
    format!("v/{hash}.{ext}")
}

/// Longer keys are never made by this crate; refusing them keeps file names
/// within every file system's limit.
const MAX_KEY_LEN: usize = 255;

/// Whether `key` may be used with [`crate::MediaStore`].
///
/// Only `[a-z0-9./_-]`, no leading `/`, no empty, `.` or `..` segments and
/// no segment starting with a dot: a key taken from a request path can then
/// never leave the media folder nor reach hidden or temporary files.
pub fn is_valid_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= MAX_KEY_LEN
        && key
            .bytes()
            .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'.' | b'/' | b'_' | b'-'))
        && key
            .split('/')
            .all(|segment| !segment.is_empty() && !segment.starts_with('.'))
}

/// The MIME type to serve a stored file with, from its key's extension.
///
/// Safe to trust here because every key's extension was chosen by sniffing
/// the content when it was stored.
pub fn mime_for_key(key: &str) -> Option<&'static str> {
    let (_, ext) = key.rsplit_once('.')?;
    Some(match ext {
        "jpg" => "image/jpeg",
        "png" => "image/png",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "pdf" => "application/pdf",
        "mp4" => "video/mp4",
        "mov" => "video/quicktime",
        "webm" => "video/webm",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_is_lower_case_hex_sha256() {
        assert_eq!(
            content_hash(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn built_keys_are_valid() {
        let hash = content_hash(b"x");
        for key in [
            original_key(&hash, "jpg"),
            rendition_key(&hash, "list", "webp"),
            document_key(&hash),
            video_key(&hash, "mp4"),
        ] {
            assert!(is_valid_key(&key), "{key}");
        }
    }

    #[test]
    fn escaping_keys_are_invalid() {
        for key in [
            "",
            "/etc/passwd",
            "../secret",
            "r/../../x.jpg",
            "r/..",
            "r//x.jpg",
            "r/x.jpg/",
            "./x.jpg",
            "r/.hidden",
            "R/X.JPG",
            "r\\x.jpg",
            "r/x.jpg%00",
            "r/x y.jpg",
            "r/ä.jpg",
        ] {
            assert!(!is_valid_key(key), "{key:?} should be invalid");
        }
        assert!(!is_valid_key(&"a".repeat(256)));
    }

    #[test]
    fn mime_follows_extension() {
        assert_eq!(mime_for_key("r/ab/list.webp"), Some("image/webp"));
        assert_eq!(mime_for_key("d/ab.pdf"), Some("application/pdf"));
        assert_eq!(mime_for_key("d/ab"), None);
    }
}
