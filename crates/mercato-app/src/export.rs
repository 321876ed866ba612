//! Catalog export in the import format (`docs/catalog-import.md`), so that
//! export → import changes nothing.

use crate::auth::Principal;
use crate::{App, AppError};
use mercato_core::catalog::RelationKind;
use mercato_core::{Lang, LocalizedText, Permission, ProductId};
use mercato_store::catalog as store;
use std::collections::{BTreeSet, HashMap};

/// The catalog as a table: `(headers, rows)`, one row per SKU, products in slug order.
pub async fn export_products(
    app: &App,
    actor: Option<&Principal>,
) -> Result<(Vec<String>, Vec<Vec<String>>), AppError> {
    if let Some(p) = actor {
        p.require(Permission::ManageCatalog, "export the catalog")?;
    }
    let db = app.db();
    let brands: HashMap<_, _> = store::list_brands(db)
        .await?
        .into_iter()
        .map(|b| (b.id, b.name))
        .collect();
    let categories: HashMap<_, _> = store::list_categories(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.slug.to_string()))
        .collect();
    let mut slugs = store::slug_index(db).await?;
    slugs.sort();
    let slug_of: HashMap<ProductId, String> =
        slugs.iter().map(|(s, id)| (*id, s.clone())).collect();
    let ids: Vec<ProductId> = slugs.iter().map(|(_, id)| *id).collect();

    // First pass: which languages and attributes occur, so columns are stable.
    let mut products = Vec::with_capacity(ids.len());
    let mut media = HashMap::new();
    let mut relations: HashMap<ProductId, Vec<(String, ProductId)>> = HashMap::new();
    for chunk in ids.chunks(500) {
        products.extend(store::load_products(db, chunk).await?);
        media.extend(store::media_of(db, chunk).await?);
        for r in store::relations_of(db, chunk).await? {
            if chunk.contains(&r.product) {
                let list = relations.entry(r.product).or_default();
                if !list.iter().any(|(k, p)| k == &r.kind && *p == r.related) {
                    list.push((r.kind, r.related));
                }
            }
        }
    }
    let mut langs: BTreeSet<Lang> = BTreeSet::new();
    let mut attrs: BTreeSet<String> = BTreeSet::new();
    for p in &products {
        for t in [
            &p.name,
            &p.short_description,
            &p.description,
            &p.meta_title,
            &p.meta_description,
        ] {
            langs.extend(t.langs().cloned());
        }
        for v in &p.variants {
            attrs.extend(v.attributes.keys().map(|k| k.as_str().to_string()));
        }
    }
    let langs: Vec<Lang> = langs.into_iter().collect();
    let text_fields = [
        "name",
        "short_description",
        "description",
        "meta_title",
        "meta_description",
    ];
    let mut headers: Vec<String> = ["sku", "product", "status", "brand", "category"]
        .map(String::from)
        .to_vec();
    for f in text_fields {
        headers.extend(langs.iter().map(|l| format!("{f}.{l}")));
    }
    headers.extend(
        [
            "gtin",
            "mpn",
            "unit",
            "pack_size",
            "min_quantity",
            "quantity_step",
            "weight_kg",
            "length_mm",
            "width_mm",
            "height_mm",
            "variant_status",
            "replacement_sku",
        ]
        .map(String::from),
    );
    headers.extend(attrs.iter().map(|a| format!("attr.{a}")));
    headers.extend(["images", "documents", "video"].map(String::from));
    headers.extend(
        RelationKind::ALL
            .iter()
            .map(|k| format!("related.{}", k.code())),
    );
    headers.push("markets".into());

    let text_cols = |t: &LocalizedText| {
        langs
            .iter()
            .map(|l| t.get(l).unwrap_or_default().to_string())
            .collect::<Vec<_>>()
    };
    let dec =
        |d: Option<rust_decimal::Decimal>| d.map(|x| x.normalize().to_string()).unwrap_or_default();
    let mut rows = Vec::new();
    for p in &products {
        let ms = media.get(&p.id).map(Vec::as_slice).unwrap_or(&[]);
        let join = |kind: &str| {
            ms.iter()
                .filter(|m| m.kind == kind)
                .map(|m| m.file_name.clone())
                .collect::<Vec<_>>()
                .join(";")
        };
        let documents = ms
            .iter()
            .filter(|m| m.kind == "document")
            .map(|m| {
                let lang = m.lang.clone().unwrap_or_default();
                let title = m
                    .lang
                    .as_deref()
                    .and_then(|l| Lang::parse(l).ok())
                    .and_then(|l| m.title.get(&l).map(str::to_string))
                    .unwrap_or_default();
                match (lang.is_empty(), title.is_empty()) {
                    (true, true) => m.file_name.clone(),
                    (_, true) => format!("{}|{lang}", m.file_name),
                    _ => format!("{}|{lang}|{title}", m.file_name),
                }
            })
            .collect::<Vec<_>>()
            .join(";");
        let rel = relations.get(&p.id).cloned().unwrap_or_default();
        let related: Vec<String> = RelationKind::ALL
            .iter()
            .map(|k| {
                rel.iter()
                    .filter(|(kind, _)| kind == k.code())
                    .filter_map(|(_, id)| slug_of.get(id).cloned())
                    .collect::<Vec<_>>()
                    .join(";")
            })
            .collect();
        for v in &p.variants {
            let mut row = vec![
                v.sku.to_string(),
                p.slug.to_string(),
                p.status.code().to_string(),
                p.brand
                    .and_then(|b| brands.get(&b).cloned())
                    .unwrap_or_default(),
                p.category
                    .and_then(|c| categories.get(&c).cloned())
                    .unwrap_or_default(),
            ];
            for t in [
                &p.name,
                &p.short_description,
                &p.description,
                &p.meta_title,
                &p.meta_description,
            ] {
                row.extend(text_cols(t));
            }
            row.extend([
                v.gtin
                    .as_ref()
                    .map(|g| g.as_str().to_string())
                    .unwrap_or_default(),
                v.mpn.clone().unwrap_or_default(),
                v.unit.code().to_string(),
                v.pack_size.to_string(),
                v.min_quantity.normalize().to_string(),
                v.quantity_step.normalize().to_string(),
                dec(v.weight_kg),
                dec(v.length_mm),
                dec(v.width_mm),
                dec(v.height_mm),
                if v.status == p.status {
                    String::new()
                } else {
                    v.status.code().to_string()
                },
                v.replacement_sku
                    .as_ref()
                    .map(|s| s.to_string())
                    .unwrap_or_default(),
            ]);
            for a in &attrs {
                row.push(
                    v.attributes
                        .iter()
                        .find(|(k, _)| k.as_str() == a)
                        .map(|(_, val)| val.to_cell())
                        .unwrap_or_default(),
                );
            }
            row.push(join("image"));
            row.push(documents.clone());
            row.push(
                ms.iter()
                    .find(|m| m.kind == "video")
                    .map(|m| m.url.clone().unwrap_or_else(|| m.file_name.clone()))
                    .unwrap_or_default(),
            );
            row.extend(related.iter().cloned());
            row.push(p.markets.join(";"));
            rows.push(row);
        }
    }
    Ok((headers, rows))
}

/// The catalog as a CSV file (UTF-8 with BOM, so Excel shows Chinese right).
pub async fn export_csv(app: &App, actor: Option<&Principal>) -> Result<Vec<u8>, AppError> {
    let (headers, rows) = export_products(app, actor).await?;
    Ok(mercato_docs::write_csv(&headers, &rows))
}

/// The catalog as an XLSX workbook (every cell text, so part numbers keep leading zeros).
pub async fn export_xlsx(app: &App, actor: Option<&Principal>) -> Result<Vec<u8>, AppError> {
    let (headers, rows) = export_products(app, actor).await?;
    mercato_docs::write_xlsx(&headers, &rows).map_err(|e| AppError::Internal(e.to_string()))
}
