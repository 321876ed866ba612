use mercato_media::{MediaError, ProcessedImage, RENDITIONS, process_image};

use crate::fixtures;

fn decode(bytes: &[u8]) -> image::DynamicImage {
    image::load_from_memory(bytes).expect("rendition decodes")
}

fn sizes(processed: &ProcessedImage) -> Vec<(&str, u32, u32)> {
    processed
        .renditions
        .iter()
        .map(|r| (r.name.as_str(), r.width, r.height))
        .collect()
}

#[test]
fn a_small_jpeg_is_never_upscaled() {
    let processed = process_image("bolt.jpg", &fixtures::jpeg(500, 300)).unwrap();
    assert_eq!((processed.width, processed.height), (500, 300));
    assert_eq!((processed.mime, processed.ext), ("image/jpeg", "jpg"));
    // list is shrunk; detail is the original size; zoom would be an upscale.
    assert_eq!(
        sizes(&processed),
        vec![("list", 320, 192), ("detail", 500, 300)]
    );
    for rendition in &processed.renditions {
        assert_eq!((rendition.mime, rendition.ext), ("image/jpeg", "jpg"));
        let decoded = decode(&rendition.bytes);
        assert_eq!(
            (decoded.width(), decoded.height()),
            (rendition.width, rendition.height)
        );
        assert!(!decoded.color().has_alpha());
    }
}

#[test]
fn a_large_picture_gets_every_size_with_its_aspect_ratio() {
    let processed = process_image("cylinder.jpg", &fixtures::jpeg(2400, 1000)).unwrap();
    assert_eq!(processed.renditions.len(), RENDITIONS.len());
    for (rendition, spec) in processed.renditions.iter().zip(RENDITIONS) {
        assert_eq!(rendition.name, spec.name);
        assert_eq!(rendition.width.max(rendition.height), spec.max_side);
        let aspect = f64::from(rendition.width) / f64::from(rendition.height);
        assert!(
            (aspect - 2.4).abs() < 0.02,
            "{} is {aspect}",
            rendition.name
        );
        let decoded = decode(&rendition.bytes);
        assert_eq!(
            (decoded.width(), decoded.height()),
            (rendition.width, rendition.height)
        );
    }
}

#[test]
fn a_tiny_picture_still_gets_one_rendition() {
    let processed = process_image("dot.jpg", &fixtures::jpeg(40, 20)).unwrap();
    assert_eq!(sizes(&processed), vec![("list", 40, 20)]);
}

#[test]
fn transparency_is_kept_as_lossless_webp() {
    let processed = process_image("washer.png", &fixtures::png_with_alpha(1000, 2000)).unwrap();
    assert_eq!((processed.mime, processed.ext), ("image/png", "png"));
    assert_eq!(
        sizes(&processed),
        vec![
            ("list", 160, 320),
            ("detail", 400, 800),
            ("zoom", 800, 1600)
        ]
    );
    for rendition in &processed.renditions {
        assert_eq!((rendition.mime, rendition.ext), ("image/webp", "webp"));
        let decoded = decode(&rendition.bytes).to_rgba8();
        assert_eq!(decoded.dimensions(), (rendition.width, rendition.height));
        // Corner transparent, centre opaque red.
        assert_eq!(decoded.get_pixel(0, 0).0[3], 0);
        let centre = decoded
            .get_pixel(rendition.width / 2, rendition.height / 2)
            .0;
        assert_eq!(centre, [200, 40, 40, 255]);
    }
}

#[test]
fn an_alpha_channel_without_transparency_becomes_jpeg() {
    let processed = process_image("box.png", &fixtures::png_opaque_rgba(400, 400)).unwrap();
    assert!(processed.renditions.iter().all(|r| r.mime == "image/jpeg"));
}

#[test]
fn webp_and_gif_uploads_are_processed() {
    let webp = process_image("a.webp", &fixtures::webp(100, 50)).unwrap();
    assert_eq!(webp.ext, "webp");
    assert_eq!(webp.renditions[0].ext, "webp"); // its alpha is 4/255
    let gif = process_image("a.gif", &fixtures::gif(100, 50)).unwrap();
    assert_eq!(gif.ext, "gif");
    assert_eq!(sizes(&gif), vec![("list", 100, 50)]);
}

#[test]
fn the_exif_orientation_is_applied() {
    // Stored 500×300 sideways; orientation 6 means "rotate 90° to show".
    let processed = process_image(
        "portrait.jpg",
        &fixtures::jpeg_with_orientation(500, 300, 6),
    )
    .unwrap();
    assert_eq!((processed.width, processed.height), (300, 500));
    assert_eq!(
        sizes(&processed),
        vec![("list", 192, 320), ("detail", 300, 500)]
    );
}

#[test]
fn other_files_are_refused_with_what_they_look_like() {
    let error = process_image("bolt.jpg", &fixtures::zip()).unwrap_err();
    assert!(matches!(error, MediaError::NotAnImage { .. }), "{error:?}");
    assert!(
        error
            .to_string()
            .starts_with("bolt.jpg is not an image (it looks like a ZIP archive)"),
        "{error}"
    );

    let pdf = mercato_media::demo_datasheet_pdf("x", &[]);
    let error = process_image("photo.jpg", &pdf).unwrap_err();
    assert!(
        error.to_string().contains("it looks like a PDF document"),
        "{error}"
    );

    let error = process_image("noise.png", b"\x00\x01\x02 not a picture").unwrap_err();
    assert_eq!(
        error.to_string(),
        "noise.png is not an image; upload a JPEG, PNG, WebP or GIF file"
    );

    let error = process_image("empty.jpg", b"").unwrap_err();
    assert!(matches!(error, MediaError::Empty { .. }), "{error:?}");
}

#[test]
fn unsupported_picture_formats_say_what_to_do() {
    let error = process_image("IMG_0001.jpg", &fixtures::ftyp(b"heic")).unwrap_err();
    assert!(
        matches!(error, MediaError::UnsupportedFormat { .. }),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "IMG_0001.jpg is a HEIC photo (the iPhone format), which we do not accept; \
         save it as JPEG, PNG, WebP or GIF and upload it again"
    );
    let svg = b"<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>";
    let error = process_image("logo.png", svg).unwrap_err();
    assert!(
        error.to_string().starts_with("logo.png is an SVG drawing"),
        "{error}"
    );
}

#[test]
fn a_truncated_jpeg_is_reported_as_damaged() {
    let jpeg = fixtures::jpeg(600, 400);
    for cut in [4, 20, 200, jpeg.len() / 2, jpeg.len() - 10] {
        // Not unwrap_err: its panic message would print every rendition byte.
        let Err(error) = process_image("bolt.jpg", &jpeg[..cut]) else {
            panic!("a JPEG cut at {cut} of {} bytes was accepted", jpeg.len());
        };
        assert!(
            matches!(error, MediaError::Damaged { .. }),
            "cut at {cut}: {error:?}"
        );
        assert_eq!(
            error.to_string(),
            "bolt.jpg is damaged or incomplete and cannot be opened; upload it again or export it anew"
        );
        assert!(std::error::Error::source(&error).is_some());
    }
}

#[test]
fn truncated_png_webp_and_gif_are_reported_as_damaged() {
    for (name, bytes) in [
        ("washer.png", fixtures::png_with_alpha(300, 300)),
        ("washer.webp", fixtures::webp_photo(300, 300)),
        ("washer.gif", fixtures::gif_photo(300, 300)),
    ] {
        // Inside the pixel data; PNG's last 12 bytes are the IEND trailer,
        // which no reader needs.
        for cut in [bytes.len() / 2, bytes.len() - 24] {
            let Err(error) = process_image(name, &bytes[..cut]) else {
                panic!("{name} cut at {cut} of {} bytes was accepted", bytes.len());
            };
            assert!(
                matches!(error, MediaError::Damaged { .. }),
                "{name} at {cut}: {error:?}"
            );
        }
    }
}

#[test]
fn decompression_bombs_are_refused_before_decoding() {
    let error = process_image("bomb.png", &fixtures::png_header_only(40_000, 40_000)).unwrap_err();
    assert!(
        matches!(error, MediaError::TooManyPixels { .. }),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "bomb.png: image is 40000×40000 pixels; the limit is 12000×12000"
    );

    let error = process_image("bomb.jpg", &fixtures::jpeg_claiming(30_000, 30_000)).unwrap_err();
    assert_eq!(
        error.to_string(),
        "bomb.jpg: image is 30000×30000 pixels; the limit is 12000×12000"
    );

    // One side over the limit is enough.
    let error = process_image("wide.png", &fixtures::png_header_only(12_001, 10)).unwrap_err();
    assert!(
        matches!(error, MediaError::TooManyPixels { width: 12_001, .. }),
        "{error:?}"
    );
}

#[test]
fn a_header_within_limits_but_without_pixels_is_damaged_not_a_panic() {
    let error = process_image("empty.png", &fixtures::png_header_only(11_000, 11_000)).unwrap_err();
    assert!(matches!(error, MediaError::Damaged { .. }), "{error:?}");
}

#[test]
fn a_picture_without_pixels_is_damaged() {
    // A GIF whose screen and only frame are 0×0.
    let mut gif = b"GIF89a\0\0\0\0\0\0\0".to_vec();
    gif.extend_from_slice(b"\x2c\0\0\0\0\0\0\0\0\0\x02\x02\x44\x01\0\x3b");
    let Err(error) = process_image("nothing.gif", &gif) else {
        panic!("a 0×0 GIF was accepted");
    };
    assert!(matches!(error, MediaError::Damaged { .. }), "{error:?}");
}
