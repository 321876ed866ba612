//! The search index fed from the database: rebuild, catching up from the
//! outbox (products, taxonomy, synonyms), the cursor kept in the index, and
//! the product search with facets, on both databases.

use super::catalog::{GOOD_CSV, catalog_taxonomy, run};
use mercato_app::catalog::{self, CategoryInput};
use mercato_app::import::ImportMode;
use mercato_app::search::{self, ProductQuery};
use mercato_app::{App, AppError, AppSettings};
use mercato_core::{Lang, LocalizedText};
use mercato_testkit::db_test;

fn search_app(db: mercato_app::Db, dir: &std::path::Path) -> App {
    App::new(
        db,
        AppSettings {
            media_dir: Some(dir.join("media")),
            search_dir: Some(dir.join("search")),
            ..super::test_app_settings()
        },
    )
}

async fn find(app: &App, text: &str) -> Vec<String> {
    let q = ProductQuery {
        text: Some(text.into()),
        ..Default::default()
    };
    search::search_products(app, &q, None, Some(&Lang::zh_cn()), None, 20)
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|s| s.slug)
        .collect()
}

async fn catch_up(app: &App) {
    let index = app.search().unwrap().index().clone();
    search::catch_up(app, &index).await.unwrap();
    assert_eq!(search::lag(app, &index).await.unwrap(), 0);
}

db_test!(async fn the_index_follows_the_catalog(db) {
    let dir = tempfile::tempdir().unwrap();
    let app = search_app(db.clone(), dir.path());
    catalog_taxonomy(&app).await;
    let r = run(&app, "p.csv", GOOD_CSV.as_bytes(), ImportMode::ValidRows, false).await;
    assert!(r.applied);
    let index = app.search().unwrap().index().clone();
    assert_eq!(index.cursor(), None, "a new index has applied nothing");
    // The catalog's own Chinese names extend the word splitter.
    let words = search::catalog_dictionary(app.db()).await.unwrap();
    assert!(words.contains(&"紧固件".to_string()) && words.contains(&"外六角螺栓".to_string()), "{words:?}");

    // A rebuild indexes everything and remembers where the outbox was.
    let n = search::rebuild(&app, &index, &|_, _| {}).await.unwrap();
    assert_eq!(n, 2);
    assert_eq!(search::lag(&app, &index).await.unwrap(), 0);
    assert_eq!(find(&app, "hb m8x20 a2").await, ["hex-bolt-m8"], "part number, folded");
    assert_eq!(find(&app, "六角螺母").await.first().map(String::as_str), Some("hex-nut-m8"));
    assert!(find(&app, "螺栓").await.contains(&"hex-bolt-m8".to_string()));

    // A change applied from the outbox: a new product through import.
    let csv = "sku,product,brand,category,name.en,name.zh-CN,attr.thread_size,attr.length,attr.material\n\
               WS-M8-A2,washer-m8,Norsteel,hex-bolts,Washer M8,平垫圈 M8,M8,1.6,a2\n";
    let r = run(&app, "w.csv", csv.as_bytes(), ImportMode::ValidRows, false).await;
    assert!(r.applied, "{:?}", r.issues);
    assert!(find(&app, "垫圈").await.is_empty(), "not applied yet");
    catch_up(&app).await;
    assert_eq!(find(&app, "垫圈").await, ["washer-m8"]);

    // Replaying the same events (a crash before the commit) changes nothing.
    let before = index.num_docs();
    search::catch_up(&app, &index).await.unwrap();
    assert_eq!(index.num_docs(), before);

    // A category renamed: every product in it is re-indexed with the new words.
    catalog::save_category(&app, None, CategoryInput {
        slug: "hex-bolts".into(),
        parent: Some("fasteners".into()),
        name: LocalizedText::from_pairs([("en", "Hex bolts"), ("zh-CN", "六角头螺栓")]).unwrap(),
        position: 1,
        attributes: vec![],
    }).await.unwrap();
    catch_up(&app).await;
    assert_eq!(find(&app, "六角头螺栓").await.len(), 3);

    // Synonyms apply without a reindex, on every node through the outbox.
    assert!(find(&app, "rondelle").await.is_empty());
    search::save_synonym_group(&app, None, None, &["rondelle".into(), "washer".into()]).await.unwrap();
    catch_up(&app).await;
    assert_eq!(find(&app, "rondelle").await, ["washer-m8"]);
    let bad = search::save_synonym_group(&app, None, None, &["only one".into()]).await;
    assert!(matches!(bad, Err(AppError::Invalid(_))));

    // The cursor lives in the index: a restarted node resumes where it was.
    let cursor = index.cursor();
    assert!(cursor.is_some());
    drop(index);
    drop(app);
    let app = search_app(db, dir.path());
    let index = app.search().unwrap().index().clone();
    assert_eq!(index.cursor(), cursor);
    search::load_synonyms(&app, &index).await.unwrap(); // what the indexer does first
    assert_eq!(find(&app, "rondelle").await, ["washer-m8"]);
    assert_eq!(find(&app, "垫圈").await, ["washer-m8"], "the documents survived the restart");
});

db_test!(async fn facets_filters_and_bad_input(db) {
    let dir = tempfile::tempdir().unwrap();
    let app = search_app(db, dir.path());
    catalog_taxonomy(&app).await;
    assert!(run(&app, "p.csv", GOOD_CSV.as_bytes(), ImportMode::ValidRows, false).await.applied);
    let index = app.search().unwrap().index().clone();
    search::rebuild(&app, &index, &|_, _| {}).await.unwrap();
    let en = Lang::en();
    let page = |q: ProductQuery| {
        let app = app.clone();
        let en = en.clone();
        async move { search::search_products(&app, &q, None, Some(&en), None, 20).await }
    };

    let all = page(ProductQuery::default()).await.unwrap();
    assert_eq!(all.total, 2);
    let cats = &all.facets["category"];
    assert!(cats.iter().any(|c| c.value == "fasteners" && c.count == 2 && c.label == "Fasteners"), "{cats:?}");
    let material = &all.facets["attr.material"];
    assert_eq!(material[0].value, "a2");
    assert_eq!(material[0].label, "Stainless steel A2");
    let length = &all.ranges["attr.length"];
    assert_eq!((length.min, length.max, length.unit.as_deref()), (Some(6.5), Some(30.0), Some("mm")));

    // A range on a number attribute, in its unit.
    let q = ProductQuery { attributes: vec![("length".into(), "10..40".into())], ..Default::default() };
    let r = page(q).await.unwrap();
    assert_eq!(r.items.iter().map(|s| s.slug.as_str()).collect::<Vec<_>>(), ["hex-bolt-m8"]);
    // The brand facet still counts what the other filters leave.
    assert_eq!(r.facets["brand"].iter().map(|b| b.count).sum::<u64>(), 1);

    // Bad filters are 422s naming the field.
    for (q, field, code) in [
        (ProductQuery { attributes: vec![("colour".into(), "red".into())], ..Default::default() }, "attr.colour", "unknown_filter"),
        (ProductQuery { attributes: vec![("length".into(), "40..10".into())], ..Default::default() }, "attr.length", "invalid_filter"),
        (ProductQuery { attributes: vec![("material".into(), "1..2".into())], ..Default::default() }, "attr.material", "invalid_range"),
        (ProductQuery { categories: vec!["nope".into()], ..Default::default() }, "category", "unknown_category"),
        (ProductQuery { sort: Some("cheapest".into()), ..Default::default() }, "sort", "unknown_sort"),
    ] {
        match page(q).await {
            Err(AppError::Invalid(errors)) => {
                assert_eq!((errors[0].field.as_str(), errors[0].code.as_str()), (field, code), "{errors:?}");
            }
            other => panic!("{field}: expected a 422, got {other:?}"),
        }
    }
    // Query syntax is text, never an error.
    for text in ["\"", "(((", "a AND OR", "title:x", "*", "~~~", &"x".repeat(5000)] {
        let q = ProductQuery { text: Some(text.to_string()), ..Default::default() };
        assert!(page(q).await.is_ok(), "{text:?}");
    }
    let bad_cursor = search::search_products(&app, &ProductQuery::default(), None, None, Some("@@not-a-cursor"), 10).await;
    assert!(matches!(bad_cursor, Err(AppError::Invalid(_))));

    // Suggestions as one types.
    let s = search::suggest(&app, "HB-M8", None, Some(&en), 8).await.unwrap();
    assert!(s.iter().any(|x| x.kind == "part_number" && x.value.starts_with("HB-M8")), "{s:?}");
    let s = search::suggest(&app, "hex", None, Some(&en), 8).await.unwrap();
    assert!(s.iter().any(|x| x.kind == "product" && x.url == "/p/hex-bolt-m8"), "{s:?}");
});
