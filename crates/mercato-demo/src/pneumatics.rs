//! Pneumatics: ISO 15552, ISO 6432 and compact cylinders with seal kits,
//! mountings and sensors; push-in fittings, tubing, quick couplings;
//! solenoid and manual valves, silencers; air preparation units.

use crate::media::picture;
use crate::model::{Product, Status, Variant, bi, num, sku_part};

/// All pneumatic products.
pub(crate) fn products() -> Vec<Product> {
    let mut out = Vec::new();
    for series in CYLINDER_SERIES {
        for bore in series.bores {
            out.push(cylinder(series, bore));
        }
    }
    out.extend(seal_kits());
    out.extend(cylinder_accessories());
    out.extend(fittings());
    out.extend(tubing());
    out.extend(couplings());
    out.extend(valves());
    out.extend(air_preparation());
    out
}

/// Port label as the spreadsheet writes it and as texts show it.
fn port(code: &str) -> &'static str {
    crate::taxonomy::option_label("port_size", code).0
}

/// A bore of a cylinder series: bore, port code, rod thread code, base weight g, g per mm stroke.
type Bore = (u32, &'static str, &'static str, u64, f64);

struct CylinderSeries {
    key: &'static str,
    sku: &'static str,
    category: &'static str,
    zh: &'static str,
    en: &'static str,
    std: &'static str,
    bores: &'static [Bore],
    strokes: &'static [u32],
    cushioning: &'static str,
    material: &'static str,
    seal_kit: &'static str,
    desc_zh: &'static str,
    desc_en: &'static str,
    accessories: &'static [&'static str],
}

const CYLINDER_SERIES: &[CylinderSeries] = &[
    CylinderSeries {
        key: "airline-iso-15552-cylinder",
        sku: "PCYL",
        category: "iso-cylinders",
        zh: "AirLine ISO 15552 标准气缸",
        en: "AirLine ISO 15552 profile cylinder",
        std: "ISO 15552",
        bores: &[
            (32, "g1-8", "m10", 600, 2.3),
            (40, "g1-4", "m12", 850, 3.2),
            (50, "g1-4", "m16", 1300, 4.3),
            (63, "g3-8", "m16", 1700, 4.8),
            (80, "g3-8", "m20", 2800, 7.0),
            (100, "g1-2", "m20", 3800, 8.0),
        ],
        strokes: &[25, 50, 75, 100, 125, 150, 200, 250, 300, 400, 500],
        cushioning: "pneumatic",
        material: "aluminium_anodised",
        seal_kit: "airline-seal-kit-iso-15552",
        desc_zh: "双作用型材气缸，阳极氧化铝合金缸筒，带传感器槽，磁性活塞，两端可调气缓冲；安装尺寸符合 ISO 15552（等同 ISO 6431 / VDMA 24562），可与各品牌标准气缸互换。",
        desc_en: "Double-acting profile cylinder with anodised aluminium barrel and sensor slots, magnetic piston and adjustable pneumatic cushioning at both ends; mounting dimensions to ISO 15552 (formerly ISO 6431 / VDMA 24562), interchangeable with standard cylinders of other makes.",
        accessories: &[
            "airline-rod-clevis",
            "airline-foot-mounting",
            "airline-rear-hinge",
            "airline-cylinder-sensor",
            "airline-push-in-male-straight",
        ],
    },
    CylinderSeries {
        key: "airline-iso-6432-mini-cylinder",
        sku: "MCYL",
        category: "mini-cylinders",
        zh: "AirLine ISO 6432 不锈钢迷你气缸",
        en: "AirLine ISO 6432 stainless round cylinder",
        std: "ISO 6432",
        bores: &[
            (10, "m5", "m4", 70, 0.35),
            (12, "m5", "m6", 90, 0.45),
            (16, "m5", "m6", 120, 0.55),
            (20, "g1-8", "m8", 210, 0.8),
            (25, "g1-8", "m10", 300, 1.0),
        ],
        strokes: &[10, 25, 50, 80, 100, 125, 160, 200],
        cushioning: "elastic",
        material: "a2",
        seal_kit: "airline-seal-kit-iso-6432",
        desc_zh: "双作用迷你气缸，不锈钢缸筒，端盖滚压密封免维护，磁性活塞，弹性缓冲；尺寸符合 ISO 6432，适用于夹紧、推料及轻型自动化。",
        desc_en: "Double-acting round cylinder with stainless steel barrel, rolled-in maintenance-free end caps, magnetic piston and elastic cushioning; dimensions to ISO 6432, for clamping, pushing and light automation.",
        accessories: &["airline-cylinder-sensor", "airline-push-in-male-straight"],
    },
    CylinderSeries {
        key: "airline-compact-cylinder",
        sku: "CCYL",
        category: "compact-cylinders",
        zh: "AirLine 薄型气缸 ISO 21287",
        en: "AirLine compact cylinder ISO 21287",
        std: "ISO 21287",
        bores: &[
            (16, "m5", "m5", 110, 1.2),
            (20, "m5", "m6", 150, 1.5),
            (25, "m5", "m6", 200, 1.9),
            (32, "g1-8", "m8", 300, 2.6),
            (40, "g1-8", "m8", 420, 3.3),
            (50, "g1-4", "m10", 650, 4.5),
            (63, "g1-4", "m10", 900, 5.6),
        ],
        strokes: &[5, 10, 15, 20, 25, 30, 40, 50],
        cushioning: "elastic",
        material: "aluminium_anodised",
        seal_kit: "airline-seal-kit-compact",
        desc_zh: "双作用薄型气缸，结构紧凑，安装长度短，适用于夹具、定位与空间受限的场合；磁性活塞，两侧传感器槽，弹性缓冲。",
        desc_en: "Double-acting compact cylinder with a very short installed length for fixtures, stops and tight spaces; magnetic piston, sensor slots on two sides, elastic cushioning.",
        accessories: &["airline-cylinder-sensor", "airline-push-in-male-elbow"],
    },
];

fn cylinder_key(series: &CylinderSeries, bore: u32) -> String {
    format!("{}-{bore}", series.key)
}

fn cylinder(s: &CylinderSeries, b: &Bore) -> Product {
    let (bore, port_code, rod, base_g, per_mm) = *b;
    let variants = s
        .strokes
        .iter()
        .map(|stroke| {
            let g = base_g + (f64::from(*stroke) * per_mm).round() as u64;
            Variant::new(format!("{}-{bore}X{stroke}", s.sku))
                .weight(g + 80)
                .gtin(true)
                .mpn(format!("AL-{}{bore}-{stroke}-PPV-A", &s.sku[..1]))
                .dims(stroke + bore * 3 + 60, bore + 14, bore + 14)
                .attr("bore", bore.to_string())
                .attr("stroke", stroke.to_string())
                .attr("pressure_max", "10")
                .attr("port_size", port_code)
                .attr("thread_size", rod)
                .attr("cushioning", s.cushioning)
                .attr("magnetic_piston", "true")
                .attr("material", s.material)
                .attr("temp_max", "80")
                .attr("weight", g.to_string())
        })
        .collect();
    let force = (std::f64::consts::PI / 4.0 * f64::from(bore * bore) * 0.6).round();
    let rod_label = crate::taxonomy::option_label("thread_size", rod).0;
    let (first, last) = (
        s.strokes.first().copied().unwrap_or(0),
        s.strokes.last().copied().unwrap_or(0),
    );
    let neighbours: Vec<String> = s
        .bores
        .windows(2)
        .filter(|w| w[0].0 == bore || w[1].0 == bore)
        .map(|w| if w[0].0 == bore { w[1].0 } else { w[0].0 })
        .map(|other| cylinder_key(s, other))
        .collect();
    Product::new(cylinder_key(s, bore), s.category, "AirLine", bi(format!("{} 缸径 {bore} mm", s.zh), format!("{}, bore {bore} mm", s.en)))
        .texts(
            bi(
                format!("{} 双作用气缸，缸径 {bore} mm，行程 {first}–{last} mm，接口 {}，最高 10 bar。", s.std, port(port_code)),
                format!("{} double-acting cylinder, bore {bore} mm, strokes {first}–{last} mm, {} ports, up to 10 bar.", s.std, port(port_code)),
            ),
            bi(
                format!("{}\n\n缸径 {bore} mm，活塞杆螺纹 {rod_label}，气口 {}，工作压力 1–10 bar，工作温度 −20～+80 °C。6 bar 时理论推力约 {} N。\n\n行程 {first}–{last} mm，每个料号一种行程；密封件套件作为备件单独提供。", s.desc_zh, port(port_code), num(force)),
                format!("{}\n\nBore {bore} mm, piston rod thread {rod_label}, {} ports, 1–10 bar, −20 to +80 °C. Theoretical thrust at 6 bar about {} N.\n\nStrokes {first}–{last} mm, one per part number; the seal kit is sold separately as a spare part.", s.desc_en, port(port_code), num(force)),
            ),
        )
        .image(picture("cylinder", "aluminium"))
        .doc("ds-iso-cylinders.pdf")
        .spare_parts(&[s.seal_kit])
        .accessories(s.accessories)
        .similars(&neighbours)
        .variants(variants)
}

fn seal_kits() -> Vec<Product> {
    CYLINDER_SERIES
        .iter()
        .map(|s| {
            let sku = format!("SK-{}", s.sku);
            Product::new(s.seal_kit, "cylinder-seal-kits", "AirLine", bi(format!("{} 密封件套装", s.zh), format!("Seal kit for {}", s.en)))
                .texts(
                    bi(format!("{} 系列气缸原厂密封件，按缸径选择。", s.zh), format!("Original seals for {} cylinders, by bore.", s.en)),
                    bi(
                        format!("适用于 {} 的密封件套装，包含活塞密封、活塞杆密封、防尘圈、缓冲密封及 O 形圈，材质为 NBR 与 PU，附专用润滑脂。更换前请排空气缸压力。", s.zh),
                        format!("Seal kit for the {}: piston seals, rod seal, wiper, cushioning seals and O-rings in NBR and PU, with special grease. Exhaust the cylinder before servicing.", s.en),
                    ),
                )
                .image(picture("seal-kit", "black"))
                .doc("ds-iso-cylinders.pdf")
                .variants(
                    s.bores
                        .iter()
                        .map(|b| Variant::new(format!("{sku}-{}", b.0)).weight(u64::from(b.0) / 2 + 15).attr("bore", b.0.to_string()).attr("material", "nitrile"))
                        .collect(),
                )
        })
        .collect()
}

fn cylinder_accessories() -> Vec<Product> {
    let iso = CYLINDER_SERIES.first().map_or(&[][..], |s| s.bores);
    let mounting = |key: &str,
                    sku: &str,
                    zh: &str,
                    en: &str,
                    material: &str,
                    factor: u64,
                    dz: &str,
                    de: &str,
                    with_rod: bool| {
        Product::new(key, "cylinder-accessories", "AirLine", bi(zh, en))
            .texts(
                bi(format!("{zh}，适用于 ISO 15552 气缸，缸径 32–100 mm。"), format!("{en} for ISO 15552 cylinders, bores 32–100 mm.")),
                bi(
                    format!("{dz}\n\n适用于缸径 32、40、50、63、80、100 mm 的 ISO 15552 气缸，按缸径选择料号；安装尺寸符合标准，也可用于其他品牌的标准气缸。"),
                    format!("{de}\n\nFor ISO 15552 cylinders with bores 32, 40, 50, 63, 80 and 100 mm; choose the part number by bore. Dimensions follow the standard, so it also fits standard cylinders of other makes."),
                ),
            )
            .image(picture("mounting", if material == "aluminium" { "aluminium" } else { "zinc" }))
            .doc("ds-iso-cylinders.pdf")
            .variants(
                iso.iter()
                    .map(|(bore, _, rod, _, _)| {
                        Variant::new(format!("{sku}-{bore}"))
                            .weight(u64::from(*bore) * factor)
                            .gtin(true)
                            .attr("bore", bore.to_string())
                            .attr("thread_size", if with_rod { *rod } else { "" })
                            .attr("material", material)
                    })
                    .collect(),
            )
    };
    vec![
        mounting("airline-rod-clevis", "RC", "AirLine 活塞杆 Y 型接头", "AirLine rod clevis", "steel_zinc", 5, "镀锌钢活塞杆 Y 型接头，含销轴与卡簧，螺纹与各缸径活塞杆匹配，符合 ISO 8140。", "Zinc-plated steel rod clevis with pin and circlips, thread matching the piston rod of each bore, to ISO 8140.", true),
        mounting("airline-foot-mounting", "FM", "AirLine 脚架安装件（一对）", "AirLine foot mounting (pair)", "steel_zinc", 6, "镀锌钢 L 形脚架一对，含固定螺钉，用于将气缸固定在底板上。", "Pair of zinc-plated steel foot brackets with screws, to fix the cylinder to a base plate.", false),
        mounting("airline-rear-hinge", "RH", "AirLine 后端铰支座", "AirLine rear clevis mounting", "aluminium", 4, "铝合金后端双耳铰支座，含销轴，气缸可摆动安装，符合 ISO 15552 MP2。", "Aluminium rear clevis with pin for swivel mounting, ISO 15552 MP2.", false),
        Product::new("airline-cylinder-sensor", "cylinder-accessories", "AirLine", bi("AirLine 气缸磁性开关（T 形槽）", "AirLine cylinder position sensor (T-slot)"))
            .texts(
                bi("T 形槽磁性位置传感器，PNP 电子式或干簧式，2 m 电缆或 M8 插头。", "T-slot magnetic position sensor, PNP electronic or reed, 2 m cable or M8 plug."),
                bi(
                    "AirLine 磁性开关，从上方插入 T 形槽，一颗螺钉固定；检测磁性活塞位置。PNP 电子式 10–30 V DC，无触点、寿命长；干簧式 5–240 V AC/DC，适用于交流控制回路。LED 状态指示。",
                    "AirLine position sensor that drops into the T-slot from above and locks with one screw; detects the magnetic piston. PNP electronic version 10–30 V DC, contact-free and long-lived; reed version 5–240 V AC/DC for AC control circuits. LED status indicator.",
                ),
            )
            .image(picture("sensor", "black"))
            .variants(vec![
                Variant::new("CS-PNP-2M").weight(40).gtin(true).attr("voltage", "24").attr("material", "pa12"),
                Variant::new("CS-PNP-M8").weight(20).gtin(true).attr("voltage", "24").attr("material", "pa12"),
                Variant::new("CS-REED-2M").weight(40).gtin(true).attr("voltage", "230").attr("material", "pa12"),
            ]),
    ]
}

/// Threaded push-in fitting combinations: tube OD and port code.
const THREADED: &[(u32, &str)] = &[
    (4, "m5"),
    (4, "g1-8"),
    (6, "m5"),
    (6, "g1-8"),
    (6, "g1-4"),
    (8, "g1-8"),
    (8, "g1-4"),
    (8, "g3-8"),
    (10, "g1-4"),
    (10, "g3-8"),
    (12, "g1-4"),
    (12, "g3-8"),
    (12, "g1-2"),
];

fn fittings() -> Vec<Product> {
    /// key, SKU code, names, threaded, text.
    const FITTINGS: &[(&str, &str, &str, &str, bool, &str, &str)] = &[
        (
            "airline-push-in-male-straight",
            "PC",
            "AirLine 外螺纹直通快插接头",
            "AirLine push-in male straight connector",
            true,
            "外螺纹直通接头，螺纹带预涂密封胶。",
            "Male straight connector; thread with pre-applied sealant.",
        ),
        (
            "airline-push-in-male-elbow",
            "PL",
            "AirLine 外螺纹弯头快插接头",
            "AirLine push-in male elbow",
            true,
            "外螺纹 90° 弯头，可 360° 旋转定向。",
            "Male 90° elbow that swivels 360° for alignment.",
        ),
        (
            "airline-push-in-union-straight",
            "PU",
            "AirLine 直通快插接头（等径）",
            "AirLine push-in straight union",
            false,
            "两端快插，用于连接或修复同径气管。",
            "Push-in at both ends, to join or repair tubes of the same size.",
        ),
        (
            "airline-push-in-union-tee",
            "PE",
            "AirLine 三通快插接头（等径）",
            "AirLine push-in union tee",
            false,
            "T 形三通，用于气路分支。",
            "Union tee to branch an air line.",
        ),
        (
            "airline-push-in-union-y",
            "PY",
            "AirLine Y 形快插接头（等径）",
            "AirLine push-in Y connector",
            false,
            "Y 形分支，一进二出，流阻小。",
            "Y branch, one in and two out, with low flow loss.",
        ),
        (
            "airline-push-in-bulkhead-union",
            "PM",
            "AirLine 穿板直通快插接头",
            "AirLine push-in bulkhead union",
            false,
            "穿板安装，带锁紧螺母，用于气路穿过箱体或面板。",
            "Bulkhead union with lock nut, to take a line through a cabinet wall or panel.",
        ),
    ];
    let mut out: Vec<Product> = FITTINGS
        .iter()
        .map(|(key, code, zh, en, threaded, tz, te)| {
            let combos: Vec<(u32, Option<&str>)> = if *threaded {
                THREADED.iter().map(|(od, p)| (*od, Some(*p))).collect()
            } else {
                [4, 6, 8, 10, 12].iter().map(|od| (*od, None)).collect()
            };
            let variants = combos
                .iter()
                .map(|(od, p)| {
                    let sku = match p {
                        Some(p) => format!("PF-{code}{od:02}-{}", sku_part(port(p))),
                        None => format!("PF-{code}{od:02}"),
                    };
                    Variant::new(sku)
                        .unit("pack", 10)
                        .weight(u64::from(*od) * 10 * 2 + 20)
                        .gtin(true)
                        .attr("tube_od", od.to_string())
                        .attr("port_size", p.unwrap_or(""))
                        .attr("material", "pbt")
                        .attr("pressure_max", "10")
                })
                .collect();
            let similar: Vec<&str> = FITTINGS.iter().filter(|f| f.0 != *key && f.4 == *threaded).map(|f| f.0).take(3).collect();
            Product::new(*key, "push-in-fittings", "AirLine", bi(*zh, *en))
                .texts(
                    bi(format!("{zh}，气管外径 4–12 mm，PBT 本体，镀镍黄铜{}。{tz}", if *threaded { "螺纹" } else { "锁爪" }), format!("{en} for 4–12 mm OD tube, PBT body, nickel-plated brass {}. {te}", if *threaded { "thread" } else { "collet" })),
                    bi(
                        format!("{zh}：{tz}\n\n适用于 PU 与 PA 气管，插入即连接，按压释放环即可拆卸；工作压力 −0.95～10 bar，温度 0～60 °C。每包 10 只。"),
                        format!("{en}: {te}\n\nFor PU and PA tubing: push in to connect, press the release ring to remove; −0.95 to 10 bar, 0 to 60 °C. 10 per pack."),
                    ),
                )
                .image(picture("fitting", "brass"))
                .doc("ds-push-in-fittings.pdf")
                .accessories(&["airline-pu-tubing-blue", "airline-pu-tubing-black"])
                .similars(&similar)
                .variants(variants)
        })
        .collect();
    out.push(
        Product::new("airline-stainless-push-in-male-straight", "push-in-fittings", "AirLine", bi("AirLine 316 不锈钢外螺纹直通快插接头", "AirLine 316 stainless push-in male straight connector"))
            .texts(
                bi("全不锈钢 AISI 316 快插接头，适用于食品、制药与腐蚀性环境。", "All-stainless AISI 316 push-in connector for food, pharma and corrosive environments."),
                bi(
                    "AirLine 全金属快插接头，本体、锁爪与螺纹均为 AISI 316 不锈钢，FKM 密封圈，耐清洗剂与大多数化学品；工作温度 −20～+150 °C，工作压力 −0.95～20 bar。按只销售。",
                    "AirLine all-metal push-in connector: body, collet and thread in AISI 316 stainless steel, FKM seal, resistant to wash-down chemicals; −20 to +150 °C, −0.95 to 20 bar. Sold individually.",
                ),
            )
            .image(picture("fitting", "stainless"))
            .doc("ds-push-in-fittings.pdf")
            .similars(&["airline-push-in-male-straight"])
            .variants(
                [(6_u32, "g1-8"), (6, "g1-4"), (8, "g1-4"), (10, "g3-8"), (12, "g1-2")]
                    .iter()
                    .map(|(od, p)| {
                        Variant::new(format!("PF-SS-PC{od:02}-{}", sku_part(port(p))))
                            .weight(u64::from(*od) * 4 + 10)
                            .gtin(true)
                            .attr("tube_od", od.to_string())
                            .attr("port_size", *p)
                            .attr("material", "a4")
                            .attr("pressure_max", "20")
                    })
                    .collect(),
            ),
    );
    out
}

fn tubing() -> Vec<Product> {
    let sizes: &[(u32, f64)] = &[(4, 2.5), (6, 4.0), (8, 5.0), (10, 6.5), (12, 8.0)];
    let tube = |key: &str,
                prefix: &str,
                label: &str,
                colour: &str,
                material: &str,
                zh: &str,
                en: &str,
                pressure: &str,
                temp: &str,
                dz: &str,
                de: &str| {
        let mut variants = Vec::new();
        for (od, id) in sizes {
            let stem = format!("{prefix}-{od}X{}-{label}", num(*id));
            let per_m = (f64::from(od * od) - id * id) * 0.95;
            let attrs = |v: Variant| {
                v.attr("tube_od", od.to_string())
                    .attr("material", material)
                    .attr("colour", colour)
                    .attr("pressure_max", pressure)
                    .attr("temp_max", temp)
            };
            variants.push(attrs(
                Variant::new(format!("{stem}-M"))
                    .unit("meter", 1)
                    .weight(per_m.round().max(1.0) as u64),
            ));
            variants.push(attrs(
                Variant::new(format!("{stem}-100"))
                    .unit("roll", 1)
                    .weight((per_m * 100.0).round() as u64 + 150)
                    .gtin(true),
            ));
        }
        Product::new(key, "pneumatic-tubing", "AirLine", bi(zh, en))
            .texts(
                bi(format!("{zh}，外径 4–12 mm，按米或 100 米整卷销售。"), format!("{en}, 4–12 mm OD, by the metre or in 100 m rolls.")),
                bi(format!("{dz}\n\n规格为外径 × 内径（mm）；按米裁剪（1 米起订）或整卷 100 米。"), format!("{de}\n\nSizes are outside × inside diameter (mm); cut by the metre (from 1 m) or in 100 m rolls.")),
            )
            .image(picture("tubing", match colour { "transparent" => "clear", "black" => "black", "red" => "red", _ => "blue" }))
            .doc("ds-push-in-fittings.pdf")
            .accessories(&["airline-push-in-male-straight", "airline-push-in-union-straight"])
            .similars(&["airline-pu-tubing-blue", "airline-pu-tubing-black", "airline-pa12-tubing-black"].into_iter().filter(|k| *k != key).take(2).collect::<Vec<_>>())
            .variants(variants)
    };
    let pu_zh = "AirLine 聚醚型 PU 气管，邵氏硬度 98A，柔软抗扭结，耐水解与微生物，适用于气动元件间的柔性连接与拖链。20 °C 时最高 10 bar。";
    let pu_en = "AirLine polyether PU tubing, 98 Shore A, flexible and kink-resistant, resistant to hydrolysis and microbes; for flexible connections between components and in cable chains. Up to 10 bar at 20 °C.";
    vec![
        tube(
            "airline-pu-tubing-blue",
            "PU",
            "BU",
            "blue",
            "pu",
            "AirLine PU 气管 蓝色",
            "AirLine PU tubing, blue",
            "10",
            "60",
            pu_zh,
            pu_en,
        ),
        tube(
            "airline-pu-tubing-black",
            "PU",
            "BK",
            "black",
            "pu",
            "AirLine PU 气管 黑色",
            "AirLine PU tubing, black",
            "10",
            "60",
            pu_zh,
            pu_en,
        ),
        tube(
            "airline-pu-tubing-clear",
            "PU",
            "CL",
            "transparent",
            "pu",
            "AirLine PU 气管 透明",
            "AirLine PU tubing, clear",
            "10",
            "60",
            pu_zh,
            pu_en,
        ),
        tube(
            "airline-pu-tubing-red",
            "PU",
            "RD",
            "red",
            "pu",
            "AirLine PU 气管 红色",
            "AirLine PU tubing, red",
            "10",
            "60",
            pu_zh,
            pu_en,
        ),
        tube(
            "airline-pa12-tubing-black",
            "PA",
            "BK",
            "black",
            "pa12",
            "AirLine PA12 尼龙气管 黑色",
            "AirLine PA12 nylon tubing, black",
            "20",
            "80",
            "AirLine PA12 尼龙管，耐压高、尺寸稳定、耐油，适用于固定敷设的主气路及较高温度场合；黑色抗紫外线。20 °C 时最高 20 bar。",
            "AirLine PA12 nylon tubing: high pressure rating, dimensionally stable and oil-resistant, for fixed main lines and warmer places; black is UV-stabilised. Up to 20 bar at 20 °C.",
        ),
    ]
}

fn couplings() -> Vec<Product> {
    let ports = ["g1-4", "g3-8", "g1-2"];
    let coupling = |key: &str,
                    prefix: &str,
                    zh: &str,
                    en: &str,
                    dz: &str,
                    de: &str,
                    similar: &str| {
        Product::new(key, "quick-couplings", "AirLine", bi(zh, en))
            .texts(
                bi(format!("{zh}，EURO 型（ISO 6150 B），G1/4–G1/2，镀镍黄铜。"), format!("{en}, EURO profile (ISO 6150 B), G1/4–G1/2, nickel-plated brass.")),
                bi(format!("{dz}\n\n最高工作压力 12 bar，流量大、压降小；与所有 EURO（ISO 6150 B / 7.2 mm）快速接头兼容。"), format!("{de}\n\nMax. 12 bar, high flow and low pressure drop; compatible with every EURO (ISO 6150 B / 7.2 mm) coupling.")),
            )
            .image(picture("coupling", "brass"))
            .similars(&[similar])
            .variants(
                ports
                    .iter()
                    .map(|p| {
                        Variant::new(format!("{prefix}-{}", sku_part(port(p))))
                            .weight(if prefix.ends_with('S') { 90 } else { 35 })
                            .gtin(true)
                            .attr("port_size", *p)
                            .attr("material", "brass_nickel")
                            .attr("pressure_max", "12")
                    })
                    .collect(),
            )
    };
    vec![
        coupling(
            "airline-euro-coupling-socket",
            "QC-S",
            "AirLine EURO 快速接头母头（内螺纹）",
            "AirLine EURO coupling socket, female thread",
            "单手操作的安全快速接头母头，拔出时先排气后断开，防止气管甩动伤人。",
            "Safety coupling socket operated with one hand: it vents the line before releasing, so the hose does not whip.",
            "airline-euro-coupling-plug",
        ),
        coupling(
            "airline-euro-coupling-plug",
            "QC-P",
            "AirLine EURO 快速接头公头（外螺纹）",
            "AirLine EURO coupling plug, male thread",
            "淬火钢插头镀镍，耐磨损，用于气动工具与软管末端。",
            "Hardened, nickel-plated plug that resists wear, for air tools and hose ends.",
            "airline-euro-coupling-socket",
        ),
    ]
}

/// Solenoid valve functions: key, function code, part-number label, names, ports.
/// key, function code, part-number label, Chinese and English names, ports.
type ValveFamily = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
);

const SV5: &[ValveFamily] = &[
    (
        "airline-sv5-5-2-single-solenoid-valve",
        "5-2-single",
        "52S",
        "AirLine SV5 二位五通单电控电磁阀",
        "AirLine SV5 5/2-way single solenoid valve",
        &["g1-8", "g1-4", "g3-8"],
    ),
    (
        "airline-sv5-5-2-double-solenoid-valve",
        "5-2-double",
        "52D",
        "AirLine SV5 二位五通双电控电磁阀",
        "AirLine SV5 5/2-way double solenoid valve",
        &["g1-8", "g1-4", "g3-8"],
    ),
    (
        "airline-sv5-5-3-closed-centre-valve",
        "5-3-cc",
        "53C",
        "AirLine SV5 三位五通中封电磁阀",
        "AirLine SV5 5/3-way closed-centre solenoid valve",
        &["g1-8", "g1-4", "g3-8"],
    ),
    (
        "airline-sv5-3-2-nc-solenoid-valve",
        "3-2-nc",
        "32N",
        "AirLine SV5 二位三通常闭电磁阀",
        "AirLine SV5 3/2-way normally closed solenoid valve",
        &["g1-8", "g1-4"],
    ),
];

fn flow(port_code: &str) -> &'static str {
    match port_code {
        "g1-8" => "700",
        "g1-4" => "1200",
        "g3-8" => "2400",
        "g1-2" => "4000",
        "g3-4" => "6000",
        _ => "300",
    }
}

fn valve_variant(sku: String, function: &str, port_code: &str, dc: bool) -> Variant {
    Variant::new(sku)
        .weight(if port_code == "g3-8" { 420 } else { 260 })
        .gtin(true)
        .attr("valve_function", function)
        .attr("port_size", port_code)
        .attr("voltage", if dc { "24" } else { "230" })
        .attr("current_type", if dc { "dc" } else { "ac" })
        .attr("flow_rate", flow(port_code))
        .attr("pressure_max", "8")
        .attr("power", if dc { "2.5" } else { "4" })
}

fn valves() -> Vec<Product> {
    let mut out: Vec<Product> = SV5
        .iter()
        .map(|(key, function, label, zh, en, ports)| {
            let mut variants = Vec::new();
            for p in *ports {
                for dc in [true, false] {
                    variants.push(valve_variant(format!("SV5-{label}-{}-{}", sku_part(port(p)), if dc { "24DC" } else { "230AC" }), function, p, dc));
                }
            }
            let fl = crate::taxonomy::option_label("valve_function", function);
            Product::new(*key, "solenoid-valves", "AirLine", bi(*zh, *en))
                .texts(
                    bi(format!("{}电磁阀，{}，线圈 24 V DC 或 230 V AC，带手动操作。", fl.1, ports.iter().map(|p| port(p)).collect::<Vec<_>>().join("/")), format!("{} solenoid valve, {} ports, 24 V DC or 230 V AC coil, manual override.", fl.0, ports.iter().map(|p| port(p)).collect::<Vec<_>>().join("/"))),
                    bi(
                        format!("{zh}：先导式滑阀结构，{}，铝合金阀体，可单独安装或装于汇流板。线圈符合 DIN EN 175301-803 B 型插头，24 V DC（2.5 W）或 230 V AC（4 VA），防护等级 IP65。工作压力 1.5–8 bar，每个电磁头带手动操作按钮。\n\n流量：G1/8 约 700 l/min，G1/4 约 1200 l/min，G3/8 约 2400 l/min。", fl.1),
                        format!("{en}: pilot-operated spool valve, {}, aluminium body, for single mounting or manifolds. Coil with DIN EN 175301-803 form B connector, 24 V DC (2.5 W) or 230 V AC (4 VA), IP65. Operating pressure 1.5–8 bar, manual override on every solenoid.\n\nFlow: G1/8 about 700 l/min, G1/4 about 1200 l/min, G3/8 about 2400 l/min.", fl.0.to_lowercase()),
                    ),
                )
                .image(picture("valve", "blue"))
                .doc("ds-solenoid-valves.pdf")
                .accessories(&["airline-sintered-bronze-silencer", "airline-push-in-male-straight"])
                .similars(&SV5.iter().filter(|o| o.0 != *key).map(|o| o.0).take(2).collect::<Vec<_>>())
                .variants(variants)
        })
        .collect();
    out.push(
        Product::new("airline-sv3-5-2-single-solenoid-valve", "solenoid-valves", "AirLine", bi("AirLine SV3 二位五通单电控电磁阀（停产）", "AirLine SV3 5/2-way single solenoid valve (discontinued)"))
            .status(Status::Discontinued)
            .texts(
                bi("SV3 系列已停产，由安装尺寸相同的 SV5 系列替代。", "The SV3 series is discontinued and replaced by the SV5 series with the same mounting dimensions."),
                bi(
                    "AirLine SV3 系列电磁阀已停产。SV5 系列接口、安装孔位与电气连接完全相同，流量提高约 15%，可直接替换；每个料号均注明替代料号。",
                    "The AirLine SV3 solenoid valves are discontinued. The SV5 series has identical ports, mounting holes and electrical connection with about 15 % more flow, and replaces them directly; each part number names its replacement.",
                ),
            )
            .image(picture("valve", "grey"))
            .doc("ds-solenoid-valves.pdf")
            .replaced_by("airline-sv5-5-2-single-solenoid-valve")
            .variants(
                ["g1-8", "g1-4"]
                    .iter()
                    .map(|p| {
                        let mut v = valve_variant(format!("SV3-52S-{}-24DC", sku_part(port(p))), "5-2-single", p, true);
                        v.gtin = false;
                        v.discontinued(format!("SV5-52S-{}-24DC", sku_part(port(p))))
                    })
                    .collect(),
            ),
    );
    out.push(
        Product::new("airline-5-2-hand-lever-valve", "manual-valves", "AirLine", bi("AirLine 二位五通手动阀（手柄式）", "AirLine 5/2-way hand lever valve"))
            .texts(
                bi("手柄操作二位五通阀，G1/8–G3/8，带定位，无需电源。", "Hand-lever 5/2-way valve, G1/8–G3/8, detented, no power needed."),
                bi(
                    "AirLine 手动换向阀，手柄带两位定位，适用于夹具、手动工位及调试。铝合金阀体，面板或底板安装，工作压力 0–10 bar。",
                    "AirLine manually operated valve with two-position detented lever, for fixtures, manual stations and commissioning. Aluminium body, panel or base mounting, 0–10 bar.",
                ),
            )
            .image(picture("valve", "red"))
            .accessories(&["airline-sintered-bronze-silencer"])
            .similars(&["airline-sv5-5-2-single-solenoid-valve"])
            .variants(
                ["g1-8", "g1-4", "g3-8"]
                    .iter()
                    .map(|p| {
                        Variant::new(format!("HV-52-{}", sku_part(port(p))))
                            .weight(300)
                            .gtin(true)
                            .attr("valve_function", "5-2-lever")
                            .attr("port_size", *p)
                            .attr("flow_rate", flow(p))
                            .attr("pressure_max", "10")
                    })
                    .collect(),
            ),
    );
    out.push(
        Product::new("airline-sintered-bronze-silencer", "valve-accessories", "AirLine", bi("AirLine 烧结青铜消声器", "AirLine sintered bronze silencer"))
            .texts(
                bi("烧结青铜排气消声器，M5–G1/2，降低排气噪声并阻挡灰尘。", "Sintered bronze exhaust silencer, M5–G1/2, reduces exhaust noise and keeps dirt out."),
                bi(
                    "AirLine 消声器，烧结青铜消声芯，黄铜螺纹，安装于阀门排气口，可降低排气噪声约 25 dB 并防止杂质进入阀内。堵塞后流量下降，请定期清洁或更换。每包 10 只。",
                    "AirLine silencer with sintered bronze element and brass thread, fitted to valve exhaust ports: cuts exhaust noise by about 25 dB and keeps dirt out of the valve. Clean or replace when clogged, as flow drops. 10 per pack.",
                ),
            )
            .image(picture("silencer", "brass"))
            .variants(
                ["m5", "g1-8", "g1-4", "g3-8", "g1-2"]
                    .iter()
                    .map(|p| Variant::new(format!("SL-{}", sku_part(port(p)))).unit("pack", 10).weight(150).gtin(true).attr("port_size", *p).attr("material", "sintered_bronze"))
                    .collect(),
            ),
    );
    out
}

fn air_preparation() -> Vec<Product> {
    let ports: &[(&str, &str)] = &[("g1-4", "1500"), ("g3-8", "2500"), ("g1-2", "4000")];
    let unit = |key: &str, prefix: &str, zh: &str, en: &str, filter: bool, dz: &str, de: &str| {
        Product::new(key, "air-preparation", "AirLine", bi(zh, en))
            .texts(
                bi(format!("{zh}，G1/4–G1/2，进口压力最高 16 bar{}。", if filter { "，过滤精度 5 µm" } else { "" }), format!("{en}, G1/4–G1/2, inlet up to 16 bar{}.", if filter { ", 5 µm filter" } else { "" })),
                bi(format!("{dz}\n\n模块化设计，可用连接件与其他气源处理单元组合；出口压力 0.5–10 bar。"), format!("{de}\n\nModular: combines with other air-preparation units using connecting kits; outlet pressure 0.5–10 bar.")),
            )
            .image(picture("frl", "aluminium"))
            .accessories(&["airline-euro-coupling-socket", "airline-push-in-male-straight"])
            .similars(&["airline-filter-regulator", "airline-frl-unit"].into_iter().filter(|k| *k != key).collect::<Vec<_>>())
            .variants(
                ports
                    .iter()
                    .map(|(p, q)| {
                        Variant::new(format!("{prefix}-{}", sku_part(port(p))))
                            .weight(if *p == "g1-2" { 900 } else { 550 })
                            .gtin(true)
                            .attr("port_size", *p)
                            .attr("pressure_max", "16")
                            .attr("filter_grade", if filter { "5" } else { "" })
                            .attr("flow_rate", *q)
                    })
                    .collect(),
            )
    };
    vec![
        unit("airline-filter-regulator", "FR", "AirLine 过滤减压阀", "AirLine filter regulator", true, "AirLine 过滤减压阀，5 µm 过滤芯，聚碳酸酯水杯带金属护罩，半自动排水，带压力表。", "AirLine filter regulator with 5 µm element, polycarbonate bowl with metal guard, semi-automatic drain and pressure gauge."),
        unit("airline-pressure-regulator", "PR", "AirLine 减压阀", "AirLine pressure regulator", false, "AirLine 减压阀，膜片式，带溢流与压力表，旋钮可按下锁定防止误调。", "AirLine diaphragm pressure regulator with relieving function and gauge; the knob locks when pushed in."),
        unit("airline-lubricator", "LU", "AirLine 油雾器", "AirLine lubricator", false, "AirLine 比例式油雾器，可视滴油窗，运行中可加油，适用于需要润滑的气动工具与老式气缸。", "AirLine proportional lubricator with sight dome, refillable under pressure, for air tools and older cylinders that need oil."),
        unit("airline-frl-unit", "FRL", "AirLine 三联件（过滤减压阀＋油雾器）", "AirLine FRL unit (filter regulator + lubricator)", true, "AirLine 气源处理三联件，由过滤减压阀与油雾器组合，附安装支架，为设备提供洁净、稳压、润滑的压缩空气。", "AirLine FRL unit: filter regulator and lubricator assembled with mounting bracket, supplying clean, regulated and lubricated air to the machine."),
        Product::new("airline-digital-pressure-switch", "air-preparation", "AirLine", bi("AirLine 数显压力开关", "AirLine digital pressure switch"))
            .status(Status::Draft)
            .texts(
                bi("数显压力开关，−1～10 bar，两路 PNP 输出，IO-Link。", "Digital pressure switch, −1 to 10 bar, two PNP outputs, IO-Link."),
                bi(
                    "AirLine 数显压力开关，双色显示，两路 PNP 开关量输出，可选 IO-Link 通讯，用于监控气源压力与真空度。\n\n新品资料准备中。",
                    "AirLine digital pressure switch with two-colour display, two PNP switching outputs and optional IO-Link, for monitoring supply pressure and vacuum.\n\nNew product, details being prepared.",
                ),
            )
            .image(picture("sensor", "blue"))
            .similars(&["airline-filter-regulator"])
            .variants(vec![Variant::new("DPS-G18-PNP").weight(90).gtin(true).attr("port_size", "g1-8").attr("pressure_max", "10")]),
    ]
}
