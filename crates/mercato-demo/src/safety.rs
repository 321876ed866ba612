//! Safety equipment (PPE): gloves, helmets, eye and hearing protection,
//! respirators, safety footwear, high-visibility clothing, fall protection.

use crate::media::picture;
use crate::model::{Product, Variant, bi};

/// All safety products.
pub(crate) fn products() -> Vec<Product> {
    let mut out = Vec::new();
    out.extend(GLOVES.iter().map(glove));
    out.extend(disposable_gloves());
    out.extend(helmets());
    out.extend(glasses());
    out.extend(hearing());
    out.extend(respirators());
    out.extend(shoes());
    out.extend(hi_vis());
    out.extend(fall_protection());
    out
}

/// A reusable glove model, sold by the pair and by the dozen.
struct Glove {
    key: &'static str,
    sku: &'static str,
    category: &'static str,
    zh: &'static str,
    en: &'static str,
    standard: &'static str,
    cut: &'static str,
    material: &'static str,
    colour: &'static str,
    sizes: &'static [&'static str],
    short_zh: &'static str,
    short_en: &'static str,
    desc_zh: &'static str,
    desc_en: &'static str,
    similar: &'static [&'static str],
}

const GLOVE_SIZES: &[&str] = &["7", "8", "9", "10", "11"];
const LARGE_GLOVE_SIZES: &[&str] = &["8", "9", "10", "11"];

const GLOVES: &[Glove] = &[
    Glove {
        key: "guardian-pro-cut-b-pu-glove",
        sku: "GP-CB-PU",
        category: "cut-resistant-gloves",
        zh: "Guardian Pro 防割手套 B 级 PU 涂掌",
        en: "Guardian Pro cut-resistant glove, level B, PU palm",
        standard: "EN 388:2016 4X42B",
        cut: "b",
        material: "hppe",
        colour: "grey",
        sizes: GLOVE_SIZES,
        short_zh: "13 针 HPPE 防割手套，PU 涂掌，EN 388:2016 4X42B，手感灵敏。",
        short_en: "13-gauge HPPE cut-resistant glove with PU palm, EN 388:2016 4X42B, high dexterity.",
        desc_zh: "Guardian Pro B 级防割手套，13 针 HPPE 纤维无缝针织，掌部 PU 涂层，轻薄透气、触感灵敏。适用于精密装配、小件钣金搬运与物流分拣。\n\nEN 388:2016 4X42B：耐磨 4 级，撕裂 4 级，穿刺 2 级，ISO 13997 防割 B 级。可 40 °C 水洗。",
        desc_en: "Guardian Pro level B cut-resistant glove: 13-gauge seamless HPPE knit with PU palm coating, thin, breathable and sensitive. For precision assembly, handling small sheet-metal parts and order picking.\n\nEN 388:2016 4X42B: abrasion 4, tear 4, puncture 2, ISO 13997 cut level B. Washable at 40 °C.",
        similar: &[
            "guardian-pro-cut-c-nitrile-glove",
            "guardian-pro-pu-palm-glove",
        ],
    },
    Glove {
        key: "guardian-pro-cut-c-nitrile-glove",
        sku: "GP-CC-NF",
        category: "cut-resistant-gloves",
        zh: "Guardian Pro 防割手套 C 级 丁腈发泡",
        en: "Guardian Pro cut-resistant glove, level C, nitrile foam",
        standard: "EN 388:2016 4X43C",
        cut: "c",
        material: "hppe",
        colour: "grey",
        sizes: GLOVE_SIZES,
        short_zh: "HPPE 防割手套，丁腈发泡涂掌，EN 388:2016 4X43C，油污环境防滑。",
        short_en: "HPPE cut-resistant glove with nitrile foam palm, EN 388:2016 4X43C, grips in oily conditions.",
        desc_zh: "Guardian Pro C 级防割手套，HPPE 与玻纤混纺内衬，丁腈发泡涂掌，可吸走表面油膜，在轻油环境中保持抓握力。适用于钣金加工、玻璃搬运与汽车零部件装配。\n\nEN 388:2016 4X43C。",
        desc_en: "Guardian Pro level C cut-resistant glove: HPPE and glass-fibre liner with nitrile foam palm that wicks away light oil and keeps its grip. For sheet-metal work, glass handling and automotive assembly.\n\nEN 388:2016 4X43C.",
        similar: &[
            "guardian-pro-cut-b-pu-glove",
            "guardian-pro-cut-d-sandy-nitrile-glove",
        ],
    },
    Glove {
        key: "guardian-pro-cut-d-sandy-nitrile-glove",
        sku: "GP-CD-SN",
        category: "cut-resistant-gloves",
        zh: "Guardian Pro 防割手套 D 级 磨砂丁腈",
        en: "Guardian Pro cut-resistant glove, level D, sandy nitrile",
        standard: "EN 388:2016 4X44D",
        cut: "d",
        material: "hppe",
        colour: "black",
        sizes: GLOVE_SIZES,
        short_zh: "D 级防割手套，磨砂丁腈涂掌，EN 388:2016 4X44D，适合锋利金属件。",
        short_en: "Level D cut-resistant glove with sandy nitrile palm, EN 388:2016 4X44D, for sharp metal parts.",
        desc_zh: "Guardian Pro D 级防割手套，18 针高强 HPPE 复合纱内衬，磨砂丁腈涂层耐磨且防滑。适用于冲压件、剪切毛边及金属回收作业。\n\nEN 388:2016 4X44D。",
        desc_en: "Guardian Pro level D cut-resistant glove: 18-gauge high-performance HPPE composite liner with abrasion-resistant, non-slip sandy nitrile coating. For stampings, sheared edges and metal recycling.\n\nEN 388:2016 4X44D.",
        similar: &[
            "guardian-pro-cut-c-nitrile-glove",
            "guardian-pro-cut-f-heavy-duty-glove",
        ],
    },
    Glove {
        key: "guardian-pro-cut-f-heavy-duty-glove",
        sku: "GP-CF-NF",
        category: "cut-resistant-gloves",
        zh: "Guardian Pro 防割手套 F 级 重型",
        en: "Guardian Pro cut-resistant glove, level F, heavy duty",
        standard: "EN 388:2016 4X44F",
        cut: "f",
        material: "hppe",
        colour: "grey",
        sizes: LARGE_GLOVE_SIZES,
        short_zh: "最高 F 级防割，钢丝增强 HPPE 内衬，EN 388:2016 4X44F。",
        short_en: "Top cut level F with steel-reinforced HPPE liner, EN 388:2016 4X44F.",
        desc_zh: "Guardian Pro F 级重型防割手套，HPPE 包覆不锈钢丝内衬，虎口加强，丁腈发泡涂掌。适用于玻璃切割、刀具处理与锋利板材搬运。\n\nEN 388:2016 4X44F（ISO 13997 ≥ 30 N）。",
        desc_en: "Guardian Pro level F heavy-duty cut-resistant glove: HPPE-wrapped stainless steel liner, reinforced thumb crotch, nitrile foam palm. For glass cutting, knife handling and sharp sheet.\n\nEN 388:2016 4X44F (ISO 13997 ≥ 30 N).",
        similar: &["guardian-pro-cut-d-sandy-nitrile-glove"],
    },
    Glove {
        key: "guardian-pro-nitrile-foam-work-glove",
        sku: "GP-NF",
        category: "work-gloves",
        zh: "Guardian Pro 丁腈发泡浸胶工作手套",
        en: "Guardian Pro nitrile foam coated work glove",
        standard: "EN 388:2016 4131X",
        cut: "",
        material: "nitrile",
        colour: "blue",
        sizes: GLOVE_SIZES,
        short_zh: "15 针尼龙内衬丁腈发泡浸胶手套，EN 388:2016 4131X，通用装配。",
        short_en: "15-gauge nylon liner with nitrile foam coating, EN 388:2016 4131X, for general assembly.",
        desc_zh: "Guardian Pro 通用工作手套，15 针尼龙/氨纶内衬，掌部丁腈发泡涂层，透气防滑、耐油。适用于机械装配、仓储物流与设备维修。\n\nEN 388:2016 4131X：耐磨 4 级，切割 1 级，撕裂 3 级，穿刺 1 级。按双或整打（12 双）销售。",
        desc_en: "Guardian Pro all-round work glove: 15-gauge nylon/spandex liner with nitrile foam palm, breathable, non-slip and oil-resistant. For machine assembly, warehousing and maintenance.\n\nEN 388:2016 4131X: abrasion 4, coup cut 1, tear 3, puncture 1. Sold by the pair or by the dozen (12 pairs).",
        similar: &[
            "guardian-pro-pu-palm-glove",
            "guardian-pro-latex-crinkle-glove",
        ],
    },
    Glove {
        key: "guardian-pro-pu-palm-glove",
        sku: "GP-PU",
        category: "work-gloves",
        zh: "Guardian Pro PU 涂掌精细作业手套",
        en: "Guardian Pro PU palm precision glove",
        standard: "EN 388:2016 3121X",
        cut: "",
        material: "pu",
        colour: "white",
        sizes: GLOVE_SIZES,
        short_zh: "13 针涤纶 PU 涂掌手套，EN 388:2016 3121X，低掉屑，适合电子装配。",
        short_en: "13-gauge polyester glove with PU palm, EN 388:2016 3121X, low linting for electronics assembly.",
        desc_zh: "Guardian Pro PU 涂掌手套，13 针涤纶内衬，指尖与掌部 PU 薄涂层，不留指纹、低掉屑，适合电子、仪表与精密零件装配。\n\nEN 388:2016 3121X。按双或整打销售。",
        desc_en: "Guardian Pro PU palm glove: 13-gauge polyester liner with thin PU coating on palm and fingertips; leaves no prints and sheds little lint, for electronics, instruments and precision parts.\n\nEN 388:2016 3121X. Sold by the pair or by the dozen.",
        similar: &[
            "guardian-pro-nitrile-foam-work-glove",
            "guardian-pro-cut-b-pu-glove",
        ],
    },
    Glove {
        key: "guardian-pro-latex-crinkle-glove",
        sku: "GP-LX",
        category: "work-gloves",
        zh: "Guardian Pro 乳胶皱纹浸胶手套",
        en: "Guardian Pro latex crinkle coated glove",
        standard: "EN 388:2016 2142X",
        cut: "",
        material: "latex",
        colour: "orange",
        sizes: LARGE_GLOVE_SIZES,
        short_zh: "乳胶皱纹涂层手套，EN 388:2016 2142X，搬运砖石与建材抓握牢靠。",
        short_en: "Latex crinkle-coated glove, EN 388:2016 2142X, firm grip on bricks and building materials.",
        desc_zh: "Guardian Pro 乳胶皱纹手套，10 针涤棉内衬，天然乳胶皱纹涂层抓握力强，适用于建筑工地、砖石搬运与园林作业。含天然乳胶，过敏者慎用。\n\nEN 388:2016 2142X。",
        desc_en: "Guardian Pro latex crinkle glove: 10-gauge poly-cotton liner with natural latex crinkle coating for a strong grip, for building sites, bricks and landscaping. Contains natural latex; not for people with latex allergy.\n\nEN 388:2016 2142X.",
        similar: &["guardian-pro-nitrile-foam-work-glove"],
    },
    Glove {
        key: "guardian-pro-leather-rigger-glove",
        sku: "GP-LR",
        category: "work-gloves",
        zh: "Guardian Pro 牛皮司机手套",
        en: "Guardian Pro cowhide rigger glove",
        standard: "EN 388:2016 3122X",
        cut: "",
        material: "leather",
        colour: "brown",
        sizes: LARGE_GLOVE_SIZES,
        short_zh: "头层牛皮司机手套，EN 388:2016 3122X，适用于吊装与重物搬运。",
        short_en: "Grain cowhide rigger glove, EN 388:2016 3122X, for rigging and heavy handling.",
        desc_zh: "Guardian Pro 牛皮手套，头层牛皮掌面，翼形拇指，棉布衬里，适用于吊装作业、钢材搬运与焊接辅助工作。\n\nEN 388:2016 3122X。",
        desc_en: "Guardian Pro leather glove with grain cowhide palm, wing thumb and cotton lining, for rigging, steel handling and welding helpers.\n\nEN 388:2016 3122X.",
        similar: &["guardian-pro-thermal-winter-glove"],
    },
    Glove {
        key: "guardian-pro-thermal-winter-glove",
        sku: "GP-TW",
        category: "work-gloves",
        zh: "Guardian Pro 防寒保暖工作手套",
        en: "Guardian Pro thermal winter work glove",
        standard: "EN 388:2016 2231X, EN 511:2006 120",
        cut: "",
        material: "latex",
        colour: "black",
        sizes: LARGE_GLOVE_SIZES,
        short_zh: "加绒内衬防寒手套，EN 511 防冷，适用于冷库与冬季户外。",
        short_en: "Brushed-liner thermal glove, EN 511 cold protection, for cold stores and winter outdoor work.",
        desc_zh: "Guardian Pro 防寒手套，7 针拉绒腈纶内衬，乳胶皱纹涂层，防对流冷 1 级、接触冷 2 级，适用于冷库、冬季户外与冷链物流。\n\nEN 388:2016 2231X，EN 511:2006 120。",
        desc_en: "Guardian Pro thermal glove: 7-gauge brushed acrylic liner with latex crinkle coating, convective cold 1 and contact cold 2, for cold stores, winter outdoor work and cold-chain logistics.\n\nEN 388:2016 2231X, EN 511:2006 120.",
        similar: &["guardian-pro-leather-rigger-glove"],
    },
];

fn glove(g: &Glove) -> Product {
    let mut variants = Vec::new();
    for size in g.sizes {
        let attrs = |v: Variant| {
            v.attr("size", *size)
                .attr("material", g.material)
                .attr("cut_level", g.cut)
                .attr("en_standard", g.standard)
                .attr("colour", g.colour)
        };
        variants.push(attrs(
            Variant::new(format!("{}-{size}", g.sku))
                .unit("pair", 1)
                .weight(60)
                .gtin(true),
        ));
        if g.category == "work-gloves" {
            variants.push(attrs(
                Variant::new(format!("{}-{size}-12", g.sku))
                    .unit("pack", 12)
                    .weight(760)
                    .gtin(true),
            ));
        }
    }
    let sizes = format!(
        "{}–{}",
        g.sizes.first().unwrap_or(&""),
        g.sizes.last().unwrap_or(&"")
    );
    Product::new(g.key, g.category, "Guardian Pro", bi(g.zh, g.en))
        .texts(
            bi(
                format!("{}尺码 {sizes}。", g.short_zh),
                format!("{} Sizes {sizes}.", g.short_en),
            ),
            bi(g.desc_zh, g.desc_en),
        )
        .image(picture("glove", g.colour))
        .doc("ds-gloves.pdf")
        .similars(g.similar)
        .variants(variants)
}

fn disposable_gloves() -> Vec<Product> {
    let box_of = |key: &str,
                  sku: &str,
                  zh: &str,
                  en: &str,
                  material: &str,
                  colour: &str,
                  std: &str,
                  g_per_box: u64,
                  dz: &str,
                  de: &str| {
        Product::new(key, "disposable-gloves", "Guardian Pro", bi(zh, en))
            .texts(
                bi(format!("{zh}，无粉，每盒 100 只，S–XL。"), format!("{en}, powder-free, 100 per box, S–XL.")),
                bi(format!("{dz}\n\n执行标准：{std}。每盒 100 只（50 双），尺码 S、M、L、XL。"), format!("{de}\n\nStandards: {std}. 100 gloves (50 pairs) per box, sizes S, M, L, XL.")),
            )
            .image(picture("glove", colour))
            .doc("ds-gloves.pdf")
            .similars(&["guardian-pro-nitrile-disposable-glove-blue", "guardian-pro-vinyl-disposable-glove"].into_iter().filter(|k| *k != key).collect::<Vec<_>>())
            .variants(
                ["s", "m", "l", "xl"]
                    .iter()
                    .map(|size| {
                        Variant::new(format!("{sku}-{}", size.to_uppercase()))
                            .unit("box", 100)
                            .weight(g_per_box)
                            .gtin(true)
                            .dims(240, 125, 65)
                            .attr("size", *size)
                            .attr("material", material)
                            .attr("colour", colour)
                            .attr("en_standard", std)
                    })
                    .collect(),
            )
    };
    vec![
        box_of(
            "guardian-pro-nitrile-disposable-glove-blue",
            "GP-DN-BU",
            "Guardian Pro 一次性丁腈手套 蓝色",
            "Guardian Pro disposable nitrile gloves, blue",
            "nitrile",
            "blue",
            "EN ISO 374-1:2016 Type B (JKPT), EN 455-1/-2/-3/-4",
            520,
            "Guardian Pro 蓝色一次性丁腈手套，厚度约 0.1 mm（4 mil），不含乳胶，指尖麻面，适用于实验室、食品加工、喷涂前处理与精密清洁。",
            "Guardian Pro blue disposable nitrile gloves, about 0.1 mm (4 mil), latex-free with textured fingertips, for laboratories, food processing, paint preparation and precision cleaning.",
        ),
        box_of(
            "guardian-pro-nitrile-disposable-glove-black",
            "GP-DN-BK",
            "Guardian Pro 加厚一次性丁腈手套 黑色",
            "Guardian Pro heavy-duty disposable nitrile gloves, black",
            "nitrile",
            "black",
            "EN ISO 374-1:2016 Type B (JKPT), EN 455-1/-2/-3",
            780,
            "Guardian Pro 黑色加厚丁腈手套，厚度约 0.15 mm（6 mil），耐油脂与溶剂，适用于汽修、机加工与设备保养，黑色不显油污。",
            "Guardian Pro black heavy-duty nitrile gloves, about 0.15 mm (6 mil), resistant to grease and solvents, for vehicle workshops, machining and maintenance; black hides dirt.",
        ),
        box_of(
            "guardian-pro-vinyl-disposable-glove",
            "GP-DV",
            "Guardian Pro 一次性 PVC 手套 透明",
            "Guardian Pro disposable vinyl gloves, clear",
            "vinyl",
            "transparent",
            "EN 455-1/-2/-3, EN ISO 374-5:2016",
            560,
            "Guardian Pro 透明 PVC 一次性手套，不含乳胶与丁腈，经济实用，适用于短时、低风险的清洁与包装作业。",
            "Guardian Pro clear vinyl disposable gloves, free of latex and nitrile; economical for short, low-risk cleaning and packing tasks.",
        ),
    ]
}

/// Helmet colours: code, part-number label, picture colour.
const HELMET_COLOURS: &[(&str, &str, &str)] = &[
    ("white", "WH", "white"),
    ("yellow", "YE", "yellow"),
    ("red", "RD", "red"),
    ("blue", "BU", "blue"),
    ("orange", "OR", "orange"),
    ("green", "GN", "green"),
    ("black", "BK", "black"),
];

fn helmets() -> Vec<Product> {
    let helmet = |key: &str,
                  sku: &str,
                  zh: &str,
                  en: &str,
                  material: &str,
                  std: &str,
                  colours: &[&str],
                  grams: u64,
                  dz: &str,
                  de: &str| {
        Product::new(key, "safety-helmets", "Guardian Pro", bi(zh, en))
            .texts(
                bi(format!("{zh}，{std}，六点式内衬，旋钮调节。"), format!("{en}, {std}, 6-point harness with ratchet adjustment.")),
                bi(
                    format!("{dz}\n\n头围 53–63 cm 旋钮调节，可更换吸汗带，带附件槽可安装耳罩与面屏。按管理规定，颜色可用于区分工种：白色管理、黄色作业、红色电工、蓝色技术。"),
                    format!("{de}\n\nRatchet fits 53–63 cm heads, replaceable sweatband, accessory slots for ear muffs and visors. Colours can mark roles on site (e.g. white managers, yellow operatives, red electricians, blue technicians)."),
                ),
            )
            .image(picture("helmet", "yellow"))
            .accessories(&["guardian-pro-helmet-chin-strap", "guardian-pro-helmet-ear-muff-snr30"])
            .spare_parts(&["guardian-pro-helmet-ratchet-harness"])
            .similars(&["guardian-pro-abs-safety-helmet", "guardian-pro-vented-hdpe-helmet", "guardian-pro-climbing-helmet"].into_iter().filter(|k| *k != key).collect::<Vec<_>>())
            .variants(
                HELMET_COLOURS
                    .iter()
                    .filter(|(code, _, _)| colours.contains(code))
                    .map(|(code, label, _)| {
                        Variant::new(format!("{sku}-{label}"))
                            .weight(grams + 150)
                            .gtin(true)
                            .dims(300, 240, 170)
                            .attr("colour", *code)
                            .attr("material", material)
                            .attr("en_standard", std)
                            .attr("weight", grams.to_string())
                    })
                    .collect(),
            )
    };
    let accessory =
        |key: &str, sku: &str, zh: &str, en: &str, material: &str, dz: &str, de: &str| {
            Product::new(key, "helmet-accessories", "Guardian Pro", bi(zh, en))
                .texts(
                    bi(
                        format!("{zh}，适配 Guardian Pro 全系安全帽。"),
                        format!("{en}, fits every Guardian Pro helmet."),
                    ),
                    bi(dz, de),
                )
                .image(picture("helmet-part", "black"))
                .variants(vec![
                    Variant::new(sku)
                        .weight(60)
                        .gtin(true)
                        .attr("colour", "black")
                        .attr("material", material),
                ])
        };
    vec![
        helmet(
            "guardian-pro-abs-safety-helmet",
            "GP-H-ABS",
            "Guardian Pro ABS 安全帽",
            "Guardian Pro ABS safety helmet",
            "abs",
            "EN 397:2012+A1:2012, GB 2811-2019",
            &["white", "yellow", "red", "blue", "orange", "green"],
            380,
            "Guardian Pro ABS 安全帽，高强度 ABS 帽壳，耐冲击、耐穿透，符合 EN 397 与 GB 2811-2019，可选 −30 °C 低温与 440 V AC 电绝缘性能。",
            "Guardian Pro ABS safety helmet: high-impact ABS shell resisting impact and penetration, to EN 397 and GB 2811-2019, with optional −30 °C and 440 V AC electrical insulation ratings.",
        ),
        helmet(
            "guardian-pro-vented-hdpe-helmet",
            "GP-H-HDPE",
            "Guardian Pro 透气型 HDPE 安全帽",
            "Guardian Pro vented HDPE safety helmet",
            "hdpe",
            "EN 397:2012+A1:2012",
            &["white", "yellow", "red", "blue"],
            340,
            "Guardian Pro 透气安全帽，HDPE 帽壳带可开合通风口，夏季佩戴凉爽；重量轻，适合长时间佩戴。通风口打开时不具备电绝缘性能。",
            "Guardian Pro vented helmet: HDPE shell with closable vents that keep heads cool in summer; light enough for all-day wear. Not electrically insulating with the vents open.",
        ),
        helmet(
            "guardian-pro-climbing-helmet",
            "GP-H-CL",
            "Guardian Pro 登高作业安全帽",
            "Guardian Pro work-at-height helmet",
            "abs",
            "EN 12492:2012, EN 397:2012",
            &["white", "black", "red"],
            430,
            "Guardian Pro 登高安全帽，符合 EN 12492 登山头盔与 EN 397 工业安全帽双标准，带四点式下颏带，防止坠落时脱落，适用于高空、绳索与塔架作业。",
            "Guardian Pro work-at-height helmet certified to both EN 12492 (mountaineering) and EN 397 (industrial), with 4-point chin strap that keeps it on in a fall; for work at height, rope access and towers.",
        ),
        accessory(
            "guardian-pro-helmet-chin-strap",
            "GP-HA-CS",
            "Guardian Pro 安全帽下颏带（四点式）",
            "Guardian Pro 4-point helmet chin strap",
            "polyester",
            "四点式涤纶下颏带，快插扣，可调长度，防止安全帽在弯腰或登高时脱落。",
            "Four-point polyester chin strap with quick-release buckle and adjustable length: keeps the helmet on when bending or climbing.",
        ),
        accessory(
            "guardian-pro-helmet-ratchet-harness",
            "GP-HA-RH",
            "Guardian Pro 安全帽旋钮内衬（备件）",
            "Guardian Pro replacement ratchet harness",
            "hdpe",
            "六点式旋钮内衬备件，含吸汗带。内衬建议每 12 个月或出现损坏时更换。",
            "Six-point replacement ratchet harness with sweatband. Replace the harness every 12 months or when damaged.",
        ),
    ]
}

fn glasses() -> Vec<Product> {
    let tints: &[(&str, &str)] = &[
        ("clear", "CL"),
        ("smoke", "SM"),
        ("amber", "AM"),
        ("mirror", "MI"),
    ];
    vec![
        Product::new("guardian-pro-wraparound-safety-glasses", "safety-glasses", "Guardian Pro", bi("Guardian Pro 包覆式安全眼镜", "Guardian Pro wraparound safety glasses"))
            .texts(
                bi("聚碳酸酯包覆式安全眼镜，EN 166 1 FT，防雾防刮，四种镜片颜色。", "Polycarbonate wraparound safety glasses, EN 166 1 FT, anti-fog and anti-scratch, four lens tints."),
                bi(
                    "Guardian Pro 包覆式安全眼镜，一体式聚碳酸酯镜片，光学 1 级，抗高速粒子冲击（FT），双面防雾防刮涂层，阻隔 99.9% 紫外线。透明用于室内，灰色用于户外强光，琥珀色提高阴天对比度，镜面适合室内外频繁切换。\n\n镜腿长度可调，鼻托柔软，重量仅 26 g。",
                    "Guardian Pro wraparound safety glasses with one-piece polycarbonate lens, optical class 1, high-speed particle impact (FT), anti-fog and anti-scratch coating both sides, 99.9 % UV blocked. Clear for indoors, smoke for bright sun, amber for contrast on dull days, mirror for moving in and out.\n\nAdjustable temples, soft nose pads, only 26 g.",
                ),
            )
            .image(picture("glasses", "clear"))
            .similars(&["guardian-pro-overspec-safety-glasses", "guardian-pro-indirect-vent-goggles"])
            .variants(
                tints
                    .iter()
                    .map(|(code, label)| {
                        Variant::new(format!("GP-SG-{label}"))
                            .weight(45)
                            .gtin(true)
                            .attr("lens_tint", *code)
                            .attr("material", "polycarbonate")
                            .attr("en_standard", if *code == "clear" { "EN 166 1 FT, EN 170" } else { "EN 166 1 FT, EN 172" })
                    })
                    .collect(),
            ),
        Product::new("guardian-pro-overspec-safety-glasses", "safety-glasses", "Guardian Pro", bi("Guardian Pro 可戴近视镜的安全眼镜", "Guardian Pro over-spectacle safety glasses"))
            .texts(
                bi("可套戴在近视眼镜外的安全眼镜，EN 166 1 F，侧面防护。", "Safety glasses that fit over prescription glasses, EN 166 1 F, with side protection."),
                bi(
                    "Guardian Pro 外套式安全眼镜，宽大镜框可覆盖绝大多数处方眼镜，带侧护片，聚碳酸酯镜片抗冲击（F）。适合访客及临时进入车间的人员。",
                    "Guardian Pro over-spectacles: the wide frame covers most prescription glasses, with side shields and impact-resistant (F) polycarbonate lens. Good for visitors and people entering the shop floor briefly.",
                ),
            )
            .image(picture("glasses", "clear"))
            .similars(&["guardian-pro-wraparound-safety-glasses"])
            .variants(vec![Variant::new("GP-OS-CL").weight(60).gtin(true).attr("lens_tint", "clear").attr("material", "polycarbonate").attr("en_standard", "EN 166 1 F")]),
        Product::new("guardian-pro-indirect-vent-goggles", "safety-glasses", "Guardian Pro", bi("Guardian Pro 间接通风护目镜", "Guardian Pro indirect-vent goggles"))
            .texts(
                bi("间接通风防化学飞溅护目镜，EN 166 3 4 B，可戴近视眼镜。", "Indirect-vent goggles against chemical splash, EN 166 3 4 B, fit over glasses."),
                bi(
                    "Guardian Pro 护目镜，PVC 软框贴合面部，间接通风阀防止液滴进入，聚碳酸酯镜片防雾，防液体飞溅（3）、粗尘（4）及中能冲击（B）。适用于化学品处理、打磨与切割。",
                    "Guardian Pro goggles with soft PVC frame that seals to the face, indirect vents that keep droplets out and anti-fog polycarbonate lens; protects against liquid splash (3), coarse dust (4) and medium-energy impact (B). For chemical handling, grinding and cutting.",
                ),
            )
            .image(picture("glasses", "clear"))
            .similars(&["guardian-pro-wraparound-safety-glasses"])
            .variants(vec![Variant::new("GP-GG-CL").weight(110).gtin(true).attr("lens_tint", "clear").attr("material", "polycarbonate").attr("en_standard", "EN 166 3 4 B")]),
    ]
}

fn hearing() -> Vec<Product> {
    let muff = |key: &str,
                sku: &str,
                snr: u32,
                colour: &str,
                grams: u64,
                zh: &str,
                en: &str,
                dz: &str,
                de: &str| {
        Product::new(key, "ear-muffs", "Guardian Pro", bi(zh, en))
            .texts(
                bi(format!("{zh}，SNR {snr} dB，EN 352-1。"), format!("{en}, SNR {snr} dB, EN 352-1.")),
                bi(format!("{dz}\n\n降噪值 SNR {snr} dB，符合 EN 352。请根据现场噪声等级选择，避免过度降噪影响沟通。"), format!("{de}\n\nSNR {snr} dB to EN 352. Choose by the noise level on site: too much attenuation hampers communication.")),
            )
            .image(picture("ear-muff", colour))
            .accessories(&["guardian-pro-foam-earplugs"])
            .similars(&["guardian-pro-ear-muff-snr27", "guardian-pro-ear-muff-snr33", "guardian-pro-helmet-ear-muff-snr30"].into_iter().filter(|k| *k != key).collect::<Vec<_>>())
            .variants(vec![
                Variant::new(sku)
                    .weight(grams + 80)
                    .gtin(true)
                    .attr("snr", snr.to_string())
                    .attr("colour", colour)
                    .attr("en_standard", if key.contains("helmet") { "EN 352-3:2020" } else { "EN 352-1:2020" })
                    .attr("weight", grams.to_string()),
            ])
    };
    vec![
        muff("guardian-pro-ear-muff-snr27", "GP-EM27", 27, "yellow", 190, "Guardian Pro 头戴式耳罩 SNR 27", "Guardian Pro headband ear muff, SNR 27", "Guardian Pro 轻型头戴式耳罩，不锈钢头带，柔软耳垫，适用于中等噪声环境（85–95 dB）如装配线与仓库。", "Guardian Pro light headband ear muff with stainless steel band and soft cushions, for moderate noise (85–95 dB) such as assembly lines and warehouses."),
        muff("guardian-pro-ear-muff-snr33", "GP-EM33", 33, "red", 290, "Guardian Pro 高降噪耳罩 SNR 33", "Guardian Pro high-attenuation ear muff, SNR 33", "Guardian Pro 高降噪耳罩，双壳结构，适用于高噪声环境（95–105 dB）如冲压、锻造、空压机房与切割作业。", "Guardian Pro high-attenuation ear muff with twin-shell cups, for loud environments (95–105 dB): presses, forges, compressor rooms and cutting."),
        muff("guardian-pro-helmet-ear-muff-snr30", "GP-EMH30", 30, "black", 240, "Guardian Pro 安全帽挂式耳罩 SNR 30", "Guardian Pro helmet-mounted ear muff, SNR 30", "Guardian Pro 挂帽式耳罩，通过 30 mm 插片安装在 Guardian Pro 安全帽附件槽上，不用时可翻至帽后。", "Guardian Pro helmet-mounted ear muff that clips into the 30 mm accessory slots of Guardian Pro helmets and swings back when not needed."),
        Product::new("guardian-pro-foam-earplugs", "earplugs", "Guardian Pro", bi("Guardian Pro 慢回弹泡棉耳塞（200 副）", "Guardian Pro foam earplugs (200 pairs)"))
            .texts(
                bi("一次性 PU 慢回弹耳塞，SNR 37 dB，每盒 200 副独立包装。", "Disposable slow-recovery PU foam earplugs, SNR 37 dB, 200 individually wrapped pairs per box."),
                bi(
                    "Guardian Pro 泡棉耳塞，慢回弹聚氨酯，锥形设计贴合耳道，SNR 37 dB，EN 352-2。每副独立包装，卫生便携，适合发放给访客和临时工。",
                    "Guardian Pro foam earplugs in slow-recovery polyurethane, tapered to fit the ear canal, SNR 37 dB to EN 352-2. Each pair wrapped separately, hygienic and easy to hand out to visitors and temporary staff.",
                ),
            )
            .image(picture("earplug", "orange"))
            .similars(&["guardian-pro-corded-reusable-earplugs"])
            .variants(vec![Variant::new("GP-EP37").unit("box", 200).weight(900).gtin(true).attr("snr", "37").attr("material", "pu").attr("en_standard", "EN 352-2:2020")]),
        Product::new("guardian-pro-corded-reusable-earplugs", "earplugs", "Guardian Pro", bi("Guardian Pro 带线可重复使用耳塞（50 副）", "Guardian Pro corded reusable earplugs (50 pairs)"))
            .texts(
                bi("三翼 TPE 可水洗耳塞，带线防丢，SNR 25 dB，每盒 50 副。", "Triple-flange washable TPE earplugs on a cord, SNR 25 dB, 50 pairs per box."),
                bi(
                    "Guardian Pro 可重复使用耳塞，三翼 TPE 设计，带线可挂在颈部，可用温水和肥皂清洗。SNR 25 dB，适合需要频繁摘戴的场合。每副附收纳盒。",
                    "Guardian Pro reusable earplugs with triple-flange TPE tips on a cord that hangs around the neck; wash with warm soapy water. SNR 25 dB, good where plugs go in and out often. Each pair with a storage case.",
                ),
            )
            .image(picture("earplug", "blue"))
            .similars(&["guardian-pro-foam-earplugs"])
            .variants(vec![Variant::new("GP-EPC25").unit("box", 50).weight(700).gtin(true).attr("snr", "25").attr("material", "tpe").attr("en_standard", "EN 352-2:2020")]),
    ]
}

fn respirators() -> Vec<Product> {
    /// key, SKU, class, valve, per box, standard, names, texts, markets.
    type Mask = (
        &'static str,
        &'static str,
        &'static str,
        bool,
        u32,
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        &'static str,
    );
    const MASKS: &[Mask] = &[
        (
            "guardian-pro-ffp1-mask",
            "GP-FFP1",
            "ffp1",
            false,
            20,
            "EN 149:2001+A1:2009 FFP1 NR",
            "Guardian Pro FFP1 折叠式防尘口罩",
            "Guardian Pro FFP1 fold-flat dust mask",
            "过滤效率 ≥ 80%，适用于无毒粉尘，如木屑、石膏与普通清扫。",
            "At least 80 % filtration, for non-toxic dust such as wood, plaster and general sweeping.",
            "",
        ),
        (
            "guardian-pro-ffp2-mask",
            "GP-FFP2",
            "ffp2",
            false,
            20,
            "EN 149:2001+A1:2009 FFP2 NR D",
            "Guardian Pro FFP2 折叠式防颗粒物口罩",
            "Guardian Pro FFP2 fold-flat particle respirator",
            "过滤效率 ≥ 94%，通过白云石粉尘堵塞测试（D），适用于打磨、切割及水泥粉尘。",
            "At least 94 % filtration and dolomite clogging test (D), for sanding, cutting and cement dust.",
            "",
        ),
        (
            "guardian-pro-ffp2-valve-mask",
            "GP-FFP2V",
            "ffp2",
            true,
            10,
            "EN 149:2001+A1:2009 FFP2 NR D",
            "Guardian Pro FFP2 带呼气阀口罩",
            "Guardian Pro FFP2 respirator with exhalation valve",
            "过滤效率 ≥ 94%，呼气阀降低呼气阻力与闷热感，适合长时间高强度作业。",
            "At least 94 % filtration; the exhalation valve lowers breathing resistance and heat build-up for long, hard work.",
            "",
        ),
        (
            "guardian-pro-ffp3-valve-mask",
            "GP-FFP3V",
            "ffp3",
            true,
            10,
            "EN 149:2001+A1:2009 FFP3 NR D",
            "Guardian Pro FFP3 带呼气阀口罩",
            "Guardian Pro FFP3 respirator with exhalation valve",
            "过滤效率 ≥ 99%，适用于焊接烟尘、石英粉尘、金属粉尘等高危颗粒物。",
            "At least 99 % filtration, for hazardous particles such as welding fume, quartz and metal dust.",
            "",
        ),
        (
            "guardian-pro-kn95-mask",
            "GP-KN95",
            "kn95",
            false,
            25,
            "GB 2626-2019 KN95",
            "Guardian Pro KN95 自吸过滤式防颗粒物口罩",
            "Guardian Pro KN95 particle respirator",
            "符合 GB 2626-2019，对非油性颗粒物过滤效率 ≥ 95%，耳带式，适用于中国市场的一般粉尘作业。",
            "To GB 2626-2019, at least 95 % filtration of non-oily particles, ear loops; for general dusty work in the Chinese market.",
            "cn",
        ),
    ];
    MASKS
        .iter()
        .map(|(key, sku, class, valve, per_box, std, zh, en, tz, te, markets)| {
            let label = crate::taxonomy::option_label("protection_class", class);
            Product::new(*key, "respirator-masks", "Guardian Pro", bi(*zh, *en))
                .markets(markets)
                .texts(
                    bi(format!("{} 防颗粒物口罩{}，每盒 {per_box} 只。{tz}", label.1, if *valve { "，带呼气阀" } else { "" }), format!("{} particle respirator{}, {per_box} per box. {te}", label.0, if *valve { " with exhalation valve" } else { "" })),
                    bi(
                        format!("{zh}，执行标准 {std}。{tz}\n\n三层熔喷过滤材料，可调鼻夹与内置泡棉鼻垫，头带式（KN95 为耳带式）佩戴。每次佩戴前请做密合性检查；一次性使用（NR），呼吸阻力明显增加时请更换。"),
                        format!("{en} to {std}. {te}\n\nThree-layer melt-blown filter, adjustable nose clip with foam seal, head straps (ear loops on KN95). Do a fit check every time you put it on; single shift use (NR), replace when breathing gets hard."),
                    ),
                )
                .image(picture("mask", "white"))
                .similars(&MASKS.iter().filter(|m| m.0 != *key && m.10.is_empty()).map(|m| m.0).take(2).collect::<Vec<_>>())
                .variants(vec![
                    Variant::new(*sku)
                        .unit("box", *per_box)
                        .weight(u64::from(*per_box) * if *valve { 18 } else { 10 } + 60)
                        .gtin(true)
                        .dims(200, 130, 100)
                        .attr("protection_class", *class)
                        .attr("exhalation_valve", if *valve { "true" } else { "false" })
                        .attr("en_standard", *std),
                ])
        })
        .collect()
}

fn shoes() -> Vec<Product> {
    /// key, SKU, names, class, standard, material, first size, pair weight, texts.
    type Shoe = (
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        u32,
        u64,
        &'static str,
        &'static str,
    );
    const SHOES: &[Shoe] = &[
        (
            "stepguard-s1p-low-trainer",
            "SG-S1P-LO",
            "Stepguard S1P 运动款低帮安全鞋",
            "Stepguard S1P low safety trainer",
            "s1p",
            "EN ISO 20345:2022 S1P SR FO",
            "microfibre",
            36,
            1050,
            "透气超细纤维鞋面，钢包头与非金属防刺穿中底，鞋身轻盈，适合物流、仓储与轻工业。",
            "Breathable microfibre upper with steel toe cap and non-metallic anti-penetration midsole; light, for logistics, warehousing and light industry.",
        ),
        (
            "stepguard-s3-ankle-boot",
            "SG-S3-MID",
            "Stepguard S3 中帮安全靴",
            "Stepguard S3 safety ankle boot",
            "s3",
            "EN ISO 20345:2022 S3 SR",
            "leather",
            38,
            1350,
            "防水牛皮鞋面，钢包头与钢板中底，防滑耐油 PU/橡胶大底，适用于建筑工地与重工业。",
            "Water-resistant leather upper, steel toe cap and steel midsole, slip- and oil-resistant PU/rubber outsole, for building sites and heavy industry.",
        ),
        (
            "stepguard-s3-src-composite-boot",
            "SG-S3C",
            "Stepguard S3 SRC 无金属安全靴",
            "Stepguard S3 SRC metal-free safety boot",
            "s3-src",
            "EN ISO 20345:2022 S3 SR",
            "leather",
            38,
            1250,
            "复合材料包头与凯夫拉防刺穿中底，完全无金属，过安检无需脱鞋，冬季不传冷，适用于机场、电力与电子行业。",
            "Composite toe cap and Kevlar anti-penetration midsole, completely metal-free: passes metal detectors, does not conduct cold; for airports, utilities and electronics.",
        ),
        (
            "stepguard-s3l-winter-boot",
            "SG-S3W",
            "Stepguard S3L 冬季加绒安全靴",
            "Stepguard S3L lined winter safety boot",
            "s3l",
            "EN ISO 20345:2022 S3L CI SR",
            "leather",
            39,
            1600,
            "人造毛绒内衬，防寒鞋底（CI）在 −17 °C 下保持保暖，防水鞋面，适用于冷库与冬季户外作业。",
            "Faux-fur lining and cold-insulating sole (CI) keep feet warm down to −17 °C, water-resistant upper; for cold stores and winter outdoor work.",
        ),
    ];
    SHOES
        .iter()
        .map(|(key, sku, zh, en, class, std, material, first, grams, tz, te)| {
            let variants = (*first..=47)
                .map(|size| {
                    Variant::new(format!("{sku}-{size}"))
                        .unit("pair", 1)
                        .weight(grams + u64::from(size) * 8)
                        .gtin(true)
                        .dims(330, 220, 130)
                        .attr("shoe_size", size.to_string())
                        .attr("protection_class", *class)
                        .attr("en_standard", *std)
                        .attr("material", *material)
                })
                .collect();
            Product::new(*key, "safety-shoes", "Stepguard", bi(*zh, *en))
                .texts(
                    bi(format!("{zh}，{std}，欧码 {first}–47。"), format!("{en}, {std}, EU sizes {first}–47.")),
                    bi(
                        format!("{zh}：{tz}\n\n符合 {std}：200 J 包头，防静电，后跟吸能，防滑（SR）。宽楦（11 号）设计，可拆卸抗菌鞋垫。欧码 {first}–47。"),
                        format!("{en}: {te}\n\nTo {std}: 200 J toe cap, antistatic, energy-absorbing heel, slip-resistant (SR). Width 11 last, removable antibacterial insole. EU sizes {first}–47."),
                    ),
                )
                .image(picture("shoe", "black"))
                .doc("ds-safety-shoes.pdf")
                .similars(&SHOES.iter().filter(|s| s.0 != *key).map(|s| s.0).take(2).collect::<Vec<_>>())
                .variants(variants)
        })
        .collect()
}

fn hi_vis() -> Vec<Product> {
    let garment = |key: &str,
                   sku: &str,
                   zh: &str,
                   en: &str,
                   colour: &str,
                   label: &str,
                   class: &str,
                   std: &str,
                   sizes: &[&str],
                   grams: u64,
                   dz: &str,
                   de: &str| {
        Product::new(key, "hi-vis-clothing", "Guardian Pro", bi(zh, en))
            .texts(
                bi(format!("{zh}，{std}。"), format!("{en}, {std}.")),
                bi(format!("{dz}\n\n尺码 {}–{}。可 60 °C 水洗 25 次，反光性能不低于标准要求。", sizes.first().unwrap_or(&"").to_uppercase(), sizes.last().unwrap_or(&"").to_uppercase()), format!("{de}\n\nSizes {}–{}. Washable 25 times at 60 °C with retro-reflection still within the standard.", sizes.first().unwrap_or(&"").to_uppercase(), sizes.last().unwrap_or(&"").to_uppercase())),
            )
            .image(picture("vest", if colour == "orange" { "orange" } else { "yellow" }))
            .similars(&["guardian-pro-hi-vis-vest-yellow", "guardian-pro-hi-vis-vest-orange", "guardian-pro-hi-vis-jacket"].into_iter().filter(|k| *k != key).collect::<Vec<_>>())
            .variants(
                sizes
                    .iter()
                    .map(|size| {
                        Variant::new(format!("{sku}-{label}-{}", size.to_uppercase()))
                            .weight(grams)
                            .gtin(true)
                            .attr("size", *size)
                            .attr("colour", colour)
                            .attr("protection_class", class)
                            .attr("en_standard", std)
                    })
                    .collect(),
            )
    };
    let vest_sizes: &[&str] = &["s", "m", "l", "xl", "xxl"];
    vec![
        garment(
            "guardian-pro-hi-vis-vest-yellow",
            "GP-HV",
            "Guardian Pro 荧光反光背心 黄色",
            "Guardian Pro hi-vis vest, yellow",
            "yellow",
            "YE",
            "hv2",
            "EN ISO 20471:2013 class 2",
            vest_sizes,
            150,
            "Guardian Pro 反光背心，荧光黄涤纶网布，两道 5 cm 反光条环绕躯干，魔术贴开合，适用于仓库、道路与工地。",
            "Guardian Pro hi-vis vest in fluorescent yellow polyester mesh, two 5 cm retro-reflective bands around the body, hook-and-loop closure; for warehouses, roads and sites.",
        ),
        garment(
            "guardian-pro-hi-vis-vest-orange",
            "GP-HV",
            "Guardian Pro 荧光反光背心 橙色",
            "Guardian Pro hi-vis vest, orange",
            "orange",
            "OR",
            "hv2",
            "EN ISO 20471:2013 class 2",
            vest_sizes,
            150,
            "Guardian Pro 橙色反光背心，适用于铁路与市政作业等规定橙色的场合，两道 5 cm 反光条。",
            "Guardian Pro orange hi-vis vest for rail and municipal work where orange is required, two 5 cm retro-reflective bands.",
        ),
        garment(
            "guardian-pro-hi-vis-jacket",
            "GP-HVJ",
            "Guardian Pro 防水反光夹克 3 级",
            "Guardian Pro waterproof hi-vis jacket, class 3",
            "yellow",
            "YE",
            "hv3",
            "EN ISO 20471:2013 class 3, EN 343 3/1",
            &["m", "l", "xl", "xxl", "3xl"],
            900,
            "Guardian Pro 3 级反光夹克，防水透气面料（EN 343），热封接缝，可拆卸帽子，双道反光条环绕躯干与袖子，适用于高速公路与夜间作业。",
            "Guardian Pro class 3 hi-vis jacket in waterproof breathable fabric (EN 343), taped seams, detachable hood, double reflective bands on body and sleeves; for motorways and night work.",
        ),
    ]
}

fn fall_protection() -> Vec<Product> {
    vec![
        Product::new("guardian-pro-full-body-harness", "fall-protection", "Guardian Pro", bi("Guardian Pro 双挂点全身式安全带", "Guardian Pro two-point full-body harness"))
            .texts(
                bi("全身式安全带，背部与胸前双挂点，EN 361，两个尺码。", "Full-body harness with dorsal and sternal attachment points, EN 361, two sizes."),
                bi(
                    "Guardian Pro 全身式安全带，背部 D 形环与胸前织带环双挂点，肩带、腿带快速插扣，可调节。适用于登高作业、脚手架与高空平台。须与符合 EN 355 的缓冲系绳或 EN 360 速差器配合使用。\n\n每次使用前检查织带与金属件；发生坠落后须报废。",
                    "Guardian Pro full-body harness with dorsal D-ring and sternal loops, quick-connect shoulder and leg buckles, fully adjustable. For work at height, scaffolding and aerial platforms; use with an EN 355 energy-absorbing lanyard or an EN 360 retractable.\n\nInspect webbing and hardware before every use; withdraw after a fall.",
                ),
            )
            .image(picture("harness", "orange"))
            .accessories(&["guardian-pro-energy-absorbing-lanyard", "guardian-pro-climbing-helmet"])
            .variants(
                [("m-l", "ML"), ("xl-xxl", "XL")]
                    .iter()
                    .map(|(size, label)| Variant::new(format!("GP-FB-{label}")).weight(1500).gtin(true).attr("size", *size).attr("en_standard", "EN 361:2002").attr("weight", "1300"))
                    .collect(),
            ),
        Product::new("guardian-pro-energy-absorbing-lanyard", "fall-protection", "Guardian Pro", bi("Guardian Pro 缓冲系绳", "Guardian Pro energy-absorbing lanyard"))
            .texts(
                bi("带缓冲包的织带系绳，两端锁扣，1.5 m 或 2 m，EN 355。", "Webbing lanyard with energy absorber and connectors at both ends, 1.5 m or 2 m, EN 355."),
                bi(
                    "Guardian Pro 缓冲系绳，撕裂式缓冲包将冲击力限制在 6 kN 以内，一端为螺纹锁扣，一端为大开口钢钩。使用前确认下方净空高度足够（2 m 系绳约需 6 m）。",
                    "Guardian Pro energy-absorbing lanyard: the tear-web absorber keeps the arrest force below 6 kN; screw-gate karabiner at one end, large-opening scaffold hook at the other. Check the clearance below first (about 6 m for a 2 m lanyard).",
                ),
            )
            .image(picture("harness", "yellow"))
            .accessories(&["guardian-pro-full-body-harness"])
            .variants(
                [1500, 2000]
                    .iter()
                    .map(|l| Variant::new(format!("GP-LY-{}", l / 10)).weight(950).gtin(true).attr("length", l.to_string()).attr("en_standard", "EN 355:2002").attr("weight", "900"))
                    .collect(),
            ),
    ]
}
