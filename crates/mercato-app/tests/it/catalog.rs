//! Catalog setup, import, export and reads on both databases.

use mercato_app::catalog::{self, CategoryInput, ListQuery};
use mercato_app::import::{self, ImportMode, ImportOptions, ImportReport, MapSource};
use mercato_app::{App, AppSettings, export};
use mercato_core::attribute::{AttrCode, AttributeDef, AttributeKind, EnumOption};
use mercato_core::catalog::CategoryAttribute;
use mercato_core::market::{Market, RoadmapStep};
use mercato_core::money::Currency;
use mercato_core::{Lang, LocalizedText};
use mercato_testkit::db_test;
use std::collections::HashMap;

fn text(pairs: &[(&str, &str)]) -> LocalizedText {
    LocalizedText::from_pairs(pairs.iter().copied()).unwrap()
}

pub async fn catalog_app(db: mercato_app::Db) -> (App, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let app = App::new(
        db,
        AppSettings {
            media_dir: Some(dir.path().join("media")),
            ..super::test_app_settings()
        },
    );
    catalog_taxonomy(&app).await;
    (app, dir)
}

/// Markets `cn` (default) and `eu`, attributes thread_size, length,
/// material, categories fasteners > hex-bolts.
pub async fn catalog_taxonomy(app: &App) {
    let app = app.clone();
    for (code, langs, default, step) in [
        ("cn", vec!["zh-CN", "en"], true, 2u8),
        ("eu", vec!["en"], false, 1),
    ] {
        let m = Market {
            code: code.into(),
            name: text(&[("en", code)]),
            currency: Currency::parse(if code == "cn" { "CNY" } else { "EUR" }).unwrap(),
            languages: langs.iter().map(|l| Lang::parse(l).unwrap()).collect(),
            countries: vec![if code == "cn" {
                "CN".into()
            } else {
                "DE".into()
            }],
            time_zone: if code == "cn" {
                "Asia/Shanghai".into()
            } else {
                "Europe/Berlin".into()
            },
            roadmap_step: RoadmapStep::try_from(step).unwrap(),
            show_prices: true,
            show_stock: true,
            is_default: default,
        };
        catalog::save_market(&app, None, m).await.unwrap();
    }
    let attr = |code: &str, name: &[(&str, &str)], kind: AttributeKind, position| AttributeDef {
        code: AttrCode::parse(code).unwrap(),
        name: text(name),
        kind,
        filterable: true,
        position,
    };
    catalog::save_attribute(
        &app,
        None,
        attr(
            "thread_size",
            &[("en", "Thread"), ("zh-CN", "螺纹规格")],
            AttributeKind::Text,
            1,
        ),
    )
    .await
    .unwrap();
    catalog::save_attribute(
        &app,
        None,
        attr(
            "length",
            &[("en", "Length"), ("zh-CN", "长度")],
            AttributeKind::Number {
                unit: Some("mm".into()),
            },
            2,
        ),
    )
    .await
    .unwrap();
    let options = vec![
        EnumOption {
            code: "a2".into(),
            label: text(&[("en", "Stainless steel A2"), ("zh-CN", "不锈钢 A2")]),
        },
        EnumOption {
            code: "zn".into(),
            label: text(&[("en", "Zinc-plated steel"), ("zh-CN", "镀锌钢")]),
        },
    ];
    catalog::save_attribute(
        &app,
        None,
        attr(
            "material",
            &[("en", "Material"), ("zh-CN", "材质")],
            AttributeKind::Enum { options },
            3,
        ),
    )
    .await
    .unwrap();
    catalog::save_category(
        &app,
        None,
        CategoryInput {
            slug: "fasteners".into(),
            parent: None,
            name: text(&[("en", "Fasteners"), ("zh-CN", "紧固件")]),
            position: 1,
            attributes: vec![],
        },
    )
    .await
    .unwrap();
    let required = |c: &str| CategoryAttribute {
        code: AttrCode::parse(c).unwrap(),
        required: true,
    };
    catalog::save_category(
        &app,
        None,
        CategoryInput {
            slug: "hex-bolts".into(),
            parent: Some("fasteners".into()),
            name: text(&[("en", "Hex bolts"), ("zh-CN", "外六角螺栓")]),
            position: 1,
            attributes: vec![
                required("thread_size"),
                required("length"),
                required("material"),
            ],
        },
    )
    .await
    .unwrap();
}

pub const GOOD_CSV: &str = "sku,product,brand,category,name.en,name.zh-CN,short_description.en,description.en,unit,pack_size,attr.thread_size,attr.length,attr.material,images,documents,related.accessory,markets\n\
HB-M8X20-A2,hex-bolt-m8,Norsteel,hex-bolts,Hex bolt M8,外六角螺栓 M8,DIN 933,Fully threaded hex bolt.,box,100,M8,20,a2,bolt.png,ds.pdf|en|Datasheet,hex-nut-m8,\n\
HB-M8X30-A2,hex-bolt-m8,,,,,,,box,100,M8,3 cm,不锈钢 A2,,,,\n\
HN-M8-A2,hex-nut-m8,Norsteel,hex-bolts,Hex nut M8,六角螺母 M8,DIN 934,Hex nut.,piece,1,M8,6.5,A2,bolt.png,,,cn\n";

pub fn media_files() -> HashMap<String, Vec<u8>> {
    let mut m = HashMap::new();
    m.insert(
        "bolt.png".to_string(),
        mercato_media::demo_picture(mercato_media::DemoShape::Hexagon, [40, 90, 160], 400),
    );
    m.insert(
        "ds.pdf".to_string(),
        mercato_media::demo_datasheet_pdf("Hex bolt M8", &["DIN 933".to_string()]),
    );
    m.insert(
        "fake.png".to_string(),
        b"this is not an image at all".to_vec(),
    );
    m
}

pub async fn run(
    app: &App,
    name: &str,
    bytes: &[u8],
    mode: ImportMode,
    dry_run: bool,
) -> ImportReport {
    import::import_products(
        app,
        None,
        name,
        bytes,
        &MapSource(media_files()),
        ImportOptions { mode, dry_run },
        &|_, _, _| {},
    )
    .await
    .unwrap()
}

db_test!(async fn import_reads_back_localised_with_media_and_relations(db) {
    let (app, _dir) = catalog_app(db).await;
    let r = run(&app, "p.csv", GOOD_CSV.as_bytes(), ImportMode::ValidRows, false).await;
    assert!(r.issues.is_empty(), "{:#?}", r.issues);
    assert!(r.applied);
    assert_eq!((r.products_created, r.rows_valid), (2, 3));

    let zh = Lang::zh_cn();
    let v = catalog::product_view(&app, "hex-bolt-m8", None, Some(&zh)).await.unwrap().unwrap();
    assert_eq!(v.name, "外六角螺栓 M8");
    assert_eq!(v.lang, "zh-CN");
    assert_eq!(v.short_description.as_deref(), Some("DIN 933"), "falls back to English where zh-CN is missing");
    assert_eq!(v.category_path.iter().map(|c| c.slug.as_str()).collect::<Vec<_>>(), ["fasteners", "hex-bolts"]);
    assert_eq!(v.brand.as_ref().unwrap().name, "Norsteel");
    assert_eq!(v.variants.len(), 2);
    let second = &v.variants[1];
    let length = second.attributes.iter().find(|a| a.code == "length").unwrap();
    assert_eq!((length.value.as_str(), length.display.as_str()), ("30", "30 mm"), "3 cm became 30 mm");
    let material = second.attributes.iter().find(|a| a.code == "material").unwrap();
    assert_eq!(material.display, "不锈钢 A2");
    assert_eq!(second.unit, "box");
    assert_eq!(v.media.len(), 1);
    let img = &v.media[0];
    assert!(img.renditions.contains_key("list"), "{img:?}");
    assert!(img.renditions["list"].width <= 320);
    assert_eq!(v.documents.len(), 1);
    assert_eq!(v.documents[0].title.as_deref(), Some("Datasheet"));
    assert_eq!(v.related.iter().map(|r| (r.relation.as_str(), r.slug.as_str())).collect::<Vec<_>>(), [("accessory", "hex-nut-m8")]);

    // The nut shows the relation the other way round, and only in its market.
    let nut = catalog::product_view(&app, "hex-nut-m8", Some("cn"), None).await.unwrap().unwrap();
    assert_eq!(nut.related.iter().map(|r| r.relation.as_str()).collect::<Vec<_>>(), ["accessory_for"]);
    assert!(catalog::product_view(&app, "hex-nut-m8", Some("eu"), None).await.unwrap().is_none(), "cn-only product hidden in eu");

    // Part numbers are found with other separators.
    let (pid, _) = catalog::find_sku(&app, "hb-m8x20-a2").await.unwrap().unwrap();
    assert_eq!(pid.to_string(), v.id);
    let page = catalog::list_products(&app, &ListQuery { category: Some("fasteners".into()), ..Default::default() }, Some("cn"), None, None, 10).await.unwrap();
    assert_eq!(page.items.len(), 2);
    assert!(page.items[0].image.is_some());
    let page = catalog::list_products(&app, &ListQuery { text: Some("HN M8".into()), ..Default::default() }, Some("cn"), None, None, 10).await.unwrap();
    assert_eq!(page.items.iter().map(|p| p.slug.as_str()).collect::<Vec<_>>(), ["hex-nut-m8"]);
});

db_test!(async fn export_then_import_changes_nothing(db) {
    let (app, _dir) = catalog_app(db).await;
    run(&app, "p.csv", GOOD_CSV.as_bytes(), ImportMode::AllOrNothing, false).await;
    let csv = export::export_csv(&app, None).await.unwrap();
    // No media files given: existing media are matched by file name.
    let r = import::import_products(&app, None, "export.csv", &csv, &MapSource(HashMap::new()), ImportOptions { mode: ImportMode::AllOrNothing, dry_run: false }, &|_, _, _| {}).await.unwrap();
    assert!(r.issues.is_empty(), "{:#?}", r.issues);
    assert_eq!((r.products_created, r.products_updated, r.products_unchanged), (0, 0, 2), "{}", r.summary);
    let again = export::export_csv(&app, None).await.unwrap();
    assert_eq!(String::from_utf8_lossy(&csv), String::from_utf8_lossy(&again));

    let xlsx = export::export_xlsx(&app, None).await.unwrap();
    let r = import::import_products(&app, None, "export.xlsx", &xlsx, &MapSource(HashMap::new()), ImportOptions { mode: ImportMode::AllOrNothing, dry_run: false }, &|_, _, _| {}).await.unwrap();
    assert!(r.issues.is_empty(), "{:#?}", r.issues);
    assert_eq!(r.products_unchanged, 2, "{}", r.summary);
});

const BAD_CSV: &str = "sku,product,category,name.en,attr.thread_size,attr.length,attr.material,images\n\
OK-1,ok-product,hex-bolts,Fine bolt,M6,12,zn,\n\
BAD-1,bad-length,hex-bolts,Bad length,M6,\"12,5 mm\",zn,\n\
BAD-2,bad-cat,no-such-category,Bad category,M6,12,zn,\n\
OK-1,dup,hex-bolts,Duplicate,M6,12,zn,\n\
BAD-3,bad-image,hex-bolts,Bad image,M6,12,zn,fake.png\n\
BAD-4,missing-attr,hex-bolts,Missing material,M6,12,,\n";

db_test!(async fn bad_rows_are_reported_and_modes_decide(db) {
    let (app, _dir) = catalog_app(db).await;
    let r = run(&app, "bad.csv", BAD_CSV.as_bytes(), ImportMode::AllOrNothing, false).await;
    assert!(!r.applied);
    assert!(r.summary.contains("all-or-nothing"), "{}", r.summary);
    assert!(catalog::product_view(&app, "ok-product", None, None).await.unwrap().is_none(), "all-or-nothing wrote nothing");

    let r = run(&app, "bad.csv", BAD_CSV.as_bytes(), ImportMode::ValidRows, true).await;
    assert!(!r.applied, "dry run");
    assert!(catalog::product_view(&app, "ok-product", None, None).await.unwrap().is_none());

    let r = run(&app, "bad.csv", BAD_CSV.as_bytes(), ImportMode::ValidRows, false).await;
    assert!(r.applied);
    assert_eq!(r.rows_valid, 1, "{:#?}", r.issues);
    let find = |row: usize, col: &str| r.issues.iter().find(|i| i.row == row && i.column == col).unwrap_or_else(|| panic!("no issue at {row}/{col}: {:#?}", r.issues));
    assert!(find(3, "attr.length").reason.contains("12.5 not 12,5"));
    assert!(find(4, "category").reason.contains("unknown category"));
    assert!(find(5, "sku").reason.contains("first on row 2"));
    assert!(find(6, "images").reason.contains("not an image") || find(6, "images").reason.contains("image"), "{:?}", find(6, "images"));
    assert!(find(7, "attr.material").reason.contains("required"));
    assert!(catalog::product_view(&app, "ok-product", None, None).await.unwrap().is_some());
    assert!(catalog::product_view(&app, "bad-length", None, None).await.unwrap().is_none());
    let csv = String::from_utf8(r.to_csv()).unwrap();
    assert!(csv.contains("row,column,value,reason") && csv.contains("12,5 mm"), "{csv}");
});

db_test!(async fn unreadable_and_misnamed_files_apply_nothing(db) {
    let (app, _dir) = catalog_app(db).await;
    let r = run(&app, "empty.csv", b"", ImportMode::ValidRows, false).await;
    assert!(!r.applied && !r.issues.is_empty());
    let r = run(&app, "cols.csv", b"sku,nmae.en,attr.colour\nX-1,Typo,red\n", ImportMode::ValidRows, false).await;
    assert!(!r.applied);
    let cols: Vec<&str> = r.issues.iter().map(|i| i.column.as_str()).collect();
    assert!(cols.contains(&"nmae.en") && cols.contains(&"attr.colour"), "{cols:?}");

    // GBK from Chinese Excel is read, and says so.
    let csv = "sku,product,category,name.zh-CN,attr.thread_size,attr.length,attr.material\nGB-1,gbk-bolt,hex-bolts,六角螺栓 M8x20 不锈钢,M8,20,a2\n";
    let (gbk, _, _) = encoding_rs::GBK.encode(csv);
    let r = run(&app, "gbk.csv", &gbk, ImportMode::ValidRows, false).await;
    assert!(r.applied && r.issues.is_empty(), "{:#?}", r.issues);
    assert!(r.notes.iter().any(|n| n.to_lowercase().contains("gb")), "{:?}", r.notes);
    let v = catalog::product_view(&app, "gbk-bolt", None, Some(&Lang::zh_cn())).await.unwrap().unwrap();
    assert_eq!(v.name, "六角螺栓 M8x20 不锈钢");
});

db_test!(async fn completeness_lists_what_is_missing(db) {
    let (app, _dir) = catalog_app(db).await;
    run(&app, "p.csv", GOOD_CSV.as_bytes(), ImportMode::ValidRows, false).await;
    let rows = catalog::completeness_report(&app, Some("cn"), Some(99), 100).await.unwrap();
    let zh_bolt = rows.iter().find(|r| r.slug == "hex-bolt-m8" && r.lang == "zh-CN").unwrap();
    let missing = serde_json::to_value(&zh_bolt.completeness.missing).unwrap().to_string();
    assert!(missing.contains("short_description") && missing.contains("zh-CN"), "{missing}");
    assert!(zh_bolt.completeness.score < 100);
});

db_test!(async fn merged_cells_and_formulas_make_their_rows_invalid(db) {
    let (app, _dir) = catalog_app(db).await;
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["sku", "product", "category", "name.en", "attr.thread_size", "attr.length", "attr.material"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let row = |ws: &mut rust_xlsxwriter::Worksheet, r: u32, sku: &str, key: &str| {
        for (c, v) in [sku, key, "hex-bolts", "Bolt", "M8", "20", "a2"].iter().enumerate() {
            ws.write_string(r, c as u16, *v).unwrap();
        }
    };
    row(ws, 1, "XL-1", "xl-one");
    row(ws, 2, "XL-2", "xl-two");
    row(ws, 3, "XL-3", "xl-three");
    // Someone merged the name cells of rows 3 and 4 in Excel.
    ws.merge_range(2, 3, 3, 3, "Merged bolt", &rust_xlsxwriter::Format::new()).unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let r = import::import_products(&app, None, "merged.xlsx", &bytes, &MapSource(media_files()), ImportOptions { mode: ImportMode::ValidRows, dry_run: false }, &|_, _, _| {}).await.unwrap();
    assert!(r.issues.iter().any(|i| i.row == 3 && i.reason.to_lowercase().contains("merged")), "{:#?}", r.issues);
    assert_eq!(r.rows_valid, 1, "{:#?}", r.issues);
    assert!(catalog::product_view(&app, "xl-one", None, None).await.unwrap().is_some());
    assert!(catalog::product_view(&app, "xl-two", None, None).await.unwrap().is_none(), "a row with merged cells is not half-imported");
});

// The importer parses, checks and writes 500 products at a time; the tests
// below use more than two batches' worth so that relations, refusals and
// bad rows cross batch boundaries.

/// `n` one-row products `p-0000`… with part numbers `SKU-0000`…, on rows
/// 2… of the file; `cells(i)` gives row `i`'s unit and accessories.
fn many_products(n: usize, cells: impl Fn(usize) -> (&'static str, String)) -> String {
    let mut csv = String::from("sku,product,name.en,unit,related.accessory\n");
    for i in 0..n {
        let (unit, related) = cells(i);
        csv.push_str(&format!(
            "SKU-{i:04},p-{i:04},Product {i},{unit},{related}\n"
        ));
    }
    csv
}

async fn related_slugs(app: &App, slug: &str) -> Vec<String> {
    let v = catalog::product_view(app, slug, None, None)
        .await
        .unwrap()
        .unwrap();
    let mut slugs: Vec<String> = v.related.iter().map(|r| r.slug.clone()).collect();
    slugs.sort();
    slugs
}

db_test!(async fn relations_reach_across_batches_by_key_and_part_number(db) {
    let (app, _dir) = catalog_app(db).await;
    let mut csv = many_products(1100, |i| {
        let related = match i {
            0 => "p-1050".to_string(),            // a later batch, by key
            1 => "SKU-1060".to_string(),          // a later batch, by part number
            600 => "p-0601".to_string(),          // the same batch
            1099 => "p-0002;SKU-0003".to_string(), // earlier batches
            _ => String::new(),
        };
        ("piece", related)
    });
    // A second row of the first product, at the very end of the file.
    csv.push_str("SKU-0000B,p-0000,,box,\n");
    let r = run(&app, "many.csv", csv.as_bytes(), ImportMode::ValidRows, false).await;
    assert!(r.issues.is_empty(), "{:#?}", r.issues);
    assert!(r.applied);
    assert_eq!((r.rows_total, r.rows_valid, r.products_created), (1101, 1101, 1100));
    assert_eq!(related_slugs(&app, "p-0000").await, ["p-1050"]);
    assert_eq!(related_slugs(&app, "p-0001").await, ["p-1060"]);
    assert_eq!(related_slugs(&app, "p-0600").await, ["p-0601"]);
    assert_eq!(related_slugs(&app, "p-1099").await, ["p-0002", "p-0003"]);
    let first = catalog::product_view(&app, "p-0000", None, None).await.unwrap().unwrap();
    assert_eq!(first.variants.iter().map(|v| v.sku.as_str()).collect::<Vec<_>>(), ["SKU-0000", "SKU-0000B"]);

    // The same file again changes nothing.
    let r = run(&app, "many.csv", csv.as_bytes(), ImportMode::AllOrNothing, false).await;
    assert!(r.issues.is_empty(), "{:#?}", r.issues);
    assert_eq!((r.products_created, r.products_updated, r.products_unchanged), (0, 0, 1100), "{}", r.summary);
});

db_test!(async fn all_or_nothing_refuses_a_bad_row_in_a_late_batch(db) {
    let (app, _dir) = catalog_app(db).await;
    let bad = many_products(1100, |i| (if i == 1080 { "bucket" } else { "piece" }, String::new()));
    let r = run(&app, "late.csv", bad.as_bytes(), ImportMode::AllOrNothing, false).await;
    assert!(!r.applied, "{}", r.summary);
    assert!(r.summary.contains("all-or-nothing"), "{}", r.summary);
    assert_eq!((r.rows_valid, r.rows_failed), (1099, 1));
    assert_eq!(r.issues.len(), 1, "{:#?}", r.issues);
    assert_eq!((r.issues[0].row, r.issues[0].column.as_str()), (1082, "unit"));
    // The batches before the bad row were written and rolled back.
    assert_eq!(catalog::count_products(&app).await.unwrap(), 0);

    let good = many_products(1100, |_| ("piece", String::new()));
    let r = run(&app, "late.csv", good.as_bytes(), ImportMode::AllOrNothing, false).await;
    assert!(r.applied && r.issues.is_empty(), "{:#?}", r.issues);
    assert_eq!(catalog::count_products(&app).await.unwrap(), 1100);
});

db_test!(async fn valid_rows_skips_bad_rows_in_several_batches(db) {
    let (app, _dir) = catalog_app(db).await;
    let csv = many_products(1100, |i| {
        let unit = if [5, 700, 1090].contains(&i) { "bucket" } else { "piece" };
        let related = match i {
            0 => "p-0700".to_string(),         // bad, in a later batch
            10 => "p-1090;p-0011".to_string(), // bad in a later batch, and a good one
            1095 => "p-0005".to_string(),      // bad, in an earlier batch
            _ => String::new(),
        };
        (unit, related)
    });
    let r = run(&app, "several.csv", csv.as_bytes(), ImportMode::ValidRows, false).await;
    assert!(r.applied);
    assert_eq!((r.rows_valid, r.rows_failed, r.products_created), (1097, 3, 1097), "{}", r.summary);
    let units: Vec<usize> = r.issues.iter().filter(|i| i.column == "unit").map(|i| i.row).collect();
    assert_eq!(units, [7, 702, 1092]);
    // Relations left out are reported last, in file order of their products.
    let left_out: Vec<(usize, &str)> = r.issues.iter().skip(3).map(|i| (i.row, i.column.as_str())).collect();
    assert_eq!(left_out, [(2, "related.accessory"), (12, "related.accessory"), (1097, "related.accessory")], "{:#?}", r.issues);
    assert!(r.issues[3].reason.contains("not imported"), "{:?}", r.issues[3]);
    for slug in ["p-0005", "p-0700", "p-1090"] {
        assert!(catalog::product_view(&app, slug, None, None).await.unwrap().is_none(), "{slug}");
    }
    assert!(related_slugs(&app, "p-0000").await.is_empty());
    assert_eq!(related_slugs(&app, "p-0010").await, ["p-0011"]);
    assert!(related_slugs(&app, "p-1095").await.is_empty());
});

db_test!(async fn an_unchanged_product_waits_for_its_relations_to_later_products(db) {
    let (app, _dir) = catalog_app(db).await;
    let base = many_products(1100, |_| ("piece", String::new()));
    let r = run(&app, "base.csv", base.as_bytes(), ImportMode::ValidRows, false).await;
    assert_eq!(r.products_created, 1100, "{}", r.summary);

    // p-0000 now names a new product at the end of the file, which is bad:
    // the relation is left out, so p-0000 is unchanged.
    let with_new = |unit: &str| {
        let mut csv = many_products(1100, |i| ("piece", if i == 0 { "p-new".to_string() } else { String::new() }));
        csv.push_str(&format!("SKU-NEW,p-new,New product,{unit},\n"));
        csv
    };
    let r = run(&app, "new.csv", with_new("bucket").as_bytes(), ImportMode::ValidRows, false).await;
    assert_eq!((r.products_created, r.products_updated, r.products_unchanged), (0, 0, 1100), "{}", r.summary);
    assert_eq!(r.rows_failed, 1);
    let last = r.issues.last().unwrap();
    assert_eq!((last.row, last.column.as_str()), (2, "related.accessory"), "{:#?}", r.issues);
    assert!(related_slugs(&app, "p-0000").await.is_empty());

    // A good new product: the relation is kept, so p-0000 changes.
    let r = run(&app, "new.csv", with_new("piece").as_bytes(), ImportMode::ValidRows, false).await;
    assert!(r.issues.is_empty(), "{:#?}", r.issues);
    assert_eq!((r.products_created, r.products_updated, r.products_unchanged), (1, 1, 1099), "{}", r.summary);
    assert_eq!(related_slugs(&app, "p-0000").await, ["p-new"]);
    let r = run(&app, "new.csv", with_new("piece").as_bytes(), ImportMode::AllOrNothing, false).await;
    assert_eq!((r.products_created, r.products_updated, r.products_unchanged), (0, 0, 1101), "{}", r.summary);
});
