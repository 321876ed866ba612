//! Per-market product texts: an override lies over the product's own texts
//! in its market only, survives re-imports, and blank text removes it.

use crate::catalog::{GOOD_CSV, catalog_app, run};
use mercato_app::AppError;
use mercato_app::auth::{self, ClientInfo, NewStaffUser};
use mercato_app::catalog::{self, ContentEdit};
use mercato_app::import::ImportMode;
use mercato_core::Lang;
use mercato_testkit::db_test;

db_test!(async fn a_market_shows_its_own_texts(db) {
    let (app, _dir) = catalog_app(db).await;
    run(&app, "p.csv", GOOD_CSV.as_bytes(), ImportMode::AllOrNothing, false).await;
    auth::create_staff_user(&app, None, NewStaffUser { email: "cat@example.com".into(), name: "Cat".into(), password: "correct horse battery".into(), role: "catalog".into() }, &ClientInfo::default()).await.unwrap();
    let signed = auth::sign_in(&app, "cat@example.com", "correct horse battery", &ClientInfo::default()).await.unwrap();
    let staff = auth::authenticate_bearer(&app, &signed.token).await.unwrap().unwrap();
    let en = Lang::en();
    let edit = |market: Option<&str>, name: &str, description: &str| ContentEdit {
        lang: en.clone(),
        market: market.map(str::to_string),
        name: name.into(),
        short_description: String::new(),
        description: description.into(),
        status: None,
    };

    let v = catalog::edit_product_content(&app, &staff, "hex-bolt-m8", edit(Some("eu"), "Hexagon head screw M8, CE", "")).await.unwrap();
    assert_eq!(v.name, "Hexagon head screw M8, CE");
    assert_eq!(v.market, "eu");
    let eu = catalog::product_view(&app, "hex-bolt-m8", Some("eu"), Some(&en)).await.unwrap().unwrap();
    assert_eq!(eu.name, "Hexagon head screw M8, CE");
    assert_eq!(eu.description.as_deref(), Some("Fully threaded hex bolt."), "a field the override lacks falls through");
    assert_eq!(eu.short_description.as_deref(), Some("DIN 933"), "an override's blank text is no override");
    let cn = catalog::product_view(&app, "hex-bolt-m8", Some("cn"), Some(&en)).await.unwrap().unwrap();
    assert_eq!(cn.name, "Hex bolt M8", "other markets keep the product's own text");
    let zh = Lang::zh_cn();
    catalog::edit_product_content(&app, &staff, "hex-bolt-m8", ContentEdit { lang: zh.clone(), ..edit(Some("cn"), "六角头螺栓 M8（国标）", "") }).await.unwrap();
    let cn_zh = catalog::product_view(&app, "hex-bolt-m8", Some("cn"), Some(&zh)).await.unwrap().unwrap();
    assert_eq!(cn_zh.name, "六角头螺栓 M8（国标）");
    let cn_en = catalog::product_view(&app, "hex-bolt-m8", Some("cn"), Some(&en)).await.unwrap().unwrap();
    assert_eq!(cn_en.name, "Hex bolt M8", "other languages keep the product's own text");
    // Related products show the market's texts too.
    let nut_list = catalog::list_products(&app, &Default::default(), Some("eu"), Some(&en), None, 10).await.unwrap();
    assert!(nut_list.items.iter().any(|p| p.name == "Hexagon head screw M8, CE"), "{:?}", nut_list.items.iter().map(|p| &p.name).collect::<Vec<_>>());

    // A re-import of the product's own texts leaves the override be.
    let changed = GOOD_CSV.replace("Fully threaded hex bolt.", "Fully threaded hex bolt with zinc flake.");
    let r = run(&app, "p.csv", changed.as_bytes(), ImportMode::AllOrNothing, false).await;
    assert!(r.applied && r.products_updated >= 1, "{r:?}");
    let eu = catalog::product_view(&app, "hex-bolt-m8", Some("eu"), Some(&en)).await.unwrap().unwrap();
    assert_eq!(eu.name, "Hexagon head screw M8, CE");
    assert_eq!(eu.description.as_deref(), Some("Fully threaded hex bolt with zinc flake."));

    // Blank text removes the override; the product's own name shows again.
    catalog::edit_product_content(&app, &staff, "hex-bolt-m8", edit(Some("eu"), "", "")).await.unwrap();
    let eu = catalog::product_view(&app, "hex-bolt-m8", Some("eu"), Some(&en)).await.unwrap().unwrap();
    assert_eq!(eu.name, "Hex bolt M8");
    // ...whereas the product itself must keep a name.
    let e = catalog::edit_product_content(&app, &staff, "hex-nut-m8", ContentEdit { lang: Lang::zh_cn(), ..edit(None, "", "") }).await;
    assert!(e.is_ok(), "removing one language keeps the English name");
    let e = catalog::edit_product_content(&app, &staff, "hex-nut-m8", edit(None, "", "")).await;
    assert!(matches!(e, Err(AppError::Invalid(_))), "{e:?}");
    let e = catalog::edit_product_content(&app, &staff, "hex-bolt-m8", edit(Some("mars"), "x", "")).await;
    assert!(matches!(&e, Err(AppError::Invalid(f)) if f[0].code == "unknown_market"), "{e:?}");
});
