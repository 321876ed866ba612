//! Inquiries: requests for quotation and samples and contact messages from
//! anyone (`POST /inquiries`), and their follow-up by staff
//! (`/admin/inquiries`).

use super::catalog::pick_lang;
use super::double_option;
use crate::AppState;
use crate::extract::{ApiJson, Auth, Client, MaybeAuth};
use crate::problem::{ApiResult, Problem};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use mercato_app::inquiries::{self, FollowUp, Idempotency, InquiryQuery, InquirySource};
use mercato_core::inquiry::InquiryForm;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_inquiry))
        .routes(routes!(list_inquiries))
        .routes(routes!(get_inquiry, patch_inquiry))
}

/// A product line of an inquiry.
#[derive(Deserialize, ToSchema)]
pub struct InquiryItemBody {
    /// Part number; separators and case are forgiven (`hb-m8x20`).
    pub sku: String,
    /// A number or a decimal string, above 0.
    #[schema(value_type = String)]
    pub quantity: serde_json::Value,
}

/// An inquiry as sent.
#[derive(Deserialize, ToSchema)]
pub struct InquiryBody {
    /// `quote`, `sample` or `contact`.
    pub kind: String,
    pub name: String,
    pub company: String,
    pub email: String,
    pub phone: Option<String>,
    /// Required for `contact`.
    #[serde(default)]
    pub message: String,
    /// At least one for `quote` and `sample`; at most 200.
    #[serde(default)]
    pub items: Vec<InquiryItemBody>,
    /// Market code (default market otherwise).
    pub market: Option<String>,
    /// The storefront page it was sent from.
    pub page: Option<String>,
}

/// Asks for a quotation or samples, or sends a message; no sign-in needed
/// (a signed-in buyer's inquiry is linked to the company). Every bad field
/// is named; at most a few inquiries per hour per address.
#[utoipa::path(post, path = "/inquiries", tag = "inquiries", request_body = InquiryBody,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses((status = 201, body = Object, description = "`{id, number, kind, status: new, items, …}`"),
        (status = 200, body = Object, description = "A retry with the same Idempotency-Key"),
        (status = 422, body = Problem, content_type = "application/problem+json", description = "`validation_failed` (each field in `errors`: `unknown_sku`, `invalid_quantity`, `invalid_email`, …), `idempotency_key_reused`"),
        (status = 429, body = Problem, content_type = "application/problem+json", description = "`rate_limited`, with `Retry-After`")))]
async fn create_inquiry(
    State(s): State<AppState>,
    MaybeAuth(p): MaybeAuth,
    Client(client): Client,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    let b: InquiryBody = serde_json::from_slice(&body).map_err(|e| {
        Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
            e.to_string(),
        )
    })?;
    let form = InquiryForm {
        kind: b.kind,
        name: b.name,
        company: b.company,
        email: b.email,
        phone: b.phone,
        message: b.message,
        items: b
            .items
            .into_iter()
            .map(|i| {
                let q = match i.quantity {
                    serde_json::Value::String(s) => s,
                    other => other.to_string(),
                };
                (i.sku, q)
            })
            .collect(),
    };
    let source = InquirySource {
        market: b.market,
        lang: pick_lang(None, &headers)
            .map(|l| l.to_string())
            .unwrap_or_else(|| "zh-CN".into()),
        page: b.page,
    };
    let key = headers
        .get("idempotency-key")
        .map(|v| v.to_str().unwrap_or_default().trim().to_string());
    let hash = mercato_app::orders::request_fingerprint(&body);
    let idem = key.as_deref().map(|key| Idempotency {
        key,
        request_hash: &hash,
    });
    let (view, created) =
        inquiries::submit(&s.app, p.as_ref(), &form, &source, idem, &client).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(view)).into_response())
}

#[derive(Deserialize, IntoParams)]
pub struct InquiryListQuery {
    /// `new`, `in_progress`, `answered`, `closed`.
    pub status: Option<String>,
    /// `quote`, `sample`, `contact`.
    pub kind: Option<String>,
    /// `me` or a staff user id.
    pub assigned_to: Option<String>,
    pub cursor: Option<String>,
    /// 1–200, default 50.
    pub limit: Option<i64>,
}

/// Inquiries, newest first (staff with `manage_inquiries`: sales reps, admins).
#[utoipa::path(get, path = "/admin/inquiries", tag = "inquiries", params(InquiryListQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Object, description = "`{items: [inquiry], next_cursor}`"),
        (status = 400, body = Problem, content_type = "application/problem+json", description = "`invalid_cursor`"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn list_inquiries(
    State(s): State<AppState>,
    Auth(p): Auth,
    Query(q): Query<InquiryListQuery>,
) -> ApiResult<impl IntoResponse> {
    let cursor = q
        .cursor
        .filter(|c| !c.is_empty())
        .map(|c| c.parse::<Uuid>().map_err(|_| super::invalid_cursor()))
        .transpose()?;
    let page = inquiries::list(
        &s.app,
        Some(&p),
        &InquiryQuery {
            status: q.status,
            kind: q.kind,
            assigned_to: q.assigned_to,
            cursor,
            limit: q.limit,
        },
    )
    .await?;
    Ok(Json(page))
}

/// One inquiry (staff).
#[utoipa::path(get, path = "/admin/inquiries/{id}", tag = "inquiries", params(("id" = String, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Object), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn get_inquiry(
    State(s): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<impl IntoResponse> {
    let id = parse_id(&id)?;
    Ok(Json(inquiries::get(&s.app, Some(&p), id).await?))
}

/// Staff's follow-up of an inquiry; absent fields stay as they are.
#[derive(Deserialize, ToSchema)]
pub struct FollowUpBody {
    /// `new`, `in_progress`, `answered`, `closed`.
    pub status: Option<String>,
    /// A staff user who handles inquiries; `null` unassigns. Assigning a
    /// new inquiry moves it to `in_progress`.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub assigned_to: Option<Option<Uuid>>,
    /// `YYYY-MM-DD`; `null` clears.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub follow_up_on: Option<Option<String>>,
    pub staff_note: Option<String>,
}

/// Assigns an inquiry, schedules its follow-up, moves it on. Audited.
#[utoipa::path(patch, path = "/admin/inquiries/{id}", tag = "inquiries", params(("id" = String, Path)),
    request_body = FollowUpBody, security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Object), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn patch_inquiry(
    State(s): State<AppState>,
    Auth(p): Auth,
    Client(client): Client,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<FollowUpBody>,
) -> ApiResult<impl IntoResponse> {
    let id = parse_id(&id)?;
    let change = FollowUp {
        status: b.status,
        assigned_to: b.assigned_to,
        follow_up_on: b.follow_up_on,
        staff_note: b.staff_note,
    };
    Ok(Json(
        inquiries::follow_up(&s.app, Some(&p), id, &change, &client).await?,
    ))
}

/// A malformed id names nothing: 404, as for an unknown one.
fn parse_id(raw: &str) -> Result<Uuid, Problem> {
    raw.parse()
        .map_err(|_| mercato_app::AppError::NotFound("inquiry").into())
}
