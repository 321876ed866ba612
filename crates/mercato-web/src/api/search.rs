//! Product search for buyers (`GET /products`, suggestions) and its
//! administration (synonyms, rebuild, status).

use super::catalog::{invalid, pick_lang};
use crate::AppState;
use crate::extract::{ApiJson, Auth};
use crate::problem::{ApiResult, Problem};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use mercato_app::search::{self, ProductQuery};
use mercato_app::{AppError, FieldError};
use mercato_core::Permission;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_products))
        .routes(routes!(suggest))
        .routes(routes!(list_synonyms, post_synonyms))
        .routes(routes!(put_synonyms, delete_synonyms))
        .routes(routes!(post_reindex))
        .routes(routes!(search_status))
}

/// Query parameters of the product list (documentation; the handler reads
/// the pairs itself because `attr.<code>` names are open-ended).
#[derive(Deserialize, IntoParams)]
#[allow(dead_code)] // read as raw pairs; this type documents them
pub struct ProductListQuery {
    /// Free text: words in Chinese or English, part numbers (`M8x20`,
    /// `m8-20`), GTINs. Query syntax characters are plain text.
    pub q: Option<String>,
    /// Category slug(s), any level; repeat or separate by commas (OR).
    pub category: Option<String>,
    /// Brand slug(s); repeat or separate by commas (OR).
    pub brand: Option<String>,
    /// `attr.<code>=<value>[,<value>…]` (OR within one attribute, AND
    /// across) or `attr.<code>=<min>..<max>` (either end may be empty) for
    /// number attributes, in the attribute's unit.
    #[param(rename = "attr.<code>")]
    pub attr: Option<String>,
    /// `true`: only products in stock.
    pub in_stock: Option<bool>,
    /// `relevance` (default), `price_asc`, `price_desc`, `newest`, `name`.
    pub sort: Option<String>,
    /// 1–200, default 24.
    pub limit: Option<i64>,
    pub cursor: Option<String>,
    pub market: Option<String>,
    pub lang: Option<String>,
}

/// Splits `a,b` and repeated parameters into one list.
fn push_list(out: &mut Vec<String>, raw: &str) {
    out.extend(
        raw.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string),
    );
}

/// Products visible in the market: full-text and part-number search with
/// facets (counts honour the other selected facets), sorting and cursor
/// pages.
#[utoipa::path(get, path = "/products", tag = "catalog", params(ProductListQuery),
    responses((status = 200, body = Object, description = "`{items: [product summary], next_cursor, total, facets: {category|brand|attr.<code>|in_stock: [{value, label, count}]}, ranges: {attr.<code>: {min, max, unit}}}`"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn list_products(
    State(s): State<AppState>,
    headers: HeaderMap,
    Query(pairs): Query<Vec<(String, String)>>,
) -> ApiResult<impl IntoResponse> {
    let mut q = ProductQuery::default();
    let (mut market, mut lang, mut cursor, mut limit) = (None, None, None, 24i64);
    let mut errors = Vec::new();
    for (key, value) in pairs {
        match key.as_str() {
            "q" => q.text = Some(value),
            "category" => push_list(&mut q.categories, &value),
            "brand" => push_list(&mut q.brands, &value),
            "in_stock" => match value.as_str() {
                "true" | "1" => q.in_stock = Some(true),
                "false" | "0" | "" => q.in_stock = None,
                _ => errors.push(FieldError::new(
                    "in_stock",
                    "invalid_boolean",
                    "in_stock is true or false",
                )),
            },
            "sort" => q.sort = Some(value),
            "limit" => match value.parse() {
                Ok(n) => limit = n,
                Err(_) => errors.push(FieldError::new(
                    "limit",
                    "out_of_range",
                    "limit must be 1 to 200",
                )),
            },
            "cursor" => cursor = Some(value),
            "market" => market = Some(value),
            "lang" => lang = Some(value),
            k => {
                if let Some(code) = k.strip_prefix("attr.") {
                    q.attributes.push((code.to_string(), value));
                }
                // Other parameters (tracking tags and the like) are ignored.
            }
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors).into());
    }
    let lang = pick_lang(lang.as_deref(), &headers);
    let (page, indexed) = search::browse(
        &s.app,
        &q,
        market.as_deref(),
        lang.as_ref(),
        cursor.as_deref(),
        limit,
    )
    .await?;
    if !indexed {
        // No index on this node (embedded use): no relevance, facets or total.
        return Ok(Json(serde_json::json!({
            "items": page.items, "next_cursor": page.next_cursor,
            "total": null, "facets": {}, "ranges": {}
        })));
    }
    Ok(Json(serde_json::to_value(page).map_err(|e| {
        Problem::from(AppError::Internal(e.to_string()))
    })?))
}

#[derive(Deserialize, IntoParams)]
pub struct SuggestQuery {
    /// What has been typed so far.
    pub q: String,
    /// 1–50, default 8.
    pub limit: Option<usize>,
    pub market: Option<String>,
    pub lang: Option<String>,
}

/// Search-as-you-type: products, part numbers and categories.
#[utoipa::path(get, path = "/search/suggest", tag = "catalog", params(SuggestQuery),
    responses((status = 200, body = Object, description = "`{items: [{kind: product|part_number|category, value, label, url}]}`"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn suggest(
    State(s): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<SuggestQuery>,
) -> ApiResult<impl IntoResponse> {
    let lang = pick_lang(q.lang.as_deref(), &headers);
    let items = search::suggest(
        &s.app,
        &q.q,
        q.market.as_deref(),
        lang.as_ref(),
        q.limit.unwrap_or(8),
    )
    .await?;
    Ok(Json(serde_json::json!({ "items": items })))
}

/// A synonym group: terms that find the same products.
#[derive(Deserialize, ToSchema)]
pub struct SynonymBody {
    /// At least two terms, e.g. `["螺栓", "bolt"]` or `["内六角", "hex socket"]`.
    pub terms: Vec<String>,
}

/// Every synonym group (needs `manage_catalog`).
#[utoipa::path(get, path = "/admin/search/synonyms", tag = "admin",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Object, description = "`{items: [{id, terms}]}`"), (status = 403, body = Problem, content_type = "application/problem+json")))]
async fn list_synonyms(State(s): State<AppState>, Auth(p): Auth) -> ApiResult<impl IntoResponse> {
    p.require(Permission::ManageCatalog, "manage search synonyms")?;
    let items = search::synonym_groups(&s.app).await?;
    Ok(Json(serde_json::json!({ "items": items })))
}

/// Adds a synonym group; every node applies it within a second, no reindex.
#[utoipa::path(post, path = "/admin/search/synonyms", tag = "admin", request_body = SynonymBody,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = Object), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn post_synonyms(
    State(s): State<AppState>,
    Auth(p): Auth,
    ApiJson(b): ApiJson<SynonymBody>,
) -> ApiResult<impl IntoResponse> {
    let g = search::save_synonym_group(&s.app, Some(&p), None, &b.terms).await?;
    Ok((StatusCode::CREATED, Json(g)))
}

fn group_id(raw: &str) -> Result<uuid::Uuid, Problem> {
    raw.parse()
        .map_err(|_| Problem::from(AppError::NotFound("synonym group")))
}

/// Replaces a synonym group's terms.
#[utoipa::path(put, path = "/admin/search/synonyms/{id}", tag = "admin", request_body = SynonymBody, params(("id" = String, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Object), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn put_synonyms(
    State(s): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<SynonymBody>,
) -> ApiResult<impl IntoResponse> {
    let id = group_id(&id)?;
    let g = search::save_synonym_group(&s.app, Some(&p), Some(id), &b.terms).await?;
    Ok(Json(g))
}

/// Deletes a synonym group.
#[utoipa::path(delete, path = "/admin/search/synonyms/{id}", tag = "admin", params(("id" = String, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 204), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn delete_synonyms(
    State(s): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<impl IntoResponse> {
    let id = group_id(&id)?;
    search::delete_synonym_group(&s.app, Some(&p), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

fn search_service(s: &AppState) -> Result<&search::SearchService, Problem> {
    s.app.search().ok_or_else(|| {
        invalid(
            "search",
            "no_search_index",
            "this node runs without a search index",
        )
    })
}

/// Rebuilds this node's search index from the database in the background
/// (searches keep answering meanwhile).
#[utoipa::path(post, path = "/admin/search/reindex", tag = "admin",
    security(("bearer" = []), ("session" = [])),
    responses((status = 202, body = Object), (status = 403, body = Problem, content_type = "application/problem+json")))]
async fn post_reindex(State(s): State<AppState>, Auth(p): Auth) -> ApiResult<impl IntoResponse> {
    p.require(Permission::ManageCatalog, "rebuild the search index")?;
    search_service(&s)?.request_rebuild();
    s.app.events().notify();
    Ok((
        StatusCode::ACCEPTED,
        Json(serde_json::json!({ "status": "rebuild requested" })),
    ))
}

/// The index of this node: documents, applied event, lag.
#[utoipa::path(get, path = "/admin/search/status", tag = "admin",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Object, description = "`{documents, cursor, lag}`"), (status = 403, body = Problem, content_type = "application/problem+json")))]
async fn search_status(State(s): State<AppState>, Auth(p): Auth) -> ApiResult<impl IntoResponse> {
    p.require(Permission::ManageCatalog, "see the search index")?;
    let service = search_service(&s)?;
    let lag = search::lag(&s.app, service.index()).await?;
    Ok(Json(serde_json::json!({
        "documents": service.index().num_docs(),
        "cursor": service.index().cursor(),
        "lag": lag,
    })))
}
