use mercato_media::{MediaKind, demo_datasheet_pdf, sniff};

use crate::fixtures;

#[test]
fn images_are_recognised_by_content() {
    assert_eq!(
        sniff(&fixtures::jpeg(8, 8)),
        Some((MediaKind::Image, "image/jpeg", "jpg"))
    );
    assert_eq!(
        sniff(&fixtures::png_with_alpha(8, 8)),
        Some((MediaKind::Image, "image/png", "png"))
    );
    assert_eq!(
        sniff(&fixtures::webp(8, 8)),
        Some((MediaKind::Image, "image/webp", "webp"))
    );
    assert_eq!(
        sniff(&fixtures::gif(8, 8)),
        Some((MediaKind::Image, "image/gif", "gif"))
    );
}

#[test]
fn videos_are_recognised_by_content() {
    assert_eq!(
        sniff(&fixtures::ftyp(b"isom")),
        Some((MediaKind::Video, "video/mp4", "mp4"))
    );
    assert_eq!(
        sniff(&fixtures::ftyp(b"mp42")),
        Some((MediaKind::Video, "video/mp4", "mp4"))
    );
    assert_eq!(
        sniff(&fixtures::ftyp(b"qt  ")),
        Some((MediaKind::Video, "video/quicktime", "mov"))
    );
    assert_eq!(
        sniff(&fixtures::ebml(b"webm")),
        Some((MediaKind::Video, "video/webm", "webm"))
    );
}

#[test]
fn pdfs_are_documents() {
    let pdf = demo_datasheet_pdf("M8 hex bolt", &["Steel 8.8".to_owned()]);
    assert_eq!(
        sniff(&pdf),
        Some((MediaKind::Document, "application/pdf", "pdf"))
    );
}

#[test]
fn everything_else_is_refused() {
    let garbage: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    for bytes in [
        Vec::new(),
        vec![0xFF],
        vec![0xFF, 0xD8],
        b"hello, world".to_vec(),
        b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>".to_vec(),
        fixtures::zip(),
        // iPhone photos and AVIF share the MP4 container but are not videos.
        fixtures::ftyp(b"heic"),
        fixtures::ftyp(b"mif1"),
        fixtures::ftyp(b"avif"),
        fixtures::ftyp(b"M4A "),
        // Matroska plays in few browsers; only its WebM profile is taken.
        fixtures::ebml(b"matroska"),
        b"RIFF\0\0\0\0AVI LIST".to_vec(),
        garbage,
    ] {
        assert_eq!(sniff(&bytes), None, "{:?}", &bytes[..bytes.len().min(16)]);
    }
}

#[test]
fn the_file_name_plays_no_part() {
    // sniff takes no name at all; this documents why: a renamed ZIP is still a ZIP.
    assert_eq!(sniff(&fixtures::zip()), None);
}
