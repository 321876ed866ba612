//! Catalog storage: markets, brands, attribute definitions, categories,
//! products with their variants, media records and relations.

use crate::{Db, StoreError, Timestamp, Tx};
use mercato_core::attribute::{AttrCode, AttributeDef, AttributeKind, AttributeValue};
use mercato_core::catalog::{
    Brand, Category, CategoryAttribute, Gtin, MarketContent, Product, ProductStatus, SalesUnit,
    Sku, Slug, Variant, fold_part_number,
};
use mercato_core::market::{Market, RoadmapStep};
use mercato_core::money::Currency;
use mercato_core::{BrandId, CategoryId, Lang, LocalizedText, MediaId, ProductId, VariantId};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sqlx::types::Json;
use std::collections::BTreeMap;
use uuid::Uuid;

fn corrupt(what: &'static str, detail: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt {
        what,
        detail: detail.to_string(),
    }
}

/// A decimal as stored: integer units of 10⁻⁴.
pub fn to_units4(d: Decimal) -> Result<i64, StoreError> {
    let scaled = d
        .checked_mul(Decimal::from(10_000))
        .ok_or_else(|| corrupt("decimal", d))?;
    i64::try_from(scaled.trunc()).map_err(|_| corrupt("decimal", d))
}

/// A stored 10⁻⁴ integer back as a decimal.
pub fn from_units4(units: i64) -> Decimal {
    Decimal::new(units, 4).normalize()
}

// ---------------------------------------------------------------- markets

#[derive(sqlx::FromRow)]
struct MarketRow {
    market_code: String,
    name: Json<LocalizedText>,
    currency: String,
    languages: Json<Vec<String>>,
    countries: Json<Vec<String>>,
    time_zone: String,
    roadmap_step: i32,
    show_prices: bool,
    show_stock: bool,
    is_default: bool,
}

impl TryFrom<MarketRow> for Market {
    type Error = StoreError;
    fn try_from(r: MarketRow) -> Result<Self, StoreError> {
        let languages = r
            .languages
            .0
            .iter()
            .map(|l| Lang::parse(l))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| corrupt("market", e))?;
        let step = u8::try_from(r.roadmap_step)
            .ok()
            .and_then(|s| RoadmapStep::try_from(s).ok())
            .ok_or_else(|| corrupt("market", "roadmap_step"))?;
        Ok(Market {
            code: r.market_code,
            name: r.name.0,
            currency: Currency::parse(&r.currency).map_err(|e| corrupt("market", e))?,
            languages,
            countries: r.countries.0,
            time_zone: r.time_zone,
            roadmap_step: step,
            show_prices: r.show_prices,
            show_stock: r.show_stock,
            is_default: r.is_default,
        })
    }
}

/// Creates or replaces a market. Making it the default clears the flag elsewhere.
pub async fn upsert_market(tx: &mut Tx, m: &Market, now: Timestamp) -> Result<(), StoreError> {
    let languages: Vec<String> = m.languages.iter().map(|l| l.to_string()).collect();
    if m.is_default {
        tx_exec!(
            tx,
            sqlx::query("UPDATE market SET is_default = $1 WHERE market_code <> $2")
                .bind(false)
                .bind(&m.code)
        )?;
    }
    tx_exec!(tx, sqlx::query(
        "INSERT INTO market (market_code, name, currency, languages, countries, time_zone, roadmap_step, show_prices, show_stock, is_default, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (market_code) DO UPDATE SET name = excluded.name, currency = excluded.currency, languages = excluded.languages,
            countries = excluded.countries, time_zone = excluded.time_zone, roadmap_step = excluded.roadmap_step,
            show_prices = excluded.show_prices, show_stock = excluded.show_stock, is_default = excluded.is_default, updated_at = excluded.updated_at"
    )
    .bind(&m.code)
    .bind(Json(&m.name))
    .bind(m.currency.code())
    .bind(Json(&languages))
    .bind(Json(&m.countries))
    .bind(&m.time_zone)
    .bind(i32::from(u8::from(m.roadmap_step)))
    .bind(m.show_prices)
    .bind(m.show_stock)
    .bind(m.is_default)
    .bind(now))?;
    Ok(())
}

/// Every market, the default first.
pub async fn list_markets(db: &Db) -> Result<Vec<Market>, StoreError> {
    let rows: Vec<MarketRow> = db_run!(db, |p| {
        sqlx::query_as(
        "SELECT market_code, name, currency, languages, countries, time_zone, roadmap_step, show_prices, show_stock, is_default
         FROM market ORDER BY is_default DESC, market_code"
    )
    .fetch_all(p)
    .await
    })?;
    rows.into_iter().map(Market::try_from).collect()
}

// ---------------------------------------------------------------- brands

#[derive(sqlx::FromRow)]
struct BrandRow {
    brand_id: Uuid,
    slug: String,
    name: String,
}

impl TryFrom<BrandRow> for Brand {
    type Error = StoreError;
    fn try_from(r: BrandRow) -> Result<Self, StoreError> {
        Ok(Brand {
            id: BrandId(r.brand_id),
            slug: Slug::parse(&r.slug).map_err(|e| corrupt("brand", e))?,
            name: r.name,
        })
    }
}

/// Creates or renames a brand (by id).
pub async fn upsert_brand(tx: &mut Tx, b: &Brand, now: Timestamp) -> Result<(), StoreError> {
    tx_exec!(tx, sqlx::query(
        "INSERT INTO brand (brand_id, slug, name, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (brand_id) DO UPDATE SET slug = excluded.slug, name = excluded.name, updated_at = excluded.updated_at"
    )
    .bind(b.id.0)
    .bind(b.slug.as_str())
    .bind(&b.name)
    .bind(now))?;
    Ok(())
}

/// Every brand by name.
pub async fn list_brands(db: &Db) -> Result<Vec<Brand>, StoreError> {
    let rows: Vec<BrandRow> = db_run!(db, |p| sqlx::query_as(
        "SELECT brand_id, slug, name FROM brand ORDER BY name"
    )
    .fetch_all(p)
    .await)?;
    rows.into_iter().map(Brand::try_from).collect()
}

// ---------------------------------------------------------------- attributes

#[derive(sqlx::FromRow)]
struct AttributeRow {
    code: String,
    name: Json<LocalizedText>,
    kind: Json<AttributeKind>,
    filterable: bool,
    position: i32,
}

/// Creates or replaces an attribute definition.
pub async fn upsert_attribute(
    tx: &mut Tx,
    a: &AttributeDef,
    now: Timestamp,
) -> Result<(), StoreError> {
    tx_exec!(tx, sqlx::query(
        "INSERT INTO attribute_def (code, name, kind, filterable, position, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind, filterable = excluded.filterable,
            position = excluded.position, updated_at = excluded.updated_at"
    )
    .bind(a.code.as_str())
    .bind(Json(&a.name))
    .bind(Json(&a.kind))
    .bind(a.filterable)
    .bind(a.position)
    .bind(now))?;
    Ok(())
}

/// Every attribute definition in display order.
pub async fn list_attributes(db: &Db) -> Result<Vec<AttributeDef>, StoreError> {
    let rows: Vec<AttributeRow> = db_run!(db, |p| {
        sqlx::query_as(
        "SELECT code, name, kind, filterable, position FROM attribute_def ORDER BY position, code"
    )
    .fetch_all(p)
    .await
    })?;
    rows.into_iter()
        .map(|r| {
            Ok(AttributeDef {
                code: AttrCode::parse(&r.code).map_err(|e| corrupt("attribute_def", e))?,
                name: r.name.0,
                kind: r.kind.0,
                filterable: r.filterable,
                position: r.position,
            })
        })
        .collect()
}

// ---------------------------------------------------------------- categories

#[derive(sqlx::FromRow)]
struct CategoryRow {
    category_id: Uuid,
    parent_id: Option<Uuid>,
    slug: String,
    name: Json<LocalizedText>,
    position: i32,
    attributes: Json<Vec<CategoryAttribute>>,
}

/// Creates or replaces a category.
pub async fn upsert_category(
    tx: &mut Tx,
    cat: &Category,
    now: Timestamp,
) -> Result<(), StoreError> {
    tx_exec!(tx, sqlx::query(
        "INSERT INTO category (category_id, parent_id, slug, name, position, attributes, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (category_id) DO UPDATE SET parent_id = excluded.parent_id, slug = excluded.slug, name = excluded.name,
            position = excluded.position, attributes = excluded.attributes, updated_at = excluded.updated_at"
    )
    .bind(cat.id.0)
    .bind(cat.parent.map(|p| p.0))
    .bind(cat.slug.as_str())
    .bind(Json(&cat.name))
    .bind(cat.position)
    .bind(Json(&cat.attributes))
    .bind(now))?;
    Ok(())
}

/// Every category, parents before children is not guaranteed; ordered by position.
pub async fn list_categories(db: &Db) -> Result<Vec<Category>, StoreError> {
    let rows: Vec<CategoryRow> = db_run!(db, |p| {
        sqlx::query_as(
        "SELECT category_id, parent_id, slug, name, position, attributes FROM category ORDER BY position, slug"
    )
    .fetch_all(p)
    .await
    })?;
    rows.into_iter()
        .map(|r| {
            Ok(Category {
                id: CategoryId(r.category_id),
                parent: r.parent_id.map(CategoryId),
                slug: Slug::parse(&r.slug).map_err(|e| corrupt("category", e))?,
                name: r.name.0,
                position: r.position,
                attributes: r.attributes.0,
            })
        })
        .collect()
}

// ---------------------------------------------------------------- media

/// A stored rendition of an image.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenditionRef {
    pub name: String,
    pub width: u32,
    pub height: u32,
    /// Key in the media store.
    pub key: String,
}

/// A media record (the file itself lives in the media store).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MediaRecord {
    pub id: MediaId,
    /// `image`, `video` or `document`.
    pub kind: String,
    pub file_name: String,
    pub content_hash: Option<String>,
    pub mime: String,
    pub byte_size: i64,
    pub width: Option<i32>,
    pub height: Option<i32>,
    pub url: Option<String>,
    pub lang: Option<String>,
    pub title: LocalizedText,
    pub alt: LocalizedText,
    pub renditions: Vec<RenditionRef>,
    pub position: i32,
}

#[derive(sqlx::FromRow)]
struct MediaRow {
    media_id: Uuid,
    product_id: Uuid,
    kind: String,
    file_name: String,
    content_hash: Option<String>,
    mime: String,
    byte_size: i64,
    width: Option<i32>,
    height: Option<i32>,
    url: Option<String>,
    lang: Option<String>,
    title: Json<LocalizedText>,
    alt: Json<LocalizedText>,
    renditions: Json<Vec<RenditionRef>>,
    position: i32,
}

impl From<MediaRow> for MediaRecord {
    fn from(r: MediaRow) -> Self {
        MediaRecord {
            id: MediaId(r.media_id),
            kind: r.kind,
            file_name: r.file_name,
            content_hash: r.content_hash,
            mime: r.mime,
            byte_size: r.byte_size,
            width: r.width,
            height: r.height,
            url: r.url,
            lang: r.lang,
            title: r.title.0,
            alt: r.alt.0,
            renditions: r.renditions.0,
            position: r.position,
        }
    }
}

/// Replaces a product's media list.
pub async fn replace_media(
    tx: &mut Tx,
    product: ProductId,
    media: &[MediaRecord],
    now: Timestamp,
) -> Result<(), StoreError> {
    tx_exec!(
        tx,
        sqlx::query("DELETE FROM media WHERE product_id = $1").bind(product.0)
    )?;
    for m in media {
        tx_exec!(tx, sqlx::query(
            "INSERT INTO media (media_id, product_id, kind, file_name, content_hash, mime, byte_size, width, height, url, lang, title, alt, renditions, position, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)"
        )
        .bind(m.id.0)
        .bind(product.0)
        .bind(&m.kind)
        .bind(&m.file_name)
        .bind(m.content_hash.as_deref())
        .bind(&m.mime)
        .bind(m.byte_size)
        .bind(m.width)
        .bind(m.height)
        .bind(m.url.as_deref())
        .bind(m.lang.as_deref())
        .bind(Json(&m.title))
        .bind(Json(&m.alt))
        .bind(Json(&m.renditions))
        .bind(m.position)
        .bind(now))?;
    }
    Ok(())
}

/// Media of several products, in order, grouped by product.
pub async fn media_of(
    db: &Db,
    products: &[ProductId],
) -> Result<BTreeMap<ProductId, Vec<MediaRecord>>, StoreError> {
    let mut out: BTreeMap<ProductId, Vec<MediaRecord>> = BTreeMap::new();
    for chunk in products.chunks(500) {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT media_id, product_id, kind, file_name, content_hash, mime, byte_size, width, height, url, lang, title, alt, renditions, position
             FROM media WHERE product_id IN ({}) ORDER BY product_id, position",
            placeholders(chunk.len())
        ));
        let rows: Vec<MediaRow> = db_run!(db, |p| {
            let mut q = sqlx::query_as(sql);
            for id in chunk {
                q = q.bind(id.0);
            }
            q.fetch_all(p).await
        })?;
        for r in rows {
            out.entry(ProductId(r.product_id))
                .or_default()
                .push(r.into());
        }
    }
    Ok(out)
}

/// `$1, $2, …, $n`.
fn placeholders(n: usize) -> String {
    crate::db::placeholders_from(1, n)
}

// ---------------------------------------------------------------- products

#[derive(sqlx::FromRow)]
struct ProductRow {
    product_id: Uuid,
    slug: String,
    status: String,
    brand_id: Option<Uuid>,
    category_id: Option<Uuid>,
    name: Json<LocalizedText>,
    short_description: Json<LocalizedText>,
    description: Json<LocalizedText>,
    meta_title: Json<LocalizedText>,
    meta_description: Json<LocalizedText>,
    markets: Json<Vec<String>>,
}

const PRODUCT_COLUMNS: &str = "product_id, slug, status, brand_id, category_id, name, short_description, description, meta_title, meta_description, markets";

#[derive(sqlx::FromRow)]
struct VariantRow {
    variant_id: Uuid,
    product_id: Uuid,
    sku: String,
    gtin: Option<String>,
    mpn: Option<String>,
    unit: String,
    pack_size: i32,
    min_quantity: i64,
    quantity_step: i64,
    weight_kg: Option<i64>,
    length_mm: Option<i64>,
    width_mm: Option<i64>,
    height_mm: Option<i64>,
    status: String,
    replacement_sku: Option<String>,
    attributes: Json<BTreeMap<AttrCode, AttributeValue>>,
    position: i32,
}

const VARIANT_COLUMNS: &str = "variant_id, product_id, sku, gtin, mpn, unit, pack_size, min_quantity, quantity_step, weight_kg, length_mm, width_mm, height_mm, status, replacement_sku, attributes, position";

impl TryFrom<VariantRow> for Variant {
    type Error = StoreError;
    fn try_from(r: VariantRow) -> Result<Self, StoreError> {
        let c = |e: mercato_core::catalog::CatalogError| corrupt("variant", e);
        Ok(Variant {
            id: VariantId(r.variant_id),
            sku: Sku::parse(&r.sku).map_err(c)?,
            gtin: r.gtin.as_deref().map(Gtin::parse).transpose().map_err(c)?,
            mpn: r.mpn,
            unit: SalesUnit::parse(&r.unit).map_err(c)?,
            pack_size: u32::try_from(r.pack_size).map_err(|_| corrupt("variant", "pack_size"))?,
            min_quantity: from_units4(r.min_quantity),
            quantity_step: from_units4(r.quantity_step),
            weight_kg: r.weight_kg.map(from_units4),
            length_mm: r.length_mm.map(from_units4),
            width_mm: r.width_mm.map(from_units4),
            height_mm: r.height_mm.map(from_units4),
            status: ProductStatus::parse(&r.status).map_err(c)?,
            replacement_sku: r
                .replacement_sku
                .as_deref()
                .map(Sku::parse)
                .transpose()
                .map_err(c)?,
            attributes: r.attributes.0,
            position: r.position,
        })
    }
}

fn product_from(r: ProductRow, variants: Vec<Variant>) -> Result<Product, StoreError> {
    Ok(Product {
        id: ProductId(r.product_id),
        slug: Slug::parse(&r.slug).map_err(|e| corrupt("product", e))?,
        status: ProductStatus::parse(&r.status).map_err(|e| corrupt("product", e))?,
        brand: r.brand_id.map(BrandId),
        category: r.category_id.map(CategoryId),
        name: r.name.0,
        short_description: r.short_description.0,
        description: r.description.0,
        meta_title: r.meta_title.0,
        meta_description: r.meta_description.0,
        markets: r.markets.0,
        variants,
    })
}

/// Loads products with their variants, in the order of `ids` (missing ids are skipped).
pub async fn load_products(db: &Db, ids: &[ProductId]) -> Result<Vec<Product>, StoreError> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let ph = placeholders(chunk.len());
        let psql = sqlx::AssertSqlSafe(format!(
            "SELECT {PRODUCT_COLUMNS} FROM product WHERE product_id IN ({ph})"
        ));
        let vsql = sqlx::AssertSqlSafe(format!(
            "SELECT {VARIANT_COLUMNS} FROM variant WHERE product_id IN ({ph}) ORDER BY product_id, position, sku"
        ));
        let prows: Vec<ProductRow> = db_run!(db, |p| {
            let mut q = sqlx::query_as(psql);
            for id in chunk {
                q = q.bind(id.0);
            }
            q.fetch_all(p).await
        })?;
        let vrows: Vec<VariantRow> = db_run!(db, |p| {
            let mut q = sqlx::query_as(vsql);
            for id in chunk {
                q = q.bind(id.0);
            }
            q.fetch_all(p).await
        })?;
        let mut variants: BTreeMap<Uuid, Vec<Variant>> = BTreeMap::new();
        for v in vrows {
            let pid = v.product_id;
            variants.entry(pid).or_default().push(Variant::try_from(v)?);
        }
        let mut by_id: BTreeMap<Uuid, ProductRow> =
            prows.into_iter().map(|r| (r.product_id, r)).collect();
        for id in chunk {
            if let Some(row) = by_id.remove(&id.0) {
                let vs = variants.remove(&id.0).unwrap_or_default();
                out.push(product_from(row, vs)?);
            }
        }
    }
    Ok(out)
}

/// Whether a product with this id exists (without loading it).
pub async fn product_exists(db: &Db, id: ProductId) -> Result<bool, StoreError> {
    let found: Option<i32> = db_run!(db, |p| sqlx::query_scalar(
        "SELECT 1 FROM product WHERE product_id = $1"
    )
    .bind(id.0)
    .fetch_optional(p)
    .await)?;
    Ok(found.is_some())
}

/// The product with this slug.
pub async fn find_product_by_slug(db: &Db, slug: &str) -> Result<Option<ProductId>, StoreError> {
    let id: Option<Uuid> = db_run!(db, |p| sqlx::query_scalar(
        "SELECT product_id FROM product WHERE slug = $1"
    )
    .bind(slug)
    .fetch_optional(p)
    .await)?;
    Ok(id.map(ProductId))
}

/// The product and variant of a part number: exact first, then folded
/// (`m8-20` finds `M8x20`) when exactly one variant matches.
pub async fn find_sku(db: &Db, sku: &str) -> Result<Option<(ProductId, VariantId)>, StoreError> {
    let exact: Option<(Uuid, Uuid)> = db_run!(db, |p| sqlx::query_as(
        "SELECT product_id, variant_id FROM variant WHERE sku = $1"
    )
    .bind(sku.trim())
    .fetch_optional(p)
    .await)?;
    if let Some((p, v)) = exact {
        return Ok(Some((ProductId(p), VariantId(v))));
    }
    let folded: Vec<(Uuid, Uuid)> = db_run!(db, |p| sqlx::query_as(
        "SELECT product_id, variant_id FROM variant WHERE sku_folded = $1 LIMIT 2"
    )
    .bind(fold_part_number(sku))
    .fetch_all(p)
    .await)?;
    Ok(match folded.as_slice() {
        [(p, v)] => Some((ProductId(*p), VariantId(*v))),
        _ => None,
    })
}

/// The exact part number of a variant.
pub async fn sku_of_variant(db: &Db, variant: VariantId) -> Result<Option<String>, StoreError> {
    Ok(db_run!(db, |p| sqlx::query_scalar(
        "SELECT sku FROM variant WHERE variant_id = $1"
    )
    .bind(variant.0)
    .fetch_optional(p)
    .await)?)
}

/// Every `(sku, product, variant)` — what an import needs to know to upsert.
pub async fn sku_index(db: &Db) -> Result<Vec<(String, ProductId, VariantId)>, StoreError> {
    let rows: Vec<(String, Uuid, Uuid)> = db_run!(db, |p| sqlx::query_as(
        "SELECT sku, product_id, variant_id FROM variant"
    )
    .fetch_all(p)
    .await)?;
    Ok(rows
        .into_iter()
        .map(|(s, p, v)| (s, ProductId(p), VariantId(v)))
        .collect())
}

/// Every `(slug, product)`.
pub async fn slug_index(db: &Db) -> Result<Vec<(String, ProductId)>, StoreError> {
    let rows: Vec<(String, Uuid)> = db_run!(db, |p| sqlx::query_as(
        "SELECT slug, product_id FROM product"
    )
    .fetch_all(p)
    .await)?;
    Ok(rows.into_iter().map(|(s, p)| (s, ProductId(p))).collect())
}

/// Creates or replaces a product and its variants: variants are upserted
/// by id, and variants of the product that are no longer listed are removed.
/// `known_new` (the caller knows the product is not stored yet) skips the
/// look-up of variants to remove: imports create thousands of products.
pub async fn save_product(
    tx: &mut Tx,
    product: &Product,
    now: Timestamp,
    known_new: bool,
) -> Result<(), StoreError> {
    tx_exec!(tx, sqlx::query(
        "INSERT INTO product (product_id, slug, status, brand_id, category_id, name, short_description, description, meta_title, meta_description, markets, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)
         ON CONFLICT (product_id) DO UPDATE SET slug = excluded.slug, status = excluded.status, brand_id = excluded.brand_id,
            category_id = excluded.category_id, name = excluded.name, short_description = excluded.short_description,
            description = excluded.description, meta_title = excluded.meta_title, meta_description = excluded.meta_description,
            markets = excluded.markets, updated_at = excluded.updated_at"
    )
    .bind(product.id.0)
    .bind(product.slug.as_str())
    .bind(product.status.code())
    .bind(product.brand.map(|b| b.0))
    .bind(product.category.map(|c| c.0))
    .bind(Json(&product.name))
    .bind(Json(&product.short_description))
    .bind(Json(&product.description))
    .bind(Json(&product.meta_title))
    .bind(Json(&product.meta_description))
    .bind(Json(&product.markets))
    .bind(now))?;

    if !known_new {
        let keep: Vec<Uuid> = product.variants.iter().map(|v| v.id.0).collect();
        let existing: Vec<Uuid> = tx_run!(tx, |c| sqlx::query_scalar(
            "SELECT variant_id FROM variant WHERE product_id = $1"
        )
        .bind(product.id.0)
        .fetch_all(&mut *c)
        .await)?;
        for gone in existing.iter().filter(|id| !keep.contains(id)) {
            tx_exec!(
                tx,
                sqlx::query("DELETE FROM variant WHERE variant_id = $1").bind(*gone)
            )?;
        }
    }
    // Several variants per statement: one round trip instead of one per SKU.
    const COLUMNS: usize = 19;
    for chunk in product.variants.chunks(100) {
        let mut values = Vec::with_capacity(chunk.len());
        for (i, _) in chunk.iter().enumerate() {
            let ph: Vec<String> = (1..=COLUMNS)
                .map(|k| format!("${}", i * COLUMNS + k))
                .collect();
            values.push(format!("({})", ph.join(", ")));
        }
        let sql = format!(
            "INSERT INTO variant (variant_id, product_id, sku, sku_folded, gtin, mpn, unit, pack_size, min_quantity, quantity_step,
                weight_kg, length_mm, width_mm, height_mm, status, replacement_sku, attributes, position, updated_at)
             VALUES {}
             ON CONFLICT (variant_id) DO UPDATE SET product_id = excluded.product_id, sku = excluded.sku, sku_folded = excluded.sku_folded,
                gtin = excluded.gtin, mpn = excluded.mpn, unit = excluded.unit, pack_size = excluded.pack_size,
                min_quantity = excluded.min_quantity, quantity_step = excluded.quantity_step, weight_kg = excluded.weight_kg,
                length_mm = excluded.length_mm, width_mm = excluded.width_mm, height_mm = excluded.height_mm, status = excluded.status,
                replacement_sku = excluded.replacement_sku, attributes = excluded.attributes, position = excluded.position,
                updated_at = excluded.updated_at",
            values.join(", ")
        );
        let mut rows = Vec::with_capacity(chunk.len());
        for v in chunk {
            let [weight, length, width, height] =
                [v.weight_kg, v.length_mm, v.width_mm, v.height_mm]
                    .map(|m| m.map(to_units4).transpose());
            rows.push((
                v,
                weight?,
                length?,
                width?,
                height?,
                to_units4(v.min_quantity)?,
                to_units4(v.quantity_step)?,
            ));
        }
        tx_run!(tx, |c| {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for (v, weight, length, width, height, min_q, step) in &rows {
                q = q
                    .bind(v.id.0)
                    .bind(product.id.0)
                    .bind(v.sku.as_str())
                    .bind(v.sku.folded())
                    .bind(v.gtin.as_ref().map(|g| g.as_str()))
                    .bind(v.mpn.as_deref())
                    .bind(v.unit.code())
                    .bind(i32::try_from(v.pack_size).unwrap_or(i32::MAX))
                    .bind(*min_q)
                    .bind(*step)
                    .bind(*weight)
                    .bind(*length)
                    .bind(*width)
                    .bind(*height)
                    .bind(v.status.code())
                    .bind(v.replacement_sku.as_ref().map(|s| s.as_str()))
                    .bind(Json(&v.attributes))
                    .bind(v.position)
                    .bind(now);
            }
            q.execute(&mut *c).await.map(|r| r.rows_affected())
        })?;
    }
    Ok(())
}

/// Deletes a product (its variants, media records and relations go with it).
pub async fn delete_product(tx: &mut Tx, id: ProductId) -> Result<bool, StoreError> {
    let n = tx_exec!(
        tx,
        sqlx::query("DELETE FROM product WHERE product_id = $1").bind(id.0)
    )?;
    Ok(n == 1)
}

/// A relation as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RelationRecord {
    pub product: ProductId,
    pub related: ProductId,
    /// `accessory`, `spare_part`, `replacement`, `similar`.
    pub kind: String,
    pub position: i32,
}

/// Replaces the relations going out of `product`.
pub async fn replace_relations(
    tx: &mut Tx,
    product: ProductId,
    relations: &[(ProductId, String)],
) -> Result<(), StoreError> {
    tx_exec!(
        tx,
        sqlx::query("DELETE FROM product_relation WHERE product_id = $1").bind(product.0)
    )?;
    for (i, (related, kind)) in relations.iter().enumerate() {
        let position = i32::try_from(i).unwrap_or(i32::MAX);
        tx_exec!(tx, sqlx::query(
            "INSERT INTO product_relation (product_id, related_product_id, kind, position) VALUES ($1, $2, $3, $4)
             ON CONFLICT (product_id, related_product_id, kind) DO NOTHING"
        )
        .bind(product.0)
        .bind(related.0)
        .bind(kind)
        .bind(position))?;
    }
    Ok(())
}

/// Relations touching any of `products`, in either direction.
pub async fn relations_of(
    db: &Db,
    products: &[ProductId],
) -> Result<Vec<RelationRecord>, StoreError> {
    let mut out = Vec::new();
    for chunk in products.chunks(400) {
        let ph = placeholders(chunk.len());
        let n = chunk.len();
        let ph2 = (n + 1..=2 * n)
            .map(|i| format!("${i}"))
            .collect::<Vec<_>>()
            .join(", ");
        // UNION ALL, not OR: SQLite scans the whole table for an OR across two indexes.
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT product_id, related_product_id, kind, position FROM product_relation WHERE product_id IN ({ph})
             UNION ALL
             SELECT product_id, related_product_id, kind, position FROM product_relation WHERE related_product_id IN ({ph2})"
        ));
        let rows: Vec<(Uuid, Uuid, String, i32)> = db_run!(db, |p| {
            let mut q = sqlx::query_as(sql);
            for id in chunk.iter().chain(chunk.iter()) {
                q = q.bind(id.0);
            }
            q.fetch_all(p).await
        })?;
        out.extend(
            rows.into_iter()
                .map(|(p, r, kind, position)| RelationRecord {
                    product: ProductId(p),
                    related: ProductId(r),
                    kind,
                    position,
                }),
        );
    }
    out.sort_by(|a, b| (a.product, &a.kind, a.position).cmp(&(b.product, &b.kind, b.position)));
    out.dedup();
    Ok(out)
}

/// Filters for listing products.
#[derive(Clone, Debug, Default)]
pub struct ProductFilter {
    pub categories: Vec<CategoryId>,
    pub brand: Option<BrandId>,
    pub status: Option<ProductStatus>,
    /// Only products visible in this market (listed, or listed in no market).
    pub market: Option<String>,
    /// Case-insensitive substring of the slug or a part number (search proper is the search index's).
    pub text: Option<String>,
}

/// A page of product ids ordered by slug, after `after_slug`.
pub async fn list_product_ids(
    db: &Db,
    f: &ProductFilter,
    after_slug: Option<&str>,
    limit: i64,
) -> Result<Vec<(ProductId, String)>, StoreError> {
    let mut sql = String::from("SELECT p.product_id, p.slug FROM product p WHERE 1 = 1");
    let mut n = 0;
    let mut next = || {
        n += 1;
        format!("${n}")
    };
    if !f.categories.is_empty() {
        let ph: Vec<String> = f.categories.iter().map(|_| next()).collect();
        sql.push_str(&format!(" AND p.category_id IN ({})", ph.join(", ")));
    }
    if f.brand.is_some() {
        sql.push_str(&format!(" AND p.brand_id = {}", next()));
    }
    if f.status.is_some() {
        sql.push_str(&format!(" AND p.status = {}", next()));
    }
    if f.market.is_some() {
        // JSON array membership without JSON operators (portable): markets is '[]' or contains "code".
        sql.push_str(&format!(
            " AND (p.markets = '[]' OR p.markets LIKE {})",
            next()
        ));
    }
    if f.text.is_some() {
        let a = next();
        let b = next();
        sql.push_str(&format!(
            " AND (LOWER(p.slug) LIKE {a} OR EXISTS (SELECT 1 FROM variant v WHERE v.product_id = p.product_id AND v.sku_folded LIKE {b}))"
        ));
    }
    if after_slug.is_some() {
        sql.push_str(&format!(" AND p.slug > {}", next()));
    }
    sql.push_str(&format!(" ORDER BY p.slug LIMIT {}", next()));
    let market_like = f.market.as_ref().map(|m| format!("%\"{m}\"%"));
    let text = f.text.as_ref().map(|t| {
        (
            format!("%{}%", t.to_lowercase()),
            format!("%{}%", fold_part_number(t)),
        )
    });
    // The one per-backend difference: jsonb has no LIKE, so PostgreSQL compares its text form.
    let sql = match db {
        Db::Sqlite(_) => sql,
        Db::Pg(_) => sql.replace(
            "p.markets = '[]' OR p.markets LIKE",
            "p.markets = '[]'::jsonb OR p.markets::text LIKE",
        ),
    };
    let rows: Vec<(Uuid, String)> = db_run!(db, |p| {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
        for c in &f.categories {
            q = q.bind(c.0);
        }
        if let Some(b) = f.brand {
            q = q.bind(b.0);
        }
        if let Some(s) = f.status {
            q = q.bind(s.code());
        }
        if let Some(m) = &market_like {
            q = q.bind(m.clone());
        }
        if let Some((a, b)) = &text {
            q = q.bind(a.clone()).bind(b.clone());
        }
        if let Some(a) = after_slug {
            q = q.bind(a.to_string());
        }
        q.bind(limit).fetch_all(p).await
    })?;
    Ok(rows
        .into_iter()
        .map(|(id, slug)| (ProductId(id), slug))
        .collect())
}

/// How many products there are.
pub async fn count_products(db: &Db) -> Result<i64, StoreError> {
    let n: i64 = db_run!(db, |p| sqlx::query_scalar("SELECT COUNT(*) FROM product")
        .fetch_one(p)
        .await)?;
    Ok(n)
}

/// A record of one import run.
pub struct ImportRecord<'a> {
    pub id: mercato_core::ImportId,
    pub created_by: Option<mercato_core::UserId>,
    pub file_name: &'a str,
    pub mode: &'a str,
    pub dry_run: bool,
    pub rows_total: i64,
    pub rows_applied: i64,
    pub rows_failed: i64,
    pub report: &'a serde_json::Value,
}

/// Keeps the report of an import run.
pub async fn record_import(
    db: &Db,
    r: &ImportRecord<'_>,
    now: Timestamp,
) -> Result<(), StoreError> {
    db_exec!(db, sqlx::query(
        "INSERT INTO catalog_import (import_id, created_by, file_name, mode, dry_run, rows_total, rows_applied, rows_failed, report, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
    )
    .bind(r.id.0)
    .bind(r.created_by.map(|u| u.0))
    .bind(r.file_name)
    .bind(r.mode)
    .bind(r.dry_run)
    .bind(r.rows_total)
    .bind(r.rows_applied)
    .bind(r.rows_failed)
    .bind(Json(r.report))
    .bind(now))?;
    Ok(())
}

/// Writes one market's override of a product's texts; an empty override
/// removes it.
pub async fn save_market_content(
    tx: &mut Tx,
    product: ProductId,
    market: &str,
    content: &MarketContent,
    now: Timestamp,
) -> Result<(), StoreError> {
    if content.is_empty() {
        tx_exec!(
            tx,
            sqlx::query(
                "DELETE FROM product_market_content WHERE product_id = $1 AND market_code = $2"
            )
            .bind(product.0)
            .bind(market)
        )?;
        return Ok(());
    }
    tx_exec!(tx, sqlx::query(
        "INSERT INTO product_market_content (product_id, market_code, content, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (product_id, market_code) DO UPDATE SET content = excluded.content, updated_at = excluded.updated_at"
    )
    .bind(product.0)
    .bind(market)
    .bind(Json(content))
    .bind(now))?;
    Ok(())
}

/// The overrides `market` has for any of `ids`.
pub async fn market_content_of(
    db: &Db,
    ids: &[ProductId],
    market: &str,
) -> Result<BTreeMap<ProductId, MarketContent>, StoreError> {
    let mut out = BTreeMap::new();
    for chunk in ids.chunks(500) {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT product_id, content FROM product_market_content WHERE market_code = $1 AND product_id IN ({})",
            crate::db::placeholders_from(2, chunk.len())
        ));
        let rows: Vec<(Uuid, Json<MarketContent>)> = db_run!(db, |p| {
            let mut q = sqlx::query_as(sql).bind(market);
            for id in chunk {
                q = q.bind(id.0);
            }
            q.fetch_all(p).await
        })?;
        out.extend(rows.into_iter().map(|(id, c)| (ProductId(id), c.0)));
    }
    Ok(out)
}

/// Every market's override of one product, by market code.
pub async fn market_contents(
    db: &Db,
    product: ProductId,
) -> Result<BTreeMap<String, MarketContent>, StoreError> {
    let rows: Vec<(String, Json<MarketContent>)> = db_run!(db, |p| {
        sqlx::query_as(
        "SELECT market_code, content FROM product_market_content WHERE product_id = $1 ORDER BY market_code"
    )
    .bind(product.0)
    .fetch_all(p)
    .await
    })?;
    Ok(rows.into_iter().map(|(m, c)| (m, c.0)).collect())
}
