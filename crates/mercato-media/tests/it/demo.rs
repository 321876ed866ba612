use mercato_media::{DemoShape, demo_picture, process_image, sniff};

const SHAPES: [DemoShape; 6] = [
    DemoShape::Hexagon,
    DemoShape::Circle,
    DemoShape::Rectangle,
    DemoShape::Cylinder,
    DemoShape::Triangle,
    DemoShape::Ring,
];

#[test]
fn demo_pictures_are_deterministic_pngs_of_the_asked_size() {
    for shape in SHAPES {
        let png = demo_picture(shape, [30, 90, 160], 96);
        assert_eq!(png, demo_picture(shape, [30, 90, 160], 96), "{shape:?}");
        assert_eq!(sniff(&png).map(|s| s.1), Some("image/png"));
        let decoded = image::load_from_memory(&png).unwrap().to_rgb8();
        assert_eq!(decoded.dimensions(), (96, 96));
        // Light background in the corner.
        assert!(
            decoded.get_pixel(0, 0).0.iter().all(|&c| c > 230),
            "{shape:?}"
        );
    }
}

#[test]
fn shapes_and_colours_give_different_pictures() {
    let pictures: Vec<Vec<u8>> = SHAPES
        .iter()
        .map(|&s| demo_picture(s, [200, 120, 0], 64))
        .collect();
    for (i, a) in pictures.iter().enumerate() {
        for b in &pictures[i + 1..] {
            assert_ne!(a, b);
        }
    }
    assert_ne!(
        demo_picture(DemoShape::Circle, [200, 0, 0], 64),
        demo_picture(DemoShape::Circle, [0, 0, 200], 64)
    );
}

#[test]
fn the_shape_is_drawn_in_its_colour() {
    let png = demo_picture(DemoShape::Circle, [220, 30, 30], 100);
    let decoded = image::load_from_memory(&png).unwrap().to_rgb8();
    let [r, g, b] = decoded.get_pixel(50, 50).0;
    assert!(r > 150 && g < 100 && b < 100, "centre is {r},{g},{b}");
    // A washer has a hole showing the background.
    let png = demo_picture(DemoShape::Ring, [220, 30, 30], 100);
    let decoded = image::load_from_memory(&png).unwrap().to_rgb8();
    assert!(decoded.get_pixel(50, 50).0.iter().all(|&c| c > 200));
}

#[test]
fn odd_sizes_are_handled() {
    let one = image::load_from_memory(&demo_picture(DemoShape::Hexagon, [0, 0, 0], 0)).unwrap();
    assert_eq!((one.width(), one.height()), (1, 1));
}

#[test]
fn demo_pictures_go_through_the_upload_path() {
    let png = demo_picture(DemoShape::Cylinder, [90, 90, 100], 400);
    let processed = process_image("cylinder.png", &png).unwrap();
    assert_eq!(processed.renditions.len(), 2);
    assert_eq!(processed.renditions[0].mime, "image/jpeg");
}
