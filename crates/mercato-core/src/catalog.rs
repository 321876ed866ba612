//! The catalog: products, their variants (= SKUs), brands, categories,
//! relations between products, and the identifiers that name them.

use crate::attribute::{AttrCode, AttributeValue};
use crate::id::{BrandId, CategoryId, ProductId, VariantId};
use crate::locale::LocalizedText;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// Why a catalog value was refused; worded for a catalog clerk.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogError {
    #[error("part number is empty")]
    EmptySku,
    #[error("part number {0:?} is longer than 64 characters")]
    SkuTooLong(String),
    #[error("part number {0:?} contains a line break, tab or control character")]
    SkuBadCharacter(String),
    #[error("{0:?} is not a slug: use lower-case letters, digits and - (e.g. hex-bolt-m8)")]
    BadSlug(String),
    #[error("{0:?} is not a GTIN: it needs 8, 12, 13 or 14 digits")]
    GtinLength(String),
    #[error("GTIN {0} has a wrong check digit")]
    GtinCheckDigit(String),
    #[error("unknown status {0:?}: use draft, active or discontinued")]
    UnknownStatus(String),
    #[error("unknown unit of sale {0:?}: use {1}")]
    UnknownSalesUnit(String, String),
    #[error("unknown relation {0:?}: use accessory, spare_part, replacement or similar")]
    UnknownRelation(String),
    #[error("{field} must be a whole number of at least 1, not {value:?}")]
    BadCount { field: &'static str, value: String },
    #[error("{field} must be a number of at least 0, not {value:?}")]
    BadMeasure { field: &'static str, value: String },
}

/// A part number: what buyers type, print on purchase orders and search for.
/// Kept as given (case and inner spaces are meaningful to manufacturers);
/// only surrounding white space is trimmed.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Sku(String);

impl Sku {
    /// Parses a part number.
    pub fn parse(raw: &str) -> Result<Self, CatalogError> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(CatalogError::EmptySku);
        }
        if s.chars().count() > 64 {
            return Err(CatalogError::SkuTooLong(s.to_string()));
        }
        if s.chars().any(char::is_control) {
            return Err(CatalogError::SkuBadCharacter(s.to_string()));
        }
        Ok(Self(s.to_string()))
    }

    /// The part number.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part number with case, spaces and separators folded, so that
    /// `M8x20`, `m8-20` and `M8 X 20` meet: used for lookups and search.
    pub fn folded(&self) -> String {
        fold_part_number(&self.0)
    }
}

/// Folds a part number (or a query that might be one) for matching:
/// upper-case, separators (space, `-`, `_`, `.`, `/`) removed, and `X`
/// between digits removed (`M8x20` ~ `M8-20`).
pub fn fold_part_number(s: &str) -> String {
    let chars: Vec<char> = s
        .chars()
        .flat_map(char::to_uppercase)
        .filter(|c| !matches!(c, ' ' | '-' | '_' | '.' | '/'))
        .collect();
    let mut out = String::with_capacity(chars.len());
    for (i, c) in chars.iter().enumerate() {
        let between_digits = *c == 'X'
            && i > 0
            && chars[i - 1].is_ascii_digit()
            && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit());
        if !between_digits {
            out.push(*c);
        }
    }
    out
}

impl TryFrom<String> for Sku {
    type Error = CatalogError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Sku> for String {
    fn from(s: Sku) -> Self {
        s.0
    }
}

impl fmt::Display for Sku {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A URL slug: `hex-bolt-din-933-m8`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Slug(String);

impl Slug {
    /// `[a-z0-9]+(-[a-z0-9]+)*`, at most 120 characters.
    pub fn parse(raw: &str) -> Result<Self, CatalogError> {
        let s = raw.trim();
        let ok = !s.is_empty()
            && s.len() <= 120
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !s.starts_with('-')
            && !s.ends_with('-')
            && !s.contains("--");
        if ok {
            Ok(Self(s.to_string()))
        } else {
            Err(CatalogError::BadSlug(raw.to_string()))
        }
    }

    /// Makes a slug from any text: ASCII letters and digits kept, the rest
    /// turned into single dashes. `None` when nothing usable is left (a
    /// purely Chinese name: callers fall back to the part number).
    pub fn from_text(text: &str) -> Option<Slug> {
        let mut out = String::new();
        for c in text.chars() {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            } else if !out.ends_with('-') && !out.is_empty() {
                out.push('-');
            }
        }
        let trimmed: String = out.trim_end_matches('-').chars().take(120).collect();
        Slug::parse(trimmed.trim_end_matches('-')).ok()
    }

    /// The slug.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Slug {
    type Error = CatalogError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Slug> for String {
    fn from(s: Slug) -> Self {
        s.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A GS1 trade item number (EAN-8, UPC-A, EAN-13, GTIN-14) with a valid check digit.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Gtin(String);

impl Gtin {
    /// Parses and checks the GS1 check digit.
    pub fn parse(raw: &str) -> Result<Self, CatalogError> {
        let s: String = raw
            .trim()
            .chars()
            .filter(|c| *c != ' ' && *c != '-')
            .collect();
        if !matches!(s.len(), 8 | 12 | 13 | 14) || !s.chars().all(|c| c.is_ascii_digit()) {
            return Err(CatalogError::GtinLength(raw.to_string()));
        }
        let digits: Vec<u32> = s.chars().filter_map(|c| c.to_digit(10)).collect();
        let (body, check) = digits.split_at(digits.len() - 1);
        let sum: u32 = body
            .iter()
            .rev()
            .enumerate()
            .map(|(i, d)| if i % 2 == 0 { d * 3 } else { *d })
            .sum();
        if (10 - sum % 10) % 10 != check[0] {
            return Err(CatalogError::GtinCheckDigit(s));
        }
        Ok(Self(s))
    }

    /// The digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Gtin {
    type Error = CatalogError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Gtin> for String {
    fn from(g: Gtin) -> Self {
        g.0
    }
}

/// Where a product is in its life.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProductStatus {
    /// Being prepared; not shown to buyers.
    #[default]
    Draft,
    Active,
    /// No longer sold; shown with its replacement.
    Discontinued,
}

impl ProductStatus {
    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            ProductStatus::Draft => "draft",
            ProductStatus::Active => "active",
            ProductStatus::Discontinued => "discontinued",
        }
    }

    /// Parses a status code.
    pub fn parse(raw: &str) -> Result<Self, CatalogError> {
        match raw.trim().to_lowercase().as_str() {
            "draft" => Ok(ProductStatus::Draft),
            "active" => Ok(ProductStatus::Active),
            "discontinued" => Ok(ProductStatus::Discontinued),
            _ => Err(CatalogError::UnknownStatus(raw.to_string())),
        }
    }
}

/// The unit a variant is sold in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SalesUnit {
    #[default]
    Piece,
    Box,
    Pack,
    Set,
    Pair,
    Roll,
    Meter,
    Kilogram,
    Liter,
}

impl SalesUnit {
    /// Every unit of sale.
    pub const ALL: [SalesUnit; 9] = [
        SalesUnit::Piece,
        SalesUnit::Box,
        SalesUnit::Pack,
        SalesUnit::Set,
        SalesUnit::Pair,
        SalesUnit::Roll,
        SalesUnit::Meter,
        SalesUnit::Kilogram,
        SalesUnit::Liter,
    ];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            SalesUnit::Piece => "piece",
            SalesUnit::Box => "box",
            SalesUnit::Pack => "pack",
            SalesUnit::Set => "set",
            SalesUnit::Pair => "pair",
            SalesUnit::Roll => "roll",
            SalesUnit::Meter => "meter",
            SalesUnit::Kilogram => "kilogram",
            SalesUnit::Liter => "liter",
        }
    }

    /// Parses a code or a common abbreviation (`pc`, `pcs`, `m`, `kg`, `l`).
    pub fn parse(raw: &str) -> Result<Self, CatalogError> {
        let s = raw.trim().to_lowercase();
        let alias = match s.as_str() {
            "pc" | "pcs" | "ea" | "each" | "个" | "件" | "只" => "piece",
            "m" | "米" => "meter",
            "kg" | "千克" | "公斤" => "kilogram",
            "l" | "升" => "liter",
            "盒" => "box",
            "包" => "pack",
            "套" => "set",
            "双" | "对" => "pair",
            "卷" => "roll",
            other => other,
        };
        Self::ALL
            .into_iter()
            .find(|u| u.code() == alias)
            .ok_or_else(|| {
                CatalogError::UnknownSalesUnit(
                    raw.to_string(),
                    Self::ALL
                        .iter()
                        .map(|u| u.code())
                        .collect::<Vec<_>>()
                        .join(", "),
                )
            })
    }

    /// Whether quantities must be whole numbers (pieces, boxes…) rather than measured (metres of cable).
    pub fn is_countable(self) -> bool {
        !matches!(
            self,
            SalesUnit::Meter | SalesUnit::Kilogram | SalesUnit::Liter
        )
    }
}

/// A variant: one sellable SKU of a product.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Variant {
    pub id: VariantId,
    pub sku: Sku,
    pub gtin: Option<Gtin>,
    /// The manufacturer's own part number, when it differs from ours.
    pub mpn: Option<String>,
    pub unit: SalesUnit,
    /// Units per pack (a box of 100 screws has pack size 100).
    pub pack_size: u32,
    pub min_quantity: Decimal,
    pub quantity_step: Decimal,
    pub weight_kg: Option<Decimal>,
    pub length_mm: Option<Decimal>,
    pub width_mm: Option<Decimal>,
    pub height_mm: Option<Decimal>,
    pub status: ProductStatus,
    /// For a discontinued part: what to buy instead.
    pub replacement_sku: Option<Sku>,
    pub attributes: BTreeMap<AttrCode, AttributeValue>,
    pub position: i32,
}

/// A product: what buyers see as one item, with one or more variants.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Product {
    pub id: ProductId,
    pub slug: Slug,
    pub status: ProductStatus,
    pub brand: Option<BrandId>,
    pub category: Option<CategoryId>,
    pub name: LocalizedText,
    pub short_description: LocalizedText,
    pub description: LocalizedText,
    pub meta_title: LocalizedText,
    pub meta_description: LocalizedText,
    /// Market codes the product is visible in; empty means every market.
    pub markets: Vec<String>,
    pub variants: Vec<Variant>,
}

/// Texts one market shows instead of the product's own, field by field and
/// language by language (an EU description that names CE marking, a
/// Chinese name a region's buyers know the part by). A language the override
/// does not have falls through to the product's text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarketContent {
    #[serde(default, skip_serializing_if = "LocalizedText::is_empty")]
    pub name: LocalizedText,
    #[serde(default, skip_serializing_if = "LocalizedText::is_empty")]
    pub short_description: LocalizedText,
    #[serde(default, skip_serializing_if = "LocalizedText::is_empty")]
    pub description: LocalizedText,
    #[serde(default, skip_serializing_if = "LocalizedText::is_empty")]
    pub meta_title: LocalizedText,
    #[serde(default, skip_serializing_if = "LocalizedText::is_empty")]
    pub meta_description: LocalizedText,
}

impl MarketContent {
    /// Whether it overrides nothing.
    pub fn is_empty(&self) -> bool {
        self.fields().iter().all(|f| f.is_empty())
    }

    fn fields(&self) -> [&LocalizedText; 5] {
        [
            &self.name,
            &self.short_description,
            &self.description,
            &self.meta_title,
            &self.meta_description,
        ]
    }

    /// Lays these texts over the product's own.
    pub fn apply(&self, p: &mut Product) {
        let over = |base: &mut LocalizedText, with: &LocalizedText| {
            for (lang, text) in with.iter() {
                base.set(lang.clone(), text);
            }
        };
        over(&mut p.name, &self.name);
        over(&mut p.short_description, &self.short_description);
        over(&mut p.description, &self.description);
        over(&mut p.meta_title, &self.meta_title);
        over(&mut p.meta_description, &self.meta_description);
    }
}

/// How two products relate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RelationKind {
    /// B is an accessory for A (seen from B: "fits A").
    Accessory,
    /// B is a spare part of A (seen from B: "spare part for A").
    SparePart,
    /// B replaces A (seen from B: "replaces A").
    Replacement,
    /// Alike; symmetric.
    Similar,
}

impl RelationKind {
    /// Every kind.
    pub const ALL: [RelationKind; 4] = [
        RelationKind::Accessory,
        RelationKind::SparePart,
        RelationKind::Replacement,
        RelationKind::Similar,
    ];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            RelationKind::Accessory => "accessory",
            RelationKind::SparePart => "spare_part",
            RelationKind::Replacement => "replacement",
            RelationKind::Similar => "similar",
        }
    }

    /// Parses a code.
    pub fn parse(raw: &str) -> Result<Self, CatalogError> {
        Self::ALL
            .into_iter()
            .find(|k| k.code() == raw.trim())
            .ok_or_else(|| CatalogError::UnknownRelation(raw.to_string()))
    }

    /// The label a relation has seen from its target, so relations show both
    /// ways: an accessory's page says which products it fits.
    pub fn inverse_code(self) -> &'static str {
        match self {
            RelationKind::Accessory => "accessory_for",
            RelationKind::SparePart => "spare_part_for",
            RelationKind::Replacement => "replaces",
            RelationKind::Similar => "similar",
        }
    }
}

/// A node of the category tree.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Category {
    pub id: CategoryId,
    pub parent: Option<CategoryId>,
    pub slug: Slug,
    pub name: LocalizedText,
    pub position: i32,
    /// Attributes products of this category carry, and whether each is required.
    pub attributes: Vec<CategoryAttribute>,
}

/// An attribute assigned to a category.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryAttribute {
    pub code: AttrCode,
    pub required: bool,
}

/// A brand.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Brand {
    pub id: BrandId,
    pub slug: Slug,
    pub name: String,
}

/// Parses a whole count of at least 1 (pack size).
pub fn parse_count(field: &'static str, raw: &str) -> Result<u32, CatalogError> {
    raw.trim()
        .parse::<u32>()
        .ok()
        .filter(|n| *n >= 1)
        .ok_or(CatalogError::BadCount {
            field,
            value: raw.to_string(),
        })
}

/// Parses a non-negative decimal measure (weight, dimension, quantity).
pub fn parse_measure(field: &'static str, raw: &str) -> Result<Decimal, CatalogError> {
    raw.trim()
        .parse::<Decimal>()
        .ok()
        .filter(|d| !d.is_sign_negative())
        .map(|d| d.normalize())
        .ok_or(CatalogError::BadMeasure {
            field,
            value: raw.to_string(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn part_numbers_fold_separators() {
        let a = Sku::parse("M8x20").unwrap().folded();
        assert_eq!(a, "M820");
        assert_eq!(fold_part_number("m8-20"), a);
        assert_eq!(fold_part_number("M8 X 20"), a);
        assert_eq!(fold_part_number("DIN 933 M8x20 A2"), "DIN933M820A2");
        assert_eq!(
            fold_part_number("XLR"),
            "XLR",
            "an X not between digits stays"
        );
        assert!(Sku::parse("  ").is_err());
        assert!(Sku::parse("a\tb").is_err());
        assert_eq!(Sku::parse(" 4711-A ").unwrap().as_str(), "4711-A");
    }

    #[test]
    fn slugs() {
        assert_eq!(
            Slug::from_text("Hex Bolt DIN 933 – M8×20")
                .unwrap()
                .as_str(),
            "hex-bolt-din-933-m8-20"
        );
        assert!(Slug::from_text("六角螺栓").is_none());
        assert!(Slug::parse("Hex-Bolt").is_err());
        assert!(Slug::parse("a--b").is_err());
    }

    #[test]
    fn gtins_check_digit() {
        assert!(Gtin::parse("4006381333931").is_ok());
        assert!(matches!(
            Gtin::parse("4006381333932"),
            Err(CatalogError::GtinCheckDigit(_))
        ));
        assert!(matches!(
            Gtin::parse("12345"),
            Err(CatalogError::GtinLength(_))
        ));
        assert!(Gtin::parse("96385074").is_ok(), "EAN-8");
        assert!(Gtin::parse("036000291452").is_ok(), "UPC-A");
    }

    #[test]
    fn units_and_statuses() {
        assert_eq!(SalesUnit::parse("pcs").unwrap(), SalesUnit::Piece);
        assert_eq!(SalesUnit::parse("米").unwrap(), SalesUnit::Meter);
        assert!(!SalesUnit::Meter.is_countable());
        assert!(SalesUnit::parse("barrel").is_err());
        assert_eq!(
            ProductStatus::parse("Active").unwrap(),
            ProductStatus::Active
        );
        assert_eq!(
            RelationKind::parse("spare_part").unwrap().inverse_code(),
            "spare_part_for"
        );
        assert!(parse_count("pack_size", "0").is_err());
        assert!(parse_measure("weight", "-1").is_err());
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod market_content_tests {
    use super::*;
    use crate::locale::Lang;

    #[test]
    fn an_override_replaces_only_its_languages_and_fields() {
        let en = Lang::en();
        let zh = Lang::zh_cn();
        let mut name = LocalizedText::new();
        name.set(en.clone(), "Hex bolt M8");
        name.set(zh.clone(), "外六角螺栓 M8");
        let mut description = LocalizedText::new();
        description.set(en.clone(), "Fully threaded.");
        let mut p = Product {
            id: ProductId::new(),
            slug: Slug::parse("hex-bolt-m8").unwrap(),
            status: ProductStatus::Active,
            brand: None,
            category: None,
            name,
            short_description: LocalizedText::new(),
            description,
            meta_title: LocalizedText::new(),
            meta_description: LocalizedText::new(),
            markets: Vec::new(),
            variants: Vec::new(),
        };
        let mut o = MarketContent::default();
        assert!(o.is_empty());
        o.name.set(en.clone(), "Hexagon head screw M8 (CE)");
        assert!(!o.is_empty());
        o.apply(&mut p);
        assert_eq!(p.name.get(&en), Some("Hexagon head screw M8 (CE)"));
        assert_eq!(p.name.get(&zh), Some("外六角螺栓 M8"));
        assert_eq!(p.description.get(&en), Some("Fully threaded."));
    }
}
