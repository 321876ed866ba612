//! Pictures and datasheets the catalog references, drawn and written by
//! mercato-media. One picture per family and colour (`hex-bolt-stainless.png`),
//! shared by every product and variant of that family in that colour.

use mercato_media::{DemoShape, demo_datasheet_pdf, demo_picture};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Mutex, OnceLock, PoisonError};

/// Side of the square demo pictures, in pixels.
pub(crate) const PICTURE_SIZE: u32 = 480;

/// Picture families: file stem and shape.
const STEMS: &[(&str, DemoShape)] = &[
    ("hex-bolt", DemoShape::Hexagon),
    ("socket-screw", DemoShape::Cylinder),
    ("button-screw", DemoShape::Circle),
    ("countersunk-screw", DemoShape::Triangle),
    ("machine-screw", DemoShape::Circle),
    ("threaded-rod", DemoShape::Rectangle),
    ("tapping-screw", DemoShape::Triangle),
    ("wood-screw", DemoShape::Triangle),
    ("hex-nut", DemoShape::Hexagon),
    ("lock-nut", DemoShape::Hexagon),
    ("special-nut", DemoShape::Circle),
    ("washer", DemoShape::Ring),
    ("spring-washer", DemoShape::Ring),
    ("wedge-anchor", DemoShape::Cylinder),
    ("wall-plug", DemoShape::Cylinder),
    ("blind-rivet", DemoShape::Circle),
    ("spanner", DemoShape::Rectangle),
    ("hex-key", DemoShape::Hexagon),
    ("screwdriver", DemoShape::Cylinder),
    ("pliers", DemoShape::Triangle),
    ("socket", DemoShape::Ring),
    ("tool-set", DemoShape::Rectangle),
    ("torque-wrench", DemoShape::Rectangle),
    ("drill", DemoShape::Triangle),
    ("grinder", DemoShape::Circle),
    ("impact-wrench", DemoShape::Triangle),
    ("battery", DemoShape::Rectangle),
    ("carbon-brush", DemoShape::Rectangle),
    ("drill-bit", DemoShape::Cylinder),
    ("disc", DemoShape::Ring),
    ("cable", DemoShape::Circle),
    ("mcb", DemoShape::Rectangle),
    ("rcd", DemoShape::Rectangle),
    ("terminal", DemoShape::Rectangle),
    ("cable-lug", DemoShape::Ring),
    ("cable-gland", DemoShape::Hexagon),
    ("cable-tie", DemoShape::Rectangle),
    ("heat-shrink", DemoShape::Cylinder),
    ("floodlight", DemoShape::Rectangle),
    ("high-bay", DemoShape::Circle),
    ("batten", DemoShape::Rectangle),
    ("plug", DemoShape::Circle),
    ("glove", DemoShape::Rectangle),
    ("helmet", DemoShape::Circle),
    ("helmet-part", DemoShape::Ring),
    ("glasses", DemoShape::Triangle),
    ("ear-muff", DemoShape::Ring),
    ("earplug", DemoShape::Cylinder),
    ("mask", DemoShape::Triangle),
    ("shoe", DemoShape::Rectangle),
    ("vest", DemoShape::Triangle),
    ("harness", DemoShape::Ring),
    ("cylinder", DemoShape::Cylinder),
    ("seal-kit", DemoShape::Ring),
    ("mounting", DemoShape::Triangle),
    ("sensor", DemoShape::Rectangle),
    ("fitting", DemoShape::Hexagon),
    ("tubing", DemoShape::Ring),
    ("coupling", DemoShape::Cylinder),
    ("valve", DemoShape::Rectangle),
    ("silencer", DemoShape::Cylinder),
    ("frl", DemoShape::Circle),
];

/// Colours: name used in file names, and RGB.
const COLOURS: &[(&str, [u8; 3])] = &[
    ("zinc", [170, 182, 196]),
    ("yellow-zinc", [212, 184, 92]),
    ("stainless", [196, 198, 204]),
    ("black", [52, 54, 58]),
    ("hdg", [138, 144, 150]),
    ("brass", [196, 158, 64]),
    ("nylon", [236, 232, 220]),
    ("aluminium", [208, 212, 216]),
    ("copper", [184, 115, 51]),
    ("steel", [120, 126, 134]),
    ("red", [200, 40, 40]),
    ("blue", [36, 92, 170]),
    ("yellow", [240, 200, 30]),
    ("orange", [240, 120, 20]),
    ("green", [40, 140, 70]),
    ("grey", [128, 128, 128]),
    ("white", [240, 240, 240]),
    ("clear", [200, 225, 235]),
    ("transparent", [215, 230, 225]),
    ("brown", [125, 84, 52]),
    ("green-yellow", [150, 190, 40]),
    ("brand-voltix", [20, 150, 190]),
    ("brand-ferrox", [180, 30, 40]),
    ("brand-torqline", [60, 60, 140]),
];

/// The picture file name for a family and colour.
pub(crate) fn picture(stem: &str, colour: &str) -> String {
    format!("{stem}-{colour}.png")
}

/// Shape and colour of a picture file name made by [`picture`].
pub(crate) fn picture_spec(file: &str) -> Option<(DemoShape, [u8; 3])> {
    let base = file.strip_suffix(".png")?;
    // Longest colour first, so "green-yellow" wins over "yellow".
    let mut colours: Vec<&(&str, [u8; 3])> = COLOURS.iter().collect();
    colours.sort_by_key(|(name, _)| std::cmp::Reverse(name.len()));
    colours.into_iter().find_map(|(name, rgb)| {
        let stem = base.strip_suffix(name)?.strip_suffix('-')?;
        STEMS
            .iter()
            .find(|(s, _)| *s == stem)
            .map(|(_, shape)| (*shape, *rgb))
    })
}

/// A datasheet: file name, title, lines (English only: the PDF base font has no CJK).
pub(crate) struct Datasheet {
    pub file: &'static str,
    pub title: &'static str,
    pub lines: &'static [&'static str],
}

/// Every datasheet.
pub(crate) const DATASHEETS: &[Datasheet] = &[
    Datasheet {
        file: "ds-hex-bolts.pdf",
        title: "Hex bolts DIN 931 / DIN 933 (ISO 4014 / ISO 4017)",
        lines: &[
            "Hengli / Norsteel hex bolts, partially (DIN 931) and fully threaded (DIN 933).",
            "Thread: ISO metric coarse, tolerance 6g.",
            "Size  pitch  across flats  head height",
            "M5    0.8    8 mm          3.5 mm",
            "M6    1.0    10 mm         4.0 mm",
            "M8    1.25   13 mm         5.3 mm",
            "M10   1.5    17 mm         6.4 mm",
            "M12   1.75   19 mm         7.5 mm",
            "M16   2.0    24 mm         10.0 mm",
            "M20   2.5    30 mm         12.5 mm",
            "M24   3.0    36 mm         15.0 mm",
            "Steel 8.8: tensile strength 800 MPa, yield 640 MPa; zinc-plated 5-8 um.",
            "Steel 10.9: tensile strength 1040 MPa, yield 940 MPa.",
            "A2-70 / A4-70: tensile strength 700 MPa, yield 450 MPa. A4-80: 800 / 600 MPa.",
            "Hot-dip galvanised: zinc layer >= 40 um per ISO 10684, thread tolerance 6az.",
        ],
    },
    Datasheet {
        file: "ds-socket-screws.pdf",
        title: "Socket screws DIN 912, ISO 7380, DIN 7991",
        lines: &[
            "Hex socket cap screws (DIN 912 / ISO 4762), button head (ISO 7380-1),",
            "countersunk (DIN 7991 / ISO 10642).",
            "Size  head dia. DIN 912  hex key  max. torque 12.9 (Nm)",
            "M3    5.5 mm             2.5 mm   2.1",
            "M4    7.0 mm             3 mm     4.9",
            "M5    8.5 mm             4 mm     9.5",
            "M6    10 mm              5 mm     16.5",
            "M8    13 mm              6 mm     40",
            "M10   16 mm              8 mm     79",
            "M12   18 mm              10 mm    135",
            "M16   24 mm              14 mm    330",
            "Torque values for lightly oiled threads, friction 0.14, 90 % of yield.",
        ],
    },
    Datasheet {
        file: "ds-nuts-washers.pdf",
        title: "Nuts and washers: DIN 934, DIN 985, DIN 125, DIN 127, DIN 9021",
        lines: &[
            "Hex nuts DIN 934 (ISO 4032), nylon insert lock nuts DIN 985 (ISO 10511).",
            "Nylon insert service temperature -40 to +120 C; reuse is not recommended.",
            "Flat washers DIN 125-A (ISO 7089), 200 HV; large washers DIN 9021 (ISO 7093).",
            "Spring washers DIN 127-B, spring steel or stainless A2/A4.",
            "Combine nuts of class 8 with bolts up to 8.8 and class 10 with 10.9.",
        ],
    },
    Datasheet {
        file: "ds-wedge-anchors.pdf",
        title: "Fixwell wedge anchors - installation data",
        lines: &[
            "For cracked and non-cracked concrete C20/25 to C50/60.",
            "Size  drill dia.  min. hole depth  fixture hole  tightening torque",
            "M8    8 mm        55 mm            9 mm          20 Nm",
            "M10   10 mm       65 mm            12 mm         35 Nm",
            "M12   12 mm       80 mm            14 mm         60 Nm",
            "M16   16 mm       100 mm           18 mm         120 Nm",
            "Clean the drill hole (blow out twice, brush twice) before setting.",
        ],
    },
    Datasheet {
        file: "ds-power-cables.pdf",
        title: "Cablecore power and flexible cables",
        lines: &[
            "YJV 0.6/1 kV: copper conductor class 2, XLPE insulation, PVC sheath, GB/T 12706.1.",
            "RVV 300/500 V: flexible copper class 5, PVC insulated and sheathed, GB/T 5023.5.",
            "BV 450/750 V: solid or stranded copper, PVC insulated, GB/T 5023.3.",
            "H07RN-F: rubber insulated and sheathed, class 5 copper, EN 50525-2-21.",
            "NYM-J 300/500 V: PVC installation cable, VDE 0250-204.",
            "Conductor temperature: XLPE 90 C, PVC 70 C, rubber 60 C.",
            "Minimum bending radius: 12 x outer diameter (fixed), 20 x (flexing).",
        ],
    },
    Datasheet {
        file: "ds-circuit-breakers.pdf",
        title: "Ampero AMB6 miniature circuit breakers and residual current devices",
        lines: &[
            "AMB6 MCB: IEC/EN 60898-1, rated breaking capacity 6000 A, 230/400 V AC.",
            "Curves: B (3-5 In) for resistive loads, C (5-10 In) general,",
            "D (10-20 In) for motors and transformers.",
            "Rated currents 6, 10, 16, 20, 25, 32, 40, 50, 63 A; width 18 mm per pole.",
            "ARC RCCB: IEC/EN 61008-1, type A, 30 / 100 / 300 mA.",
            "ARB RCBO: IEC/EN 61009-1, type A, 30 mA, C curve, 6 kA.",
            "Terminals: 1-25 mm2, tightening torque 2.5 Nm.",
        ],
    },
    Datasheet {
        file: "ds-iso-cylinders.pdf",
        title: "AirLine ISO 15552 profile cylinders",
        lines: &[
            "Double-acting, magnetic piston, adjustable pneumatic cushioning.",
            "Operating pressure 1-10 bar, temperature -20 to +80 C, filtered air.",
            "Bore   rod   rod thread  port   force at 6 bar (extend)",
            "32     12    M10x1.25    G1/8   483 N",
            "40     16    M12x1.25    G1/4   754 N",
            "50     20    M16x1.5     G1/4   1178 N",
            "63     20    M16x1.5     G3/8   1870 N",
            "80     25    M20x1.5     G3/8   3016 N",
            "100    25    M20x1.5     G1/2   4712 N",
            "Seal kits and rod clevises are listed per bore.",
        ],
    },
    Datasheet {
        file: "ds-push-in-fittings.pdf",
        title: "AirLine push-in fittings and PU tubing",
        lines: &[
            "Push-in fittings for polyurethane and polyamide tubes, 4-12 mm OD.",
            "Body PBT, threads nickel-plated brass with pre-applied sealant.",
            "Working pressure -0.95 to 10 bar, temperature 0 to 60 C.",
            "Cut tubes square; insert to the stop; press the release ring to remove.",
            "PU tubing 98 Shore A: 10 bar at 20 C, bending radius 4 x OD.",
        ],
    },
    Datasheet {
        file: "ds-solenoid-valves.pdf",
        title: "AirLine SV5 solenoid valves",
        lines: &[
            "5/2 single and double solenoid, 5/3 closed centre, 3/2 normally closed.",
            "Ports G1/8 (700 l/min), G1/4 (1200 l/min), G3/8 (2400 l/min).",
            "Coils 24 V DC (2.5 W) or 230 V AC (4 VA), DIN EN 175301-803 form B.",
            "Operating pressure 1.5-8 bar; manual override on every solenoid.",
        ],
    },
    Datasheet {
        file: "ds-gloves.pdf",
        title: "Guardian Pro protective gloves - EN 388:2016 performance",
        lines: &[
            "EN 388:2016 code: abrasion (0-4), coup cut (0-5 or X), tear (0-4),",
            "puncture (0-4), ISO 13997 cut (A-F), impact (P, optional).",
            "Cut B: 5 N, cut C: 10 N, cut D: 15 N, cut F: 30 N or more.",
            "Sizes 7 (S) to 11 (XXL); wash at 40 C, do not bleach.",
            "Disposable gloves: EN ISO 374-1:2016 type B, EN 455 parts 1-4.",
        ],
    },
    Datasheet {
        file: "ds-safety-shoes.pdf",
        title: "Stepguard safety footwear EN ISO 20345:2022",
        lines: &[
            "All models: 200 J toe cap, antistatic, energy absorption in the heel.",
            "S1P: closed heel, penetration-resistant insole.",
            "S3: as S1P plus water-resistant upper and cleated outsole.",
            "SR: slip resistance on ceramic tile with glycerine.",
            "Sizes EU 36-47; width 11 (normal).",
        ],
    },
    Datasheet {
        file: "ds-cordless-tools.pdf",
        title: "Voltix 12 V and 18 V cordless platform",
        lines: &[
            "All 18 V tools take every Voltix 18 V battery (2.0, 4.0, 5.0 Ah).",
            "Charger VX-C18: 2.0 Ah in 30 min, 5.0 Ah in 75 min.",
            "Brushless motors: up to 30 % longer run time per charge.",
            "Drill drivers: 13 mm keyless chuck, 2-speed gearbox, 21+1 clutch settings.",
            "Vibration and noise values per EN 62841.",
        ],
    },
];

/// Bytes of a file the catalog references, or `None` for an unknown name.
pub(crate) fn file_bytes(name: &str) -> Option<Vec<u8>> {
    if let Some((shape, rgb)) = picture_spec(name) {
        return Some(demo_picture(shape, rgb, PICTURE_SIZE));
    }
    DATASHEETS.iter().find(|d| d.file == name).map(|d| {
        let lines: Vec<String> = d.lines.iter().map(|l| (*l).to_string()).collect();
        demo_datasheet_pdf(d.title, &lines)
    })
}

/// The bytes of every named file that is known, by name. Drawing a picture
/// takes a while in unoptimised builds, so files are drawn once per process
/// (on all cores) and shared: they depend on nothing but their name.
pub(crate) fn files(names: &BTreeSet<String>) -> Vec<(String, Vec<u8>)> {
    static CACHE: OnceLock<Mutex<BTreeMap<String, Vec<u8>>>> = OnceLock::new();
    let mut cache = CACHE
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    let missing: Vec<&String> = names.iter().filter(|n| !cache.contains_key(*n)).collect();
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let chunk = missing.len().div_ceil(threads).max(1);
    let drawn: Vec<(String, Vec<u8>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = missing
            .chunks(chunk)
            .map(|names| {
                scope.spawn(move || {
                    names
                        .iter()
                        .filter_map(|n| file_bytes(n).map(|b| ((*n).clone(), b)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .filter_map(|h| h.join().ok())
            .flatten()
            .collect()
    });
    cache.extend(drawn);
    names
        .iter()
        .filter_map(|n| cache.get(n).map(|b| (n.clone(), b.clone())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picture_names_resolve_to_shape_and_colour() {
        assert_eq!(
            picture_spec(&picture("terminal", "green-yellow")),
            Some((DemoShape::Rectangle, [150, 190, 40])),
            "the longest colour suffix wins"
        );
        assert_eq!(
            picture_spec("hex-bolt-stainless.png").map(|s| s.0),
            Some(DemoShape::Hexagon)
        );
        assert!(picture_spec("hex-bolt-plaid.png").is_none());
        assert!(picture_spec("unknown-zinc.png").is_none());
    }

    #[test]
    fn cached_files_equal_fresh_ones() {
        let names: BTreeSet<String> = ["ds-gloves.pdf", "washer-brass.png", "nope.png"]
            .iter()
            .map(|n| (*n).to_string())
            .collect();
        let cached = files(&names);
        assert_eq!(cached.len(), 2, "unknown names are left out");
        for (name, bytes) in &cached {
            assert_eq!(Some(bytes), file_bytes(name).as_ref(), "{name}");
        }
        for d in DATASHEETS {
            assert!(
                file_bytes(d.file).is_some_and(|b| b.starts_with(b"%PDF")),
                "{}",
                d.file
            );
        }
    }
}
