//! Tools: spanners, hex keys, screwdrivers, pliers, sockets and sets,
//! torque wrenches, cordless and mains power tools with their batteries
//! and spares, drill bits and abrasive discs.

use crate::media::picture;
use crate::model::{Product, Status, Variant, bi, num, sku_part};

/// All tool products.
pub(crate) fn products() -> Vec<Product> {
    let mut out = Vec::new();
    out.extend(spanners());
    out.extend(hex_keys());
    out.extend(screwdrivers());
    out.extend(pliers());
    out.extend(sockets());
    out.extend(tool_sets());
    out.extend(torque_wrenches());
    out.extend(cordless_drills());
    out.extend(impact_wrenches());
    out.extend(angle_grinders());
    out.extend(batteries());
    out.extend(drill_bits());
    out.extend(discs());
    out
}

/// A product of sized hand tools (spanners, hex keys): one variant per size.
struct SizedTool {
    key: &'static str,
    sku: &'static str,
    category: &'static str,
    zh: &'static str,
    en: &'static str,
    short_zh: &'static str,
    short_en: &'static str,
    desc_zh: &'static str,
    desc_en: &'static str,
    material: &'static str,
    sizes: &'static [f64],
    picture: &'static str,
    /// Length in mm ≈ a + b · size; weight in g ≈ c · size² + e.
    length: (f64, f64),
    weight: (f64, f64),
}

const SPANNERS: &[SizedTool] = &[
    SizedTool {
        key: "ferrox-combination-spanner",
        sku: "FX-CS",
        category: "combination-wrenches",
        zh: "Ferrox 两用扳手（开口＋梅花）铬钒钢",
        en: "Ferrox combination spanner, chrome vanadium",
        short_zh: "开口与 15° 偏置梅花两用扳手，6–32 mm，铬钒钢镀铬。",
        short_en: "Open-end and 15° offset ring combination spanner, 6–32 mm, chrome vanadium, chrome-plated.",
        desc_zh: "Ferrox 两用扳手，一端为 15° 开口，一端为 12 角 15° 偏置梅花，梅花端采用侧壁受力设计，保护螺栓棱角。铬钒钢锻造、整体淬火，镀铬并抛光头部，执行 DIN 3113 A 型 / ISO 7738。\n\n规格 6 至 32 mm，每个料号即一个对边尺寸。",
        desc_en: "Ferrox combination spanner with a 15° open end and a 12-point ring offset by 15°; the ring grips the flanks, not the corners, of the bolt head. Drop-forged chrome vanadium steel, hardened, chrome-plated with polished heads, to DIN 3113 form A / ISO 7738.\n\nSizes 6 to 32 mm; each part number is one size across flats.",
        material: "cr_v",
        sizes: &[
            6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0, 18.0, 19.0, 21.0,
            22.0, 24.0, 27.0, 30.0, 32.0,
        ],
        picture: "spanner",
        length: (45.0, 10.0),
        weight: (0.55, 5.0),
    },
    SizedTool {
        key: "ferrox-ratcheting-combination-spanner",
        sku: "FX-RCS",
        category: "combination-wrenches",
        zh: "Ferrox 棘轮两用扳手 72 齿",
        en: "Ferrox ratcheting combination spanner, 72 teeth",
        short_zh: "72 齿棘轮梅花端，回转角仅 5°，8–19 mm，铬钒钢。",
        short_en: "72-tooth ratcheting ring end needing only 5° swing, 8–19 mm, chrome vanadium.",
        desc_zh: "Ferrox 棘轮两用扳手，梅花端内置 72 齿棘轮，回转角 5°，无需反复取放即可在狭窄空间内连续拧紧；开口端 15°。铬钒钢，镀铬，符合 DIN 3113。\n\n规格 8 至 19 mm。",
        desc_en: "Ferrox ratcheting combination spanner: the ring end holds a 72-tooth ratchet with a 5° swing, so nuts are run down in tight spaces without lifting the spanner off; 15° open end. Chrome vanadium, chrome-plated, to DIN 3113.\n\nSizes 8 to 19 mm.",
        material: "cr_v",
        sizes: &[
            8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0, 18.0, 19.0,
        ],
        picture: "spanner",
        length: (50.0, 10.0),
        weight: (0.6, 20.0),
    },
];

const HEX_KEYS: &[SizedTool] = &[
    SizedTool {
        key: "ferrox-hex-key-ball-end-long",
        sku: "FX-HK",
        category: "hex-keys",
        zh: "Ferrox 加长球头内六角扳手",
        en: "Ferrox long ball-end hex key",
        short_zh: "加长 L 型内六角扳手，球头可 25° 斜插，1.5–12 mm，S2 钢。",
        short_en: "Long L-shaped hex key with 25° ball end, 1.5–12 mm, S2 steel.",
        desc_zh: "Ferrox 加长内六角扳手，长臂端为球头，可在 25° 倾斜角度下快速旋入；短臂端为标准六角，用于最终拧紧。S2 工具钢，精确公差 ISO 2936，表面发黑。\n\n规格 1.5 至 12 mm，适配 DIN 912、ISO 7380 等内六角螺钉。",
        desc_en: "Ferrox long hex key: the long arm has a ball end for quick turning at up to 25°, the short arm a full hex for final tightening. S2 tool steel, tolerances to ISO 2936, black finish.\n\nSizes 1.5 to 12 mm, for DIN 912, ISO 7380 and other hex socket screws.",
        material: "s2",
        sizes: &[1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0, 12.0],
        picture: "hex-key",
        length: (70.0, 14.0),
        weight: (1.2, 2.0),
    },
    SizedTool {
        key: "ferrox-t-handle-hex-key",
        sku: "FX-THK",
        category: "hex-keys",
        zh: "Ferrox T 型手柄内六角扳手",
        en: "Ferrox T-handle hex key",
        short_zh: "T 型双材质手柄内六角扳手，2–10 mm，适合快速旋入。",
        short_en: "T-handle hex key with two-component grip, 2–10 mm, for fast run-down.",
        desc_zh: "Ferrox T 型内六角扳手，双材质防滑手柄便于施加扭矩，杆端为球头，手柄侧面另有短六角端用于最终拧紧。S2 工具钢。\n\n规格 2 至 10 mm。",
        desc_en: "Ferrox T-handle hex key: the two-component grip gives torque and comfort, the shaft has a ball end, and a short hex stub on the handle side does the final tightening. S2 tool steel.\n\nSizes 2 to 10 mm.",
        material: "s2",
        sizes: &[2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0],
        picture: "hex-key",
        length: (130.0, 6.0),
        weight: (1.5, 45.0),
    },
];

fn sized_tools(tools: &'static [SizedTool], similar_among: bool) -> Vec<Product> {
    tools
        .iter()
        .map(|t| {
            let variants = t
                .sizes
                .iter()
                .map(|s| {
                    let length = (t.length.0 + t.length.1 * s).round() as u32;
                    let weight = (t.weight.0 * s * s + t.weight.1).round() as u64;
                    Variant::new(format!("{}-{}", t.sku, num(*s)))
                        .weight(weight)
                        .gtin(true)
                        .dims(length, (s * 2.5 + 10.0).round() as u32, 12)
                        .attr("across_flats", num(*s))
                        .attr("material", t.material)
                        .attr("length", length.to_string())
                        .attr("weight", weight.to_string())
                })
                .collect();
            let similar: Vec<&str> = if similar_among {
                tools
                    .iter()
                    .filter(|o| o.key != t.key)
                    .map(|o| o.key)
                    .collect()
            } else {
                Vec::new()
            };
            Product::new(t.key, t.category, "Ferrox", bi(t.zh, t.en))
                .texts(bi(t.short_zh, t.short_en), bi(t.desc_zh, t.desc_en))
                .image(picture(t.picture, "brand-ferrox"))
                .similars(&similar)
                .variants(variants)
        })
        .collect()
}

fn spanners() -> Vec<Product> {
    sized_tools(SPANNERS, true)
}

fn hex_keys() -> Vec<Product> {
    let mut out = sized_tools(HEX_KEYS, true);
    for p in &mut out {
        p.accessory
            .push("socket-cap-screw-din-912-m8-12-9-black".into());
    }
    out
}

/// Screwdrivers: key, part-number stem, names, drive, tips with blade length, VDE.
struct Driver {
    key: &'static str,
    sku: &'static str,
    zh: &'static str,
    en: &'static str,
    drive: &'static str,
    tips: &'static [(&'static str, &'static str, u32)],
    vde: bool,
}

const DRIVERS: &[Driver] = &[
    Driver {
        key: "ferrox-screwdriver-slotted",
        sku: "FX-SD",
        zh: "一字螺丝刀",
        en: "Slotted screwdriver",
        drive: "slotted",
        tips: &[
            ("sl2-5", "SL 2.5", 75),
            ("sl3-5", "SL 3.5", 75),
            ("sl4", "SL 4", 100),
            ("sl5-5", "SL 5.5", 125),
            ("sl6-5", "SL 6.5", 150),
            ("sl8", "SL 8", 175),
        ],
        vde: false,
    },
    Driver {
        key: "ferrox-screwdriver-phillips",
        sku: "FX-SD",
        zh: "十字螺丝刀",
        en: "Phillips screwdriver",
        drive: "phillips",
        tips: &[
            ("ph0", "PH0", 60),
            ("ph1", "PH1", 80),
            ("ph2", "PH2", 100),
            ("ph3", "PH3", 150),
        ],
        vde: false,
    },
    Driver {
        key: "ferrox-screwdriver-pozidriv",
        sku: "FX-SD",
        zh: "米字螺丝刀",
        en: "Pozidriv screwdriver",
        drive: "pozidriv",
        tips: &[("pz1", "PZ1", 80), ("pz2", "PZ2", 100), ("pz3", "PZ3", 150)],
        vde: false,
    },
    Driver {
        key: "ferrox-screwdriver-torx",
        sku: "FX-SD",
        zh: "梅花螺丝刀",
        en: "Torx screwdriver",
        drive: "torx",
        tips: &[
            ("t10", "T10", 80),
            ("t15", "T15", 80),
            ("t20", "T20", 100),
            ("t25", "T25", 100),
            ("t27", "T27", 115),
            ("t30", "T30", 115),
            ("t40", "T40", 130),
        ],
        vde: false,
    },
    Driver {
        key: "ferrox-vde-screwdriver-slotted",
        sku: "FX-VDE",
        zh: "VDE 1000V 绝缘一字螺丝刀",
        en: "VDE 1000 V insulated slotted screwdriver",
        drive: "slotted",
        tips: &[
            ("sl2-5", "SL 2.5", 75),
            ("sl3-5", "SL 3.5", 100),
            ("sl4", "SL 4", 100),
            ("sl5-5", "SL 5.5", 125),
            ("sl6-5", "SL 6.5", 150),
        ],
        vde: true,
    },
    Driver {
        key: "ferrox-vde-screwdriver-phillips",
        sku: "FX-VDE",
        zh: "VDE 1000V 绝缘十字螺丝刀",
        en: "VDE 1000 V insulated Phillips screwdriver",
        drive: "phillips",
        tips: &[("ph0", "PH0", 60), ("ph1", "PH1", 80), ("ph2", "PH2", 100)],
        vde: true,
    },
];

fn screwdrivers() -> Vec<Product> {
    DRIVERS
        .iter()
        .map(|d| {
            let variants = d
                .tips
                .iter()
                .map(|(code, label, blade)| {
                    let weight = u64::from(*blade) / 2 + if d.vde { 45 } else { 35 };
                    Variant::new(format!("{}-{}", d.sku, sku_part(label)))
                        .weight(weight)
                        .gtin(true)
                        .dims(blade + 105, 35, 35)
                        .attr("tip_size", *code)
                        .attr("drive", d.drive)
                        .attr("length", blade.to_string())
                        .attr("material", "cr_v")
                        .attr("insulated_1000v", if d.vde { "true" } else { "false" })
                })
                .collect();
            let first = d.tips.first().map_or("", |t| t.1);
            let last = d.tips.last().map_or("", |t| t.1);
            let (short, desc) = if d.vde {
                (
                    bi(
                        format!("{}，{}–{}，每支按 IEC 60900 在 10 kV 下单独测试，可带电作业至 1000 V AC。", d.zh, first, last),
                        format!("{}, {} to {}, each one tested at 10 kV to IEC 60900 for live work up to 1000 V AC.", d.en, first, last),
                    ),
                    bi(
                        format!("Ferrox {}，刀杆为铬钒钢，双层绝缘护套（内层黄、外层红），磨损时可见内层颜色；双材质手柄带防滚设计。每支按 IEC 60900 在 10 kV 下单独测试，允许带电作业至 1000 V AC / 1500 V DC。\n\n规格 {} 至 {}，刀杆长度见各料号。", d.zh, first, last),
                        format!("Ferrox {}: chrome vanadium blade with two-layer insulation (yellow under red) that shows wear, two-component grip with anti-roll shape. Each tool is tested individually at 10 kV to IEC 60900 and approved for live work up to 1000 V AC / 1500 V DC.\n\nSizes {} to {}; blade lengths per part number.", d.en.to_lowercase(), first, last),
                    ),
                )
            } else {
                (
                    bi(
                        format!("{}，{}–{}，铬钒钢刀杆，磁性刀头，双材质手柄。", d.zh, first, last),
                        format!("{}, {} to {}, chrome vanadium blade, magnetic tip, two-component handle.", d.en, first, last),
                    ),
                    bi(
                        format!("Ferrox {}，铬钒钼钢刀杆整体淬火，刀头喷砂处理并带磁性，防止滑脱和螺钉掉落；双材质手柄，尾部带六角便于用扳手加力。\n\n规格 {} 至 {}，刀杆长度见各料号。", d.zh, first, last),
                        format!("Ferrox {}: hardened chrome vanadium molybdenum blade, sand-blasted magnetic tip that holds the screw and resists cam-out, two-component handle with a hex bolster for a spanner.\n\nSizes {} to {}; blade lengths per part number.", d.en.to_lowercase(), first, last),
                    ),
                )
            };
            let mut similar: Vec<&str> = DRIVERS
                .iter()
                .filter(|o| o.key != d.key && o.drive == d.drive)
                .map(|o| o.key)
                .collect();
            if similar.is_empty() {
                similar.push("ferrox-screwdriver-phillips");
            }
            Product::new(d.key, "screwdrivers", "Ferrox", bi(format!("Ferrox {}", d.zh), format!("Ferrox {}", d.en.to_lowercase())))
                .texts(short, desc)
                .image(picture("screwdriver", if d.vde { "red" } else { "brand-ferrox" }))
                .similars(&similar)
                .accessories(&if d.vde { vec!["ferrox-vde-screwdriver-set"] } else { vec![] })
                .variants(variants)
        })
        .collect()
}

/// Pliers: key, part-number stem, names, lengths, VDE, description of use.
/// key, part-number stem, names, lengths, VDE, use (Chinese, English).
type Pliers = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [u32],
    bool,
    &'static str,
    &'static str,
);

const PLIERS: &[Pliers] = &[
    (
        "ferrox-combination-pliers",
        "FX-CP",
        "钢丝钳",
        "Combination pliers",
        &[160, 180, 200],
        false,
        "钳口带锯齿及圆形夹持区，刃口经高频淬火，可剪断 2.5 mm 以内的中硬钢丝。",
        "Serrated jaws with a round pipe grip; induction-hardened cutting edges cut medium-hard wire up to 2.5 mm.",
    ),
    (
        "ferrox-long-nose-pliers",
        "FX-LN",
        "尖嘴钳",
        "Long nose pliers",
        &[160, 200],
        false,
        "细长钳口可伸入狭小空间夹持与弯折导线，带剪切刃。",
        "Long slim jaws reach into tight spaces to grip and bend wires; with cutting edge.",
    ),
    (
        "ferrox-diagonal-cutters",
        "FX-DC",
        "斜口钳",
        "Diagonal cutters",
        &[140, 160, 180],
        false,
        "大杠杆比设计，省力 30%，刃口淬火硬度 62 HRC，可剪断 3 mm 软线。",
        "High-leverage joint saves about 30 % effort; edges hardened to 62 HRC cut soft wire up to 3 mm.",
    ),
    (
        "ferrox-water-pump-pliers",
        "FX-WP",
        "水泵钳",
        "Water pump pliers",
        &[180, 250, 300],
        false,
        "按钮式快速调节，25 档开口，钳口自锁不打滑，适用于管件与螺母。",
        "Push-button adjustment with 25 positions; self-locking jaws grip pipes and nuts without slipping.",
    ),
    (
        "ferrox-vde-combination-pliers",
        "FX-VCP",
        "VDE 1000V 绝缘钢丝钳",
        "VDE 1000 V insulated combination pliers",
        &[180, 200],
        true,
        "双色绝缘手柄，按 IEC 60900 在 10 kV 下单独测试，可带电作业至 1000 V AC。",
        "Two-colour insulated handles, each pair tested at 10 kV to IEC 60900 for live work up to 1000 V AC.",
    ),
];

fn pliers() -> Vec<Product> {
    PLIERS
        .iter()
        .map(|(key, sku, zh, en, lengths, vde, use_zh, use_en)| {
            let variants = lengths
                .iter()
                .map(|l| {
                    let weight = u64::from(*l) * u64::from(*l) / 150;
                    Variant::new(format!("{sku}-{l}"))
                        .weight(weight)
                        .gtin(true)
                        .dims(*l, 60, 20)
                        .attr("length", l.to_string())
                        .attr("material", "cr_v")
                        .attr("insulated_1000v", if *vde { "true" } else { "false" })
                        .attr("weight", weight.to_string())
                })
                .collect();
            let range = lengths.iter().map(u32::to_string).collect::<Vec<_>>().join("/");
            let similar: Vec<&str> = PLIERS.iter().filter(|o| o.0 != *key).take(2).map(|o| o.0).collect();
            Product::new(*key, "pliers", "Ferrox", bi(format!("Ferrox {zh}"), format!("Ferrox {}", en.to_lowercase())))
                .texts(
                    bi(format!("{zh}，长度 {range} mm，铬钒钢，{}", use_zh), format!("{en}, {range} mm, chrome vanadium. {use_en}")),
                    bi(
                        format!("Ferrox {zh}，铬钒钢锻造，油淬硬化，钳头抛光防锈。{use_zh}\n\n双材质手柄贴合手型，长时间使用不易疲劳。长度 {range} mm，每个料号一种长度。"),
                        format!("Ferrox {}: drop-forged chrome vanadium steel, oil-hardened, polished head with rust protection. {use_en}\n\nTwo-component handles fit the hand for long work. Lengths {range} mm, one per part number.", en.to_lowercase()),
                    ),
                )
                .image(picture("pliers", if *vde { "red" } else { "brand-ferrox" }))
                .similars(&similar)
                .variants(variants)
        })
        .collect()
}

/// Sockets: key, part-number stem, names, drive, sizes, material, impact.
/// key, part-number stem, names, drive, sizes, material, impact.
type SocketRange = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [f64],
    &'static str,
    bool,
);

const SOCKETS: &[SocketRange] = &[
    (
        "ferrox-socket-1-4-drive",
        "FX-S14",
        "1/4\" 六角套筒",
        "1/4\" drive hex socket",
        "sq_1_4",
        &[
            4.0, 4.5, 5.0, 5.5, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0,
        ],
        "cr_v",
        false,
    ),
    (
        "ferrox-socket-1-2-drive",
        "FX-S12",
        "1/2\" 六角套筒",
        "1/2\" drive hex socket",
        "sq_1_2",
        &[
            10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0, 18.0, 19.0, 21.0, 22.0, 24.0, 27.0,
            30.0, 32.0,
        ],
        "cr_v",
        false,
    ),
    (
        "ferrox-impact-socket-1-2-drive",
        "FX-IS12",
        "1/2\" 风炮套筒",
        "1/2\" drive impact socket",
        "sq_1_2",
        &[13.0, 15.0, 17.0, 19.0, 21.0, 22.0, 24.0, 27.0, 30.0, 32.0],
        "cr_mo",
        true,
    ),
];

fn sockets() -> Vec<Product> {
    SOCKETS
        .iter()
        .map(|(key, sku, zh, en, drive, sizes, material, impact)| {
            let variants = sizes
                .iter()
                .map(|s| {
                    let length = if *drive == "sq_1_4" { 25 } else if *impact { 38 } else { 38 + (*s as u32) / 4 };
                    let weight = (s * s * 0.12 + if *drive == "sq_1_4" { 8.0 } else { 40.0 }).round() as u64;
                    Variant::new(format!("{sku}-{}", num(*s)))
                        .weight(weight)
                        .gtin(true)
                        .attr("drive", *drive)
                        .attr("across_flats", num(*s))
                        .attr("material", *material)
                        .attr("length", length.to_string())
                })
                .collect();
            let (first, last) = (sizes.first().copied().unwrap_or(0.0), sizes.last().copied().unwrap_or(0.0));
            let (extra_zh, extra_en) = if *impact {
                ("铬钼钢制造，壁厚加强并磷化发黑，专用于冲击扳手与风炮；带 O 形圈与销孔。", "Chrome molybdenum steel with thicker walls and black phosphate finish, made for impact wrenches; with O-ring and pin hole.")
            } else {
                ("铬钒钢镀铬，六角侧壁受力设计，减少螺母棱角磨损；用于棘轮扳手与扭力扳手，不可用于冲击工具。", "Chrome vanadium, chrome-plated, 6-point flank drive that spares nut corners; for ratchets and torque wrenches, not for impact tools.")
            };
            let mut p = Product::new(*key, "sockets", "Ferrox", bi(format!("Ferrox {zh}"), format!("Ferrox {en}")))
                .texts(
                    bi(format!("{zh}，{}–{} mm，{}。", num(first), num(last), if *impact { "铬钼钢" } else { "铬钒钢" }), format!("{en}, {}–{} mm, {}.", num(first), num(last), if *impact { "chrome molybdenum" } else { "chrome vanadium" })),
                    bi(format!("Ferrox {zh}，对边 {} 至 {} mm，符合 DIN 3124 / ISO 2725。{extra_zh}", num(first), num(last)), format!("Ferrox {en}, {} to {} mm across flats, to DIN 3124 / ISO 2725. {extra_en}", num(first), num(last))),
                )
                .image(picture("socket", if *impact { "black" } else { "brand-ferrox" }))
                .variants(variants);
            if *impact {
                p = p.similars(&["ferrox-socket-1-2-drive"]);
            } else if *drive == "sq_1_2" {
                p = p.similars(&["ferrox-impact-socket-1-2-drive"]).accessories(&["torqline-click-torque-wrench-1-2"]);
            } else {
                p = p.accessories(&["torqline-click-torque-wrench-1-4"]);
            }
            p
        })
        .collect()
}

/// Tool sets: key, names, short texts, variants (SKU, pieces, weight g, content).
struct ToolSet {
    key: &'static str,
    zh: &'static str,
    en: &'static str,
    desc_zh: &'static str,
    desc_en: &'static str,
    material: &'static str,
    variants: &'static [(&'static str, u32, u64, &'static str, &'static str)],
    picture: &'static str,
    contents: &'static [&'static str],
}

const TOOL_SETS: &[ToolSet] = &[
    ToolSet {
        key: "ferrox-combination-spanner-set",
        zh: "Ferrox 两用扳手套装",
        en: "Ferrox combination spanner set",
        desc_zh: "Ferrox 两用扳手套装，铬钒钢镀铬，装于可挂式帆布卷包或塑料支架中，便于工具车管理。",
        desc_en: "Ferrox combination spanner set, chrome vanadium, chrome-plated, in a roll-up pouch or plastic rack that hangs in a tool trolley.",
        material: "cr_v",
        variants: &[
            (
                "FX-CSS-8",
                8,
                950,
                "8–19 mm（8、10、12、13、14、17、19 等）",
                "8–19 mm (8, 10, 12, 13, 14, 17, 19 …)",
            ),
            ("FX-CSS-12", 12, 1600, "6–22 mm", "6–22 mm"),
            ("FX-CSS-22", 22, 5200, "6–32 mm 全套", "6–32 mm complete"),
        ],
        picture: "tool-set",
        contents: &["ferrox-combination-spanner"],
    },
    ToolSet {
        key: "ferrox-hex-key-set-ball-end",
        zh: "Ferrox 球头内六角扳手套装 9 件",
        en: "Ferrox ball-end hex key set, 9 pieces",
        desc_zh: "9 件加长球头内六角扳手（1.5、2、2.5、3、4、5、6、8、10 mm），带彩色尺寸标识的塑料支架。",
        desc_en: "Nine long ball-end hex keys (1.5, 2, 2.5, 3, 4, 5, 6, 8, 10 mm) in a plastic holder with colour-coded sizes.",
        material: "s2",
        variants: &[("FX-HKS-9", 9, 380, "1.5–10 mm", "1.5–10 mm")],
        picture: "tool-set",
        contents: &["ferrox-hex-key-ball-end-long"],
    },
    ToolSet {
        key: "ferrox-socket-set",
        zh: "Ferrox 套筒扳手套装",
        en: "Ferrox socket set",
        desc_zh: "Ferrox 套筒套装，含 72 齿快脱棘轮扳手、接杆与万向节，装于吹塑工具箱。",
        desc_en: "Ferrox socket set with 72-tooth quick-release ratchet, extensions and universal joint, in a blow-moulded case.",
        material: "cr_v",
        variants: &[
            (
                "FX-SS14-46",
                46,
                1900,
                "1/4\" 46 件（4–14 mm 套筒、批头）",
                "1/4\" 46 pieces (4–14 mm sockets, bits)",
            ),
            (
                "FX-SS12-24",
                24,
                5600,
                "1/2\" 24 件（10–32 mm 套筒）",
                "1/2\" 24 pieces (10–32 mm sockets)",
            ),
        ],
        picture: "tool-set",
        contents: &["ferrox-socket-1-4-drive", "ferrox-socket-1-2-drive"],
    },
    ToolSet {
        key: "ferrox-vde-screwdriver-set",
        zh: "Ferrox VDE 绝缘螺丝刀套装 7 件",
        en: "Ferrox VDE insulated screwdriver set, 7 pieces",
        desc_zh: "7 件 VDE 1000V 绝缘螺丝刀（一字 2.5–6.5、十字 PH1、PH2）及验电笔，每支按 IEC 60900 单独测试。",
        desc_en: "Seven VDE 1000 V insulated screwdrivers (slotted 2.5–6.5, Phillips PH1, PH2) and a voltage tester, each tested to IEC 60900.",
        material: "cr_v",
        variants: &[("FX-VDES-7", 7, 620, "7 件", "7 pieces")],
        picture: "tool-set",
        contents: &[
            "ferrox-vde-screwdriver-slotted",
            "ferrox-vde-screwdriver-phillips",
        ],
    },
    ToolSet {
        key: "ferrox-hss-drill-bit-set",
        zh: "Ferrox HSS-G 麻花钻套装",
        en: "Ferrox HSS-G drill bit set",
        desc_zh: "DIN 338 HSS-G 磨制麻花钻套装，118° 钻尖，装于带尺寸标识的金属盒。",
        desc_en: "DIN 338 HSS-G ground twist drill set, 118° point, in a metal case with size markings.",
        material: "hss",
        variants: &[
            (
                "FX-DBS-19",
                19,
                520,
                "19 件 1–10 mm（步进 0.5）",
                "19 pieces 1–10 mm in 0.5 mm steps",
            ),
            (
                "FX-DBS-25",
                25,
                980,
                "25 件 1–13 mm（步进 0.5）",
                "25 pieces 1–13 mm in 0.5 mm steps",
            ),
        ],
        picture: "tool-set",
        contents: &["ferrox-hss-g-drill-bits-din-338"],
    },
];

fn tool_sets() -> Vec<Product> {
    TOOL_SETS
        .iter()
        .map(|s| {
            let variants = s
                .variants
                .iter()
                .map(|(sku, _, weight, _, _)| {
                    Variant::new(*sku)
                        .unit("set", 1)
                        .weight(*weight)
                        .gtin(true)
                        .dims(400, 250, 60)
                        .attr("material", s.material)
                        .attr("weight", weight.to_string())
                })
                .collect();
            let list_zh = s
                .variants
                .iter()
                .map(|v| format!("{}：{}", v.0, v.3))
                .collect::<Vec<_>>()
                .join("；");
            let list_en = s
                .variants
                .iter()
                .map(|v| format!("{}: {}", v.0, v.4))
                .collect::<Vec<_>>()
                .join("; ");
            Product::new(s.key, "tool-sets", "Ferrox", bi(s.zh, s.en))
                .texts(
                    bi(
                        format!("{}。{list_zh}。", s.zh),
                        format!("{}. {list_en}.", s.en),
                    ),
                    bi(
                        format!("{}\n\n可选规格：{list_zh}。", s.desc_zh),
                        format!("{}\n\nVersions: {list_en}.", s.desc_en),
                    ),
                )
                .image(picture(s.picture, "brand-ferrox"))
                .similars(s.contents)
                .variants(variants)
        })
        .collect()
}

/// Click torque wrenches: key, drive, names, variants (SKU, min Nm, max Nm, length mm).
/// key, drive, drive label, variants (SKU, min Nm, max Nm, length mm).
type TorqueWrench = (
    &'static str,
    &'static str,
    &'static str,
    &'static [(&'static str, u32, u32, u32)],
);

const TORQUE_WRENCHES: &[TorqueWrench] = &[
    (
        "torqline-click-torque-wrench-1-4",
        "sq_1_4",
        "1/4\"",
        &[("TQ-C14-25", 5, 25, 280)],
    ),
    (
        "torqline-click-torque-wrench-3-8",
        "sq_3_8",
        "3/8\"",
        &[("TQ-C38-100", 20, 100, 420)],
    ),
    (
        "torqline-click-torque-wrench-1-2",
        "sq_1_2",
        "1/2\"",
        &[("TQ-C12-200", 40, 200, 520), ("TQ-C12-340", 60, 340, 650)],
    ),
    (
        "torqline-click-torque-wrench-3-4",
        "sq_3_4",
        "3/4\"",
        &[("TQ-C34-550", 110, 550, 1030)],
    ),
];

fn torque_wrenches() -> Vec<Product> {
    let mut out: Vec<Product> = TORQUE_WRENCHES
        .iter()
        .map(|(key, drive, label, variants)| {
            let vs = variants
                .iter()
                .map(|(sku, _, max, len)| {
                    let weight = u64::from(*len) * u64::from(*len) / 220 + 300;
                    Variant::new(*sku)
                        .weight(weight)
                        .gtin(true)
                        .dims(len + 40, 90, 60)
                        .attr("drive", *drive)
                        .attr("torque_max", max.to_string())
                        .attr("length", len.to_string())
                        .attr("weight", weight.to_string())
                })
                .collect();
            let ranges_zh = variants.iter().map(|v| format!("{}–{} Nm", v.1, v.2)).collect::<Vec<_>>().join("、");
            let ranges_en = variants.iter().map(|v| format!("{}–{} Nm", v.1, v.2)).collect::<Vec<_>>().join(", ");
            let similar: Vec<&str> = TORQUE_WRENCHES.iter().filter(|o| o.0 != *key).map(|o| o.0).take(2).collect();
            Product::new(*key, "torque-wrenches", "Torqline", bi(format!("Torqline {label} 预置式扭力扳手"), format!("Torqline {label} click torque wrench")))
                .texts(
                    bi(format!("{label} 方榫预置式扭力扳手，{ranges_zh}，精度 ±4%，带可换向棘轮。"), format!("{label} drive click torque wrench, {ranges_en}, accuracy ±4 %, reversible ratchet head.")),
                    bi(
                        format!("Torqline 预置式（咔嗒式）扭力扳手，{label} 方榫，量程 {ranges_zh}。达到设定扭矩时发出清晰的咔嗒声与手感提示；顺时针精度 ±4%，符合 ISO 6789-1:2017 II 类 A 型，出厂附带校准证书。\n\n双刻度（Nm / lbf·ft），锁紧式手柄防止误调；使用后请回调至最小刻度存放。建议每 5000 次或每年校准一次。"),
                        format!("Torqline click torque wrench, {label} square drive, range {ranges_en}. A clear click and a felt release signal the set torque; clockwise accuracy ±4 % to ISO 6789-1:2017 type II class A, with a calibration certificate.\n\nDual scale (Nm / lbf·ft) and a locking handle against accidental changes; store at the lowest setting. Recalibrate every 5,000 cycles or yearly."),
                    ),
                )
                .image(picture("torque-wrench", "brand-torqline"))
                .similars(&similar)
                .variants(vs)
        })
        .collect();
    out.push(
        Product::new("torqline-digital-torque-wrench", "torque-wrenches", "Torqline", bi("Torqline 数显扭力扳手（蓝牙）", "Torqline digital torque wrench with Bluetooth"))
            .status(Status::Draft)
            .texts(
                bi("数显扭力扳手，扭矩与角度双模式，精度 ±2%，蓝牙记录拧紧数据。", "Digital torque wrench with torque and angle modes, ±2 % accuracy, Bluetooth logging of every joint."),
                bi(
                    "Torqline 数显扭力扳手：LCD 实时显示扭矩与转角，接近目标值时 LED 与振动提示；精度 ±2%（顺/逆时针），存储 250 条记录，可通过蓝牙导出至质量系统。\n\n新品资料准备中，上市前规格可能调整。",
                    "Torqline digital torque wrench: the LCD shows torque and angle live, LEDs and vibration warn as the target nears; ±2 % accuracy both ways, 250 readings stored and exported over Bluetooth to the quality system.\n\nNew product being prepared; specifications may change before launch.",
                ),
            )
            .image(picture("torque-wrench", "brand-torqline"))
            .similars(&["torqline-click-torque-wrench-1-2"])
            .variants(vec![
                Variant::new("TQ-D38-135").weight(900).gtin(true).attr("drive", "sq_3_8").attr("torque_max", "135").attr("length", "470"),
                Variant::new("TQ-D12-340").weight(1500).gtin(true).attr("drive", "sq_1_2").attr("torque_max", "340").attr("length", "640"),
            ]),
    );
    out
}

/// Kit suffix, kit code, added weight (g).
const KITS: &[(&str, &str, u64)] = &[
    ("B", "bare", 0),
    ("K22", "2x2ah", 1150),
    ("K24", "2x4ah", 1650),
    ("K25", "2x5ah", 1750),
];

fn kit_variants(
    sku: &str,
    kits: &[&str],
    bare_g: u64,
    attrs: &[(&'static str, String)],
) -> Vec<Variant> {
    KITS.iter()
        .filter(|(suffix, _, _)| kits.contains(suffix))
        .map(|(suffix, code, extra)| {
            let mut v = Variant::new(format!("{sku}-{suffix}"))
                .unit(if *code == "bare" { "piece" } else { "set" }, 1)
                .weight(bare_g + extra + if *code == "bare" { 150 } else { 1200 })
                .gtin(true)
                .dims(
                    if *code == "bare" { 300 } else { 420 },
                    if *code == "bare" { 90 } else { 340 },
                    if *code == "bare" { 260 } else { 120 },
                )
                .attr("kit", *code);
            for (k, value) in attrs {
                v = v.attr(k, value.clone());
            }
            v.attr("weight", bare_g.to_string())
        })
        .collect()
}

/// A cordless drill: key, SKU, names, volts, torque, speed, bare weight, kits, hammer, status.
type Drill = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    u32,
    u32,
    u32,
    u64,
    &'static [&'static str],
    bool,
    Status,
);

const DRILLS: &[Drill] = &[
    (
        "voltix-12v-drill-driver-vx-d12",
        "VX-D12",
        "Voltix 12V 充电式电钻起子机 VX-D12",
        "Voltix 12 V cordless drill driver VX-D12",
        12,
        30,
        1500,
        950,
        &["B", "K22"],
        false,
        Status::Active,
    ),
    (
        "voltix-18v-drill-driver-vx-d18",
        "VX-D18",
        "Voltix 18V 充电式电钻起子机 VX-D18（有刷）",
        "Voltix 18 V cordless drill driver VX-D18 (brushed)",
        18,
        48,
        1600,
        1500,
        &["B", "K22"],
        false,
        Status::Discontinued,
    ),
    (
        "voltix-18v-brushless-drill-driver-vx-d18b",
        "VX-D18B",
        "Voltix 18V 无刷电钻起子机 VX-D18B",
        "Voltix 18 V brushless drill driver VX-D18B",
        18,
        60,
        2000,
        1300,
        &["B", "K22", "K24"],
        false,
        Status::Active,
    ),
    (
        "voltix-18v-brushless-combi-drill-vx-h18b",
        "VX-H18B",
        "Voltix 18V 无刷冲击钻 VX-H18B",
        "Voltix 18 V brushless combi drill VX-H18B",
        18,
        80,
        2100,
        1700,
        &["B", "K24", "K25"],
        true,
        Status::Active,
    ),
];

fn cordless_drills() -> Vec<Product> {
    DRILLS
        .iter()
        .map(|(key, sku, zh, en, volts, torque, speed, bare_g, kits, hammer, status)| {
            let attrs = [
                ("voltage", volts.to_string()),
                ("torque_max", torque.to_string()),
                ("no_load_speed", speed.to_string()),
            ];
            let mut variants = kit_variants(sku, kits, *bare_g, &attrs);
            if *status == Status::Discontinued {
                for v in &mut variants {
                    let suffix = v.sku.rsplit('-').next().unwrap_or("B").to_string();
                    *v = v.clone().discontinued(format!("VX-D18B-{suffix}"));
                }
            }
            let battery = if *volts == 12 { "voltix-12v-battery" } else { "voltix-18v-battery" };
            let (hz, he) = if *hammer {
                ("带冲击功能，可在砖墙与砌块上钻孔（最大 13 mm），", "with hammer mode for brick and block up to 13 mm, ")
            } else {
                ("", "")
            };
            let mut p = Product::new(*key, "cordless-drills", "Voltix", bi(*zh, *en))
                .status(*status)
                .texts(
                    bi(format!("{volts}V 锂电，最大扭矩 {torque} Nm，空载转速 0–{speed} rpm，13 mm 自锁夹头。"), format!("{volts} V Li-ion, {torque} Nm max. torque, 0–{speed} rpm, 13 mm keyless chuck.")),
                    bi(
                        format!("{zh}：{volts}V 锂电平台，最大扭矩 {torque} Nm，两档变速（0–450 / 0–{speed} rpm），{hz}21+1 档扭力调节，13 mm 单套自锁夹头，LED 工作灯。\n\n可选裸机或含电池与充电器的套装（工具箱包装）；兼容所有 Voltix {volts}V 电池。{}", if *status == Status::Discontinued { "\n\n本型号已停产，请选购无刷替代型号 VX-D18B。" } else { "" }),
                        format!("{en}: {volts} V Li-ion platform, {torque} Nm max. torque, two speeds (0–450 / 0–{speed} rpm), {he}21+1 clutch settings, 13 mm single-sleeve keyless chuck, LED work light.\n\nAvailable as bare tool or as a kit with batteries and charger in a case; takes every Voltix {volts} V battery.{}", if *status == Status::Discontinued { "\n\nThis model is discontinued; order the brushless successor VX-D18B." } else { "" }),
                    ),
                )
                .image(picture("drill", "brand-voltix"))
                .doc("ds-cordless-tools.pdf")
                .accessories(&[battery, "voltix-18v-charger", "ferrox-hss-g-drill-bits-din-338", "ferrox-hss-drill-bit-set"])
                .similars(&DRILLS.iter().filter(|d| d.0 != *key && d.10 == Status::Active).map(|d| d.0).take(2).collect::<Vec<_>>())
                .variants(variants);
            if *status == Status::Discontinued {
                p = p.replaced_by("voltix-18v-brushless-drill-driver-vx-d18b");
            }
            p
        })
        .collect()
}

fn impact_wrenches() -> Vec<Product> {
    /// key, SKU, names, drive, torque, bare weight, kits.
    type Impact = (
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        u32,
        u64,
        &'static [&'static str],
    );
    const IMPACT: &[Impact] = &[
        (
            "voltix-18v-impact-wrench-300",
            "VX-IW18-300",
            "Voltix 18V 无刷冲击扳手 300 Nm",
            "Voltix 18 V brushless impact wrench, 300 Nm",
            "sq_1_2",
            300,
            1500,
            &["B", "K24"],
        ),
        (
            "voltix-18v-impact-wrench-600",
            "VX-IW18-600",
            "Voltix 18V 无刷冲击扳手 600 Nm",
            "Voltix 18 V brushless impact wrench, 600 Nm",
            "sq_1_2",
            600,
            2300,
            &["B", "K25"],
        ),
        (
            "voltix-18v-impact-driver",
            "VX-ID18",
            "Voltix 18V 无刷冲击起子机",
            "Voltix 18 V brushless impact driver",
            "hex_1_4",
            180,
            1100,
            &["B", "K22"],
        ),
    ];
    let mut out: Vec<Product> = IMPACT
        .iter()
        .map(|(key, sku, zh, en, drive, torque, bare_g, kits)| {
            let attrs = [("voltage", "18".to_string()), ("drive", (*drive).to_string()), ("torque_max", torque.to_string())];
            let variants = kit_variants(sku, kits, *bare_g, &attrs);
            let (dz, de) = if *drive == "hex_1_4" { ("1/4\" 六角快换夹头", "1/4\" hex quick-change chuck") } else { ("1/2\" 方榫带卡环", "1/2\" square drive with hog ring") };
            Product::new(*key, "impact-wrenches", "Voltix", bi(*zh, *en))
                .texts(
                    bi(format!("18V 无刷，最大扭矩 {torque} Nm，{dz}，三档冲击力调节。"), format!("18 V brushless, {torque} Nm max. torque, {de}, three impact settings.")),
                    bi(
                        format!("{zh}：无刷电机，最大紧固扭矩 {torque} Nm，{dz}；三档冲击力加自动停止模式，防止螺栓过紧。适用于钢结构、设备安装与车辆维修。\n\n裸机或含电池套装可选，兼容所有 Voltix 18V 电池。"),
                        format!("{en}: brushless motor, {torque} Nm max. fastening torque, {de}; three impact settings plus an auto-stop mode against over-tightening. For steelwork, machine installation and vehicle service.\n\nBare tool or kit with batteries; takes every Voltix 18 V battery."),
                    ),
                )
                .image(picture("impact-wrench", "brand-voltix"))
                .doc("ds-cordless-tools.pdf")
                .accessories(&["voltix-18v-battery", if *drive == "hex_1_4" { "ferrox-screwdriver-phillips" } else { "ferrox-impact-socket-1-2-drive" }])
                .similars(&IMPACT.iter().filter(|o| o.0 != *key).map(|o| o.0).take(1).collect::<Vec<_>>())
                .variants(variants)
        })
        .collect();
    out.push(
        Product::new("airline-pneumatic-impact-wrench-1-2", "impact-wrenches", "AirLine", bi("AirLine 1/2\" 气动冲击扳手（风炮）680 Nm", "AirLine 1/2\" pneumatic impact wrench, 680 Nm"))
            .texts(
                bi("1/2\" 双锤气动冲击扳手，最大 680 Nm，耗气量 120 l/min，进气 G1/4。", "1/2\" twin-hammer air impact wrench, 680 Nm max., 120 l/min air consumption, G1/4 inlet."),
                bi(
                    "AirLine 1/2\" 气动冲击扳手，双锤打击机构，最大松动扭矩 680 Nm，正反转三档调节；复合材料外壳，重量仅 1.9 kg。工作压力 6.3 bar，平均耗气量 120 l/min，进气接口 G1/4 内螺纹，建议使用内径 10 mm 气管。\n\n请配合冲击套筒使用，并在进气口前安装油雾器。",
                    "AirLine 1/2\" pneumatic impact wrench with twin-hammer mechanism, 680 Nm max. breakaway torque, three settings forward and reverse; composite housing, only 1.9 kg. Working pressure 6.3 bar, average air consumption 120 l/min, G1/4 female inlet; use 10 mm ID hose.\n\nUse impact sockets only and fit a lubricator upstream.",
                ),
            )
            .image(picture("impact-wrench", "grey"))
            .accessories(&["ferrox-impact-socket-1-2-drive", "airline-euro-coupling-plug"])
            .similars(&["voltix-18v-impact-wrench-600"])
            .variants(vec![
                Variant::new("AL-IW12-680")
                    .weight(2300)
                    .gtin(true)
                    .dims(260, 90, 230)
                    .attr("drive", "sq_1_2")
                    .attr("torque_max", "680")
                    .attr("pressure_max", "6.3")
                    .attr("weight", "1900"),
            ]),
    );
    out
}

fn angle_grinders() -> Vec<Product> {
    /// key, SKU, disc, watts, rpm, weight g.
    const GRINDERS: &[(&str, &str, u32, u32, u32, u64)] = &[
        (
            "voltix-angle-grinder-115",
            "VX-AG115",
            115,
            750,
            11000,
            1800,
        ),
        (
            "voltix-angle-grinder-125",
            "VX-AG125",
            125,
            1100,
            11000,
            2200,
        ),
        (
            "voltix-angle-grinder-230",
            "VX-AG230",
            230,
            2200,
            6600,
            5200,
        ),
    ];
    GRINDERS
        .iter()
        .map(|(key, sku, disc, watts, rpm, weight)| {
            let variants = [("CN", 220), ("EU", 230)]
                .iter()
                .map(|(plug, volts)| {
                    Variant::new(format!("{sku}-{plug}"))
                        .weight(weight + 600)
                        .gtin(true)
                        .dims(if *disc > 200 { 500 } else { 330 }, 130, if *disc > 200 { 260 } else { 130 })
                        .attr("power", watts.to_string())
                        .attr("diameter", disc.to_string())
                        .attr("voltage", volts.to_string())
                        .attr("no_load_speed", rpm.to_string())
                        .attr("weight", weight.to_string())
                })
                .collect();
            let brushes = "voltix-carbon-brushes";
            Product::new(*key, "angle-grinders", "Voltix", bi(format!("Voltix 角磨机 {disc} mm {watts}W"), format!("Voltix angle grinder {disc} mm, {watts} W")))
                .texts(
                    bi(format!("{watts}W 角磨机，砂轮直径 {disc} mm，空载转速 {rpm} rpm，中国插头 220V 或欧标插头 230V。"), format!("{watts} W angle grinder for {disc} mm discs, {rpm} rpm no-load, with Chinese 220 V or European 230 V plug.")),
                    bi(
                        format!("Voltix {disc} mm 角磨机，功率 {watts}W，空载转速 {rpm} rpm，M14 主轴。软启动与过载保护，断电后重启保护防止意外启动；防护罩免工具调节，侧手柄可左右安装。\n\n料号 -CN 为 220V 国标插头，-EU 为 230V 欧标插头。碳刷为易损件，另行提供。"),
                        format!("Voltix {disc} mm angle grinder, {watts} W, {rpm} rpm no-load, M14 spindle. Soft start, overload protection and restart protection after a power cut; tool-free guard adjustment, side handle left or right.\n\nPart numbers ending -CN have a 220 V Chinese plug, -EU a 230 V Schuko plug. Carbon brushes are wear parts, sold separately."),
                    ),
                )
                .image(picture("grinder", "brand-voltix"))
                .accessories(&["ferrox-inox-cutting-disc", "ferrox-zirconia-flap-disc"])
                .spare_parts(&[brushes])
                .similars(&GRINDERS.iter().filter(|g| g.0 != *key).map(|g| g.0).collect::<Vec<_>>())
                .variants(variants)
        })
        .collect()
}

fn batteries() -> Vec<Product> {
    let battery = |key: &str, volts: u32, variants: &[(&str, &str, u64)], zh: &str, en: &str| {
        let vs = variants
            .iter()
            .map(|(sku, ah, g)| {
                Variant::new(*sku)
                    .weight(*g)
                    .gtin(true)
                    .attr("voltage", volts.to_string())
                    .attr("capacity_ah", *ah)
                    .attr("weight", g.to_string())
            })
            .collect();
        let caps = variants
            .iter()
            .map(|v| format!("{} Ah", v.1))
            .collect::<Vec<_>>()
            .join(" / ");
        Product::new(key, "batteries-and-chargers", "Voltix", bi(zh, en))
            .texts(
                bi(format!("Voltix {volts}V 锂电池，{caps}，带电量指示。"), format!("Voltix {volts} V Li-ion battery, {caps}, with charge indicator.")),
                bi(
                    format!("Voltix {volts}V 锂离子电池包，容量 {caps}，适用于所有 Voltix {volts}V 工具。三格电量指示灯，单节电芯温度监控，防过充、过放与过热。可用 VX-C18 快充充电器充电。"),
                    format!("Voltix {volts} V lithium-ion battery pack, {caps}, for every Voltix {volts} V tool. Three-LED fuel gauge, cell temperature monitoring, protection against over-charge, deep discharge and overheating. Charges in the VX-C18 fast charger."),
                ),
            )
            .image(picture("battery", "brand-voltix"))
            .doc("ds-cordless-tools.pdf")
            .accessories(&["voltix-18v-charger"])
            .variants(vs)
    };
    vec![
        battery("voltix-18v-battery", 18, &[("VX-B18-20", "2", 400), ("VX-B18-40", "4", 650), ("VX-B18-50", "5", 700)], "Voltix 18V 锂电池", "Voltix 18 V battery"),
        battery("voltix-12v-battery", 12, &[("VX-B12-20", "2", 250), ("VX-B12-30", "3", 300)], "Voltix 12V 锂电池", "Voltix 12 V battery"),
        Product::new("voltix-18v-charger", "batteries-and-chargers", "Voltix", bi("Voltix 12–18V 快速充电器 VX-C18", "Voltix 12–18 V fast charger VX-C18"))
            .texts(
                bi("12V 与 18V 电池通用快充，2.0 Ah 约 30 分钟充满。", "Fast charger for 12 V and 18 V batteries; a 2.0 Ah pack in about 30 minutes."),
                bi(
                    "Voltix VX-C18 快速充电器，兼容全部 Voltix 12V 与 18V 锂电池；主动风冷，充电电流 4 A，2.0 Ah 约 30 分钟、5.0 Ah 约 75 分钟充满。LED 指示充电、满电及电池过热状态。输入 220–240 V AC。",
                    "Voltix VX-C18 fast charger for every Voltix 12 V and 18 V Li-ion battery; fan-cooled, 4 A charge current, a 2.0 Ah pack in about 30 minutes and a 5.0 Ah pack in about 75. LEDs show charging, full and battery too hot. Input 220–240 V AC.",
                ),
            )
            .image(picture("battery", "grey"))
            .doc("ds-cordless-tools.pdf")
            .accessories(&["voltix-18v-battery", "voltix-12v-battery"])
            .variants(vec![Variant::new("VX-C18").weight(650).gtin(true).dims(200, 120, 80).attr("voltage", "18").attr("weight", "500")]),
        Product::new("voltix-carbon-brushes", "power-tool-spares", "Voltix", bi("Voltix 角磨机碳刷（一对）", "Voltix angle grinder carbon brushes (pair)"))
            .texts(
                bi("Voltix 角磨机原厂碳刷，按对销售，带自停装置。", "Original carbon brushes for Voltix angle grinders, sold in pairs, with auto-stop."),
                bi(
                    "Voltix 原厂碳刷，带自停装置：碳刷磨损至极限时自动断电，保护换向器。每台角磨机请选择对应型号，两只同时更换。",
                    "Original Voltix carbon brushes with auto-stop: the grinder switches off when the brushes reach their wear limit, protecting the commutator. Choose the part number of your grinder model and always replace both brushes.",
                ),
            )
            .image(picture("carbon-brush", "grey"))
            .variants(
                ["AG115", "AG125", "AG230"]
                    .iter()
                    .map(|m| Variant::new(format!("VX-CB-{m}")).unit("pair", 1).weight(20).attr("voltage", "220").attr("weight", "16"))
                    .collect(),
            ),
    ]
}

fn drill_bits() -> Vec<Product> {
    let twist = |key: &str,
                 sku: &str,
                 material: &str,
                 from: u32,
                 to: u32,
                 zh: &str,
                 en: &str,
                 std: &str,
                 desc_zh: &str,
                 desc_en: &str| {
        let variants = (from..=to)
            .map(|half_mm| {
                let d = f64::from(half_mm) / 2.0;
                let length = (34.0 + 9.3 * (d - 1.0)).round() as u32;
                let pack: u32 = if d <= 6.0 { 10 } else { 5 };
                let piece = (d * d * f64::from(length) * 0.0048).max(0.5);
                Variant::new(format!("{sku}-{}", num(d)))
                    .unit("pack", pack)
                    .weight((piece * f64::from(pack)).round() as u64 + 15)
                    .gtin(true)
                    .attr("diameter", num(d))
                    .attr("material", material)
                    .attr("length", length.to_string())
                    .attr("drive", "round")
                    .attr("en_standard", std)
            })
            .collect();
        Product::new(key, "drill-bits", "Ferrox", bi(zh, en))
            .texts(
                bi(format!("{zh}，直径 {}–{} mm，{std}。", num(f64::from(from) / 2.0), num(f64::from(to) / 2.0)), format!("{en}, {}–{} mm diameter, {std}.", num(f64::from(from) / 2.0), num(f64::from(to) / 2.0))),
                bi(format!("{desc_zh}\n\n直径 {}–{} mm，步进 0.5 mm；6 mm 及以下每包 10 支，以上每包 5 支。", num(f64::from(from) / 2.0), num(f64::from(to) / 2.0)), format!("{desc_en}\n\nDiameters {}–{} mm in 0.5 mm steps; packs of 10 up to 6 mm, packs of 5 above.", num(f64::from(from) / 2.0), num(f64::from(to) / 2.0))),
            )
            .image(picture("drill-bit", if material == "hss_co" { "yellow-zinc" } else { "steel" }))
            .similars(&["ferrox-hss-drill-bit-set"])
            .variants(variants)
    };
    let sds_sizes: &[(u32, u32)] = &[
        (5, 110),
        (6, 110),
        (6, 160),
        (8, 110),
        (8, 160),
        (10, 160),
        (10, 210),
        (12, 160),
        (12, 210),
        (14, 160),
        (16, 210),
    ];
    vec![
        twist(
            "ferrox-hss-g-drill-bits-din-338",
            "FX-DB338",
            "hss",
            2,
            26,
            "Ferrox HSS-G 磨制麻花钻 DIN 338",
            "Ferrox HSS-G twist drill bits DIN 338",
            "DIN 338 type N, 118°",
            "全磨制 HSS-G 麻花钻，118° 钻尖，N 型螺旋，适用于非合金钢、铸铁、铜与铝，切削速度稳定、孔径精确。",
            "Fully ground HSS-G twist drills with 118° point and type N flutes for unalloyed steel, cast iron, copper and aluminium: steady cutting and accurate holes.",
        ),
        twist(
            "ferrox-hss-co-drill-bits-din-338",
            "FX-DB338CO",
            "hss_co",
            4,
            20,
            "Ferrox 含钴 HSS-Co 麻花钻 DIN 338",
            "Ferrox HSS-Co cobalt twist drill bits DIN 338",
            "DIN 338 type VA, 135° split point",
            "含 5% 钴高速钢麻花钻，135° 十字修磨钻尖，自定心不滑移，适用于不锈钢、耐热钢及高强度合金钢。钻不锈钢时请低速并充分冷却。",
            "Twist drills in 5 % cobalt high-speed steel with 135° split point that centres itself: for stainless, heat-resistant and high-tensile alloy steel. Drill stainless slowly and with plenty of coolant.",
        ),
        Product::new("ferrox-sds-plus-masonry-drill-bits", "drill-bits", "Ferrox", bi("Ferrox SDS-plus 四刃硬质合金冲击钻头", "Ferrox SDS-plus four-cutter carbide hammer drill bits"))
            .texts(
                bi("SDS-plus 柄四刃硬质合金钻头，5–16 mm，适用于混凝土、钢筋混凝土与砖石。", "SDS-plus four-cutter carbide drill bits, 5–16 mm, for concrete, reinforced concrete and masonry."),
                bi(
                    "Ferrox SDS-plus 冲击钻头，十字型四刃硬质合金刀头，遇钢筋不卡钻，孔圆度高，适合锚栓安装。四螺旋排屑槽快速排屑，减少发热。\n\n规格为直径 × 总长，适配所有 SDS-plus 电锤。",
                    "Ferrox SDS-plus hammer drill bits with a four-cutter carbide head that does not jam on rebar and drills round holes for anchors. Four-start flutes clear dust fast and keep the bit cool.\n\nSizes are diameter × overall length; fits every SDS-plus rotary hammer.",
                ),
            )
            .image(picture("drill-bit", "grey"))
            .accessories(&["wedge-anchor-m10-zinc", "wall-plug-nylon-8mm"])
            .variants(
                sds_sizes
                    .iter()
                    .map(|(d, l)| {
                        Variant::new(format!("FX-SDS-{d}X{l}"))
                            .weight(u64::from(d * d * l) / 120 + 20)
                            .gtin(true)
                            .attr("diameter", d.to_string())
                            .attr("length", l.to_string())
                            .attr("material", "carbide")
                            .attr("drive", "sds_plus")
                            .attr("en_standard", "PGM certified, ISO 5468")
                    })
                    .collect(),
            ),
    ]
}

fn discs() -> Vec<Product> {
    let cutting: &[(u32, f64, u32)] = &[
        (115, 1.0, 25),
        (125, 1.0, 25),
        (125, 1.6, 25),
        (230, 1.9, 10),
    ];
    let flap: &[(u32, u32)] = &[
        (115, 40),
        (115, 60),
        (115, 80),
        (115, 120),
        (125, 40),
        (125, 60),
        (125, 80),
        (125, 120),
    ];
    vec![
        Product::new("ferrox-inox-cutting-disc", "abrasive-discs", "Ferrox", bi("Ferrox 不锈钢超薄切割片", "Ferrox INOX thin cutting disc"))
            .texts(
                bi("不锈钢及钢材超薄切割片，115–230 mm，厚 1.0–1.9 mm，不含铁、硫、氯。", "Thin cutting discs for stainless and steel, 115–230 mm, 1.0–1.9 mm thick, free of iron, sulphur and chlorine."),
                bi(
                    "Ferrox INOX 超薄切割片，棕刚玉磨料，树脂结合剂，双层玻纤网增强。含铁、硫、氯量低于 0.1%，不会污染不锈钢表面。1.0 mm 薄片切口窄、发热少、切削快。\n\n最高线速度 80 m/s，符合 EN 12413；请始终佩戴护目镜并使用防护罩。",
                    "Ferrox INOX thin cutting discs: aluminium oxide grain, resin bond, two fibreglass reinforcements. Less than 0.1 % iron, sulphur and chlorine, so stainless surfaces stay clean. The 1.0 mm discs cut fast with a narrow, cool kerf.\n\nMax. 80 m/s, to EN 12413; always wear eye protection and use the guard.",
                ),
            )
            .image(picture("disc", "grey"))
            .similars(&["ferrox-zirconia-flap-disc"])
            .variants(
                cutting
                    .iter()
                    .map(|(d, t, pack)| {
                        Variant::new(format!("FX-CD-{d}X{}", num(*t)))
                            .unit("box", *pack)
                            .weight(u64::from(*pack) * u64::from(d * d) / 600)
                            .gtin(true)
                            .attr("diameter", d.to_string())
                            .attr("thickness", num(*t))
                            .attr("material", "aluminium_oxide")
                    })
                    .collect(),
            ),
        Product::new("ferrox-zirconia-flap-disc", "abrasive-discs", "Ferrox", bi("Ferrox 锆刚玉百叶片", "Ferrox zirconia flap disc"))
            .texts(
                bi("锆刚玉百叶片，115/125 mm，P40–P120，适用于焊缝打磨与去毛刺。", "Zirconia flap discs, 115/125 mm, P40–P120, for weld grinding and deburring."),
                bi(
                    "Ferrox 锆刚玉百叶片，斜面型（T29），玻纤底盘。P40/P60 用于焊缝与粗磨，P80/P120 用于表面修整与抛光前处理；寿命约为普通刚玉百叶片的两倍。\n\n最高转速 13300 rpm（115 mm）/ 12200 rpm（125 mm），每盒 10 片。",
                    "Ferrox zirconia flap discs, conical (T29) with fibreglass backing. P40/P60 for welds and heavy stock removal, P80/P120 for blending and finishing before polishing; lasts about twice as long as aluminium oxide flap discs.\n\nMax. 13,300 rpm (115 mm) / 12,200 rpm (125 mm); 10 discs per box.",
                ),
            )
            .image(picture("disc", "blue"))
            .similars(&["ferrox-inox-cutting-disc"])
            .variants(
                flap.iter()
                    .map(|(d, grit)| {
                        Variant::new(format!("FX-FD-{d}-P{grit}"))
                            .unit("box", 10)
                            .weight(u64::from(d * d) / 110 + 30)
                            .gtin(true)
                            .attr("diameter", d.to_string())
                            .attr("grit", grit.to_string())
                            .attr("material", "zirconia")
                    })
                    .collect(),
            ),
    ]
}
