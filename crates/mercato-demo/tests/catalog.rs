//! The demo catalog checked with mercato-core's own parsers: every value a
//! catalog import would read must be accepted, and every reference resolve.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use mercato_core::attribute::{AttributeDef, AttributeKind, AttributeValue};
use mercato_core::catalog::{
    Gtin, ProductStatus, SalesUnit, Sku, Slug, parse_count, parse_measure,
};
use mercato_core::market::RoadmapStep;
use mercato_core::{Currency, Lang};
use mercato_demo::{DemoCatalog, demo_catalog, scaled_catalog};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::Instant;

/// What [`validate`] counted.
#[derive(Debug, Default)]
struct Stats {
    products: usize,
    skus: usize,
    gtins: usize,
    draft: usize,
    discontinued: usize,
    discontinued_variants: usize,
    cn_only: usize,
    accessory: usize,
    spare_part: usize,
    similar: usize,
    replacement: usize,
    units: BTreeMap<String, usize>,
    attr_values: usize,
}

fn col(c: &DemoCatalog, h: &str) -> usize {
    c.column(h).unwrap_or_else(|| panic!("no column {h}"))
}

/// Checks the whole catalog; panics naming the first bad row and cell.
fn validate(c: &DemoCatalog) -> Stats {
    // Markets.
    let market_codes: HashSet<&str> = c.markets.iter().map(|m| m.code.as_str()).collect();
    for m in &c.markets {
        m.validate().unwrap();
    }

    // Attributes.
    let mut attrs: HashMap<&str, &AttributeDef> = HashMap::new();
    for a in &c.attributes {
        assert!(
            attrs.insert(a.code.as_str(), a).is_none(),
            "duplicate attribute {}",
            a.code.as_str()
        );
    }

    // Categories.
    let mut cats: HashMap<&str, &mercato_demo::DemoCategory> = HashMap::new();
    for cat in &c.categories {
        Slug::parse(&cat.slug).unwrap();
        if let Some(p) = &cat.parent {
            assert!(
                cats.contains_key(p.as_str()),
                "{}: parent {p} missing or later",
                cat.slug
            );
        }
        for a in &cat.attributes {
            assert!(
                attrs.contains_key(a.code.as_str()),
                "{}: unknown attribute {}",
                cat.slug,
                a.code.as_str()
            );
        }
        assert!(
            cats.insert(&cat.slug, cat).is_none(),
            "duplicate category {}",
            cat.slug
        );
    }

    // Headers.
    let mut seen = HashSet::new();
    for h in &c.headers {
        assert!(seen.insert(h), "duplicate header {h}");
        if let Some(code) = h.strip_prefix("attr.") {
            assert!(attrs.contains_key(code), "header {h} names no attribute");
        } else if let Some((_, lang)) = h.split_once('.')
            && !h.starts_with("related.")
        {
            Lang::parse(lang).unwrap();
        }
    }
    let attr_cols: Vec<(usize, &AttributeDef)> = c
        .headers
        .iter()
        .enumerate()
        .filter_map(|(i, h)| Some((i, *attrs.get(h.strip_prefix("attr.")?)?)))
        .collect();
    let files: HashSet<&str> = c.files.iter().map(|(n, _)| n.as_str()).collect();

    let [sku, product, status, brand, category] =
        ["sku", "product", "status", "brand", "category"].map(|h| col(c, h));
    let [name_zh, name_en, short_zh, short_en, desc_zh, desc_en] = [
        "name.zh-CN",
        "name.en",
        "short_description.zh-CN",
        "short_description.en",
        "description.zh-CN",
        "description.en",
    ]
    .map(|h| col(c, h));
    let [gtin, unit, pack, min_q, step, weight, vstatus, repl] = [
        "gtin",
        "unit",
        "pack_size",
        "min_quantity",
        "quantity_step",
        "weight_kg",
        "variant_status",
        "replacement_sku",
    ]
    .map(|h| col(c, h));
    let [images, documents, markets] = ["images", "documents", "markets"].map(|h| col(c, h));
    let related: Vec<usize> = [
        "related.accessory",
        "related.spare_part",
        "related.replacement",
        "related.similar",
    ]
    .map(|h| col(c, h))
    .to_vec();
    let dims: Vec<usize> = ["length_mm", "width_mm", "height_mm"]
        .map(|h| col(c, h))
        .to_vec();

    let brands: HashSet<&str> = c.brands.iter().map(String::as_str).collect();
    let mut stats = Stats::default();
    let mut skus: HashSet<&str> = HashSet::new();
    let mut gtins: HashSet<&str> = HashSet::new();
    let mut product_keys: HashSet<&str> = HashSet::new();
    let mut current: Option<&str> = None;
    let mut product_category: &str = "";
    let mut product_status = ProductStatus::Active;
    let mut replacements: Vec<(usize, &str)> = Vec::new();
    let mut relations: Vec<(usize, &str)> = Vec::new();

    for (r, row) in c.rows.iter().enumerate() {
        assert_eq!(row.len(), c.headers.len(), "row {r}: width");
        let cell = |i: usize| row[i].as_str();
        let at = |i: usize| {
            format!(
                "row {r} ({}) column {}: {:?}",
                cell(sku),
                c.headers[i],
                cell(i)
            )
        };

        // Variant identity.
        let s = Sku::parse(cell(sku)).unwrap_or_else(|e| panic!("{}: {e}", at(sku)));
        assert_eq!(s.as_str(), cell(sku), "{}: not trimmed", at(sku));
        assert!(skus.insert(cell(sku)), "{}: duplicate SKU", at(sku));
        stats.skus += 1;

        // Product-level cells: on the first row of each product.
        let key = cell(product);
        if current != Some(key) {
            assert!(
                product_keys.insert(key),
                "{}: product rows are not together",
                at(product)
            );
            current = Some(key);
            stats.products += 1;
            Slug::parse(key).unwrap_or_else(|e| panic!("{}: {e}", at(product)));
            product_status = ProductStatus::parse(cell(status))
                .unwrap_or_else(|e| panic!("{}: {e}", at(status)));
            match product_status {
                ProductStatus::Draft => stats.draft += 1,
                ProductStatus::Discontinued => stats.discontinued += 1,
                ProductStatus::Active => {}
            }
            assert!(brands.contains(cell(brand)), "{}: unknown brand", at(brand));
            product_category = cell(category);
            let cat = cats
                .get(product_category)
                .unwrap_or_else(|| panic!("{}: unknown category", at(category)));
            assert!(
                !cat.attributes.is_empty(),
                "{}: products belong in leaf categories with attributes",
                at(category)
            );
            for i in [name_zh, name_en, short_zh, short_en, desc_zh, desc_en] {
                assert!(!cell(i).trim().is_empty(), "{}: empty", at(i));
            }
            assert!(
                cell(name_zh)
                    .chars()
                    .any(|ch| ('\u{4e00}'..='\u{9fff}').contains(&ch)),
                "{}: Chinese name without Chinese",
                at(name_zh)
            );
            assert!(
                cell(name_en).is_ascii()
                    || cell(name_en)
                        .chars()
                        .all(|ch| !('\u{4e00}'..='\u{9fff}').contains(&ch)),
                "{}",
                at(name_en)
            );
            assert!(
                cell(desc_en).len() > cell(short_en).len(),
                "{}: description shorter than short description",
                at(desc_en)
            );
            assert!(!cell(images).is_empty(), "{}: no image", at(images));
            for f in cell(images).split(';') {
                assert!(files.contains(f), "{}: {f} not in files", at(images));
            }
            for d in cell(documents).split(';').filter(|d| !d.is_empty()) {
                let mut parts = d.split('|');
                let f = parts.next().unwrap();
                assert!(files.contains(f), "{}: {f} not in files", at(documents));
                assert_eq!(parts.next(), Some("en"), "{}", at(documents));
                assert_eq!(parts.next(), Some("Datasheet"), "{}", at(documents));
            }
            for (k, i) in related.iter().enumerate() {
                for target in cell(*i).split(';').filter(|t| !t.is_empty()) {
                    assert_ne!(target, key, "{}: relates to itself", at(*i));
                    relations.push((r, target));
                    match k {
                        0 => stats.accessory += 1,
                        1 => stats.spare_part += 1,
                        2 => stats.replacement += 1,
                        _ => stats.similar += 1,
                    }
                }
            }
            if !cell(markets).is_empty() {
                for m in cell(markets).split(';') {
                    assert!(market_codes.contains(m), "{}: unknown market", at(markets));
                }
                if cell(markets) == "cn" {
                    stats.cn_only += 1;
                }
            }
        } else {
            for i in [
                status, brand, category, name_zh, name_en, short_zh, short_en, desc_zh, desc_en,
                images, documents, markets,
            ]
            .into_iter()
            .chain(related.iter().copied())
            {
                assert!(cell(i).is_empty(), "{}: product-level cell repeated", at(i));
            }
        }

        // Commercial data.
        if !cell(gtin).is_empty() {
            Gtin::parse(cell(gtin)).unwrap_or_else(|e| panic!("{}: {e}", at(gtin)));
            assert!(gtins.insert(cell(gtin)), "{}: duplicate GTIN", at(gtin));
            stats.gtins += 1;
        }
        let u = SalesUnit::parse(cell(unit)).unwrap_or_else(|e| panic!("{}: {e}", at(unit)));
        *stats.units.entry(u.code().to_string()).or_default() += 1;
        let pack_size =
            parse_count("pack_size", cell(pack)).unwrap_or_else(|e| panic!("{}: {e}", at(pack)));
        if u == SalesUnit::Piece || u == SalesUnit::Meter || u == SalesUnit::Pair {
            assert_eq!(pack_size, 1, "{}", at(pack));
        }
        let mq = parse_measure("min_quantity", cell(min_q))
            .unwrap_or_else(|e| panic!("{}: {e}", at(min_q)));
        let st = parse_measure("quantity_step", cell(step))
            .unwrap_or_else(|e| panic!("{}: {e}", at(step)));
        assert!(!mq.is_zero() && !st.is_zero(), "{}", at(step));
        if u.is_countable() {
            assert!(
                mq.fract().is_zero() && st.fract().is_zero(),
                "{}: countable unit needs whole quantities",
                at(step)
            );
        }
        if u == SalesUnit::Meter {
            assert!(["1", "0.5"].contains(&cell(step)), "{}", at(step));
        }
        let w = parse_measure("weight_kg", cell(weight))
            .unwrap_or_else(|e| panic!("{}: {e}", at(weight)));
        assert!(!w.is_zero(), "{}: weightless", at(weight));
        for i in &dims {
            if !cell(*i).is_empty() {
                parse_measure("dimension", cell(*i)).unwrap_or_else(|e| panic!("{}: {e}", at(*i)));
            }
        }
        if !cell(vstatus).is_empty() {
            let vs = ProductStatus::parse(cell(vstatus))
                .unwrap_or_else(|e| panic!("{}: {e}", at(vstatus)));
            if vs == ProductStatus::Discontinued {
                stats.discontinued_variants += 1;
            }
        }
        if !cell(repl).is_empty() {
            assert!(
                product_status == ProductStatus::Discontinued || cell(vstatus) == "discontinued",
                "{}: replacement for a part that is not discontinued",
                at(repl)
            );
            replacements.push((r, cell(repl)));
        } else {
            assert_ne!(
                cell(vstatus),
                "discontinued",
                "{}: discontinued without replacement",
                at(vstatus)
            );
        }

        // Attributes: every value parses; enums are written as option codes.
        for (i, def) in &attr_cols {
            if cell(*i).is_empty() {
                continue;
            }
            stats.attr_values += 1;
            let v = def
                .parse_value(cell(*i))
                .unwrap_or_else(|e| panic!("{}: {e}", at(*i)));
            match (&def.kind, v) {
                (AttributeKind::Enum { .. }, AttributeValue::Text(code)) => {
                    assert_eq!(code, cell(*i), "{}: write the option code", at(*i));
                }
                (AttributeKind::Number { .. }, AttributeValue::Number(n)) => {
                    assert!(!n.is_sign_negative(), "{}", at(*i));
                }
                (AttributeKind::Bool, AttributeValue::Bool(_))
                | (AttributeKind::Text, AttributeValue::Text(_)) => {}
                (_, v) => panic!("{}: parsed as {v:?}", at(*i)),
            }
        }
        let cat = cats[product_category];
        for a in cat.attributes.iter().filter(|a| a.required) {
            let i = col(c, &format!("attr.{}", a.code.as_str()));
            assert!(!cell(i).is_empty(), "{}: required by {}", at(i), cat.slug);
        }
        for (i, def) in &attr_cols {
            if !cell(*i).is_empty() {
                assert!(
                    cat.attributes.iter().any(|a| a.code == def.code),
                    "{}: attribute not assigned to category {}",
                    at(*i),
                    cat.slug
                );
            }
        }
    }

    for (r, target) in replacements {
        assert!(
            skus.contains(target),
            "row {r}: replacement {target} is no SKU"
        );
        let row = c.rows.iter().find(|row| row[sku] == target).unwrap();
        assert_ne!(
            row[vstatus], "discontinued",
            "row {r}: replacement {target} is itself discontinued"
        );
    }
    for (r, target) in relations {
        assert!(
            product_keys.contains(target),
            "row {r}: related {target} is no product key"
        );
    }
    stats
}

#[test]
fn demo_catalog_is_valid_and_large_enough() {
    let c = demo_catalog();
    let stats = validate(&c);
    assert!(stats.products >= 300, "{stats:?}");
    assert!(stats.skus >= 1000, "{stats:?}");
    assert!(stats.gtins >= 300, "{stats:?}");
    assert!(stats.draft >= 2, "{stats:?}");
    assert!(stats.discontinued >= 3, "{stats:?}");
    assert!(stats.discontinued_variants >= 3, "{stats:?}");
    assert!(stats.cn_only >= 5, "{stats:?}");
    assert!(stats.accessory >= 200, "{stats:?}");
    assert!(stats.spare_part >= 20, "{stats:?}");
    assert!(stats.similar >= 200, "{stats:?}");
    assert!(stats.replacement >= 3, "{stats:?}");
    for u in ["piece", "box", "pack", "pair", "meter", "roll", "set"] {
        assert!(
            stats.units.get(u).copied().unwrap_or(0) > 0,
            "no {u}: {stats:?}"
        );
    }
}

#[test]
fn markets_brands_attributes_categories() {
    let c = demo_catalog();
    assert_eq!(c.markets.len(), 2);
    let cn = &c.markets[0];
    assert_eq!(
        (cn.code.as_str(), cn.currency),
        ("cn", Currency::parse("CNY").unwrap())
    );
    assert_eq!(cn.languages, vec![Lang::zh_cn(), Lang::en()]);
    assert_eq!(cn.countries, vec!["CN".to_string()]);
    assert_eq!(cn.time_zone, "Asia/Shanghai");
    assert_eq!(cn.roadmap_step, RoadmapStep::OnlineBuying);
    assert!(cn.show_prices && cn.show_stock && cn.is_default);
    let eu = &c.markets[1];
    assert_eq!(
        (eu.code.as_str(), eu.currency),
        ("eu", Currency::parse("EUR").unwrap())
    );
    assert_eq!(eu.languages, vec![Lang::en()]);
    assert_eq!(
        eu.countries,
        ["DE", "FR", "NL", "IT", "ES"].map(String::from).to_vec()
    );
    assert_eq!(eu.time_zone, "Europe/Berlin");
    assert_eq!(eu.roadmap_step, RoadmapStep::DigitalCatalog);
    assert!(!eu.show_prices && !eu.is_default);

    assert!((10..=14).contains(&c.brands.len()));
    for real in [
        "Bosch",
        "Würth",
        "Makita",
        "Festo",
        "SMC",
        "3M",
        "Schneider",
    ] {
        assert!(!c.brands.iter().any(|b| b.eq_ignore_ascii_case(real)));
    }
    let unique: HashSet<&String> = c.brands.iter().collect();
    assert_eq!(unique.len(), c.brands.len());

    assert!(c.attributes.len() >= 25);
    for a in &c.attributes {
        for l in [Lang::zh_cn(), Lang::en()] {
            assert!(
                a.name.get(&l).is_some(),
                "{} has no {l} name",
                a.code.as_str()
            );
        }
        match &a.kind {
            AttributeKind::Number { unit: Some(u) } => {
                assert!(
                    a.unit().is_some(),
                    "{}: unit {u} unknown to mercato-core",
                    a.code.as_str()
                );
            }
            AttributeKind::Enum { options } => {
                assert!(!options.is_empty());
                let codes: HashSet<&str> = options.iter().map(|o| o.code.as_str()).collect();
                assert_eq!(codes.len(), options.len(), "{}", a.code.as_str());
                for o in options {
                    assert!(
                        o.label.get(&Lang::zh_cn()).is_some() && o.label.get(&Lang::en()).is_some()
                    );
                    // A label must lead back to its own option.
                    let en = o.label.get(&Lang::en()).unwrap();
                    assert_eq!(
                        a.parse_value(en).unwrap(),
                        AttributeValue::Text(o.code.clone()),
                        "{}: {en}",
                        a.code.as_str()
                    );
                }
            }
            _ => {}
        }
    }
    for code in [
        "thread_size",
        "length",
        "material",
        "strength_class",
        "head_type",
        "drive",
        "diameter",
        "voltage",
        "current",
        "power",
        "cross_section",
        "cable_length",
        "ip_rating",
        "pressure_max",
        "port_size",
        "tube_od",
        "bore",
        "stroke",
        "size",
        "en_standard",
        "protection_class",
        "rohs",
        "torque_max",
        "weight",
    ] {
        assert!(
            c.attributes.iter().any(|a| a.code.as_str() == code),
            "missing {code}"
        );
    }
    // Every attribute is used somewhere.
    for a in &c.attributes {
        let i = c.column(&format!("attr.{}", a.code.as_str())).unwrap();
        assert!(
            c.rows.iter().any(|r| !r[i].is_empty()),
            "attribute {} unused",
            a.code.as_str()
        );
    }

    assert!(c.categories.len() >= 25);
    let by_slug: HashMap<&str, &mercato_demo::DemoCategory> =
        c.categories.iter().map(|k| (k.slug.as_str(), k)).collect();
    let depth = |slug: &str| {
        let mut d = 1;
        let mut cur = by_slug[slug];
        while let Some(p) = &cur.parent {
            d += 1;
            cur = by_slug[p.as_str()];
        }
        d
    };
    assert!(c.categories.iter().map(|k| depth(&k.slug)).max().unwrap() >= 3);
    for k in &c.categories {
        assert!(k.name.get(&Lang::zh_cn()).is_some() && k.name.get(&Lang::en()).is_some());
    }
    let hex = by_slug["hex-bolts"];
    for code in ["thread_size", "length", "material"] {
        assert!(
            hex.attributes
                .iter()
                .any(|a| a.code.as_str() == code && a.required),
            "{code}"
        );
    }
    // Sibling positions are distinct.
    let mut positions = HashSet::new();
    for k in &c.categories {
        assert!(
            positions.insert((k.parent.clone(), k.position)),
            "{}",
            k.slug
        );
    }
}

#[test]
fn files_are_real_pictures_and_pdfs_within_budget() {
    let c = demo_catalog();
    let total: usize = c.files.iter().map(|(_, b)| b.len()).sum();
    assert!(total < 15 * 1024 * 1024, "{total} bytes");
    let pdfs = c.files.iter().filter(|(n, _)| n.ends_with(".pdf")).count();
    assert!(pdfs >= 10, "{pdfs} PDFs");
    for (name, bytes) in &c.files {
        if name.ends_with(".png") {
            assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "{name}");
        } else {
            assert!(
                name.ends_with(".pdf") && bytes.starts_with(b"%PDF"),
                "{name}"
            );
        }
    }
    // Every file is referenced.
    let images = c.column("images").unwrap();
    let documents = c.column("documents").unwrap();
    for (name, _) in &c.files {
        assert!(
            c.rows
                .iter()
                .any(|r| r[images].split(';').any(|f| f == name)
                    || r[documents]
                        .split(';')
                        .any(|d| d.split('|').next() == Some(name.as_str()))),
            "{name} unreferenced"
        );
    }
}

#[test]
fn spot_checks() {
    let c = demo_catalog();
    let sku = c.column("sku").unwrap();
    let row = |s: &str| {
        c.rows
            .iter()
            .find(|r| r[sku] == s)
            .unwrap_or_else(|| panic!("no {s}"))
    };
    let cell = |r: &Vec<String>, h: &str| r[c.column(h).unwrap()].clone();

    let bolt = row("HB933-M8X20-A2");
    assert_eq!(cell(bolt, "attr.thread_size"), "m8");
    assert_eq!(cell(bolt, "attr.length"), "20");
    assert_eq!(cell(bolt, "attr.material"), "a2");
    assert_eq!(cell(bolt, "attr.strength_class"), "a2-70");
    assert_eq!(cell(bolt, "unit"), "box");
    assert_eq!(cell(bolt, "pack_size"), "100");
    assert!(!cell(bolt, "gtin").is_empty());

    let cable = row("CB-YJV-3X2.5-100");
    assert_eq!(cell(cable, "unit"), "roll");
    assert_eq!(cell(cable, "attr.cable_length"), "100");
    let per_meter = row("CB-YJV-3X2.5-M");
    assert_eq!(cell(per_meter, "unit"), "meter");

    let cyl = row("PCYL-32X100");
    assert_eq!(cell(cyl, "attr.bore"), "32");
    assert_eq!(cell(cyl, "attr.stroke"), "100");

    let products: HashMap<String, Vec<&Vec<String>>> = {
        let key = c.column("product").unwrap();
        let mut m: HashMap<String, Vec<&Vec<String>>> = HashMap::new();
        for r in &c.rows {
            m.entry(r[key].clone()).or_default().push(r);
        }
        m
    };
    let first = |k: &str| products.get(k).unwrap_or_else(|| panic!("no product {k}"))[0];
    let bolt_product = first("hex-bolt-din-933-m8-a2");
    assert!(cell(bolt_product, "related.accessory").contains("hex-nut-din-934-a2"));
    assert!(cell(bolt_product, "related.accessory").contains("flat-washer-din-125-a2"));
    assert!(cell(bolt_product, "name.en").contains("DIN 933"));
    assert!(cell(bolt_product, "description.zh-CN").contains("不锈钢"));
    let cylinder = first(
        &c.rows.iter().find(|r| r[sku] == "PCYL-32X100").unwrap()[c.column("product").unwrap()],
    );
    assert!(!cell(cylinder, "related.spare_part").is_empty());
    let glove_rows: Vec<_> = c
        .rows
        .iter()
        .filter(|r| r[c.column("unit").unwrap()] == "pair")
        .collect();
    assert!(
        glove_rows
            .iter()
            .any(|r| r[c.column("attr.en_standard").unwrap()].starts_with("EN 388:2016"))
    );
}

#[test]
fn generation_is_deterministic() {
    let a = demo_catalog();
    let b = demo_catalog();
    assert_eq!(a.headers, b.headers);
    assert_eq!(a.rows, b.rows);
    assert_eq!(a.files, b.files);
    assert_eq!(a, b);
}

#[test]
fn small_scales_return_the_demo_catalog() {
    let demo = demo_catalog();
    assert_eq!(scaled_catalog(10), demo);
    assert_eq!(scaled_catalog(demo.rows.len()), demo);
    let bigger = scaled_catalog(demo.rows.len() + 1);
    assert!(bigger.rows.len() > demo.rows.len());
    validate(&bigger);
}

#[test]
fn scaled_catalog_reaches_100k_valid_unique_skus() {
    // Pictures are drawn once per process; time the rows, not the drawing.
    let demo_files = demo_catalog().files;
    let started = Instant::now();
    let c = scaled_catalog(100_000);
    let generated = started.elapsed();
    assert!(c.rows.len() >= 100_000);
    let stats = validate(&c);
    assert_eq!(stats.skus, c.rows.len());
    assert!(stats.products > 10_000, "{stats:?}");
    assert_eq!(c.files, demo_files, "files are shared");
    assert!(generated.as_secs() < 10, "took {generated:?}");
    let c2 = scaled_catalog(100_000);
    assert_eq!(c.rows, c2.rows);
}
