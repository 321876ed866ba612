//! Product media: pictures, videos and PDF documents.
//!
//! Uploads are checked by content ([`sniff`]), never by file name. Pictures
//! are decoded under decompression-bomb limits and re-encoded into the
//! [`RENDITIONS`] the shop shows ([`process_image`]); videos and PDFs are
//! checked ([`check_video`], [`check_document`]) and kept as uploaded. Every
//! file is stored under a key built from its [`content_hash`], so URLs never
//! change meaning and can be cached forever ([`MediaStore`]).
//!
//! No HTTP and no database here: the app layer decides what to keep, runs
//! [`process_image`] on the blocking pool, and serves stored keys.
//!
//! ```no_run
//! use mercato_media::{MediaError, MediaStore, content_hash, original_key, process_image, rendition_key};
//!
//! /// What an upload handler does with a picture: returns the key of its list-size rendition.
//! async fn upload_picture(store: &MediaStore, name: String, bytes: Vec<u8>) -> Result<String, MediaError> {
//!     let hash = content_hash(&bytes);
//!     let (processed, bytes) = tokio::task::spawn_blocking(move || {
//!         process_image(&name, &bytes).map(|p| (p, bytes))
//!     })
//!     .await
//!     .expect("process_image does not panic")?;
//!     store.put(&original_key(&hash, processed.ext), bytes).await?;
//!     for r in &processed.renditions {
//!         store.put(&rendition_key(&hash, &r.name, r.ext), r.bytes.clone()).await?;
//!     }
//!     let list = &processed.renditions[0];
//!     Ok(rendition_key(&hash, &list.name, list.ext))
//! }
//! ```
//!
//! The demo catalog draws its own pictures ([`demo_picture`]) and writes its
//! own datasheets ([`demo_datasheet_pdf`]).

#![forbid(unsafe_code)]

mod demo_datasheet;
mod demo_picture;
mod document;
mod error;
mod key;
mod kind;
mod rendition;
mod store;
mod video;

pub use demo_datasheet::demo_datasheet_pdf;
pub use demo_picture::{DemoShape, demo_picture};
pub use document::check_document;
pub use error::{Cause, MediaError};
pub use key::{
    content_hash, document_key, is_valid_key, mime_for_key, original_key, rendition_key, video_key,
};
pub use kind::{MediaKind, sniff};
pub use rendition::{
    JPEG_QUALITY, MAX_DECODE_BYTES, MAX_IMAGE_SIDE, ProcessedImage, RENDITIONS, Rendition,
    RenditionSpec, process_image,
};
pub use store::MediaStore;
pub use video::check_video;
