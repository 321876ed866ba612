//! Catalog use cases: setting up markets, attributes, categories and brands,
//! and the read models buyers and integrators see (a product resolved for a
//! market and language).

use crate::auth::Principal;
use crate::{App, AppError, FieldError};
use mercato_core::attribute::{AttributeDef, AttributeKind, AttributeValue};
use mercato_core::catalog::{Brand, Category, CategoryAttribute, Product, ProductStatus, Slug};
use mercato_core::completeness::{Completeness, CompletenessContext, completeness};
use mercato_core::market::Market;
use mercato_core::{BrandId, CategoryId, Lang, LocalizedText, Permission, ProductId};
use mercato_store::catalog::{self as store, MediaRecord, ProductFilter, RelationRecord};
use mercato_store::outbox::{self, NewEvent};
use mercato_store::{Timestamp, Tx};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// Records that a product changed, for the search indexer and integrations.
pub(crate) async fn product_changed(
    tx: &mut Tx,
    id: ProductId,
    event: &str,
    now: Timestamp,
) -> Result<(), AppError> {
    let payload = serde_json::json!({ "product_id": id });
    outbox::append(
        tx,
        &NewEvent::new("product", id.to_string(), event, payload),
        now,
    )
    .await?;
    Ok(())
}

/// Records that a market, attribute or category changed: their names,
/// labels and visibility are copied into every product's search document.
async fn taxonomy_changed(
    tx: &mut Tx,
    kind: &str,
    key: String,
    now: Timestamp,
) -> Result<(), AppError> {
    let event = NewEvent::new(
        "taxonomy",
        format!("{kind}:{key}"),
        format!("{kind}.upserted"),
        serde_json::json!({ kind: key }),
    );
    outbox::append(tx, &event, now).await?;
    Ok(())
}

fn require_catalog(actor: Option<&Principal>) -> Result<(), AppError> {
    match actor {
        Some(p) => p.require(Permission::ManageCatalog, "change the catalog"),
        None => Ok(()),
    }
}

/// Creates or replaces a market (by code).
pub async fn save_market(
    app: &App,
    actor: Option<&Principal>,
    market: Market,
) -> Result<Market, AppError> {
    require_catalog(actor)?;
    market
        .validate()
        .map_err(|e| AppError::invalid("market", "invalid_market", e.to_string()))?;
    let mut tx = app.db().begin().await?;
    let now = Timestamp::now();
    store::upsert_market(&mut tx, &market, now).await?;
    taxonomy_changed(&mut tx, "market", market.code.clone(), now).await?;
    tx.commit().await?;
    app.catalog_changed();
    Ok(market)
}

/// Every market, the default first.
pub async fn markets(app: &App) -> Result<Vec<Market>, AppError> {
    Ok(store::list_markets(app.db()).await?)
}

/// The market with `code`, or the default market when `code` is `None`.
pub async fn market(app: &App, code: Option<&str>) -> Result<Market, AppError> {
    let all = markets(app).await?;
    match code {
        Some(c) => all
            .into_iter()
            .find(|m| m.code == c)
            .ok_or(AppError::NotFound("market")),
        None => all.into_iter().next().ok_or(AppError::NotFound("market")),
    }
}

/// The market a storefront visitor shops in: a signed-in buyer's company
/// market always; otherwise the one asked for (`?market=`, a cookie) when
/// it exists, else the default market. Returns it with every market, for
/// the market switch. Markets come from the cached taxonomy.
pub async fn storefront_market(
    app: &App,
    p: Option<&Principal>,
    requested: Option<&str>,
) -> Result<(Market, Vec<Market>), AppError> {
    let all = taxonomy(app).await?.markets.clone();
    let company_market = match p.and_then(Principal::membership) {
        Some(m) => {
            let scope = crate::companies::CompanyScope::after_access_check(m.company_id);
            mercato_store::companies::get(app.db(), &scope)
                .await?
                .map(|c| c.market_code)
        }
        None => None,
    };
    let pick = |code: Option<&str>| code.and_then(|c| all.iter().find(|m| m.code == c));
    let chosen = pick(company_market.as_deref())
        .or_else(|| pick(requested))
        .or_else(|| all.iter().find(|m| m.is_default))
        .or_else(|| all.first())
        .cloned()
        .ok_or(AppError::NotFound("market"))?;
    Ok((chosen, all))
}

/// Creates or replaces an attribute definition (by code).
pub async fn save_attribute(
    app: &App,
    actor: Option<&Principal>,
    def: AttributeDef,
) -> Result<AttributeDef, AppError> {
    require_catalog(actor)?;
    if let AttributeKind::Number { unit: Some(u) } = &def.kind
        && mercato_core::attribute::MeasureUnit::find(u).is_none()
    {
        return Err(AppError::invalid(
            "kind.unit",
            "unknown_unit",
            format!("unknown unit {u:?}"),
        ));
    }
    if def.name.is_empty() {
        return Err(AppError::invalid(
            "name",
            "required",
            "give the attribute a name in at least one language",
        ));
    }
    let mut tx = app.db().begin().await?;
    let now = Timestamp::now();
    store::upsert_attribute(&mut tx, &def, now).await?;
    taxonomy_changed(&mut tx, "attribute", def.code.as_str().to_string(), now).await?;
    tx.commit().await?;
    app.catalog_changed();
    Ok(def)
}

/// Every attribute definition.
pub async fn attributes(app: &App) -> Result<Vec<AttributeDef>, AppError> {
    // From the cached taxonomy (storefront pages ask on every request).
    let mut all: Vec<AttributeDef> = taxonomy(app).await?.attributes.values().cloned().collect();
    all.sort_by(|a, b| {
        a.position
            .cmp(&b.position)
            .then_with(|| a.code.as_str().cmp(b.code.as_str()))
    });
    Ok(all)
}

/// Input for a category, addressed by slug.
#[derive(Clone, Debug)]
pub struct CategoryInput {
    pub slug: String,
    pub parent: Option<String>,
    pub name: LocalizedText,
    pub position: i32,
    pub attributes: Vec<CategoryAttribute>,
}

/// Creates or updates a category by slug; the parent is named by slug too.
pub async fn save_category(
    app: &App,
    actor: Option<&Principal>,
    input: CategoryInput,
) -> Result<Category, AppError> {
    require_catalog(actor)?;
    let slug = Slug::parse(&input.slug)
        .map_err(|e| AppError::invalid("slug", "invalid_slug", e.to_string()))?;
    let existing = store::list_categories(app.db()).await?;
    let parent = match &input.parent {
        Some(p) => Some(
            existing
                .iter()
                .find(|c| c.slug.as_str() == p)
                .map(|c| c.id)
                .ok_or_else(|| {
                    AppError::invalid(
                        "parent",
                        "unknown_category",
                        format!("no category with slug {p:?}"),
                    )
                })?,
        ),
        None => None,
    };
    let id = existing
        .iter()
        .find(|c| c.slug == slug)
        .map(|c| c.id)
        .unwrap_or_default();
    // A category cannot become its own ancestor.
    let mut cursor = parent;
    while let Some(pid) = cursor {
        if pid == id {
            return Err(AppError::invalid(
                "parent",
                "cycle",
                "a category cannot be moved below itself",
            ));
        }
        cursor = existing.iter().find(|c| c.id == pid).and_then(|c| c.parent);
    }
    let known = store::list_attributes(app.db()).await?;
    let mut errors = Vec::new();
    for a in &input.attributes {
        if !known.iter().any(|k| k.code == a.code) {
            errors.push(FieldError::new(
                "attributes",
                "unknown_attribute",
                format!("no attribute {}", a.code.as_str()),
            ));
        }
    }
    if input.name.is_empty() {
        errors.push(FieldError::new(
            "name",
            "required",
            "give the category a name in at least one language",
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let category = Category {
        id,
        parent,
        slug,
        name: input.name,
        position: input.position,
        attributes: input.attributes,
    };
    let mut tx = app.db().begin().await?;
    let now = Timestamp::now();
    store::upsert_category(&mut tx, &category, now).await?;
    taxonomy_changed(&mut tx, "category", category.slug.to_string(), now).await?;
    tx.commit().await?;
    app.catalog_changed();
    Ok(category)
}

/// Every category.
pub async fn categories(app: &App) -> Result<Vec<Category>, AppError> {
    Ok(store::list_categories(app.db()).await?)
}

/// How many products the catalog has (drafts included).
pub async fn count_products(app: &App) -> Result<i64, AppError> {
    Ok(store::count_products(app.db()).await?)
}

/// Every brand.
pub async fn brands(app: &App) -> Result<Vec<Brand>, AppError> {
    let mut all: Vec<Brand> = taxonomy(app).await?.brands.values().cloned().collect();
    all.sort_by(|a, b| {
        a.name
            .cmp(&b.name)
            .then_with(|| a.slug.as_str().cmp(b.slug.as_str()))
    });
    Ok(all)
}

/// Creates a brand with this name (or returns the existing one).
pub async fn ensure_brand(
    app: &App,
    actor: Option<&Principal>,
    name: &str,
) -> Result<Brand, AppError> {
    require_catalog(actor)?;
    let name = name.trim();
    if name.is_empty() {
        return Err(AppError::invalid(
            "name",
            "required",
            "a brand needs a name",
        ));
    }
    let all = store::list_brands(app.db()).await?;
    if let Some(b) = all.iter().find(|b| b.name.eq_ignore_ascii_case(name)) {
        return Ok(b.clone());
    }
    let brand = Brand {
        id: BrandId::new(),
        slug: brand_slug(name, &all)?,
        name: name.to_string(),
    };
    let mut tx = app.db().begin().await?;
    store::upsert_brand(&mut tx, &brand, Timestamp::now()).await?;
    tx.commit().await?;
    app.catalog_cache().invalidate();
    Ok(brand)
}

/// A free slug for a brand name (Chinese names get `brand`, `brand-2`…).
pub(crate) fn brand_slug(name: &str, taken: &[Brand]) -> Result<Slug, AppError> {
    let base = Slug::from_text(name)
        .map(|s| s.to_string())
        .unwrap_or_else(|| "brand".into());
    let mut candidate = base.clone();
    let mut n = 2;
    while taken.iter().any(|b| b.slug.as_str() == candidate) {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    Slug::parse(&candidate).map_err(|e| AppError::Internal(e.to_string()))
}

// ------------------------------------------------------------- read models

/// One attribute of a variant, resolved for display.
#[derive(Clone, Debug, Serialize)]
pub struct AttributeView {
    pub code: String,
    pub name: String,
    /// The raw value: a decimal string for numbers, the option code for enums.
    pub value: String,
    pub unit: Option<String>,
    /// For people: `20 mm`, `Stainless steel A2`, `yes`.
    pub display: String,
}

/// A variant as buyers see it.
#[derive(Clone, Debug, Serialize)]
pub struct VariantView {
    pub id: String,
    pub sku: String,
    pub gtin: Option<String>,
    pub mpn: Option<String>,
    pub unit: String,
    pub pack_size: u32,
    pub min_quantity: String,
    pub quantity_step: String,
    pub weight_kg: Option<String>,
    pub dimensions_mm: Option<[Option<String>; 3]>,
    pub status: String,
    pub replacement_sku: Option<String>,
    pub attributes: Vec<AttributeView>,
    /// The caller's price: filled per request by the HTTP layer from
    /// `pricing::shelf_prices` (this view is shared by every caller);
    /// `null` when the market hides prices.
    pub price: Option<serde_json::Value>,
    pub tier_prices: Vec<serde_json::Value>,
    /// Availability as the caller's market shows it, filled per request
    /// like `price`.
    pub stock: Option<serde_json::Value>,
}

impl VariantView {
    /// The display text of attribute `code` on this variant (empty when unset).
    pub fn display_of(&self, code: &str) -> String {
        self.attributes
            .iter()
            .find(|a| a.code == code)
            .map(|a| a.display.clone())
            .unwrap_or_default()
    }
}

/// An image, video or document as buyers see it.
#[derive(Clone, Debug, Serialize)]
pub struct MediaView {
    pub kind: String,
    pub url: String,
    pub file_name: String,
    pub mime: String,
    pub width: Option<i32>,
    pub height: Option<i32>,
    pub alt: Option<String>,
    pub title: Option<String>,
    pub lang: Option<String>,
    /// Sized versions of an image: `list`, `detail`, `zoom`.
    pub renditions: BTreeMap<String, RenditionView>,
}

/// A sized image.
#[derive(Clone, Debug, Serialize)]
pub struct RenditionView {
    pub url: String,
    pub width: u32,
    pub height: u32,
}

/// A product related to the one shown.
#[derive(Clone, Debug, Serialize)]
pub struct RelatedView {
    /// `accessory`, `spare_part`, `replacement`, `similar`, or seen from the
    /// other side `accessory_for`, `spare_part_for`, `replaces`.
    pub relation: String,
    pub id: String,
    pub slug: String,
    pub name: String,
}

/// A category on the path to a product.
#[derive(Clone, Debug, Serialize)]
pub struct CategoryRef {
    pub id: String,
    pub slug: String,
    pub name: String,
}

/// A product resolved for one market and language.
#[derive(Clone, Debug, Serialize)]
pub struct ProductView {
    pub id: String,
    pub slug: String,
    pub status: String,
    pub lang: String,
    pub market: String,
    pub name: String,
    pub short_description: Option<String>,
    pub description: Option<String>,
    pub meta_title: Option<String>,
    pub meta_description: Option<String>,
    pub brand: Option<CategoryRef>,
    /// Root first.
    pub category_path: Vec<CategoryRef>,
    pub variants: Vec<VariantView>,
    pub media: Vec<MediaView>,
    pub documents: Vec<MediaView>,
    pub videos: Vec<MediaView>,
    pub related: Vec<RelatedView>,
    /// Languages this product has a name in.
    pub languages: Vec<String>,
}

/// Everything a product page needs, loaded once.
#[derive(Clone)]
pub(crate) struct CatalogContext {
    pub market: Market,
    pub lang: Lang,
    pub fallbacks: Vec<Lang>,
    pub attributes: std::sync::Arc<HashMap<String, AttributeDef>>,
    pub categories: std::sync::Arc<HashMap<CategoryId, Category>>,
    pub brands: std::sync::Arc<HashMap<BrandId, Brand>>,
}

/// The taxonomy, from the cache or freshly loaded.
pub(crate) async fn taxonomy(
    app: &App,
) -> Result<std::sync::Arc<crate::cache::Taxonomy>, AppError> {
    let cache = app.catalog_cache();
    if let Some(t) = cache.taxonomy() {
        return Ok(t);
    }
    let generation = cache.generation();
    let t = std::sync::Arc::new(crate::cache::Taxonomy {
        markets: store::list_markets(app.db()).await?,
        attributes: std::sync::Arc::new(
            store::list_attributes(app.db())
                .await?
                .into_iter()
                .map(|a| (a.code.as_str().to_string(), a))
                .collect(),
        ),
        categories: std::sync::Arc::new(
            store::list_categories(app.db())
                .await?
                .into_iter()
                .map(|c| (c.id, c))
                .collect(),
        ),
        brands: std::sync::Arc::new(
            store::list_brands(app.db())
                .await?
                .into_iter()
                .map(|b| (b.id, b))
                .collect(),
        ),
    });
    cache.put_taxonomy(generation, t.clone());
    Ok(t)
}

impl CatalogContext {
    pub(crate) async fn load(
        app: &App,
        market: Option<&str>,
        lang: Option<&Lang>,
    ) -> Result<Self, AppError> {
        let tax = taxonomy(app).await?;
        let market = match market {
            Some(c) => tax
                .markets
                .iter()
                .find(|m| m.code == c)
                .cloned()
                .ok_or(AppError::NotFound("market"))?,
            None => tax
                .markets
                .first()
                .cloned()
                .ok_or(AppError::NotFound("market"))?,
        };
        let lang = market.pick_language(lang);
        let fallbacks = market.fallbacks(&lang);
        Ok(Self {
            market,
            lang,
            fallbacks,
            attributes: tax.attributes.clone(),
            categories: tax.categories.clone(),
            brands: tax.brands.clone(),
        })
    }

    pub(crate) fn text(&self, t: &LocalizedText) -> Option<String> {
        t.resolve(&self.lang, &self.fallbacks).map(str::to_string)
    }

    /// Lays this market's text overrides over `products` (one query).
    pub(crate) async fn apply_market_texts(
        &self,
        app: &App,
        products: &mut [Product],
    ) -> Result<(), AppError> {
        let ids: Vec<ProductId> = products.iter().map(|p| p.id).collect();
        let overrides = store::market_content_of(app.db(), &ids, &self.market.code).await?;
        if overrides.is_empty() {
            return Ok(());
        }
        for p in products.iter_mut() {
            if let Some(o) = overrides.get(&p.id) {
                o.apply(p);
            }
        }
        Ok(())
    }

    pub(crate) fn category_path(&self, id: Option<CategoryId>) -> Vec<CategoryRef> {
        let mut path = Vec::new();
        let mut cursor = id;
        while let Some(cid) = cursor {
            let Some(c) = self.categories.get(&cid) else {
                break;
            };
            path.push(CategoryRef {
                id: c.id.to_string(),
                slug: c.slug.to_string(),
                name: self.text(&c.name).unwrap_or_else(|| c.slug.to_string()),
            });
            cursor = c.parent;
            if path.len() > 32 {
                break;
            }
        }
        path.reverse();
        path
    }

    fn attribute_view(&self, code: &str, value: &AttributeValue) -> AttributeView {
        let def = self.attributes.get(code);
        let name = def
            .and_then(|d| self.text(&d.name))
            .unwrap_or_else(|| code.to_string());
        let unit = def.and_then(|d| match &d.kind {
            AttributeKind::Number { unit } => unit.clone(),
            _ => None,
        });
        let raw = value.to_cell();
        let display = match (value, def.map(|d| &d.kind)) {
            (AttributeValue::Number(n), _) => match &unit {
                Some(u) => format!("{} {u}", n.normalize()),
                None => n.normalize().to_string(),
            },
            (AttributeValue::Text(code), Some(AttributeKind::Enum { options })) => options
                .iter()
                .find(|o| &o.code == code)
                .and_then(|o| self.text(&o.label))
                .unwrap_or_else(|| code.clone()),
            (AttributeValue::Bool(b), _) => match (self.lang.as_str().starts_with("zh"), b) {
                (true, true) => "是".into(),
                (true, false) => "否".into(),
                (false, true) => "yes".into(),
                (false, false) => "no".into(),
            },
            (AttributeValue::Text(t), _) => t.clone(),
        };
        AttributeView {
            code: code.to_string(),
            name,
            value: raw,
            unit,
            display,
        }
    }

    pub(crate) fn variant_view(&self, v: &mercato_core::catalog::Variant) -> VariantView {
        let mut attrs: Vec<(i32, AttributeView)> = v
            .attributes
            .iter()
            .map(|(code, value)| {
                (
                    self.attributes
                        .get(code.as_str())
                        .map(|d| d.position)
                        .unwrap_or(i32::MAX),
                    self.attribute_view(code.as_str(), value),
                )
            })
            .collect();
        attrs.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.code.cmp(&b.1.code)));
        let dims = [v.length_mm, v.width_mm, v.height_mm];
        VariantView {
            id: v.id.to_string(),
            sku: v.sku.to_string(),
            gtin: v.gtin.as_ref().map(|g| g.as_str().to_string()),
            mpn: v.mpn.clone(),
            unit: v.unit.code().to_string(),
            pack_size: v.pack_size,
            min_quantity: v.min_quantity.normalize().to_string(),
            quantity_step: v.quantity_step.normalize().to_string(),
            weight_kg: v.weight_kg.map(|w| w.normalize().to_string()),
            dimensions_mm: dims
                .iter()
                .any(Option::is_some)
                .then(|| dims.map(|d| d.map(|x| x.normalize().to_string()))),
            status: v.status.code().to_string(),
            replacement_sku: v.replacement_sku.as_ref().map(|s| s.to_string()),
            attributes: attrs.into_iter().map(|(_, a)| a).collect(),
            price: None,
            tier_prices: Vec::new(),
            stock: None,
        }
    }

    pub(crate) fn media_view(&self, m: &MediaRecord) -> MediaView {
        let url = match (&m.url, &m.content_hash) {
            (Some(u), _) => u.clone(),
            (None, Some(h)) => format!("/media/{}", media_key(&m.kind, h, &m.mime)),
            (None, None) => String::new(),
        };
        MediaView {
            kind: m.kind.clone(),
            url,
            file_name: m.file_name.clone(),
            mime: m.mime.clone(),
            width: m.width,
            height: m.height,
            alt: self.text(&m.alt),
            title: self.text(&m.title),
            lang: m.lang.clone(),
            renditions: m
                .renditions
                .iter()
                .map(|r| {
                    (
                        r.name.clone(),
                        RenditionView {
                            url: format!("/media/{}", r.key),
                            width: r.width,
                            height: r.height,
                        },
                    )
                })
                .collect(),
        }
    }

    /// A product for lists, with the list-size picture from `media`.
    pub(crate) fn summary(&self, p: &Product, media: Option<&[MediaRecord]>) -> ProductSummary {
        let image = media
            .and_then(|ms| ms.iter().find(|m| m.kind == "image"))
            .and_then(|m| list_picture(&self.media_view(m)));
        ProductSummary {
            id: p.id.to_string(),
            slug: p.slug.to_string(),
            name: self.text(&p.name).unwrap_or_else(|| p.slug.to_string()),
            short_description: self.text(&p.short_description),
            status: p.status.code().to_string(),
            brand: p
                .brand
                .and_then(|b| self.brands.get(&b))
                .map(|b| b.name.clone()),
            category: self
                .category_path(p.category)
                .last()
                .map(|c| c.name.clone()),
            skus: p
                .variants
                .iter()
                .take(5)
                .map(|v| v.sku.to_string())
                .collect(),
            variant_count: p.variants.len(),
            image,
            price: None,
            matched_sku: None,
        }
    }

    /// Whether buyers of this market may see the product.
    pub(crate) fn visible(&self, p: &Product) -> bool {
        p.status != ProductStatus::Draft
            && (p.markets.is_empty() || p.markets.iter().any(|m| m == &self.market.code))
    }
}

/// The media-store key of a stored file.
pub(crate) fn media_key(kind: &str, hash: &str, mime: &str) -> String {
    let ext = match mime {
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "image/webp" => "webp",
        "image/gif" => "gif",
        "application/pdf" => "pdf",
        "video/mp4" => "mp4",
        "video/webm" => "webm",
        "video/quicktime" => "mov",
        _ => "bin",
    };
    match kind {
        "image" => mercato_media::original_key(hash, ext),
        "document" => mercato_media::document_key(hash),
        _ => mercato_media::video_key(hash, ext),
    }
}

/// The product and variant of a part number (see `mercato_store::catalog::find_sku`).
pub async fn find_sku(
    app: &App,
    sku: &str,
) -> Result<Option<(ProductId, mercato_core::VariantId)>, AppError> {
    Ok(store::find_sku(app.db(), sku).await?)
}

/// The stored part number of each typed one, in order (`None`: unknown).
/// Exact part numbers are looked up in one query per 400; only misses are
/// looked up one by one with separator and case folding (`m8-20` →
/// `M8x20`), so what is stored is always the canonical spelling.
pub(crate) async fn canonical_skus(
    app: &App,
    typed: &[String],
) -> Result<Vec<Option<String>>, AppError> {
    let known = mercato_store::carts::sku_facts(app.db(), typed).await?;
    let mut out = Vec::with_capacity(typed.len());
    for sku in typed {
        out.push(if known.contains_key(sku) {
            Some(sku.clone())
        } else {
            match store::find_sku(app.db(), sku).await? {
                Some((_, variant)) => store::sku_of_variant(app.db(), variant).await?,
                None => None,
            }
        });
    }
    Ok(out)
}

/// Resolves `key` (a product id or slug) to a product id.
pub async fn resolve_product(app: &App, key: &str) -> Result<Option<ProductId>, AppError> {
    // An id that names no product may still be a slug (slugs can look like UUIDs).
    if let Ok(id) = key.parse::<ProductId>()
        && store::product_exists(app.db(), id).await?
    {
        return Ok(Some(id));
    }
    Ok(store::find_product_by_slug(app.db(), key).await?)
}

/// A product for buyers of `market` in `lang`; `None` when it does not
/// exist or is not visible there (drafts, other markets).
pub async fn product_view(
    app: &App,
    key: &str,
    market: Option<&str>,
    lang: Option<&Lang>,
) -> Result<Option<ProductView>, AppError> {
    Ok(product_view_shared(app, key, market, lang)
        .await?
        .map(|v| v.view.clone()))
}

/// [`product_view`] from the in-process cache, with its JSON body and ETag.
pub async fn product_view_shared(
    app: &App,
    key: &str,
    market: Option<&str>,
    lang: Option<&Lang>,
) -> Result<Option<std::sync::Arc<crate::cache::CachedProduct>>, AppError> {
    // The generation is read before the context, so a write in between
    // cannot be cached as current.
    let generation = app.catalog_cache().generation();
    let ctx = CatalogContext::load(app, market, lang).await?;
    cached_view(app, &ctx, generation, key).await
}

/// [`product_view_shared`] for a context the caller has already loaded
/// (a page of search hits loads it once, not once per hit); `generation`
/// is the cache generation read before `ctx` was loaded.
pub(crate) async fn cached_view(
    app: &App,
    ctx: &CatalogContext,
    generation: u64,
    key: &str,
) -> Result<Option<std::sync::Arc<crate::cache::CachedProduct>>, AppError> {
    let cache = app.catalog_cache();
    let cache_key = (
        key.to_string(),
        ctx.market.code.clone(),
        ctx.lang.to_string(),
    );
    match cache.lookup_view(&cache_key) {
        crate::cache::ViewLookup::Fresh(v) => return Ok(v),
        crate::cache::ViewLookup::Stale(v) => {
            let (app, ctx, key) = (app.clone(), ctx.clone(), key.to_string());
            tokio::spawn(async move {
                if let Err(e) = load_and_cache(&app, &ctx, generation, &key, cache_key).await {
                    tracing::warn!(error = %e, product = %key, "product view refresh failed");
                }
            });
            return Ok(v);
        }
        crate::cache::ViewLookup::Miss => {}
    }
    load_and_cache(app, ctx, generation, key, cache_key).await
}

/// Loads a product view and keeps it in the cache.
async fn load_and_cache(
    app: &App,
    ctx: &CatalogContext,
    generation: u64,
    key: &str,
    cache_key: (String, String, String),
) -> Result<Option<std::sync::Arc<crate::cache::CachedProduct>>, AppError> {
    let cache = app.catalog_cache();
    let cached = match load_view(app, ctx, key).await? {
        Some(view) => {
            let json = serde_json::to_vec(&view).map_err(|e| AppError::Internal(e.to_string()))?;
            let etag = format!("\"{}\"", &crate::secret::digest_bytes(&json)[..16]);
            Some(std::sync::Arc::new(crate::cache::CachedProduct {
                view,
                json,
                etag,
            }))
        }
        None => None,
    };
    cache.put_view(generation, cache_key, cached.clone());
    Ok(cached)
}

async fn load_view(
    app: &App,
    ctx: &CatalogContext,
    key: &str,
) -> Result<Option<ProductView>, AppError> {
    let Some(id) = resolve_product(app, key).await? else {
        return Ok(None);
    };
    let mut loaded = store::load_products(app.db(), &[id]).await?;
    ctx.apply_market_texts(app, &mut loaded).await?;
    let Some(product) = loaded.into_iter().next() else {
        return Ok(None);
    };
    if !ctx.visible(&product) {
        return Ok(None);
    }
    let media = store::media_of(app.db(), &[id])
        .await?
        .remove(&id)
        .unwrap_or_default();
    let relations = store::relations_of(app.db(), &[id]).await?;
    let related = related_views(app, ctx, id, &relations).await?;
    Ok(Some(build_view(ctx, &product, &media, related)))
}

async fn related_views(
    app: &App,
    ctx: &CatalogContext,
    id: ProductId,
    relations: &[RelationRecord],
) -> Result<Vec<RelatedView>, AppError> {
    let others: Vec<ProductId> = relations
        .iter()
        .map(|r| {
            if r.product == id {
                r.related
            } else {
                r.product
            }
        })
        .collect();
    let mut others = store::load_products(app.db(), &others).await?;
    ctx.apply_market_texts(app, &mut others).await?;
    let loaded: HashMap<ProductId, Product> = others.into_iter().map(|p| (p.id, p)).collect();
    let mut out = Vec::new();
    for r in relations {
        let (other, label) = if r.product == id {
            (r.related, r.kind.clone())
        } else {
            let inverse = mercato_core::catalog::RelationKind::parse(&r.kind)
                .map(|k| k.inverse_code().to_string())
                .unwrap_or_else(|_| r.kind.clone());
            (r.product, inverse)
        };
        if let Some(p) = loaded.get(&other).filter(|p| ctx.visible(p))
            && !out
                .iter()
                .any(|v: &RelatedView| v.id == p.id.to_string() && v.relation == label)
        {
            out.push(RelatedView {
                relation: label,
                id: p.id.to_string(),
                slug: p.slug.to_string(),
                name: ctx.text(&p.name).unwrap_or_default(),
            });
        }
    }
    Ok(out)
}

fn build_view(
    ctx: &CatalogContext,
    p: &Product,
    media: &[MediaRecord],
    related: Vec<RelatedView>,
) -> ProductView {
    let (mut images, mut documents, mut videos) = (Vec::new(), Vec::new(), Vec::new());
    for m in media {
        let v = ctx.media_view(m);
        match m.kind.as_str() {
            "image" => images.push(v),
            "document" => documents.push(v),
            _ => videos.push(v),
        }
    }
    ProductView {
        id: p.id.to_string(),
        slug: p.slug.to_string(),
        status: p.status.code().to_string(),
        lang: ctx.lang.to_string(),
        market: ctx.market.code.clone(),
        name: ctx.text(&p.name).unwrap_or_else(|| p.slug.to_string()),
        short_description: ctx.text(&p.short_description),
        description: ctx.text(&p.description),
        meta_title: ctx.text(&p.meta_title),
        meta_description: ctx.text(&p.meta_description),
        brand: p
            .brand
            .and_then(|b| ctx.brands.get(&b))
            .map(|b| CategoryRef {
                id: b.id.to_string(),
                slug: b.slug.to_string(),
                name: b.name.clone(),
            }),
        category_path: ctx.category_path(p.category),
        variants: p.variants.iter().map(|v| ctx.variant_view(v)).collect(),
        media: images,
        documents,
        videos,
        related,
        languages: p.name.langs().map(|l| l.to_string()).collect(),
    }
}

/// A product in a list.
#[derive(Clone, Debug, Serialize)]
pub struct ProductSummary {
    pub id: String,
    pub slug: String,
    pub name: String,
    pub short_description: Option<String>,
    pub status: String,
    pub brand: Option<String>,
    pub category: Option<String>,
    pub skus: Vec<String>,
    pub variant_count: usize,
    /// The list-size picture.
    pub image: Option<RenditionView>,
    pub price: Option<serde_json::Value>,
    /// The variant whose part number, GTIN or MPN the search text matched
    /// exactly.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matched_sku: Option<String>,
}

/// The picture a list shows of an image: its `list` rendition, else any.
fn list_picture(image: &MediaView) -> Option<RenditionView> {
    image
        .renditions
        .get("list")
        .or_else(|| image.renditions.values().next())
        .cloned()
}

impl From<&ProductView> for ProductSummary {
    /// The list form of a resolved product (same texts, the list picture).
    fn from(v: &ProductView) -> Self {
        ProductSummary {
            id: v.id.clone(),
            slug: v.slug.clone(),
            name: v.name.clone(),
            short_description: v.short_description.clone(),
            status: v.status.clone(),
            brand: v.brand.as_ref().map(|b| b.name.clone()),
            category: v.category_path.last().map(|c| c.name.clone()),
            skus: v.variants.iter().take(5).map(|x| x.sku.clone()).collect(),
            variant_count: v.variants.len(),
            image: v.media.first().and_then(list_picture),
            price: None,
            matched_sku: None,
        }
    }
}

/// The products most often ordered in `market` over the last 90 days
/// (the storefront's "popular" list), as list summaries, at most `limit`.
pub async fn popular_products(
    app: &App,
    market: Option<&str>,
    lang: Option<&Lang>,
    limit: i64,
) -> Result<Vec<ProductSummary>, AppError> {
    let generation = app.catalog_cache().generation();
    let ctx = CatalogContext::load(app, market, lang).await?;
    let since = mercato_store::Timestamp::now().plus(-time::Duration::days(90));
    let slugs =
        mercato_store::orders::popular_products(app.db(), &ctx.market.code, since, limit).await?;
    let mut out = Vec::with_capacity(slugs.len());
    for slug in slugs {
        if let Some(v) = cached_view(app, &ctx, generation, &slug).await? {
            out.push(ProductSummary::from(&v.view));
        }
    }
    Ok(out)
}

/// A page of products.
#[derive(Clone, Debug, Serialize)]
pub struct ProductPage {
    pub items: Vec<ProductSummary>,
    pub next_cursor: Option<String>,
}

/// Filters of the product list.
#[derive(Clone, Debug, Default)]
pub struct ListQuery {
    pub category: Option<String>,
    pub brand: Option<String>,
    pub text: Option<String>,
    /// Staff may list drafts; buyers see active and discontinued products.
    pub include_drafts: bool,
    pub status: Option<ProductStatus>,
}

/// Products in slug order, filtered, for a market and language.
pub async fn list_products(
    app: &App,
    q: &ListQuery,
    market: Option<&str>,
    lang: Option<&Lang>,
    cursor: Option<&str>,
    limit: i64,
) -> Result<ProductPage, AppError> {
    if !(1..=200).contains(&limit) {
        return Err(AppError::invalid(
            "limit",
            "out_of_range",
            "limit must be 1 to 200",
        ));
    }
    let ctx = CatalogContext::load(app, market, lang).await?;
    let mut filter = ProductFilter {
        market: Some(ctx.market.code.clone()),
        text: q.text.clone().filter(|t| !t.trim().is_empty()),
        status: q.status,
        ..Default::default()
    };
    if let Some(slug) = &q.category {
        let root = ctx
            .categories
            .values()
            .find(|c| c.slug.as_str() == slug)
            .ok_or_else(|| {
                AppError::invalid(
                    "category",
                    "unknown_category",
                    format!("no category {slug:?}"),
                )
            })?;
        filter.categories = descendants(&ctx.categories, root.id);
    }
    if let Some(slug) = &q.brand {
        let b = ctx
            .brands
            .values()
            .find(|b| b.slug.as_str() == slug)
            .ok_or_else(|| {
                AppError::invalid("brand", "unknown_brand", format!("no brand {slug:?}"))
            })?;
        filter.brand = Some(b.id);
    }
    if q.include_drafts {
        filter.market = None;
    }
    // Drafts are filtered after loading; fetch one extra to know if a next page exists.
    let mut items = Vec::new();
    let mut after = cursor.map(str::to_string);
    let mut next_cursor = None;
    'pages: loop {
        let ids = store::list_product_ids(app.db(), &filter, after.as_deref(), limit + 1).await?;
        if ids.is_empty() {
            break;
        }
        let exhausted = (ids.len() as i64) <= limit;
        let mut products =
            store::load_products(app.db(), &ids.iter().map(|(id, _)| *id).collect::<Vec<_>>())
                .await?;
        ctx.apply_market_texts(app, &mut products).await?;
        let media =
            store::media_of(app.db(), &products.iter().map(|p| p.id).collect::<Vec<_>>()).await?;
        for p in &products {
            after = Some(p.slug.to_string());
            if !(q.include_drafts || ctx.visible(p)) {
                continue;
            }
            if items.len() as i64 == limit {
                next_cursor = items.last().map(|s: &ProductSummary| s.slug.clone());
                break 'pages;
            }
            items.push(ctx.summary(p, media.get(&p.id).map(Vec::as_slice)));
        }
        if exhausted {
            break;
        }
    }
    Ok(ProductPage { items, next_cursor })
}

pub(crate) fn descendants(
    all: &HashMap<CategoryId, Category>,
    root: CategoryId,
) -> Vec<CategoryId> {
    let mut out = vec![root];
    let mut i = 0;
    while i < out.len() {
        let current = out[i];
        out.extend(
            all.values()
                .filter(|c| c.parent == Some(current))
                .map(|c| c.id),
        );
        i += 1;
        if out.len() > 100_000 {
            break;
        }
    }
    out
}

/// A node of the category tree for display.
#[derive(Clone, Debug, Serialize)]
pub struct CategoryNode {
    pub id: String,
    pub slug: String,
    pub name: String,
    pub position: i32,
    pub attributes: Vec<CategoryAttribute>,
    pub children: Vec<CategoryNode>,
}

/// The category tree resolved for a market's language.
pub async fn category_tree(
    app: &App,
    market: Option<&str>,
    lang: Option<&Lang>,
) -> Result<Vec<CategoryNode>, AppError> {
    let ctx = CatalogContext::load(app, market, lang).await?;
    fn build(ctx: &CatalogContext, parent: Option<CategoryId>) -> Vec<CategoryNode> {
        let mut children: Vec<&Category> = ctx
            .categories
            .values()
            .filter(|c| c.parent == parent)
            .collect();
        children.sort_by(|a, b| {
            a.position
                .cmp(&b.position)
                .then_with(|| a.slug.cmp(&b.slug))
        });
        children
            .into_iter()
            .map(|c| CategoryNode {
                id: c.id.to_string(),
                slug: c.slug.to_string(),
                name: ctx.text(&c.name).unwrap_or_else(|| c.slug.to_string()),
                position: c.position,
                attributes: c.attributes.clone(),
                children: build(ctx, Some(c.id)),
            })
            .collect()
    }
    Ok(build(&ctx, None))
}

/// A product's completeness in one market language, for the back office.
#[derive(Clone, Debug, Serialize)]
pub struct CompletenessRow {
    pub id: String,
    pub slug: String,
    pub name: String,
    pub status: String,
    pub lang: String,
    #[serde(flatten)]
    pub completeness: Completeness,
}

/// Completeness of every product for each language of `market`, lowest first, optionally only below `max_score`.
pub async fn completeness_report(
    app: &App,
    market: Option<&str>,
    max_score: Option<u8>,
    limit: usize,
) -> Result<Vec<CompletenessRow>, AppError> {
    let ctx = CatalogContext::load(app, market, None).await?;
    let ids: Vec<ProductId> = store::slug_index(app.db())
        .await?
        .into_iter()
        .map(|(_, id)| id)
        .collect();
    let mut rows = Vec::new();
    for chunk in ids.chunks(500) {
        let products = store::load_products(app.db(), chunk).await?;
        let media = store::media_of(app.db(), chunk).await?;
        for p in &products {
            let attrs: &[CategoryAttribute] = p
                .category
                .and_then(|c| ctx.categories.get(&c))
                .map(|c| c.attributes.as_slice())
                .unwrap_or(&[]);
            let images = media
                .get(&p.id)
                .map(|m| m.iter().filter(|x| x.kind == "image").count())
                .unwrap_or(0);
            for lang in &ctx.market.languages {
                let c = completeness(
                    p,
                    &CompletenessContext {
                        lang,
                        category_attributes: attrs,
                        image_count: images,
                        has_price: None,
                    },
                );
                if max_score.is_none_or(|m| c.score <= m) {
                    rows.push(CompletenessRow {
                        id: p.id.to_string(),
                        slug: p.slug.to_string(),
                        name: p
                            .name
                            .resolve(lang, &ctx.fallbacks)
                            .unwrap_or_default()
                            .to_string(),
                        status: p.status.code().to_string(),
                        lang: lang.to_string(),
                        completeness: c,
                    });
                }
            }
        }
    }
    rows.sort_by(|a, b| {
        a.completeness
            .score
            .cmp(&b.completeness.score)
            .then_with(|| a.slug.cmp(&b.slug))
    });
    rows.truncate(limit);
    Ok(rows)
}

/// A product as the back office shows it: resolved once per language of the
/// default market, plus completeness per language.
pub struct AdminProduct {
    pub status: String,
    pub views: Vec<ProductView>,
    /// (language, score, what is missing)
    pub completeness: Vec<(String, u8, String)>,
}

/// The back-office view of a product, drafts included.
pub async fn admin_product(app: &App, key: &str) -> Result<Option<AdminProduct>, AppError> {
    let Some(id) = resolve_product(app, key).await? else {
        return Ok(None);
    };
    let Some(product) = store::load_products(app.db(), &[id])
        .await?
        .into_iter()
        .next()
    else {
        return Ok(None);
    };
    let media = store::media_of(app.db(), &[id])
        .await?
        .remove(&id)
        .unwrap_or_default();
    let relations = store::relations_of(app.db(), &[id]).await?;
    let base = CatalogContext::load(app, None, None).await?;
    let mut views = Vec::new();
    let mut scores = Vec::new();
    let attrs: Vec<CategoryAttribute> = product
        .category
        .and_then(|c| base.categories.get(&c))
        .map(|c| c.attributes.clone())
        .unwrap_or_default();
    let images = media.iter().filter(|m| m.kind == "image").count();
    for lang in base.market.languages.clone() {
        let ctx = CatalogContext::load(app, None, Some(&lang)).await?;
        let related = related_views(app, &ctx, id, &relations).await?;
        views.push(build_view(&ctx, &product, &media, related));
        let c = completeness(
            &product,
            &CompletenessContext {
                lang: &lang,
                category_attributes: &attrs,
                image_count: images,
                has_price: None,
            },
        );
        scores.push((lang.to_string(), c.score, describe_missing(&c.missing)));
    }
    Ok(Some(AdminProduct {
        status: product.status.code().to_string(),
        views,
        completeness: scores,
    }))
}

/// What is missing, in words, for lists.
pub fn describe_missing(missing: &[mercato_core::completeness::Missing]) -> String {
    use mercato_core::completeness::Missing;
    let mut parts: Vec<String> = Vec::new();
    for m in missing {
        let s = match m {
            Missing::Name { lang } => format!("name ({lang})"),
            Missing::ShortDescription { lang } => format!("short description ({lang})"),
            Missing::Description { lang } => format!("description ({lang})"),
            Missing::Image => "image".into(),
            Missing::Brand => "brand".into(),
            Missing::Category => "category".into(),
            Missing::Attribute { code, sku } => format!("{code} on {sku}"),
            Missing::Price => "price".into(),
        };
        if !parts.contains(&s) {
            parts.push(s);
        }
    }
    parts.join(", ")
}

/// An edit of a product's texts in one language (and optionally its status),
/// as the back-office editor sends it.
#[derive(Clone, Debug)]
pub struct ContentEdit {
    pub lang: Lang,
    /// `Some(code)`: the texts are that market's override (blank removes
    /// the override's text, so the product's own shows again).
    pub market: Option<String>,
    pub name: String,
    pub short_description: String,
    pub description: String,
    pub status: Option<ProductStatus>,
}

/// Changes a product's texts in one language, or one market's override of
/// them; blank text removes that language's translation, but a product
/// keeps a name in some language.
pub async fn edit_product_content(
    app: &App,
    actor: &Principal,
    key: &str,
    edit: ContentEdit,
) -> Result<ProductView, AppError> {
    actor.require(Permission::ManageCatalog, "edit products")?;
    let id = resolve_product(app, key)
        .await?
        .ok_or(AppError::NotFound("product"))?;
    let mut product = store::load_products(app.db(), &[id])
        .await?
        .into_iter()
        .next()
        .ok_or(AppError::NotFound("product"))?;
    if edit.name.chars().count() > 300
        || edit.short_description.chars().count() > 1000
        || edit.description.chars().count() > 20_000
    {
        return Err(AppError::invalid(
            "name",
            "too_long",
            "name ≤ 300, short description ≤ 1,000, description ≤ 20,000 characters",
        ));
    }
    let override_for = match &edit.market {
        Some(code) => {
            if !taxonomy(app).await?.markets.iter().any(|m| &m.code == code) {
                return Err(AppError::invalid(
                    "market",
                    "unknown_market",
                    format!("there is no market {code:?}"),
                ));
            }
            let mut o = store::market_contents(app.db(), id)
                .await?
                .remove(code)
                .unwrap_or_default();
            o.name.set(edit.lang.clone(), &edit.name);
            o.short_description
                .set(edit.lang.clone(), &edit.short_description);
            o.description.set(edit.lang.clone(), &edit.description);
            Some((code.clone(), o))
        }
        None => {
            product.name.set(edit.lang.clone(), &edit.name);
            product
                .short_description
                .set(edit.lang.clone(), &edit.short_description);
            product
                .description
                .set(edit.lang.clone(), &edit.description);
            if product.name.is_empty() {
                return Err(AppError::invalid(
                    "name",
                    "required",
                    "the product needs a name in at least one language",
                ));
            }
            None
        }
    };
    if let Some(status) = edit.status {
        product.status = status;
    }
    let now = Timestamp::now();
    let mut tx = app.db().begin().await?;
    store::save_product(&mut tx, &product, now, false).await?;
    if let Some((code, o)) = &override_for {
        store::save_market_content(&mut tx, id, code, o, now).await?;
    }
    product_changed(&mut tx, id, "product.upserted", now).await?;
    mercato_store::audit::record(
        &mut tx,
        &mercato_store::audit::AuditEntry {
            id: mercato_core::AuditId::new(),
            occurred_at: now,
            actor: Some(actor.user.id),
            on_behalf_of: None,
            action: "product.edit".into(),
            subject_type: "product".into(),
            subject_id: Some(id.to_string()),
            detail: serde_json::json!({
                "lang": edit.lang.to_string(),
                "market": edit.market,
                "status": product.status.code(),
            }),
            ip: None,
            request_id: None,
        },
    )
    .await?;
    tx.commit().await?;
    app.catalog_changed();
    let ctx = CatalogContext::load(app, edit.market.as_deref(), Some(&edit.lang)).await?;
    if let Some((_, o)) = &override_for {
        o.apply(&mut product);
    }
    let media = store::media_of(app.db(), &[id])
        .await?
        .remove(&id)
        .unwrap_or_default();
    Ok(build_view(&ctx, &product, &media, Vec::new()))
}

/// Adds uploaded files (pictures, PDF documents, videos; recognised by
/// content, not by name) to a product's media, after the existing ones.
pub async fn add_product_media(
    app: &App,
    actor: &Principal,
    key: &str,
    files: Vec<(String, Vec<u8>)>,
) -> Result<usize, AppError> {
    actor.require(Permission::ManageCatalog, "change product media")?;
    let id = resolve_product(app, key)
        .await?
        .ok_or(AppError::NotFound("product"))?;
    let mut media = store::media_of(app.db(), &[id])
        .await?
        .remove(&id)
        .unwrap_or_default();
    let service = crate::media::MediaService::new(app);
    let mut errors = Vec::new();
    let mut added = 0;
    for (name, bytes) in files {
        let kind = match mercato_media::sniff(&bytes).map(|(k, _, _)| k) {
            Some(mercato_media::MediaKind::Image) => "image",
            Some(mercato_media::MediaKind::Document) => "document",
            Some(mercato_media::MediaKind::Video) => "video",
            None => {
                errors.push(FieldError::new(
                    "files",
                    "unsupported_file",
                    format!("{name}: not a picture, PDF or video"),
                ));
                continue;
            }
        };
        match service.prepare(kind, &name, bytes).await {
            Ok(file) => {
                service.store(&file).await?;
                let position = i32::try_from(media.len()).unwrap_or(i32::MAX);
                media.push(file.record(kind, None, LocalizedText::new(), position));
                added += 1;
            }
            Err(AppError::Invalid(f)) => errors.extend(
                f.into_iter()
                    .map(|e| FieldError::new("files", &e.code, e.message)),
            ),
            Err(e) => return Err(e),
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let now = Timestamp::now();
    let mut tx = app.db().begin().await?;
    store::replace_media(&mut tx, id, &media, now).await?;
    product_changed(&mut tx, id, "product.upserted", now).await?;
    tx.commit().await?;
    app.catalog_changed();
    Ok(added)
}
