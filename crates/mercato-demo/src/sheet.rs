//! Turns products into the columns and rows of the catalog spreadsheet
//! (docs/catalog-import.md): one row per SKU; product-level columns are
//! given once, on the first row of each product.

use crate::model::{Product, kg};
use crate::taxonomy::ATTRIBUTES;
use std::collections::HashMap;

/// Columns before the attributes.
const LEAD: &[&str] = &[
    "sku",
    "product",
    "status",
    "brand",
    "category",
    "name.zh-CN",
    "name.en",
    "short_description.zh-CN",
    "short_description.en",
    "description.zh-CN",
    "description.en",
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
];

/// Columns after the attributes.
const TAIL: &[&str] = &[
    "images",
    "documents",
    "related.accessory",
    "related.spare_part",
    "related.replacement",
    "related.similar",
    "markets",
];

/// The header row: fixed columns, then `attr.<code>` for every attribute.
pub(crate) fn headers() -> Vec<String> {
    LEAD.iter()
        .map(|h| (*h).to_string())
        .chain(ATTRIBUTES.iter().map(|a| format!("attr.{}", a.code)))
        .chain(TAIL.iter().map(|h| (*h).to_string()))
        .collect()
}

/// A GTIN-13 with the fake GS1 company prefix 697012 (China range 690–699)
/// and a valid check digit.
pub(crate) fn gtin13(n: u64) -> String {
    let body = format!("697012{:06}", n % 1_000_000);
    let body = if n >= 1_000_000 {
        // Scaled catalogs: borrow further prefixes 6971xx… to stay unique.
        format!("6971{:08}", n % 100_000_000)
    } else {
        body
    };
    let sum: u32 = body
        .chars()
        .rev()
        .filter_map(|c| c.to_digit(10))
        .enumerate()
        .map(|(i, d)| if i % 2 == 0 { d * 3 } else { d })
        .sum();
    format!("{body}{}", (10 - sum % 10) % 10)
}

/// Rows for `products`, aligned to [`headers`]. GTINs are numbered in order.
pub(crate) fn rows(products: &[Product]) -> Vec<Vec<String>> {
    let headers = headers();
    let col: HashMap<&str, usize> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| (h.as_str(), i))
        .collect();
    let attr_col: HashMap<&str, usize> = ATTRIBUTES
        .iter()
        .enumerate()
        .map(|(i, a)| (a.code, LEAD.len() + i))
        .collect();
    let idx = |name: &str| col.get(name).copied().unwrap_or(0);
    let c_sku = idx("sku");
    let c_product = idx("product");
    let c_gtin = idx("gtin");
    let c_mpn = idx("mpn");
    let c_unit = idx("unit");
    let c_pack = idx("pack_size");
    let c_min = idx("min_quantity");
    let c_step = idx("quantity_step");
    let c_weight = idx("weight_kg");
    let c_len = idx("length_mm");
    let c_wid = idx("width_mm");
    let c_hei = idx("height_mm");
    let c_vstatus = idx("variant_status");
    let c_repl = idx("replacement_sku");

    let total: usize = products.iter().map(|p| p.variants.len()).sum();
    let mut out = Vec::with_capacity(total);
    let mut next_gtin: u64 = 1;
    for p in products {
        for (i, v) in p.variants.iter().enumerate() {
            let mut row = vec![String::new(); headers.len()];
            row[c_sku] = v.sku.clone();
            row[c_product] = p.key.clone();
            if i == 0 {
                let product_cells: [(&str, String); 16] = [
                    ("status", p.status.code().to_string()),
                    ("brand", p.brand.to_string()),
                    ("category", p.category.to_string()),
                    ("name.zh-CN", p.name.zh.clone()),
                    ("name.en", p.name.en.clone()),
                    ("short_description.zh-CN", p.short.zh.clone()),
                    ("short_description.en", p.short.en.clone()),
                    ("description.zh-CN", p.desc.zh.clone()),
                    ("description.en", p.desc.en.clone()),
                    ("images", p.images.join(";")),
                    (
                        "documents",
                        p.documents
                            .iter()
                            .map(|d| format!("{d}|en|Datasheet"))
                            .collect::<Vec<_>>()
                            .join(";"),
                    ),
                    ("related.accessory", p.accessory.join(";")),
                    ("related.spare_part", p.spare_part.join(";")),
                    ("related.replacement", p.replacement.join(";")),
                    ("related.similar", p.similar.join(";")),
                    ("markets", p.markets.to_string()),
                ];
                for (name, value) in product_cells {
                    row[idx(name)] = value;
                }
            }
            if v.gtin {
                row[c_gtin] = gtin13(next_gtin);
                next_gtin += 1;
            }
            if let Some(mpn) = &v.mpn {
                row[c_mpn] = mpn.clone();
            }
            row[c_unit] = v.unit.to_string();
            row[c_pack] = v.pack_size.to_string();
            row[c_min] = v.min_quantity.to_string();
            row[c_step] = v.quantity_step.to_string();
            row[c_weight] = kg(v.weight_g.max(1));
            if let Some([l, w, h]) = v.dims_mm {
                row[c_len] = l.to_string();
                row[c_wid] = w.to_string();
                row[c_hei] = h.to_string();
            }
            if let Some(s) = v.status {
                row[c_vstatus] = s.code().to_string();
            }
            if let Some(r) = &v.replacement_sku {
                row[c_repl] = r.clone();
            }
            for (code, value) in &v.attrs {
                if let Some(c) = attr_col.get(code) {
                    row[*c] = value.clone();
                }
            }
            out.push(row);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gtins_have_valid_check_digits() {
        for n in [1, 2, 999_999, 1_000_000, 12_345_678] {
            let g = gtin13(n);
            assert_eq!(g.len(), 13, "{g}");
            assert!(mercato_core::catalog::Gtin::parse(&g).is_ok(), "{g}");
        }
        assert_ne!(gtin13(1), gtin13(2));
    }
}
