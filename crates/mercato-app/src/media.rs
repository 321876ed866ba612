//! Product media: checking uploaded files, making image renditions, and
//! putting them into the media store (content-addressed, so a file's URL
//! never changes and can be cached forever).

use crate::{App, AppError};
use mercato_core::{LocalizedText, MediaId};
use mercato_media::{
    MediaStore, content_hash, document_key, original_key, rendition_key, video_key,
};
use mercato_store::catalog::{MediaRecord, RenditionRef};

/// A checked file, with its bytes (and renditions) until they are stored.
#[derive(Clone, Debug)]
pub struct MediaFile {
    pub file_name: String,
    pub hash: String,
    pub mime: String,
    pub byte_size: i64,
    pub width: Option<i32>,
    pub height: Option<i32>,
    pub renditions: Vec<RenditionRef>,
    /// `(key, bytes)` still to be written; empty for a file already stored.
    pub pending: Vec<(String, Vec<u8>)>,
}

impl MediaFile {
    /// A file that is already stored (named by an existing media record).
    pub fn existing(r: &MediaRecord) -> Self {
        Self {
            file_name: r.file_name.clone(),
            hash: r.content_hash.clone().unwrap_or_default(),
            mime: r.mime.clone(),
            byte_size: r.byte_size,
            width: r.width,
            height: r.height,
            renditions: r.renditions.clone(),
            pending: Vec::new(),
        }
    }

    /// The media record for this file at `position` of a product.
    pub fn record(
        &self,
        kind: &str,
        lang: Option<String>,
        title: LocalizedText,
        position: i32,
    ) -> MediaRecord {
        MediaRecord {
            id: MediaId::new(),
            kind: kind.to_string(),
            file_name: self.file_name.clone(),
            content_hash: Some(self.hash.clone()),
            mime: self.mime.clone(),
            byte_size: self.byte_size,
            width: self.width,
            height: self.height,
            url: None,
            lang,
            title,
            alt: LocalizedText::new(),
            renditions: self.renditions.clone(),
            position,
        }
    }
}

/// Media operations of one app.
pub struct MediaService {
    store: Option<MediaStore>,
}

impl MediaService {
    /// The service over the app's media store.
    pub fn new(app: &App) -> Self {
        Self {
            store: app.media_store().cloned(),
        }
    }

    /// Checks a file of `kind` (`image`, `document`, `video`) and prepares
    /// what to store. Image decoding and resizing run on the blocking pool.
    pub async fn prepare(
        &self,
        kind: &str,
        file_name: &str,
        bytes: Vec<u8>,
    ) -> Result<MediaFile, AppError> {
        let hash = content_hash(&bytes);
        let byte_size = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
        let name = file_name.to_string();
        match kind {
            "image" => {
                let h = hash.clone();
                let (img, bytes) = tokio::task::spawn_blocking(move || {
                    mercato_media::process_image(&name, &bytes).map(|i| (i, bytes))
                })
                .await
                .map_err(|e| AppError::Internal(e.to_string()))?
                .map_err(|e| AppError::invalid("file", "not_an_image", e.to_string()))?;
                let mut pending = vec![(original_key(&h, img.ext), bytes)];
                let mut renditions = Vec::new();
                for r in img.renditions {
                    let key = rendition_key(&h, &r.name, r.ext);
                    renditions.push(RenditionRef {
                        name: r.name.clone(),
                        width: r.width,
                        height: r.height,
                        key: key.clone(),
                    });
                    pending.push((key, r.bytes));
                }
                Ok(MediaFile {
                    file_name: file_name.to_string(),
                    hash,
                    mime: img.mime.to_string(),
                    byte_size,
                    width: i32::try_from(img.width).ok(),
                    height: i32::try_from(img.height).ok(),
                    renditions,
                    pending,
                })
            }
            "document" => {
                let (mime, _ext) = mercato_media::check_document(file_name, &bytes)
                    .map_err(|e| AppError::invalid("file", "not_a_document", e.to_string()))?;
                Ok(MediaFile {
                    file_name: file_name.to_string(),
                    hash: hash.clone(),
                    mime: mime.to_string(),
                    byte_size,
                    width: None,
                    height: None,
                    renditions: vec![],
                    pending: vec![(document_key(&hash), bytes)],
                })
            }
            _ => {
                let (mime, ext) = mercato_media::check_video(file_name, &bytes)
                    .map_err(|e| AppError::invalid("file", "not_a_video", e.to_string()))?;
                Ok(MediaFile {
                    file_name: file_name.to_string(),
                    hash: hash.clone(),
                    mime: mime.to_string(),
                    byte_size,
                    width: None,
                    height: None,
                    renditions: vec![],
                    pending: vec![(video_key(&hash, ext), bytes)],
                })
            }
        }
    }

    /// Writes a prepared file's bytes to the store.
    pub async fn store(&self, file: &MediaFile) -> Result<(), AppError> {
        if file.pending.is_empty() {
            return Ok(());
        }
        let store = self
            .store
            .as_ref()
            .ok_or_else(|| AppError::Internal("no media store configured".into()))?;
        for (key, bytes) in &file.pending {
            store
                .put(key, bytes.clone())
                .await
                .map_err(|e| AppError::Internal(e.to_string()))?;
        }
        Ok(())
    }

    /// Reads a stored file by key (`None` when missing or the key is not one of ours).
    pub async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, AppError> {
        if !mercato_media::is_valid_key(key) {
            return Ok(None);
        }
        match &self.store {
            Some(s) => s
                .get(key)
                .await
                .map_err(|e| AppError::Internal(e.to_string())),
            None => Ok(None),
        }
    }
}

/// The content type of a stored file by its key's extension.
pub fn mime_for_key(key: &str) -> &'static str {
    mercato_media::mime_for_key(key).unwrap_or("application/octet-stream")
}
