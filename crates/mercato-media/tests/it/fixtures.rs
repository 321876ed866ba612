//! Test files made on the fly, so the repository holds no binary fixtures.

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::{DynamicImage, ImageEncoder, Rgb, RgbImage, Rgba, RgbaImage};

/// An opaque photo-like gradient.
pub fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let picture = RgbImage::from_fn(width, height, |x, y| {
        Rgb([(x % 256) as u8, (y % 256) as u8, ((x + y) % 256) as u8])
    });
    let mut bytes = Vec::new();
    JpegEncoder::new_with_quality(&mut bytes, 90)
        .encode_image(&picture)
        .unwrap();
    bytes
}

/// A disc on a fully transparent background (a cut-out product shot).
pub fn png_with_alpha(width: u32, height: u32) -> Vec<u8> {
    let (cx, cy, r) = (
        width as f32 / 2.0,
        height as f32 / 2.0,
        width.min(height) as f32 / 3.0,
    );
    let picture = RgbaImage::from_fn(width, height, |x, y| {
        let inside = (x as f32 - cx).hypot(y as f32 - cy) < r;
        if inside {
            Rgba([200, 40, 40, 255])
        } else {
            Rgba([0, 0, 0, 0])
        }
    });
    png(&DynamicImage::ImageRgba8(picture))
}

/// An RGBA PNG whose alpha is 255 everywhere.
pub fn png_opaque_rgba(width: u32, height: u32) -> Vec<u8> {
    let picture = RgbaImage::from_pixel(width, height, Rgba([10, 120, 200, 255]));
    png(&DynamicImage::ImageRgba8(picture))
}

pub fn png(picture: &DynamicImage) -> Vec<u8> {
    let mut bytes = Vec::new();
    PngEncoder::new(&mut bytes)
        .write_image(
            picture.as_bytes(),
            picture.width(),
            picture.height(),
            picture.color().into(),
        )
        .unwrap();
    bytes
}

pub fn webp(width: u32, height: u32) -> Vec<u8> {
    let picture =
        DynamicImage::ImageRgba8(RgbaImage::from_pixel(width, height, Rgba([1, 2, 3, 4])));
    let mut bytes = Vec::new();
    picture
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::WebP,
        )
        .unwrap();
    bytes
}

/// Photo-like content, so that the compressed data is long.
fn noisy(width: u32, height: u32) -> DynamicImage {
    DynamicImage::ImageRgba8(RgbaImage::from_fn(width, height, |x, y| {
        let v = x.wrapping_mul(2_654_435_761) ^ y.wrapping_mul(40_503);
        Rgba([v as u8, (v >> 8) as u8, (x + y) as u8, 255])
    }))
}

pub fn webp_photo(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = Vec::new();
    noisy(width, height)
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::WebP,
        )
        .unwrap();
    bytes
}

pub fn gif_photo(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = Vec::new();
    noisy(width, height)
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Gif,
        )
        .unwrap();
    bytes
}

pub fn gif(width: u32, height: u32) -> Vec<u8> {
    let picture =
        DynamicImage::ImageRgba8(RgbaImage::from_pixel(width, height, Rgba([9, 9, 9, 255])));
    let mut bytes = Vec::new();
    picture
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Gif,
        )
        .unwrap();
    bytes
}

/// A PNG whose header claims `width`×`height` and that has no pixel data: a
/// decompression bomb as far as any reader that trusts the header knows.
pub fn png_header_only(width: u32, height: u32) -> Vec<u8> {
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 6, 0, 0, 0]); // 8-bit RGBA
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend_from_slice(&chunk(b"IHDR", &ihdr));
    bytes.extend_from_slice(&chunk(b"IEND", &[]));
    bytes
}

fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = (data.len() as u32).to_be_bytes().to_vec();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let mut crc_input = kind.to_vec();
    crc_input.extend_from_slice(data);
    out.extend_from_slice(&crc32(&crc_input).to_be_bytes());
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// `jpeg` with the frame header's size overwritten: a JPEG bomb.
pub fn jpeg_claiming(width: u16, height: u16) -> Vec<u8> {
    let mut bytes = jpeg(16, 16);
    let sof = bytes
        .windows(2)
        .position(|w| w == [0xFF, 0xC0])
        .expect("baseline JPEG has SOF0");
    // FF C0, length (2), precision (1), height (2), width (2).
    bytes[sof + 5..sof + 7].copy_from_slice(&height.to_be_bytes());
    bytes[sof + 7..sof + 9].copy_from_slice(&width.to_be_bytes());
    bytes
}

/// `jpeg` with an EXIF block saying "rotate 90° clockwise to display", as
/// phones write for portrait photos.
pub fn jpeg_with_orientation(width: u32, height: u32, orientation: u16) -> Vec<u8> {
    let bytes = jpeg(width, height);
    let mut exif = b"Exif\0\0".to_vec();
    exif.extend_from_slice(b"MM\0\x2a\0\0\0\x08"); // big-endian TIFF, IFD at 8
    exif.extend_from_slice(&1u16.to_be_bytes()); // one entry
    exif.extend_from_slice(&0x0112u16.to_be_bytes()); // Orientation
    exif.extend_from_slice(&3u16.to_be_bytes()); // SHORT
    exif.extend_from_slice(&1u32.to_be_bytes()); // count
    exif.extend_from_slice(&orientation.to_be_bytes());
    exif.extend_from_slice(&[0, 0]); // value padding
    exif.extend_from_slice(&0u32.to_be_bytes()); // no next IFD
    let mut out = bytes[..2].to_vec(); // SOI
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&((exif.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(&exif);
    out.extend_from_slice(&bytes[2..]);
    out
}

/// The start of an MP4 file: an `ftyp` box with the given major brand.
pub fn ftyp(brand: &[u8; 4]) -> Vec<u8> {
    let mut bytes = vec![0, 0, 0, 0x18];
    bytes.extend_from_slice(b"ftyp");
    bytes.extend_from_slice(brand);
    bytes.extend_from_slice(&[0, 0, 2, 0]);
    bytes.extend_from_slice(b"isomiso2");
    bytes.extend_from_slice(&[0, 0, 0, 8]);
    bytes.extend_from_slice(b"free");
    bytes
}

/// The start of a Matroska file with the given DocType (`webm`, `matroska`).
pub fn ebml(doc_type: &[u8]) -> Vec<u8> {
    let mut body = vec![0x42, 0x86, 0x81, 0x01]; // EBMLVersion 1
    body.extend_from_slice(&[0x42, 0x82, 0x80 | doc_type.len() as u8]);
    body.extend_from_slice(doc_type);
    let mut bytes = vec![0x1A, 0x45, 0xDF, 0xA3, 0x80 | body.len() as u8];
    bytes.extend_from_slice(&body);
    bytes.extend_from_slice(&[0x18, 0x53, 0x80, 0x67]); // Segment
    bytes
}

/// The first bytes of a ZIP archive.
pub fn zip() -> Vec<u8> {
    let mut bytes = b"PK\x03\x04\x14\0\0\0\x08\0".to_vec();
    bytes.extend_from_slice(&[0; 20]);
    bytes.extend_from_slice(b"parts.csv");
    bytes
}
