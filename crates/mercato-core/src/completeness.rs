//! PIM completeness (C15): how ready a product is to be shown in one market
//! and language, and what is missing.

use crate::attribute::AttrCode;
use crate::catalog::{CategoryAttribute, Product};
use crate::locale::Lang;
use serde::Serialize;

/// Something a product lacks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "what", rename_all = "snake_case")]
pub enum Missing {
    Name {
        lang: String,
    },
    ShortDescription {
        lang: String,
    },
    Description {
        lang: String,
    },
    Image,
    Brand,
    Category,
    /// A required attribute of the product's category, on one variant.
    Attribute {
        code: String,
        sku: String,
    },
    Price,
}

/// A completeness score (0–100) and what is missing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Completeness {
    pub score: u8,
    pub missing: Vec<Missing>,
}

/// What the rule needs to know beyond the product itself.
pub struct CompletenessContext<'a> {
    pub lang: &'a Lang,
    /// Attributes of the product's category (required ones count).
    pub category_attributes: &'a [CategoryAttribute],
    pub image_count: usize,
    /// `None` while the market hides prices or prices are not managed yet.
    pub has_price: Option<bool>,
}

/// Scores a product: each check is worth the same; every variant must carry
/// every required attribute of the category for that check to pass.
pub fn completeness(product: &Product, ctx: &CompletenessContext<'_>) -> Completeness {
    let lang = || ctx.lang.as_str().to_string();
    // Each check: what is missing when it fails (empty when it passes).
    let mut checks: Vec<Vec<Missing>> = vec![
        when(
            product.name.get(ctx.lang).is_none(),
            Missing::Name { lang: lang() },
        ),
        when(
            product.short_description.get(ctx.lang).is_none(),
            Missing::ShortDescription { lang: lang() },
        ),
        when(
            product.description.get(ctx.lang).is_none(),
            Missing::Description { lang: lang() },
        ),
        when(ctx.image_count == 0, Missing::Image),
        when(product.brand.is_none(), Missing::Brand),
        when(product.category.is_none(), Missing::Category),
    ];
    if let Some(has_price) = ctx.has_price {
        checks.push(when(!has_price, Missing::Price));
    }
    let required: Vec<&AttrCode> = ctx
        .category_attributes
        .iter()
        .filter(|a| a.required)
        .map(|a| &a.code)
        .collect();
    if !required.is_empty() {
        checks.push(
            product
                .variants
                .iter()
                .flat_map(|v| {
                    required
                        .iter()
                        .filter(|code| !v.attributes.contains_key(**code))
                        .map(|code| Missing::Attribute {
                            code: code.as_str().to_string(),
                            sku: v.sku.to_string(),
                        })
                })
                .collect(),
        );
    }
    let total = checks.len();
    let passed = checks.iter().filter(|c| c.is_empty()).count();
    let score = (100 * passed).checked_div(total).unwrap_or(100);
    Completeness {
        score: u8::try_from(score).unwrap_or(100),
        missing: checks.into_iter().flatten().collect(),
    }
}

fn when(failed: bool, m: Missing) -> Vec<Missing> {
    if failed { vec![m] } else { Vec::new() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attribute::AttributeValue;
    use crate::catalog::{ProductStatus, SalesUnit, Sku, Slug, Variant};
    use crate::id::{BrandId, CategoryId, ProductId, VariantId};
    use crate::locale::LocalizedText;
    use rust_decimal::Decimal;
    use std::collections::BTreeMap;

    fn product() -> Product {
        let mut attributes = BTreeMap::new();
        attributes.insert(
            AttrCode::parse("thread_size").unwrap(),
            AttributeValue::Text("M8".into()),
        );
        Product {
            id: ProductId::new(),
            slug: Slug::parse("hex-bolt").unwrap(),
            status: ProductStatus::Active,
            brand: Some(BrandId::new()),
            category: Some(CategoryId::new()),
            name: LocalizedText::from_pairs([("en", "Hex bolt"), ("zh-CN", "六角螺栓")]).unwrap(),
            short_description: LocalizedText::from_pairs([("en", "DIN 933")]).unwrap(),
            description: LocalizedText::from_pairs([("en", "Fully threaded.")]).unwrap(),
            meta_title: LocalizedText::new(),
            meta_description: LocalizedText::new(),
            markets: vec![],
            variants: vec![Variant {
                id: VariantId::new(),
                sku: Sku::parse("HB-M8").unwrap(),
                gtin: None,
                mpn: None,
                unit: SalesUnit::Piece,
                pack_size: 1,
                min_quantity: Decimal::ONE,
                quantity_step: Decimal::ONE,
                weight_kg: None,
                length_mm: None,
                width_mm: None,
                height_mm: None,
                status: ProductStatus::Active,
                replacement_sku: None,
                attributes,
                position: 0,
            }],
        }
    }

    #[test]
    fn scores_and_lists_what_is_missing() {
        let p = product();
        let attrs = vec![
            CategoryAttribute {
                code: AttrCode::parse("thread_size").unwrap(),
                required: true,
            },
            CategoryAttribute {
                code: AttrCode::parse("length").unwrap(),
                required: true,
            },
        ];
        let en = Lang::en();
        let c = completeness(
            &p,
            &CompletenessContext {
                lang: &en,
                category_attributes: &attrs,
                image_count: 1,
                has_price: None,
            },
        );
        assert_eq!(
            c.missing,
            vec![Missing::Attribute {
                code: "length".into(),
                sku: "HB-M8".into()
            }]
        );
        assert_eq!(c.score, 85); // 6 of 7 checks

        let zh = Lang::zh_cn();
        let c = completeness(
            &p,
            &CompletenessContext {
                lang: &zh,
                category_attributes: &[],
                image_count: 0,
                has_price: Some(false),
            },
        );
        assert_eq!(
            c.missing,
            vec![
                Missing::ShortDescription {
                    lang: "zh-CN".into()
                },
                Missing::Description {
                    lang: "zh-CN".into()
                },
                Missing::Image,
                Missing::Price
            ]
        );
        assert_eq!(c.score, 42); // 3 of 7

        let full = completeness(
            &p,
            &CompletenessContext {
                lang: &en,
                category_attributes: &attrs[..1],
                image_count: 2,
                has_price: Some(true),
            },
        );
        assert_eq!(full.score, 100);
        assert!(full.missing.is_empty());
    }
}
