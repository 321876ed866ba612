//! Telling what a file is from its content.
//!
//! File names lie (a clerk renames `bolt.zip` to `bolt.jpg`, a phone names a
//! HEIC photo `.jpg`), and a browser trusts the type we serve, so the type is
//! always read from the first bytes, never from the name.

/// The kinds of product media the catalog holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MediaKind {
    /// A picture: JPEG, PNG, WebP or GIF.
    Image,
    /// A clip: MP4, MOV or WebM.
    Video,
    /// A PDF document such as a datasheet or a safety data sheet.
    Document,
}

impl MediaKind {
    /// A stable lower-case name, for storage and APIs.
    pub fn as_str(self) -> &'static str {
        match self {
            MediaKind::Image => "image",
            MediaKind::Video => "video",
            MediaKind::Document => "document",
        }
    }
}

/// Sniffs content (magic bytes), not the file name: JPEG, PNG, WebP, GIF →
/// Image; MP4/MOV (`ftyp`), WebM (EBML) → Video; PDF (`%PDF-`) → Document.
///
/// Returns the kind, the MIME type to serve it with and the file extension to
/// store it under, or `None` for anything we do not accept.
pub fn sniff(bytes: &[u8]) -> Option<(MediaKind, &'static str, &'static str)> {
    use MediaKind::{Document, Image, Video};
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some((Image, "image/jpeg", "jpg"));
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some((Image, "image/png", "png"));
    }
    if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        return Some((Image, "image/gif", "gif"));
    }
    if riff_form(bytes) == Some(*b"WEBP") {
        return Some((Image, "image/webp", "webp"));
    }
    if bytes.starts_with(b"%PDF-") {
        return Some((Document, "application/pdf", "pdf"));
    }
    match ftyp_brand(bytes) {
        Some(brand) => match classify_brand(&brand) {
            Brand::Mp4 => return Some((Video, "video/mp4", "mp4")),
            Brand::QuickTime => return Some((Video, "video/quicktime", "mov")),
            Brand::Heif | Brand::Avif | Brand::Audio => {}
        },
        None => {
            if ebml_doc_type(bytes) == Some(EbmlDocType::WebM) {
                return Some((Video, "video/webm", "webm"));
            }
        }
    }
    None
}

/// What a file we do not accept seems to be, for a helpful error message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Foreign {
    /// With an article, e.g. "a ZIP archive".
    pub what: &'static str,
    /// The kind it would belong to if we accepted its format, so that
    /// "HEIC photo" is reported as an unsupported image format rather than as
    /// "not an image".
    pub near: Option<MediaKind>,
}

/// Describes any content in a few words: ours (via [`sniff`]) or a common
/// foreign format. `None` when nothing is recognised.
pub(crate) fn describe(bytes: &[u8]) -> Option<Foreign> {
    if let Some((_, mime, _)) = sniff(bytes) {
        let what = match mime {
            "image/jpeg" => "a JPEG image",
            "image/png" => "a PNG image",
            "image/gif" => "a GIF image",
            "image/webp" => "a WebP image",
            "application/pdf" => "a PDF document",
            "video/mp4" => "an MP4 video",
            "video/quicktime" => "a QuickTime (MOV) video",
            _ => "a WebM video",
        };
        return Some(Foreign { what, near: None });
    }
    let foreign = |what, near| Some(Foreign { what, near });
    if let Some(brand) = ftyp_brand(bytes) {
        return match classify_brand(&brand) {
            Brand::Heif => foreign("a HEIC photo (the iPhone format)", Some(MediaKind::Image)),
            Brand::Avif => foreign("an AVIF image", Some(MediaKind::Image)),
            Brand::Audio => foreign("an audio file", None),
            // Unreachable: sniff accepted these above.
            Brand::Mp4 | Brand::QuickTime => foreign("a video", Some(MediaKind::Video)),
        };
    }
    if ebml_doc_type(bytes) == Some(EbmlDocType::Other) {
        return foreign("a Matroska (MKV) video", Some(MediaKind::Video));
    }
    match riff_form(bytes) {
        Some(form) if &form == b"AVI " => return foreign("an AVI video", Some(MediaKind::Video)),
        Some(form) if &form == b"WAVE" => return foreign("a WAV audio file", None),
        _ => {}
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return Some(describe_zip(bytes));
    }
    const SIGNATURES: &[(&[u8], &str, Option<MediaKind>)] = &[
        (
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
            "an old Microsoft Office file (.doc, .xls)",
            None,
        ),
        (b"II*\0", "a TIFF image", Some(MediaKind::Image)),
        (b"MM\0*", "a TIFF image", Some(MediaKind::Image)),
        (b"8BPS", "a Photoshop file", Some(MediaKind::Image)),
        (b"\x1F\x8B", "a gzip archive", None),
        (b"Rar!\x1A\x07", "a RAR archive", None),
        (b"7z\xBC\xAF\x27\x1C", "a 7-Zip archive", None),
        (b"MZ", "a Windows program", None),
        (b"\x7FELF", "a Linux program", None),
        (b"ID3", "an MP3 audio file", None),
        (b"OggS", "an Ogg audio or video file", None),
        (b"{\\rtf", "an RTF text document", None),
    ];
    for (magic, what, near) in SIGNATURES {
        if bytes.starts_with(magic) {
            return foreign(what, *near);
        }
    }
    if bytes.starts_with(b"BM") && bytes.len() > 14 && [12, 40, 56, 108, 124].contains(&bytes[14]) {
        return foreign("a BMP image", Some(MediaKind::Image));
    }
    describe_text(bytes)
}

/// Office documents are ZIP archives; naming them helps the clerk more than
/// "ZIP archive" does. Their part names are stored uncompressed in the local
/// headers near the start.
fn describe_zip(bytes: &[u8]) -> Foreign {
    let head = &bytes[..bytes.len().min(8192)];
    let what = if contains(head, b"word/") {
        "a Word document"
    } else if contains(head, b"xl/") {
        "an Excel workbook"
    } else if contains(head, b"ppt/") {
        "a PowerPoint presentation"
    } else if contains(head, b"application/vnd.oasis.opendocument") {
        "an OpenDocument file"
    } else {
        "a ZIP archive"
    };
    Foreign { what, near: None }
}

fn describe_text(bytes: &[u8]) -> Option<Foreign> {
    let head = &bytes[..bytes.len().min(1024)];
    let text = match std::str::from_utf8(head) {
        Ok(text) => text,
        // The cut may fall inside a multi-byte character.
        Err(e) if e.error_len().is_none() => std::str::from_utf8(&head[..e.valid_up_to()]).ok()?,
        Err(_) => return None,
    };
    if text.is_empty()
        || text
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return None;
    }
    let lower = text
        .trim_start_matches('\u{FEFF}')
        .trim_start()
        .to_ascii_lowercase();
    let what = if lower.contains("<svg") {
        // SVG can carry scripts, so it is refused as an upload even though
        // browsers show it.
        return Some(Foreign {
            what: "an SVG drawing",
            near: Some(MediaKind::Image),
        });
    } else if lower.starts_with("<!doctype html") || lower.starts_with("<html") {
        "a web page (HTML)"
    } else {
        "a text file"
    };
    Some(Foreign { what, near: None })
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The form type of a RIFF container (`WEBP`, `AVI `, `WAVE`).
fn riff_form(bytes: &[u8]) -> Option<[u8; 4]> {
    if bytes.len() >= 12 && bytes.starts_with(b"RIFF") {
        let mut form = [0; 4];
        form.copy_from_slice(&bytes[8..12]);
        Some(form)
    } else {
        None
    }
}

/// The major brand of an ISO base media file (MP4, MOV, HEIC, AVIF, M4A):
/// bytes 4..8 are `ftyp`, bytes 8..12 the brand.
fn ftyp_brand(bytes: &[u8]) -> Option<[u8; 4]> {
    if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        let mut brand = [0; 4];
        brand.copy_from_slice(&bytes[8..12]);
        Some(brand)
    } else {
        None
    }
}

enum Brand {
    Mp4,
    QuickTime,
    Heif,
    Avif,
    Audio,
}

/// HEIC and AVIF share the `ftyp` box with MP4; without this an iPhone photo
/// would be taken for a video.
fn classify_brand(brand: &[u8; 4]) -> Brand {
    match brand {
        b"qt  " => Brand::QuickTime,
        b"heic" | b"heix" | b"heim" | b"heis" | b"hevc" | b"hevx" | b"mif1" | b"msf1" => {
            Brand::Heif
        }
        b"avif" | b"avis" => Brand::Avif,
        b"M4A " | b"M4B " | b"M4P " => Brand::Audio,
        // isom, iso2…iso9, mp41, mp42, avc1, M4V, 3gp*, dash, …
        _ => Brand::Mp4,
    }
}

#[derive(Debug, PartialEq, Eq)]
enum EbmlDocType {
    WebM,
    Other,
}

/// WebM and Matroska share the EBML header and differ by its DocType; only
/// WebM plays in every browser.
fn ebml_doc_type(bytes: &[u8]) -> Option<EbmlDocType> {
    if !bytes.starts_with(&[0x1A, 0x45, 0xDF, 0xA3]) {
        return None;
    }
    let head = &bytes[..bytes.len().min(64)];
    if contains(head, b"webm") {
        Some(EbmlDocType::WebM)
    } else {
        Some(EbmlDocType::Other)
    }
}
