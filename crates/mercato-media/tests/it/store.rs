use mercato_media::{
    MediaError, MediaStore, content_hash, document_key, original_key, rendition_key,
};

#[tokio::test]
async fn put_get_exists_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("media"); // does not exist yet
    let store = MediaStore::local(&root).unwrap();

    let bytes = b"pretend picture".to_vec();
    let key = original_key(&content_hash(&bytes), "jpg");
    assert!(!store.exists(&key).await.unwrap());
    assert_eq!(store.get(&key).await.unwrap(), None);

    store.put(&key, bytes.clone()).await.unwrap();
    assert!(store.exists(&key).await.unwrap());
    assert_eq!(store.get(&key).await.unwrap(), Some(bytes.clone()));
    // The file is where the key says, inside the root.
    assert_eq!(std::fs::read(root.join(&key)).unwrap(), bytes);

    // Idempotent: the same put again is fine and changes nothing.
    store.put(&key, bytes.clone()).await.unwrap();
    assert_eq!(store.get(&key).await.unwrap(), Some(bytes));
}

#[tokio::test]
async fn a_stored_file_is_never_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let store = MediaStore::local(dir.path()).unwrap();
    let key = rendition_key(&content_hash(b"x"), "list", "jpg");
    store.put(&key, b"first".to_vec()).await.unwrap();
    store.put(&key, b"second".to_vec()).await.unwrap();
    assert_eq!(store.get(&key).await.unwrap(), Some(b"first".to_vec()));
}

#[tokio::test]
async fn concurrent_puts_of_one_key_all_succeed() {
    let dir = tempfile::tempdir().unwrap();
    let store = MediaStore::local(dir.path()).unwrap();
    let key = document_key(&content_hash(b"pdf"));
    let puts: Vec<_> = (0..8)
        .map(|_| {
            let store = store.clone();
            let key = key.clone();
            tokio::spawn(async move { store.put(&key, b"pdf".to_vec()).await })
        })
        .collect();
    for put in puts {
        put.await.unwrap().unwrap();
    }
    assert_eq!(store.get(&key).await.unwrap(), Some(b"pdf".to_vec()));
}

#[tokio::test]
async fn keys_that_could_escape_the_folder_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("media");
    let store = MediaStore::local(&root).unwrap();
    std::fs::write(dir.path().join("secret.txt"), b"secret").unwrap();

    for key in [
        "../secret.txt",
        "r/../../secret.txt",
        "/etc/passwd",
        "..",
        "r/./x.jpg",
        "",
    ] {
        let error = store.get(key).await.unwrap_err();
        assert!(
            matches!(error, MediaError::InvalidKey { .. }),
            "{key}: {error:?}"
        );
        assert!(matches!(
            store.exists(key).await.unwrap_err(),
            MediaError::InvalidKey { .. }
        ));
        assert!(matches!(
            store.put(key, b"x".to_vec()).await.unwrap_err(),
            MediaError::InvalidKey { .. }
        ));
    }
    assert_eq!(
        store.get("../secret.txt").await.unwrap_err().to_string(),
        "\"../secret.txt\" is not a valid media file name"
    );
    assert_eq!(
        std::fs::read(dir.path().join("secret.txt")).unwrap(),
        b"secret"
    );
}

#[tokio::test]
async fn a_folder_is_not_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let store = MediaStore::local(dir.path()).unwrap();
    let hash = content_hash(b"y");
    store
        .put(&rendition_key(&hash, "list", "jpg"), b"y".to_vec())
        .await
        .unwrap();
    // "r/<hash>" is a directory on disk; asking for it must not fail oddly.
    let folder = format!("r/{hash}");
    assert!(!store.exists(&folder).await.unwrap());
    assert_eq!(store.get(&folder).await.unwrap(), None);
}

#[tokio::test]
async fn the_in_memory_store_behaves_the_same() {
    let store = MediaStore::in_memory();
    store.put("d/abc.pdf", b"%PDF-".to_vec()).await.unwrap();
    assert!(store.exists("d/abc.pdf").await.unwrap());
    assert_eq!(store.get("d/missing.pdf").await.unwrap(), None);
    assert!(store.get("../x").await.is_err());
}
