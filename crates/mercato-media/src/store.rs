//! Where media files live.

use std::sync::Arc;

use object_store::local::LocalFileSystem;
use object_store::memory::InMemory;
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt, PutMode, PutOptions};

use crate::error::MediaError;
use crate::key::is_valid_key;

/// Where media files live: a local folder by default (object_store
/// `LocalFileSystem`), S3-compatible later.
///
/// Keys are checked with [`is_valid_key`] on every call, so a key taken from a
/// request path can be passed straight in. Cloning is cheap (shared handle).
#[derive(Clone, Debug)]
pub struct MediaStore {
    inner: Arc<dyn ObjectStore>,
}

impl MediaStore {
    /// Files under `root`, which is created if missing.
    ///
    /// Writes are fsynced: the database commits a reference to a file right
    /// after `put` returns, and a crash must not leave that reference pointing
    /// at a file that was never on disk.
    pub fn local(root: &std::path::Path) -> Result<Self, MediaError> {
        let opened = |e: Box<dyn std::error::Error + Send + Sync>| MediaError::Storage {
            action: "opened",
            source: e,
        };
        std::fs::create_dir_all(root).map_err(|e| opened(Box::new(e)))?;
        let local = LocalFileSystem::new_with_prefix(root)
            .map_err(|e| opened(Box::new(e)))?
            .with_fsync(true);
        Ok(Self {
            inner: Arc::new(local),
        })
    }

    /// Files in memory, gone when the last clone is dropped: for tests of
    /// code that uses a store.
    pub fn in_memory() -> Self {
        Self {
            inner: Arc::new(InMemory::new()),
        }
    }

    /// Stores `bytes` under `key`; idempotent.
    ///
    /// An existing file is left as it is: keys are content addresses, so it
    /// already holds these bytes, and a URL that was served must keep serving
    /// the same bytes (browsers and CDNs cache them forever). Concurrent puts
    /// of the same key are safe; each write is atomic, so a reader never sees
    /// half a file.
    pub async fn put(&self, key: &str, bytes: Vec<u8>) -> Result<(), MediaError> {
        let path = path(key)?;
        if self.exists(key).await? {
            return Ok(());
        }
        let options = PutOptions::from(PutMode::Create);
        match self.inner.put_opts(&path, bytes.into(), options).await {
            Ok(_) | Err(object_store::Error::AlreadyExists { .. }) => Ok(()),
            Err(e) => Err(storage("written", e)),
        }
    }

    /// The bytes stored under `key`, or `None` when there are none.
    pub async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, MediaError> {
        let path = path(key)?;
        let result = match self.inner.get(&path).await {
            Ok(result) => result,
            Err(object_store::Error::NotFound { .. }) => return Ok(None),
            Err(e) => return Err(storage("read", e)),
        };
        let bytes = result.bytes().await.map_err(|e| storage("read", e))?;
        Ok(Some(bytes.to_vec()))
    }

    /// Whether a file is stored under `key`.
    pub async fn exists(&self, key: &str) -> Result<bool, MediaError> {
        let path = path(key)?;
        match self.inner.head(&path).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(e) => Err(storage("read", e)),
        }
    }
}

fn path(key: &str) -> Result<Path, MediaError> {
    let invalid = || MediaError::InvalidKey {
        key: key.to_owned(),
    };
    if !is_valid_key(key) {
        return Err(invalid());
    }
    Path::parse(key).map_err(|_| invalid())
}

fn storage(action: &'static str, error: object_store::Error) -> MediaError {
    MediaError::Storage {
        action,
        source: Box::new(error),
    }
}
