//! The plain types the rest of Mercato exchanges with the search index:
//! what a product looks like to the index ([`SearchDoc`]), what a buyer asks
//! ([`SearchRequest`]) and what comes back ([`SearchResults`]). No tantivy
//! types leak out of this crate.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One product as the index sees it: everything searchable, filterable,
/// facetable or sortable, flattened over its variants and languages.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchDoc {
    /// The product id (UUID string): the key for upserts and deletes.
    pub product_id: String,
    pub slug: String,
    /// `draft`, `active` or `discontinued`.
    pub status: String,
    /// Codes of the markets the product is visible in.
    pub markets: Vec<String>,
    /// Visibility tokens: `public` for the open catalog, `catalog:<id>` for
    /// company catalogs. A request sees a product when they share a token.
    pub visibility: Vec<String>,
    /// Product names per language tag (`zh-CN`, `en`…).
    pub names: BTreeMap<String, String>,
    /// Short and long descriptions, meta texts, per language, joined.
    pub descriptions: BTreeMap<String, String>,
    /// Brand slug and its display name.
    pub brand: Option<(String, String)>,
    /// Category slugs from the root to the product's category.
    pub category_path: Vec<String>,
    /// Names (all languages) of the categories on the path, for category
    /// words in queries ("螺栓", "bolts").
    pub category_names: Vec<String>,
    /// Part numbers of the variants (as written; folding is the index's job).
    pub skus: Vec<String>,
    /// GTINs of the variants, aligned with `skus` (empty where none).
    pub gtins: Vec<String>,
    /// Manufacturer part numbers, aligned with `skus` (empty where none).
    pub mpns: Vec<String>,
    /// Attribute values for people, all languages (`不锈钢 A2`,
    /// `Stainless steel A2`, `20 mm`): searchable text.
    pub attribute_text: Vec<String>,
    /// Enum, boolean and text attributes as facet values: `(code, value)`
    /// where the value is the option code, `true`/`false` or the text.
    pub facet_values: Vec<(String, String)>,
    /// Number attributes in the attribute's base unit: `(code, value)`.
    pub numbers: Vec<(String, f64)>,
    /// Whether some variant is in stock (false until inventory exists).
    pub in_stock: bool,
    /// The lowest list price of its variants in the market's currency, in
    /// 10⁻⁴ units (like `Money`), for the price facet and sort. Customer
    /// prices are applied after retrieval.
    pub list_price: Option<i64>,
    /// Creation time, Unix seconds, for "newest".
    pub created_at: i64,
    /// Extra weight for ranking ties (e.g. sales rank); 0 when unknown.
    pub popularity: f64,
}

/// How results are ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SortOrder {
    /// Best match first (an exact part-number match always first); without
    /// a text, by name.
    #[default]
    Relevance,
    PriceAsc,
    PriceDesc,
    Newest,
    /// By the name in the request's language.
    Name,
}

/// An inclusive range over a number attribute or the price; an open end is
/// `None`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NumberRange {
    pub min: Option<f64>,
    pub max: Option<f64>,
}

/// What the buyer asks.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchRequest {
    /// Free text as typed: words in any language, part numbers, GTINs.
    /// Never parsed as query syntax. Empty means "everything".
    pub text: String,
    /// The market whose visible products are searched.
    pub market: String,
    /// The language for name sorting and labels (`zh-CN`, `en`).
    pub lang: String,
    /// Visibility tokens of the caller (`["public"]` for guests).
    pub visibility: Vec<String>,
    /// Allowed statuses; empty means `active` and `discontinued`.
    pub statuses: Vec<String>,
    /// Selected categories (slugs, any level; OR within the facet).
    pub categories: Vec<String>,
    /// Selected brands (slugs; OR).
    pub brands: Vec<String>,
    /// Selected facet values per attribute code (OR within one attribute,
    /// AND across attributes).
    pub attributes: BTreeMap<String, Vec<String>>,
    /// Ranges per number attribute code (base unit).
    pub ranges: BTreeMap<String, NumberRange>,
    /// Only products in stock (`Some(true)`), or only those out of stock
    /// (`Some(false)`).
    pub in_stock: Option<bool>,
    /// List price range in 10⁻⁴ units.
    pub price: Option<(Option<i64>, Option<i64>)>,
    pub sort: SortOrder,
    /// Page size, 1–200.
    pub limit: usize,
    /// The opaque cursor from the previous page.
    pub cursor: Option<String>,
    /// Whether to compute facets (lists do, suggestions don't).
    pub facets: bool,
}

/// One hit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    pub product_id: String,
    pub slug: String,
    pub score: f32,
    /// The SKU whose part number, GTIN or MPN matched the query exactly, if any.
    pub matched_sku: Option<String>,
}

/// A facet value and how many products carry it given the other selected
/// facets.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}

/// Facet counts. Counts of a facet ignore that facet's own selection and
/// honour all others (disjunctive faceting), so a buyer sees what each
/// additional choice would add.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Facets {
    /// Per category slug (every level of the tree), most products first.
    pub categories: Vec<FacetCount>,
    pub brands: Vec<FacetCount>,
    /// Per attribute code, its values.
    pub attributes: BTreeMap<String, Vec<FacetCount>>,
    /// Per number attribute code, the smallest and largest value among the
    /// matching products.
    pub ranges: BTreeMap<String, NumberRange>,
    /// Products in stock / not in stock.
    pub in_stock: u64,
    pub out_of_stock: u64,
    /// Lowest and highest list price among the matches (10⁻⁴ units).
    pub price: Option<(i64, i64)>,
}

/// A page of results.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    pub hits: Vec<Hit>,
    /// How many products match in all.
    pub total: u64,
    pub next_cursor: Option<String>,
    pub facets: Facets,
}

/// A search-as-you-type suggestion.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    /// `product`, `category` or `part_number`.
    pub kind: String,
    /// Product id, category slug or the SKU.
    pub value: String,
    /// What to show: the product name in the request language, the
    /// category slug (the caller labels it), or the part number.
    pub label: String,
    /// For `product` and `part_number`: the product slug.
    pub product_slug: Option<String>,
}

/// Synonym groups: every term of a group finds what the others find
/// (`螺栓`, `bolt`; `内六角`, `hex socket`). Terms may be phrases.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Synonyms {
    pub groups: Vec<Vec<String>>,
}
