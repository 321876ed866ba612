//! Loads the generated demo catalog into an empty
//! database, through the same use cases as a real catalog: markets,
//! attributes and categories first, then the product spreadsheet through the
//! importer, all-or-nothing.

use mercato_app::catalog::{self, CategoryInput};
use mercato_app::import::{self, ImportMode, ImportOptions, ImportReport, MapSource};
use mercato_app::{App, AppError, search};

/// Synonym groups a hardware wholesaler starts with: trade words, English
/// and Chinese names of the same thing.
pub const DEMO_SYNONYMS: &[&[&str]] = &[
    &["螺栓", "bolt"],
    &["螺丝", "螺钉", "screw"],
    &["内六角", "hex socket", "socket head"],
    &["allen key", "hex key", "内六角扳手"],
    &["MCB", "miniature circuit breaker", "小型断路器"],
    &[
        "RCD",
        "RCCB",
        "residual current circuit breaker",
        "漏电保护器",
    ],
    &["impact gun", "impact wrench", "冲击扳手", "风炮"],
    &["rawlplug", "wall plug", "膨胀管"],
    &["spanner", "wrench", "扳手"],
    &["不锈钢", "stainless", "inox"],
];

/// What loading demo data did.
pub enum DemoOutcome {
    Loaded(Box<ImportReport>),
    /// The catalog already had products; nothing was added.
    NotEmpty,
}

/// Loads the demo catalog unless the catalog already has products.
pub async fn load(app: &App) -> Result<DemoOutcome, AppError> {
    if catalog::count_products(app).await? > 0 {
        return Ok(DemoOutcome::NotEmpty);
    }
    let demo = tokio::task::spawn_blocking(crate::demo_catalog)
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    load_taxonomy(app, &demo).await?;
    for group in DEMO_SYNONYMS {
        let terms: Vec<String> = group.iter().map(|t| t.to_string()).collect();
        search::save_synonym_group(app, None, None, &terms).await?;
    }
    let csv = import::write_sheet_csv(&demo.headers, &demo.rows);
    let skus = sku_weights(&demo);
    let files = demo.files.into_iter().collect();
    let report = import::import_products(
        app,
        None,
        "demo-catalog.csv",
        &csv,
        &MapSource(files),
        ImportOptions {
            mode: ImportMode::AllOrNothing,
            dry_run: false,
        },
        &|_, _, _| {},
    )
    .await?;
    crate::companies::load_companies(app).await?;
    crate::commerce::load_commerce(app, &skus).await?;
    Ok(DemoOutcome::Loaded(Box::new(report)))
}

/// Every demo SKU with its unit weight in grams (what demo prices follow).
fn sku_weights(demo: &crate::DemoCatalog) -> Vec<(String, u64)> {
    let (Some(sku), weight) = (demo.column("sku"), demo.column("weight_kg")) else {
        return Vec::new();
    };
    demo.rows
        .iter()
        .filter_map(|r| {
            let grams = weight
                .and_then(|w| r.get(w))
                .and_then(|kg| kg.parse::<rust_decimal::Decimal>().ok())
                .and_then(|kg| {
                    rust_decimal::prelude::ToPrimitive::to_u64(
                        &(kg * rust_decimal::Decimal::from(1000)).round(),
                    )
                })
                .map_or(100, |g| g.max(1));
            Some((r.get(sku)?.clone(), grams))
        })
        .collect()
}

/// Markets, attributes and the category tree of the demo catalog.
pub async fn load_taxonomy(app: &App, demo: &crate::DemoCatalog) -> Result<(), AppError> {
    for m in &demo.markets {
        catalog::save_market(app, None, m.clone()).await?;
    }
    for a in &demo.attributes {
        catalog::save_attribute(app, None, a.clone()).await?;
    }
    // Parents before children, whatever order the list has.
    let mut pending = demo.categories.clone();
    let mut rounds = 0;
    while !pending.is_empty() && rounds < 64 {
        let known: Vec<String> = catalog::categories(app)
            .await?
            .into_iter()
            .map(|c| c.slug.to_string())
            .collect();
        let (ready, later): (Vec<_>, Vec<_>) = pending
            .into_iter()
            .partition(|c| c.parent.as_ref().is_none_or(|p| known.contains(p)));
        for c in ready {
            catalog::save_category(
                app,
                None,
                CategoryInput {
                    slug: c.slug,
                    parent: c.parent,
                    name: c.name,
                    position: c.position,
                    attributes: c.attributes,
                },
            )
            .await?;
        }
        pending = later;
        rounds += 1;
    }
    Ok(())
}
