//! Fasteners: bolts and machine screws, threaded rods, tapping and wood
//! screws, nuts, washers, anchors and blind rivets. One product per
//! standard, material and (for bolts) thread; variants are lengths or threads.

use crate::media::picture;
use crate::model::{
    Bi, Product, Status, Variant, bi, grams, keep_existing_relations, num, slug_part, tenth_grams,
    tenths,
};
use std::f64::consts::PI;

/// ISO metric coarse thread data (mm) used for texts and weights.
struct Thread {
    label: &'static str,
    code: &'static str,
    d: f64,
    pitch: &'static str,
    /// Across flats of hex heads and nuts.
    af: f64,
    /// Hex head height.
    k: f64,
    /// Hex nut height.
    m: f64,
    /// DIN 125 washer: inner diameter, outer diameter, thickness.
    washer: (f64, f64, f64),
    /// DIN 9021 washer: outer diameter, thickness.
    large: (f64, f64),
    /// DIN 127 spring washer section: width, thickness.
    spring: (f64, f64),
    /// DIN 912 head diameter.
    dk: f64,
    /// Hex key for DIN 912.
    key: &'static str,
    /// Lengths stocked for this thread.
    lengths: &'static [u32],
}

#[rustfmt::skip]
const THREADS: &[Thread] = &[
    Thread { label: "M3", code: "m3", d: 3.0, pitch: "0.5", af: 5.5, k: 2.0, m: 2.4, washer: (3.2, 7.0, 0.5), large: (9.0, 0.8), spring: (1.0, 0.8), dk: 5.5, key: "2.5", lengths: &[6, 8, 10, 12, 16, 20, 25, 30] },
    Thread { label: "M4", code: "m4", d: 4.0, pitch: "0.7", af: 7.0, k: 2.8, m: 3.2, washer: (4.3, 9.0, 0.8), large: (12.0, 1.0), spring: (1.2, 1.0), dk: 7.0, key: "3", lengths: &[6, 8, 10, 12, 16, 20, 25, 30, 40] },
    Thread { label: "M5", code: "m5", d: 5.0, pitch: "0.8", af: 8.0, k: 3.5, m: 4.0, washer: (5.3, 10.0, 1.0), large: (15.0, 1.2), spring: (1.5, 1.2), dk: 8.5, key: "4", lengths: &[8, 10, 12, 16, 20, 25, 30, 40, 50] },
    Thread { label: "M6", code: "m6", d: 6.0, pitch: "1", af: 10.0, k: 4.0, m: 5.0, washer: (6.4, 12.0, 1.6), large: (18.0, 1.6), spring: (2.5, 1.6), dk: 10.0, key: "5", lengths: &[10, 12, 16, 20, 25, 30, 35, 40, 50, 60] },
    Thread { label: "M8", code: "m8", d: 8.0, pitch: "1.25", af: 13.0, k: 5.3, m: 6.5, washer: (8.4, 16.0, 1.6), large: (24.0, 2.0), spring: (3.0, 2.0), dk: 13.0, key: "6", lengths: &[12, 16, 20, 25, 30, 35, 40, 50, 60, 70, 80] },
    Thread { label: "M10", code: "m10", d: 10.0, pitch: "1.5", af: 17.0, k: 6.4, m: 8.0, washer: (10.5, 20.0, 2.0), large: (30.0, 2.5), spring: (3.5, 2.2), dk: 16.0, key: "8", lengths: &[16, 20, 25, 30, 35, 40, 50, 60, 70, 80, 100] },
    Thread { label: "M12", code: "m12", d: 12.0, pitch: "1.75", af: 19.0, k: 7.5, m: 10.0, washer: (13.0, 24.0, 2.5), large: (37.0, 3.0), spring: (4.0, 2.5), dk: 18.0, key: "10", lengths: &[20, 25, 30, 35, 40, 50, 60, 70, 80, 100, 120] },
    Thread { label: "M14", code: "m14", d: 14.0, pitch: "2", af: 22.0, k: 8.8, m: 11.0, washer: (15.0, 28.0, 2.5), large: (44.0, 3.0), spring: (4.5, 3.0), dk: 21.0, key: "12", lengths: &[30, 40, 50, 60, 80, 100] },
    Thread { label: "M16", code: "m16", d: 16.0, pitch: "2", af: 24.0, k: 10.0, m: 13.0, washer: (17.0, 30.0, 3.0), large: (50.0, 3.0), spring: (5.0, 3.5), dk: 24.0, key: "14", lengths: &[30, 35, 40, 50, 60, 70, 80, 100, 120, 150] },
    Thread { label: "M20", code: "m20", d: 20.0, pitch: "2.5", af: 30.0, k: 12.5, m: 16.0, washer: (21.0, 37.0, 3.0), large: (60.0, 4.0), spring: (6.0, 4.0), dk: 30.0, key: "17", lengths: &[40, 50, 60, 70, 80, 100, 120, 150] },
    Thread { label: "M24", code: "m24", d: 24.0, pitch: "3", af: 36.0, k: 15.0, m: 19.0, washer: (25.0, 44.0, 4.0), large: (72.0, 5.0), spring: (7.0, 5.0), dk: 36.0, key: "19", lengths: &[50, 60, 70, 80, 100, 120, 150] },
];

fn thread(label: &str) -> Option<&'static Thread> {
    THREADS.iter().find(|t| t.label == label)
}

/// A material and finish as fasteners are sold in it.
struct Mat {
    /// Product key part.
    key: &'static str,
    /// Part number suffix.
    sku: &'static str,
    /// `material` option code.
    material: &'static str,
    /// `strength_class` option code, or "".
    class: &'static str,
    en: &'static str,
    zh: &'static str,
    use_en: &'static str,
    use_zh: &'static str,
    note_en: &'static str,
    note_zh: &'static str,
    /// g/cm³.
    density: f64,
    /// Picture colour.
    colour: &'static str,
    brand: &'static str,
    gtin: bool,
}

const ZINC88: Mat = Mat {
    key: "8-8-zinc",
    sku: "88Z",
    material: "steel_zinc",
    class: "8-8",
    en: "steel 8.8, zinc-plated",
    zh: "8.8 级碳钢镀锌",
    use_en: "for general machine building and steelwork indoors",
    use_zh: "适用于室内一般机械与钢结构连接",
    note_en: "Quenched and tempered carbon steel, property class 8.8 to ISO 898-1, electro-zinc-plated and clear passivated (free of hexavalent chromium).",
    note_zh: "调质碳钢，性能等级 8.8（ISO 898-1），电镀锌白色钝化，不含六价铬。",
    density: 7.85,
    colour: "zinc",
    brand: "Hengli",
    gtin: false,
};
const ZINC48: Mat = Mat {
    key: "4-8-zinc",
    sku: "48Z",
    material: "steel_zinc",
    class: "4-8",
    en: "steel 4.8, zinc-plated",
    zh: "4.8 级碳钢镀锌",
    use_en: "for light-duty assembly",
    use_zh: "适用于轻载装配",
    note_en: "Low-carbon steel, property class 4.8 to ISO 898-1, electro-zinc-plated and clear passivated.",
    note_zh: "低碳钢，性能等级 4.8（ISO 898-1），电镀锌白色钝化。",
    density: 7.85,
    colour: "zinc",
    brand: "Hengli",
    gtin: false,
};
const BLACK109: Mat = Mat {
    key: "10-9-black",
    sku: "109B",
    material: "steel_black",
    class: "10-9",
    en: "steel 10.9, black oxide",
    zh: "10.9 级合金钢发黑",
    use_en: "for highly loaded joints in machinery",
    use_zh: "适用于机械设备的高强度连接",
    note_en: "Alloy steel, property class 10.9, quenched and tempered, black oxide finish with a light oil film; store dry.",
    note_zh: "合金钢，性能等级 10.9，调质处理，发黑并涂防锈油，请干燥存放。",
    density: 7.85,
    colour: "black",
    brand: "Hengli",
    gtin: false,
};
const BLACK129: Mat = Mat {
    key: "12-9-black",
    sku: "129B",
    material: "steel_black",
    class: "12-9",
    en: "steel 12.9, black oxide",
    zh: "12.9 级合金钢发黑",
    use_en: "for tooling, dies and high-strength machine joints",
    use_zh: "适用于模具、工装及高强度机械连接",
    note_en: "Chromium-molybdenum alloy steel, property class 12.9, hardened and tempered, black oxide finish with a light oil film.",
    note_zh: "铬钼合金钢，性能等级 12.9，淬火回火，发黑并涂防锈油。",
    density: 7.85,
    colour: "black",
    brand: "Hengli",
    gtin: false,
};
const A2: Mat = Mat {
    key: "a2",
    sku: "A2",
    material: "a2",
    class: "a2-70",
    en: "stainless steel A2-70",
    zh: "A2-70 不锈钢",
    use_en: "for corrosion-resistant connections",
    use_zh: "适用于耐腐蚀连接",
    note_en: "Austenitic stainless steel 1.4301/1.4307 (AISI 304), property class A2-70; for indoor and outdoor use away from chlorides.",
    note_zh: "奥氏体不锈钢 1.4301/1.4307（AISI 304），性能等级 A2-70；适用于无氯离子的室内外环境。",
    density: 7.93,
    colour: "stainless",
    brand: "Norsteel",
    gtin: true,
};
const A4: Mat = Mat {
    key: "a4",
    sku: "A4",
    material: "a4",
    class: "a4-80",
    en: "stainless steel A4-80",
    zh: "A4-80 不锈钢",
    use_en: "for marine, chemical and food-processing environments",
    use_zh: "适用于海洋、化工及食品加工环境",
    note_en: "Acid-resistant austenitic stainless steel 1.4401/1.4404 (AISI 316) with molybdenum, property class A4-80; resists chlorides and most process chemicals.",
    note_zh: "含钼耐酸奥氏体不锈钢 1.4401/1.4404（AISI 316），性能等级 A4-80，耐氯离子及多数工艺化学品。",
    density: 7.98,
    colour: "stainless",
    brand: "Norsteel",
    gtin: true,
};
const HDG: Mat = Mat {
    key: "hdg",
    sku: "HDG",
    material: "steel_hdg",
    class: "8-8",
    en: "steel 8.8, hot-dip galvanised",
    zh: "8.8 级热镀锌钢",
    use_en: "for outdoor steel structures, masts and scaffolding",
    use_zh: "适用于户外钢结构、塔架与脚手架",
    note_en: "Property class 8.8, hot-dip galvanised to ISO 10684 with a zinc layer of at least 40 µm; use with HDG nuts tapped oversize.",
    note_zh: "性能等级 8.8，按 ISO 10684 热浸镀锌，锌层不小于 40 µm；须配用加大攻丝的热镀锌螺母。",
    density: 7.85,
    colour: "hdg",
    brand: "Hengli",
    gtin: false,
};
const NUT8: Mat = Mat {
    key: "8-zinc",
    sku: "8Z",
    material: "steel_zinc",
    class: "8",
    en: "steel class 8, zinc-plated",
    zh: "8 级碳钢镀锌",
    use_en: "for bolts up to property class 8.8",
    use_zh: "配用 8.8 级及以下螺栓",
    note_en: "Carbon steel, property class 8 to ISO 898-2, electro-zinc-plated and clear passivated.",
    note_zh: "碳钢，性能等级 8（ISO 898-2），电镀锌白色钝化。",
    density: 7.85,
    colour: "zinc",
    brand: "Hengli",
    gtin: false,
};
const NUT_HDG: Mat = Mat {
    key: "hdg",
    sku: "HDG",
    material: "steel_hdg",
    class: "8",
    en: "steel class 8, hot-dip galvanised",
    zh: "8 级热镀锌钢",
    use_en: "tapped oversize for hot-dip galvanised bolts",
    use_zh: "加大攻丝，配用热镀锌螺栓",
    note_en: "Property class 8, hot-dip galvanised, thread tapped oversize (6AZ) to fit galvanised bolts.",
    note_zh: "性能等级 8，热浸镀锌，螺纹加大攻丝（6AZ），与热镀锌螺栓配合。",
    density: 7.85,
    colour: "hdg",
    brand: "Hengli",
    gtin: false,
};
const W_ZINC: Mat = Mat {
    key: "zinc",
    sku: "Z",
    material: "steel_zinc",
    class: "",
    en: "steel, zinc-plated",
    zh: "碳钢镀锌",
    use_en: "for general steelwork",
    use_zh: "适用于一般钢结构",
    note_en: "Steel 200 HV, electro-zinc-plated and clear passivated.",
    note_zh: "硬度 200 HV 钢，电镀锌白色钝化。",
    density: 7.85,
    colour: "zinc",
    brand: "Hengli",
    gtin: false,
};
const BRASS: Mat = Mat {
    key: "brass",
    sku: "MS",
    material: "brass",
    class: "",
    en: "brass",
    zh: "黄铜",
    use_en: "for electrical and decorative joints; non-magnetic",
    use_zh: "适用于电气及装饰性连接，无磁性",
    note_en: "Brass CuZn39Pb3, bright finish, non-magnetic and a good electrical conductor.",
    note_zh: "黄铜 CuZn39Pb3，本色光亮，无磁性，导电性好。",
    density: 8.5,
    colour: "brass",
    brand: "Hengli",
    gtin: false,
};
const NYLON: Mat = Mat {
    key: "nylon",
    sku: "PA",
    material: "nylon",
    class: "",
    en: "nylon PA66",
    zh: "尼龙 PA66",
    use_en: "for electrical insulation and light loads",
    use_zh: "适用于电气绝缘与轻载场合",
    note_en: "Polyamide PA66, natural white, electrically insulating and corrosion-free; service temperature −40 to +85 °C.",
    note_zh: "聚酰胺 PA66，本色白，电绝缘、不锈蚀，使用温度 −40～+85 °C。",
    density: 1.14,
    colour: "nylon",
    brand: "Hengli",
    gtin: false,
};
const YZINC: Mat = Mat {
    key: "yellow-zinc",
    sku: "YZ",
    material: "steel_yellow_zinc",
    class: "",
    en: "hardened steel, yellow zinc-plated",
    zh: "淬火钢镀彩锌",
    use_en: "for furniture, timber frames and interior fit-out",
    use_zh: "适用于家具、木结构与室内装修",
    note_en: "Case-hardened carbon steel, yellow zinc-plated (Cr(III) passivation) with a wax coating for easy driving.",
    note_zh: "渗碳淬火碳钢，三价铬彩锌，表面打蜡，拧入省力。",
    density: 7.85,
    colour: "yellow-zinc",
    brand: "Fixwell",
    gtin: true,
};
const TAP_ZINC: Mat = Mat {
    key: "zinc",
    sku: "Z",
    material: "steel_zinc",
    class: "",
    en: "case-hardened steel, zinc-plated",
    zh: "渗碳钢镀锌",
    use_en: "for sheet metal and profiles up to 3 mm",
    use_zh: "适用于 3 mm 以内的钣金与型材",
    note_en: "Case-hardened carbon steel (surface 450 HV min.), electro-zinc-plated; forms its own thread in the pilot hole.",
    note_zh: "渗碳淬火碳钢（表面硬度不低于 450 HV），电镀锌，可在底孔中自行攻出螺纹。",
    density: 7.85,
    colour: "zinc",
    brand: "Hengli",
    gtin: false,
};

/// Head geometry, for weights and texts.
#[derive(Clone, Copy)]
enum Head {
    Hex,
    HexFlange,
    SocketCap,
    Button,
    Countersunk,
    Pan,
}

/// A family of threaded screws and bolts: one product per material and thread.
struct ScrewFamily {
    std: &'static str,
    key: &'static str,
    sku: &'static str,
    category: &'static str,
    head_type: &'static str,
    drive: &'static str,
    head: Head,
    name_en: &'static str,
    name_zh: &'static str,
    kind_en: &'static str,
    kind_zh: &'static str,
    note_en: &'static str,
    note_zh: &'static str,
    /// Materials, each with a stride through the stocked lengths (2 = every other).
    mats: &'static [(&'static Mat, usize)],
    threads: &'static [&'static str],
    /// Lengths kept: from `min_d`·d to `max_d`·d and at most `max_len`.
    min_d: f64,
    max_d: f64,
    max_len: u32,
    picture: &'static str,
    doc: &'static str,
    status: Status,
    /// Family key and part-number stem of the family that replaces this one.
    successor: Option<(&'static str, &'static str)>,
    /// Family keys of look-alike families.
    similar: &'static [&'static str],
}

const SCREW_FAMILIES: &[ScrewFamily] = &[
    ScrewFamily {
        std: "DIN 933",
        key: "hex-bolt-din-933",
        sku: "HB933",
        category: "hex-bolts",
        head_type: "hex",
        drive: "external_hex",
        head: Head::Hex,
        name_en: "Hex bolt",
        name_zh: "外六角螺栓",
        kind_en: "hex bolt, fully threaded",
        kind_zh: "全螺纹外六角螺栓",
        note_en: "Equivalent to ISO 4017. The thread runs up to the head, so one length covers a wide range of clamping thicknesses: the standard choice for maintenance stock.",
        note_zh: "等同 ISO 4017。螺纹一直延伸至头部，同一长度可适应多种夹紧厚度，是维修备件库存的常用规格。",
        mats: &[(&ZINC88, 1), (&A2, 1), (&A4, 2), (&BLACK109, 2)],
        threads: &["M5", "M6", "M8", "M10", "M12", "M16", "M20", "M24"],
        min_d: 2.0,
        max_d: 10.0,
        max_len: 150,
        picture: "hex-bolt",
        doc: "ds-hex-bolts.pdf",
        status: Status::Active,
        successor: None,
        similar: &["hex-bolt-din-931"],
    },
    ScrewFamily {
        std: "DIN 931",
        key: "hex-bolt-din-931",
        sku: "HB931",
        category: "hex-bolts",
        head_type: "hex",
        drive: "external_hex",
        head: Head::Hex,
        name_en: "Hex bolt",
        name_zh: "外六角螺栓",
        kind_en: "hex bolt, partially threaded",
        kind_zh: "半螺纹外六角螺栓",
        note_en: "Equivalent to ISO 4014. The plain shank takes shear loads and centres the parts; thread length b = 2d + 6 mm for lengths up to 125 mm.",
        note_zh: "等同 ISO 4014。光杆部分承受剪切载荷并起定位作用；长度 125 mm 以内时螺纹长度 b = 2d + 6 mm。",
        mats: &[(&ZINC88, 1), (&A2, 2), (&HDG, 2)],
        threads: &["M8", "M10", "M12", "M16", "M20", "M24"],
        min_d: 4.0,
        max_d: 8.0,
        max_len: 150,
        picture: "hex-bolt",
        doc: "ds-hex-bolts.pdf",
        status: Status::Active,
        successor: None,
        similar: &["hex-bolt-din-933"],
    },
    ScrewFamily {
        std: "DIN 6921",
        key: "flange-bolt-din-6921",
        sku: "FB6921",
        category: "hex-bolts",
        head_type: "hex_flange",
        drive: "external_hex",
        head: Head::HexFlange,
        name_en: "Hex flange bolt",
        name_zh: "六角法兰面螺栓",
        kind_en: "hex flange bolt with serrations",
        kind_zh: "带齿六角法兰面螺栓",
        note_en: "Equivalent to ISO 4162. The serrated flange spreads the load and resists loosening without a separate washer.",
        note_zh: "等同 ISO 4162。带齿法兰面分散压力并防松，无需另配垫圈。",
        mats: &[(&ZINC88, 2)],
        threads: &["M6", "M8", "M10", "M12"],
        min_d: 2.0,
        max_d: 6.0,
        max_len: 80,
        picture: "hex-bolt",
        doc: "ds-hex-bolts.pdf",
        status: Status::Draft,
        successor: None,
        similar: &["hex-bolt-din-933"],
    },
    ScrewFamily {
        std: "DIN 912",
        key: "socket-cap-screw-din-912",
        sku: "SC912",
        category: "socket-head-cap-screws",
        head_type: "socket_cap",
        drive: "hex_socket",
        head: Head::SocketCap,
        name_en: "Socket head cap screw",
        name_zh: "内六角圆柱头螺钉",
        kind_en: "socket head cap screw",
        kind_zh: "内六角圆柱头螺钉",
        note_en: "Equivalent to ISO 4762. The cylindrical head with hex socket fits counterbored holes and tight spaces and takes high tightening torques.",
        note_zh: "等同 ISO 4762。圆柱头带内六角，适用于沉孔和狭小空间，可承受较高拧紧扭矩。",
        mats: &[(&BLACK129, 1), (&A2, 1), (&A4, 2), (&ZINC88, 2)],
        threads: &["M3", "M4", "M5", "M6", "M8", "M10", "M12", "M16"],
        min_d: 1.5,
        max_d: 8.0,
        max_len: 120,
        picture: "socket-screw",
        doc: "ds-socket-screws.pdf",
        status: Status::Active,
        successor: None,
        similar: &["button-head-screw-iso-7380", "countersunk-screw-din-7991"],
    },
    ScrewFamily {
        std: "ISO 7380",
        key: "button-head-screw-iso-7380",
        sku: "BH7380",
        category: "button-head-screws",
        head_type: "button",
        drive: "hex_socket",
        head: Head::Button,
        name_en: "Button head screw",
        name_zh: "内六角半圆头螺钉",
        kind_en: "hex socket button head screw",
        kind_zh: "内六角半圆头螺钉",
        note_en: "Low, rounded head without sharp edges for covers, guards and aluminium profiles; not for the full preload of a cap screw.",
        note_zh: "头部低矮圆润、无锐边，适用于盖板、防护罩与铝型材；预紧力低于圆柱头螺钉。",
        mats: &[(&A2, 1), (&BLACK109, 2)],
        threads: &["M3", "M4", "M5", "M6", "M8", "M10"],
        min_d: 1.5,
        max_d: 6.0,
        max_len: 50,
        picture: "button-screw",
        doc: "ds-socket-screws.pdf",
        status: Status::Active,
        successor: None,
        similar: &["socket-cap-screw-din-912"],
    },
    ScrewFamily {
        std: "DIN 7991",
        key: "countersunk-screw-din-7991",
        sku: "CS7991",
        category: "countersunk-screws",
        head_type: "countersunk",
        drive: "hex_socket",
        head: Head::Countersunk,
        name_en: "Countersunk screw",
        name_zh: "内六角沉头螺钉",
        kind_en: "hex socket countersunk screw",
        kind_zh: "内六角沉头螺钉",
        note_en: "Equivalent to ISO 10642. The 90° countersunk head sits flush with the surface: for hinges, guides, slides and sheet metal.",
        note_zh: "等同 ISO 10642。90° 沉头与表面齐平，适用于合页、导轨、滑块与钣金。",
        mats: &[(&A2, 1), (&BLACK109, 2)],
        threads: &["M3", "M4", "M5", "M6", "M8", "M10", "M12"],
        min_d: 2.0,
        max_d: 6.0,
        max_len: 60,
        picture: "countersunk-screw",
        doc: "ds-socket-screws.pdf",
        status: Status::Active,
        successor: None,
        similar: &["socket-cap-screw-din-912"],
    },
    ScrewFamily {
        std: "ISO 7045",
        key: "machine-screw-iso-7045",
        sku: "MS7045",
        category: "machine-screws",
        head_type: "pan",
        drive: "phillips",
        head: Head::Pan,
        name_en: "Pan head machine screw",
        name_zh: "十字盘头机螺钉",
        kind_en: "pan head machine screw, Phillips",
        kind_zh: "十字槽盘头机螺钉",
        note_en: "Successor of DIN 7985. For electrical enclosures, brackets and light assemblies; driven with a PH screwdriver or bit.",
        note_zh: "DIN 7985 的替代标准。适用于电气箱体、支架及轻型装配，使用十字螺丝刀或批头。",
        mats: &[(&A2, 1), (&ZINC48, 1)],
        threads: &["M3", "M4", "M5", "M6"],
        min_d: 1.5,
        max_d: 7.0,
        max_len: 40,
        picture: "machine-screw",
        doc: "ds-socket-screws.pdf",
        status: Status::Active,
        successor: None,
        similar: &["countersunk-machine-screw-iso-7046"],
    },
    ScrewFamily {
        std: "ISO 7046",
        key: "countersunk-machine-screw-iso-7046",
        sku: "MC7046",
        category: "machine-screws",
        head_type: "countersunk",
        drive: "phillips",
        head: Head::Countersunk,
        name_en: "Countersunk machine screw",
        name_zh: "十字沉头机螺钉",
        kind_en: "countersunk machine screw, Phillips",
        kind_zh: "十字槽沉头机螺钉",
        note_en: "Successor of DIN 965. The head sits flush in a 90° countersink; for panels, covers and fittings.",
        note_zh: "DIN 965 的替代标准。头部在 90° 沉孔中与表面齐平，适用于面板、盖板与五金件。",
        mats: &[(&A2, 1), (&ZINC48, 2)],
        threads: &["M3", "M4", "M5", "M6"],
        min_d: 1.5,
        max_d: 7.0,
        max_len: 40,
        picture: "countersunk-screw",
        doc: "ds-socket-screws.pdf",
        status: Status::Active,
        successor: None,
        similar: &["machine-screw-iso-7045"],
    },
    ScrewFamily {
        std: "DIN 7985",
        key: "machine-screw-din-7985",
        sku: "MS7985",
        category: "machine-screws",
        head_type: "pan",
        drive: "phillips",
        head: Head::Pan,
        name_en: "Pan head machine screw",
        name_zh: "十字盘头机螺钉",
        kind_en: "raised cheese head screw, Phillips",
        kind_zh: "十字槽盘头螺钉",
        note_en: "DIN 7985 has been withdrawn in favour of ISO 7045 and this range is sold out. Each part number names its ISO 7045 replacement.",
        note_zh: "DIN 7985 已被 ISO 7045 取代，本系列已停产售罄。每个料号均注明对应的 ISO 7045 替代料号。",
        mats: &[(&A2, 1)],
        threads: &["M4", "M5"],
        min_d: 1.5,
        max_d: 7.0,
        max_len: 40,
        picture: "machine-screw",
        doc: "ds-socket-screws.pdf",
        status: Status::Discontinued,
        successor: Some(("machine-screw-iso-7045", "MS7045")),
        similar: &[],
    },
];

/// Single discontinued lengths inside active products:
/// (family part-number stem, material suffix, thread, old length, replacement length).
const LEGACY_LENGTHS: &[(&str, &str, &str, u32, u32)] = &[
    ("HB933", "A2", "M8", 22, 25),
    ("HB933", "88Z", "M10", 45, 50),
    ("SC912", "129B", "M6", 22, 25),
];

/// All fastener products.
pub(crate) fn products() -> Vec<Product> {
    let mut out = Vec::new();
    for f in SCREW_FAMILIES {
        for (mat, stride) in f.mats {
            for label in f.threads {
                if let Some(t) = thread(label) {
                    out.push(screw_product(f, mat, *stride, t));
                }
            }
        }
    }
    out.extend(threaded_rods());
    out.extend(tapping_screws());
    out.extend(wood_screws());
    for f in NUT_FAMILIES {
        for (mat, threads) in f.mats {
            out.push(nut_product(f, mat, threads));
        }
    }
    for f in WASHER_FAMILIES {
        for (mat, threads) in f.mats {
            out.push(washer_product(f, mat, threads));
        }
    }
    out.extend(wedge_anchors());
    out.extend(wall_plugs());
    out.extend(blind_rivets());
    keep_existing_relations(&mut out);
    out
}

/// Box size and box weight (g) for a piece weight in tenths of a gram.
fn boxing(piece_tenths: u64) -> (u32, u64) {
    let pack: u32 = match piece_tenths {
        0..=20 => 200,
        21..=150 => 100,
        151..=400 => 50,
        401..=1500 => 25,
        _ => 10,
    };
    let cardboard = 25 + u64::from(pack / 10);
    (pack, piece_tenths * u64::from(pack) / 10 + cardboard)
}

fn head_volume(head: Head, t: &Thread) -> f64 {
    let d = t.d;
    match head {
        Head::Hex => 0.866 * t.af * t.af * t.k,
        Head::HexFlange => 0.866 * t.af * t.af * t.k + PI / 4.0 * (2.2 * d).powi(2) * 0.25 * d,
        Head::SocketCap => PI / 4.0 * t.dk * t.dk * d * 0.85,
        Head::Button => PI / 4.0 * (1.75 * d).powi(2) * 0.55 * d * 0.6,
        Head::Countersunk => PI / 4.0 * (2.0 * d).powi(2) * 0.2 * d,
        Head::Pan => PI / 4.0 * (2.0 * d).powi(2) * 0.7 * d * 0.75,
    }
}

fn head_text(head: Head, t: &Thread) -> Bi {
    let d = t.d;
    match head {
        Head::Hex => bi(
            format!("对边 {} mm，头高 {} mm", num(t.af), num(t.k)),
            format!("{} mm across flats, head height {} mm", num(t.af), num(t.k)),
        ),
        Head::HexFlange => bi(
            format!("对边 {} mm，法兰直径 {} mm", num(t.af), num(2.2 * d)),
            format!(
                "{} mm across flats, flange diameter {} mm",
                num(t.af),
                num(2.2 * d)
            ),
        ),
        Head::SocketCap => bi(
            format!("头部直径 {} mm，内六角 {} mm", num(t.dk), t.key),
            format!("head diameter {} mm, hex key {} mm", num(t.dk), t.key),
        ),
        Head::Button => bi(
            format!("半圆头直径 {} mm", num(1.75 * d)),
            format!("button head diameter {} mm", num(1.75 * d)),
        ),
        Head::Countersunk => bi(
            format!("90° 沉头，头部直径 {} mm", num(2.0 * d)),
            format!("90° countersunk head, head diameter {} mm", num(2.0 * d)),
        ),
        Head::Pan => bi(
            format!("盘头直径 {} mm", num(2.0 * d)),
            format!("pan head diameter {} mm", num(2.0 * d)),
        ),
    }
}

fn screw_key(family_key: &str, t: &Thread, mat: &Mat) -> String {
    format!("{family_key}-{}-{}", t.code, mat.key)
}

fn nut_key_for(material: &str) -> Option<&'static str> {
    match material {
        "steel_zinc" => Some("8-zinc"),
        "a2" => Some("a2"),
        "a4" => Some("a4"),
        "steel_hdg" => Some("hdg"),
        "brass" => Some("brass"),
        _ => None,
    }
}

fn washer_key_for(material: &str) -> Option<&'static str> {
    match material {
        "steel_zinc" => Some("zinc"),
        "a2" => Some("a2"),
        "a4" => Some("a4"),
        "steel_hdg" => Some("hdg"),
        "brass" => Some("brass"),
        "nylon" => Some("nylon"),
        _ => None,
    }
}

fn screw_lengths(f: &ScrewFamily, t: &Thread, stride: usize) -> Vec<u32> {
    t.lengths
        .iter()
        .copied()
        .filter(|l| {
            let l = f64::from(*l);
            l >= f.min_d * t.d && l <= f.max_d * t.d
        })
        .filter(|l| *l <= f.max_len)
        .enumerate()
        .filter(|(i, _)| i % stride.max(1) == 0)
        .map(|(_, l)| l)
        .collect()
}

fn screw_product(f: &ScrewFamily, mat: &Mat, stride: usize, t: &Thread) -> Product {
    let mut lengths: Vec<(u32, Option<u32>)> = screw_lengths(f, t, stride)
        .into_iter()
        .map(|l| (l, None))
        .collect();
    for (stem, suffix, label, old, new) in LEGACY_LENGTHS {
        if *stem == f.sku && *suffix == mat.sku && *label == t.label {
            lengths.push((*old, Some(*new)));
        }
    }
    lengths.sort_unstable();
    let sku = |len: u32, stem: &str| format!("{stem}-{}X{len}-{}", t.label, mat.sku);
    let mut packs: Vec<u32> = Vec::new();
    let mut variants = Vec::new();
    for (len, replaced_by) in &lengths {
        let shank = PI / 4.0 * t.d * t.d * f64::from(*len) * 0.92;
        let piece = tenth_grams(shank + head_volume(f.head, t), mat.density);
        let (pack, box_g) = boxing(piece);
        if !packs.contains(&pack) {
            packs.push(pack);
        }
        let mut v = Variant::new(sku(*len, f.sku))
            .unit("box", pack)
            .weight(box_g)
            .gtin(mat.gtin)
            .attr("thread_size", t.code)
            .attr("length", len.to_string())
            .attr("material", mat.material)
            .attr("strength_class", mat.class)
            .attr("head_type", f.head_type)
            .attr("drive", f.drive)
            .attr("weight", tenths(piece));
        if mat.brand == "Norsteel" {
            v = v.mpn(format!(
                "NS{}-{}{}X{len}",
                f.std.trim_start_matches(|c: char| !c.is_ascii_digit()),
                mat.sku,
                t.label
            ));
        }
        if let Some(new) = replaced_by {
            v = v.discontinued(sku(*new, f.sku));
        } else if let Some((_, stem)) = f.successor {
            v = v.discontinued(sku(*len, stem));
        }
        variants.push(v);
    }
    let (lmin, lmax) = (
        lengths.first().map_or(0, |l| l.0),
        lengths.last().map_or(0, |l| l.0),
    );
    let range = if lmin == lmax {
        format!("{lmin}")
    } else {
        format!("{lmin}–{lmax}")
    };
    let packs_text = packs
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join("/");
    let head = head_text(f.head, t);
    let name = bi(
        format!("{} {} {} {}", f.std, f.name_zh, t.label, mat.zh),
        format!("{} {} {}, {}", f.name_en, f.std, t.label, mat.en),
    );
    let short = bi(
        format!(
            "{} {}，{}×{} mm，{}，{}。",
            f.std, f.kind_zh, t.label, range, mat.zh, mat.use_zh
        ),
        format!(
            "{} {}, {} × {} mm, {}, {}.",
            f.std, f.kind_en, t.label, range, mat.en, mat.use_en
        ),
    );
    let desc = bi(
        format!(
            "{std} {kind}，螺纹 {th}（螺距 {p} mm），{head}，长度 {range} mm。\n\n{note}\n\n材质：{mnote}\n\n按盒销售，每盒 {packs} 件（视长度而定）。同材质的配套螺母与垫圈见“配件”。",
            std = f.std,
            kind = f.kind_zh,
            th = t.label,
            p = t.pitch,
            head = head.zh,
            note = f.note_zh,
            mnote = mat.note_zh,
            packs = packs_text,
        ),
        format!(
            "{std} {kind}, thread {th} (pitch {p} mm), {head}, lengths {range} mm.\n\n{note}\n\nMaterial: {mnote}\n\nSold by the box of {packs} pieces depending on length. Matching nuts and washers in the same material are listed as accessories.",
            std = f.std,
            kind = f.kind_en,
            th = t.label,
            p = t.pitch,
            head = head.en,
            note = f.note_en,
            mnote = mat.note_en,
            packs = packs_text,
        ),
    );
    let mut accessories = Vec::new();
    if let Some(n) = nut_key_for(mat.material) {
        accessories.push(format!("hex-nut-din-934-{n}"));
        accessories.push(format!("lock-nut-din-985-{n}"));
    }
    if let Some(w) = washer_key_for(mat.material) {
        accessories.push(format!("flat-washer-din-125-{w}"));
        accessories.push(format!("spring-washer-din-127-{w}"));
    }
    let mut similar: Vec<String> = f.similar.iter().map(|fam| screw_key(fam, t, mat)).collect();
    for (other, _) in f.mats {
        if other.key != mat.key {
            similar.push(screw_key(f.key, t, other));
        }
    }
    let mut p = Product::new(screw_key(f.key, t, mat), f.category, mat.brand, name)
        .texts(short, desc)
        .image(picture(f.picture, mat.colour))
        .doc(f.doc)
        .status(f.status)
        .accessories(&accessories)
        .similars(&similar)
        .variants(variants);
    if let Some((successor, _)) = f.successor {
        p = p.replaced_by(screw_key(successor, t, mat));
    }
    p
}

/// DIN 975 threaded rods: one product per material, variants thread × length.
fn threaded_rods() -> Vec<Product> {
    const RODS: &[(&Mat, &[u32])] = &[
        (&ZINC48, &[1000, 2000, 3000]),
        (&ZINC88, &[1000]),
        (&A2, &[1000, 2000]),
        (&A4, &[1000]),
    ];
    const RTHREADS: &[&str] = &["M6", "M8", "M10", "M12", "M16", "M20", "M24"];
    RODS.iter()
        .map(|(mat, lengths)| {
            let mut variants = Vec::new();
            for label in RTHREADS {
                let Some(t) = thread(label) else { continue };
                for len in *lengths {
                    let g = grams(PI / 4.0 * t.d * t.d * f64::from(*len) * 0.9, mat.density);
                    variants.push(
                        Variant::new(format!("TR975-{}X{len}-{}", t.label, mat.sku))
                            .weight(g)
                            .gtin(mat.gtin)
                            .dims(*len, t.d as u32, t.d as u32)
                            .attr("thread_size", t.code)
                            .attr("length", len.to_string())
                            .attr("material", mat.material)
                            .attr("strength_class", mat.class)
                            .attr("weight", g.to_string()),
                    );
                }
            }
            let lens = lengths
                .iter()
                .map(|l| format!("{} m", l / 1000))
                .collect::<Vec<_>>();
            Product::new(
                format!("threaded-rod-din-975-{}", mat.key),
                "threaded-rods",
                mat.brand,
                bi(
                    format!("DIN 975 全螺纹牙条 {}", mat.zh),
                    format!("Threaded rod DIN 975, {}", mat.en),
                ),
            )
            .texts(
                bi(
                    format!("DIN 975 牙条，M6–M24，长 {}，{}，可按需切割。", lens.join("/"), mat.zh),
                    format!("DIN 975 threaded rod, M6–M24, {} long, {}, cut to length on site.", lens.join(" / "), mat.en),
                ),
                bi(
                    format!("DIN 975 全螺纹牙条（螺杆），M6 至 M24，标准长度 {}。用于吊装、支架、法兰连接及设备安装，配合六角螺母和垫圈使用；可用钢锯或切割机截断。\n\n材质：{}\n\n按根销售。", lens.join("、"), mat.note_zh),
                    format!("DIN 975 threaded rod (studding), M6 to M24, stock lengths {}. For suspensions, brackets, flange connections and machine installation, combined with hex nuts and washers; cut with a hacksaw or cut-off saw.\n\nMaterial: {}\n\nSold by the piece.", lens.join(", "), mat.note_en),
                ),
            )
            .image(picture("threaded-rod", mat.colour))
            .doc("ds-hex-bolts.pdf")
            .accessories(&[
                nut_key_for(mat.material).map(|n| format!("hex-nut-din-934-{n}")).unwrap_or_default(),
                washer_key_for(mat.material).map(|w| format!("flat-washer-din-125-{w}")).unwrap_or_default(),
            ])
            .variants(variants)
        })
        .collect()
}

/// Tapping screw sizes: diameter, Phillips size, lengths.
const TAPPING_SIZES: &[(f64, &str, &[f64])] = &[
    (2.9, "PH1", &[9.5, 13.0, 16.0]),
    (3.5, "PH2", &[9.5, 13.0, 16.0, 19.0]),
    (3.9, "PH2", &[9.5, 13.0, 16.0, 19.0, 25.0]),
    (4.2, "PH2", &[13.0, 16.0, 19.0, 25.0, 32.0]),
    (4.8, "PH2", &[16.0, 19.0, 25.0, 32.0, 38.0]),
    (5.5, "PH3", &[19.0, 25.0, 32.0, 38.0]),
    (6.3, "PH3", &[25.0, 32.0, 38.0, 50.0]),
];

/// DIN 7981 / DIN 7982 tapping screws: one product per standard and material.
fn tapping_screws() -> Vec<Product> {
    const FAMS: &[(&str, &str, &str, &str, &str, &str)] = &[
        (
            "DIN 7981",
            "7981",
            "pan",
            "十字盘头自攻螺钉",
            "Pan head tapping screw",
            "pan head",
        ),
        (
            "DIN 7982",
            "7982",
            "countersunk",
            "十字沉头自攻螺钉",
            "Countersunk tapping screw",
            "countersunk head",
        ),
    ];
    let mut out = Vec::new();
    for (std, num_part, head, zh, en, head_en) in FAMS {
        for mat in [&A2, &TAP_ZINC] {
            let mut variants = Vec::new();
            for (d, ph, lengths) in TAPPING_SIZES {
                for len in *lengths {
                    let piece =
                        tenth_grams(PI / 4.0 * d * d * len * 0.7 + 1.5 * d * d * d, mat.density);
                    let (pack, box_g) = boxing(piece);
                    variants.push(
                        Variant::new(format!(
                            "ST{num_part}-{}X{}-{}",
                            num(*d),
                            num(*len),
                            mat.sku
                        ))
                        .unit("box", pack)
                        .weight(box_g)
                        .gtin(mat.gtin)
                        .mpn(format!("{std} ST{}x{} {ph}", num(*d), num(*len)))
                        .attr("diameter", num(*d))
                        .attr("length", num(*len))
                        .attr("material", mat.material)
                        .attr("head_type", *head)
                        .attr("drive", "phillips")
                        .attr("weight", tenths(piece)),
                    );
                }
            }
            let other = if *num_part == "7981" { "7982" } else { "7981" };
            out.push(
                Product::new(
                    format!("tapping-screw-din-{num_part}-{}", mat.key),
                    "self-tapping-screws",
                    mat.brand,
                    bi(format!("{std} {zh} {}", mat.zh), format!("{en} {std}, {}", mat.en)),
                )
                .texts(
                    bi(
                        format!("{std} 十字槽{}自攻螺钉，ST2.9–ST6.3，{}，{}。", if *head == "pan" { "盘头" } else { "沉头" }, mat.zh, mat.use_zh),
                        format!("{std} Phillips {head_en} tapping screw, ST2.9–ST6.3, {}, {}.", mat.en, mat.use_en),
                    ),
                    bi(
                        format!("{std}（ISO {}）十字槽{}自攻螺钉，C 型尖头，规格 ST2.9 至 ST6.3，长度 9.5–50 mm。按螺钉直径的约 75% 预钻底孔，可直接攻入钢板、铝板及塑料件。\n\n材质：{}\n\n按盒销售。", if *num_part == "7981" { "7049" } else { "7050" }, if *head == "pan" { "盘头" } else { "沉头" }, mat.note_zh),
                        format!("{std} (ISO {}) Phillips {head_en} tapping screw with C point, sizes ST2.9 to ST6.3, lengths 9.5–50 mm. Pre-drill to about 75 % of the screw diameter; taps its own thread in steel and aluminium sheet and plastics.\n\nMaterial: {}\n\nSold by the box.", if *num_part == "7981" { "7049" } else { "7050" }, mat.note_en),
                    ),
                )
                .image(picture("tapping-screw", mat.colour))
                .similars(&[format!("tapping-screw-din-{other}-{}", mat.key)])
                .variants(variants),
            );
        }
    }
    out
}

/// Chipboard screw diameters and lengths.
const WOOD_SIZES: &[(f64, &[u32])] = &[
    (3.0, &[12, 16, 20, 25, 30]),
    (3.5, &[16, 20, 25, 30, 35, 40]),
    (4.0, &[20, 25, 30, 35, 40, 45, 50]),
    (4.5, &[25, 30, 35, 40, 45, 50, 60]),
    (5.0, &[30, 40, 50, 60, 70, 80]),
    (6.0, &[40, 50, 60, 80, 100, 120]),
];

fn wood_key(d: f64, mat: &Mat) -> String {
    format!("chipboard-screw-{}-{}", slug_part(&num(d)), mat.key)
}

/// Chipboard screws: one product per diameter and material.
fn wood_screws() -> Vec<Product> {
    let mut out = Vec::new();
    for mat in [&YZINC, &A2] {
        for (d, lengths) in WOOD_SIZES {
            let pz = if *d < 3.5 {
                "PZ1"
            } else if *d < 5.5 {
                "PZ2"
            } else {
                "PZ3"
            };
            let variants = lengths
                .iter()
                .map(|len| {
                    let piece = tenth_grams(
                        PI / 4.0 * d * d * f64::from(*len) * 0.75 + 2.0 * d * d * d,
                        mat.density,
                    );
                    let pack = if *d <= 4.0 { 200 } else { 100 };
                    let box_g = piece * pack / 10 + 30;
                    Variant::new(format!("WS-{}X{len}-{}", num(*d), mat.sku))
                        .unit("box", pack as u32)
                        .weight(box_g)
                        .gtin(mat.gtin)
                        .attr("diameter", num(*d))
                        .attr("length", len.to_string())
                        .attr("material", mat.material)
                        .attr("head_type", "countersunk")
                        .attr("drive", "pozidriv")
                        .attr("weight", tenths(piece))
                })
                .collect();
            let brand = "Fixwell";
            out.push(
                Product::new(
                    wood_key(*d, mat),
                    "wood-screws",
                    brand,
                    bi(
                        format!("刨花板螺钉 {} mm 米字沉头 {}", num(*d), mat.zh),
                        format!("Chipboard screw {} mm, Pozidriv countersunk, {}", num(*d), mat.en),
                    ),
                )
                .texts(
                    bi(
                        format!("{} mm 刨花板/木螺钉，米字 {pz} 沉头，长度 {}–{} mm，{}。", num(*d), lengths.first().copied().unwrap_or(0), lengths.last().copied().unwrap_or(0), mat.zh),
                        format!("{} mm chipboard and wood screw, Pozidriv {pz} countersunk head, {}–{} mm long, {}.", num(*d), lengths.first().copied().unwrap_or(0), lengths.last().copied().unwrap_or(0), mat.en),
                    ),
                    bi(
                        format!("{} mm 刨花板螺钉，粗牙、尖尾，沉头下带铣削筋，可在软木与刨花板中免预钻直接拧入并自行沉头；长度 40 mm 以上为半牙，可将板件拉紧。\n\n材质：{}\n\n{}", num(*d), mat.note_zh, if mat.key == "a2" { "不锈钢款适用于户外露台、外墙挂板及潮湿环境。" } else { "彩锌款适用于室内家具与装修。" }),
                        format!("{} mm chipboard screw with coarse thread, sharp point and nibs under the countersunk head: drives without pre-drilling in softwood and chipboard and countersinks itself. From 40 mm the thread is partial so the screw pulls boards together.\n\nMaterial: {}\n\n{}", num(*d), mat.note_en, if mat.key == "a2" { "The stainless version is for decking, cladding and damp rooms." } else { "The yellow zinc version is for furniture and interior work." }),
                    ),
                )
                .image(picture("wood-screw", mat.colour))
                .similars(&WOOD_SIZES.iter().filter(|(o, _)| o != d).take(2).map(|(o, _)| wood_key(*o, mat)).collect::<Vec<_>>())
                .variants(variants),
            );
        }
    }
    out
}

/// A nut family: one product per material, variants per thread.
struct NutFamily {
    std: &'static str,
    key: &'static str,
    sku: &'static str,
    category: &'static str,
    name_en: &'static str,
    name_zh: &'static str,
    note_en: &'static str,
    note_zh: &'static str,
    /// Height as a multiple of the DIN 934 height (weights).
    height: f64,
    picture: &'static str,
    mats: &'static [(&'static Mat, &'static [&'static str])],
}

const ALL_THREADS: &[&str] = &[
    "M3", "M4", "M5", "M6", "M8", "M10", "M12", "M14", "M16", "M20", "M24",
];
const M4_M20: &[&str] = &["M4", "M5", "M6", "M8", "M10", "M12", "M14", "M16", "M20"];
const M4_M16: &[&str] = &["M4", "M5", "M6", "M8", "M10", "M12", "M16"];
const M4_M12: &[&str] = &["M4", "M5", "M6", "M8", "M10", "M12"];
const M5_M16: &[&str] = &["M5", "M6", "M8", "M10", "M12", "M16"];
const M3_M12: &[&str] = &["M3", "M4", "M5", "M6", "M8", "M10", "M12"];
const M8_M24: &[&str] = &["M8", "M10", "M12", "M16", "M20", "M24"];

const NUT_FAMILIES: &[NutFamily] = &[
    NutFamily {
        std: "DIN 934",
        key: "hex-nut-din-934",
        sku: "HN934",
        category: "hex-nuts",
        name_en: "Hex nut",
        name_zh: "六角螺母",
        note_en: "Equivalent to ISO 4032 (height about 0.8 d): the everyday nut for bolts of the same thread and material.",
        note_zh: "等同 ISO 4032（高度约 0.8 d），与同螺纹、同材质螺栓配用的通用螺母。",
        height: 1.0,
        picture: "hex-nut",
        mats: &[
            (&NUT8, ALL_THREADS),
            (&A2, ALL_THREADS),
            (&A4, M4_M20),
            (&NUT_HDG, M8_M24),
            (&BRASS, M3_M12),
        ],
    },
    NutFamily {
        std: "DIN 985",
        key: "lock-nut-din-985",
        sku: "LN985",
        category: "lock-nuts",
        name_en: "Nylon insert lock nut",
        name_zh: "尼龙锁紧螺母",
        note_en: "Equivalent to ISO 10511. The nylon insert grips the bolt thread and keeps the nut from working loose under vibration; use once.",
        note_zh: "等同 ISO 10511。尼龙圈咬紧螺栓螺纹，在振动下防止松脱；建议一次性使用。",
        height: 1.25,
        picture: "lock-nut",
        mats: &[(&NUT8, ALL_THREADS), (&A2, M4_M20), (&A4, M4_M16)],
    },
    NutFamily {
        std: "DIN 6923",
        key: "flange-nut-din-6923",
        sku: "FN6923",
        category: "lock-nuts",
        name_en: "Serrated flange nut",
        name_zh: "带齿法兰螺母",
        note_en: "Equivalent to ISO 4161. The flange replaces a washer and its serrations resist loosening; not for surfaces that must stay unmarked.",
        note_zh: "等同 ISO 4161。法兰面代替垫圈，齿纹防松；不适用于不允许压痕的表面。",
        height: 1.3,
        picture: "lock-nut",
        mats: &[(&NUT8, M5_M16), (&A2, M5_M16)],
    },
    NutFamily {
        std: "DIN 1587",
        key: "cap-nut-din-1587",
        sku: "CN1587",
        category: "special-nuts",
        name_en: "Dome cap nut",
        name_zh: "盖形螺母",
        note_en: "The domed acorn cap covers the bolt end: protects the thread and hands and gives visible joints a clean finish.",
        note_zh: "球面盖形封住螺栓末端，保护螺纹、防止划手，使外露连接更美观。",
        height: 1.8,
        picture: "special-nut",
        mats: &[(&A2, M4_M16), (&NUT8, M4_M16)],
    },
    NutFamily {
        std: "DIN 315",
        key: "wing-nut-din-315",
        sku: "WN315",
        category: "special-nuts",
        name_en: "Wing nut",
        name_zh: "蝶形螺母",
        note_en: "Tightened and released by hand without tools, for covers, clamps and fixtures that are opened often.",
        note_zh: "无需工具即可手动拧紧和松开，适用于经常开启的盖板、夹具与工装。",
        height: 1.6,
        picture: "special-nut",
        mats: &[(&A2, M4_M12), (&NUT8, M4_M12)],
    },
];

fn nut_product(f: &NutFamily, mat: &Mat, threads: &[&str]) -> Product {
    let mut variants = Vec::new();
    for label in threads {
        let Some(t) = thread(label) else { continue };
        let height = t.m * f.height;
        let piece = tenth_grams(
            (0.866 * t.af * t.af - PI / 4.0 * t.d * t.d) * height,
            mat.density,
        );
        let (pack, box_g) = boxing(piece);
        variants.push(
            Variant::new(format!("{}-{}-{}", f.sku, t.label, mat.sku))
                .unit("box", pack)
                .weight(box_g)
                .gtin(mat.gtin)
                .attr("thread_size", t.code)
                .attr("material", mat.material)
                .attr("strength_class", mat.class)
                .attr("across_flats", num(t.af))
                .attr("weight", tenths(piece)),
        );
    }
    let first = threads.first().copied().unwrap_or_default();
    let last = threads.last().copied().unwrap_or_default();
    let mut similar: Vec<String> = NUT_FAMILIES
        .iter()
        .filter(|o| o.key != f.key)
        .map(|o| format!("{}-{}", o.key, mat.key))
        .collect();
    similar.truncate(3);
    let washer = washer_key_for(mat.material);
    Product::new(
        format!("{}-{}", f.key, mat.key),
        f.category,
        mat.brand,
        bi(
            format!("{} {} {}", f.std, f.name_zh, mat.zh),
            format!("{} {}, {}", f.name_en, f.std, mat.en),
        ),
    )
    .texts(
        bi(
            format!("{} {}，{}–{}，{}，{}。", f.std, f.name_zh, first, last, mat.zh, mat.use_zh),
            format!("{} {}, {} to {}, {}, {}.", f.std, f.name_en.to_lowercase(), first, last, mat.en, mat.use_en),
        ),
        bi(
            format!("{} {}，螺纹 {} 至 {}（粗牙）。{}\n\n材质：{}\n\n按盒销售；每个料号的对边尺寸和单重见规格参数。", f.std, f.name_zh, first, last, f.note_zh, mat.note_zh),
            format!("{} {}, threads {} to {} (coarse pitch). {}\n\nMaterial: {}\n\nSold by the box; across-flats size and unit weight are listed per part number.", f.std, f.name_en.to_lowercase(), first, last, f.note_en, mat.note_en),
        ),
    )
    .image(picture(f.picture, mat.colour))
    .doc("ds-nuts-washers.pdf")
    .accessories(&washer.map(|w| vec![format!("flat-washer-din-125-{w}"), format!("spring-washer-din-127-{w}")]).unwrap_or_default())
    .similars(&similar)
    .variants(variants)
}

/// Washer geometry.
#[derive(Clone, Copy)]
enum WasherKind {
    Flat,
    Large,
    Spring,
}

struct WasherFamily {
    std: &'static str,
    key: &'static str,
    sku: &'static str,
    category: &'static str,
    kind: WasherKind,
    name_en: &'static str,
    name_zh: &'static str,
    note_en: &'static str,
    note_zh: &'static str,
    picture: &'static str,
    mats: &'static [(&'static Mat, &'static [&'static str])],
}

const WASHER_FAMILIES: &[WasherFamily] = &[
    WasherFamily {
        std: "DIN 125",
        key: "flat-washer-din-125",
        sku: "FW125",
        category: "flat-washers",
        kind: WasherKind::Flat,
        name_en: "Flat washer",
        name_zh: "平垫圈",
        note_en: "Form A without chamfer, equivalent to ISO 7089. Spreads the clamping load and protects the surface under nuts and bolt heads.",
        note_zh: "A 型（无倒角），等同 ISO 7089。分散夹紧力，保护螺母及螺栓头下的表面。",
        picture: "washer",
        mats: &[
            (&W_ZINC, ALL_THREADS),
            (&A2, ALL_THREADS),
            (&A4, M4_M20),
            (&HDG, M8_M24),
            (&BRASS, M3_M12),
            (&NYLON, M3_M12),
        ],
    },
    WasherFamily {
        std: "DIN 9021",
        key: "large-washer-din-9021",
        sku: "LW9021",
        category: "flat-washers",
        kind: WasherKind::Large,
        name_en: "Large flat washer",
        name_zh: "大垫圈",
        note_en: "Outside diameter about 3 d, equivalent to ISO 7093: for soft materials, slotted holes and oversized holes.",
        note_zh: "外径约为 3 d，等同 ISO 7093，适用于软质材料、长圆孔及大孔。",
        picture: "washer",
        mats: &[(&W_ZINC, ALL_THREADS), (&A2, ALL_THREADS), (&A4, M4_M16)],
    },
    WasherFamily {
        std: "DIN 127",
        key: "spring-washer-din-127",
        sku: "SW127",
        category: "spring-washers",
        kind: WasherKind::Spring,
        name_en: "Spring lock washer",
        name_zh: "弹簧垫圈",
        note_en: "Form B with square section. Keeps some preload in joints that settle; for critical joints prefer lock nuts or wedge-lock washers.",
        note_zh: "B 型方截面。在会发生松弛的连接中保持一定预紧力；关键连接建议使用防松螺母。",
        picture: "spring-washer",
        mats: &[(&W_ZINC, ALL_THREADS), (&A2, ALL_THREADS), (&A4, M4_M16)],
    },
];

fn washer_product(f: &WasherFamily, mat: &Mat, threads: &[&str]) -> Product {
    let mut variants = Vec::new();
    for label in threads {
        let Some(t) = thread(label) else { continue };
        let (id, od, h) = match f.kind {
            WasherKind::Flat => t.washer,
            WasherKind::Large => (t.washer.0, t.large.0, t.large.1),
            WasherKind::Spring => (t.d + 0.1, t.d + 0.1 + 2.0 * t.spring.0, t.spring.1),
        };
        let piece = tenth_grams(PI / 4.0 * (od * od - id * id) * h, mat.density);
        let (pack, box_g) = boxing(piece);
        variants.push(
            Variant::new(format!("{}-{}-{}", f.sku, t.label, mat.sku))
                .unit("box", pack)
                .weight(box_g)
                .gtin(mat.gtin)
                .attr("thread_size", t.code)
                .attr("material", mat.material)
                .attr("diameter", num(od))
                .attr("thickness", num(h))
                .attr("weight", tenths(piece)),
        );
    }
    let first = threads.first().copied().unwrap_or_default();
    let last = threads.last().copied().unwrap_or_default();
    let similar: Vec<String> = WASHER_FAMILIES
        .iter()
        .filter(|o| o.key != f.key)
        .map(|o| format!("{}-{}", o.key, mat.key))
        .collect();
    Product::new(
        format!("{}-{}", f.key, mat.key),
        f.category,
        mat.brand,
        bi(
            format!("{} {} {}", f.std, f.name_zh, mat.zh),
            format!("{} {}, {}", f.name_en, f.std, mat.en),
        ),
    )
    .texts(
        bi(
            format!("{} {}，适配 {}–{} 螺栓，{}。", f.std, f.name_zh, first, last, mat.zh),
            format!("{} {}, for {} to {} bolts, {}.", f.std, f.name_en.to_lowercase(), first, last, mat.en),
        ),
        bi(
            format!("{} {}，适配螺纹 {} 至 {}。{}\n\n材质：{}\n\n内径、外径与厚度见各料号规格参数；按盒销售。", f.std, f.name_zh, first, last, f.note_zh, mat.note_zh),
            format!("{} {}, for threads {} to {}. {}\n\nMaterial: {}\n\nInner and outer diameter and thickness are listed per part number; sold by the box.", f.std, f.name_en.to_lowercase(), first, last, f.note_en, mat.note_en),
        ),
    )
    .image(picture(f.picture, mat.colour))
    .doc("ds-nuts-washers.pdf")
    .similars(&similar)
    .variants(variants)
}

const ANCHOR_ZINC: Mat = Mat {
    key: "zinc",
    sku: "Z",
    material: "steel_zinc",
    class: "",
    en: "steel, zinc-plated",
    zh: "碳钢镀锌",
    use_en: "for dry indoor conditions",
    use_zh: "适用于室内干燥环境",
    note_en: "Carbon steel bolt, expansion clip and nut, electro-zinc-plated (5 µm); for dry interior conditions.",
    note_zh: "碳钢螺杆、膨胀片与螺母，电镀锌（5 µm），适用于室内干燥环境。",
    density: 7.85,
    colour: "zinc",
    brand: "Fixwell",
    gtin: true,
};
const ANCHOR_A4: Mat = Mat {
    brand: "Fixwell",
    ..A4
};

/// Wedge anchors: one product per thread and material, variants by length.
fn wedge_anchors() -> Vec<Product> {
    const SIZES: &[(&str, &[u32], u32, &str)] = &[
        ("M8", &[75, 95, 115], 50, "20"),
        ("M10", &[90, 110, 130], 50, "35"),
        ("M12", &[100, 120, 160], 25, "60"),
        ("M16", &[125, 145, 175], 20, "120"),
    ];
    let mut out = Vec::new();
    for mat in [&ANCHOR_ZINC, &ANCHOR_A4] {
        for (label, lengths, pack, torque) in SIZES {
            let Some(t) = thread(label) else { continue };
            let variants = lengths
                .iter()
                .map(|len| {
                    let piece = grams(
                        PI / 4.0 * t.d * t.d * f64::from(*len) + 0.866 * t.af * t.af * t.m,
                        mat.density,
                    );
                    Variant::new(format!("WA-{}X{len}-{}", t.label, mat.sku))
                        .unit("box", *pack)
                        .weight(piece * u64::from(*pack) + 40)
                        .gtin(mat.gtin)
                        .attr("thread_size", t.code)
                        .attr("length", len.to_string())
                        .attr("material", mat.material)
                        .attr("diameter", num(t.d))
                        .attr("weight", piece.to_string())
                })
                .collect();
            let other = if mat.key == "zinc" { "a4" } else { "zinc" };
            out.push(
                Product::new(
                    format!("wedge-anchor-{}-{}", t.code, mat.key),
                    "wedge-anchors",
                    mat.brand,
                    bi(format!("机械锚栓 {} {}", t.label, mat.zh), format!("Wedge anchor {}, {}", t.label, mat.en)),
                )
                .texts(
                    bi(
                        format!("{} 机械锚栓（膨胀螺栓），钻孔直径 {} mm，{}，适用于混凝土。", t.label, num(t.d), mat.zh),
                        format!("{} wedge anchor for concrete, drill diameter {} mm, {}.", t.label, num(t.d), mat.en),
                    ),
                    bi(
                        format!("{} 机械锚栓，适用于 C20/25 至 C50/60 开裂及非开裂混凝土的穿透式安装。钻孔直径 {} mm，拧紧扭矩 {} Nm；附六角螺母与垫圈。\n\n材质：{}\n\n安装前须清孔（吹两次、刷两次）。", t.label, num(t.d), torque, mat.note_zh),
                        format!("{} wedge anchor for through-fixing in cracked and non-cracked concrete C20/25 to C50/60. Drill diameter {} mm, tightening torque {} Nm; supplied with hex nut and washer.\n\nMaterial: {}\n\nClean the hole (blow out twice, brush twice) before setting.", t.label, num(t.d), torque, mat.note_en),
                    ),
                )
                .image(picture("wedge-anchor", mat.colour))
                .doc("ds-wedge-anchors.pdf")
                .similars(&[format!("wedge-anchor-{}-{other}", t.code)])
                .variants(variants),
            );
        }
    }
    out
}

/// Nylon wall plugs: one product per diameter.
fn wall_plugs() -> Vec<Product> {
    const PLUGS: &[(u32, &[u32], f64)] = &[
        (5, &[25], 3.5),
        (6, &[30, 40], 4.0),
        (8, &[40, 50], 5.0),
        (10, &[50, 60], 6.0),
        (12, &[60], 6.0),
    ];
    PLUGS
        .iter()
        .map(|(d, lengths, screw)| {
            let variants = lengths
                .iter()
                .map(|len| {
                    let pack = if *d >= 10 { 50 } else { 100 };
                    let piece = tenth_grams(PI / 4.0 * f64::from(d * d) * f64::from(*len) * 0.45, 1.14);
                    Variant::new(format!("WP-{d}X{len}"))
                        .unit("box", pack)
                        .weight(piece * u64::from(pack) / 10 + 20)
                        .gtin(true)
                        .attr("diameter", d.to_string())
                        .attr("length", len.to_string())
                        .attr("material", "nylon")
                        .attr("colour", "grey")
                })
                .collect();
            Product::new(
                format!("wall-plug-nylon-{d}mm"),
                "wall-plugs",
                "Fixwell",
                bi(format!("尼龙膨胀管 {d} mm"), format!("Nylon wall plug {d} mm")),
            )
            .texts(
                bi(
                    format!("{d} mm 尼龙膨胀管，四向膨胀带防转翼，适用于混凝土、实心砖及石材；配 {} mm 木螺钉。", num(*screw)),
                    format!("{d} mm nylon wall plug, four-way expansion with anti-rotation wings, for concrete, solid brick and stone; use {} mm wood screws.", num(*screw)),
                ),
                bi(
                    format!("{d} mm 尼龙膨胀管，钻孔直径 {d} mm，孔深比膨胀管长度深约 10 mm。拧入螺钉时四向膨胀，防转翼防止空转。适用于搁板、挂架、线槽等轻中载固定。\n\n推荐螺钉直径 {} mm，按盒销售。", num(*screw)),
                    format!("{d} mm nylon wall plug; drill {d} mm and about 10 mm deeper than the plug. It expands in four directions as the screw goes in, and wings stop it from turning. For shelves, brackets and cable trunking.\n\nRecommended screw diameter {} mm; sold by the box.", num(*screw)),
                ),
            )
            .image(picture("wall-plug", "nylon"))
            .accessories(&[wood_key(*screw, &YZINC)])
            .variants(variants)
        })
        .collect()
}

const RIVET_AL: Mat = Mat {
    key: "al-steel",
    sku: "AS",
    material: "aluminium",
    class: "",
    en: "aluminium body, steel mandrel",
    zh: "铝铆体、钢芯",
    use_en: "for sheet metal, ventilation ducts and signs",
    use_zh: "适用于钣金、通风管道与标牌",
    note_en: "Body aluminium AlMg2.5, mandrel zinc-plated steel; shear strength suits thin sheet and light profiles.",
    note_zh: "铆体为 AlMg2.5 铝合金，钢芯镀锌；剪切强度适合薄板与轻型型材。",
    density: 2.7,
    colour: "aluminium",
    brand: "Fixwell",
    gtin: true,
};
const RIVET_A2: Mat = Mat {
    key: "a2",
    sku: "A2",
    material: "a2",
    class: "",
    en: "stainless steel A2 body and mandrel",
    zh: "A2 不锈钢铆体及钉芯",
    use_en: "for outdoor and food-industry equipment",
    use_zh: "适用于户外与食品行业设备",
    note_en: "Body and mandrel stainless steel A2 (1.4567 / 1.4541); high shear strength and corrosion resistance.",
    note_zh: "铆体及钉芯均为 A2 不锈钢（1.4567 / 1.4541），剪切强度高、耐腐蚀。",
    density: 7.93,
    colour: "stainless",
    brand: "Fixwell",
    gtin: true,
};
const RIVET_ST: Mat = Mat {
    key: "steel",
    sku: "ST",
    material: "steel_zinc",
    class: "",
    en: "steel body and mandrel, zinc-plated",
    zh: "钢铆体及钢芯镀锌",
    use_en: "for steel sheet and racking",
    use_zh: "适用于钢板与货架",
    note_en: "Body and mandrel low-carbon steel, zinc-plated; for joining steel sheet of similar hardness.",
    note_zh: "铆体及钉芯为低碳钢镀锌，用于连接硬度相近的钢板。",
    density: 7.85,
    colour: "zinc",
    brand: "Fixwell",
    gtin: true,
};

/// Blind rivets: one product per material and diameter.
fn blind_rivets() -> Vec<Product> {
    const SIZES: &[(f64, &[u32], u32)] = &[
        (3.2, &[6, 8, 10, 12], 500),
        (4.0, &[8, 10, 12, 16], 500),
        (4.8, &[8, 10, 12, 16, 20], 250),
    ];
    let mut out = Vec::new();
    for mat in [&RIVET_AL, &RIVET_A2, &RIVET_ST] {
        for (d, lengths, pack) in SIZES {
            let variants = lengths
                .iter()
                .map(|len| {
                    let piece = tenth_grams(
                        PI / 4.0 * d * d * f64::from(*len) * 0.6
                            + PI / 4.0 * (2.0 * d).powi(2) * 0.4 * d,
                        mat.density,
                    ) + 4;
                    Variant::new(format!("BR-{}X{len}-{}", num(*d), mat.sku))
                        .unit("box", *pack)
                        .weight(piece * u64::from(*pack) / 10 + 30)
                        .gtin(mat.gtin)
                        .attr("diameter", num(*d))
                        .attr("length", len.to_string())
                        .attr("material", mat.material)
                        .attr("head_type", "dome")
                })
                .collect();
            let similar: Vec<String> = [&RIVET_AL, &RIVET_A2, &RIVET_ST]
                .iter()
                .filter(|o| o.key != mat.key)
                .map(|o| format!("blind-rivet-{}-{}", slug_part(&num(*d)), o.key))
                .collect();
            out.push(
                Product::new(
                    format!("blind-rivet-{}-{}", slug_part(&num(*d)), mat.key),
                    "blind-rivets",
                    mat.brand,
                    bi(format!("抽芯铆钉 {} mm 圆头 {}", num(*d), mat.zh), format!("Blind rivet {} mm, dome head, {}", num(*d), mat.en)),
                )
                .texts(
                    bi(
                        format!("{} mm 圆头抽芯铆钉（DIN 7337 / ISO 15983），{}，{}。", num(*d), mat.zh, mat.use_zh),
                        format!("{} mm dome head blind rivet (DIN 7337 / ISO 15983), {}, {}.", num(*d), mat.en, mat.use_en),
                    ),
                    bi(
                        format!("{} mm 圆头抽芯铆钉，单面施工，用手动或气动拉铆枪安装。钻孔直径 {} mm，铆接厚度约为铆钉长度减去 2 mm。\n\n材质：{}", num(*d), num(d + 0.1), mat.note_zh),
                        format!("{} mm dome head blind rivet, set from one side with a hand or pneumatic rivet tool. Drill {} mm; grip range is about the rivet length minus 2 mm.\n\nMaterial: {}", num(*d), num(d + 0.1), mat.note_en),
                    ),
                )
                .image(picture("blind-rivet", mat.colour))
                .similars(&similar)
                .variants(variants),
            );
        }
    }
    out
}
