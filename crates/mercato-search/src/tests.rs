#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The index against a small catalog of fasteners, cable, pneumatics and a
//! tool, in a real tantivy index in a temporary folder.

use super::*;
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// Category slug → its names in both languages.
fn category_names(slug: &str) -> [&'static str; 2] {
    match slug {
        "fasteners" => ["紧固件", "Fasteners"],
        "bolts" => ["螺栓", "Bolts"],
        "screws" => ["螺钉", "Screws"],
        "nuts" => ["螺母", "Nuts"],
        "washers" => ["垫圈", "Washers"],
        "electrical" => ["电气", "Electrical"],
        "cables" => ["电缆", "Cables"],
        "pneumatics" => ["气动元件", "Pneumatics"],
        "fittings" => ["接头", "Fittings"],
        "valves" => ["阀门", "Valves"],
        _ => ["工具", "Tools"],
    }
}

fn brand_name(slug: &str) -> &'static str {
    match slug {
        "norsteel" => "Norsteel",
        "hengli" => "恒力 Hengli",
        "acme" => "ACME",
        "cablecore" => "CableCore",
        "airline" => "AirLine",
        _ => "Torqline",
    }
}

struct P(SearchDoc);

impl P {
    fn new(id: &str, zh: &str, en: &str, brand: &str, cats: &[&str], skus: &[&str]) -> P {
        P(SearchDoc {
            product_id: id.into(),
            slug: id.into(),
            status: "active".into(),
            markets: vec!["cn".into()],
            visibility: vec!["public".into()],
            names: [
                ("zh-CN".to_string(), zh.to_string()),
                ("en".to_string(), en.to_string()),
            ]
            .into(),
            descriptions: [("en".to_string(), format!("{en}. Sold by the box."))].into(),
            brand: Some((brand.into(), brand_name(brand).into())),
            category_path: cats.iter().map(|c| c.to_string()).collect(),
            category_names: cats
                .iter()
                .flat_map(|c| category_names(c))
                .map(String::from)
                .collect(),
            skus: skus.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        })
    }
    fn attrs(mut self, material: Option<&str>, thread: Option<&str>) -> P {
        if let Some(m) = material {
            self.0.facet_values.push(("material".into(), m.into()));
            let text = match m {
                "a2" => "不锈钢 A2 Stainless steel A2",
                "a4" => "不锈钢 A4 Stainless steel A4",
                _ => "碳钢 Carbon steel",
            };
            self.0.attribute_text.push(text.into());
        }
        if let Some(t) = thread {
            self.0.facet_values.push(("thread".into(), t.into()));
            self.0.attribute_text.push(t.to_uppercase());
        }
        self
    }
    fn num(mut self, code: &str, values: &[f64]) -> P {
        for v in values {
            self.0.numbers.push((code.into(), *v));
            self.0.attribute_text.push(format!("{v} mm"));
        }
        self
    }
    fn stock(mut self, in_stock: bool, price: Option<i64>, created: i64) -> P {
        self.0.in_stock = in_stock;
        self.0.list_price = price;
        self.0.created_at = created;
        self
    }
    fn with(mut self, f: impl FnOnce(&mut SearchDoc)) -> P {
        f(&mut self.0);
        self
    }
}

/// 19 products; 16 of them visible to the public in market `cn`.
fn fixture() -> Vec<SearchDoc> {
    let bolts = ["fasteners", "bolts"];
    let products = vec![
        P::new(
            "p01-bolt-m8-a2",
            "不锈钢六角头螺栓 M8",
            "Stainless steel hex head bolt M8",
            "norsteel",
            &bolts,
            &["DIN933-M8x20-A2", "DIN933-M8x30-A2"],
        )
        .attrs(Some("a2"), Some("m8"))
        .num("length", &[20.0, 30.0])
        .stock(true, Some(120_000), 100)
        .with(|d| {
            d.gtins = vec!["4006381333931".into(), "4006381333948".into()];
            d.mpns = vec!["NS-933-820".into(), "NS-933-830".into()];
        }),
        P::new(
            "p02-bolt-m8-a4",
            "不锈钢六角头螺栓 M8 A4",
            "Stainless steel hex head bolt M8 A4",
            "norsteel",
            &bolts,
            &["DIN933-M8x25-A4"],
        )
        .attrs(Some("a4"), Some("m8"))
        .num("length", &[25.0])
        .stock(false, Some(180_000), 110),
        P::new(
            "p03-bolt-m8-zn",
            "镀锌六角头螺栓 M8",
            "Zinc plated hex head bolt M8",
            "hengli",
            &bolts,
            &["HB-M8x20"],
        )
        .attrs(Some("steel"), Some("m8"))
        .num("length", &[20.0])
        .stock(true, Some(50_000), 120),
        P::new(
            "p04-bolt-m6-a2",
            "不锈钢六角头螺栓 M6",
            "Stainless steel hex head bolt M6",
            "hengli",
            &bolts,
            &["DIN933-M6x16-A2"],
        )
        .attrs(Some("a2"), Some("m6"))
        .num("length", &[16.0])
        .stock(true, Some(80_000), 130),
        P::new(
            "p05-screw-m6-a2",
            "内六角圆柱头螺钉 M6 不锈钢",
            "Hex socket head cap screw M6 stainless",
            "norsteel",
            &["fasteners", "screws"],
            &["DIN912-M6x20-A2"],
        )
        .attrs(Some("a2"), Some("m6"))
        .num("length", &[20.0])
        .stock(true, Some(90_000), 140),
        P::new(
            "p06-setscrew-m5",
            "紧定螺钉 M5",
            "Hex socket set screw M5",
            "acme",
            &["fasteners", "screws"],
            &["SS-M5x8"],
        )
        .attrs(Some("steel"), Some("m5"))
        .num("length", &[8.0])
        .stock(false, Some(20_000), 150),
        P::new(
            "p07-carriage-bolt-m10",
            "马车螺丝 M10",
            "Carriage bolt M10",
            "hengli",
            &["fasteners"],
            &["CB-M10x60"],
        )
        .attrs(Some("steel"), Some("m10"))
        .num("length", &[60.0])
        .stock(true, Some(60_000), 160),
        P::new(
            "p08-nut-m8-a2",
            "六角螺母 M8 不锈钢",
            "Hex nut M8 stainless steel",
            "norsteel",
            &["fasteners", "nuts"],
            &["DIN934-M8-A2"],
        )
        .attrs(Some("a2"), Some("m8"))
        .stock(true, Some(10_000), 170),
        P::new(
            "p09-nut-m6-zn",
            "六角螺母 M6 镀锌",
            "Hex nut M6 zinc",
            "hengli",
            &["fasteners", "nuts"],
            &["DIN934-M6-ZN"],
        )
        .attrs(Some("steel"), Some("m6"))
        .stock(false, Some(5_000), 180)
        // An MPN that reads like words: the exact match must still win.
        .with(|d| d.mpns = vec!["HEX-BOLT-M8".into()]),
        P::new(
            "p10-washer-m8-a2",
            "平垫圈 M8 不锈钢",
            "Flat washer M8 stainless",
            "norsteel",
            &["fasteners", "washers"],
            &["DIN125-M8-A2"],
        )
        .attrs(Some("a2"), None)
        .stock(true, Some(3_000), 190),
        P::new(
            "p11-cable-yjv",
            "电力电缆 YJV 3x2.5",
            "Power cable YJV 3x2.5",
            "cablecore",
            &["electrical", "cables"],
            &["CB-YJV-3X2.5"],
        )
        .num("cross_section", &[2.5])
        .stock(true, Some(500_000), 200),
        P::new(
            "p12-cable-tie",
            "尼龙扎带",
            "Nylon cable tie",
            "cablecore",
            &["electrical"],
            &["CT-200"],
        )
        .stock(false, None, 50),
        P::new(
            "p13-fitting-pc8",
            "快插接头 直通 8mm",
            "Push-in fitting straight 8mm",
            "airline",
            &["pneumatics", "fittings"],
            &["PC8-02", "PC8-04"],
        )
        .stock(true, Some(15_000), 210)
        .with(|d| d.gtins = vec!["6970120010460".into()]),
        P::new(
            "p14-valve-sv5",
            "二位五通电磁阀",
            "Solenoid valve 5/2 way",
            "airline",
            &["pneumatics", "valves"],
            &["SV5-52S"],
        )
        .stock(true, Some(250_000), 220)
        .with(|d| d.mpns = vec!["AL-SV552".into()]),
        P::new(
            "p15-torque-wrench",
            "扭力扳手",
            "Torque wrench",
            "torqline",
            &["tools"],
            &["TW-50"],
        )
        .stock(true, Some(400_000), 230),
        P::new(
            "p16-draft-bolt",
            "草稿螺栓",
            "Draft bolt M8",
            "norsteel",
            &bolts,
            &["DR-1"],
        )
        .stock(true, Some(1_000), 240)
        .with(|d| d.status = "draft".into()),
        P::new(
            "p17-old-bolt",
            "旧款六角头螺栓 M8",
            "Old hex head bolt M8",
            "hengli",
            &bolts,
            &["OLD-M8"],
        )
        .attrs(Some("steel"), Some("m8"))
        .stock(false, Some(40_000), 60)
        .with(|d| d.status = "discontinued".into()),
        P::new(
            "p18-eu-bolt",
            "不锈钢六角头螺栓 M8 欧洲",
            "Stainless hex head bolt M8 EU",
            "norsteel",
            &bolts,
            &["EU-M8"],
        )
        .stock(true, Some(100_000), 250)
        .with(|d| d.markets = vec!["eu".into()]),
        P::new(
            "p19-contract-bolt",
            "专供六角头螺栓 M8",
            "Contract hex head bolt M8",
            "norsteel",
            &bolts,
            &["CT-M8"],
        )
        .stock(true, Some(100_000), 260)
        .with(|d| d.visibility = vec!["catalog:acme".into()]),
    ];
    products.into_iter().map(|p| p.0).collect()
}

/// The public products of market `cn`.
fn visible() -> Vec<String> {
    fixture()
        .into_iter()
        .filter(|d| d.status != "draft" && d.markets == ["cn"] && d.visibility == ["public"])
        .map(|d| d.product_id)
        .collect()
}

fn options() -> IndexOptions {
    IndexOptions {
        dictionary: ["内六角", "不锈钢", "六角头", "圆柱头"]
            .map(String::from)
            .to_vec(),
        ..IndexOptions::default()
    }
}

fn index() -> (tempfile::TempDir, SearchIndex) {
    let dir = tempfile::tempdir().unwrap();
    let (idx, state) = SearchIndex::open(&dir.path().join("index"), options()).unwrap();
    assert_eq!(state, OpenState::Fresh);
    assert_eq!(idx.cursor(), None);
    idx.upsert(&fixture()).unwrap();
    idx.commit(1).unwrap();
    (dir, idx)
}

fn req(text: &str) -> SearchRequest {
    SearchRequest {
        text: text.into(),
        market: "cn".into(),
        lang: "zh-CN".into(),
        visibility: vec!["public".into()],
        limit: 50,
        facets: true,
        ..Default::default()
    }
}

fn ids(r: &SearchResults) -> Vec<String> {
    r.hits.iter().map(|h| h.product_id.clone()).collect()
}

fn id_set(r: &SearchResults) -> BTreeSet<String> {
    r.hits.iter().map(|h| h.product_id.clone()).collect()
}

fn set(v: &[&str]) -> BTreeSet<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn search(idx: &SearchIndex, r: &SearchRequest) -> SearchResults {
    idx.search(r).unwrap()
}

fn text(idx: &SearchIndex, t: &str) -> SearchResults {
    search(idx, &req(t))
}

fn counts(v: &[FacetCount]) -> Vec<(&str, u64)> {
    v.iter().map(|c| (c.value.as_str(), c.count)).collect()
}

fn invalid_code(r: Result<SearchResults, SearchError>) -> (String, &'static str) {
    match r {
        Err(SearchError::Invalid { field, code, .. }) => (field, code),
        other => panic!("expected Invalid, got {other:?}"),
    }
}

#[test]
fn index_is_send_sync_clone() {
    fn assert<T: Send + Sync + Clone + 'static>() {}
    assert::<SearchIndex>();
}

#[test]
fn part_numbers_fold_and_rank_first() {
    let (_d, idx) = index();
    for q in [
        "HB-M8x20",
        "hb m8-20",
        "HB M8 x 20",
        "hbm820",
        "  hb-m8X20 ",
    ] {
        let r = text(&idx, q);
        let first = r.hits.first().unwrap_or_else(|| panic!("{q}: no hits"));
        assert_eq!(first.product_id, "p03-bolt-m8-zn", "{q}");
        assert_eq!(first.matched_sku.as_deref(), Some("HB-M8x20"), "{q}");
    }
    // The query reads like words many products match well, but it is the
    // MPN of a nut: the nut comes first.
    let r = text(&idx, "hex bolt m8");
    assert_eq!(r.hits[0].product_id, "p09-nut-m6-zn");
    assert_eq!(r.hits[0].matched_sku.as_deref(), Some("DIN934-M6-ZN"));
    assert!(r.hits.len() > 3, "the bolts follow: {:?}", ids(&r));
    assert!(r.hits[1..].iter().all(|h| h.matched_sku.is_none()));
    // A part number and a word.
    let r = text(&idx, "DIN933-M8x30-A2 stainless");
    assert_eq!(r.hits[0].product_id, "p01-bolt-m8-a2");
    assert_eq!(r.hits[0].matched_sku.as_deref(), Some("DIN933-M8x30-A2"));
    // Exact matches rank first only for relevance; other sorts keep theirs.
    let mut by_price = req("DIN933");
    by_price.sort = SortOrder::PriceDesc;
    let r = search(&idx, &by_price);
    assert_eq!(
        ids(&r),
        ["p02-bolt-m8-a4", "p01-bolt-m8-a2", "p04-bolt-m6-a2"]
    );
}

#[test]
fn part_number_prefixes() {
    let (_d, idx) = index();
    for q in ["DIN933-M8", "din933m8", "DIN933 M8"] {
        let r = text(&idx, q);
        assert_eq!(
            id_set(&r),
            set(&["p01-bolt-m8-a2", "p02-bolt-m8-a4"]),
            "{q}"
        );
        assert!(
            r.hits.iter().all(|h| h.matched_sku.is_none()),
            "a prefix is not exact"
        );
    }
    let r = text(&idx, "DIN933");
    assert_eq!(
        id_set(&r),
        set(&["p01-bolt-m8-a2", "p02-bolt-m8-a4", "p04-bolt-m6-a2"])
    );
}

#[test]
fn gtins_and_mpns_match_exactly() {
    let (_d, idx) = index();
    let r = text(&idx, "4006381333948");
    assert_eq!(r.hits[0].product_id, "p01-bolt-m8-a2");
    assert_eq!(
        r.hits[0].matched_sku.as_deref(),
        Some("DIN933-M8x30-A2"),
        "aligned lists"
    );
    // One GTIN for two SKUs: which variant is unknown.
    let r = text(&idx, "6970120010460");
    assert_eq!(r.hits[0].product_id, "p13-fitting-pc8");
    assert_eq!(r.hits[0].matched_sku, None);
    // One SKU: the MPN is that variant's.
    let r = text(&idx, "al-sv552");
    assert_eq!(r.hits[0].product_id, "p14-valve-sv5");
    assert_eq!(r.hits[0].matched_sku.as_deref(), Some("SV5-52S"));
    let r = text(&idx, "NS 933 820");
    assert_eq!(r.hits[0].matched_sku.as_deref(), Some("DIN933-M8x20-A2"));
}

#[test]
fn chinese_words() {
    let (_d, idx) = index();
    assert_eq!(ids(&text(&idx, "电磁阀")), ["p14-valve-sv5"]);
    assert_eq!(
        id_set(&text(&idx, "螺母")),
        set(&["p08-nut-m8-a2", "p09-nut-m6-zn"])
    );
    let r = text(&idx, "内六角螺钉");
    assert_eq!(ids(&r), ["p05-screw-m6-a2"]);
    let r = text(&idx, "不锈钢");
    for id in [
        "p01-bolt-m8-a2",
        "p05-screw-m6-a2",
        "p08-nut-m8-a2",
        "p10-washer-m8-a2",
    ] {
        assert!(id_set(&r).contains(id), "{id} in {:?}", ids(&r));
    }
    assert!(!id_set(&r).contains("p03-bolt-m8-zn"));
    // A name match outranks a category-name match.
    let r = text(&idx, "螺栓");
    assert!(r.hits.len() >= 5);
    assert!(
        !id_set(&r).contains("p07-carriage-bolt-m10"),
        "no synonyms yet"
    );
}

#[test]
fn english_words_are_stemmed() {
    let (_d, idx) = index();
    let r = text(&idx, "bolts");
    for id in [
        "p01-bolt-m8-a2",
        "p03-bolt-m8-zn",
        "p07-carriage-bolt-m10",
        "p17-old-bolt",
    ] {
        assert!(id_set(&r).contains(id), "{id} in {:?}", ids(&r));
    }
    assert!(!id_set(&r).contains("p16-draft-bolt"), "drafts are hidden");
    assert_eq!(
        id_set(&text(&idx, "Hex NUTS")),
        set(&["p08-nut-m8-a2", "p09-nut-m6-zn"])
    );
    assert_eq!(ids(&text(&idx, "washers")), ["p10-washer-m8-a2"]);
    // Names weigh more than descriptions: "cable" is in both cable names.
    let r = text(&idx, "cable");
    assert_eq!(id_set(&r), set(&["p11-cable-yjv", "p12-cable-tie"]));
}

#[test]
fn mixed_languages_narrow_down() {
    let (_d, idx) = index();
    let r = text(&idx, "M8 不锈钢 螺栓");
    assert_eq!(id_set(&r), set(&["p01-bolt-m8-a2", "p02-bolt-m8-a4"]));
    let r = text(&idx, "M8 stainless bolt");
    assert_eq!(id_set(&r), set(&["p01-bolt-m8-a2", "p02-bolt-m8-a4"]));
    // Words nobody has: the buyer still sees the closest products.
    let r = text(&idx, "M8 不锈钢 螺栓 unobtainium");
    assert!(id_set(&r).contains("p01-bolt-m8-a2"), "{:?}", ids(&r));
}

#[test]
fn typos_are_tolerated() {
    let (_d, idx) = index();
    let r = text(&idx, "stainles");
    assert!(id_set(&r).contains("p01-bolt-m8-a2"), "{:?}", ids(&r));
    let r = text(&idx, "stainles steel bolt");
    assert!(id_set(&r).contains("p01-bolt-m8-a2"), "{:?}", ids(&r));
    assert!(!id_set(&r).contains("p08-nut-m8-a2"));
    assert_eq!(ids(&text(&idx, "solenoid vlave")), ["p14-valve-sv5"]);
    // An exact word outscores a typo match.
    let r = text(&idx, "washer");
    assert_eq!(ids(&r)[0], "p10-washer-m8-a2");
}

#[test]
fn unknown_brand_fragments_match_by_ngrams() {
    let (_d, idx) = index();
    assert_eq!(ids(&text(&idx, "torql")), ["p15-torque-wrench"]);
    assert_eq!(
        id_set(&text(&idx, "cablecor")),
        set(&["p11-cable-yjv", "p12-cable-tie"])
    );
}

#[test]
fn synonyms_apply_at_query_time() {
    let (_d, idx) = index();
    assert!(!id_set(&text(&idx, "螺栓")).contains("p07-carriage-bolt-m10"));
    assert_eq!(ids(&text(&idx, "内六角")), ["p05-screw-m6-a2"]);
    idx.set_synonyms(Synonyms {
        groups: vec![
            vec!["螺栓".into(), "bolt".into()],
            vec!["内六角".into(), "Hex Socket".into()],
            vec!["lonely".into()],
        ],
    });
    let r = text(&idx, "螺栓");
    assert!(
        id_set(&r).contains("p07-carriage-bolt-m10"),
        "{:?}",
        ids(&r)
    );
    assert_eq!(
        id_set(&text(&idx, "内六角")),
        set(&["p05-screw-m6-a2", "p06-setscrew-m5"])
    );
    // A phrase synonym spanning words, found through the other term.
    assert_eq!(
        id_set(&text(&idx, "hex socket")),
        set(&["p05-screw-m6-a2", "p06-setscrew-m5"])
    );
    // Inside a longer query, with other words still required.
    assert_eq!(ids(&text(&idx, "M5 内六角")), ["p06-setscrew-m5"]);
    assert_eq!(ids(&text(&idx, "M10 螺栓")), ["p07-carriage-bolt-m10"]);
    idx.set_synonyms(Synonyms::default());
    assert!(!id_set(&text(&idx, "螺栓")).contains("p07-carriage-bolt-m10"));
}

#[test]
fn visibility_filters() {
    let (_d, idx) = index();
    let all = search(&idx, &req(""));
    assert_eq!(all.total, 16);
    assert_eq!(id_set(&all), visible().into_iter().collect());

    let mut r = req("");
    r.market = "eu".into();
    assert_eq!(ids(&search(&idx, &r)), ["p18-eu-bolt"]);

    let mut r = req("bolt");
    r.visibility = vec!["public".into(), "catalog:acme".into()];
    assert!(id_set(&search(&idx, &r)).contains("p19-contract-bolt"));
    r.visibility = vec!["catalog:acme".into()];
    assert_eq!(ids(&search(&idx, &r)), ["p19-contract-bolt"]);
    r.visibility = vec![];
    assert_eq!(search(&idx, &r).total, 0);

    let mut r = req("");
    r.statuses = vec!["draft".into()];
    assert_eq!(ids(&search(&idx, &r)), ["p16-draft-bolt"]);
    r.statuses = vec!["discontinued".into()];
    assert_eq!(ids(&search(&idx, &r)), ["p17-old-bolt"]);
}

#[test]
fn facet_filters() {
    let (_d, idx) = index();
    let run = |f: &dyn Fn(&mut SearchRequest)| {
        let mut r = req("");
        f(&mut r);
        search(&idx, &r)
    };
    // Categories at any level, OR'ed.
    assert_eq!(run(&|r| r.categories = vec!["fasteners".into()]).total, 11);
    assert_eq!(
        id_set(&run(&|r| r.categories = vec!["bolts".into()])),
        set(&[
            "p01-bolt-m8-a2",
            "p02-bolt-m8-a4",
            "p03-bolt-m8-zn",
            "p04-bolt-m6-a2",
            "p17-old-bolt"
        ])
    );
    assert_eq!(
        id_set(&run(
            &|r| r.categories = vec!["nuts".into(), "washers".into()]
        )),
        set(&["p08-nut-m8-a2", "p09-nut-m6-zn", "p10-washer-m8-a2"])
    );
    // Brands OR'ed.
    assert_eq!(
        id_set(&run(
            &|r| r.brands = vec!["airline".into(), "cablecore".into()]
        )),
        set(&[
            "p11-cable-yjv",
            "p12-cable-tie",
            "p13-fitting-pc8",
            "p14-valve-sv5"
        ])
    );
    // Attribute values OR'ed within an attribute, attributes AND'ed.
    let r = run(&|r| {
        r.attributes
            .insert("material".into(), vec!["a2".into(), "a4".into()]);
        r.attributes.insert("thread".into(), vec!["m8".into()]);
    });
    assert_eq!(
        id_set(&r),
        set(&["p01-bolt-m8-a2", "p02-bolt-m8-a4", "p08-nut-m8-a2"])
    );
    // Number ranges, inclusive, any of a product's values.
    let r = run(&|r| {
        r.ranges.insert(
            "length".into(),
            NumberRange {
                min: Some(18.0),
                max: Some(20.0),
            },
        );
    });
    assert_eq!(
        id_set(&r),
        set(&["p01-bolt-m8-a2", "p03-bolt-m8-zn", "p05-screw-m6-a2"])
    );
    let r = run(&|r| {
        r.ranges.insert(
            "length".into(),
            NumberRange {
                min: Some(50.0),
                max: None,
            },
        );
    });
    assert_eq!(ids(&r), ["p07-carriage-bolt-m10"]);
    let r = run(&|r| {
        r.ranges.insert(
            "cross_section".into(),
            NumberRange {
                min: None,
                max: Some(2.5),
            },
        );
    });
    assert_eq!(ids(&r), ["p11-cable-yjv"]);
    // Stock.
    assert_eq!(run(&|r| r.in_stock = Some(true)).total, 11);
    assert_eq!(run(&|r| r.in_stock = Some(false)).total, 5);
    // List price, inclusive; no price never matches a price filter.
    assert_eq!(
        run(&|r| r.price = Some((Some(10_000), Some(60_000)))).total,
        6
    );
    assert_eq!(
        id_set(&run(&|r| r.price = Some((None, Some(5_000))))),
        set(&["p09-nut-m6-zn", "p10-washer-m8-a2"])
    );
    // Unknown codes and values match nothing; they are not errors here.
    let r = run(&|r| {
        r.attributes.insert("colour".into(), vec!["red".into()]);
    });
    assert_eq!(r.total, 0);
    let r = run(&|r| {
        r.ranges.insert(
            "weight".into(),
            NumberRange {
                min: Some(1.0),
                max: None,
            },
        );
    });
    assert_eq!(r.total, 0);
    // An empty value list is no filter.
    let r = run(&|r| {
        r.attributes.insert("material".into(), vec![]);
    });
    assert_eq!(r.total, 16);
    // With text.
    let mut r = req("bolt");
    r.brands = vec!["hengli".into()];
    r.in_stock = Some(true);
    assert_eq!(
        id_set(&search(&idx, &r)),
        set(&["p03-bolt-m8-zn", "p04-bolt-m6-a2", "p07-carriage-bolt-m10"])
    );
}

#[test]
fn facet_counts_are_disjunctive() {
    let (_d, idx) = index();
    let all = search(&idx, &req(""));
    let f = &all.facets;
    assert_eq!(
        counts(&f.brands),
        [
            ("hengli", 5),
            ("norsteel", 5),
            ("airline", 2),
            ("cablecore", 2),
            ("acme", 1),
            ("torqline", 1)
        ]
    );
    assert_eq!(
        f.categories[0],
        FacetCount {
            value: "fasteners".into(),
            count: 11
        }
    );
    assert_eq!((f.in_stock, f.out_of_stock), (11, 5));
    assert_eq!(f.price, Some((3_000, 500_000)));
    assert_eq!(
        f.ranges["length"],
        NumberRange {
            min: Some(8.0),
            max: Some(60.0)
        }
    );
    assert_eq!(
        f.ranges["cross_section"],
        NumberRange {
            min: Some(2.5),
            max: Some(2.5)
        }
    );
    assert_eq!(
        counts(&f.attributes["material"]),
        [("a2", 5), ("steel", 5), ("a4", 1)]
    );

    // One brand selected: the other brands keep their counts, every other
    // facet counts only that brand.
    let mut r = req("");
    r.brands = vec!["norsteel".into()];
    let res = search(&idx, &r);
    assert_eq!(res.total, 5);
    let f = &res.facets;
    assert_eq!(counts(&f.brands), counts(&all.facets.brands));
    assert_eq!(
        counts(&f.categories),
        [
            ("fasteners", 5),
            ("bolts", 2),
            ("nuts", 1),
            ("screws", 1),
            ("washers", 1)
        ]
    );
    assert_eq!(counts(&f.attributes["material"]), [("a2", 4), ("a4", 1)]);
    assert_eq!((f.in_stock, f.out_of_stock), (4, 1));
    assert_eq!(f.price, Some((3_000, 180_000)));
    assert_eq!(
        f.ranges["length"],
        NumberRange {
            min: Some(20.0),
            max: Some(30.0)
        }
    );

    // Brand and material: each facet ignores only its own selection.
    r.attributes.insert("material".into(), vec!["a2".into()]);
    let res = search(&idx, &r);
    assert_eq!(res.total, 4);
    let f = &res.facets;
    assert_eq!(counts(&f.brands), [("norsteel", 4), ("hengli", 1)]);
    assert_eq!(counts(&f.attributes["material"]), [("a2", 4), ("a4", 1)]);
    assert_eq!(counts(&f.attributes["thread"]), [("m8", 2), ("m6", 1)]);

    // A range keeps its own spread; stock and price likewise.
    let mut r = req("");
    r.ranges.insert(
        "length".into(),
        NumberRange {
            min: Some(18.0),
            max: Some(20.0),
        },
    );
    r.in_stock = Some(false);
    r.price = Some((Some(10_000), Some(60_000)));
    let res = search(&idx, &r);
    assert_eq!(res.total, 0, "nothing passes all three");
    let f = &res.facets;
    // Length ignores the length filter: out of stock and 10,000–60,000 is
    // the set screw (8) alone.
    assert_eq!(
        f.ranges["length"],
        NumberRange {
            min: Some(8.0),
            max: Some(8.0)
        }
    );
    // Stock ignores the stock filter: length 18–20 and 10,000–60,000 is
    // the zinc bolt, in stock.
    assert_eq!((f.in_stock, f.out_of_stock), (1, 0));
    // Price ignores the price filter: length 18–20 and out of stock: none.
    assert_eq!(f.price, None);

    // Facets only when asked.
    let mut r = req("");
    r.facets = false;
    assert_eq!(search(&idx, &r).facets, Facets::default());
}

#[test]
fn sort_orders() {
    let (_d, idx) = index();
    let sorted = |sort: SortOrder, lang: &str| {
        let mut r = req("");
        r.sort = sort;
        r.lang = lang.into();
        ids(&search(&idx, &r))
    };
    let price_asc = sorted(SortOrder::PriceAsc, "en");
    assert_eq!(price_asc.first().unwrap(), "p10-washer-m8-a2");
    assert_eq!(
        price_asc.last().unwrap(),
        "p12-cable-tie",
        "no price goes last"
    );
    assert_eq!(price_asc[price_asc.len() - 2], "p11-cable-yjv");
    let price_desc = sorted(SortOrder::PriceDesc, "en");
    assert_eq!(price_desc.first().unwrap(), "p11-cable-yjv");
    assert_eq!(
        price_desc.last().unwrap(),
        "p12-cable-tie",
        "no price goes last"
    );
    let newest = sorted(SortOrder::Newest, "en");
    assert_eq!(
        newest[..3],
        ["p15-torque-wrench", "p14-valve-sv5", "p13-fitting-pc8"]
    );
    assert_eq!(
        newest[newest.len() - 2..],
        ["p17-old-bolt", "p12-cable-tie"]
    );

    let by_name = |lang: &str| {
        let mut v: Vec<(String, String)> = fixture()
            .into_iter()
            .filter(|d| visible().contains(&d.product_id))
            .map(|d| (d.names[lang].to_lowercase(), d.product_id))
            .collect();
        v.sort();
        v.into_iter().map(|(_, id)| id).collect::<Vec<_>>()
    };
    assert_eq!(sorted(SortOrder::Name, "en"), by_name("en"));
    assert_eq!(sorted(SortOrder::Name, "zh-CN"), by_name("zh-CN"));
    // Without text, relevance is by name.
    assert_eq!(sorted(SortOrder::Relevance, "en"), by_name("en"));
    // Another language falls back to English names.
    assert_eq!(sorted(SortOrder::Name, "de"), by_name("en"));
    // Relevance: better matches first.
    let r = text(&idx, "hex head bolt M8");
    assert!(r.hits.windows(2).all(|w| w[0].score >= w[1].score));
}

#[test]
fn cursor_pages_walk_everything_once() {
    let (_d, idx) = index();
    for sort in [
        SortOrder::Relevance,
        SortOrder::Name,
        SortOrder::PriceAsc,
        SortOrder::PriceDesc,
        SortOrder::Newest,
    ] {
        for q in ["", "bolt", "m8"] {
            let mut r = req(q);
            r.sort = sort;
            r.facets = false;
            let full = ids(&search(&idx, &r));
            r.limit = 3;
            let mut walked = Vec::new();
            let mut pages = 0;
            loop {
                let page = search(&idx, &r);
                assert_eq!(page.total as usize, full.len());
                walked.extend(ids(&page));
                pages += 1;
                match page.next_cursor {
                    Some(c) => r.cursor = Some(c),
                    None => break,
                }
                assert!(pages < 20);
            }
            assert_eq!(walked, full, "{sort:?} {q:?}");
        }
    }
}

#[test]
fn bad_requests_are_refused() {
    let (_d, idx) = index();
    let mut r = req("bolt");
    r.cursor = Some("!!not base64!!".into());
    assert_eq!(
        invalid_code(idx.search(&r)),
        ("cursor".into(), "invalid_cursor")
    );
    r.cursor = Some(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode("o:-1"));
    assert_eq!(
        invalid_code(idx.search(&r)),
        ("cursor".into(), "invalid_cursor")
    );
    r.cursor = Some(encode_cursor(20_000));
    assert_eq!(invalid_code(idx.search(&r)), ("cursor".into(), "too_deep"));
    let mut r = req("bolt");
    for limit in [0, 201] {
        r.limit = limit;
        assert_eq!(
            invalid_code(idx.search(&r)),
            ("limit".into(), "out_of_range")
        );
    }
    let mut r = req("");
    r.ranges.insert(
        "length".into(),
        NumberRange {
            min: Some(30.0),
            max: Some(20.0),
        },
    );
    assert_eq!(
        invalid_code(idx.search(&r)),
        ("attr.length".into(), "invalid_range")
    );
    r.ranges.insert(
        "length".into(),
        NumberRange {
            min: Some(f64::NAN),
            max: None,
        },
    );
    assert_eq!(
        invalid_code(idx.search(&r)),
        ("attr.length".into(), "invalid_range")
    );
    let mut r = req("");
    r.price = Some((Some(10), Some(5)));
    assert_eq!(
        invalid_code(idx.search(&r)),
        ("price".into(), "invalid_range")
    );
    // A cursor past the end is an empty page, not an error.
    let mut r = req("");
    r.cursor = Some(encode_cursor(500));
    let page = search(&idx, &r);
    assert!(page.hits.is_empty() && page.next_cursor.is_none());
    assert_eq!(page.total, 16);
}

#[test]
fn cursor_survives_reopen_and_versions_wipe() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("index");
    {
        let (idx, state) = SearchIndex::open(&path, options()).unwrap();
        assert_eq!(state, OpenState::Fresh);
        idx.upsert(&fixture()).unwrap();
        idx.commit(42).unwrap();
        assert_eq!(idx.cursor(), Some(42));
    }
    {
        let (idx, state) = SearchIndex::open(&path, options()).unwrap();
        assert_eq!(state, OpenState::Existing);
        assert_eq!(idx.cursor(), Some(42));
        assert_eq!(idx.num_docs(), 19);
        assert_eq!(text(&idx, "电磁阀").hits[0].product_id, "p14-valve-sv5");
        idx.commit(43).unwrap();
    }
    // Another dictionary cuts words differently: rebuild.
    {
        let (idx, state) = SearchIndex::open(&path, IndexOptions::default()).unwrap();
        assert_eq!(state, OpenState::Fresh);
        assert_eq!((idx.cursor(), idx.num_docs()), (None, 0));
        idx.upsert(&fixture()).unwrap();
        idx.commit(7).unwrap();
    }
    // Another schema version (as an older build would have written).
    {
        let index = Index::open_in_dir(&path).unwrap();
        let mut writer: IndexWriter = index.writer(15_000_000).unwrap();
        let mut prepared = writer.prepare_commit().unwrap();
        let fp = dictionary_fingerprint(&[]);
        prepared.set_payload(&format!(
            r#"{{"cursor":7,"schema":{},"dictionary":"{fp}"}}"#,
            SCHEMA_VERSION + 1
        ));
        prepared.commit().unwrap();
    }
    {
        let (idx, state) = SearchIndex::open(&path, IndexOptions::default()).unwrap();
        assert_eq!(state, OpenState::Fresh);
        assert_eq!((idx.cursor(), idx.num_docs()), (None, 0));
        // Never committed: still fresh next time.
    }
    let (_, state) = SearchIndex::open(&path, IndexOptions::default()).unwrap();
    assert_eq!(state, OpenState::Fresh);
    // Garbage where the index should be.
    std::fs::write(path.join("meta.json"), "not json").unwrap();
    let (idx, state) = SearchIndex::open(&path, IndexOptions::default()).unwrap();
    assert_eq!(state, OpenState::Fresh);
    idx.commit(1).unwrap();
}

#[test]
fn one_process_per_index_folder() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("index");
    // Still building (nothing committed): another opener must not wipe it.
    let (idx, _) = SearchIndex::open(&path, options()).unwrap();
    idx.upsert(&fixture()).unwrap();
    match SearchIndex::open(&path, options()) {
        Err(SearchError::Index(m)) => assert!(m.contains("in use"), "{m}"),
        other => panic!("{:?}", other.map(|(_, s)| s)),
    }
    idx.commit(5).unwrap();
    assert_eq!(idx.num_docs(), 19);
    drop(idx);
    let (idx, state) = SearchIndex::open(&path, options()).unwrap();
    assert_eq!((state, idx.cursor()), (OpenState::Existing, Some(5)));
}

#[test]
fn upsert_replaces_delete_and_clear_remove() {
    let (_d, idx) = index();
    let mut renamed = fixture().remove(2);
    renamed
        .names
        .insert("en".into(), "Galvanised coach screw".into());
    idx.upsert(&[renamed]).unwrap();
    // Not visible before the commit.
    assert!(text(&idx, "galvanised").hits.is_empty());
    idx.commit(2).unwrap();
    assert_eq!(ids(&text(&idx, "galvanised")), ["p03-bolt-m8-zn"]);
    let s = idx
        .suggest("galvan", "cn", "en", &["public".into()], 5)
        .unwrap();
    assert_eq!(s[0].label, "Galvanised coach screw", "stored data replaced");
    assert_eq!(idx.num_docs(), 19);

    idx.delete("p14-valve-sv5").unwrap();
    idx.delete("no-such-product").unwrap();
    idx.commit(3).unwrap();
    assert!(text(&idx, "电磁阀").hits.is_empty());
    assert_eq!(idx.num_docs(), 18);

    // Clear, then rebuild: only what came after the clear stays.
    idx.clear().unwrap();
    idx.upsert(&fixture()[..2]).unwrap();
    assert_eq!(idx.num_docs(), 18, "old documents serve until the commit");
    idx.commit(4).unwrap();
    assert_eq!(idx.num_docs(), 2);
    assert_eq!(idx.cursor(), Some(4));
    idx.clear().unwrap();
    idx.commit(5).unwrap();
    assert_eq!(idx.num_docs(), 0);
    assert_eq!(search(&idx, &req("")).total, 0);

    let err = idx.upsert(&[SearchDoc::default()]).unwrap_err();
    assert!(matches!(
        err,
        SearchError::Invalid {
            code: "missing",
            ..
        }
    ));
}

#[test]
fn suggestions() {
    let (_d, idx) = index();
    let public = ["public".to_string()];
    let s = idx.suggest("DIN933-M8", "cn", "en", &public, 10).unwrap();
    assert_eq!(s[0].kind, "part_number");
    let pns: BTreeSet<&str> = s
        .iter()
        .filter(|x| x.kind == "part_number")
        .map(|x| x.value.as_str())
        .collect();
    assert!(pns.is_subset(&["DIN933-M8x20-A2", "DIN933-M8x30-A2", "DIN933-M8x25-A4"].into()));
    assert!(!pns.is_empty());
    assert!(
        s.iter()
            .any(|x| x.kind == "product" && x.value == "p01-bolt-m8-a2")
    );
    assert_eq!(
        s[0].product_slug.as_deref().map(|p| p.starts_with("p0")),
        Some(true)
    );

    let s = idx.suggest("stain", "cn", "en", &public, 10).unwrap();
    assert!(!s.iter().any(|x| x.kind == "part_number"));
    let p = s
        .iter()
        .find(|x| x.value == "p01-bolt-m8-a2")
        .expect("a stainless bolt");
    assert_eq!(p.label, "Stainless steel hex head bolt M8");
    assert!(
        s.iter().any(|x| x.kind == "category" && x.value == "bolts"),
        "{s:?}"
    );

    let s = idx.suggest("不锈", "cn", "zh-CN", &public, 10).unwrap();
    let p = s
        .iter()
        .find(|x| x.value == "p05-screw-m6-a2")
        .expect("the screw");
    assert_eq!(p.label, "内六角圆柱头螺钉 M6 不锈钢");

    assert_eq!(
        idx.suggest("torq", "cn", "en", &public, 5).unwrap()[0].value,
        "p15-torque-wrench"
    );
    assert!(idx.suggest("DIN", "cn", "en", &public, 2).unwrap().len() <= 2);
    assert!(idx.suggest("", "cn", "en", &public, 10).unwrap().is_empty());
    assert!(
        idx.suggest("bolt", "cn", "en", &public, 0)
            .unwrap()
            .is_empty()
    );
    assert!(idx.suggest("bolt", "cn", "en", &[], 10).unwrap().is_empty());
    // Drafts, other markets and other catalogs stay hidden.
    assert!(
        idx.suggest("草稿", "cn", "en", &public, 10)
            .unwrap()
            .is_empty()
    );
    let s = idx.suggest("EU-M8", "cn", "en", &public, 10).unwrap();
    assert!(
        !s.iter()
            .any(|x| x.value == "p18-eu-bolt" || x.value == "EU-M8")
    );
    let s = idx.suggest("contract", "cn", "en", &public, 10).unwrap();
    assert!(s.is_empty(), "{s:?}");
}

#[test]
fn searches_run_while_writing() {
    let (_d, idx) = index();
    let reader = {
        let idx = idx.clone();
        std::thread::spawn(move || {
            for i in 0..30 {
                let r = idx
                    .search(&req(if i % 2 == 0 { "bolt" } else { "" }))
                    .unwrap();
                assert!(r.total >= 1);
            }
        })
    };
    for i in 0..5 {
        let mut d = fixture().remove(0);
        d.product_id = format!("new-{i}");
        d.names.insert("en".into(), format!("Fresh widget {i}"));
        idx.upsert(&[d]).unwrap();
        idx.commit(10 + i).unwrap();
        // Committed means searchable.
        assert!(id_set(&text(&idx, "widget")).contains(&format!("new-{i}")));
    }
    reader.join().unwrap();
    assert_eq!(text(&idx, "widget").total, 5);
}

fn hostile() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[-+&|!(){}\\[\\]^\"~*?:\\\\/ a-zA-Z0-9螺栓不锈钢内六角]{0,60}",
        "[ -~]{150,400}",
        Just("\u{0}\u{1f}\u{fffd}".to_string()),
        Just("a".repeat(5000)),
        Just("螺".repeat(3000)),
        Just("x-".repeat(200)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn any_text_is_answered(q in hostile(), cursor in proptest::option::of("[ -~]{0,30}")) {
        static INDEX: std::sync::OnceLock<(tempfile::TempDir, SearchIndex)> = std::sync::OnceLock::new();
        let (_, idx) = INDEX.get_or_init(|| {
            let (d, idx) = index();
            idx.set_synonyms(Synonyms {
                groups: vec![vec!["螺栓".into(), "bolt".into()], vec!["内六角".into(), "hex socket".into()]],
            });
            (d, idx)
        });
        let mut r = req(&q);
        r.cursor = cursor;
        r.attributes.insert(q.clone(), vec![q.clone()]);
        r.categories = vec![q.clone()];
        match idx.search(&r) {
            Ok(_) | Err(SearchError::Invalid { .. }) => {}
            Err(e) => prop_assert!(false, "{e}"),
        }
        let mut r = req(&q);
        r.sort = SortOrder::Name;
        prop_assert!(idx.search(&r).is_ok());
        prop_assert!(idx.suggest(&q, "cn", &q, &["public".to_string()], 10).is_ok());
    }
}

/// The app's targets on a synthetic catalog of 20,000 products with five
/// variants each: build < 60 s, text + 3 facet filters p99 ≤ 15 ms. Run in
/// release: `cargo test -p mercato-search --release -- --ignored --nocapture perf`.
#[test]
#[ignore]
fn perf_synthetic_catalog() {
    use std::time::{Duration, Instant};
    let zh_kinds = [
        "六角头螺栓",
        "内六角圆柱头螺钉",
        "六角螺母",
        "平垫圈",
        "自攻螺钉",
        "膨胀螺栓",
        "沉头螺钉",
        "法兰螺母",
    ];
    let en_kinds = [
        "hex head bolt",
        "socket head cap screw",
        "hex nut",
        "flat washer",
        "self tapping screw",
        "wedge anchor",
        "countersunk screw",
        "flange nut",
    ];
    let zh_mat = ["不锈钢", "碳钢", "镀锌", "黄铜"];
    let en_mat = ["stainless steel", "carbon steel", "zinc plated", "brass"];
    let mat = ["a2", "steel", "zn", "brass"];
    let threads = ["m4", "m5", "m6", "m8", "m10", "m12", "m16", "m20"];
    let n = 20_000;
    let docs: Vec<SearchDoc> = (0..n)
        .map(|i| {
            let k = i % zh_kinds.len();
            let m = (i / 8) % 4;
            let t = (i / 32) % threads.len();
            let brand = format!("brand{}", i % 30);
            let cat = format!("cat{}", k * 5 + i % 5);
            let skus: Vec<String> = (0..5)
                .map(|v| format!("{}{}-{}X{}-{}", &brand[..2].to_uppercase(), i, threads[t].to_uppercase(), 10 + v * 5, mat[m].to_uppercase()))
                .collect();
            SearchDoc {
                product_id: format!("{i:08}-0000-7000-8000-000000000000"),
                slug: format!("product-{i}"),
                status: "active".into(),
                markets: vec!["cn".into(), "eu".into()],
                visibility: vec!["public".into()],
                names: [
                    ("zh-CN".to_string(), format!("{}{} {} 型号{i}", zh_mat[m], zh_kinds[k], threads[t].to_uppercase())),
                    ("en".to_string(), format!("{} {} {} model {i}", en_mat[m], en_kinds[k], threads[t].to_uppercase())),
                ]
                .into(),
                descriptions: [
                    ("en".to_string(), format!("{} {} for general engineering. Delivered in boxes of 100. Conforms to DIN and ISO standards.", en_mat[m], en_kinds[k])),
                    ("zh-CN".to_string(), format!("{}{}，适用于一般机械工程，每盒100件，符合DIN和ISO标准。", zh_mat[m], zh_kinds[k])),
                ]
                .into(),
                brand: Some((brand.clone(), format!("Brand {}", i % 30))),
                category_path: vec!["fasteners".into(), format!("group{k}"), cat.clone()],
                category_names: vec!["紧固件".into(), "Fasteners".into(), zh_kinds[k].into(), en_kinds[k].into()],
                gtins: (0..5).map(|v| format!("69{:011}", i * 5 + v)).collect(),
                mpns: (0..5).map(|v| format!("MPN-{i}-{v}")).collect(),
                skus,
                attribute_text: vec![format!("{} {}", zh_mat[m], en_mat[m]), threads[t].to_uppercase(), "10 mm 15 mm 20 mm 25 mm 30 mm".into()],
                facet_values: vec![("material".into(), mat[m].into()), ("thread".into(), threads[t].into())],
                numbers: (0..5).map(|v| ("length".to_string(), (10 + v * 5) as f64)).collect(),
                in_stock: i % 3 != 0,
                list_price: Some((i as i64 % 997) * 1_000 + 500),
                created_at: i as i64,
                popularity: (i % 100) as f64,
            }
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let (idx, _) = SearchIndex::open(&dir.path().join("index"), options()).unwrap();
    idx.clear().unwrap();
    for batch in docs.chunks(500) {
        idx.upsert(batch).unwrap();
    }
    idx.commit(1).unwrap();
    let build = started.elapsed();
    eprintln!("build of {n} products / {} SKUs: {build:?}", n * 5);
    assert_eq!(idx.num_docs(), n as u64);

    let queries = [
        "stainless bolt",
        "不锈钢 螺栓",
        "hex nut M8",
        "内六角螺钉 M6",
        "DIN",
        "BR12",
        "zinc plated flange nut",
        "stainles steel",
        "螺母",
        "model 1234",
    ];
    let mut times: Vec<Duration> = Vec::new();
    let mut slowest: Vec<(Duration, String)> = Vec::new();
    for round in 0..30 {
        for (j, q) in queries.iter().enumerate() {
            let mut r = req(q);
            r.market = "cn".into();
            r.brands = vec![
                format!("brand{}", (round + j) % 30),
                format!("brand{}", (round + j + 7) % 30),
            ];
            r.attributes
                .insert("material".into(), vec!["a2".into(), "steel".into()]);
            r.categories = vec![format!("group{}", j % 8)];
            r.sort = [SortOrder::Relevance, SortOrder::PriceAsc, SortOrder::Name][round % 3];
            let t = Instant::now();
            let res = idx.search(&r).unwrap();
            times.push(t.elapsed());
            slowest.push((t.elapsed(), format!("{q} {:?}", r.sort)));
            std::hint::black_box(res);
        }
        // Unfiltered listing, the heaviest facet pass.
        let t = Instant::now();
        let res = idx.search(&req("")).unwrap();
        times.push(t.elapsed());
        slowest.push((t.elapsed(), "listing".into()));
        assert_eq!(res.total, n as u64);
    }
    times.sort();
    let p = |q: f64| times[((times.len() as f64 - 1.0) * q) as usize];
    eprintln!(
        "search p50 {:?} p99 {:?} max {:?}",
        p(0.5),
        p(0.99),
        times.last().unwrap()
    );
    let mut by_query: BTreeMap<String, Vec<Duration>> = BTreeMap::new();
    for (t, q) in slowest {
        by_query.entry(q).or_default().push(t);
    }
    for (q, mut ts) in by_query {
        ts.sort();
        eprintln!("  {q:<40} median {:?}", ts[ts.len() / 2]);
    }
    for (label, facets, sort) in [
        ("facets+name", true, SortOrder::Name),
        ("nofacets+name", false, SortOrder::Name),
        ("facets+newest", true, SortOrder::Newest),
        ("nofacets+newest", false, SortOrder::Newest),
    ] {
        let mut r = req("");
        r.facets = facets;
        r.sort = sort;
        let t = Instant::now();
        for _ in 0..20 {
            idx.search(&r).unwrap();
        }
        eprintln!("listing {label}: {:?}", t.elapsed() / 20);
    }
    let t = Instant::now();
    for q in ["DIN93", "stain", "不锈", "BR1"] {
        idx.suggest(q, "cn", "en", &["public".into()], 10).unwrap();
    }
    eprintln!("4 suggestions {:?}", t.elapsed());
    if let Ok(status) = std::fs::read_to_string("/proc/self/status") {
        for line in status
            .lines()
            .filter(|l| l.starts_with("VmHWM") || l.starts_with("VmRSS"))
        {
            eprintln!("{line}");
        }
    }
}
