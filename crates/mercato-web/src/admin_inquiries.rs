//! Back-office inquiries: the list sales reps work from (new first, by
//! status and kind, "mine") and one inquiry with its follow-up form
//! (assign, follow-up date, note, status).

use crate::AppState;
use crate::admin::{Inquiries, Staff, Ui, check_csrf, utc_time as date};
use crate::problem::Problem;
use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use mercato_app::AppError;
use mercato_app::auth::Principal;
use mercato_app::inquiries::{self, FollowUp, InquiryQuery, InquiryView};
use mercato_core::inquiry::InquiryStatus;
use serde::Deserialize;
use uuid::Uuid;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/inquiries", get(list_page))
        .route("/admin/inquiries/bulk", post(bulk))
        .route("/admin/inquiries/{id}", get(detail_page).post(follow_up))
}

/// An inquiry as a list row.
struct Row {
    id: Uuid,
    number: String,
    received: String,
    kind: String,
    status: String,
    status_code: &'static str,
    who: String,
    lines: usize,
    follow_up_on: String,
    mine: bool,
}

#[derive(Template)]
#[template(path = "inquiries.html")]
struct ListPage {
    ui: Ui,
    staff: crate::admin::StaffBar,
    csrf_token: String,
    rows: Vec<Row>,
    /// `(code, label, selected)`.
    statuses: Vec<(String, String, bool)>,
    kinds: Vec<(String, String, bool)>,
    mine: bool,
    next: Option<String>,
    views: crate::admin_views::SavedViews,
    /// The filters, carried by the bulk form.
    filter: ListFilter,
    /// `(code, word)` of each bulk step.
    steps: Vec<(&'static str, String)>,
    message: Option<String>,
    errors: Vec<String>,
}

#[derive(Deserialize, Default)]
struct ListFilter {
    #[serde(default)]
    status: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    mine: String,
    #[serde(default)]
    cursor: String,
}

async fn list_page(
    State(s): State<AppState>,
    Staff(p, csrf, _): Staff<Inquiries>,
    ui: Ui,
    Query(f): Query<ListFilter>,
) -> Response {
    list(&s, &ui, &p, csrf, f, Outcome::default()).await
}

/// What a bulk step did, shown above the list.
#[derive(Default)]
struct Outcome {
    message: Option<String>,
    errors: Vec<String>,
}

async fn list(
    s: &AppState,
    ui: &Ui,
    p: &Principal,
    csrf: String,
    f: ListFilter,
    out: Outcome,
) -> Response {
    let cursor = match f.cursor.as_str() {
        "" => None,
        c => match c.parse::<Uuid>() {
            Ok(u) => Some(u),
            Err(_) => return crate::api::invalid_cursor().into_response(),
        },
    };
    let mine = f.mine == "1";
    let q = InquiryQuery {
        status: Some(f.status.clone()),
        kind: Some(f.kind.clone()),
        assigned_to: mine.then(|| "me".to_string()),
        cursor,
        limit: Some(50),
    };
    let page = match inquiries::list(&s.app, Some(p), &q).await {
        Ok(page) => page,
        Err(e) => return Problem::from(e).into_response(),
    };
    let me = p.user.id.as_uuid();
    let rows = page
        .items
        .iter()
        .map(|i| Row {
            id: i.id,
            number: i.number.clone(),
            received: date(i.created_at),
            kind: ui.word("admin-inquiry-kind", i.kind.as_str()),
            status: ui.word("admin-inquiry-status", i.status.as_str()),
            status_code: i.status.as_str(),
            who: format!("{} · {} · {}", i.name, i.company, i.email),
            lines: i.items.len(),
            follow_up_on: i.follow_up_on.clone().unwrap_or_default(),
            mine: i.assigned_to == Some(me),
        })
        .collect();
    let statuses = InquiryStatus::ALL
        .iter()
        .map(|st| {
            (
                st.as_str().to_string(),
                ui.word("admin-inquiry-status", st.as_str()),
                st.as_str() == f.status,
            )
        })
        .collect();
    let kinds = ["quote", "sample", "contact"]
        .into_iter()
        .map(|k| (k.to_string(), ui.word("admin-inquiry-kind", k), k == f.kind))
        .collect();
    let next = page.next_cursor.map(|c| {
        format!(
            "/admin/inquiries?status={}&kind={}&mine={}&cursor={c}",
            f.status,
            f.kind,
            if mine { "1" } else { "" }
        )
    });
    let filters = format!(
        "status={}&kind={}&mine={}",
        crate::shop::encode(&f.status),
        crate::shop::encode(&f.kind),
        if mine { "1" } else { "" }
    );
    let steps = BULK_STEPS
        .iter()
        .map(|code| {
            let word = match (*code, code.strip_prefix("status_")) {
                (_, Some(st)) => ui.t_with(
                    "admin-inquiries-bulk-status",
                    &[("status", &ui.word("admin-inquiry-status", st))],
                ),
                ("assign_me", None) => ui.t("admin-inquiries-bulk-assign_me"),
                _ => ui.t("admin-inquiries-bulk-unassign"),
            };
            (*code, word)
        })
        .collect();
    let t = ListPage {
        ui: ui.clone(),
        staff: crate::admin::StaffBar::of(p),
        views: crate::admin_views::bar(s, p, "/admin/inquiries", Some(&filters)).await,
        csrf_token: csrf,
        rows,
        statuses,
        kinds,
        mine,
        next,
        filter: f,
        steps,
        message: out.message,
        errors: out.errors,
    };
    let status = if t.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    ui.page(&t, status)
}

/// The steps the list takes on ticked inquiries at once.
const BULK_STEPS: [&str; 5] = [
    "assign_me",
    "unassign",
    "status_in_progress",
    "status_answered",
    "status_closed",
];

#[derive(Deserialize)]
struct BulkForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    step: String,
    #[serde(default)]
    id: Vec<Uuid>,
    #[serde(default)]
    status: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    mine: String,
}

/// Assigns to oneself, unassigns or moves on every ticked inquiry, each
/// through `app::inquiries::follow_up` (checked and audited one by one);
/// the list comes back with how many changed and why any did not.
async fn bulk(
    State(s): State<AppState>,
    Staff(p, csrf, _): Staff<Inquiries>,
    ui: Ui,
    client: crate::extract::Client,
    axum_extra::extract::Form(f): axum_extra::extract::Form<BulkForm>,
) -> Response {
    if let Err(r) = check_csrf(&f.csrf_token, &csrf) {
        return r;
    }
    let filter = ListFilter {
        status: f.status,
        kind: f.kind,
        mine: f.mine,
        cursor: String::new(),
    };
    let mut out = Outcome::default();
    let change = match f.step.as_str() {
        "assign_me" => FollowUp {
            assigned_to: Some(Some(p.user.id.as_uuid())),
            ..Default::default()
        },
        "unassign" => FollowUp {
            assigned_to: Some(None),
            ..Default::default()
        },
        step => match step
            .strip_prefix("status_")
            .filter(|_| BULK_STEPS.contains(&step))
        {
            Some(st) => FollowUp {
                status: Some(st.to_string()),
                ..Default::default()
            },
            None => {
                out.errors.push(ui.t("admin-inquiries-bulk-no-step"));
                return list(&s, &ui, &p, csrf, filter, out).await;
            }
        },
    };
    if f.id.is_empty() || f.id.len() > 200 {
        out.errors.push(ui.t("admin-inquiries-bulk-none"));
        return list(&s, &ui, &p, csrf, filter, out).await;
    }
    let mut done = 0usize;
    for id in f.id {
        let why = match inquiries::follow_up(&s.app, Some(&p), id, &change, &client.0).await {
            Ok(_) => {
                done += 1;
                continue;
            }
            Err(AppError::Invalid(fields)) => crate::admin_catalog::messages(&ui, &fields),
            Err(e) => e.to_string(),
        };
        let number = inquiries::get(&s.app, Some(&p), id)
            .await
            .map(|i| i.number)
            .unwrap_or_else(|_| id.to_string());
        out.errors.push(format!("{number}: {why}"));
    }
    out.message = Some(ui.t_with("admin-inquiries-bulk-done", &[("count", &done.to_string())]));
    list(&s, &ui, &p, csrf, filter, out).await
}

#[derive(Template)]
#[template(path = "inquiry.html")]
struct DetailPage {
    ui: Ui,
    staff: crate::admin::StaffBar,
    csrf_token: String,
    i: InquiryView,
    received: String,
    kind: String,
    statuses: Vec<(String, String, bool)>,
    assigned_to_me: bool,
    assigned_to_other: bool,
    message: Option<String>,
    error: Option<String>,
}

fn parse_id(raw: &str) -> Result<Uuid, Response> {
    raw.parse()
        .map_err(|_| Problem::from(AppError::NotFound("inquiry")).into_response())
}

fn detail(
    ui: &Ui,
    p: &Principal,
    csrf: String,
    i: InquiryView,
    message: Option<String>,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let me = p.user.id.as_uuid();
    let t = DetailPage {
        ui: ui.clone(),
        staff: crate::admin::StaffBar::of(p),
        csrf_token: csrf,
        received: date(i.created_at),
        kind: ui.word("admin-inquiry-kind", i.kind.as_str()),
        statuses: InquiryStatus::ALL
            .iter()
            .map(|st| {
                (
                    st.as_str().to_string(),
                    ui.word("admin-inquiry-status", st.as_str()),
                    *st == i.status,
                )
            })
            .collect(),
        assigned_to_me: i.assigned_to == Some(me),
        assigned_to_other: i.assigned_to.is_some_and(|a| a != me),
        i,
        message,
        error,
    };
    ui.page(&t, status)
}

#[derive(Deserialize)]
struct Saved {
    #[serde(default)]
    saved: String,
}

async fn detail_page(
    State(s): State<AppState>,
    Staff(p, csrf, _): Staff<Inquiries>,
    ui: Ui,
    Path(id): Path<String>,
    Query(q): Query<Saved>,
) -> Response {
    let id = match parse_id(&id) {
        Ok(id) => id,
        Err(r) => return r,
    };
    match inquiries::get(&s.app, Some(&p), id).await {
        Ok(i) => {
            let message = (q.saved == "1").then(|| ui.t("admin-saved"));
            detail(&ui, &p, csrf, i, message, None, StatusCode::OK)
        }
        Err(e) => Problem::from(e).into_response(),
    }
}

#[derive(Deserialize)]
struct FollowUpForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    status: String,
    /// `me`, `nobody` or `keep`.
    #[serde(default)]
    assign: String,
    #[serde(default)]
    follow_up_on: String,
    #[serde(default)]
    staff_note: String,
}

async fn follow_up(
    State(s): State<AppState>,
    Staff(p, csrf, _): Staff<Inquiries>,
    ui: Ui,
    client: crate::extract::Client,
    Path(id): Path<String>,
    Form(f): Form<FollowUpForm>,
) -> Response {
    if let Err(r) = check_csrf(&f.csrf_token, &csrf) {
        return r;
    }
    let id = match parse_id(&id) {
        Ok(id) => id,
        Err(r) => return r,
    };
    let ui = ui.at(format!("/admin/inquiries/{id}"));
    let change = FollowUp {
        status: Some(f.status).filter(|s| !s.is_empty()),
        assigned_to: match f.assign.as_str() {
            "me" => Some(Some(p.user.id.as_uuid())),
            "nobody" => Some(None),
            _ => None,
        },
        follow_up_on: Some(Some(f.follow_up_on)),
        staff_note: Some(f.staff_note),
    };
    match inquiries::follow_up(&s.app, Some(&p), id, &change, &client.0).await {
        Ok(_) => Redirect::to(&format!("/admin/inquiries/{id}?saved=1")).into_response(),
        Err(AppError::Invalid(fields)) => {
            let reason = crate::admin_catalog::messages(&ui, &fields);
            match inquiries::get(&s.app, Some(&p), id).await {
                Ok(i) => detail(
                    &ui,
                    &p,
                    csrf,
                    i,
                    None,
                    Some(reason),
                    StatusCode::UNPROCESSABLE_ENTITY,
                ),
                Err(e) => Problem::from(e).into_response(),
            }
        }
        Err(e) => Problem::from(e).into_response(),
    }
}
