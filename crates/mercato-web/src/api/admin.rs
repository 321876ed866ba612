//! Staff-only API: staff users, the audit log and the digital-maturity report.

use super::auth::UserView;
use crate::AppState;
use crate::extract::{ApiJson, Auth, Client};
use crate::problem::{ApiResult, Problem};
use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use mercato_app::Timestamp;
use mercato_app::audit;
use mercato_app::auth::{self, NewStaffUser};
use mercato_core::AuditId;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_staff))
        .routes(routes!(audit_log))
        .routes(routes!(maturity_report))
}

/// The digital-maturity report (M1–M3): the figures measured from the
/// platform's own data, each indicator's stage, a level per dimension, the
/// latest completed self-assessment with its gaps, and the roadmap advice
/// per market. Back-office staff only; `mercato assess --json` prints the same.
#[utoipa::path(get, path = "/admin/maturity", tag = "admin",
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, body = Object),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
async fn maturity_report(State(s): State<AppState>, Auth(p): Auth) -> ApiResult<impl IntoResponse> {
    Ok(Json(mercato_app::maturity::report(&s.app, Some(&p)).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct CreateStaffRequest {
    pub email: String,
    #[serde(default)]
    pub name: String,
    pub password: String,
    /// `admin`, `catalog`, `sales_rep`, `warehouse` or `finance`.
    pub role: String,
}

/// Creates a staff user (needs the `manage_staff` permission).
#[utoipa::path(post, path = "/admin/staff", tag = "admin", request_body = CreateStaffRequest,
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 201, body = UserView),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "`email_taken`"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn create_staff(
    State(s): State<AppState>,
    Auth(p): Auth,
    Client(client): Client,
    ApiJson(req): ApiJson<CreateStaffRequest>,
) -> ApiResult<impl IntoResponse> {
    let input = NewStaffUser {
        email: req.email,
        name: req.name,
        password: req.password,
        role: req.role,
    };
    let user = auth::create_staff_user(&s.app, Some(&p), input, &client).await?;
    Ok((StatusCode::CREATED, Json(UserView::from(&user))))
}

#[derive(Deserialize, IntoParams)]
pub struct AuditQuery {
    /// At most this many entries (1–200, default 50).
    pub limit: Option<i64>,
    /// Opaque cursor from a previous page's `next_cursor`.
    pub cursor: Option<String>,
    /// Entries by the user with this e-mail address.
    pub actor: Option<String>,
    /// An action code (`user.disable`), or every action starting with a
    /// prefix that ends in `.` (`user.`).
    pub action: Option<String>,
    /// What the entries are about: `user`, `company`, `order`, `api_token`, …
    pub subject_type: Option<String>,
    /// The subject's id (usually a UUID).
    pub subject_id: Option<String>,
    /// First UTC day (`YYYY-MM-DD`, included); alone it runs to today.
    pub from: Option<String>,
    /// Last UTC day (included); alone it covers the year up to it. A range
    /// covers at most 366 days.
    pub to: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct AuditEntryView {
    pub id: uuid::Uuid,
    #[serde(with = "time::serde::rfc3339")]
    pub occurred_at: OffsetDateTime,
    pub actor_user_id: Option<uuid::Uuid>,
    pub on_behalf_of_user_id: Option<uuid::Uuid>,
    pub action: String,
    pub subject_type: String,
    pub subject_id: Option<String>,
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
    pub ip: Option<String>,
    pub request_id: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct AuditPage {
    pub items: Vec<AuditEntryView>,
    pub next_cursor: Option<String>,
}

/// The audit log, newest first, optionally filtered (needs `read_audit_log`).
#[utoipa::path(get, path = "/admin/audit-log", tag = "admin", params(AuditQuery),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, body = AuditPage),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json", description = "`validation_failed`: a bad e-mail, date or range"),
    ))]
async fn audit_log(
    State(s): State<AppState>,
    Auth(p): Auth,
    Query(q): Query<AuditQuery>,
) -> ApiResult<Json<AuditPage>> {
    let limit = q.limit.unwrap_or(50);
    let after = q.cursor.as_deref().map(parse_cursor).transpose()?;
    let filter = audit::AuditQuery {
        actor: q.actor.unwrap_or_default(),
        action: q.action.unwrap_or_default(),
        subject_type: q.subject_type.unwrap_or_default(),
        subject_id: q.subject_id.unwrap_or_default(),
        from: q.from.unwrap_or_default(),
        to: q.to.unwrap_or_default(),
    }
    .parse(OffsetDateTime::now_utc().date())?;
    let entries: Vec<_> = audit::list(&s.app, &p, &filter, after, limit)
        .await?
        .into_iter()
        .map(|l| l.entry)
        .collect();
    let next_cursor = if entries.len() as i64 == limit {
        entries
            .last()
            .and_then(|e| write_cursor(e.occurred_at, e.id))
    } else {
        None
    };
    let items = entries
        .into_iter()
        .map(|e| AuditEntryView {
            id: e.id.as_uuid(),
            occurred_at: e.occurred_at.as_offset(),
            actor_user_id: e.actor.map(|u| u.as_uuid()),
            on_behalf_of_user_id: e.on_behalf_of.map(|u| u.as_uuid()),
            action: e.action,
            subject_type: e.subject_type,
            subject_id: e.subject_id,
            detail: e.detail,
            ip: e.ip,
            request_id: e.request_id,
        })
        .collect();
    Ok(Json(AuditPage { items, next_cursor }))
}

/// Cursors are `<rfc3339>|<uuid>`, opaque to clients.
pub(crate) fn write_cursor(at: Timestamp, id: AuditId) -> Option<String> {
    let ts = at.as_offset().format(&Rfc3339).ok()?;
    Some(super::encode_cursor(&ts, &id.to_string()))
}

pub(crate) fn parse_cursor(c: &str) -> Result<(Timestamp, AuditId), Problem> {
    let (ts, id) = super::decode_cursor(c)?;
    let at = OffsetDateTime::parse(&ts, &Rfc3339).map_err(|_| super::invalid_cursor())?;
    Ok((
        Timestamp::from(at),
        id.parse().map_err(|_| super::invalid_cursor())?,
    ))
}
