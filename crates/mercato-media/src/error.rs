//! What can go wrong with an upload, worded for the catalog clerk who made it.

use std::error::Error as StdError;

/// The technical cause behind an error, kept for the log; the message itself
/// is what a clerk reads.
pub type Cause = Box<dyn StdError + Send + Sync + 'static>;

/// Why a media file was refused or could not be stored.
///
/// Messages name the file and say what to do, because the back office shows
/// them as they are. The technical detail (decoder or file-system error), when
/// there is one, is the error's `source()`, for the log.
#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    /// The upload has no bytes at all (usually a failed or cancelled upload).
    #[error("{file_name} is empty; upload it again")]
    Empty { file_name: String },

    /// An image was expected but the content is something else.
    #[error(
        "{file_name} is not an image{}; upload a JPEG, PNG, WebP or GIF file",
        looks_like_suffix(*.looks_like)
    )]
    NotAnImage {
        file_name: String,
        /// What the content appears to be instead, e.g. "a ZIP archive".
        looks_like: Option<&'static str>,
    },

    /// A video was expected but the content is something else.
    #[error(
        "{file_name} is not a video{}; upload an MP4, MOV or WebM file",
        looks_like_suffix(*.looks_like)
    )]
    NotAVideo {
        file_name: String,
        looks_like: Option<&'static str>,
    },

    /// A PDF was expected but the content is something else.
    #[error("{file_name} is not a PDF file{}", looks_like_suffix(*.looks_like))]
    NotAPdf {
        file_name: String,
        looks_like: Option<&'static str>,
    },

    /// The content is of the right kind but in a format we do not take
    /// (HEIC photos, TIFF, AVI, …).
    #[error(
        "{file_name} is {what}, which we do not accept; save it as {accepted} and upload it again"
    )]
    UnsupportedFormat {
        file_name: String,
        /// e.g. "a HEIC photo (the iPhone format)".
        what: &'static str,
        /// e.g. "JPEG, PNG, WebP or GIF".
        accepted: &'static str,
    },

    /// The image uses a variant of its format that the decoder cannot read
    /// (arithmetic-coded or 12-bit JPEG, for example).
    #[error(
        "{file_name} uses a kind of {format} we cannot read; open it in an image editor, save it again as a standard {format} and upload it again"
    )]
    UnsupportedVariant {
        file_name: String,
        format: &'static str,
        #[source]
        source: Cause,
    },

    /// The image is wider or taller than [`crate::MAX_IMAGE_SIDE`].
    #[error("{file_name}: image is {width}×{height} pixels; the limit is {max}×{max}")]
    TooManyPixels {
        file_name: String,
        width: u32,
        height: u32,
        max: u32,
    },

    /// Decoding would need more memory than [`crate::MAX_DECODE_BYTES`].
    #[error(
        "{file_name} needs more than {limit_mb} MB of memory to open; save it with fewer pixels (or 8 bits per colour) and upload it again"
    )]
    TooMuchMemory { file_name: String, limit_mb: u64 },

    /// The file starts like an image but its data is broken or cut off.
    #[error(
        "{file_name} is damaged or incomplete and cannot be opened; upload it again or export it anew"
    )]
    Damaged {
        file_name: String,
        #[source]
        source: Cause,
    },

    /// A PDF whose end-of-file marker is missing: almost always an upload or
    /// download that was cut off.
    #[error(
        "{file_name} is an incomplete PDF file (its end is missing); it may have been cut off during upload, so upload it again"
    )]
    PdfIncomplete { file_name: String },

    /// Re-encoding a rendition failed. Not the clerk's fault; the source says why.
    #[error("{file_name} could not be converted for the web shop")]
    Encode {
        file_name: String,
        #[source]
        source: Cause,
    },

    /// A storage key that does not follow the key rules (see [`crate::is_valid_key`]).
    #[error("\"{key}\" is not a valid media file name")]
    InvalidKey { key: String },

    /// The media folder (or bucket) could not be opened, read or written.
    #[error("the media storage could not be {action}")]
    Storage {
        /// "opened", "read" or "written".
        action: &'static str,
        #[source]
        source: Cause,
    },
}

fn looks_like_suffix(looks_like: Option<&'static str>) -> String {
    match looks_like {
        Some(what) => format!(" (it looks like {what})"),
        None => String::new(),
    }
}
