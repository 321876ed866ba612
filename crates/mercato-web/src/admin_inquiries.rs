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
use axum::routing::get;
use mercato_app::AppError;
use mercato_app::auth::Principal;
use mercato_app::inquiries::{self, FollowUp, InquiryQuery, InquiryView};
use mercato_core::inquiry::InquiryStatus;
use serde::Deserialize;
use uuid::Uuid;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/inquiries", get(list_page))
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
    uri: axum::http::Uri,
    Query(f): Query<ListFilter>,
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
    let page = match inquiries::list(&s.app, Some(&p), &q).await {
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
    let t = ListPage {
        ui: ui.clone(),
        staff: crate::admin::StaffBar::of(&p),
        csrf_token: csrf,
        rows,
        statuses,
        kinds,
        mine,
        next,
        views: crate::admin_views::bar(&s, &p, "/admin/inquiries", uri.query()).await,
    };
    ui.page(&t, StatusCode::OK)
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
