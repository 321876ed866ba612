//! Catalog search: the node's own tantivy index ([`mercato_search`]), fed
//! from the outbox, and the product search buyers use.
//!
//! Each node owns a private index in its data folder. The indexer tails the
//! outbox from the event id stored in the index's last commit, so index
//! state and cursor change together: after a crash the same events are
//! applied again, and since they are upserts that is harmless. A fresh or
//! outdated index (schema version) is rebuilt from the database.
//!
//! Prices per customer are applied after retrieval (DESIGN.md §5); the index
//! holds list prices for the price facet and sort only.

use crate::auth::Principal;
use crate::cache::Taxonomy;
use crate::catalog::{CatalogContext, ProductSummary, taxonomy};
use crate::{App, AppError, FieldError};
use mercato_core::attribute::{AttributeKind, AttributeValue};
use mercato_core::catalog::Product;
use mercato_core::{Lang, Permission, ProductId};
use mercato_search::{
    IndexOptions, NumberRange, OpenState, SearchDoc, SearchError, SearchIndex, SearchRequest,
    SortOrder, Synonyms,
};
use mercato_store::Timestamp;
use mercato_store::catalog::{self as store, ProductFilter};
use mercato_store::outbox::{self, NewEvent};
use mercato_store::search::{self as store_search, SynonymGroup};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Product terms jieba should keep whole (its general dictionary splits
/// many trade words); category and brand names are added at open.
const PRODUCT_TERMS: &[&str] = &[
    "内六角",
    "外六角",
    "六角头",
    "圆柱头",
    "沉头",
    "盘头",
    "半圆头",
    "十字槽",
    "一字槽",
    "自攻",
    "膨胀螺栓",
    "膨胀螺丝",
    "螺栓",
    "螺钉",
    "螺丝",
    "螺母",
    "垫圈",
    "垫片",
    "弹垫",
    "平垫",
    "不锈钢",
    "碳钢",
    "镀锌",
    "达克罗",
    "高强度",
    "尼龙",
    "铜",
    "铝合金",
    "气缸",
    "电磁阀",
    "接头",
    "快插",
    "气管",
    "断路器",
    "接触器",
    "继电器",
    "端子",
    "电缆",
    "线槽",
    "扳手",
    "钻头",
    "丝锥",
    "劳保",
    "手套",
    "安全帽",
    "护目镜",
    "耳塞",
];

/// The node's search index and what drives it.
pub struct SearchService {
    index: SearchIndex,
    /// Set when the index was created or wiped: the indexer rebuilds first.
    needs_rebuild: AtomicBool,
}

impl SearchService {
    /// Opens (or creates) the index in `dir`.
    /// Opens (or creates) the index in `dir`; `catalog_words` extend the
    /// built-in trade terms (see [`catalog_dictionary`]). Other words than
    /// the index was built with make it rebuild.
    pub fn open(dir: &Path, catalog_words: &[String]) -> Result<Self, AppError> {
        let mut dictionary: Vec<String> = PRODUCT_TERMS.iter().map(|t| t.to_string()).collect();
        dictionary.extend(catalog_words.iter().cloned());
        let options = IndexOptions {
            dictionary,
            ..IndexOptions::default()
        };
        let (index, state) = SearchIndex::open(dir, options).map_err(index_error)?;
        Ok(Self {
            needs_rebuild: AtomicBool::new(
                matches!(state, OpenState::Fresh) || index.cursor().is_none(),
            ),
            index,
        })
    }

    /// The index itself.
    pub fn index(&self) -> &SearchIndex {
        &self.index
    }

    /// Asks the indexer to rebuild from the database on its next round.
    pub fn request_rebuild(&self) {
        self.needs_rebuild.store(true, Ordering::SeqCst);
    }
}

/// Chinese words the catalog itself defines, for the word splitter:
/// category and brand names and synonym terms (`膨胀管`, `风炮`), so that
/// jieba keeps them whole. Read at start; a change takes effect when the
/// node restarts (the index then rebuilds, as its dictionary changed).
pub async fn catalog_dictionary(db: &mercato_store::Db) -> Result<Vec<String>, AppError> {
    let mut texts: Vec<String> = Vec::new();
    for c in store::list_categories(db).await? {
        texts.extend(c.name.iter().map(|(_, t)| t.to_string()));
    }
    texts.extend(store::list_brands(db).await?.into_iter().map(|b| b.name));
    for g in store_search::list_synonym_groups(db).await? {
        texts.extend(g.terms);
    }
    let mut words: BTreeSet<String> = BTreeSet::new();
    for t in &texts {
        for w in t.split_whitespace() {
            let chinese = w.chars().all(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
            if chinese && (2..=8).contains(&w.chars().count()) {
                words.insert(w.to_string());
            }
        }
    }
    Ok(words.into_iter().collect())
}

fn index_error(e: SearchError) -> AppError {
    match e {
        SearchError::Invalid {
            field,
            code,
            message,
        } => AppError::Invalid(vec![FieldError::new(&field, code, message)]),
        SearchError::Index(m) => AppError::Internal(format!("search index: {m}")),
    }
}

/// Runs a blocking index call off the async threads.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, SearchError> + Send + 'static,
) -> Result<T, AppError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| AppError::Internal(format!("search task: {e}")))?
        .map_err(index_error)
}

// ------------------------------------------------------------- documents

/// The index document of a product: every language's texts, the taxonomy
/// names on its path, its variants' part numbers and attribute values.
pub fn search_doc(p: &Product, tax: &Taxonomy) -> SearchDoc {
    let markets = if p.markets.is_empty() {
        tax.markets.iter().map(|m| m.code.clone()).collect()
    } else {
        p.markets.clone()
    };
    let names = p
        .name
        .iter()
        .map(|(l, t)| (l.to_string(), t.to_string()))
        .collect();
    let mut descriptions: BTreeMap<String, String> = BTreeMap::new();
    for text in [
        &p.short_description,
        &p.description,
        &p.meta_title,
        &p.meta_description,
    ] {
        for (l, t) in text.iter() {
            let d = descriptions.entry(l.to_string()).or_default();
            if !d.is_empty() {
                d.push('\n');
            }
            d.push_str(t);
        }
    }
    let mut category_path = Vec::new();
    let mut category_names = Vec::new();
    let mut cursor = p.category;
    while let Some(c) = cursor.and_then(|id| tax.categories.get(&id)) {
        category_path.push(c.slug.to_string());
        category_names.extend(c.name.iter().map(|(_, t)| t.to_string()));
        cursor = c.parent;
        if category_path.len() > 32 {
            break;
        }
    }
    category_path.reverse();
    let brand = p
        .brand
        .and_then(|b| tax.brands.get(&b))
        .map(|b| (b.slug.to_string(), b.name.clone()));

    let mut attribute_text = BTreeSet::new();
    let mut facet_values = BTreeSet::new();
    let mut numbers: Vec<(String, f64)> = Vec::new();
    for v in &p.variants {
        for (code, value) in &v.attributes {
            let code = code.as_str();
            let def = tax.attributes.get(code);
            let filterable = def.is_some_and(|d| d.filterable);
            match (value, def.map(|d| &d.kind)) {
                (AttributeValue::Number(n), kind) => {
                    let unit = match kind {
                        Some(AttributeKind::Number { unit: Some(u) }) => format!(" {u}"),
                        _ => String::new(),
                    };
                    attribute_text.insert(format!("{}{unit}", n.normalize()));
                    if let (true, Some(f)) = (filterable, n.to_f64())
                        && !numbers.iter().any(|(c, x)| c == code && *x == f)
                    {
                        numbers.push((code.to_string(), f));
                    }
                }
                (AttributeValue::Text(option), Some(AttributeKind::Enum { options })) => {
                    if let Some(o) = options.iter().find(|o| &o.code == option) {
                        attribute_text.extend(o.label.iter().map(|(_, t)| t.to_string()));
                    }
                    if filterable {
                        facet_values.insert((code.to_string(), option.clone()));
                    }
                }
                (AttributeValue::Text(t), _) => {
                    attribute_text.insert(t.clone());
                    if filterable {
                        facet_values.insert((code.to_string(), t.clone()));
                    }
                }
                (AttributeValue::Bool(b), _) => {
                    if filterable {
                        facet_values.insert((code.to_string(), b.to_string()));
                    }
                }
            }
        }
    }
    SearchDoc {
        product_id: p.id.to_string(),
        slug: p.slug.to_string(),
        status: p.status.code().to_string(),
        markets,
        // Company catalogs add `catalog:<id>` tokens when they exist.
        visibility: vec!["public".into()],
        names,
        descriptions,
        brand,
        category_path,
        category_names,
        skus: p.variants.iter().map(|v| v.sku.to_string()).collect(),
        // Aligned with `skus` (empty where a variant has none), so a GTIN
        // or MPN match names its SKU.
        gtins: p
            .variants
            .iter()
            .map(|v| {
                v.gtin
                    .as_ref()
                    .map(|g| g.as_str().to_string())
                    .unwrap_or_default()
            })
            .collect(),
        mpns: p
            .variants
            .iter()
            .map(|v| v.mpn.clone().unwrap_or_default())
            .collect(),
        attribute_text: attribute_text.into_iter().collect(),
        facet_values: facet_values.into_iter().collect(),
        numbers,
        // Stock and list prices arrive with inventory and the pricing engine.
        in_stock: false,
        list_price: None,
        created_at: p
            .id
            .0
            .get_timestamp()
            .map(|t| t.to_unix().0 as i64)
            .unwrap_or(0),
        popularity: 0.0,
    }
}

// --------------------------------------------------------------- indexing

/// Rebuilds the index from the database: clears it, adds every product and
/// commits with the outbox position read before the first product, so
/// changes made during the rebuild are applied again afterwards.
/// `progress(done, total)` is called after each batch.
pub async fn rebuild(
    app: &App,
    index: &SearchIndex,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<u64, AppError> {
    let cursor = outbox::max_id(app.db()).await?;
    let total = store::count_products(app.db()).await?.max(0) as u64;
    let i = index.clone();
    blocking(move || i.clear()).await?;
    let done = reupsert(app, index, &ProductFilter::default(), &|done| {
        progress(done, total)
    })
    .await?;
    let i = index.clone();
    blocking(move || i.commit(cursor)).await?;
    load_synonyms(app, index).await?;
    Ok(done)
}

/// Reads the synonym groups from the database into the index.
pub async fn load_synonyms(app: &App, index: &SearchIndex) -> Result<(), AppError> {
    let groups = store_search::list_synonym_groups(app.db()).await?;
    index.set_synonyms(synonyms_of(&groups));
    Ok(())
}

/// Applies the outbox events after the index's cursor: products changed
/// are upserted (or deleted when gone), a taxonomy change re-upserts every
/// product, a synonym change reloads the synonyms. Returns how many events
/// were applied.
pub async fn catch_up(app: &App, index: &SearchIndex) -> Result<usize, AppError> {
    let mut cursor = index.cursor().unwrap_or(0);
    let mut applied = 0;
    loop {
        let events = outbox::fetch_after(app.db(), cursor, 1000).await?;
        let Some(last) = events.last().map(|e| e.id) else {
            return Ok(applied);
        };
        let mut products: BTreeSet<ProductId> = BTreeSet::new();
        let mut categories: BTreeSet<String> = BTreeSet::new();
        let mut everything = false;
        let mut synonyms = false;
        for e in &events {
            match (e.aggregate_type.as_str(), e.payload.get("category")) {
                ("product", _) => {
                    if let Ok(id) = e.aggregate_id.parse() {
                        products.insert(ProductId(id));
                    }
                }
                // A category's names are copied into the products below it.
                ("taxonomy", Some(slug)) => {
                    categories.insert(slug.as_str().unwrap_or_default().to_string());
                }
                // Markets and attributes reach every product.
                ("taxonomy", None) => everything = true,
                ("synonyms", _) => synonyms = true,
                _ => {}
            }
        }
        if !categories.is_empty() || everything {
            // The taxonomy just changed: read it afresh, not from the cache.
            app.catalog_cache().invalidate();
        }
        if everything {
            reupsert(app, index, &ProductFilter::default(), &|_| {}).await?;
        } else {
            let tax = taxonomy(app).await?;
            for slug in &categories {
                if let Some(c) = tax.categories.values().find(|c| c.slug.as_str() == slug) {
                    let filter = ProductFilter {
                        categories: crate::catalog::descendants(&tax.categories, c.id),
                        ..Default::default()
                    };
                    reupsert(app, index, &filter, &|_| {}).await?;
                }
            }
        }
        let ids: Vec<ProductId> = products.into_iter().collect();
        for chunk in ids.chunks(500) {
            index_products(app, index, chunk).await?;
        }
        if synonyms {
            load_synonyms(app, index).await?;
        }
        let i = index.clone();
        blocking(move || i.commit(last)).await?;
        applied += events.len();
        cursor = last;
    }
}

/// Re-indexes the products the filter selects, 500 at a time; returns how
/// many, reporting the running count to `progress`.
async fn reupsert(
    app: &App,
    index: &SearchIndex,
    filter: &ProductFilter,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<u64, AppError> {
    let mut after: Option<String> = None;
    let mut done = 0u64;
    loop {
        let ids = store::list_product_ids(app.db(), filter, after.as_deref(), 500).await?;
        let Some((_, last)) = ids.last() else {
            return Ok(done);
        };
        after = Some(last.clone());
        let ids: Vec<ProductId> = ids.into_iter().map(|(id, _)| id).collect();
        done += index_products(app, index, &ids).await? as u64;
        progress(done);
    }
}

/// (Re-)indexes these products as the database has them now; ids no
/// longer in the database leave the index. Returns how many were indexed.
async fn index_products(
    app: &App,
    index: &SearchIndex,
    ids: &[ProductId],
) -> Result<usize, AppError> {
    let found = store::load_products(app.db(), ids).await?;
    // The taxonomy is read after the products, so it knows every category
    // and attribute they refer to (a taxonomy read first could predate a
    // category the products already use).
    let tax = taxonomy(app).await?;
    let present: HashSet<ProductId> = found.iter().map(|p| p.id).collect();
    let docs: Vec<SearchDoc> = found.iter().map(|p| search_doc(p, &tax)).collect();
    let gone: Vec<String> = ids
        .iter()
        .filter(|id| !present.contains(id))
        .map(|id| id.to_string())
        .collect();
    let n = docs.len();
    let i = index.clone();
    blocking(move || {
        for id in &gone {
            i.delete(id)?;
        }
        i.upsert(&docs)
    })
    .await?;
    Ok(n)
}

/// How many outbox events the index has not applied yet.
pub async fn lag(app: &App, index: &SearchIndex) -> Result<i64, AppError> {
    let max = outbox::max_id(app.db()).await?;
    Ok((max - index.cursor().unwrap_or(0)).max(0))
}

/// The indexer loop of `serve`: rebuilds when needed, then applies new
/// events whenever a commit on this node signals them and at least every
/// `poll` (for other nodes' commits). Publishes the `search_lag` gauge.
pub async fn run_indexer(
    app: App,
    poll: Duration,
    shutdown: impl std::future::Future<Output = ()>,
) {
    let Some(service) = app.search() else { return };
    tokio::pin!(shutdown);
    let mut commits = app.events().subscribe();
    if let Err(e) = load_synonyms(&app, &service.index).await {
        tracing::error!(error = %e, "cannot load search synonyms");
    }
    loop {
        if service.needs_rebuild.swap(false, Ordering::SeqCst) {
            let started = std::time::Instant::now();
            match rebuild(&app, &service.index, &|_, _| {}).await {
                Ok(n) => tracing::info!(
                    products = n,
                    ms = started.elapsed().as_millis() as u64,
                    "search index rebuilt"
                ),
                Err(e) => {
                    tracing::error!(error = %e, "search index rebuild failed; retrying");
                    service.request_rebuild();
                }
            }
        }
        if let Err(e) = catch_up(&app, &service.index).await {
            tracing::error!(error = %e, "search indexing failed; will retry");
        }
        if let Ok(lag) = lag(&app, &service.index).await {
            metrics::gauge!("search_lag").set(lag as f64);
        }
        tokio::select! {
            _ = &mut shutdown => return,
            _ = commits.changed() => {}
            _ = tokio::time::sleep(poll) => {}
        }
    }
}

// ----------------------------------------------------------------- queries

/// A filter on one attribute, as `attr.<code>=` gives it.
#[derive(Clone, Debug, PartialEq)]
pub enum AttributeFilter {
    /// Any of these values (enum option codes, `true`/`false`, texts).
    AnyOf(Vec<String>),
    /// A number range in the attribute's unit; either end open.
    Range(Option<Decimal>, Option<Decimal>),
}

impl AttributeFilter {
    /// Parses `a2,a4` (any of), `10..50`, `..50`, `10..` (ranges).
    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        if let Some((lo, hi)) = raw.split_once("..") {
            let bound = |s: &str| -> Result<Option<Decimal>, String> {
                let s = s.trim();
                if s.is_empty() {
                    return Ok(None);
                }
                s.replace(',', ".")
                    .parse::<Decimal>()
                    .map(Some)
                    .map_err(|_| format!("{s:?} is not a number"))
            };
            let (lo, hi) = (bound(lo)?, bound(hi)?);
            if lo.is_none() && hi.is_none() {
                return Err("give at least one end of the range, like 10..50".into());
            }
            if let (Some(a), Some(b)) = (lo, hi)
                && a > b
            {
                return Err(format!("the range starts above its end ({a} > {b})"));
            }
            return Ok(Self::Range(lo, hi));
        }
        let values: Vec<String> = raw
            .split([',', '|'])
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
            .collect();
        if values.is_empty() {
            return Err("give a value, several separated by commas, or a range like 10..50".into());
        }
        Ok(Self::AnyOf(values))
    }
}

/// What a buyer asks of the product list.
#[derive(Clone, Debug, Default)]
pub struct ProductQuery {
    pub text: Option<String>,
    /// Category slugs (OR).
    pub categories: Vec<String>,
    /// Brand slugs (OR).
    pub brands: Vec<String>,
    /// `attr.<code>` filters as given (validated here).
    pub attributes: Vec<(String, String)>,
    pub in_stock: Option<bool>,
    /// `relevance` (default), `price_asc`, `price_desc`, `newest`, `name`.
    pub sort: Option<String>,
    /// Staff may include drafts.
    pub include_drafts: bool,
}

/// A facet value for display.
#[derive(Clone, Debug, Serialize)]
pub struct FacetValue {
    pub value: String,
    pub label: String,
    pub count: u64,
}

/// The spread of a number attribute among the matches.
#[derive(Clone, Debug, Serialize)]
pub struct RangeFacet {
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub unit: Option<String>,
}

/// A page of search results.
#[derive(Clone, Debug, Serialize)]
pub struct SearchPage {
    pub items: Vec<ProductSummary>,
    pub next_cursor: Option<String>,
    /// Products matching in all.
    pub total: u64,
    /// `category`, `brand`, `attr.<code>`, `in_stock`: values with counts
    /// that honour every other selected facet.
    pub facets: BTreeMap<String, Vec<FacetValue>>,
    /// Number attributes (`attr.<code>`): smallest and largest value.
    pub ranges: BTreeMap<String, RangeFacet>,
}

fn sort_order(raw: Option<&str>) -> Result<SortOrder, AppError> {
    Ok(match raw.unwrap_or("relevance") {
        "relevance" => SortOrder::Relevance,
        "price_asc" => SortOrder::PriceAsc,
        "price_desc" => SortOrder::PriceDesc,
        "newest" => SortOrder::Newest,
        "name" => SortOrder::Name,
        other => {
            return Err(AppError::invalid(
                "sort",
                "unknown_sort",
                format!("{other:?} is not one of relevance, price_asc, price_desc, newest, name"),
            ));
        }
    })
}

/// Builds the index request: checks slugs and attribute codes against the
/// catalog, so a typo is a 422 naming the field rather than an empty list.
fn request(
    ctx: &CatalogContext,
    q: &ProductQuery,
    cursor: Option<&str>,
    limit: i64,
) -> Result<SearchRequest, AppError> {
    if !(1..=200).contains(&limit) {
        return Err(AppError::invalid(
            "limit",
            "out_of_range",
            "limit must be 1 to 200",
        ));
    }
    let mut errors = Vec::new();
    for slug in &q.categories {
        if !ctx.categories.values().any(|c| c.slug.as_str() == slug) {
            errors.push(FieldError::new(
                "category",
                "unknown_category",
                format!("no category {slug:?}"),
            ));
        }
    }
    for slug in &q.brands {
        if !ctx.brands.values().any(|b| b.slug.as_str() == slug) {
            errors.push(FieldError::new(
                "brand",
                "unknown_brand",
                format!("no brand {slug:?}"),
            ));
        }
    }
    let mut attributes: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut ranges: BTreeMap<String, NumberRange> = BTreeMap::new();
    for (code, raw) in &q.attributes {
        let field = format!("attr.{code}");
        let Some(def) = ctx.attributes.get(code).filter(|d| d.filterable) else {
            errors.push(FieldError::new(
                &field,
                "unknown_filter",
                format!("{code:?} is not a filterable attribute"),
            ));
            continue;
        };
        match AttributeFilter::parse(raw) {
            Err(m) => errors.push(FieldError::new(&field, "invalid_filter", m)),
            Ok(AttributeFilter::Range(lo, hi)) => {
                if !matches!(def.kind, AttributeKind::Number { .. }) {
                    errors.push(FieldError::new(
                        &field,
                        "invalid_range",
                        format!("{code:?} is not a number attribute; give values instead"),
                    ));
                    continue;
                }
                ranges.insert(
                    code.clone(),
                    NumberRange {
                        min: lo.and_then(|d| d.to_f64()),
                        max: hi.and_then(|d| d.to_f64()),
                    },
                );
            }
            Ok(AttributeFilter::AnyOf(values)) => {
                if matches!(def.kind, AttributeKind::Number { .. }) {
                    // An exact number is the range [n, n].
                    let n = values
                        .first()
                        .and_then(|v| v.replace(',', ".").parse::<Decimal>().ok());
                    match (values.len(), n) {
                        (1, Some(n)) => {
                            let f = n.to_f64();
                            ranges.insert(code.clone(), NumberRange { min: f, max: f });
                        }
                        _ => errors.push(FieldError::new(
                            &field,
                            "invalid_range",
                            "give a number or a range like 10..50",
                        )),
                    }
                } else {
                    attributes.entry(code.clone()).or_default().extend(values);
                }
            }
        }
    }
    let sort = match sort_order(q.sort.as_deref()) {
        Ok(s) => s,
        Err(AppError::Invalid(e)) => {
            errors.extend(e);
            SortOrder::Relevance
        }
        Err(e) => return Err(e),
    };
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    Ok(SearchRequest {
        text: q.text.clone().unwrap_or_default(),
        market: ctx.market.code.clone(),
        lang: ctx.lang.to_string(),
        visibility: vec!["public".into()],
        statuses: if q.include_drafts {
            vec!["draft".into(), "active".into(), "discontinued".into()]
        } else {
            Vec::new()
        },
        categories: q.categories.clone(),
        brands: q.brands.clone(),
        attributes,
        ranges,
        in_stock: q.in_stock,
        price: None,
        sort,
        limit: limit as usize,
        cursor: cursor.map(str::to_string),
        facets: true,
    })
}

/// Searches the catalog for a market and language: relevance with part
/// numbers first, facets with counts, cursor pages. Without an index
/// (embedded use without a data folder) this is a 503-style internal error;
/// `serve` always has one.
pub async fn search_products(
    app: &App,
    q: &ProductQuery,
    market: Option<&str>,
    lang: Option<&Lang>,
    cursor: Option<&str>,
    limit: i64,
) -> Result<SearchPage, AppError> {
    let service = app
        .search()
        .ok_or_else(|| AppError::Internal("no search index on this node".into()))?;
    let generation = app.catalog_cache().generation();
    let ctx = CatalogContext::load(app, market, lang).await?;
    let req = request(&ctx, q, cursor, limit)?;
    let index = service.index.clone();
    let results = blocking(move || index.search(&req)).await?;

    // Summaries come from the product views the detail page caches too
    // (a page of hits then costs no database reads once warm).
    let mut items = Vec::with_capacity(results.hits.len());
    for hit in &results.hits {
        if let Some(cached) = crate::catalog::cached_view(app, &ctx, generation, &hit.slug).await? {
            let mut s = ProductSummary::from(&cached.view);
            s.matched_sku = hit.matched_sku.clone();
            items.push(s);
        }
    }

    let f = results.facets;
    let mut facets = BTreeMap::new();
    let label_of_category = |slug: &str| {
        ctx.categories
            .values()
            .find(|c| c.slug.as_str() == slug)
            .and_then(|c| ctx.text(&c.name))
            .unwrap_or_else(|| slug.to_string())
    };
    facets.insert(
        "category".to_string(),
        f.categories
            .iter()
            .map(|c| FacetValue {
                label: label_of_category(&c.value),
                value: c.value.clone(),
                count: c.count,
            })
            .collect(),
    );
    facets.insert(
        "brand".to_string(),
        f.brands
            .iter()
            .map(|b| FacetValue {
                label: ctx
                    .brands
                    .values()
                    .find(|x| x.slug.as_str() == b.value)
                    .map(|x| x.name.clone())
                    .unwrap_or_else(|| b.value.clone()),
                value: b.value.clone(),
                count: b.count,
            })
            .collect(),
    );
    for (code, values) in &f.attributes {
        let def = ctx.attributes.get(code);
        let label = |v: &str| -> String {
            match def.map(|d| &d.kind) {
                Some(AttributeKind::Enum { options }) => options
                    .iter()
                    .find(|o| o.code == v)
                    .and_then(|o| ctx.text(&o.label))
                    .unwrap_or_else(|| v.to_string()),
                Some(AttributeKind::Bool) => {
                    let zh = ctx.lang.as_str().starts_with("zh");
                    match (zh, v) {
                        (true, "true") => "是".into(),
                        (true, _) => "否".into(),
                        (false, "true") => "yes".into(),
                        (false, _) => "no".into(),
                    }
                }
                _ => v.to_string(),
            }
        };
        facets.insert(
            format!("attr.{code}"),
            values
                .iter()
                .map(|v| FacetValue {
                    label: label(&v.value),
                    value: v.value.clone(),
                    count: v.count,
                })
                .collect(),
        );
    }
    if ctx.market.show_stock {
        let zh = ctx.lang.as_str().starts_with("zh");
        facets.insert(
            "in_stock".to_string(),
            vec![FacetValue {
                value: "true".into(),
                label: if zh { "有货" } else { "In stock" }.into(),
                count: f.in_stock,
            }],
        );
    }
    // The price facet (`f.price`, list prices in 10⁻⁴ units) is shown once
    // the pricing engine fills list prices; none are indexed yet.
    let ranges = f
        .ranges
        .iter()
        .map(|(code, r)| {
            let unit = match ctx.attributes.get(code).map(|d| &d.kind) {
                Some(AttributeKind::Number { unit }) => unit.clone(),
                _ => None,
            };
            (
                format!("attr.{code}"),
                RangeFacet {
                    min: r.min,
                    max: r.max,
                    unit,
                },
            )
        })
        .collect();
    Ok(SearchPage {
        items,
        next_cursor: results.next_cursor,
        total: results.total,
        facets,
        ranges,
    })
}

/// A suggestion for the search box.
#[derive(Clone, Debug, Serialize)]
pub struct SuggestionView {
    /// `product`, `category` or `part_number`.
    pub kind: String,
    pub value: String,
    pub label: String,
    /// Where it leads on the storefront.
    pub url: String,
}

/// Search-as-you-type: products, part numbers and categories for what has
/// been typed so far.
pub async fn suggest(
    app: &App,
    text: &str,
    market: Option<&str>,
    lang: Option<&Lang>,
    limit: usize,
) -> Result<Vec<SuggestionView>, AppError> {
    let service = app
        .search()
        .ok_or_else(|| AppError::Internal("no search index on this node".into()))?;
    if !(1..=50).contains(&limit) {
        return Err(AppError::invalid(
            "limit",
            "out_of_range",
            "limit must be 1 to 50",
        ));
    }
    let ctx = CatalogContext::load(app, market, lang).await?;
    let (index, text, market_code, lang_tag) = (
        service.index.clone(),
        text.to_string(),
        ctx.market.code.clone(),
        ctx.lang.to_string(),
    );
    let found = blocking(move || {
        index.suggest(
            &text,
            &market_code,
            &lang_tag,
            &["public".to_string()],
            limit,
        )
    })
    .await?;
    Ok(found
        .into_iter()
        .map(|s| {
            let (label, url) = match s.kind.as_str() {
                "category" => {
                    let label = ctx
                        .categories
                        .values()
                        .find(|c| c.slug.as_str() == s.value)
                        .and_then(|c| ctx.text(&c.name))
                        .unwrap_or_else(|| s.value.clone());
                    (label, format!("/c/{}", s.value))
                }
                _ => {
                    let slug = s.product_slug.clone().unwrap_or_default();
                    (s.label.clone(), format!("/p/{slug}"))
                }
            };
            SuggestionView {
                kind: s.kind,
                value: s.value,
                label,
                url,
            }
        })
        .collect())
}

// ---------------------------------------------------------------- synonyms

fn synonyms_of(groups: &[SynonymGroup]) -> Synonyms {
    Synonyms {
        groups: groups.iter().map(|g| g.terms.clone()).collect(),
    }
}

/// A synonym group as staff see it.
#[derive(Clone, Debug, Serialize)]
pub struct SynonymView {
    pub id: String,
    pub terms: Vec<String>,
}

/// Every synonym group.
pub async fn synonym_groups(app: &App) -> Result<Vec<SynonymView>, AppError> {
    Ok(store_search::list_synonym_groups(app.db())
        .await?
        .into_iter()
        .map(|g| SynonymView {
            id: g.id.to_string(),
            terms: g.terms,
        })
        .collect())
}

/// Parses the terms of a synonym group: at least two different terms, each
/// up to 64 characters, at most 20.
pub fn parse_synonym_terms(raw: &[String]) -> Result<Vec<String>, AppError> {
    let mut terms: Vec<String> = Vec::new();
    for t in raw {
        let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
        if t.is_empty() {
            continue;
        }
        if t.chars().count() > 64 {
            return Err(AppError::invalid(
                "terms",
                "too_long",
                format!("{t:?} is longer than 64 characters"),
            ));
        }
        if !terms.iter().any(|x| x.to_lowercase() == t.to_lowercase()) {
            terms.push(t);
        }
    }
    if terms.len() < 2 {
        return Err(AppError::invalid(
            "terms",
            "too_few",
            "a synonym group needs at least two different terms",
        ));
    }
    if terms.len() > 20 {
        return Err(AppError::invalid(
            "terms",
            "too_many",
            "a synonym group has at most 20 terms",
        ));
    }
    Ok(terms)
}

async fn synonyms_changed(
    tx: &mut mercato_store::Tx,
    id: uuid::Uuid,
    now: Timestamp,
) -> Result<(), AppError> {
    let payload = serde_json::json!({ "synonym_group_id": id });
    let event = NewEvent::new("synonyms", id.to_string(), "synonyms.changed", payload);
    outbox::append(tx, &event, now).await?;
    Ok(())
}

/// Creates (`id` none) or replaces a synonym group. Every node's indexer
/// picks the change up from the outbox; no reindex is needed.
pub async fn save_synonym_group(
    app: &App,
    actor: Option<&Principal>,
    id: Option<uuid::Uuid>,
    terms: &[String],
) -> Result<SynonymView, AppError> {
    if let Some(actor) = actor {
        actor.require(Permission::ManageCatalog, "manage search synonyms")?;
    }
    let group = SynonymGroup {
        id: id.unwrap_or_else(uuid::Uuid::now_v7),
        terms: parse_synonym_terms(terms)?,
    };
    let now = Timestamp::now();
    let mut tx = app.db().begin().await?;
    store_search::upsert_synonym_group(&mut tx, &group, now).await?;
    synonyms_changed(&mut tx, group.id, now).await?;
    tx.commit().await?;
    app.events().notify();
    Ok(SynonymView {
        id: group.id.to_string(),
        terms: group.terms,
    })
}

/// Deletes a synonym group.
pub async fn delete_synonym_group(
    app: &App,
    actor: Option<&Principal>,
    id: uuid::Uuid,
) -> Result<(), AppError> {
    if let Some(actor) = actor {
        actor.require(Permission::ManageCatalog, "manage search synonyms")?;
    }
    let now = Timestamp::now();
    let mut tx = app.db().begin().await?;
    if !store_search::delete_synonym_group(&mut tx, id).await? {
        return Err(AppError::NotFound("synonym group"));
    }
    synonyms_changed(&mut tx, id, now).await?;
    tx.commit().await?;
    app.events().notify();
    Ok(())
}

/// The product list buyers browse: the search index when this node has
/// one, else the database in slug order (the first category and brand
/// only, no facets, no relevance; `total` is then unknown).
pub async fn browse(
    app: &App,
    q: &ProductQuery,
    market: Option<&str>,
    lang: Option<&Lang>,
    cursor: Option<&str>,
    limit: i64,
) -> Result<(SearchPage, bool), AppError> {
    if app.search().is_some() {
        return Ok((
            search_products(app, q, market, lang, cursor, limit).await?,
            true,
        ));
    }
    // Refused the same way with or without an index.
    sort_order(q.sort.as_deref())?;
    let list = crate::catalog::ListQuery {
        category: q.categories.first().cloned(),
        brand: q.brands.first().cloned(),
        text: q.text.clone(),
        include_drafts: false,
        status: None,
    };
    let page = crate::catalog::list_products(app, &list, market, lang, cursor, limit).await?;
    Ok((
        SearchPage {
            total: 0,
            items: page.items,
            next_cursor: page.next_cursor,
            facets: BTreeMap::new(),
            ranges: BTreeMap::new(),
        },
        false,
    ))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn attribute_filters_parse() {
        assert_eq!(
            AttributeFilter::parse("a2, a4").unwrap(),
            AttributeFilter::AnyOf(vec!["a2".into(), "a4".into()])
        );
        assert_eq!(
            AttributeFilter::parse("10..50").unwrap(),
            AttributeFilter::Range(Some(dec!(10)), Some(dec!(50)))
        );
        assert_eq!(
            AttributeFilter::parse("..12,5").unwrap(),
            AttributeFilter::Range(None, Some(dec!(12.5)))
        );
        assert_eq!(
            AttributeFilter::parse("8..").unwrap(),
            AttributeFilter::Range(Some(dec!(8)), None)
        );
        assert!(AttributeFilter::parse("..").is_err());
        assert!(AttributeFilter::parse("50..10").is_err());
        assert!(AttributeFilter::parse("x..10").is_err());
        assert!(AttributeFilter::parse(" , ").is_err());
    }

    #[test]
    fn synonym_terms_are_checked() {
        let t = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            parse_synonym_terms(&t(&["螺栓", " bolt ", "Bolt", "hex  socket"])).unwrap(),
            t(&["螺栓", "bolt", "hex socket"])
        );
        assert!(parse_synonym_terms(&t(&["bolt", "BOLT"])).is_err());
        assert!(parse_synonym_terms(&t(&["a", &"x".repeat(65)])).is_err());
    }
}
