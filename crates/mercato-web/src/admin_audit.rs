//! The back office's audit log viewer: entries newest first, a page at a
//! time (the store's keyset cursor, as the API's), filtered by actor,
//! action, subject and UTC days; each subject links to its back-office
//! page where one exists and the reader may open it; the same filters as
//! a CSV file. Filters are checked by `app::audit::AuditQuery::parse`
//! (the period's rule is `core::audit::period`), so the page and
//! `GET /api/v1/admin/audit-log` read the same entries.

use crate::AppState;
use crate::admin::{AuditLog, Staff, StaffBar, Ui};
use crate::admin_stock::text_cell;
use crate::api::admin::{parse_cursor, write_cursor};
use crate::problem::Problem;
use crate::shop::encode;
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use mercato_app::audit::{self, AuditFilter, AuditPerson, AuditQuery, ListedEntry};
use mercato_app::auth::Principal;
use mercato_app::{AppError, FieldError};
use mercato_core::Permission;
use serde::Deserialize;
use std::collections::HashSet;
use uuid::Uuid;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/audit", get(page))
        .route("/admin/audit.csv", get(export_csv))
}

/// Entries per page.
const PAGE: i64 = 50;

/// The most entries one export holds (newest first); the page says so.
const EXPORT_MAX: usize = 10_000;

/// The filters as the query string carries them (`lang` is read by `Ui`).
#[derive(Deserialize, Default, Clone)]
struct Filters {
    #[serde(default)]
    actor: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    subject_type: String,
    #[serde(default)]
    subject_id: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    /// Opaque: the last entry of the previous page.
    #[serde(default)]
    cursor: String,
}

impl Filters {
    fn query(&self) -> AuditQuery {
        AuditQuery {
            actor: self.actor.clone(),
            action: self.action.clone(),
            subject_type: self.subject_type.clone(),
            subject_id: self.subject_id.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
        }
    }

    /// `path` with these filters (and `cursor`, for the next page).
    fn url(&self, path: &str, cursor: Option<&str>) -> String {
        let mut q = Vec::new();
        for (k, v) in [
            ("actor", &self.actor),
            ("action", &self.action),
            ("subject_type", &self.subject_type),
            ("subject_id", &self.subject_id),
            ("from", &self.from),
            ("to", &self.to),
        ] {
            let v = v.trim();
            if !v.is_empty() {
                q.push(format!("{k}={}", encode(v)));
            }
        }
        if let Some(c) = cursor {
            q.push(format!("cursor={}", encode(c)));
        }
        if q.is_empty() {
            path.to_string()
        } else {
            format!("{path}?{}", q.join("&"))
        }
    }
}

/// A filter error in the page's language (spelled out key by key, so the
/// locale test sees every one).
fn filter_error(ui: &Ui, f: &FieldError) -> String {
    let label = match f.field.as_str() {
        "actor" => ui.t("admin-audit-actor"),
        "action" => ui.t("admin-audit-action"),
        "subject_type" => ui.t("admin-audit-subject-type"),
        "subject_id" => ui.t("admin-audit-subject-id"),
        "from" => ui.t("admin-audit-from"),
        "to" => ui.t("admin-audit-to"),
        other => other.to_string(),
    };
    match f.code.as_str() {
        "invalid_email" => ui.t("admin-audit-bad-actor"),
        "not_a_date" => ui.t_with("admin-audit-bad-date", &[("field", label.as_str())]),
        "before_from" => ui.t("admin-audit-reversed"),
        "range_too_long" => ui.t_with(
            "admin-audit-too-long",
            &[("max", mercato_core::audit::MAX_DAYS.to_string().as_str())],
        ),
        "too_long" => ui.t_with("admin-audit-field-too-long", &[("field", label.as_str())]),
        _ => ui.field_error(f),
    }
}

/// A moment to the second, in UTC: the log's readers line entries up with
/// other logs.
fn when(t: mercato_app::Timestamp) -> String {
    let f = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    t.as_offset()
        .to_offset(time::UtcOffset::UTC)
        .format(&f)
        .unwrap_or_default()
}

fn person(p: Option<&AuditPerson>) -> (String, String) {
    p.map(|p| (p.name.clone(), p.email.clone()))
        .unwrap_or_default()
}

/// The back-office page of a subject, when there is one and `p` may open
/// it. Ids must be UUIDs, so nothing typed into the log reaches a link.
fn subject_href(p: &Principal, kind: &str, id: &str, staff: &HashSet<Uuid>) -> Option<String> {
    let id: Uuid = id.parse().ok()?;
    let (path, perm) = match kind {
        "company" => ("/admin/companies", Permission::ManageCompanies),
        "order" => ("/admin/orders", Permission::ManageOrders),
        "product" => ("/admin/products", Permission::ManageCatalog),
        "inquiry" => ("/admin/inquiries", Permission::ManageInquiries),
        "feedback" => ("/admin/feedback", Permission::AccessBackOffice),
        // Buyers have no page of their own in the back office.
        "user" if staff.contains(&id) => ("/admin/staff", Permission::ManageStaff),
        _ => return None,
    };
    p.allows(perm).then(|| format!("{path}/{id}"))
}

/// An entry as a row of the page.
struct Row {
    when: String,
    actor_name: String,
    actor_email: String,
    behalf_name: String,
    behalf_email: String,
    action: String,
    subject_type: String,
    subject_id: String,
    subject_href: Option<String>,
    detail: String,
    ip: String,
}

/// `{}` says nothing: shown as empty.
fn detail_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Object(m) if m.is_empty() => String::new(),
        serde_json::Value::Null => String::new(),
        v => v.to_string(),
    }
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    ui: Ui,
    staff: StaffBar,
    csrf_token: String,
    f: Filters,
    rows: Vec<Row>,
    error: Option<String>,
    next: Option<String>,
    csv: String,
    export_max: String,
    max_days: String,
    /// Filtering at all (the empty list says "nothing matches" then).
    filtered: bool,
}

/// Ids of staff members among the page's `user` subjects, for links.
async fn staff_ids(s: &AppState, p: &Principal, entries: &[ListedEntry]) -> HashSet<Uuid> {
    let any_user = entries.iter().any(|l| l.entry.subject_type == "user");
    if !any_user || !p.allows(Permission::ManageStaff) {
        return HashSet::new();
    }
    // Staff lists are short; a failure here only costs the links.
    mercato_app::staff::list(&s.app, p, None)
        .await
        .map(|users| users.iter().map(|u| u.id.as_uuid()).collect())
        .unwrap_or_default()
}

async fn page(
    State(s): State<AppState>,
    Staff(p, csrf, _): Staff<AuditLog>,
    ui: Ui,
    Query(f): Query<Filters>,
) -> Response {
    let today = time::OffsetDateTime::now_utc().date();
    let after = match f.cursor.trim() {
        "" => None,
        c => match parse_cursor(c) {
            Ok(at) => Some(at),
            Err(problem) => return problem.into_response(),
        },
    };
    let mut status = StatusCode::OK;
    let mut error = None;
    let mut rows = Vec::new();
    let mut next = None;
    match f.query().parse(today) {
        Ok(filter) => match audit::list(&s.app, &p, &filter, after, PAGE).await {
            Ok(entries) => {
                if entries.len() as i64 == PAGE
                    && let Some(last) = entries.last()
                {
                    next = write_cursor(last.entry.occurred_at, last.entry.id)
                        .map(|c| f.url("/admin/audit", Some(&c)));
                }
                let staff = staff_ids(&s, &p, &entries).await;
                rows = entries
                    .into_iter()
                    .map(|l| {
                        let (mut actor_name, actor_email) = person(l.actor.as_ref());
                        let (behalf_name, behalf_email) = person(l.on_behalf_of.as_ref());
                        let e = l.entry;
                        // A user no longer there is still named, by id.
                        if actor_email.is_empty()
                            && let Some(id) = e.actor
                        {
                            actor_name = id.to_string();
                        }
                        let subject_id = e.subject_id.unwrap_or_default();
                        Row {
                            when: when(e.occurred_at),
                            actor_name,
                            actor_email,
                            behalf_name,
                            behalf_email,
                            subject_href: subject_href(&p, &e.subject_type, &subject_id, &staff),
                            action: e.action,
                            subject_type: e.subject_type,
                            subject_id,
                            detail: detail_text(&e.detail),
                            ip: e.ip.unwrap_or_default(),
                        }
                    })
                    .collect();
            }
            Err(AppError::Invalid(fields)) => {
                error = Some(filter_messages(&ui, &fields));
                status = StatusCode::UNPROCESSABLE_ENTITY;
            }
            Err(e) => return Problem::from(e).into_response(),
        },
        Err(AppError::Invalid(fields)) => {
            error = Some(filter_messages(&ui, &fields));
            status = StatusCode::UNPROCESSABLE_ENTITY;
        }
        Err(e) => return Problem::from(e).into_response(),
    }
    let filtered = f.url("/admin/audit", None) != "/admin/audit";
    let t = AuditPage {
        ui: ui.clone(),
        staff: StaffBar::of(&p),
        csrf_token: csrf,
        csv: f.url("/admin/audit.csv", None),
        f,
        rows,
        error,
        next,
        export_max: EXPORT_MAX.to_string(),
        max_days: mercato_core::audit::MAX_DAYS.to_string(),
        filtered,
    };
    ui.page(&t, status)
}

fn filter_messages(ui: &Ui, fields: &[FieldError]) -> String {
    fields
        .iter()
        .map(|f| filter_error(ui, f))
        .collect::<Vec<_>>()
        .join(ui.t("admin-message-separator").as_str())
}

/// Header of the export: which columns, in what order.
const CSV_HEADERS: [&str; 11] = [
    "occurred_at",
    "actor_email",
    "actor_name",
    "on_behalf_of_email",
    "action",
    "subject_type",
    "subject_id",
    "detail",
    "ip",
    "request_id",
    "audit_id",
];

/// The filtered entries as CSV, newest first, at most [`EXPORT_MAX`] of
/// them; a capped file says so in the `X-Mercato-Truncated` header (the
/// page names the cap next to the link). Bad filters are a problem (422).
async fn export_csv(
    State(s): State<AppState>,
    Staff(p, _, _): Staff<AuditLog>,
    ui: Ui,
    Query(f): Query<Filters>,
) -> Response {
    // The store's widest page; the cap bounds how many are read.
    const BATCH: i64 = 200;
    let today = time::OffsetDateTime::now_utc().date();
    let filter: AuditFilter = match f.query().parse(today) {
        Ok(filter) => filter,
        Err(AppError::Invalid(fields)) => {
            return Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
                filter_messages(&ui, &fields),
            )
            .into_response();
        }
        Err(e) => return Problem::from(e).into_response(),
    };
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut after = None;
    let mut truncated = false;
    loop {
        let found = match audit::list(&s.app, &p, &filter, after, BATCH).await {
            Ok(found) => found,
            Err(e) => return Problem::from(e).into_response(),
        };
        let full = found.len() as i64 == BATCH;
        after = found.last().map(|l| (l.entry.occurred_at, l.entry.id));
        for l in found {
            if rows.len() == EXPORT_MAX {
                truncated = true;
                break;
            }
            let (actor_name, actor_email) = person(l.actor.as_ref());
            let (_, behalf_email) = person(l.on_behalf_of.as_ref());
            let e = l.entry;
            rows.push(vec![
                e.occurred_at
                    .as_offset()
                    .format(&time::format_description::well_known::Rfc3339)
                    .unwrap_or_default(),
                text_cell(&actor_email),
                text_cell(&actor_name),
                text_cell(&behalf_email),
                text_cell(&e.action),
                text_cell(&e.subject_type),
                text_cell(e.subject_id.as_deref().unwrap_or_default()),
                text_cell(&detail_text(&e.detail)),
                text_cell(e.ip.as_deref().unwrap_or_default()),
                text_cell(e.request_id.as_deref().unwrap_or_default()),
                e.id.to_string(),
            ]);
        }
        if truncated || !full {
            break;
        }
    }
    let headers: Vec<String> = CSV_HEADERS.map(String::from).to_vec();
    let mut res = (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"mercato-audit-log.csv\"",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        mercato_docs::write_csv(&headers, &rows),
    )
        .into_response();
    if truncated {
        res.headers_mut()
            .insert("x-mercato-truncated", HeaderValue::from(EXPORT_MAX));
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_round_trip_through_the_url() {
        let f = Filters {
            actor: "a@x.example".into(),
            action: "user.".into(),
            from: "2026-01-01".into(),
            ..Filters::default()
        };
        assert_eq!(
            f.url("/admin/audit", Some("abc")),
            "/admin/audit?actor=a%40x.example&action=user.&from=2026-01-01&cursor=abc"
        );
        assert_eq!(
            Filters::default().url("/admin/audit.csv", None),
            "/admin/audit.csv"
        );
    }

    #[test]
    fn empty_details_say_nothing() {
        assert_eq!(detail_text(&serde_json::json!({})), "");
        assert_eq!(detail_text(&serde_json::json!({"a": 1})), r#"{"a":1}"#);
    }
}
