use mercato_media::{MediaError, check_video};

use crate::fixtures;

#[test]
fn mp4_mov_and_webm_pass() {
    assert_eq!(
        check_video("demo.mp4", &fixtures::ftyp(b"isom")).unwrap(),
        ("video/mp4", "mp4")
    );
    assert_eq!(
        check_video("demo.mov", &fixtures::ftyp(b"qt  ")).unwrap(),
        ("video/quicktime", "mov")
    );
    assert_eq!(
        check_video("demo.webm", &fixtures::ebml(b"webm")).unwrap(),
        ("video/webm", "webm")
    );
}

#[test]
fn other_files_are_refused() {
    let error = check_video("demo.mp4", &fixtures::jpeg(8, 8)).unwrap_err();
    assert!(matches!(error, MediaError::NotAVideo { .. }), "{error:?}");
    assert_eq!(
        error.to_string(),
        "demo.mp4 is not a video (it looks like a JPEG image); upload an MP4, MOV or WebM file"
    );
    // A HEIC photo has an MP4-style header but is no video.
    let error = check_video("clip.mp4", &fixtures::ftyp(b"heic")).unwrap_err();
    assert!(
        error.to_string().contains("it looks like a HEIC photo"),
        "{error}"
    );
}

#[test]
fn mkv_is_named_with_a_way_out() {
    let error = check_video("clip.mkv", &fixtures::ebml(b"matroska")).unwrap_err();
    assert_eq!(
        error.to_string(),
        "clip.mkv is a Matroska (MKV) video, which we do not accept; save it as MP4 or WebM and upload it again"
    );
}
