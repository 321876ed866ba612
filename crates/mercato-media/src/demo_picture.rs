//! Product pictures drawn by code, so the demo catalog ships its own images
//! without binary files in the repository or licences to worry about.

use image::codecs::png::PngEncoder;
use image::{ExtendedColorType, ImageEncoder, Rgb, RgbImage};

/// The silhouette of a [`demo_picture`], chosen to hint at the product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DemoShape {
    /// Bolts and nuts seen from above.
    Hexagon,
    /// Caps, discs, buttons.
    Circle,
    /// Tools, boxes, cartons.
    Rectangle,
    /// Pneumatic cylinders, cables, tubes (lying on their side).
    Cylinder,
    /// Safety signs (a warning triangle with an exclamation mark).
    Triangle,
    /// Washers, O-rings, bearings.
    Ring,
}

/// Larger demo pictures are never needed, and the limit keeps an accidental
/// huge `size` from eating memory.
const MAX_DEMO_SIZE: u32 = 4096;

const BACKGROUND: [f32; 3] = [244.0, 245.0, 247.0];

/// Draws a simple, recognisable product picture (PNG bytes, `size`×`size`,
/// `size` clamped to 1..=4096): a light background, a soft shadow and a
/// shaded shape in `rgb` with a darker outline. Deterministic for the same
/// inputs, so regenerating demo data does not change content hashes.
pub fn demo_picture(shape: DemoShape, rgb: [u8; 3], size: u32) -> Vec<u8> {
    let size = size.clamp(1, MAX_DEMO_SIZE);
    let layers = layers(shape, rgb.map(f32::from));
    let scale = size as f32;
    let pixel = 1.0 / scale;
    let picture = RgbImage::from_fn(size, size, |x, y| {
        let p = [(x as f32 + 0.5) * pixel, (y as f32 + 0.5) * pixel];
        let mut colour = BACKGROUND;
        for layer in &layers {
            // Signed distances give anti-aliased edges for free: a pixel
            // half inside the edge is half covered.
            let softness = layer.softness.max(pixel);
            let coverage = (0.5 - (layer.sdf)(p) / softness).clamp(0.0, 1.0) * layer.opacity;
            if coverage > 0.0 {
                colour = mix(colour, layer.fill.at(p[1]), coverage);
            }
        }
        Rgb(colour.map(|c| c.round().clamp(0.0, 255.0) as u8))
    });
    let mut png = Vec::new();
    let encoded = PngEncoder::new(&mut png).write_image(
        picture.as_raw(),
        size,
        size,
        ExtendedColorType::Rgb8,
    );
    // The buffer matches the size by construction and writing to a Vec
    // cannot fail, so there is no error to report.
    debug_assert!(encoded.is_ok(), "{encoded:?}");
    png
}

type Sdf = Box<dyn Fn([f32; 2]) -> f32>;

struct Layer {
    /// Signed distance in picture widths: negative inside.
    sdf: Sdf,
    fill: Fill,
    /// Width of the edge blend in picture widths (at least one pixel).
    softness: f32,
    opacity: f32,
}

impl Layer {
    fn new(sdf: Sdf, fill: Fill) -> Self {
        Self {
            sdf,
            fill,
            softness: 0.0,
            opacity: 1.0,
        }
    }
}

/// A colour that may change from top to bottom: stops of (y, colour),
/// ascending y.
struct Fill(Vec<(f32, [f32; 3])>);

impl Fill {
    fn solid(colour: [f32; 3]) -> Self {
        Fill(vec![(0.0, colour)])
    }

    fn at(&self, y: f32) -> [f32; 3] {
        let stops = &self.0;
        let mut colour = stops.first().map_or(BACKGROUND, |s| s.1);
        for pair in stops.windows(2) {
            let ((y0, c0), (y1, c1)) = (pair[0], pair[1]);
            if y >= y1 {
                colour = c1;
            } else if y > y0 {
                colour = mix(c0, c1, (y - y0) / (y1 - y0));
            }
        }
        colour
    }
}

const OUTLINE: f32 = 0.012;

fn layers(shape: DemoShape, base: [f32; 3]) -> Vec<Layer> {
    let light = mix(base, [255.0; 3], 0.35);
    let dark = mix(base, [0.0; 3], 0.3);
    let outline = mix(base, [0.0; 3], 0.55);
    let shaded = |top: f32, bottom: f32| Fill(vec![(top, light), (bottom, dark)]);

    let body: Sdf = match shape {
        DemoShape::Hexagon => {
            let (r, h) = (0.36, 0.36 * 0.866_025_4);
            polygon(vec![
                [0.5 - r, 0.5],
                [0.5 - r / 2.0, 0.5 - h],
                [0.5 + r / 2.0, 0.5 - h],
                [0.5 + r, 0.5],
                [0.5 + r / 2.0, 0.5 + h],
                [0.5 - r / 2.0, 0.5 + h],
            ])
        }
        DemoShape::Circle => circle([0.5, 0.5], 0.36),
        DemoShape::Ring => {
            let (outer, hole) = (circle([0.5, 0.5], 0.36), circle([0.5, 0.5], 0.15));
            Box::new(move |p| outer(p).max(-hole(p)))
        }
        DemoShape::Rectangle => rounded_box([0.5, 0.52], [0.33, 0.23], 0.025),
        DemoShape::Cylinder => {
            let tube = rounded_box([0.48, 0.5], [0.28, 0.15], 0.0);
            let left = ellipse([0.2, 0.5], [0.06, 0.15]);
            let right = ellipse([0.76, 0.5], [0.06, 0.15]);
            Box::new(move |p| tube(p).min(left(p)).min(right(p)))
        }
        DemoShape::Triangle => {
            let triangle = polygon(vec![[0.5, 0.19], [0.15, 0.8], [0.85, 0.8]]);
            // Rounded corners, like a real sign.
            Box::new(move |p| triangle(p) - 0.03)
        }
    };
    let body = std::rc::Rc::new(body);

    let mut layers = Vec::new();
    let shadow_of = body.clone();
    layers.push(Layer {
        sdf: Box::new(move |p| shadow_of([p[0] - 0.02, p[1] - 0.035])),
        fill: Fill::solid([60.0, 64.0, 72.0]),
        softness: 0.05,
        opacity: 0.22,
    });
    let edge = body.clone();
    layers.push(Layer::new(Box::new(move |p| edge(p)), Fill::solid(outline)));
    let inside = body.clone();
    let inset = if shape == DemoShape::Triangle {
        0.04
    } else {
        OUTLINE
    };
    layers.push(Layer::new(
        Box::new(move |p| inside(p) + inset),
        match shape {
            // A tube lit from above: bright band just above the middle.
            DemoShape::Cylinder => Fill(vec![(0.35, dark), (0.43, light), (0.66, dark)]),
            DemoShape::Triangle => Fill(vec![(0.2, mix(base, [255.0; 3], 0.15)), (0.8, base)]),
            _ => shaded(0.14, 0.86),
        },
    ));

    match shape {
        DemoShape::Hexagon => {
            // The bearing face of a bolt head or nut.
            layers.push(Layer::new(circle([0.5, 0.5], 0.235), Fill::solid(outline)));
            // Shaded the other way round from the flats, so it reads as a
            // separate, recessed face.
            layers.push(Layer::new(
                circle([0.5, 0.5], 0.225),
                Fill(vec![(0.28, dark), (0.72, light)]),
            ));
        }
        DemoShape::Circle => {
            let groove = circle([0.5, 0.5], 0.27);
            layers.push(Layer {
                opacity: 0.45,
                ..Layer::new(
                    Box::new(move |p| groove(p).abs() - 0.006),
                    Fill::solid(outline),
                )
            });
        }
        DemoShape::Ring => {
            let hole = circle([0.5, 0.5], 0.15);
            layers.push(Layer::new(
                Box::new(move |p| hole(p).abs() - OUTLINE / 2.0),
                Fill::solid(outline),
            ));
        }
        DemoShape::Rectangle => {
            // The seam of a lid.
            layers.push(Layer {
                opacity: 0.6,
                ..Layer::new(
                    rounded_box([0.5, 0.4], [0.32, 0.005], 0.0),
                    Fill::solid(outline),
                )
            });
        }
        DemoShape::Cylinder => {
            // The end cap facing the viewer.
            layers.push(Layer::new(
                ellipse([0.76, 0.5], [0.06, 0.15]),
                Fill::solid(outline),
            ));
            layers.push(Layer::new(
                ellipse([0.76, 0.5], [0.048, 0.138]),
                shaded(0.36, 0.64),
            ));
        }
        DemoShape::Triangle => {
            let mark = [40.0, 40.0, 44.0];
            layers.push(Layer::new(
                rounded_box([0.5, 0.5], [0.028, 0.13], 0.028),
                Fill::solid(mark),
            ));
            layers.push(Layer::new(circle([0.5, 0.7], 0.034), Fill::solid(mark)));
        }
    }
    layers
}

fn mix(a: [f32; 3], b: [f32; 3], t: f32) -> [f32; 3] {
    [0, 1, 2].map(|i| a[i] + (b[i] - a[i]) * t)
}

fn circle(centre: [f32; 2], radius: f32) -> Sdf {
    Box::new(move |p| (p[0] - centre[0]).hypot(p[1] - centre[1]) - radius)
}

fn rounded_box(centre: [f32; 2], half: [f32; 2], radius: f32) -> Sdf {
    Box::new(move |p| {
        let q = [0, 1].map(|i| (p[i] - centre[i]).abs() - half[i] + radius);
        q[0].max(0.0).hypot(q[1].max(0.0)) + q[0].max(q[1]).min(0.0) - radius
    })
}

/// An approximation that is exact on the edge, which is all the shading needs.
fn ellipse(centre: [f32; 2], radii: [f32; 2]) -> Sdf {
    Box::new(move |p| {
        let d = [0, 1].map(|i| (p[i] - centre[i]) / radii[i]);
        let k0 = d[0].hypot(d[1]);
        let k1 = (d[0] / radii[0]).hypot(d[1] / radii[1]);
        if k1 == 0.0 {
            -radii[0].min(radii[1])
        } else {
            k0 * (k0 - 1.0) / k1
        }
    })
}

/// Exact signed distance to a closed polygon (after Inigo Quilez).
fn polygon(vertices: Vec<[f32; 2]>) -> Sdf {
    Box::new(move |p| {
        let sub = |a: [f32; 2], b: [f32; 2]| [a[0] - b[0], a[1] - b[1]];
        let dot = |a: [f32; 2], b: [f32; 2]| a[0] * b[0] + a[1] * b[1];
        let n = vertices.len();
        let mut distance = f32::MAX;
        let mut sign = 1.0;
        for i in 0..n {
            let (vi, vj) = (vertices[i], vertices[(i + n - 1) % n]);
            let e = sub(vj, vi);
            let w = sub(p, vi);
            let t = (dot(w, e) / dot(e, e)).clamp(0.0, 1.0);
            let b = sub(w, [e[0] * t, e[1] * t]);
            distance = distance.min(dot(b, b));
            let crossings = [p[1] >= vi[1], p[1] < vj[1], e[0] * w[1] > e[1] * w[0]];
            if crossings.iter().all(|&c| c) || crossings.iter().all(|&c| !c) {
                sign = -sign;
            }
        }
        sign * distance.sqrt()
    })
}
