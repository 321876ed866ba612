//! The importer on data nobody here wrote: the UCI Online Retail product
//! list (4,070 stock codes of a wholesaler, `../shared/data`). Skipped with a
//! message when the shared data folder is not beside the clone.

use super::catalog::catalog_app;
use mercato_app::catalog::{self, ListQuery};
use mercato_app::import::{self, ImportMode, ImportOptions, MapSource};
use mercato_core::catalog::Slug;
use mercato_testkit::db_test;
use std::collections::HashMap;
use std::io::Read;

fn online_retail_sheet() -> Option<(Vec<u8>, usize)> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/online_retail/online_retail_products.csv.gz");
    let Ok(file) = std::fs::File::open(&path) else {
        eprintln!("SKIPPED: {} not found", path.display());
        return None;
    };
    let mut text = String::new();
    flate2::read::GzDecoder::new(file)
        .read_to_string(&mut text)
        .unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(["sku", "product", "name.en", "unit"])
        .unwrap();
    let mut n = 0;
    for rec in reader.records() {
        let rec = rec.unwrap();
        let (code, description) = (&rec[0], &rec[1]);
        // Their stock codes become our part numbers; one product per code.
        let key = Slug::from_text(code)
            .map(|s| format!("or-{s}"))
            .unwrap_or_default();
        out.write_record([code, &key, description, "piece"])
            .unwrap();
        n += 1;
    }
    Some((out.into_inner().unwrap(), n))
}

db_test!(async fn imports_the_online_retail_product_list(db) {
    let Some((csv, rows)) = online_retail_sheet() else { return };
    assert_eq!(rows, 4070);
    let (app, _dir) = catalog_app(db).await;
    let r = import::import_products(&app, None, "online_retail_products.csv", &csv, &MapSource(HashMap::new()), ImportOptions { mode: ImportMode::ValidRows, dry_run: false }, &|_, _, _| {}).await.unwrap();
    assert!(r.applied);
    assert_eq!(r.rows_total, 4070);
    // What this real file contains, and the importer must report rather
    // than swallow: ~110 stock codes without any description (no name), and
    // codes differing only in case (82001S / 82001s) that land in one
    // product with conflicting names.
    let mut kinds: Vec<String> = r.issues.iter().map(|i| format!("{}: {}", i.column, i.reason.chars().take(60).collect::<String>())).collect();
    kinds.sort();
    kinds.dedup();
    assert!(r.rows_valid > 3900, "{} {kinds:#?}", r.summary);
    assert!(r.products_created > 3800, "{}", r.summary);
    for i in &r.issues {
        assert!(i.column.starts_with("name") || i.reason.contains("skipped"), "unexpected issue {i:?}");
        assert!(i.row >= 2, "row numbers point into the file: {i:?}");
    }
    let (pid, _) = catalog::find_sku(&app, "85123A").await.unwrap().unwrap();
    let view = catalog::product_view(&app, &pid.to_string(), None, Some(&mercato_core::Lang::en())).await.unwrap().unwrap();
    assert_eq!(view.name, "WHITE HANGING HEART T-LIGHT HOLDER");
    let page = catalog::list_products(&app, &ListQuery { text: Some("85123".into()), ..Default::default() }, None, None, None, 10).await.unwrap();
    assert!(page.items.iter().any(|p| p.skus.contains(&"85123A".to_string())));
});
