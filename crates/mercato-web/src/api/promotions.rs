//! Promotions (staff with `manage_prices`): cart rules and coupons under
//! `/admin/promotions`. Conditions and actions use the shapes of
//! `mercato_core::promotion` (amounts and percentages as decimal strings).

use crate::AppState;
use crate::extract::{ApiJson, Auth, Client};
use crate::problem::{ApiResult, Problem};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use mercato_app::AppError;
use mercato_app::promotions::{self, PromotionInput, StoredPromotion};
use mercato_core::promotion::{Action, Condition, Promotion, Stacking};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_promotions, create_promotion))
        .routes(routes!(get_promotion, update_promotion, delete_promotion))
}

/// Whether a promotion combines with others.
#[derive(Clone, Copy, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StackingBody {
    /// Applies together with every other stackable promotion.
    Stackable,
    /// Applies only if nothing applied before it (by priority), and
    /// nothing applies after it.
    Exclusive,
}

impl From<StackingBody> for Stacking {
    fn from(s: StackingBody) -> Self {
        match s {
            StackingBody::Stackable => Stacking::Stackable,
            StackingBody::Exclusive => Stacking::Exclusive,
        }
    }
}

impl From<Stacking> for StackingBody {
    fn from(s: Stacking) -> Self {
        match s {
            Stacking::Stackable => StackingBody::Stackable,
            Stacking::Exclusive => StackingBody::Exclusive,
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct PromotionBody {
    pub name: String,
    /// ISO 4217: the currency of every amount in `conditions` and `action`;
    /// only carts in this currency see the promotion. Must be the market's
    /// currency when a market is given.
    pub currency: String,
    /// A market code; left out: every market trading in `currency`.
    pub market: Option<String>,
    /// Higher is considered first (default 0).
    pub priority: Option<i32>,
    pub stacking: StackingBody,
    /// When set, only carts carrying this code get the promotion: 1 to 40
    /// letters, digits, `-` or `_`, unique among promotions whatever the
    /// case (stored upper-cased).
    pub coupon_code: Option<String>,
    /// Inclusive (RFC 3339).
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub valid_from: Option<OffsetDateTime>,
    /// Exclusive: the first moment it no longer applies (RFC 3339).
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub valid_to: Option<OffsetDateTime>,
    /// Orders that may use it, across all buyers (at least 1).
    pub usage_limit: Option<u32>,
    /// Orders each company may use it for (at least 1).
    pub per_company_limit: Option<u32>,
    /// All must hold, e.g. `{"kind": "min_subtotal", "amount": "500"}`,
    /// `{"kind": "min_quantity", "scope": {"kind": "skus", "value": ["A"]},
    /// "quantity": "10"}`, `{"kind": "customer_group", "groups": ["oem"]}`,
    /// `{"kind": "first_order"}`.
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    pub conditions: Vec<Condition>,
    /// One of `{"kind": "percent_off_lines", "scope": …, "percent": "10"}`,
    /// `fixed_off_each_unit` (`scope`, `amount`), `percent_off_order`
    /// (`percent`), `fixed_off_order` (`amount`), `tiered_percent` (`scope`,
    /// `tiers: [{"min_quantity", "percent"}]`), `buy_x_get_y` (`scope`,
    /// `buy`, `get`), `free_shipping`. A scope is `{"kind": "all"}` or
    /// `{"kind": "skus" | "categories" | "brands", "value": [codes]}`.
    #[schema(value_type = Object)]
    pub action: Action,
    /// Default `true`; an inactive promotion is kept but never offered.
    pub active: Option<bool>,
}

impl From<PromotionBody> for PromotionInput {
    fn from(b: PromotionBody) -> Self {
        PromotionInput {
            name: b.name,
            currency: b.currency,
            market: b.market,
            priority: b.priority,
            stacking: b.stacking.into(),
            coupon_code: b.coupon_code,
            valid_from: b.valid_from,
            valid_to: b.valid_to,
            usage_limit: b.usage_limit,
            per_company_limit: b.per_company_limit,
            conditions: b.conditions,
            action: b.action,
            active: b.active,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PromotionView {
    pub id: Uuid,
    pub name: String,
    pub currency: String,
    pub market: Option<String>,
    pub priority: i32,
    pub stacking: StackingBody,
    /// Upper-cased.
    pub coupon_code: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub valid_from: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub valid_to: Option<OffsetDateTime>,
    pub usage_limit: Option<u32>,
    pub per_company_limit: Option<u32>,
    #[schema(value_type = Vec<Object>)]
    pub conditions: Vec<Condition>,
    #[schema(value_type = Object)]
    pub action: Action,
    pub active: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

impl From<(StoredPromotion, Promotion)> for PromotionView {
    fn from((meta, p): (StoredPromotion, Promotion)) -> Self {
        Self {
            id: meta.id,
            name: p.name,
            currency: meta.currency.code().to_string(),
            market: meta.market,
            priority: p.priority,
            stacking: p.stacking.into(),
            coupon_code: p.coupon,
            valid_from: p.valid_from,
            valid_to: p.valid_to,
            usage_limit: p.usage_limit,
            per_company_limit: p.per_company_limit,
            conditions: p.conditions,
            action: p.action,
            active: meta.active,
            created_at: meta.created_at.as_offset(),
            updated_at: meta.updated_at.as_offset(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PromotionPage {
    /// Higher priority first, then by id: the order carts consider them.
    pub items: Vec<PromotionView>,
}

fn promotion_id(id: &str) -> Result<Uuid, Problem> {
    id.parse()
        .map_err(|_| Problem::from(AppError::NotFound("promotion")))
}

/// Promotions (needs `manage_prices`), in the order carts consider them.
#[utoipa::path(get, path = "/admin/promotions", tag = "prices", security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = PromotionPage), (status = 403, body = Problem, content_type = "application/problem+json")))]
async fn list_promotions(
    State(s): State<AppState>,
    Auth(p): Auth,
) -> ApiResult<Json<PromotionPage>> {
    let found = promotions::list(&s.app, &p).await?;
    Ok(Json(PromotionPage {
        items: found.into_iter().map(PromotionView::from).collect(),
    }))
}

/// Creates a promotion: conditions and one action, optionally behind a
/// coupon code, with priority, stacking, validity and usage limits. Every
/// problem is reported at once (`validation_failed` with one error per
/// field, e.g. `invalid_percent`, `overlapping_tiers`, `coupon_taken`,
/// `currency_mismatch`, `would_make_line_negative`).
#[utoipa::path(post, path = "/admin/promotions", tag = "prices", request_body = PromotionBody,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = PromotionView), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json", description = "`validation_failed`")))]
async fn create_promotion(
    State(s): State<AppState>,
    Auth(p): Auth,
    Client(client): Client,
    ApiJson(b): ApiJson<PromotionBody>,
) -> ApiResult<impl IntoResponse> {
    let created = promotions::create(&s.app, Some(&p), b.into(), &client).await?;
    Ok((StatusCode::CREATED, Json(PromotionView::from(created))))
}

/// One promotion.
#[utoipa::path(get, path = "/admin/promotions/{id}", tag = "prices", params(("id" = String, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = PromotionView), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn get_promotion(
    State(s): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<PromotionView>> {
    let found = promotions::get(&s.app, &p, promotion_id(&id)?).await?;
    Ok(Json(PromotionView::from(found)))
}

/// Replaces a promotion's definition, checked as on creation. Carts see
/// the change at their next view; placed orders keep what they got.
#[utoipa::path(put, path = "/admin/promotions/{id}", tag = "prices", request_body = PromotionBody,
    params(("id" = String, Path)), security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = PromotionView), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json", description = "`validation_failed`")))]
async fn update_promotion(
    State(s): State<AppState>,
    Auth(p): Auth,
    Client(client): Client,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<PromotionBody>,
) -> ApiResult<Json<PromotionView>> {
    let updated =
        promotions::update(&s.app, Some(&p), promotion_id(&id)?, b.into(), &client).await?;
    Ok(Json(PromotionView::from(updated)))
}

/// Deletes a promotion. One that orders used is kept (409
/// `promotion_in_use`): deactivate it instead.
#[utoipa::path(delete, path = "/admin/promotions/{id}", tag = "prices", params(("id" = String, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 204), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "`promotion_in_use`")))]
async fn delete_promotion(
    State(s): State<AppState>,
    Auth(p): Auth,
    Client(client): Client,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    promotions::delete(&s.app, Some(&p), promotion_id(&id)?, &client).await?;
    Ok(StatusCode::NO_CONTENT)
}
