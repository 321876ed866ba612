//! Catalog reads for buyers and integrators, and catalog administration.

use crate::AppState;
use crate::extract::{ApiJson, Auth, Client};
use crate::problem::{ApiResult, Problem};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use mercato_app::catalog::{self, CategoryInput};
use mercato_app::import::{ImportMode, ImportOptions, MapSource};
use mercato_app::{AppError, export, import};
use mercato_core::attribute::{AttrCode, AttributeDef, AttributeKind};
use mercato_core::catalog::{CategoryAttribute, ProductStatus};
use mercato_core::market::{Market, RoadmapStep};
use mercato_core::money::Currency;
use mercato_core::{Lang, LocalizedText, Permission};
use serde::Deserialize;
use std::collections::HashMap;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_product))
        .routes(routes!(patch_product))
        .routes(routes!(get_sku))
        .routes(routes!(list_categories))
        .routes(routes!(list_brands))
        .routes(routes!(list_markets))
        .routes(routes!(put_market))
        .routes(routes!(put_attribute))
        .routes(routes!(list_attributes))
        .routes(routes!(put_category))
        .routes(routes!(post_brand))
        .routes(routes!(post_import))
        .routes(routes!(export_csv))
        .routes(routes!(export_xlsx))
        .routes(routes!(completeness))
}

/// Market and language of a request: `?market=` and `?lang=`, else `Accept-Language`.
#[derive(Deserialize, IntoParams, Default)]
pub struct Locale {
    /// Market code (default market when omitted).
    pub market: Option<String>,
    /// `zh-CN`, `en`, … (else the `Accept-Language` header, else the market's default).
    pub lang: Option<String>,
}

pub(crate) fn pick_lang(q: Option<&str>, headers: &HeaderMap) -> Option<Lang> {
    if let Some(l) = q.and_then(|l| Lang::parse(l).ok()) {
        return Some(l);
    }
    let accept = headers.get(header::ACCEPT_LANGUAGE)?.to_str().ok()?;
    accept
        .split(',')
        .filter_map(|part| Lang::parse(part.split(';').next().unwrap_or_default()).ok())
        .next()
}

/// A product's texts in one language, and optionally its status.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct ProductContentBody {
    /// `zh-CN`, `en`, …
    pub lang: String,
    pub name: String,
    #[serde(default)]
    pub short_description: String,
    #[serde(default)]
    pub description: String,
    /// `draft`, `active` or `discontinued`.
    pub status: Option<String>,
    /// A market code: the texts become that market's override of the
    /// product's own (blank texts remove the override's text).
    pub market: Option<String>,
}

/// Edits a product's texts in one language (blank texts remove that
/// language's translation) and its status (needs `manage_catalog`).
#[utoipa::path(patch, path = "/admin/products/{id_or_slug}", tag = "admin", request_body = ProductContentBody, params(("id_or_slug" = String, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Object), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn patch_product(
    State(s): State<AppState>,
    Auth(p): Auth,
    Path(key): Path<String>,
    ApiJson(b): ApiJson<ProductContentBody>,
) -> ApiResult<impl IntoResponse> {
    let lang =
        Lang::parse(&b.lang).map_err(|e| invalid("lang", "invalid_language", e.to_string()))?;
    let status = match b.status.as_deref() {
        None => None,
        Some(raw) => Some(parse_status(raw).ok_or_else(|| {
            invalid(
                "status",
                "invalid_status",
                "status is draft, active or discontinued",
            )
        })?),
    };
    let view = catalog::edit_product_content(
        &s.app,
        &p,
        &key,
        catalog::ContentEdit {
            lang,
            market: b.market,
            name: b.name,
            short_description: b.short_description,
            description: b.description,
            status,
        },
    )
    .await?;
    Ok(Json(view))
}

/// One product with variants, attributes, media, documents and related products.
#[utoipa::path(get, path = "/products/{id_or_slug}", tag = "catalog", params(("id_or_slug" = String, Path), Locale),
    responses((status = 200, body = Object), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn get_product(
    State(s): State<AppState>,
    crate::extract::MaybeAuth(p): crate::extract::MaybeAuth,
    headers: HeaderMap,
    Path(key): Path<String>,
    Query(l): Query<Locale>,
) -> ApiResult<Response> {
    let lang = pick_lang(l.lang.as_deref(), &headers);
    let cached = catalog::product_view_shared(&s.app, &key, l.market.as_deref(), lang.as_ref())
        .await?
        .ok_or(AppError::NotFound("product"))?;
    // The shared view is the same for everyone; the caller's prices and
    // stock are filled in per request (no company × SKU cache to go stale),
    // and only where the market shows them: elsewhere the cached bytes go
    // out untouched, without a JSON round trip.
    let market = buying_market(&s, p.as_ref(), l.market.as_deref()).await?;
    let (body, etag) = if let Some(market) = market {
        let mut product: serde_json::Value = serde_json::from_slice(&cached.json)
            .map_err(|e| AppError::Internal(format!("cached product view: {e}")))?;
        for_caller(&s, p.as_ref(), &market, &mut product).await?;
        let body = serde_json::to_vec(&product)
            .map_err(|e| AppError::Internal(format!("product view: {e}")))?;
        let tag = mercato_app::orders::request_fingerprint(&body);
        let etag = format!("\"{}\"", tag.get(..32).unwrap_or(&tag));
        (axum::body::Body::from(body), etag)
    } else {
        (
            axum::body::Body::from(cached.json.clone()),
            cached.etag.clone(),
        )
    };
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        == Some(etag.as_str())
    {
        return Ok((StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response());
    }
    Ok((
        [
            (header::CONTENT_TYPE, "application/json".to_string()),
            (header::ETAG, etag),
            (
                header::VARY,
                "Accept-Language, Authorization, Cookie".to_string(),
            ),
        ],
        body,
    )
        .into_response())
}

/// The variant with this part number and its product (separators and case are forgiven when unambiguous).
#[utoipa::path(get, path = "/skus/{sku}", tag = "catalog", params(("sku" = String, Path), Locale),
    responses((status = 200, body = Object), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn get_sku(
    State(s): State<AppState>,
    crate::extract::MaybeAuth(p): crate::extract::MaybeAuth,
    headers: HeaderMap,
    Path(sku): Path<String>,
    Query(l): Query<Locale>,
) -> ApiResult<impl IntoResponse> {
    let lang = pick_lang(l.lang.as_deref(), &headers);
    let (pid, vid) = catalog::find_sku(&s.app, &sku)
        .await?
        .ok_or(AppError::NotFound("SKU"))?;
    let view = catalog::product_view(&s.app, &pid.to_string(), l.market.as_deref(), lang.as_ref())
        .await?
        .ok_or(AppError::NotFound("SKU"))?;
    let vid = vid.to_string();
    let mut product = serde_json::to_value(&view)
        .map_err(|e| AppError::Internal(format!("product view: {e}")))?;
    if let Some(market) = buying_market(&s, p.as_ref(), l.market.as_deref()).await? {
        for_caller(&s, p.as_ref(), &market, &mut product).await?;
    }
    let variant = product["variants"]
        .as_array()
        .and_then(|vs| vs.iter().find(|v| v["id"] == vid.as_str()))
        .cloned();
    Ok(Json(
        serde_json::json!({ "variant": variant, "product": product }),
    ))
}

/// The caller's market when it shows prices (roadmap step 2 or above,
/// prices on); `None` where variants keep `price` and `stock` null.
async fn buying_market(
    s: &AppState,
    p: Option<&mercato_app::auth::Principal>,
    requested: Option<&str>,
) -> Result<Option<Market>, AppError> {
    let (market, _) = catalog::storefront_market(&s.app, p, requested).await?;
    Ok((market.show_prices && market.roadmap_step >= RoadmapStep::OnlineBuying).then_some(market))
}

/// Fills each variant's `price` (at its minimum order quantity),
/// `tier_prices` and `stock` for the caller in `market` (one that shows
/// prices): a buyer's company prices, or the market's prices for everyone.
async fn for_caller(
    s: &AppState,
    p: Option<&mercato_app::auth::Principal>,
    market: &Market,
    product: &mut serde_json::Value,
) -> Result<(), AppError> {
    let Some(variants) = product
        .get_mut("variants")
        .and_then(serde_json::Value::as_array_mut)
    else {
        return Ok(());
    };
    let skus: Vec<(String, rust_decimal::Decimal)> = variants
        .iter()
        .filter_map(|v| {
            let least = v["min_quantity"].as_str().and_then(|q| q.parse().ok());
            Some((
                v["sku"].as_str()?.to_string(),
                least.unwrap_or(rust_decimal::Decimal::ONE),
            ))
        })
        .collect();
    let names: Vec<String> = skus.iter().map(|(sku, _)| sku.clone()).collect();
    let prices = mercato_app::pricing::shelf_prices(&s.app, p, market, &skus).await?;
    let stock = mercato_app::stock::availability_of(&s.app, &names, market.show_stock).await?;
    for v in variants.iter_mut() {
        let sku = v["sku"].as_str().unwrap_or_default().to_string();
        if let Some(price) = prices.get(&sku) {
            v["price"] = serde_json::json!(price.unit_price);
            v["tier_prices"] = price
                .tiers
                .iter()
                .map(|t| serde_json::json!({ "min_quantity": t.min_quantity, "unit_price": t.unit_price }))
                .collect();
        }
        if let Some(a) = stock.get(&sku) {
            v["stock"] = serde_json::to_value(a)
                .map_err(|e| AppError::Internal(format!("stock view: {e}")))?;
        }
    }
    Ok(())
}

/// The category tree with localised names.
#[utoipa::path(get, path = "/categories", tag = "catalog", params(Locale), responses((status = 200, body = Object)))]
async fn list_categories(
    State(s): State<AppState>,
    headers: HeaderMap,
    Query(l): Query<Locale>,
) -> ApiResult<impl IntoResponse> {
    let lang = pick_lang(l.lang.as_deref(), &headers);
    let tree = catalog::category_tree(&s.app, l.market.as_deref(), lang.as_ref()).await?;
    Ok(Json(serde_json::json!({ "items": tree })))
}

/// Every brand.
#[utoipa::path(get, path = "/brands", tag = "catalog", responses((status = 200, body = Object)))]
async fn list_brands(State(s): State<AppState>) -> ApiResult<impl IntoResponse> {
    let brands = catalog::brands(&s.app).await?;
    let items: Vec<_> = brands
        .iter()
        .map(|b| serde_json::json!({ "id": b.id, "slug": b.slug, "name": b.name }))
        .collect();
    Ok(Json(serde_json::json!({ "items": items })))
}

/// Markets with currency, languages and roadmap step.
#[utoipa::path(get, path = "/markets", tag = "catalog", responses((status = 200, body = Object)))]
async fn list_markets(State(s): State<AppState>) -> ApiResult<impl IntoResponse> {
    Ok(Json(
        serde_json::json!({ "items": catalog::markets(&s.app).await? }),
    ))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct MarketBody {
    #[schema(value_type = Object)]
    pub name: LocalizedText,
    pub currency: String,
    pub languages: Vec<String>,
    #[serde(default)]
    pub countries: Vec<String>,
    pub time_zone: String,
    /// 1 digital catalog (RFQ) · 2 online buying · 3 B2B personalisation · 4 scale.
    pub roadmap_step: u8,
    #[serde(default = "yes")]
    pub show_prices: bool,
    #[serde(default = "yes")]
    pub show_stock: bool,
    #[serde(default)]
    pub is_default: bool,
}

fn yes() -> bool {
    true
}

pub(super) fn invalid(field: &str, code: &str, msg: impl Into<String>) -> Problem {
    AppError::invalid(field, code, msg).into()
}

/// Creates or replaces a market (needs `manage_catalog`).
#[utoipa::path(put, path = "/admin/markets/{code}", tag = "admin", request_body = MarketBody, params(("code" = String, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Object), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn put_market(
    State(s): State<AppState>,
    Auth(p): Auth,
    Path(code): Path<String>,
    ApiJson(b): ApiJson<MarketBody>,
) -> ApiResult<impl IntoResponse> {
    let currency = Currency::parse(&b.currency)
        .map_err(|e| invalid("currency", "invalid_currency", e.to_string()))?;
    let languages = b
        .languages
        .iter()
        .map(|l| Lang::parse(l))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| invalid("languages", "invalid_language", e.to_string()))?;
    let roadmap_step = RoadmapStep::try_from(b.roadmap_step)
        .map_err(|e| invalid("roadmap_step", "invalid_step", e.to_string()))?;
    let market = Market {
        code,
        name: b.name,
        currency,
        languages,
        countries: b.countries,
        time_zone: b.time_zone,
        roadmap_step,
        show_prices: b.show_prices,
        show_stock: b.show_stock,
        is_default: b.is_default,
    };
    Ok(Json(catalog::save_market(&s.app, Some(&p), market).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct AttributeBody {
    #[schema(value_type = Object)]
    pub name: LocalizedText,
    /// `{"type": "number", "unit": "mm"}`, `{"type": "enum", "options": [{"code": "a2", "label": {"en": "A2"}}]}`, `{"type": "text"}`, `{"type": "bool"}`.
    #[schema(value_type = Object)]
    pub kind: AttributeKind,
    #[serde(default)]
    pub filterable: bool,
    #[serde(default)]
    pub position: i32,
}

/// Creates or replaces an attribute definition.
#[utoipa::path(put, path = "/admin/attributes/{code}", tag = "admin", request_body = AttributeBody, params(("code" = String, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Object), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn put_attribute(
    State(s): State<AppState>,
    Auth(p): Auth,
    Path(code): Path<String>,
    ApiJson(b): ApiJson<AttributeBody>,
) -> ApiResult<impl IntoResponse> {
    let code =
        AttrCode::parse(&code).map_err(|e| invalid("code", "invalid_code", e.to_string()))?;
    let def = AttributeDef {
        code,
        name: b.name,
        kind: b.kind,
        filterable: b.filterable,
        position: b.position,
    };
    Ok(Json(catalog::save_attribute(&s.app, Some(&p), def).await?))
}

/// Every attribute definition.
#[utoipa::path(get, path = "/admin/attributes", tag = "admin", security(("bearer" = []), ("session" = [])), responses((status = 200, body = Object)))]
async fn list_attributes(
    State(s): State<AppState>,
    Auth(_p): Auth,
) -> ApiResult<impl IntoResponse> {
    Ok(Json(
        serde_json::json!({ "items": catalog::attributes(&s.app).await? }),
    ))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct CategoryBody {
    /// Slug of the parent; omit for a top-level category.
    pub parent: Option<String>,
    #[schema(value_type = Object)]
    pub name: LocalizedText,
    #[serde(default)]
    pub position: i32,
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    pub attributes: Vec<CategoryAttribute>,
}

/// Creates or updates a category by slug.
#[utoipa::path(put, path = "/admin/categories/{slug}", tag = "admin", request_body = CategoryBody, params(("slug" = String, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Object), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn put_category(
    State(s): State<AppState>,
    Auth(p): Auth,
    Path(slug): Path<String>,
    ApiJson(b): ApiJson<CategoryBody>,
) -> ApiResult<impl IntoResponse> {
    let input = CategoryInput {
        slug,
        parent: b.parent,
        name: b.name,
        position: b.position,
        attributes: b.attributes,
    };
    Ok(Json(catalog::save_category(&s.app, Some(&p), input).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct BrandBody {
    pub name: String,
}

/// Creates a brand (or returns the one with that name).
#[utoipa::path(post, path = "/admin/brands", tag = "admin", request_body = BrandBody, security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = Object)))]
async fn post_brand(
    State(s): State<AppState>,
    Auth(p): Auth,
    ApiJson(b): ApiJson<BrandBody>,
) -> ApiResult<impl IntoResponse> {
    let brand = catalog::ensure_brand(&s.app, Some(&p), &b.name).await?;
    Ok((
        StatusCode::CREATED,
        Json(serde_json::json!({ "id": brand.id, "slug": brand.slug, "name": brand.name })),
    ))
}

#[derive(Deserialize, IntoParams)]
pub struct ImportQuery {
    /// `valid-rows` (default) or `all-or-nothing`.
    pub mode: Option<String>,
    /// `true`: validate and report only.
    pub dry_run: Option<bool>,
    /// `csv`: the report as CSV instead of JSON.
    pub report: Option<String>,
}

/// Imports a product spreadsheet (multipart: part `file` = CSV or XLSX; any other file parts = images/documents it names).
#[utoipa::path(post, path = "/admin/imports", tag = "admin", params(ImportQuery), security(("bearer" = []), ("session" = [])),
    request_body(content = String, content_type = "multipart/form-data", description = "`file`: the spreadsheet; further parts: media files by name"),
    responses((status = 200, body = Object, description = "the import report"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn post_import(
    State(s): State<AppState>,
    Auth(p): Auth,
    Client(_c): Client,
    Query(q): Query<ImportQuery>,
    mut multipart: Multipart,
) -> ApiResult<Response> {
    p.require(Permission::ManageCatalog, "import the catalog")?;
    let mode = match q.mode.as_deref() {
        None => ImportMode::ValidRows,
        Some(m) => ImportMode::parse(m).ok_or_else(|| {
            invalid(
                "mode",
                "invalid_mode",
                "mode must be valid-rows or all-or-nothing",
            )
        })?,
    };
    let mut sheet: Option<(String, Bytes)> = None;
    let mut files = HashMap::new();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| invalid("file", "bad_multipart", e.to_string()))?
    {
        let name = field.name().unwrap_or_default().to_string();
        let file_name = field.file_name().unwrap_or(&name).to_string();
        let data = field
            .bytes()
            .await
            .map_err(|e| invalid("file", "bad_multipart", e.to_string()))?;
        if name == "file" {
            sheet = Some((file_name, data));
        } else {
            files.insert(file_name, data.to_vec());
        }
    }
    let (file_name, bytes) = sheet.ok_or_else(|| {
        invalid(
            "file",
            "required",
            "send the spreadsheet in a multipart part named file",
        )
    })?;
    let options = ImportOptions {
        mode,
        dry_run: q.dry_run.unwrap_or(false),
    };
    let report = import::import_products(
        &s.app,
        Some(&p),
        &file_name,
        &bytes,
        &MapSource(files),
        options,
        &|_, _, _| {},
    )
    .await?;
    if q.report.as_deref() == Some("csv") {
        return Ok((
            [(header::CONTENT_TYPE, "text/csv; charset=utf-8")],
            report.to_csv(),
        )
            .into_response());
    }
    Ok(Json(report).into_response())
}

/// The catalog as CSV in the import format (UTF-8 with BOM for Excel).
#[utoipa::path(get, path = "/admin/exports/products.csv", tag = "admin", security(("bearer" = []), ("session" = [])),
    responses((status = 200, content_type = "text/csv", body = String)))]
async fn export_csv(State(s): State<AppState>, Auth(p): Auth) -> ApiResult<impl IntoResponse> {
    let bytes = export::export_csv(&s.app, Some(&p)).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"products.csv\"",
            ),
        ],
        bytes,
    ))
}

/// The catalog as XLSX in the import format.
#[utoipa::path(get, path = "/admin/exports/products.xlsx", tag = "admin", security(("bearer" = []), ("session" = [])),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = String)))]
async fn export_xlsx(State(s): State<AppState>, Auth(p): Auth) -> ApiResult<impl IntoResponse> {
    let bytes = export::export_xlsx(&s.app, Some(&p)).await?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"products.xlsx\"",
            ),
        ],
        bytes,
    ))
}

#[derive(Deserialize, IntoParams)]
pub struct CompletenessQuery {
    pub market: Option<String>,
    /// Only products scoring at most this (0–100).
    pub max_score: Option<u8>,
    pub limit: Option<usize>,
}

/// PIM completeness per product and market language, least complete first.
#[utoipa::path(get, path = "/admin/completeness", tag = "admin", params(CompletenessQuery), security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Object)))]
async fn completeness(
    State(s): State<AppState>,
    Auth(p): Auth,
    Query(q): Query<CompletenessQuery>,
) -> ApiResult<impl IntoResponse> {
    p.require(Permission::ManageCatalog, "see catalog completeness")?;
    let rows = catalog::completeness_report(
        &s.app,
        q.market.as_deref(),
        q.max_score,
        q.limit.unwrap_or(200).min(5000),
    )
    .await?;
    Ok(Json(serde_json::json!({ "items": rows })))
}

/// Status filter parsing for the back office.
pub(crate) fn parse_status(s: &str) -> Option<ProductStatus> {
    ProductStatus::parse(s).ok()
}
