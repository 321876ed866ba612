//! The catalog's structure: markets, brands, typed attributes and the
//! category tree with the attributes each leaf carries.

use crate::DemoCategory;
use mercato_core::attribute::{AttrCode, AttributeDef, AttributeKind, EnumOption};
use mercato_core::catalog::CategoryAttribute;
use mercato_core::market::{Market, RoadmapStep};
use mercato_core::{Currency, Lang, LocalizedText};

/// Invented brand names (no real trademarks).
pub(crate) const BRANDS: &[&str] = &[
    "Hengli",
    "Norsteel",
    "Fixwell",
    "Ferrox",
    "Torqline",
    "Voltix",
    "Cablecore",
    "Ampero",
    "Lumora",
    "Guardian Pro",
    "Stepguard",
    "AirLine",
];

/// Text in Chinese and English.
pub(crate) fn zh_en(zh: &str, en: &str) -> LocalizedText {
    let mut t = LocalizedText::new();
    t.set(Lang::zh_cn(), zh);
    t.set(Lang::en(), en);
    t
}

/// The two demo markets: China (online buying, the default) and Europe
/// (a digital catalog without prices).
pub(crate) fn markets() -> Vec<Market> {
    let cn = Currency::parse("CNY").ok().map(|currency| Market {
        code: "cn".into(),
        name: zh_en("中国", "China"),
        currency,
        languages: vec![Lang::zh_cn(), Lang::en()],
        countries: vec!["CN".into()],
        time_zone: "Asia/Shanghai".into(),
        roadmap_step: RoadmapStep::OnlineBuying,
        show_prices: true,
        show_stock: true,
        is_default: true,
    });
    let eu = Currency::parse("EUR").ok().map(|currency| Market {
        code: "eu".into(),
        name: zh_en("欧洲", "Europe"),
        currency,
        languages: vec![Lang::en()],
        countries: ["DE", "FR", "NL", "IT", "ES"]
            .iter()
            .map(|c| (*c).to_string())
            .collect(),
        time_zone: "Europe/Berlin".into(),
        roadmap_step: RoadmapStep::DigitalCatalog,
        show_prices: false,
        show_stock: false,
        is_default: false,
    });
    [cn, eu].into_iter().flatten().collect()
}

/// An enum option: code, English label, Chinese label.
pub(crate) struct Opt(pub &'static str, pub &'static str, pub &'static str);

/// What values an attribute takes.
pub(crate) enum Kind {
    Text,
    /// A number in a unit ("" = no unit).
    Number(&'static str),
    Enum(&'static [Opt]),
    Bool,
}

/// An attribute definition as data.
pub(crate) struct Attr {
    pub code: &'static str,
    pub en: &'static str,
    pub zh: &'static str,
    pub kind: Kind,
    pub filterable: bool,
}

const fn a(
    code: &'static str,
    en: &'static str,
    zh: &'static str,
    kind: Kind,
    filterable: bool,
) -> Attr {
    Attr {
        code,
        en,
        zh,
        kind,
        filterable,
    }
}

const THREAD_SIZES: &[Opt] = &[
    Opt("m3", "M3", "M3"),
    Opt("m4", "M4", "M4"),
    Opt("m5", "M5", "M5"),
    Opt("m6", "M6", "M6"),
    Opt("m8", "M8", "M8"),
    Opt("m10", "M10", "M10"),
    Opt("m12", "M12", "M12"),
    Opt("m14", "M14", "M14"),
    Opt("m16", "M16", "M16"),
    Opt("m20", "M20", "M20"),
    Opt("m24", "M24", "M24"),
];

const MATERIALS: &[Opt] = &[
    Opt("steel_zinc", "Steel, zinc-plated", "碳钢镀锌"),
    Opt(
        "steel_yellow_zinc",
        "Steel, yellow zinc-plated",
        "碳钢镀彩锌",
    ),
    Opt("steel_black", "Steel, black oxide", "碳钢发黑"),
    Opt("steel_hdg", "Steel, hot-dip galvanised", "热镀锌钢"),
    Opt("a2", "Stainless steel A2 (304)", "A2 不锈钢（304）"),
    Opt("a4", "Stainless steel A4 (316)", "A4 不锈钢（316）"),
    Opt("brass", "Brass", "黄铜"),
    Opt("brass_nickel", "Brass, nickel-plated", "镀镍黄铜"),
    Opt("nylon", "Nylon PA66", "尼龙 PA66"),
    Opt("aluminium", "Aluminium", "铝"),
    Opt(
        "aluminium_anodised",
        "Aluminium alloy, anodised",
        "阳极氧化铝合金",
    ),
    Opt("copper_tinned", "Copper, tinned", "镀锡铜"),
    Opt("copper", "Copper", "铜"),
    Opt("hss", "HSS (high-speed steel)", "高速钢 HSS"),
    Opt("hss_co", "HSS-Co 5 % cobalt", "含钴高速钢 HSS-Co"),
    Opt("carbide", "Tungsten carbide", "硬质合金"),
    Opt("cr_v", "Chrome vanadium steel", "铬钒钢"),
    Opt("cr_mo", "Chrome molybdenum steel", "铬钼钢"),
    Opt("s2", "S2 tool steel", "S2 工具钢"),
    Opt("aluminium_oxide", "Aluminium oxide abrasive", "棕刚玉磨料"),
    Opt("zirconia", "Zirconia alumina abrasive", "锆刚玉磨料"),
    Opt("pu", "Polyurethane (PU)", "聚氨酯（PU）"),
    Opt("pa12", "Polyamide PA12", "聚酰胺 PA12"),
    Opt(
        "pbt",
        "PBT body, nickel-plated brass thread",
        "PBT 本体＋镀镍黄铜螺纹",
    ),
    Opt("polyolefin", "Polyolefin", "聚烯烃"),
    Opt("hppe", "HPPE fibre", "HPPE 高强聚乙烯纤维"),
    Opt("nitrile", "Nitrile (NBR)", "丁腈（NBR）"),
    Opt("latex", "Natural latex", "天然乳胶"),
    Opt("vinyl", "Vinyl (PVC)", "PVC 乙烯基"),
    Opt("polyester", "Polyester", "涤纶"),
    Opt("leather", "Cowhide leather", "牛皮革"),
    Opt("abs", "ABS", "ABS 工程塑料"),
    Opt("hdpe", "HDPE", "高密度聚乙烯 HDPE"),
    Opt("polycarbonate", "Polycarbonate", "聚碳酸酯"),
    Opt("polypropylene", "Polypropylene", "聚丙烯"),
    Opt("microfibre", "Microfibre", "超细纤维"),
    Opt("sintered_bronze", "Sintered bronze", "烧结青铜"),
    Opt("zinc_die_cast", "Zinc die-cast", "锌合金压铸"),
    Opt("steel", "Steel", "钢"),
    Opt(
        "tpe",
        "Thermoplastic elastomer (TPE)",
        "热塑性弹性体（TPE）",
    ),
];

const STRENGTH_CLASSES: &[Opt] = &[
    Opt("4-8", "4.8", "4.8 级"),
    Opt("8-8", "8.8", "8.8 级"),
    Opt("10-9", "10.9", "10.9 级"),
    Opt("12-9", "12.9", "12.9 级"),
    Opt("a2-70", "A2-70", "A2-70"),
    Opt("a4-70", "A4-70", "A4-70"),
    Opt("a4-80", "A4-80", "A4-80"),
    Opt("8", "8 (nut)", "8 级（螺母）"),
    Opt("10", "10 (nut)", "10 级（螺母）"),
];

const HEAD_TYPES: &[Opt] = &[
    Opt("hex", "Hex head", "六角头"),
    Opt("hex_flange", "Hex flange head", "六角法兰面"),
    Opt("socket_cap", "Socket cap head", "圆柱头"),
    Opt("button", "Button head", "半圆头"),
    Opt("countersunk", "Countersunk head", "沉头"),
    Opt("pan", "Pan head", "盘头"),
    Opt("dome", "Dome head", "圆头"),
];

const DRIVES: &[Opt] = &[
    Opt("external_hex", "External hex", "外六角"),
    Opt("hex_socket", "Hex socket", "内六角"),
    Opt("torx", "Torx (hexalobular)", "梅花（内六角花形）"),
    Opt("phillips", "Phillips", "十字槽"),
    Opt("pozidriv", "Pozidriv", "米字槽"),
    Opt("slotted", "Slotted", "一字槽"),
    Opt("sq_1_4", "1/4\" square drive", "1/4\" 方榫"),
    Opt("sq_3_8", "3/8\" square drive", "3/8\" 方榫"),
    Opt("sq_1_2", "1/2\" square drive", "1/2\" 方榫"),
    Opt("sq_3_4", "3/4\" square drive", "3/4\" 方榫"),
    Opt("hex_1_4", "1/4\" hex shank", "1/4\" 六角柄"),
    Opt("sds_plus", "SDS-plus shank", "SDS-plus 柄"),
    Opt("round", "Cylindrical shank", "圆柱柄"),
];

const IP_RATINGS: &[Opt] = &[
    Opt("ip20", "IP20", "IP20"),
    Opt("ip40", "IP40", "IP40"),
    Opt("ip44", "IP44", "IP44"),
    Opt("ip54", "IP54", "IP54"),
    Opt("ip65", "IP65", "IP65"),
    Opt("ip66", "IP66", "IP66"),
    Opt("ip67", "IP67", "IP67"),
    Opt("ip68", "IP68", "IP68"),
];

const PORT_SIZES: &[Opt] = &[
    Opt("m5", "M5", "M5"),
    Opt("g1-8", "G1/8", "G1/8"),
    Opt("g1-4", "G1/4", "G1/4"),
    Opt("g3-8", "G3/8", "G3/8"),
    Opt("g1-2", "G1/2", "G1/2"),
    Opt("g3-4", "G3/4", "G3/4"),
    Opt("g1", "G1", "G1"),
];

const SIZES: &[Opt] = &[
    Opt("xs", "XS", "XS"),
    Opt("s", "S", "S"),
    Opt("m", "M", "M"),
    Opt("l", "L", "L"),
    Opt("xl", "XL", "XL"),
    Opt("xxl", "XXL", "XXL"),
    Opt("3xl", "3XL", "3XL"),
    Opt("m-l", "M–L", "M–L"),
    Opt("xl-xxl", "XL–XXL", "XL–XXL"),
    Opt("6", "6 (XS)", "6 号（XS）"),
    Opt("7", "7 (S)", "7 号（S）"),
    Opt("8", "8 (M)", "8 号（M）"),
    Opt("9", "9 (L)", "9 号（L）"),
    Opt("10", "10 (XL)", "10 号（XL）"),
    Opt("11", "11 (XXL)", "11 号（XXL）"),
];

const PROTECTION_CLASSES: &[Opt] = &[
    Opt("ffp1", "FFP1", "FFP1"),
    Opt("ffp2", "FFP2", "FFP2"),
    Opt("ffp3", "FFP3", "FFP3"),
    Opt("kn95", "KN95", "KN95"),
    Opt("s1p", "S1P", "S1P"),
    Opt("s3", "S3", "S3"),
    Opt("s3-src", "S3 SRC", "S3 SRC"),
    Opt("s3l", "S3L", "S3L"),
    Opt("hv2", "EN ISO 20471 class 2", "EN ISO 20471 2 级"),
    Opt("hv3", "EN ISO 20471 class 3", "EN ISO 20471 3 级"),
];

const CUT_LEVELS: &[Opt] = &[
    Opt("a", "A", "A 级"),
    Opt("b", "B", "B 级"),
    Opt("c", "C", "C 级"),
    Opt("d", "D", "D 级"),
    Opt("e", "E", "E 级"),
    Opt("f", "F", "F 级"),
];

const POLES: &[Opt] = &[
    Opt("1p", "1P", "1P"),
    Opt("1p-n", "1P+N", "1P+N"),
    Opt("2p", "2P", "2P"),
    Opt("3p", "3P", "3P"),
    Opt("3p-n", "3P+N", "3P+N"),
    Opt("4p", "4P", "4P"),
    Opt("2p-e", "2P+E (3-pin)", "2P+E（3 芯）"),
    Opt("3p-n-e", "3P+N+E (5-pin)", "3P+N+E（5 芯）"),
];

const TRIPPING_CURVES: &[Opt] = &[
    Opt("b", "B curve", "B 型"),
    Opt("c", "C curve", "C 型"),
    Opt("d", "D curve", "D 型"),
];

const CURRENT_TYPES: &[Opt] = &[Opt("ac", "AC", "交流"), Opt("dc", "DC", "直流")];

const COLOURS: &[Opt] = &[
    Opt("black", "Black", "黑色"),
    Opt("white", "White", "白色"),
    Opt("grey", "Grey", "灰色"),
    Opt("red", "Red", "红色"),
    Opt("blue", "Blue", "蓝色"),
    Opt("yellow", "Yellow", "黄色"),
    Opt("orange", "Orange", "橙色"),
    Opt("green", "Green", "绿色"),
    Opt("green_yellow", "Green/yellow", "黄绿双色"),
    Opt("brown", "Brown", "棕色"),
    Opt("transparent", "Transparent", "透明"),
    Opt("natural", "Natural", "本色"),
];

const INSULATIONS: &[Opt] = &[
    Opt("pvc", "PVC", "聚氯乙烯 PVC"),
    Opt("xlpe", "XLPE", "交联聚乙烯 XLPE"),
    Opt("rubber", "Rubber (EPR/CR)", "橡胶（EPR/CR）"),
];

const KITS: &[Opt] = &[
    Opt("bare", "Bare tool (no battery)", "裸机（不含电池）"),
    Opt(
        "2x2ah",
        "2 × 2.0 Ah batteries + charger",
        "2 块 2.0Ah 电池＋充电器",
    ),
    Opt(
        "2x4ah",
        "2 × 4.0 Ah batteries + charger",
        "2 块 4.0Ah 电池＋充电器",
    ),
    Opt(
        "2x5ah",
        "2 × 5.0 Ah batteries + charger",
        "2 块 5.0Ah 电池＋充电器",
    ),
];

const TIP_SIZES: &[Opt] = &[
    Opt("ph0", "PH0", "PH0"),
    Opt("ph1", "PH1", "PH1"),
    Opt("ph2", "PH2", "PH2"),
    Opt("ph3", "PH3", "PH3"),
    Opt("pz1", "PZ1", "PZ1"),
    Opt("pz2", "PZ2", "PZ2"),
    Opt("pz3", "PZ3", "PZ3"),
    Opt("sl2-5", "SL 2.5", "一字 2.5"),
    Opt("sl3-5", "SL 3.5", "一字 3.5"),
    Opt("sl4", "SL 4", "一字 4"),
    Opt("sl5-5", "SL 5.5", "一字 5.5"),
    Opt("sl6-5", "SL 6.5", "一字 6.5"),
    Opt("sl8", "SL 8", "一字 8"),
    Opt("t10", "T10", "T10"),
    Opt("t15", "T15", "T15"),
    Opt("t20", "T20", "T20"),
    Opt("t25", "T25", "T25"),
    Opt("t27", "T27", "T27"),
    Opt("t30", "T30", "T30"),
    Opt("t40", "T40", "T40"),
];

const LENS_TINTS: &[Opt] = &[
    Opt("clear", "Clear", "透明"),
    Opt("smoke", "Smoke (grey)", "灰色"),
    Opt("amber", "Amber", "琥珀黄"),
    Opt("mirror", "Indoor/outdoor mirror", "室内外镜面"),
];

const VALVE_FUNCTIONS: &[Opt] = &[
    Opt("3-2-nc", "3/2-way, normally closed", "二位三通常闭"),
    Opt("5-2-single", "5/2-way, single solenoid", "二位五通单电控"),
    Opt("5-2-double", "5/2-way, double solenoid", "二位五通双电控"),
    Opt("5-3-cc", "5/3-way, closed centre", "三位五通中封"),
    Opt("5-2-lever", "5/2-way, hand lever", "二位五通手动"),
];

const CUSHIONINGS: &[Opt] = &[
    Opt("elastic", "Elastic", "弹性缓冲"),
    Opt("pneumatic", "Adjustable pneumatic", "可调气缓冲"),
];

const GLAND_THREADS: &[Opt] = &[
    Opt("m12", "M12 × 1.5", "M12 × 1.5"),
    Opt("m16", "M16 × 1.5", "M16 × 1.5"),
    Opt("m20", "M20 × 1.5", "M20 × 1.5"),
    Opt("m25", "M25 × 1.5", "M25 × 1.5"),
    Opt("m32", "M32 × 1.5", "M32 × 1.5"),
    Opt("m40", "M40 × 1.5", "M40 × 1.5"),
    Opt("m50", "M50 × 1.5", "M50 × 1.5"),
    Opt("m63", "M63 × 1.5", "M63 × 1.5"),
];

/// Every attribute, in display order.
pub(crate) const ATTRIBUTES: &[Attr] = &[
    a(
        "thread_size",
        "Thread size",
        "螺纹规格",
        Kind::Enum(THREAD_SIZES),
        true,
    ),
    a("length", "Length", "长度", Kind::Number("mm"), true),
    a("diameter", "Diameter", "直径", Kind::Number("mm"), true),
    a("width", "Width", "宽度", Kind::Number("mm"), true),
    a("thickness", "Thickness", "厚度", Kind::Number("mm"), false),
    a(
        "across_flats",
        "Across flats",
        "对边尺寸",
        Kind::Number("mm"),
        true,
    ),
    a("material", "Material", "材质", Kind::Enum(MATERIALS), true),
    a(
        "strength_class",
        "Strength class",
        "强度等级",
        Kind::Enum(STRENGTH_CLASSES),
        true,
    ),
    a(
        "head_type",
        "Head type",
        "头型",
        Kind::Enum(HEAD_TYPES),
        true,
    ),
    a("drive", "Drive", "驱动方式", Kind::Enum(DRIVES), true),
    a(
        "tip_size",
        "Tip size",
        "刀头规格",
        Kind::Enum(TIP_SIZES),
        true,
    ),
    a("voltage", "Voltage", "电压", Kind::Number("V"), true),
    a(
        "current_type",
        "Current type",
        "电流类型",
        Kind::Enum(CURRENT_TYPES),
        true,
    ),
    a(
        "current",
        "Rated current",
        "额定电流",
        Kind::Number("A"),
        true,
    ),
    a("power", "Power", "功率", Kind::Number("W"), true),
    a(
        "cross_section",
        "Cross-section",
        "截面积",
        Kind::Number("mm²"),
        true,
    ),
    a("cores", "Number of cores", "芯数", Kind::Number(""), true),
    a(
        "insulation",
        "Insulation",
        "绝缘材料",
        Kind::Enum(INSULATIONS),
        true,
    ),
    a(
        "cable_length",
        "Cable length",
        "电缆长度",
        Kind::Number("m"),
        false,
    ),
    a(
        "temp_max",
        "Max. operating temperature",
        "最高工作温度",
        Kind::Number("°C"),
        false,
    ),
    a("poles", "Poles", "极数", Kind::Enum(POLES), true),
    a(
        "tripping_curve",
        "Tripping curve",
        "脱扣曲线",
        Kind::Enum(TRIPPING_CURVES),
        true,
    ),
    a(
        "breaking_capacity",
        "Breaking capacity (kA)",
        "分断能力（kA）",
        Kind::Number(""),
        true,
    ),
    a(
        "residual_current",
        "Rated residual current",
        "额定剩余动作电流",
        Kind::Number("mA"),
        true,
    ),
    a(
        "gland_thread",
        "Gland thread",
        "格兰头螺纹",
        Kind::Enum(GLAND_THREADS),
        true,
    ),
    a(
        "clamping_range",
        "Cable clamping range",
        "夹紧范围",
        Kind::Text,
        false,
    ),
    a(
        "ip_rating",
        "IP rating",
        "防护等级 IP",
        Kind::Enum(IP_RATINGS),
        true,
    ),
    a(
        "color_temperature",
        "Colour temperature (K)",
        "色温（K）",
        Kind::Number(""),
        true,
    ),
    a(
        "luminous_flux",
        "Luminous flux (lm)",
        "光通量（lm）",
        Kind::Number(""),
        false,
    ),
    a(
        "pressure_max",
        "Max. operating pressure",
        "最高工作压力",
        Kind::Number("bar"),
        true,
    ),
    a(
        "port_size",
        "Port size",
        "接口螺纹",
        Kind::Enum(PORT_SIZES),
        true,
    ),
    a(
        "tube_od",
        "Tube outside diameter",
        "气管外径",
        Kind::Number("mm"),
        true,
    ),
    a("bore", "Bore", "缸径", Kind::Number("mm"), true),
    a("stroke", "Stroke", "行程", Kind::Number("mm"), true),
    a(
        "cushioning",
        "Cushioning",
        "缓冲方式",
        Kind::Enum(CUSHIONINGS),
        true,
    ),
    a(
        "magnetic_piston",
        "Magnetic piston",
        "磁性活塞",
        Kind::Bool,
        true,
    ),
    a(
        "valve_function",
        "Valve function",
        "阀功能",
        Kind::Enum(VALVE_FUNCTIONS),
        true,
    ),
    a(
        "flow_rate",
        "Nominal flow (l/min)",
        "额定流量（l/min）",
        Kind::Number(""),
        false,
    ),
    a(
        "filter_grade",
        "Filter grade",
        "过滤精度",
        Kind::Number("µm"),
        true,
    ),
    a("size", "Size", "尺码", Kind::Enum(SIZES), true),
    a(
        "shoe_size",
        "Shoe size (EU)",
        "鞋码（欧码）",
        Kind::Number(""),
        true,
    ),
    a("colour", "Colour", "颜色", Kind::Enum(COLOURS), true),
    a(
        "en_standard",
        "Standard (EN)",
        "执行标准",
        Kind::Text,
        false,
    ),
    a(
        "protection_class",
        "Protection class",
        "防护类别",
        Kind::Enum(PROTECTION_CLASSES),
        true,
    ),
    a(
        "cut_level",
        "Cut level (EN ISO 13997)",
        "防割等级（EN ISO 13997）",
        Kind::Enum(CUT_LEVELS),
        true,
    ),
    a(
        "lens_tint",
        "Lens tint",
        "镜片颜色",
        Kind::Enum(LENS_TINTS),
        true,
    ),
    a(
        "snr",
        "Noise reduction SNR (dB)",
        "降噪值 SNR（dB）",
        Kind::Number(""),
        true,
    ),
    a(
        "exhalation_valve",
        "Exhalation valve",
        "呼气阀",
        Kind::Bool,
        true,
    ),
    a(
        "insulated_1000v",
        "Insulated to 1000 V (VDE)",
        "1000V 绝缘（VDE）",
        Kind::Bool,
        true,
    ),
    a("kit", "Kit", "套装", Kind::Enum(KITS), true),
    a(
        "capacity_ah",
        "Battery capacity (Ah)",
        "电池容量（Ah）",
        Kind::Number(""),
        true,
    ),
    a(
        "torque_max",
        "Max. torque",
        "最大扭矩",
        Kind::Number("Nm"),
        true,
    ),
    a(
        "no_load_speed",
        "No-load speed",
        "空载转速",
        Kind::Number("rpm"),
        false,
    ),
    a("grit", "Grit (P)", "粒度（P）", Kind::Number(""), true),
    a("rohs", "RoHS compliant", "符合 RoHS", Kind::Bool, false),
    a(
        "weight",
        "Unit weight",
        "单件重量",
        Kind::Number("g"),
        false,
    ),
];

/// The attributes as mercato-core definitions.
pub(crate) fn attribute_defs() -> Vec<AttributeDef> {
    ATTRIBUTES
        .iter()
        .enumerate()
        .filter_map(|(i, at)| {
            let code = AttrCode::parse(at.code).ok()?;
            let kind = match &at.kind {
                Kind::Text => AttributeKind::Text,
                Kind::Bool => AttributeKind::Bool,
                Kind::Number(unit) => AttributeKind::Number {
                    unit: (!unit.is_empty()).then(|| (*unit).to_string()),
                },
                Kind::Enum(options) => AttributeKind::Enum {
                    options: options
                        .iter()
                        .map(|o| EnumOption {
                            code: o.0.to_string(),
                            label: zh_en(o.2, o.1),
                        })
                        .collect(),
                },
            };
            Some(AttributeDef {
                code,
                name: zh_en(at.zh, at.en),
                kind,
                filterable: at.filterable,
                position: (i as i32 + 1) * 10,
            })
        })
        .collect()
}

/// The label of an enum option in English and Chinese, for texts.
pub(crate) fn option_label(attr: &str, code: &str) -> (&'static str, &'static str) {
    ATTRIBUTES
        .iter()
        .find(|at| at.code == attr)
        .and_then(|at| match &at.kind {
            Kind::Enum(options) => options.iter().find(|o| o.0 == code),
            _ => None,
        })
        .map_or(("", ""), |o| (o.1, o.2))
}

/// A category as data: slug, parent slug, English and Chinese names, and
/// its attributes (`true` = required).
pub(crate) struct Cat {
    pub slug: &'static str,
    pub parent: Option<&'static str>,
    pub en: &'static str,
    pub zh: &'static str,
    pub attrs: &'static [(&'static str, bool)],
}

const fn c(
    slug: &'static str,
    parent: Option<&'static str>,
    en: &'static str,
    zh: &'static str,
    attrs: &'static [(&'static str, bool)],
) -> Cat {
    Cat {
        slug,
        parent,
        en,
        zh,
        attrs,
    }
}

const BOLT_ATTRS: &[(&str, bool)] = &[
    ("thread_size", true),
    ("length", true),
    ("material", true),
    ("strength_class", false),
    ("head_type", false),
    ("drive", false),
    ("weight", false),
];
const SCREW_ATTRS: &[(&str, bool)] = &[
    ("diameter", true),
    ("length", true),
    ("material", true),
    ("head_type", false),
    ("drive", false),
    ("weight", false),
];
const NUT_ATTRS: &[(&str, bool)] = &[
    ("thread_size", true),
    ("material", true),
    ("strength_class", false),
    ("across_flats", false),
    ("weight", false),
];
const WASHER_ATTRS: &[(&str, bool)] = &[
    ("thread_size", true),
    ("material", true),
    ("diameter", false),
    ("thickness", false),
    ("weight", false),
];
const CABLE_ATTRS: &[(&str, bool)] = &[
    ("cross_section", true),
    ("cores", true),
    ("voltage", false),
    ("insulation", false),
    ("cable_length", false),
    ("colour", false),
    ("temp_max", false),
    ("en_standard", false),
    ("rohs", false),
];
const CYLINDER_ATTRS: &[(&str, bool)] = &[
    ("bore", true),
    ("stroke", true),
    ("pressure_max", false),
    ("port_size", false),
    ("thread_size", false),
    ("cushioning", false),
    ("magnetic_piston", false),
    ("material", false),
    ("temp_max", false),
    ("weight", false),
];
const GLOVE_ATTRS: &[(&str, bool)] = &[
    ("size", true),
    ("material", false),
    ("cut_level", false),
    ("en_standard", false),
    ("colour", false),
];
const POWER_TOOL_ATTRS: &[(&str, bool)] = &[
    ("voltage", true),
    ("kit", true),
    ("torque_max", false),
    ("no_load_speed", false),
    ("drive", false),
    ("weight", false),
];
const LIGHT_ATTRS: &[(&str, bool)] = &[
    ("power", true),
    ("ip_rating", true),
    ("color_temperature", false),
    ("luminous_flux", false),
    ("voltage", false),
    ("length", false),
    ("weight", false),
];
const FITTING_ATTRS: &[(&str, bool)] = &[
    ("tube_od", true),
    ("port_size", false),
    ("material", false),
    ("pressure_max", false),
];
const VALVE_ATTRS: &[(&str, bool)] = &[
    ("valve_function", true),
    ("port_size", true),
    ("voltage", false),
    ("current_type", false),
    ("flow_rate", false),
    ("pressure_max", false),
    ("power", false),
];

/// The category tree, parents before children.
pub(crate) const CATEGORIES: &[Cat] = &[
    // Fasteners
    c("fasteners", None, "Fasteners", "紧固件", &[]),
    c(
        "bolts",
        Some("fasteners"),
        "Bolts and machine screws",
        "螺栓",
        &[],
    ),
    c(
        "hex-bolts",
        Some("bolts"),
        "Hex bolts",
        "外六角螺栓",
        BOLT_ATTRS,
    ),
    c(
        "socket-head-cap-screws",
        Some("bolts"),
        "Socket head cap screws",
        "内六角圆柱头螺钉",
        BOLT_ATTRS,
    ),
    c(
        "button-head-screws",
        Some("bolts"),
        "Button head screws",
        "内六角半圆头螺钉",
        BOLT_ATTRS,
    ),
    c(
        "countersunk-screws",
        Some("bolts"),
        "Countersunk screws",
        "内六角沉头螺钉",
        BOLT_ATTRS,
    ),
    c(
        "machine-screws",
        Some("bolts"),
        "Machine screws",
        "机螺钉",
        BOLT_ATTRS,
    ),
    c(
        "threaded-rods",
        Some("bolts"),
        "Threaded rods",
        "牙条（全螺纹螺杆）",
        BOLT_ATTRS,
    ),
    c(
        "screws",
        Some("fasteners"),
        "Screws for sheet metal and wood",
        "自攻螺钉与木螺钉",
        &[],
    ),
    c(
        "self-tapping-screws",
        Some("screws"),
        "Self-tapping screws",
        "自攻螺钉",
        SCREW_ATTRS,
    ),
    c(
        "wood-screws",
        Some("screws"),
        "Wood and chipboard screws",
        "木螺钉与刨花板螺钉",
        SCREW_ATTRS,
    ),
    c("nuts", Some("fasteners"), "Nuts", "螺母", &[]),
    c("hex-nuts", Some("nuts"), "Hex nuts", "六角螺母", NUT_ATTRS),
    c(
        "lock-nuts",
        Some("nuts"),
        "Lock nuts",
        "防松螺母",
        NUT_ATTRS,
    ),
    c(
        "special-nuts",
        Some("nuts"),
        "Cap and wing nuts",
        "盖形螺母与蝶形螺母",
        NUT_ATTRS,
    ),
    c("washers", Some("fasteners"), "Washers", "垫圈", &[]),
    c(
        "flat-washers",
        Some("washers"),
        "Flat washers",
        "平垫圈",
        WASHER_ATTRS,
    ),
    c(
        "spring-washers",
        Some("washers"),
        "Spring lock washers",
        "弹簧垫圈",
        WASHER_ATTRS,
    ),
    c(
        "anchors",
        Some("fasteners"),
        "Anchors and wall plugs",
        "锚栓与膨胀管",
        &[],
    ),
    c(
        "wedge-anchors",
        Some("anchors"),
        "Wedge anchors",
        "机械锚栓（膨胀螺栓）",
        &[
            ("thread_size", true),
            ("length", true),
            ("material", true),
            ("diameter", false),
            ("weight", false),
        ],
    ),
    c(
        "wall-plugs",
        Some("anchors"),
        "Wall plugs",
        "尼龙膨胀管",
        &[
            ("diameter", true),
            ("length", true),
            ("material", false),
            ("colour", false),
        ],
    ),
    c(
        "blind-rivets",
        Some("fasteners"),
        "Blind rivets",
        "抽芯铆钉",
        &[
            ("diameter", true),
            ("length", true),
            ("material", true),
            ("head_type", false),
        ],
    ),
    // Tools
    c("tools", None, "Tools", "工具", &[]),
    c("hand-tools", Some("tools"), "Hand tools", "手动工具", &[]),
    c(
        "wrenches",
        Some("hand-tools"),
        "Spanners and wrenches",
        "扳手",
        &[],
    ),
    c(
        "combination-wrenches",
        Some("wrenches"),
        "Combination spanners",
        "两用扳手",
        &[
            ("across_flats", true),
            ("material", false),
            ("length", false),
            ("weight", false),
        ],
    ),
    c(
        "torque-wrenches",
        Some("wrenches"),
        "Torque wrenches",
        "扭力扳手",
        &[
            ("drive", true),
            ("torque_max", true),
            ("length", false),
            ("weight", false),
        ],
    ),
    c(
        "sockets",
        Some("wrenches"),
        "Sockets",
        "套筒",
        &[
            ("drive", true),
            ("across_flats", true),
            ("material", false),
            ("length", false),
        ],
    ),
    c(
        "hex-keys",
        Some("hand-tools"),
        "Hex keys",
        "内六角扳手",
        &[
            ("across_flats", true),
            ("material", false),
            ("length", false),
            ("weight", false),
        ],
    ),
    c(
        "screwdrivers",
        Some("hand-tools"),
        "Screwdrivers",
        "螺丝刀",
        &[
            ("tip_size", true),
            ("drive", false),
            ("length", false),
            ("material", false),
            ("insulated_1000v", false),
        ],
    ),
    c(
        "pliers",
        Some("hand-tools"),
        "Pliers and cutters",
        "钳子",
        &[
            ("length", true),
            ("material", false),
            ("insulated_1000v", false),
            ("weight", false),
        ],
    ),
    c(
        "tool-sets",
        Some("hand-tools"),
        "Tool sets",
        "工具套装",
        &[("material", false), ("weight", false)],
    ),
    c("power-tools", Some("tools"), "Power tools", "电动工具", &[]),
    c(
        "cordless-drills",
        Some("power-tools"),
        "Cordless drills",
        "充电式电钻",
        POWER_TOOL_ATTRS,
    ),
    c(
        "impact-wrenches",
        Some("power-tools"),
        "Impact wrenches and drivers",
        "冲击扳手与起子机",
        &[
            ("drive", true),
            ("torque_max", true),
            ("voltage", false),
            ("kit", false),
            ("pressure_max", false),
            ("weight", false),
        ],
    ),
    c(
        "angle-grinders",
        Some("power-tools"),
        "Angle grinders",
        "角磨机",
        &[
            ("power", true),
            ("diameter", true),
            ("voltage", false),
            ("no_load_speed", false),
            ("weight", false),
        ],
    ),
    c(
        "batteries-and-chargers",
        Some("power-tools"),
        "Batteries and chargers",
        "电池与充电器",
        &[("voltage", true), ("capacity_ah", false), ("weight", false)],
    ),
    c(
        "power-tool-spares",
        Some("power-tools"),
        "Power tool spare parts",
        "电动工具配件",
        &[("voltage", false), ("weight", false)],
    ),
    c(
        "drilling-and-cutting",
        Some("tools"),
        "Drilling and cutting",
        "钻孔与切削",
        &[],
    ),
    c(
        "drill-bits",
        Some("drilling-and-cutting"),
        "Drill bits",
        "钻头",
        &[
            ("diameter", true),
            ("material", true),
            ("length", false),
            ("drive", false),
            ("en_standard", false),
        ],
    ),
    c(
        "abrasive-discs",
        Some("drilling-and-cutting"),
        "Cutting and flap discs",
        "切割片与百叶片",
        &[
            ("diameter", true),
            ("thickness", false),
            ("grit", false),
            ("material", false),
        ],
    ),
    // Electrical
    c("electrical", None, "Electrical", "电气", &[]),
    c(
        "cables",
        Some("electrical"),
        "Cables and wires",
        "电线电缆",
        &[],
    ),
    c(
        "power-cables",
        Some("cables"),
        "Power cables",
        "电力电缆",
        CABLE_ATTRS,
    ),
    c(
        "flexible-cables",
        Some("cables"),
        "Flexible cables",
        "软电缆",
        CABLE_ATTRS,
    ),
    c(
        "control-cables",
        Some("cables"),
        "Control cables",
        "控制电缆",
        CABLE_ATTRS,
    ),
    c(
        "building-wire",
        Some("cables"),
        "Building wire",
        "布电线",
        CABLE_ATTRS,
    ),
    c(
        "circuit-protection",
        Some("electrical"),
        "Circuit protection",
        "电路保护",
        &[],
    ),
    c(
        "mcbs",
        Some("circuit-protection"),
        "Miniature circuit breakers",
        "小型断路器",
        &[
            ("current", true),
            ("poles", true),
            ("tripping_curve", true),
            ("breaking_capacity", false),
            ("voltage", false),
        ],
    ),
    c(
        "rcds",
        Some("circuit-protection"),
        "Residual current devices",
        "漏电保护器",
        &[
            ("current", true),
            ("poles", true),
            ("residual_current", true),
            ("tripping_curve", false),
            ("voltage", false),
        ],
    ),
    c(
        "wiring-accessories",
        Some("electrical"),
        "Wiring accessories",
        "接线附件",
        &[],
    ),
    c(
        "terminal-blocks",
        Some("wiring-accessories"),
        "DIN rail terminal blocks",
        "导轨式接线端子",
        &[
            ("cross_section", true),
            ("current", false),
            ("voltage", false),
            ("colour", false),
        ],
    ),
    c(
        "cable-lugs",
        Some("wiring-accessories"),
        "Cable lugs and ferrules",
        "铜鼻子与管型端子",
        &[
            ("cross_section", true),
            ("thread_size", false),
            ("material", false),
            ("colour", false),
        ],
    ),
    c(
        "cable-glands",
        Some("wiring-accessories"),
        "Cable glands",
        "电缆格兰头",
        &[
            ("gland_thread", true),
            ("material", true),
            ("clamping_range", false),
            ("ip_rating", false),
            ("colour", false),
        ],
    ),
    c(
        "cable-ties",
        Some("wiring-accessories"),
        "Cable ties",
        "扎带",
        &[
            ("length", true),
            ("width", true),
            ("material", false),
            ("colour", false),
        ],
    ),
    c(
        "heat-shrink-tubing",
        Some("wiring-accessories"),
        "Heat-shrink tubing",
        "热缩管",
        &[("diameter", true), ("material", false), ("colour", false)],
    ),
    c(
        "lighting",
        Some("electrical"),
        "Industrial lighting",
        "工业照明",
        &[],
    ),
    c(
        "floodlights",
        Some("lighting"),
        "Floodlights",
        "投光灯",
        LIGHT_ATTRS,
    ),
    c(
        "high-bay-lights",
        Some("lighting"),
        "High-bay lights",
        "工矿灯",
        LIGHT_ATTRS,
    ),
    c(
        "batten-lights",
        Some("lighting"),
        "Tri-proof batten lights",
        "三防灯",
        LIGHT_ATTRS,
    ),
    c(
        "industrial-plugs",
        Some("electrical"),
        "Industrial plugs and sockets",
        "工业插头插座",
        &[
            ("current", true),
            ("poles", true),
            ("voltage", false),
            ("ip_rating", false),
            ("colour", false),
        ],
    ),
    // Safety
    c("safety", None, "Safety equipment", "劳保安全", &[]),
    c(
        "hand-protection",
        Some("safety"),
        "Hand protection",
        "手部防护",
        &[],
    ),
    c(
        "cut-resistant-gloves",
        Some("hand-protection"),
        "Cut-resistant gloves",
        "防割手套",
        GLOVE_ATTRS,
    ),
    c(
        "work-gloves",
        Some("hand-protection"),
        "Work gloves",
        "工作手套",
        GLOVE_ATTRS,
    ),
    c(
        "disposable-gloves",
        Some("hand-protection"),
        "Disposable gloves",
        "一次性手套",
        GLOVE_ATTRS,
    ),
    c(
        "head-protection",
        Some("safety"),
        "Head protection",
        "头部防护",
        &[],
    ),
    c(
        "safety-helmets",
        Some("head-protection"),
        "Safety helmets",
        "安全帽",
        &[
            ("colour", true),
            ("material", false),
            ("en_standard", false),
            ("weight", false),
        ],
    ),
    c(
        "helmet-accessories",
        Some("head-protection"),
        "Helmet accessories",
        "安全帽配件",
        &[("colour", false), ("material", false)],
    ),
    c(
        "eye-protection",
        Some("safety"),
        "Eye protection",
        "眼部防护",
        &[],
    ),
    c(
        "safety-glasses",
        Some("eye-protection"),
        "Safety glasses and goggles",
        "安全眼镜与护目镜",
        &[
            ("lens_tint", true),
            ("material", false),
            ("en_standard", false),
        ],
    ),
    c(
        "hearing-protection",
        Some("safety"),
        "Hearing protection",
        "听力防护",
        &[],
    ),
    c(
        "ear-muffs",
        Some("hearing-protection"),
        "Ear muffs",
        "耳罩",
        &[
            ("snr", true),
            ("colour", false),
            ("en_standard", false),
            ("weight", false),
        ],
    ),
    c(
        "earplugs",
        Some("hearing-protection"),
        "Earplugs",
        "耳塞",
        &[("snr", true), ("material", false), ("en_standard", false)],
    ),
    c(
        "respiratory-protection",
        Some("safety"),
        "Respiratory protection",
        "呼吸防护",
        &[],
    ),
    c(
        "respirator-masks",
        Some("respiratory-protection"),
        "Particle respirators",
        "防颗粒物口罩",
        &[
            ("protection_class", true),
            ("exhalation_valve", false),
            ("en_standard", false),
        ],
    ),
    c(
        "foot-protection",
        Some("safety"),
        "Foot protection",
        "足部防护",
        &[],
    ),
    c(
        "safety-shoes",
        Some("foot-protection"),
        "Safety shoes and boots",
        "安全鞋",
        &[
            ("shoe_size", true),
            ("protection_class", true),
            ("en_standard", false),
            ("material", false),
        ],
    ),
    c(
        "hi-vis-clothing",
        Some("safety"),
        "High-visibility clothing",
        "反光服",
        &[
            ("size", true),
            ("colour", true),
            ("protection_class", false),
            ("en_standard", false),
        ],
    ),
    c(
        "fall-protection",
        Some("safety"),
        "Fall protection",
        "防坠落",
        &[
            ("size", false),
            ("length", false),
            ("en_standard", false),
            ("weight", false),
        ],
    ),
    // Pneumatics
    c("pneumatics", None, "Pneumatics", "气动元件", &[]),
    c("cylinders", Some("pneumatics"), "Cylinders", "气缸", &[]),
    c(
        "iso-cylinders",
        Some("cylinders"),
        "ISO 15552 cylinders",
        "ISO 15552 标准气缸",
        CYLINDER_ATTRS,
    ),
    c(
        "mini-cylinders",
        Some("cylinders"),
        "ISO 6432 round cylinders",
        "ISO 6432 迷你气缸",
        CYLINDER_ATTRS,
    ),
    c(
        "compact-cylinders",
        Some("cylinders"),
        "Compact cylinders",
        "薄型气缸",
        CYLINDER_ATTRS,
    ),
    c(
        "cylinder-seal-kits",
        Some("cylinders"),
        "Cylinder seal kits",
        "气缸密封件",
        &[("bore", true), ("material", false)],
    ),
    c(
        "cylinder-accessories",
        Some("cylinders"),
        "Cylinder mountings and sensors",
        "气缸安装附件与传感器",
        &[
            ("bore", false),
            ("thread_size", false),
            ("voltage", false),
            ("material", false),
        ],
    ),
    c(
        "fittings-and-tubing",
        Some("pneumatics"),
        "Fittings and tubing",
        "接头与气管",
        &[],
    ),
    c(
        "push-in-fittings",
        Some("fittings-and-tubing"),
        "Push-in fittings",
        "快插接头",
        FITTING_ATTRS,
    ),
    c(
        "pneumatic-tubing",
        Some("fittings-and-tubing"),
        "Pneumatic tubing",
        "气管",
        &[
            ("tube_od", true),
            ("material", true),
            ("colour", false),
            ("pressure_max", false),
            ("temp_max", false),
        ],
    ),
    c(
        "quick-couplings",
        Some("fittings-and-tubing"),
        "Quick couplings",
        "快速接头",
        &[
            ("port_size", true),
            ("material", false),
            ("pressure_max", false),
        ],
    ),
    c("valves", Some("pneumatics"), "Valves", "阀", &[]),
    c(
        "solenoid-valves",
        Some("valves"),
        "Solenoid valves",
        "电磁阀",
        VALVE_ATTRS,
    ),
    c(
        "manual-valves",
        Some("valves"),
        "Manual valves",
        "手动阀",
        VALVE_ATTRS,
    ),
    c(
        "valve-accessories",
        Some("valves"),
        "Silencers and valve accessories",
        "消声器与阀附件",
        &[("port_size", true), ("material", false)],
    ),
    c(
        "air-preparation",
        Some("pneumatics"),
        "Air preparation",
        "气源处理",
        &[
            ("port_size", true),
            ("pressure_max", false),
            ("filter_grade", false),
            ("flow_rate", false),
        ],
    ),
];

/// The category tree as [`DemoCategory`] values; positions count within a parent.
pub(crate) fn categories() -> Vec<DemoCategory> {
    let mut out = Vec::with_capacity(CATEGORIES.len());
    for (i, cat) in CATEGORIES.iter().enumerate() {
        let siblings_before = CATEGORIES[..i]
            .iter()
            .filter(|o| o.parent == cat.parent)
            .count();
        out.push(DemoCategory {
            slug: cat.slug.to_string(),
            parent: cat.parent.map(str::to_string),
            name: zh_en(cat.zh, cat.en),
            position: (siblings_before as i32 + 1) * 10,
            attributes: cat
                .attrs
                .iter()
                .filter_map(|(code, required)| {
                    Some(CategoryAttribute {
                        code: AttrCode::parse(code).ok()?,
                        required: *required,
                    })
                })
                .collect(),
        });
    }
    out
}
