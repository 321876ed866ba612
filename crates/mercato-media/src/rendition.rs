//! Product pictures: decoding uploads safely and making the sizes the shop shows.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::codecs::webp::WebPEncoder;
use image::imageops::FilterType;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader, Limits};

use crate::error::{Cause, MediaError};
use crate::kind::{MediaKind, describe, sniff};

/// The longest side, in pixels, of an image we accept. Larger pictures are
/// almost always mistakes (a scan at 1200 dpi) or decompression bombs, and
/// nothing in a shop needs them.
pub const MAX_IMAGE_SIDE: u32 = 12_000;

/// The most memory the decoder may allocate for one image: exactly an 8-bit
/// RGBA picture of [`MAX_IMAGE_SIDE`]², so every 8-bit image within the side
/// limit fits, while a 16-bit one that large is refused.
pub const MAX_DECODE_BYTES: u64 = MAX_IMAGE_SIDE as u64 * MAX_IMAGE_SIDE as u64 * 4;

/// JPEG quality of opaque renditions: visually indistinguishable from the
/// original for product photos at about a tenth of the size of quality 100.
pub const JPEG_QUALITY: u8 = 82;

/// One size the shop shows a picture at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RenditionSpec {
    /// Used in the storage key and by pages to ask for a size.
    pub name: &'static str,
    /// The longest side in pixels.
    pub max_side: u32,
}

/// The sizes made for every picture, smallest first: product lists, the
/// product page, and the zoom view.
pub const RENDITIONS: [RenditionSpec; 3] = [
    RenditionSpec {
        name: "list",
        max_side: 320,
    },
    RenditionSpec {
        name: "detail",
        max_side: 800,
    },
    RenditionSpec {
        name: "zoom",
        max_side: 1600,
    },
];

/// One encoded size of a picture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendition {
    /// The [`RenditionSpec::name`] this was made for.
    pub name: String,
    pub width: u32,
    pub height: u32,
    /// `image/jpeg` or `image/webp`.
    pub mime: &'static str,
    /// `jpg` or `webp`.
    pub ext: &'static str,
    pub bytes: Vec<u8>,
}

/// A checked picture and its renditions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessedImage {
    /// Size of the original as displayed, i.e. after applying its EXIF
    /// orientation (a portrait phone photo is taller than wide here even
    /// though its pixels are stored sideways).
    pub width: u32,
    pub height: u32,
    /// Type of the original upload, for storing it under
    /// [`crate::original_key`].
    pub mime: &'static str,
    pub ext: &'static str,
    /// Smallest first, in [`RENDITIONS`] order. A size larger than the
    /// original is not made, except that the first such size is made at the
    /// original's size: a 500×300 upload gives `list` (320×192) and `detail`
    /// (500×300) but no `zoom`. So `list` always exists, and a page that wants a
    /// missing size takes the largest one there is.
    pub renditions: Vec<Rendition>,
}

/// Decodes with decompression-bomb limits ([`MAX_IMAGE_SIDE`] and
/// [`MAX_DECODE_BYTES`]), applies the EXIF orientation, and makes the
/// [`RENDITIONS`] without upscaling (see [`ProcessedImage::renditions`]).
///
/// Opaque pictures are encoded as JPEG at [`JPEG_QUALITY`]; pictures with real
/// transparency (some pixel not fully opaque) as lossless WebP. Lossless
/// rather than lossy keeps the hard edges of cut-out product shots and
/// drawings clean; WebP rather than PNG because it came out at half the size
/// of the `image` crate's PNG for the same pixels (a cut-out washer: 23 kB
/// against 48 kB at 320 px), and every current browser shows it.
/// An alpha channel that is fully opaque everywhere counts as opaque, so
/// PNG exports of ordinary photos still become small JPEGs. Re-encoding also
/// drops all metadata (camera GPS position included) from what the shop
/// serves. Only the first frame of an animated GIF or WebP is used.
///
/// CPU-heavy (a 12000-px picture takes seconds): the caller runs it in
/// `spawn_blocking`.
pub fn process_image(file_name: &str, bytes: &[u8]) -> Result<ProcessedImage, MediaError> {
    let (mime, ext, format) = match sniff(bytes) {
        Some((MediaKind::Image, mime, ext)) => (mime, ext, image_format(ext)),
        _ => return Err(not_an_image(file_name, bytes)),
    };
    if format == ImageFormat::Jpeg && !jpeg_is_complete(bytes) {
        return Err(damaged(
            file_name,
            "the JPEG data ends before its end-of-image marker",
        ));
    }
    let picture = decode(file_name, bytes, format)?;
    let (width, height) = (picture.width(), picture.height());
    let (picture, transparent) = to_8_bit(picture);

    let mut renditions = Vec::with_capacity(RENDITIONS.len());
    // Largest first, each from the one before: shrinking a 1600-px picture to
    // 800 px looks the same as shrinking the 12000-px original and is far
    // cheaper.
    let mut current = picture;
    for (name, w, h) in plan(width, height).into_iter().rev() {
        if (current.width(), current.height()) != (w, h) {
            current = shrink(&current, w, h);
        }
        renditions.push(encode(file_name, name, &current, transparent)?);
    }
    renditions.reverse();
    Ok(ProcessedImage {
        width,
        height,
        mime,
        ext,
        renditions,
    })
}

fn not_an_image(file_name: &str, bytes: &[u8]) -> MediaError {
    let file_name = file_name.to_owned();
    if bytes.is_empty() {
        return MediaError::Empty { file_name };
    }
    match describe(bytes) {
        Some(foreign) if foreign.near == Some(MediaKind::Image) => MediaError::UnsupportedFormat {
            file_name,
            what: foreign.what,
            accepted: "JPEG, PNG, WebP or GIF",
        },
        other => MediaError::NotAnImage {
            file_name,
            looks_like: other.map(|f| f.what),
        },
    }
}

fn image_format(ext: &str) -> ImageFormat {
    match ext {
        "png" => ImageFormat::Png,
        "gif" => ImageFormat::Gif,
        "webp" => ImageFormat::WebP,
        _ => ImageFormat::Jpeg,
    }
}

fn format_name(format: ImageFormat) -> &'static str {
    match format {
        ImageFormat::Png => "PNG",
        ImageFormat::Gif => "GIF",
        ImageFormat::WebP => "WebP",
        _ => "JPEG",
    }
}

fn decode(file_name: &str, bytes: &[u8], format: ImageFormat) -> Result<DynamicImage, MediaError> {
    let too_many_pixels = |width, height| MediaError::TooManyPixels {
        file_name: file_name.to_owned(),
        width,
        height,
        max: MAX_IMAGE_SIDE,
    };
    // The PNG decoder reads up to the first pixel data before it reports the
    // size, so a bomb with a lying header would otherwise fail as "damaged";
    // the header's size is at a fixed place, so check it first.
    if let Some((width, height)) = png_header_size(bytes)
        && (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE)
    {
        return Err(too_many_pixels(width, height));
    }

    // Only the memory cap while reading headers: the size limit is checked
    // below, where the size is known and can go into the message.
    let mut limits = Limits::default();
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits.clone());
    let map_err = |e| image_error(file_name, format, e);
    let mut decoder = reader.into_decoder().map_err(map_err)?;

    let (width, height) = decoder.dimensions();
    if width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE {
        return Err(too_many_pixels(width, height));
    }
    if width == 0 || height == 0 {
        // Nothing to show, and the rendition arithmetic divides by the size.
        return Err(damaged(file_name, "the image has no pixels"));
    }
    if decoder.total_bytes() > MAX_DECODE_BYTES {
        return Err(too_much_memory(file_name));
    }
    limits.max_image_width = Some(MAX_IMAGE_SIDE);
    limits.max_image_height = Some(MAX_IMAGE_SIDE);
    decoder.set_limits(limits).map_err(map_err)?;

    // A broken EXIF block should not cost the clerk a good picture.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut picture = DynamicImage::from_decoder(decoder).map_err(map_err)?;
    picture.apply_orientation(orientation);
    Ok(picture)
}

/// The technical reason behind a [`MediaError::Damaged`] found by our own
/// checks rather than by the decoder.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct Malformed(&'static str);

fn damaged(file_name: &str, reason: &'static str) -> MediaError {
    MediaError::Damaged {
        file_name: file_name.to_owned(),
        source: Box::new(Malformed(reason)),
    }
}

/// Whether the JPEG's marker structure reaches its end-of-image marker.
///
/// The decoder, like browsers, paints a cut-off scan grey instead of failing,
/// so an upload that broke off half-way would be accepted with its lower half
/// missing. Walking the segments (skipping each by its length, so an EXIF
/// thumbnail's own end marker does not count) finds the real end.
fn jpeg_is_complete(bytes: &[u8]) -> bool {
    let mut at = 2; // after SOI
    while at + 1 < bytes.len() {
        if bytes[at] != 0xFF {
            // Stray bytes between segments: readers skip to the next marker.
            at += 1;
            continue;
        }
        match bytes[at + 1] {
            0xD9 => return true,
            // Fill byte, or standalone markers without a length.
            0xFF => at += 1,
            0x01 | 0xD0..=0xD7 => at += 2,
            marker => {
                let Some(length) = bytes.get(at + 2..at + 4) else {
                    return false;
                };
                at += 2 + usize::from(u16::from_be_bytes([length[0], length[1]]));
                if marker == 0xDA {
                    // Entropy-coded data follows its header: it runs to the
                    // next marker that is neither a stuffed 0xFF00 nor a
                    // restart marker.
                    while at + 1 < bytes.len() {
                        let in_scan =
                            bytes[at] != 0xFF || matches!(bytes[at + 1], 0x00 | 0xD0..=0xD7);
                        if !in_scan {
                            break;
                        }
                        at += 1;
                    }
                }
            }
        }
    }
    false
}

/// Width and height from a PNG's IHDR chunk, which must come first.
fn png_header_size(bytes: &[u8]) -> Option<(u32, u32)> {
    if !bytes.starts_with(b"\x89PNG\r\n\x1a\n") || bytes.get(12..16)? != b"IHDR" {
        return None;
    }
    let be = |range: std::ops::Range<usize>| -> Option<u32> {
        Some(u32::from_be_bytes(bytes.get(range)?.try_into().ok()?))
    };
    Some((be(16..20)?, be(20..24)?))
}

fn too_much_memory(file_name: &str) -> MediaError {
    MediaError::TooMuchMemory {
        file_name: file_name.to_owned(),
        limit_mb: MAX_DECODE_BYTES / 1_000_000,
    }
}

fn image_error(file_name: &str, format: ImageFormat, error: ImageError) -> MediaError {
    match error {
        ImageError::Limits(_) => too_much_memory(file_name),
        ImageError::Unsupported(_) => MediaError::UnsupportedVariant {
            file_name: file_name.to_owned(),
            format: format_name(format),
            source: Box::new(error),
        },
        // Decoding, I/O (the data ended early), parameter errors: all mean the
        // bytes are not a well-formed picture.
        _ => MediaError::Damaged {
            file_name: file_name.to_owned(),
            source: Box::new(error),
        },
    }
}

/// Converts to 8-bit RGB or RGBA (what the encoders take, and half the memory
/// of 16-bit for resizing) and tells whether any pixel is see-through.
fn to_8_bit(picture: DynamicImage) -> (DynamicImage, bool) {
    if !picture.color().has_alpha() {
        return (DynamicImage::ImageRgb8(picture.into_rgb8()), false);
    }
    let rgba = picture.into_rgba8();
    if rgba.pixels().any(|p| p.0[3] < u8::MAX) {
        (DynamicImage::ImageRgba8(rgba), true)
    } else {
        (
            DynamicImage::ImageRgb8(DynamicImage::ImageRgba8(rgba).into_rgb8()),
            false,
        )
    }
}

/// Which renditions to make and at what size, smallest first.
fn plan(width: u32, height: u32) -> Vec<(&'static str, u32, u32)> {
    let longest = width.max(height);
    let mut plan = Vec::with_capacity(RENDITIONS.len());
    for spec in RENDITIONS {
        if spec.max_side >= longest {
            plan.push((spec.name, width, height));
            break;
        }
        plan.push((
            spec.name,
            scale(width, spec.max_side, longest),
            scale(height, spec.max_side, longest),
        ));
    }
    plan
}

/// `side × max_side / longest`, rounded, never 0 (a 5000×2 strip still has
/// a height).
fn scale(side: u32, max_side: u32, longest: u32) -> u32 {
    let scaled =
        (u64::from(side) * u64::from(max_side) + u64::from(longest) / 2) / u64::from(longest);
    u32::try_from(scaled).unwrap_or(max_side).clamp(1, max_side)
}

fn shrink(picture: &DynamicImage, width: u32, height: u32) -> DynamicImage {
    // Lanczos over a large reduction weighs dozens of source pixels per output
    // pixel. Box-averaging down to twice the target first is much cheaper and,
    // with Lanczos doing the last factor of two, looks the same.
    if picture.width() > width * 4 && picture.height() > height * 4 {
        picture.thumbnail_exact(width * 2, height * 2).resize_exact(
            width,
            height,
            FilterType::Lanczos3,
        )
    } else {
        picture.resize_exact(width, height, FilterType::Lanczos3)
    }
}

fn encode(
    file_name: &str,
    name: &str,
    picture: &DynamicImage,
    transparent: bool,
) -> Result<Rendition, MediaError> {
    let mut bytes = Vec::new();
    let (mime, ext, result) = if transparent {
        let encoder = WebPEncoder::new_lossless(&mut bytes);
        ("image/webp", "webp", picture.write_with_encoder(encoder))
    } else {
        let encoder = JpegEncoder::new_with_quality(&mut bytes, JPEG_QUALITY);
        ("image/jpeg", "jpg", picture.write_with_encoder(encoder))
    };
    result.map_err(|e| MediaError::Encode {
        file_name: file_name.to_owned(),
        source: Box::new(e) as Cause,
    })?;
    Ok(Rendition {
        name: name.to_owned(),
        width: picture.width(),
        height: picture.height(),
        mime,
        ext,
        bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg(width: u32, height: u32) -> Vec<u8> {
        let picture = image::RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x * 7) as u8, (y * 13) as u8, (x ^ y) as u8])
        });
        let mut bytes = Vec::new();
        JpegEncoder::new_with_quality(&mut bytes, 90)
            .encode_image(&picture)
            .unwrap();
        bytes
    }

    #[test]
    fn a_jpeg_is_complete_only_with_its_end_marker() {
        let bytes = jpeg(64, 48);
        assert!(jpeg_is_complete(&bytes));
        assert!(!jpeg_is_complete(&bytes[..bytes.len() - 2]));
        assert!(!jpeg_is_complete(&bytes[..bytes.len() / 2]));
        // Data after the end marker (some cameras append a trailer) is fine.
        let mut trailer = bytes.clone();
        trailer.extend_from_slice(b"SAMSUNG trailer");
        assert!(jpeg_is_complete(&trailer));
    }

    #[test]
    fn an_embedded_thumbnail_end_marker_does_not_count() {
        // An APP1 segment carrying a whole thumbnail JPEG, end marker included,
        // in front of a main picture that is cut off.
        let thumbnail = jpeg(8, 8);
        let main = jpeg(64, 48);
        let mut app1 = b"Exif\0\0".to_vec();
        app1.extend_from_slice(&thumbnail);
        let mut bytes = main[..2].to_vec();
        bytes.extend_from_slice(&[0xFF, 0xE1]);
        bytes.extend_from_slice(&u16::try_from(app1.len() + 2).unwrap().to_be_bytes());
        bytes.extend_from_slice(&app1);
        bytes.extend_from_slice(&main[2..]);
        assert!(jpeg_is_complete(&bytes));
        assert!(!jpeg_is_complete(&bytes[..bytes.len() - 100]));
    }

    #[test]
    fn plan_never_upscales() {
        assert_eq!(
            plan(500, 300),
            vec![("list", 320, 192), ("detail", 500, 300)]
        );
        assert_eq!(plan(200, 100), vec![("list", 200, 100)]);
        assert_eq!(plan(320, 10), vec![("list", 320, 10)]);
        assert_eq!(
            plan(3000, 4000),
            vec![
                ("list", 240, 320),
                ("detail", 600, 800),
                ("zoom", 1200, 1600)
            ]
        );
        assert_eq!(
            plan(5000, 2),
            vec![("list", 320, 1), ("detail", 800, 1), ("zoom", 1600, 1)]
        );
    }
}
