//! Mercato's demo catalog: a realistic industrial-supply range (fasteners,
//! tools, electrical, safety equipment, pneumatics) for a manufacturer and
//! wholesaler selling in China and Europe, generated deterministically from
//! data tables in this crate, without reading any file.
//!
//! The output is what an import needs: markets, brands, typed attributes,
//! the category tree, and the product spreadsheet in the format of
//! `docs/catalog-import.md` (headers and one row per SKU) with every picture
//! and datasheet it references. [`scaled_catalog`] makes the same catalog
//! as large as a load test needs.
#![forbid(unsafe_code)]

mod commerce;
pub mod companies;
mod electrical;
mod fasteners;
pub mod load;
mod media;
mod model;
mod pneumatics;
mod safety;
mod sheet;
mod taxonomy;
mod tools;

use mercato_core::LocalizedText;
use mercato_core::attribute::AttributeDef;
use mercato_core::catalog::CategoryAttribute;
use mercato_core::market::Market;
use model::Product;
use std::collections::{BTreeSet, HashSet};

/// A category of the demo tree, named by slug; its parent by the parent's slug.
#[derive(Clone, Debug, PartialEq)]
pub struct DemoCategory {
    /// URL slug, unique in the tree (`hex-bolts`).
    pub slug: String,
    /// The parent's slug; `None` for a top-level category.
    pub parent: Option<String>,
    /// Name in Simplified Chinese and English.
    pub name: LocalizedText,
    /// Order among its siblings.
    pub position: i32,
    /// Attributes products of this category carry, and which are required.
    pub attributes: Vec<CategoryAttribute>,
}

/// Everything needed to load the demo catalog.
#[derive(Clone, Debug, PartialEq)]
pub struct DemoCatalog {
    /// `cn` (CNY, online buying, default) and `eu` (EUR, digital catalog).
    pub markets: Vec<Market>,
    /// Invented brand names.
    pub brands: Vec<String>,
    /// Typed attribute definitions.
    pub attributes: Vec<AttributeDef>,
    /// The category tree, parents before children.
    pub categories: Vec<DemoCategory>,
    /// The spreadsheet's header row.
    pub headers: Vec<String>,
    /// One row per SKU, aligned to `headers`; the rows of a product are
    /// together, and product-level columns (names, descriptions, brand,
    /// category, images, documents, relations, markets) are filled on its
    /// first row only, as the format allows.
    pub rows: Vec<Vec<String>>,
    /// Every file `images` and `documents` name, with its bytes, by name.
    pub files: Vec<(String, Vec<u8>)>,
}

impl DemoCatalog {
    /// The column index of a header.
    pub fn column(&self, header: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == header)
    }
}

/// The demo catalog: about 380 products and 2,000+ SKUs.
pub fn demo_catalog() -> DemoCatalog {
    assemble(products())
}

/// The demo catalog grown to at least `skus` rows for load tests: after the
/// demo products come numbered copies ("series 2", "series 3", …) with
/// suffixed product keys and part numbers (`HB933-M8X20-A2-S2`), their own
/// GTINs, and relations pointing within their series. Pictures and
/// datasheets are shared.
pub fn scaled_catalog(skus: usize) -> DemoCatalog {
    let base = products();
    let base_skus: usize = base.iter().map(|p| p.variants.len()).sum();
    let mut all = base.clone();
    let mut count = base_skus;
    let mut series = 2;
    while count < skus && base_skus > 0 {
        for p in &base {
            if count >= skus {
                break;
            }
            all.push(series_copy(p, series));
            count += p.variants.len();
        }
        series += 1;
    }
    resolve_series_links(&mut all);
    assemble(all)
}

/// Every demo product, in catalog order.
fn products() -> Vec<Product> {
    let mut all = fasteners::products();
    all.extend(tools::products());
    all.extend(electrical::products());
    all.extend(safety::products());
    all.extend(pneumatics::products());
    all
}

fn series_copy(p: &Product, series: u32) -> Product {
    let mut c = p.clone();
    c.series = series;
    c.key = format!("{}-s{series}", p.key);
    c.name.en = format!("{} (series {series})", p.name.en);
    c.name.zh = format!("{}（系列 {series}）", p.name.zh);
    for v in &mut c.variants {
        v.sku = format!("{}-S{series}", v.sku);
        if let Some(m) = &mut v.mpn {
            m.push_str(&format!("-S{series}"));
        }
    }
    c
}

/// Points the relations and replacement part numbers of series copies at
/// their own series where that copy exists, else at the demo original.
fn resolve_series_links(all: &mut [Product]) {
    let keys: HashSet<String> = all.iter().map(|p| p.key.clone()).collect();
    let skus: HashSet<String> = all
        .iter()
        .flat_map(|p| p.variants.iter().map(|v| v.sku.clone()))
        .collect();
    for p in all.iter_mut().filter(|p| p.series > 0) {
        let s = p.series;
        for list in [
            &mut p.accessory,
            &mut p.spare_part,
            &mut p.replacement,
            &mut p.similar,
        ] {
            for key in list.iter_mut() {
                let own = format!("{key}-s{s}");
                if keys.contains(&own) {
                    *key = own;
                }
            }
        }
        for v in &mut p.variants {
            if let Some(r) = &mut v.replacement_sku {
                let own = format!("{r}-S{s}");
                if skus.contains(&own) {
                    *r = own;
                }
            }
        }
    }
}

fn assemble(products: Vec<Product>) -> DemoCatalog {
    let mut names: BTreeSet<String> = BTreeSet::new();
    for p in &products {
        names.extend(p.images.iter().cloned());
        names.extend(p.documents.iter().map(|d| (*d).to_string()));
    }
    let files = media::files(&names);
    DemoCatalog {
        markets: taxonomy::markets(),
        brands: taxonomy::BRANDS.iter().map(|b| (*b).to_string()).collect(),
        attributes: taxonomy::attribute_defs(),
        categories: taxonomy::categories(),
        headers: sheet::headers(),
        rows: sheet::rows(&products),
        files,
    }
}
