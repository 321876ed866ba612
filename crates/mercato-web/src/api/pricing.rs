//! Prices: price lists and their tier tables (staff), and `POST
//! /prices/quote`, the caller's prices with the list and tier behind each
//! and why the other candidates lost.

use crate::AppState;
use crate::extract::{ApiJson, Auth, Client};
use crate::problem::{ApiResult, Problem};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use mercato_app::AppError;
use mercato_app::pricing::{self, PriceListInput, QuoteItem, StoredPriceList};
use mercato_core::CompanyId;
use mercato_core::pricing::TierBreak;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_lists, create_list))
        .routes(routes!(put_entry))
        .routes(routes!(upload_entries))
        .routes(routes!(quote))
        .routes(routes!(put_tax_rate))
        .routes(routes!(put_market_tax))
}

#[derive(Deserialize, ToSchema)]
pub struct TaxRateBody {
    /// A fraction: `0.13` for 13 %.
    #[schema(value_type = String)]
    pub rate: Decimal,
}

/// Sets the tax rate of a country and tax category (`standard`, `reduced`, …).
#[utoipa::path(put, path = "/admin/tax-rates/{country}/{category}", tag = "prices", request_body = TaxRateBody,
    params(("country" = String, Path), ("category" = String, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 204), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn put_tax_rate(
    State(s): State<AppState>,
    Auth(p): Auth,
    Client(client): Client,
    Path((country, category)): Path<(String, String)>,
    ApiJson(b): ApiJson<TaxRateBody>,
) -> ApiResult<StatusCode> {
    pricing::set_tax_rate(&s.app, Some(&p), &country, &category, b.rate, &client).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct MarketTaxBody {
    /// `net` (B2B usually) or `gross`: how the market's prices are entered.
    pub price_entry: String,
    /// `per_line` or `per_document`.
    pub tax_rounding: String,
    /// Where the seller charges tax from (ISO 3166 alpha-2).
    pub seller_country: String,
}

/// Sets how a market's prices carry tax.
#[utoipa::path(put, path = "/admin/markets/{code}/tax", tag = "prices", request_body = MarketTaxBody,
    params(("code" = String, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 204), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn put_market_tax(
    State(s): State<AppState>,
    Auth(p): Auth,
    Client(client): Client,
    Path(code): Path<String>,
    ApiJson(b): ApiJson<MarketTaxBody>,
) -> ApiResult<StatusCode> {
    pricing::set_market_tax(
        &s.app,
        Some(&p),
        &code,
        &b.price_entry,
        &b.tax_rounding,
        &b.seller_country,
        &client,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct PriceListBody {
    pub name: String,
    /// ISO 4217; must be the market's currency when a market is given.
    pub currency: String,
    pub market: Option<String>,
    /// A contract list for one company…
    pub company_id: Option<Uuid>,
    /// …or for a customer group…
    pub customer_group: Option<String>,
    /// …or for a customer tier; none of them: everyone (the list price).
    pub tier: Option<String>,
    /// Higher wins among lists of the same specificity (default 0).
    pub priority: Option<i32>,
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub valid_from: Option<OffsetDateTime>,
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub valid_to: Option<OffsetDateTime>,
}

#[derive(Serialize, ToSchema)]
pub struct PriceListView {
    pub id: Uuid,
    pub name: String,
    pub currency: String,
    pub market: Option<String>,
    /// `everyone`, `group <code>`, `tier <code>` or `contract`.
    pub audience: String,
    pub company_id: Option<Uuid>,
    pub priority: i32,
    #[serde(with = "time::serde::rfc3339::option")]
    pub valid_from: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub valid_to: Option<OffsetDateTime>,
}

impl From<&StoredPriceList> for PriceListView {
    fn from(l: &StoredPriceList) -> Self {
        Self {
            id: l.id,
            name: l.name.clone(),
            currency: l.currency.code().to_string(),
            market: l.market.clone(),
            audience: l.audience.label(),
            company_id: match &l.audience {
                mercato_core::pricing::Audience::Company(c) => Some(c.as_uuid()),
                _ => None,
            },
            priority: l.priority,
            valid_from: l.valid_from.map(|t| t.as_offset()),
            valid_to: l.valid_to.map(|t| t.as_offset()),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PriceListPage {
    pub items: Vec<PriceListView>,
}

/// Price lists (needs `manage_prices`).
#[utoipa::path(get, path = "/admin/price-lists", tag = "prices", security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = PriceListPage), (status = 403, body = Problem, content_type = "application/problem+json")))]
async fn list_lists(State(s): State<AppState>, Auth(p): Auth) -> ApiResult<Json<PriceListPage>> {
    let lists = pricing::lists(&s.app, &p).await?;
    Ok(Json(PriceListPage {
        items: lists.iter().map(PriceListView::from).collect(),
    }))
}

/// Creates a price list for everyone in a market, a customer group, a
/// customer tier, or one company (a contract), with priority and validity.
#[utoipa::path(post, path = "/admin/price-lists", tag = "prices", request_body = PriceListBody,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = PriceListView), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json", description = "`validation_failed`, e.g. `currency_mismatch`")))]
async fn create_list(
    State(s): State<AppState>,
    Auth(p): Auth,
    Client(client): Client,
    ApiJson(b): ApiJson<PriceListBody>,
) -> ApiResult<impl IntoResponse> {
    let input = PriceListInput {
        name: b.name,
        currency: b.currency,
        market: b.market,
        company_id: b.company_id.map(CompanyId),
        customer_group: b.customer_group,
        tier: b.tier,
        priority: b.priority,
        valid_from: b.valid_from,
        valid_to: b.valid_to,
    };
    let list = pricing::create_list(&s.app, Some(&p), input, &client).await?;
    Ok((StatusCode::CREATED, Json(PriceListView::from(&list))))
}

#[derive(Deserialize, Serialize, ToSchema)]
pub struct TierBody {
    /// Decimal string or number; from this quantity on…
    #[schema(value_type = String)]
    pub min_quantity: Decimal,
    /// …each unit costs this (decimal string in the list's currency, ≤ 4 decimals).
    #[schema(value_type = String)]
    pub unit_price: Decimal,
}

#[derive(Deserialize, ToSchema)]
pub struct EntryBody {
    pub tiers: Vec<TierBody>,
}

#[derive(Serialize, ToSchema)]
pub struct EntryView {
    pub sku: String,
    pub tiers: Vec<TierBody>,
}

/// Sets a SKU's tier table in a price list. Overlapping tiers, prices that
/// are not positive, have more than 4 decimals or rise with quantity are
/// refused here, never discovered at checkout.
#[utoipa::path(put, path = "/admin/price-lists/{id}/entries/{sku}", tag = "prices", request_body = EntryBody,
    params(("id" = String, Path), ("sku" = String, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = EntryView), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json", description = "`invalid_tiers`")))]
async fn put_entry(
    State(s): State<AppState>,
    Auth(p): Auth,
    Client(client): Client,
    Path((id, sku)): Path<(String, String)>,
    ApiJson(b): ApiJson<EntryBody>,
) -> ApiResult<Json<EntryView>> {
    let id: Uuid = id
        .parse()
        .map_err(|_| Problem::from(AppError::NotFound("price list")))?;
    let tiers = b
        .tiers
        .into_iter()
        .map(|t| TierBreak {
            min_quantity: t.min_quantity,
            unit_price: t.unit_price,
        })
        .collect();
    let table = pricing::put_entry(&s.app, Some(&p), id, &sku, tiers, &client).await?;
    Ok(Json(EntryView {
        sku,
        tiers: table
            .tiers()
            .iter()
            .map(|t| TierBody {
                min_quantity: t.min_quantity,
                unit_price: t.unit_price,
            })
            .collect(),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct UploadResult {
    /// SKUs whose tier table was written.
    pub applied: usize,
}

/// Bulk upload of a list's prices, all or nothing: a `text/csv` body with
/// the header `sku,min_quantity,unit_price` and one row per tier. Every bad
/// row (its line number) or SKU (`entries[i]`) is named, and nothing is
/// written unless all are good.
#[utoipa::path(post, path = "/admin/price-lists/{id}/entries", tag = "prices", request_body(content = String, content_type = "text/csv"),
    params(("id" = String, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = UploadResult), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn upload_entries(
    State(s): State<AppState>,
    Auth(p): Auth,
    Client(client): Client,
    Path(id): Path<String>,
    body: String,
) -> ApiResult<Json<UploadResult>> {
    let id: Uuid = id
        .parse()
        .map_err(|_| Problem::from(AppError::NotFound("price list")))?;
    let entries = pricing::parse_price_csv(&body)?;
    let applied = pricing::put_entries(&s.app, Some(&p), id, entries, &client).await?;
    Ok(Json(UploadResult { applied }))
}

#[derive(Deserialize, ToSchema)]
pub struct QuoteItemBody {
    pub sku: String,
    #[schema(value_type = String)]
    pub quantity: Decimal,
}

#[derive(Deserialize, ToSchema)]
pub struct QuoteBody {
    pub items: Vec<QuoteItemBody>,
    /// Staff only: whose prices to explain.
    pub company_id: Option<Uuid>,
}

/// The caller's prices: for each line the unit price, line total, the
/// price list and tier it came from, and every other candidate list with
/// the reason it lost; plus the subtotal. Staff pass `company_id` to see a
/// company's prices ("why does X pay this?"). `tax` follows the market's
/// tax rules (net or gross entry, rounding, EU reverse charge) and is
/// `null` while the market has none; `total` is what the buyer pays.
#[utoipa::path(post, path = "/prices/quote", tag = "prices", request_body = QuoteBody,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Object), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn quote(
    State(s): State<AppState>,
    Auth(p): Auth,
    ApiJson(b): ApiJson<QuoteBody>,
) -> ApiResult<Json<pricing::Quote>> {
    let items = b
        .items
        .into_iter()
        .map(|i| QuoteItem {
            sku: i.sku,
            quantity: i.quantity,
        })
        .collect();
    let q = pricing::quote(&s.app, &p, b.company_id.map(CompanyId), items).await?;
    Ok(Json(q))
}
