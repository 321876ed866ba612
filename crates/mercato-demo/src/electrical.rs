//! Electrical: cables (sold by the metre and in rolls), circuit breakers
//! and residual current devices, wiring accessories, industrial lighting
//! and IEC 60309 plugs and sockets.

use crate::media::picture;
use crate::model::{Product, Status, Variant, bi, num, slug_part};

/// All electrical products.
pub(crate) fn products() -> Vec<Product> {
    let mut out = Vec::new();
    out.extend(CABLES.iter().map(cable_product));
    out.extend(mcbs());
    out.extend(rcds());
    out.extend(terminal_blocks());
    out.extend(cable_lugs());
    out.extend(cable_glands());
    out.extend(cable_ties());
    out.push(heat_shrink());
    out.extend(lights());
    out.extend(cee_plugs());
    out
}

/// One cable product: a type in one core count (or a family of core counts).
struct Cable {
    key: &'static str,
    sku: &'static str,
    zh: &'static str,
    en: &'static str,
    category: &'static str,
    volts: u32,
    volt_label: &'static str,
    insulation: &'static str,
    std: &'static str,
    temp_max: u32,
    markets: &'static str,
    /// Core counts with their part-number label ("3", "3G").
    cores: &'static [(u32, &'static str)],
    sections: &'static [f64],
    /// Sold cut to length: (minimum, step) in metres.
    meter: Option<(&'static str, &'static str)>,
    /// Also sold in rolls of this many metres.
    roll: Option<u32>,
    colour: &'static str,
    /// Part-number tag that tells products of one type apart (BV colours).
    tag: &'static str,
    note_zh: &'static str,
    note_en: &'static str,
    similar: &'static [&'static str],
}

const YJV: Cable = Cable {
    key: "",
    sku: "YJV",
    zh: "",
    en: "",
    category: "power-cables",
    volts: 1000,
    volt_label: "0.6/1 kV",
    insulation: "xlpe",
    std: "GB/T 12706.1-2020",
    temp_max: 90,
    markets: "cn",
    cores: &[],
    sections: &[1.5, 2.5, 4.0, 6.0, 10.0, 16.0, 25.0],
    meter: Some(("1", "1")),
    roll: Some(100),
    colour: "black",
    tag: "",
    note_zh: "铜芯（2 类绞合导体）交联聚乙烯绝缘、聚氯乙烯护套电力电缆，导体长期允许工作温度 90 °C，适用于配电线路的固定敷设（户内、电缆沟、桥架及管道）。",
    note_en: "Copper conductor (class 2 stranded), XLPE insulation, PVC sheath; conductor rated for 90 °C continuous. For fixed installation in distribution circuits: indoors, in cable trenches, on trays and in ducts.",
    similar: &[
        "cablecore-yjv-3-core",
        "cablecore-yjv-4-core",
        "cablecore-yjv-5-core",
    ],
};

const RVV: Cable = Cable {
    key: "",
    sku: "RVV",
    zh: "",
    en: "",
    category: "flexible-cables",
    volts: 500,
    volt_label: "300/500 V",
    insulation: "pvc",
    std: "GB/T 5023.5-2008",
    temp_max: 70,
    markets: "cn",
    cores: &[],
    sections: &[0.5, 0.75, 1.0, 1.5, 2.5],
    meter: Some(("1", "0.5")),
    roll: Some(100),
    colour: "white",
    tag: "",
    note_zh: "铜芯（5 类软导体）聚氯乙烯绝缘、聚氯乙烯护套软电缆，柔软易弯，适用于家用电器、仪器仪表与照明的移动或固定连接。",
    note_en: "Flexible copper conductor (class 5), PVC insulation and PVC sheath; soft and easy to bend, for appliances, instruments and lighting, fixed or moving.",
    similar: &[
        "cablecore-rvv-2-core",
        "cablecore-rvv-3-core",
        "cablecore-rvv-4-core",
    ],
};

const BV: Cable = Cable {
    key: "",
    sku: "BV",
    zh: "",
    en: "",
    category: "building-wire",
    volts: 750,
    volt_label: "450/750 V",
    insulation: "pvc",
    std: "GB/T 5023.3-2008",
    temp_max: 70,
    markets: "cn",
    cores: &[(1, "1")],
    sections: &[1.5, 2.5, 4.0, 6.0],
    meter: None,
    roll: Some(100),
    colour: "red",
    tag: "",
    note_zh: "单芯铜导体聚氯乙烯绝缘布电线（1.5–6 mm² 为实心导体），穿管或线槽敷设，用于建筑内照明与插座回路。按国标颜色区分相线、零线与地线。",
    note_en: "Single-core copper building wire with PVC insulation (solid conductor 1.5–6 mm²), pulled through conduit or trunking for lighting and socket circuits. Colours follow the Chinese standard for phase, neutral and earth.",
    similar: &[
        "cablecore-bv-wire-red",
        "cablecore-bv-wire-blue",
        "cablecore-bv-wire-green-yellow",
    ],
};

const H07RNF: Cable = Cable {
    key: "",
    sku: "H07RNF",
    zh: "",
    en: "",
    category: "flexible-cables",
    volts: 750,
    volt_label: "450/750 V",
    insulation: "rubber",
    std: "EN 50525-2-21",
    temp_max: 60,
    markets: "eu",
    cores: &[],
    sections: &[1.5, 2.5, 4.0, 6.0],
    meter: Some(("1", "1")),
    roll: Some(50),
    colour: "black",
    tag: "",
    note_zh: "橡胶绝缘、氯丁橡胶护套重型软电缆，耐油、耐候、耐紫外线，适用于工地、农业及户外移动设备，可在 −25 °C 下移动使用。",
    note_en: "Heavy-duty rubber cable with EPR insulation and polychloroprene sheath: oil-, weather- and UV-resistant, for building sites, agriculture and outdoor mobile equipment, flexible down to −25 °C.",
    similar: &[
        "cablecore-h07rn-f-3g",
        "cablecore-h07rn-f-4g",
        "cablecore-h07rn-f-5g",
    ],
};

const NYM: Cable = Cable {
    key: "",
    sku: "NYMJ",
    zh: "",
    en: "",
    category: "building-wire",
    volts: 500,
    volt_label: "300/500 V",
    insulation: "pvc",
    std: "VDE 0250-204",
    temp_max: 70,
    markets: "eu",
    cores: &[],
    sections: &[1.5, 2.5, 4.0],
    meter: Some(("1", "1")),
    roll: Some(100),
    colour: "grey",
    tag: "",
    note_zh: "德标 PVC 护套安装电缆，带绿/黄保护线（-J），实心铜导体，填充层便于剥线，适用于干燥、潮湿房间的明敷、暗敷及埋墙敷设。",
    note_en: "German-standard PVC-sheathed installation cable with green/yellow protective conductor (-J), solid copper, filler for easy stripping; on, in and under plaster in dry and damp rooms.",
    similar: &["cablecore-nym-j-3g", "cablecore-nym-j-5g"],
};

/// Every cable product.
const CABLES: &[Cable] = &[
    Cable {
        key: "cablecore-yjv-3-core",
        zh: "Cablecore YJV 0.6/1kV 铜芯交联电力电缆 3 芯",
        en: "Cablecore YJV 0.6/1 kV copper XLPE power cable, 3 cores",
        cores: &[(3, "3")],
        ..YJV
    },
    Cable {
        key: "cablecore-yjv-4-core",
        zh: "Cablecore YJV 0.6/1kV 铜芯交联电力电缆 4 芯",
        en: "Cablecore YJV 0.6/1 kV copper XLPE power cable, 4 cores",
        cores: &[(4, "4")],
        ..YJV
    },
    Cable {
        key: "cablecore-yjv-5-core",
        zh: "Cablecore YJV 0.6/1kV 铜芯交联电力电缆 5 芯",
        en: "Cablecore YJV 0.6/1 kV copper XLPE power cable, 5 cores",
        cores: &[(5, "5")],
        ..YJV
    },
    Cable {
        key: "cablecore-yjv22-armoured-4-core",
        sku: "YJV22",
        zh: "Cablecore YJV22 钢带铠装电力电缆 4 芯",
        en: "Cablecore YJV22 steel-tape armoured power cable, 4 cores",
        cores: &[(4, "4")],
        sections: &[4.0, 6.0, 10.0, 16.0, 25.0, 35.0],
        meter: Some(("10", "1")),
        roll: None,
        note_zh: "铜芯交联聚乙烯绝缘、双层钢带铠装、聚氯乙烯护套电力电缆，可直埋敷设，承受较大机械外力。按米销售，10 米起订。",
        note_en: "Copper XLPE-insulated power cable with double steel-tape armour and PVC sheath, for direct burial and heavy mechanical stress. Cut to length from 10 m.",
        similar: &["cablecore-yjv-4-core"],
        ..YJV
    },
    Cable {
        key: "cablecore-rvv-2-core",
        zh: "Cablecore RVV 300/500V 护套软电缆 2 芯",
        en: "Cablecore RVV 300/500 V sheathed flexible cable, 2 cores",
        cores: &[(2, "2")],
        ..RVV
    },
    Cable {
        key: "cablecore-rvv-3-core",
        zh: "Cablecore RVV 300/500V 护套软电缆 3 芯",
        en: "Cablecore RVV 300/500 V sheathed flexible cable, 3 cores",
        cores: &[(3, "3")],
        ..RVV
    },
    Cable {
        key: "cablecore-rvv-4-core",
        zh: "Cablecore RVV 300/500V 护套软电缆 4 芯",
        en: "Cablecore RVV 300/500 V sheathed flexible cable, 4 cores",
        cores: &[(4, "4")],
        ..RVV
    },
    Cable {
        key: "cablecore-bv-wire-red",
        zh: "Cablecore BV 单芯布电线 红色",
        en: "Cablecore BV single-core building wire, red",
        colour: "red",
        tag: "RD",
        ..BV
    },
    Cable {
        key: "cablecore-bv-wire-yellow",
        zh: "Cablecore BV 单芯布电线 黄色",
        en: "Cablecore BV single-core building wire, yellow",
        colour: "yellow",
        tag: "YE",
        ..BV
    },
    Cable {
        key: "cablecore-bv-wire-green",
        zh: "Cablecore BV 单芯布电线 绿色",
        en: "Cablecore BV single-core building wire, green",
        colour: "green",
        tag: "GN",
        ..BV
    },
    Cable {
        key: "cablecore-bv-wire-blue",
        zh: "Cablecore BV 单芯布电线 蓝色",
        en: "Cablecore BV single-core building wire, blue",
        colour: "blue",
        tag: "BU",
        ..BV
    },
    Cable {
        key: "cablecore-bv-wire-green-yellow",
        zh: "Cablecore BV 单芯布电线 黄绿双色",
        en: "Cablecore BV single-core building wire, green/yellow",
        colour: "green_yellow",
        tag: "GNYE",
        ..BV
    },
    Cable {
        key: "cablecore-h07rn-f-3g",
        zh: "Cablecore H07RN-F 橡胶软电缆 3G",
        en: "Cablecore H07RN-F rubber cable, 3G",
        cores: &[(3, "3G")],
        ..H07RNF
    },
    Cable {
        key: "cablecore-h07rn-f-4g",
        zh: "Cablecore H07RN-F 橡胶软电缆 4G",
        en: "Cablecore H07RN-F rubber cable, 4G",
        cores: &[(4, "4G")],
        ..H07RNF
    },
    Cable {
        key: "cablecore-h07rn-f-5g",
        zh: "Cablecore H07RN-F 橡胶软电缆 5G",
        en: "Cablecore H07RN-F rubber cable, 5G",
        cores: &[(5, "5G")],
        ..H07RNF
    },
    Cable {
        key: "cablecore-nym-j-3g",
        zh: "Cablecore NYM-J 安装电缆 3G",
        en: "Cablecore NYM-J installation cable, 3G",
        cores: &[(3, "3G")],
        ..NYM
    },
    Cable {
        key: "cablecore-nym-j-5g",
        zh: "Cablecore NYM-J 安装电缆 5G",
        en: "Cablecore NYM-J installation cable, 5G",
        cores: &[(5, "5G")],
        ..NYM
    },
    Cable {
        key: "cablecore-h05vv-f-3g",
        sku: "H05VVF",
        zh: "Cablecore H05VV-F PVC 软电缆 3G",
        en: "Cablecore H05VV-F PVC flexible cable, 3G",
        volts: 500,
        volt_label: "300/500 V",
        insulation: "pvc",
        std: "EN 50525-2-11",
        temp_max: 70,
        markets: "",
        cores: &[(3, "3G")],
        sections: &[0.75, 1.0, 1.5],
        meter: Some(("1", "0.5")),
        roll: Some(100),
        colour: "white",
        note_zh: "欧标 PVC 绝缘护套软电缆，适用于家电、办公设备及轻型移动设备的电源连接，室内干燥或潮湿环境。",
        note_en: "European-standard PVC flexible cable for the supply of appliances, office equipment and light mobile equipment indoors, dry or damp.",
        similar: &["cablecore-rvv-3-core"],
        ..RVV
    },
    Cable {
        key: "cablecore-liycy-control-cable",
        sku: "LIYCY",
        zh: "Cablecore LiYCY 屏蔽数据控制电缆",
        en: "Cablecore LiYCY screened data and control cable",
        category: "control-cables",
        volts: 350,
        volt_label: "350 V",
        insulation: "pvc",
        std: "DIN VDE 0812 / 0814",
        temp_max: 70,
        markets: "",
        cores: &[(2, "2"), (4, "4"), (7, "7")],
        sections: &[0.25, 0.5, 0.75],
        meter: Some(("1", "1")),
        roll: Some(100),
        colour: "grey",
        note_zh: "细绞合铜导体，PVC 绝缘，镀锡铜丝编织屏蔽（覆盖率约 85%），灰色 PVC 护套；用于测量、控制及数据信号传输，抗电磁干扰。",
        note_en: "Finely stranded copper, PVC insulation, tinned copper braid screen (about 85 % coverage), grey PVC sheath; for measurement, control and data signals where interference matters.",
        similar: &["cablecore-rvvp-shielded-cable"],
        ..RVV
    },
    Cable {
        key: "cablecore-rvvp-shielded-cable",
        sku: "RVVP",
        zh: "Cablecore RVVP 屏蔽软电缆",
        en: "Cablecore RVVP screened flexible cable",
        category: "control-cables",
        volts: 300,
        volt_label: "300/300 V",
        insulation: "pvc",
        std: "JB/T 8734.5-2016",
        temp_max: 70,
        markets: "cn",
        cores: &[(2, "2"), (3, "3"), (4, "4")],
        sections: &[0.5, 0.75, 1.0],
        meter: Some(("1", "1")),
        roll: Some(100),
        colour: "black",
        note_zh: "铜芯聚氯乙烯绝缘、铜丝编织屏蔽、聚氯乙烯护套软电缆，用于仪表、PLC 及安防系统的信号与控制线路。",
        note_en: "Copper flexible cable with PVC insulation, copper braid screen and PVC sheath, for instrumentation, PLC and security signal and control wiring.",
        similar: &["cablecore-liycy-control-cable"],
        ..RVV
    },
];

fn cable_product(c: &Cable) -> Product {
    let mut variants = Vec::new();
    for (cores, core_label) in c.cores {
        for cs in c.sections {
            if c.cores.len() > 1 && *cores >= 7 && *cs > 0.5 {
                continue;
            }
            let copper = cs * f64::from(*cores) * 8.96;
            let per_m = (copper * 1.4 + 18.0 + 6.0 * f64::from(*cores)).round() as u64;
            let mut stem = format!("CB-{}-{}X{}", c.sku, core_label, num(*cs));
            if !c.tag.is_empty() {
                stem = format!("{stem}-{}", c.tag);
            }
            let attrs = |v: Variant, length: Option<u32>| {
                let v = v
                    .attr("cross_section", num(*cs))
                    .attr("cores", cores.to_string())
                    .attr("voltage", c.volts.to_string())
                    .attr("insulation", c.insulation)
                    .attr("colour", c.colour)
                    .attr("temp_max", c.temp_max.to_string())
                    .attr("en_standard", c.std)
                    .attr("rohs", "true");
                match length {
                    Some(l) => v.attr("cable_length", l.to_string()),
                    None => v,
                }
            };
            if let Some((min, step)) = c.meter {
                variants.push(attrs(
                    Variant::new(format!("{stem}-M"))
                        .unit("meter", 1)
                        .quantities(min, step)
                        .weight(per_m),
                    None,
                ));
            }
            if let Some(roll) = c.roll {
                variants.push(attrs(
                    Variant::new(format!("{stem}-{roll}"))
                        .unit("roll", 1)
                        .weight(per_m * u64::from(roll) + 300)
                        .gtin(true)
                        .dims(
                            if roll > 50 { 450 } else { 350 },
                            if roll > 50 { 450 } else { 350 },
                            120,
                        ),
                    Some(roll),
                ));
            }
        }
    }
    let cores_zh = c
        .cores
        .iter()
        .map(|(n, _)| format!("{n} 芯"))
        .collect::<Vec<_>>()
        .join("/");
    let cores_en = c
        .cores
        .iter()
        .map(|(n, _)| n.to_string())
        .collect::<Vec<_>>()
        .join("/");
    let first = c.sections.first().copied().unwrap_or(0.0);
    let last = c.sections.last().copied().unwrap_or(0.0);
    let (sale_zh, sale_en) = match (c.meter, c.roll) {
        (Some((min, step)), Some(roll)) => (
            format!("按米裁剪销售（{min} 米起订，{step} 米递增），或整卷 {roll} 米。"),
            format!(
                "Cut to length by the metre (minimum {min} m, in steps of {step} m) or in {roll} m rolls."
            ),
        ),
        (Some((min, step)), None) => (
            format!("按米裁剪销售，{min} 米起订，{step} 米递增。"),
            format!("Cut to length by the metre, minimum {min} m, in steps of {step} m."),
        ),
        (None, Some(roll)) => (
            format!("整卷 {roll} 米销售。"),
            format!("Sold in {roll} m rolls."),
        ),
        (None, None) => (String::new(), String::new()),
    };
    let accessories: &[&str] = match c.category {
        "power-cables" => &[
            "ampero-copper-tube-lug",
            "ampero-nylon-cable-gland",
            "ampero-heat-shrink-tubing",
        ],
        "building-wire" => &["ampero-screw-terminal-block", "ampero-bootlace-ferrule"],
        _ => &[
            "ampero-bootlace-ferrule",
            "ampero-nylon-cable-gland",
            "ampero-push-in-terminal-block",
        ],
    };
    let similar: Vec<&str> = c.similar.iter().copied().filter(|k| *k != c.key).collect();
    // The voltage goes into the short text unless the name already says it.
    let (volt_zh, volt_en) = if c.en.contains(c.volt_label) {
        (String::new(), String::new())
    } else {
        (format!("{}，", c.volt_label), format!("{}, ", c.volt_label))
    };
    Product::new(c.key, c.category, "Cablecore", bi(c.zh, c.en))
        .texts(
            bi(
                format!("{}，{volt_zh}{}–{} mm²，{}。{sale_zh}", c.zh.trim_start_matches("Cablecore "), num(first), num(last), c.std),
                format!("{}, {volt_en}{}–{} mm², {}. {sale_en}", c.en.trim_start_matches("Cablecore "), num(first), num(last), c.std),
            ),
            bi(
                format!("{}\n\n额定电压 {}，{cores_zh}，导体截面 {}–{} mm²，执行标准 {}，符合 RoHS。\n\n{sale_zh}截面与芯数见各料号。", c.note_zh, c.volt_label, num(first), num(last), c.std),
                format!("{}\n\nRated voltage {}, {cores_en} cores, conductor cross-sections {}–{} mm², to {}, RoHS compliant.\n\n{sale_en} Cross-section and cores per part number.", c.note_en, c.volt_label, num(first), num(last), c.std),
            ),
        )
        .image(picture("cable", match c.colour {
            "white" => "white",
            "grey" => "grey",
            "red" => "red",
            "yellow" => "yellow",
            "green" => "green",
            "blue" => "blue",
            "green_yellow" => "green-yellow",
            _ => "black",
        }))
        .doc("ds-power-cables.pdf")
        .markets(c.markets)
        .accessories(accessories)
        .similars(&similar)
        .variants(variants)
}

/// MCB series: curve, poles code, part-number pole label, rated currents.
const MCB_RANGES: &[(&str, &str, &str, &[u32])] = &[
    ("c", "1p", "1P", &[6, 10, 16, 20, 25, 32, 40, 50, 63]),
    ("c", "1p-n", "1PN", &[6, 10, 16, 20, 25, 32]),
    ("c", "2p", "2P", &[6, 10, 16, 20, 25, 32, 40, 50, 63]),
    ("c", "3p", "3P", &[6, 10, 16, 20, 25, 32, 40, 50, 63]),
    ("b", "1p", "1P", &[6, 10, 16, 20, 25, 32]),
    ("b", "3p", "3P", &[10, 16, 20, 25, 32]),
    ("d", "1p", "1P", &[6, 10, 16, 20, 25, 32]),
    ("d", "3p", "3P", &[10, 16, 20, 25, 32, 40, 50, 63]),
];

fn modules(poles: &str) -> u32 {
    match poles {
        "1p" => 1,
        "1p-n" | "2p" => 2,
        "3p" => 3,
        _ => 4,
    }
}

fn curve_text(curve: &str) -> (&'static str, &'static str) {
    match curve {
        "b" => (
            "B 型（3–5 In），适用于阻性负载与长线路",
            "B curve (3–5 In) for resistive loads and long lines",
        ),
        "d" => (
            "D 型（10–20 In），适用于电机、变压器等大冲击电流负载",
            "D curve (10–20 In) for motors, transformers and other high inrush loads",
        ),
        _ => (
            "C 型（5–10 In），适用于一般照明、插座与小型电机",
            "C curve (5–10 In) for general lighting, sockets and small motors",
        ),
    }
}

fn mcbs() -> Vec<Product> {
    let mut out: Vec<Product> = MCB_RANGES
        .iter()
        .map(|(curve, poles, label, currents)| {
            let volts = if modules(poles) == 1 || *poles == "1p-n" { 230 } else { 400 };
            let variants = currents
                .iter()
                .map(|a| {
                    Variant::new(format!("AMB6-{}{a}-{label}", curve.to_uppercase()))
                        .weight(u64::from(modules(poles)) * 115)
                        .gtin(true)
                        .dims(18 * modules(poles), 85, 75)
                        .attr("current", a.to_string())
                        .attr("poles", *poles)
                        .attr("tripping_curve", *curve)
                        .attr("breaking_capacity", "6")
                        .attr("voltage", volts.to_string())
                })
                .collect();
            let (cz, ce) = curve_text(curve);
            let pole_label = crate::taxonomy::option_label("poles", poles);
            let similar: Vec<String> = MCB_RANGES
                .iter()
                .filter(|o| o.1 == *poles && o.0 != *curve)
                .map(|o| format!("ampero-mcb-amb6-{}-{}", o.0, o.1))
                .collect();
            Product::new(
                format!("ampero-mcb-amb6-{curve}-{poles}"),
                "mcbs",
                "Ampero",
                bi(
                    format!("Ampero AMB6 小型断路器 {} {}", curve.to_uppercase(), pole_label.1),
                    format!("Ampero AMB6 miniature circuit breaker, {} curve, {}", curve.to_uppercase(), pole_label.0),
                ),
            )
            .texts(
                bi(
                    format!("{} 小型断路器，{}–{} A，分断能力 6 kA，{}。", pole_label.1, currents.first().unwrap_or(&0), currents.last().unwrap_or(&0), cz),
                    format!("{} miniature circuit breaker, {}–{} A, 6 kA breaking capacity, {}.", pole_label.0, currents.first().unwrap_or(&0), currents.last().unwrap_or(&0), ce),
                ),
                bi(
                    format!("Ampero AMB6 系列小型断路器，符合 IEC/EN 60898-1 与 GB/T 10963.1，额定分断能力 6000 A，额定电压 {volts} V AC。{cz}。\n\n每极宽度 18 mm，35 mm 导轨安装，接线端子 1–25 mm²，带触头位置指示与可铅封手柄。额定电流见各料号。"),
                    format!("Ampero AMB6 miniature circuit breaker to IEC/EN 60898-1 and GB/T 10963.1, rated breaking capacity 6000 A, {volts} V AC. {ce}.\n\n18 mm per pole on a 35 mm DIN rail, terminals 1–25 mm², contact position indicator and sealable toggle. Rated current per part number."),
                ),
            )
            .image(picture("mcb", "white"))
            .doc("ds-circuit-breakers.pdf")
            .accessories(&["ampero-bootlace-ferrule"])
            .similars(&similar)
            .variants(variants)
        })
        .collect();
    let currents = [6, 10, 16, 20, 25, 32];
    out.push(
        Product::new("ampero-mcb-amb45-c-1p", "mcbs", "Ampero", bi("Ampero AMB45 小型断路器 C 1P（停产）", "Ampero AMB45 miniature circuit breaker, C curve, 1P (discontinued)"))
            .status(Status::Discontinued)
            .texts(
                bi("4.5 kA 单极小型断路器，已停产，由 AMB6 系列替代。", "4.5 kA single-pole miniature circuit breaker, discontinued and replaced by the AMB6 series."),
                bi(
                    "Ampero AMB45 系列（分断能力 4.5 kA）已停产。AMB6 系列尺寸与接线完全相同，分断能力提高至 6 kA，可直接替换；每个料号均注明对应替代料号。",
                    "The Ampero AMB45 series (4.5 kA breaking capacity) is discontinued. The AMB6 series has the same size and wiring with 6 kA breaking capacity and replaces it one for one; each part number names its replacement.",
                ),
            )
            .image(picture("mcb", "grey"))
            .doc("ds-circuit-breakers.pdf")
            .replaced_by("ampero-mcb-amb6-c-1p")
            .variants(
                currents
                    .iter()
                    .map(|a| {
                        Variant::new(format!("AMB45-C{a}-1P"))
                            .weight(110)
                            .gtin(true)
                            .attr("current", a.to_string())
                            .attr("poles", "1p")
                            .attr("tripping_curve", "c")
                            .attr("breaking_capacity", "4.5")
                            .attr("voltage", "230")
                            .discontinued(format!("AMB6-C{a}-1P"))
                    })
                    .collect(),
            ),
    );
    out
}

fn rcds() -> Vec<Product> {
    let rccb = |poles: &str, label: &str, volts: u32, ranges: &[(u32, u32)]| {
        let pole = crate::taxonomy::option_label("poles", poles);
        Product::new(format!("ampero-rccb-arc-{poles}"), "rcds", "Ampero", bi(format!("Ampero ARC 剩余电流动作断路器 {} A 型", pole.1), format!("Ampero ARC residual current circuit breaker, {}, type A", pole.0)))
            .texts(
                bi(format!("{} 漏电保护器（RCCB），A 型，25–63 A，30/100/300 mA。", pole.1), format!("{} residual current circuit breaker (RCCB), type A, 25–63 A, 30/100/300 mA.", pole.0)),
                bi(
                    format!("Ampero ARC 系列剩余电流动作断路器，符合 IEC/EN 61008-1，A 型（可检测交流及脉动直流剩余电流），额定电压 {volts} V AC，额定限制短路电流 10 kA（与熔断器配合）。30 mA 用于人身保护，100/300 mA 用于防火保护。\n\n不含过载保护，须与小型断路器配合使用。每月请按测试按钮检查一次。"),
                    format!("Ampero ARC residual current circuit breaker to IEC/EN 61008-1, type A (AC and pulsating DC residual currents), {volts} V AC, conditional short-circuit current 10 kA with fuse back-up. 30 mA protects people, 100/300 mA protects against fire.\n\nNo overload protection: combine with a miniature circuit breaker. Press the test button monthly."),
                ),
            )
            .image(picture("rcd", "white"))
            .doc("ds-circuit-breakers.pdf")
            .accessories(&["ampero-mcb-amb6-c-1p", "ampero-mcb-amb6-c-3p"])
            .similars(&["ampero-rcbo-arb6-1p-n"])
            .variants(
                ranges
                    .iter()
                    .map(|(a, ma)| {
                        Variant::new(format!("ARC-{label}-{a}-{ma}"))
                            .weight(if volts > 230 { 360 } else { 200 })
                            .gtin(true)
                            .attr("current", a.to_string())
                            .attr("poles", poles)
                            .attr("residual_current", ma.to_string())
                            .attr("voltage", volts.to_string())
                    })
                    .collect(),
            )
    };
    vec![
        rccb("2p", "2P", 230, &[(25, 30), (25, 100), (40, 30), (40, 100), (40, 300), (63, 30), (63, 100), (63, 300)]),
        rccb("4p", "4P", 400, &[(25, 30), (40, 30), (40, 300), (63, 30), (63, 300)]),
        Product::new("ampero-rcbo-arb6-1p-n", "rcds", "Ampero", bi("Ampero ARB6 带过流保护的漏电断路器 1P+N", "Ampero ARB6 RCBO 1P+N"))
            .texts(
                bi("1P+N 漏电断路器（RCBO），C 型，6–32 A，30 mA，6 kA，一个模块同时提供过载、短路与漏电保护。", "1P+N RCBO, C curve, 6–32 A, 30 mA, 6 kA: overload, short-circuit and earth-leakage protection in one device."),
                bi(
                    "Ampero ARB6 带过流保护的剩余电流动作断路器，符合 IEC/EN 61009-1，A 型，30 mA，C 型脱扣曲线，分断能力 6 kA。宽度 36 mm，适合每个回路单独配置漏电保护，避免一个故障切断整个配电箱。",
                    "Ampero ARB6 residual current breaker with overcurrent protection to IEC/EN 61009-1, type A, 30 mA, C curve, 6 kA. 36 mm wide, so every circuit gets its own earth-leakage protection and one fault does not trip the whole board.",
                ),
            )
            .image(picture("rcd", "white"))
            .doc("ds-circuit-breakers.pdf")
            .similars(&["ampero-rccb-arc-2p", "ampero-mcb-amb6-c-1p-n"])
            .variants(
                [6, 10, 16, 20, 25, 32]
                    .iter()
                    .map(|a| {
                        Variant::new(format!("ARB6-C{a}-30"))
                            .weight(230)
                            .gtin(true)
                            .attr("current", a.to_string())
                            .attr("poles", "1p-n")
                            .attr("residual_current", "30")
                            .attr("tripping_curve", "c")
                            .attr("voltage", "230")
                    })
                    .collect(),
            ),
    ]
}

fn terminal_blocks() -> Vec<Product> {
    /// key, SKU stem, names, texts, (cross-section, current) list, colours (code, SKU label).
    type Block = (
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        &'static [(f64, u32)],
        &'static [(&'static str, &'static str)],
    );
    const BLOCKS: &[Block] = &[
        (
            "ampero-screw-terminal-block",
            "ATB-S",
            "Ampero 螺钉式导轨接线端子",
            "Ampero screw-clamp DIN rail terminal block",
            "螺钉压接，适用于 TS35 导轨，可用插拔式短接条跨接；灰色为相线，蓝色为零线。",
            "Screw clamp for TS35 rails, bridged with plug-in jumpers; grey for phase, blue for neutral.",
            &[(2.5, 24), (4.0, 32), (6.0, 41), (10.0, 57), (16.0, 76)],
            &[("grey", "GY"), ("blue", "BU")],
        ),
        (
            "ampero-push-in-terminal-block",
            "ATB-P",
            "Ampero 直插式导轨接线端子",
            "Ampero push-in DIN rail terminal block",
            "直插式弹簧连接，实心导线及带管型端子的软线可免工具直接插入，接线速度比螺钉式快约 50%。",
            "Push-in spring connection: solid wires and ferruled flexible wires go in without tools, about half the wiring time of screw clamps.",
            &[(1.5, 17), (2.5, 24), (4.0, 32), (6.0, 41)],
            &[("grey", "GY")],
        ),
        (
            "ampero-ground-terminal-block",
            "ATB-PE",
            "Ampero 接地导轨端子（PE）",
            "Ampero protective earth DIN rail terminal block",
            "黄绿双色 PE 端子，通过金属底座与导轨可靠连接，用于保护导体接地。",
            "Green/yellow PE terminal whose metal foot bonds the protective conductor to the rail.",
            &[(2.5, 0), (4.0, 0), (6.0, 0), (10.0, 0), (16.0, 0)],
            &[("green_yellow", "")],
        ),
    ];
    BLOCKS
        .iter()
        .map(|(key, sku, zh, en, tz, te, sizes, colours)| {
            let mut variants = Vec::new();
            for (cs, amps) in *sizes {
                for (colour, label) in *colours {
                    let pack = if *cs >= 10.0 { 25 } else { 50 };
                    let sku = if label.is_empty() { format!("{sku}{}", num(*cs)) } else { format!("{sku}{}-{label}", num(*cs)) };
                    variants.push(
                        Variant::new(sku)
                            .unit("pack", pack)
                            .weight(u64::from(pack) * (6 + (*cs as u64) * 2) + 20)
                            .gtin(true)
                            .attr("cross_section", num(*cs))
                            .attr("current", if *amps > 0 { amps.to_string() } else { String::new() })
                            .attr("voltage", if *amps > 0 { "800" } else { "" })
                            .attr("colour", *colour),
                    );
                }
            }
            let similar: Vec<&str> = BLOCKS.iter().filter(|b| b.0 != *key).map(|b| b.0).collect();
            Product::new(*key, "terminal-blocks", "Ampero", bi(*zh, *en))
                .texts(
                    bi(format!("{zh}，{}–{} mm²。{tz}", num(sizes.first().map_or(0.0, |s| s.0)), num(sizes.last().map_or(0.0, |s| s.0))), format!("{en}, {}–{} mm². {te}", num(sizes.first().map_or(0.0, |s| s.0)), num(sizes.last().map_or(0.0, |s| s.0)))),
                    bi(
                        format!("{zh}，符合 IEC/EN 60947-7-1/-2，阻燃 PA66（UL94 V-0）外壳。{tz}\n\n每包 50 只（10 mm² 及以上每包 25 只）；额定电流与截面见各料号。"),
                        format!("{en} to IEC/EN 60947-7-1/-2, flame-retardant PA66 housing (UL94 V-0). {te}\n\nPacks of 50 (25 from 10 mm²); rated current and cross-section per part number."),
                    ),
                )
                .image(picture("terminal", if *key == "ampero-ground-terminal-block" { "green-yellow" } else { "grey" }))
                .accessories(&["ampero-bootlace-ferrule"])
                .similars(&similar)
                .variants(variants)
        })
        .collect()
}

fn cable_lugs() -> Vec<Product> {
    let tube: &[(f64, &str)] = &[
        (6.0, "M6"),
        (10.0, "M6"),
        (10.0, "M8"),
        (16.0, "M8"),
        (25.0, "M8"),
        (35.0, "M10"),
        (50.0, "M10"),
        (70.0, "M12"),
        (95.0, "M12"),
    ];
    let ring: &[(&str, &str, f64)] = &[
        ("red", "RD", 1.5),
        ("blue", "BU", 2.5),
        ("yellow", "YE", 6.0),
    ];
    let ferrules: &[(f64, &str)] = &[
        (0.5, "white"),
        (0.75, "grey"),
        (1.0, "red"),
        (1.5, "black"),
        (2.5, "blue"),
        (4.0, "grey"),
        (6.0, "yellow"),
        (10.0, "red"),
        (16.0, "blue"),
    ];
    vec![
        Product::new("ampero-copper-tube-lug", "cable-lugs", "Ampero", bi("Ampero 镀锡铜管压接端子（铜鼻子）DIN 46235", "Ampero tinned copper tube cable lug DIN 46235"))
            .texts(
                bi("镀锡紫铜管压接端子，6–95 mm²，M6–M12 螺栓孔，六角压接。", "Tinned copper tube lugs, 6–95 mm², M6–M12 stud holes, hexagonal crimp."),
                bi(
                    "Ampero 镀锡铜管端子，电解铜 E-Cu 管材，内孔倒角便于穿线，表面镀锡防氧化。使用对应模具进行六角压接，压接后可加热缩管绝缘。\n\n规格为截面 × 螺栓规格；6–25 mm² 每包 50 只，35 mm² 起每包 10 只。",
                    "Ampero tinned copper tube lugs made from electrolytic copper tube, chamfered entry, tinned against oxidation. Crimp with the matching hexagonal die; insulate with heat-shrink tubing afterwards.\n\nSizes are cross-section × stud; packs of 50 up to 25 mm², packs of 10 from 35 mm².",
                ),
            )
            .image(picture("cable-lug", "copper"))
            .accessories(&["ampero-heat-shrink-tubing"])
            .similars(&["ampero-insulated-ring-terminal"])
            .variants(
                tube.iter()
                    .map(|(cs, stud)| {
                        let pack = if *cs <= 25.0 { 50 } else { 10 };
                        Variant::new(format!("ACL-{}-{stud}", num(*cs)))
                            .unit("pack", pack)
                            .weight(u64::from(pack) * (cs * 0.9 + 2.0).round() as u64 + 15)
                            .gtin(true)
                            .attr("cross_section", num(*cs))
                            .attr("thread_size", slug_part(stud))
                            .attr("material", "copper_tinned")
                    })
                    .collect(),
            ),
        Product::new("ampero-insulated-ring-terminal", "cable-lugs", "Ampero", bi("Ampero 预绝缘圆形端子", "Ampero insulated ring terminal"))
            .texts(
                bi("PVC 预绝缘圆形冷压端子，红/蓝/黄三种线径，M4–M8 螺栓孔。", "PVC-insulated ring crimp terminals in red, blue and yellow wire ranges, M4–M8 studs."),
                bi(
                    "Ampero 预绝缘圆形端子，镀锡铜端子体，PVC 绝缘套按颜色区分线径：红色 0.5–1.5 mm²，蓝色 1.5–2.5 mm²，黄色 4–6 mm²。使用棘轮压线钳压接。每包 100 只。",
                    "Ampero insulated ring terminals with tinned copper barrel and colour-coded PVC sleeve: red 0.5–1.5 mm², blue 1.5–2.5 mm², yellow 4–6 mm². Crimp with a ratchet crimper. 100 per pack.",
                ),
            )
            .image(picture("cable-lug", "red"))
            .similars(&["ampero-copper-tube-lug"])
            .variants(
                ring.iter()
                    .flat_map(|(colour, label, cs)| {
                        ["M4", "M5", "M6", "M8"].iter().map(move |stud| {
                            Variant::new(format!("ART-{label}-{stud}"))
                                .unit("pack", 100)
                                .weight(if *cs > 3.0 { 160 } else { 90 })
                                .gtin(true)
                                .attr("cross_section", num(*cs))
                                .attr("thread_size", slug_part(stud))
                                .attr("colour", *colour)
                                .attr("material", "copper_tinned")
                        })
                    })
                    .collect(),
            ),
        Product::new("ampero-bootlace-ferrule", "cable-lugs", "Ampero", bi("Ampero 管型预绝缘端子（针型冷压头）", "Ampero insulated bootlace ferrule"))
            .texts(
                bi("软线用管型预绝缘端子，0.5–16 mm²，按 DIN 46228-4 颜色编码。", "Insulated bootlace ferrules for flexible wire, 0.5–16 mm², colour-coded to DIN 46228-4."),
                bi(
                    "Ampero 管型端子，镀锡电解铜管，PP 绝缘套按 DIN 46228-4 颜色编码，防止软线散股，保证端子排与断路器接线可靠。10 mm² 以下每盒 500 只，10 与 16 mm² 每盒 100 只。",
                    "Ampero bootlace ferrules: tinned electrolytic copper tube with PP collar colour-coded to DIN 46228-4. They keep stranded wire together for reliable connections in terminal blocks and breakers. Boxes of 500 below 10 mm², 100 for 10 and 16 mm².",
                ),
            )
            .image(picture("cable-lug", "blue"))
            .variants(
                ferrules
                    .iter()
                    .map(|(cs, colour)| {
                        let pack = if *cs >= 10.0 { 100 } else { 500 };
                        Variant::new(format!("AFR-{}", num(*cs)))
                            .unit("box", pack)
                            .weight(u64::from(pack) * (cs * 0.25 + 0.2).round().max(1.0) as u64 / 2 + 20)
                            .gtin(true)
                            .attr("cross_section", num(*cs))
                            .attr("colour", *colour)
                            .attr("material", "copper_tinned")
                    })
                    .collect(),
            ),
    ]
}

fn cable_glands() -> Vec<Product> {
    let nylon: &[(&str, &str)] = &[
        ("m12", "3–6.5 mm"),
        ("m16", "4–8 mm"),
        ("m20", "6–12 mm"),
        ("m25", "13–18 mm"),
        ("m32", "18–25 mm"),
        ("m40", "22–32 mm"),
        ("m50", "30–38 mm"),
        ("m63", "37–44 mm"),
    ];
    vec![
        Product::new("ampero-nylon-cable-gland", "cable-glands", "Ampero", bi("Ampero 尼龙电缆格兰头 IP68", "Ampero nylon cable gland, IP68"))
            .texts(
                bi("PA66 尼龙电缆固定头，M12–M63 公制螺纹，IP68，灰色或黑色。", "PA66 nylon cable glands, M12–M63 metric thread, IP68, grey or black."),
                bi(
                    "Ampero 尼龙格兰头，PA66 本体，氯丁橡胶密封圈，IP68（5 bar），带锁紧螺母；夹爪式设计可承受电缆拉力。黑色款抗紫外线，适合户外。\n\n各料号标明螺纹规格与电缆夹紧范围；小规格每包 50 只，大规格每包 10–20 只。",
                    "Ampero nylon cable glands: PA66 body, neoprene seal, IP68 (5 bar), with lock nut; the claw insert holds the cable against pull. The black version is UV-stabilised for outdoor use.\n\nEach part number gives the thread and the cable clamping range; packs of 50 for small sizes, 10–20 for large.",
                ),
            )
            .image(picture("cable-gland", "grey"))
            .similars(&["ampero-brass-cable-gland"])
            .variants(
                nylon
                    .iter()
                    .flat_map(|(thread, range)| {
                        [("grey", "GY"), ("black", "BK")].into_iter().map(move |(colour, label)| {
                            let pack = match *thread {
                                "m12" | "m16" | "m20" => 50,
                                "m25" | "m32" => 20,
                                _ => 10,
                            };
                            Variant::new(format!("ACG-PA-{}-{label}", thread.to_uppercase()))
                                .unit("pack", pack)
                                .weight(u64::from(pack) * 12 + 20)
                                .gtin(true)
                                .attr("gland_thread", *thread)
                                .attr("material", "nylon")
                                .attr("clamping_range", *range)
                                .attr("ip_rating", "ip68")
                                .attr("colour", colour)
                        })
                    })
                    .collect(),
            ),
        Product::new("ampero-brass-cable-gland", "cable-glands", "Ampero", bi("Ampero 镀镍黄铜电缆格兰头 IP68", "Ampero nickel-plated brass cable gland, IP68"))
            .texts(
                bi("镀镍黄铜电缆固定头，M12–M40，IP68，耐油耐高温。", "Nickel-plated brass cable glands, M12–M40, IP68, oil- and heat-resistant."),
                bi(
                    "Ampero 金属格兰头，镀镍黄铜本体，TPE 密封，工作温度 −40～+100 °C，IP68（10 bar）。适用于机床、食品与化工设备等需耐油、耐清洗的场合。每包 10 只。",
                    "Ampero metal cable glands: nickel-plated brass body, TPE seal, −40 to +100 °C, IP68 (10 bar). For machine tools and food and chemical equipment that must withstand oil and wash-down. 10 per pack.",
                ),
            )
            .image(picture("cable-gland", "brass"))
            .similars(&["ampero-nylon-cable-gland"])
            .variants(
                nylon
                    .iter()
                    .take(6)
                    .map(|(thread, range)| {
                        Variant::new(format!("ACG-MS-{}", thread.to_uppercase()))
                            .unit("pack", 10)
                            .weight(10 * 40 + 20)
                            .gtin(true)
                            .attr("gland_thread", *thread)
                            .attr("material", "brass_nickel")
                            .attr("clamping_range", *range)
                            .attr("ip_rating", "ip68")
                    })
                    .collect(),
            ),
    ]
}

fn cable_ties() -> Vec<Product> {
    let sizes: &[(u32, f64)] = &[
        (100, 2.5),
        (140, 3.6),
        (200, 4.8),
        (300, 4.8),
        (370, 7.6),
        (450, 9.0),
    ];
    let nylon = |key: &str, zh: &str, en: &str, colour: &str, label: &str, tz: &str, te: &str| {
        Product::new(key, "cable-ties", "Ampero", bi(zh, en))
            .texts(
                bi(format!("{zh}，长 100–450 mm，宽 2.5–9 mm，每包 100 根。"), format!("{en}, 100–450 mm long, 2.5–9 mm wide, 100 per pack.")),
                bi(
                    format!("Ampero 尼龙 PA66 扎带，一次性自锁，阻燃 UL94 V-2，工作温度 −40～+85 °C。{tz}\n\n长度 × 宽度见各料号，每包 100 根。"),
                    format!("Ampero PA66 nylon cable ties, single-use self-locking, flame-retardant UL94 V-2, −40 to +85 °C. {te}\n\nLength × width per part number; 100 per pack."),
                ),
            )
            .image(picture("cable-tie", if colour == "black" { "black" } else { "nylon" }))
            .similars(&["ampero-stainless-cable-tie"])
            .variants(
                sizes
                    .iter()
                    .map(|(l, w)| {
                        Variant::new(format!("ACT-{l}X{}-{label}", num(*w)))
                            .unit("pack", 100)
                            .weight((f64::from(*l) * w * 0.17).round() as u64 + 10)
                            .gtin(true)
                            .attr("length", l.to_string())
                            .attr("width", num(*w))
                            .attr("material", "nylon")
                            .attr("colour", colour)
                    })
                    .collect(),
            )
    };
    vec![
        nylon("ampero-cable-tie-black-uv", "Ampero 耐候黑色尼龙扎带", "Ampero UV-resistant black cable ties", "black", "BK", "添加炭黑耐紫外线，适用于户外与光伏系统。", "Carbon black makes them UV-resistant for outdoor and solar installations."),
        nylon("ampero-cable-tie-natural", "Ampero 本色尼龙扎带", "Ampero natural nylon cable ties", "natural", "NT", "本色，适用于室内配电柜与线束捆扎。", "Natural colour, for panels and harnesses indoors."),
        Product::new("ampero-stainless-cable-tie", "cable-ties", "Ampero", bi("Ampero 316 不锈钢扎带", "Ampero 316 stainless steel cable ties"))
            .texts(
                bi("316 不锈钢球锁扎带，耐高温、耐腐蚀，适用于海洋与化工环境。", "316 stainless steel ball-lock ties, heat- and corrosion-resistant, for marine and chemical sites."),
                bi(
                    "Ampero 不锈钢扎带，AISI 316 材质，滚珠自锁结构，工作温度 −80～+500 °C，抗拉强度高，适用于桥架、管道保温层及海上平台。每包 100 根。",
                    "Ampero stainless steel cable ties in AISI 316 with rolling-ball lock, −80 to +500 °C, high tensile strength; for cable trays, pipe lagging and offshore platforms. 100 per pack.",
                ),
            )
            .image(picture("cable-tie", "stainless"))
            .similars(&["ampero-cable-tie-black-uv"])
            .variants(
                [(200, 4.6), (300, 4.6), (520, 7.9)]
                    .iter()
                    .map(|(l, w)| {
                        Variant::new(format!("ACT-SS-{l}X{}", num(*w)))
                            .unit("pack", 100)
                            .weight((f64::from(*l) * w * 0.3).round() as u64 + 10)
                            .gtin(true)
                            .attr("length", l.to_string())
                            .attr("width", num(*w))
                            .attr("material", "a4")
                    })
                    .collect(),
            ),
    ]
}

fn heat_shrink() -> Product {
    let sizes = [1.6, 2.4, 3.2, 4.8, 6.4, 9.5, 12.7, 19.1, 25.4];
    Product::new("ampero-heat-shrink-tubing", "heat-shrink-tubing", "Ampero", bi("Ampero 2:1 热缩管 黑色", "Ampero 2:1 heat-shrink tubing, black"))
        .texts(
            bi("聚烯烃 2:1 热缩管，1.6–25.4 mm，按米销售。", "Polyolefin 2:1 heat-shrink tubing, 1.6–25.4 mm, sold by the metre."),
            bi(
                "Ampero 热缩管，辐照交联聚烯烃，收缩比 2:1，起始收缩温度 70 °C，完全收缩 110 °C，阻燃 VW-1，耐压 600 V。用于导线连接处绝缘、线束标识与机械保护。\n\n直径为收缩前内径；按米裁剪销售，1 米起订。",
                "Ampero heat-shrink tubing in irradiated cross-linked polyolefin, 2:1 ratio, starts shrinking at 70 °C and is fully recovered at 110 °C; flame-retardant VW-1, 600 V. For insulating joints, marking harnesses and mechanical protection.\n\nDiameter is the expanded inside diameter; cut to length by the metre from 1 m.",
            ),
        )
        .image(picture("heat-shrink", "black"))
        .similars(&["ampero-copper-tube-lug"])
        .variants(
            sizes
                .iter()
                .map(|d| {
                    Variant::new(format!("AHS-{}-BK", num(*d)))
                        .unit("meter", 1)
                        .weight((d * 1.2).round() as u64 + 1)
                        .attr("diameter", num(*d))
                        .attr("material", "polyolefin")
                        .attr("colour", "black")
                })
                .collect(),
        )
}

fn lights() -> Vec<Product> {
    let flood = |watts: u32, cct: u32| {
        Variant::new(format!("LM-FL-{watts}-{}", cct / 100))
            .weight(u64::from(watts) * 18 + 350)
            .gtin(true)
            .attr("power", watts.to_string())
            .attr("ip_rating", "ip65")
            .attr("color_temperature", cct.to_string())
            .attr("luminous_flux", (watts * 110).to_string())
            .attr("voltage", "230")
            .attr("weight", (u64::from(watts) * 15 + 250).to_string())
    };
    let bay = |prefix: &str, watts: u32, cct: u32| {
        Variant::new(format!("{prefix}-{watts}-{}", cct / 100))
            .weight(u64::from(watts) * 25 + 800)
            .gtin(true)
            .attr("power", watts.to_string())
            .attr("ip_rating", "ip65")
            .attr("color_temperature", cct.to_string())
            .attr("luminous_flux", (watts * 150).to_string())
            .attr("voltage", "230")
    };
    let mut floods = Vec::new();
    for w in [10, 20, 30, 50, 100, 150, 200] {
        for cct in [4000, 6500] {
            floods.push(flood(w, cct));
        }
    }
    vec![
        Product::new("lumora-led-floodlight-slim", "floodlights", "Lumora", bi("Lumora 超薄 LED 投光灯", "Lumora slim LED floodlight"))
            .texts(
                bi("超薄压铸铝 LED 投光灯，10–200 W，110 lm/W，IP65，4000 K 或 6500 K。", "Slim die-cast LED floodlight, 10–200 W, 110 lm/W, IP65, 4000 K or 6500 K."),
                bi(
                    "Lumora 超薄 LED 投光灯，压铸铝散热外壳，钢化玻璃面罩，光效 110 lm/W，显色指数 Ra > 80，IP65，可调支架。适用于厂区、仓库外墙、停车场与广告牌照明。输入 220–240 V AC，功率因数 > 0.9，寿命 30000 小时。\n\n可替代传统卤素投光灯：100 W LED 约等于 500 W 卤素灯的亮度。",
                    "Lumora slim LED floodlight: die-cast aluminium heat-sink housing, tempered glass, 110 lm/W, CRI > 80, IP65, adjustable bracket. For yards, warehouse facades, car parks and signs. 220–240 V AC, power factor > 0.9, 30,000 h rated life.\n\nReplaces halogen floodlights: a 100 W LED gives about the light of a 500 W halogen.",
                ),
            )
            .image(picture("floodlight", "black"))
            .similars(&["lumora-led-high-bay-ufo"])
            .variants(floods),
        Product::new("lumora-halogen-floodlight-500w", "floodlights", "Lumora", bi("Lumora 卤素投光灯 500W（停产）", "Lumora halogen floodlight 500 W (discontinued)"))
            .status(Status::Discontinued)
            .texts(
                bi("R7s 卤素投光灯 500 W，已停产，由 100 W LED 投光灯替代。", "R7s halogen floodlight 500 W, discontinued; replaced by the 100 W LED floodlight."),
                bi(
                    "Lumora 500 W 卤素投光灯已停产。推荐替代型号 LM-FL-100-40（100 W LED，4000 K），亮度相当、能耗降低约 80%，寿命提高十倍以上。",
                    "The Lumora 500 W halogen floodlight is discontinued. Its replacement LM-FL-100-40 (100 W LED, 4000 K) gives similar light with about 80 % less energy and more than ten times the life.",
                ),
            )
            .image(picture("floodlight", "grey"))
            .replaced_by("lumora-led-floodlight-slim")
            .variants(vec![
                Variant::new("LM-HAL-500")
                    .weight(1400)
                    .attr("power", "500")
                    .attr("ip_rating", "ip44")
                    .attr("color_temperature", "2900")
                    .attr("luminous_flux", "9500")
                    .attr("voltage", "230")
                    .discontinued("LM-FL-100-40"),
            ]),
        Product::new("lumora-led-high-bay-ufo", "high-bay-lights", "Lumora", bi("Lumora UFO LED 工矿灯", "Lumora UFO LED high-bay light"))
            .texts(
                bi("UFO 型 LED 工矿灯，100–200 W，150 lm/W，IP65，适用于 6–12 m 高顶厂房。", "UFO LED high-bay light, 100–200 W, 150 lm/W, IP65, for 6–12 m halls."),
                bi(
                    "Lumora UFO LED 工矿灯，光效 150 lm/W，90°/120° 配光可选，IP65，吊环或支架安装，适用于 6–12 米高的厂房与仓库。1–10 V 调光驱动，可接入照明控制系统。",
                    "Lumora UFO LED high-bay light, 150 lm/W, 90° or 120° beam, IP65, hook or bracket mounting, for factories and warehouses 6–12 m high. 1–10 V dimmable driver for lighting controls.",
                ),
            )
            .image(picture("high-bay", "black"))
            .similars(&["lumora-led-floodlight-slim", "lumora-smart-high-bay-sensor"])
            .variants([100, 150, 200].iter().flat_map(|w| [4000, 5000].into_iter().map(move |c| bay("LM-HB", *w, c))).collect()),
        Product::new("lumora-smart-high-bay-sensor", "high-bay-lights", "Lumora", bi("Lumora 智能感应 LED 工矿灯", "Lumora smart LED high-bay light with sensor"))
            .status(Status::Draft)
            .texts(
                bi("内置微波感应与日光感应的 LED 工矿灯，无人时自动调暗至 10%。", "LED high-bay light with built-in microwave and daylight sensors that dims to 10 % when nobody is there."),
                bi(
                    "Lumora 智能工矿灯，集成微波人体感应与日光传感器，无人时自动调光至 10%，相比常亮节能可达 60%；支持蓝牙 Mesh 组网。\n\n新品资料准备中。",
                    "Lumora smart high-bay light with integrated microwave presence and daylight sensors: dims to 10 % when the aisle is empty and saves up to 60 % compared with always-on; Bluetooth Mesh networking.\n\nNew product, details being prepared.",
                ),
            )
            .image(picture("high-bay", "white"))
            .similars(&["lumora-led-high-bay-ufo"])
            .variants(vec![bay("LM-HBS", 150, 5000), bay("LM-HBS", 200, 5000)]),
        Product::new("lumora-led-tri-proof-batten", "batten-lights", "Lumora", bi("Lumora LED 三防灯", "Lumora LED tri-proof batten"))
            .texts(
                bi("IP66 LED 三防灯，0.6/1.2/1.5 m，防水防尘防腐，适用于车间、冷库与停车库。", "IP66 LED tri-proof batten, 0.6/1.2/1.5 m, water-, dust- and corrosion-proof, for workshops, cold stores and car parks."),
                bi(
                    "Lumora LED 三防灯，PC 灯罩、不锈钢卡扣，IP66，IK08，工作温度 −25～+45 °C，可贯穿连接。长度 600 mm（18 W）、1200 mm（36 W）、1500 mm（50 W），4000 K。",
                    "Lumora LED tri-proof batten: PC diffuser, stainless clips, IP66, IK08, −25 to +45 °C, through-wiring for continuous rows. 600 mm (18 W), 1200 mm (36 W) and 1500 mm (50 W), 4000 K.",
                ),
            )
            .image(picture("batten", "white"))
            .variants(
                [(600, 18), (1200, 36), (1500, 50)]
                    .iter()
                    .map(|(l, w)| {
                        Variant::new(format!("LM-TP-{l}"))
                            .weight(u64::from(*l) + 300)
                            .gtin(true)
                            .dims(l + 40, 90, 80)
                            .attr("power", w.to_string())
                            .attr("ip_rating", "ip66")
                            .attr("color_temperature", "4000")
                            .attr("luminous_flux", (w * 130).to_string())
                            .attr("voltage", "230")
                            .attr("length", l.to_string())
                    })
                    .collect(),
            ),
    ]
}

fn cee_plugs() -> Vec<Product> {
    /// key, SKU letter, names, texts, weight factor.
    const KINDS: &[(&str, &str, &str, &str, &str, &str, u64)] = &[
        (
            "ampero-cee-plug",
            "P",
            "Ampero 工业插头 IEC 60309",
            "Ampero industrial plug IEC 60309",
            "用于移动电缆末端的工业插头，带防拔脱螺母与电缆夹。",
            "Industrial plug for the end of a trailing cable, with cable clamp and strain relief.",
            2,
        ),
        (
            "ampero-cee-connector",
            "C",
            "Ampero 工业连接器（母头）IEC 60309",
            "Ampero industrial connector IEC 60309",
            "用于延长电缆的工业连接器，带弹簧翻盖。",
            "Industrial connector for extension cables, with spring-loaded lid.",
            2,
        ),
        (
            "ampero-cee-wall-socket",
            "W",
            "Ampero 明装工业插座 IEC 60309",
            "Ampero surface-mounted industrial socket IEC 60309",
            "明装工业插座，倾斜 10° 便于插拔，带翻盖。",
            "Surface-mounted industrial socket angled 10° for easy plugging, with lid.",
            3,
        ),
    ];
    let combos: &[(u32, &str, &str, u32, &str, &str)] = &[
        (16, "2p-e", "3", 230, "blue", "ip44"),
        (16, "3p-n-e", "5", 400, "red", "ip44"),
        (32, "2p-e", "3", 230, "blue", "ip44"),
        (32, "3p-n-e", "5", 400, "red", "ip44"),
        (63, "2p-e", "3", 230, "blue", "ip67"),
        (63, "3p-n-e", "5", 400, "red", "ip67"),
    ];
    KINDS
        .iter()
        .map(|(key, letter, zh, en, tz, te, factor)| {
            let variants = combos
                .iter()
                .map(|(amps, poles, pins, volts, colour, ip)| {
                    Variant::new(format!("ACE-{letter}{amps}-{pins}"))
                        .weight(factor * (u64::from(*amps) * 4 + 100))
                        .gtin(true)
                        .attr("current", amps.to_string())
                        .attr("poles", *poles)
                        .attr("voltage", volts.to_string())
                        .attr("ip_rating", *ip)
                        .attr("colour", *colour)
                })
                .collect();
            let similar: Vec<&str> = KINDS.iter().filter(|k| k.0 != *key).map(|k| k.0).collect();
            Product::new(*key, "industrial-plugs", "Ampero", bi(*zh, *en))
                .texts(
                    bi(format!("{zh}，16/32/63 A，3 芯（蓝色 230 V）或 5 芯（红色 400 V）。"), format!("{en}, 16/32/63 A, 3-pin (blue, 230 V) or 5-pin (red, 400 V).")),
                    bi(
                        format!("{zh}，符合 IEC 60309-1/-2。{tz}16 A 与 32 A 为 IP44，63 A 为 IP67。颜色与接地位置（6 点钟）按标准区分电压，防止误插。"),
                        format!("{en} to IEC 60309-1/-2. {te} 16 A and 32 A are IP44, 63 A is IP67. Colour and earth position (6 h) code the voltage so nothing is plugged into the wrong supply."),
                    ),
                )
                .image(picture("plug", "red"))
                .accessories(&["cablecore-h07rn-f-3g", "cablecore-h07rn-f-5g"])
                .similars(&similar)
                .variants(variants)
        })
        .collect()
}
