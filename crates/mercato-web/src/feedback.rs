//! Feedback on any page (M4): the storefront's small form behind every
//! page's "Feedback on this page" link, and the back office's list and
//! triage of what was sent (`app::feedback` decides who may do what).
//!
//! The form is for everyone, signed in or not, so it always uses a
//! double-submit CSRF cookie, as the inquiry form does; the back-office
//! triage form uses the session's token.

use crate::AppState;
use crate::admin::{BackOffice, Staff, Ui, check_csrf, utc_time};
use crate::extract::Client;
use crate::i18n::Tr;
use crate::problem::Problem;
use crate::shop::{StoreShell, fail, page, visitor};
use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum_extra::extract::CookieJar;
use mercato_app::AppError;
use mercato_app::auth::Principal;
use mercato_app::feedback::{self, FeedbackQuery, FeedbackView, PageContext, Triage};
use mercato_core::Permission;
use mercato_core::feedback::{FeedbackForm, FeedbackKind, FeedbackStatus, is_site_path};
use serde::Deserialize;
use uuid::Uuid;

/// Cookie with the double-submit token of the feedback form.
const FEEDBACK_CSRF_COOKIE: &str = "mercato_feedback_csrf";

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/feedback", get(form_page).post(submit))
        .route("/admin/feedback", get(list_page))
        .route("/admin/feedback/{id}", get(detail_page).post(triage))
}

// ---------------------------------------------------------------------------
// The storefront form

#[derive(Template)]
#[template(path = "store_feedback.html")]
struct FeedbackPage {
    shell: StoreShell,
    form_csrf: String,
    /// The page the feedback is about: always a path on this site.
    about: String,
    kind: String,
    message: String,
    /// `(code, label)` of every kind, in form order.
    kinds: Vec<(&'static str, String)>,
    errors: crate::account::Errors,
    general_error: String,
    /// Sent: the thank-you page instead of the form.
    sent: bool,
}

impl FeedbackPage {
    fn new(shell: StoreShell, form_csrf: String, about: String) -> Self {
        let kinds = FeedbackKind::ALL
            .iter()
            .map(|k| (k.code(), shell.tr.t(&format!("feedback-kind-{}", k.code()))))
            .collect();
        FeedbackPage {
            shell,
            form_csrf,
            about,
            kind: String::new(),
            message: String::new(),
            kinds,
            errors: crate::account::Errors::new(Vec::new()),
            general_error: String::new(),
            sent: false,
        }
    }
}

/// The form's double-submit token: the cookie's, or a new one.
fn form_token(jar: CookieJar, s: &AppState) -> (CookieJar, String) {
    crate::account::double_submit_token(
        jar,
        s,
        FEEDBACK_CSRF_COOKIE,
        "/feedback",
        time::Duration::hours(12),
    )
}

/// `raw` when it is a path on this site, else the home page: a link back
/// must never lead elsewhere.
fn site_path(raw: &str) -> String {
    let raw = raw.trim();
    if is_site_path(raw) {
        raw.to_string()
    } else {
        "/".to_string()
    }
}

#[derive(Deserialize, Default)]
struct AboutQuery {
    #[serde(default)]
    page: String,
}

async fn form_page(
    State(s): State<AppState>,
    parts: Parts,
    jar: CookieJar,
    Query(q): Query<AboutQuery>,
) -> Response {
    let v = match visitor(&parts, &s).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let (jar, token) = form_token(jar, &s);
    let t = FeedbackPage::new(v.shell, token, site_path(&q.page));
    (jar, page(&parts, &t, StatusCode::OK)).into_response()
}

#[derive(Deserialize, Default)]
struct SentForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    message: String,
    #[serde(default)]
    page: String,
    /// The honeypot: hidden from people, filled by form-filling bots.
    #[serde(default)]
    website: String,
}

/// The form's wording of a field error (`feedback-error-<code>`), else the
/// app's.
fn field_message(tr: &Tr, f: &mercato_app::FieldError) -> String {
    tr.t_or(&format!("feedback-error-{}", f.code), &tr.field_error(f))
}

async fn submit(
    State(s): State<AppState>,
    parts: Parts,
    jar: CookieJar,
    Client(client): Client,
    Form(f): Form<SentForm>,
) -> Response {
    let v = match visitor(&parts, &s).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let expected = jar
        .get(FEEDBACK_CSRF_COOKIE)
        .map(|c| c.value().to_string())
        .unwrap_or_default();
    if let Err(r) = check_csrf(&f.csrf_token, &expected) {
        return r;
    }
    let tr = v.tr.clone();
    let about = site_path(&f.page);
    // Bots get the same thank-you page, and nothing is stored.
    if !f.website.trim().is_empty() {
        let mut t = FeedbackPage::new(v.shell, expected, about);
        t.sent = true;
        return page(&parts, &t, StatusCode::OK);
    }
    let form = FeedbackForm {
        kind: f.kind,
        message: f.message,
        page: f.page,
    };
    let context = PageContext {
        lang: tr.code().to_string(),
        market: Some(v.market.code.clone()),
    };
    let key = feedback::client_key(&client);
    let result = feedback::submit(&s.app, v.p.as_ref(), &form, key.as_deref(), &context).await;
    let mut t = FeedbackPage::new(v.shell, expected, about);
    let status = match result {
        Ok(_) => {
            t.sent = true;
            return page(&parts, &t, StatusCode::OK);
        }
        Err(AppError::Invalid(fields)) => {
            t.errors = crate::account::Errors::new(
                fields
                    .iter()
                    .map(|e| (e.field.clone(), field_message(&tr, e)))
                    .collect(),
            );
            t.general_error = tr.t("feedback-form-errors");
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Err(AppError::RateLimited { .. }) => {
            t.general_error = tr.t("feedback-rate-limited");
            StatusCode::TOO_MANY_REQUESTS
        }
        Err(e) => return fail(e),
    };
    t.kind = form.kind;
    t.message = form.message;
    page(&parts, &t, status)
}

// ---------------------------------------------------------------------------
// The back office: list and triage

/// Feedback as a list row.
struct Row {
    id: Uuid,
    received: String,
    source: String,
    kind: String,
    page: String,
    excerpt: String,
    status: String,
    status_code: &'static str,
}

#[derive(Template)]
#[template(path = "admin_feedback_list.html")]
struct ListPage {
    ui: Ui,
    staff: crate::admin::StaffBar,
    csrf_token: String,
    rows: Vec<Row>,
    /// `(code, label, selected)`.
    statuses: Vec<(String, String, bool)>,
    next: Option<String>,
}

#[derive(Deserialize, Default)]
struct ListFilter {
    #[serde(default)]
    status: String,
    #[serde(default)]
    cursor: String,
}

/// The start of a message on one line, for the list.
fn excerpt(message: &str) -> String {
    const LEN: usize = 100;
    let flat: String = message.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > LEN {
        let cut: String = flat.chars().take(LEN).collect();
        format!("{cut}…")
    } else {
        flat
    }
}

async fn list_page(
    State(s): State<AppState>,
    Staff(p, csrf, _): Staff<BackOffice>,
    ui: Ui,
    Query(f): Query<ListFilter>,
) -> Response {
    let cursor = match f.cursor.as_str() {
        "" => None,
        c => match c.parse::<Uuid>() {
            Ok(u) => Some(u),
            Err(_) => return crate::api::invalid_cursor().into_response(),
        },
    };
    let q = FeedbackQuery {
        status: Some(f.status.clone()),
        cursor,
        limit: Some(50),
    };
    let page = match feedback::list(&s.app, Some(&p), &q).await {
        Ok(page) => page,
        Err(e) => return Problem::from(e).into_response(),
    };
    let rows = page
        .items
        .iter()
        .map(|i| Row {
            id: i.id,
            received: utc_time(i.created_at),
            source: ui.word("admin-feedback-source", i.source.code()),
            kind: ui.word("admin-feedback-kind", i.kind.code()),
            page: i.page.clone(),
            excerpt: excerpt(&i.message),
            status: ui.word("admin-feedback-status", i.status.code()),
            status_code: i.status.code(),
        })
        .collect();
    let statuses = FeedbackStatus::ALL
        .iter()
        .map(|st| {
            (
                st.code().to_string(),
                ui.word("admin-feedback-status", st.code()),
                st.code() == f.status,
            )
        })
        .collect();
    // The status is one of ours (checked by the list), so safe in a URL.
    let next = page
        .next_cursor
        .map(|c| format!("/admin/feedback?status={}&cursor={c}", f.status));
    let t = ListPage {
        ui: ui.clone(),
        staff: crate::admin::StaffBar::of(&p),
        csrf_token: csrf,
        rows,
        statuses,
        next,
    };
    ui.page(&t, StatusCode::OK)
}

#[derive(Template)]
#[template(path = "admin_feedback.html")]
struct DetailPage {
    ui: Ui,
    staff: crate::admin::StaffBar,
    csrf_token: String,
    f: FeedbackView,
    received: String,
    updated: String,
    source: String,
    kind: String,
    status: String,
    signed_in: String,
    /// The viewer may triage (else the page only reads).
    can_triage: bool,
    /// `(code, label, selected)` of the statuses staff may set.
    statuses: Vec<(String, String, bool)>,
    message: Option<String>,
    error: Option<String>,
}

fn parse_id(raw: &str) -> Result<Uuid, Response> {
    raw.parse()
        .map_err(|_| Problem::from(AppError::NotFound("feedback")).into_response())
}

fn detail(
    ui: &Ui,
    p: &Principal,
    csrf: String,
    f: FeedbackView,
    message: Option<String>,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    // New feedback is offered as `triaged`: saving it means someone looked.
    let current = if f.status == FeedbackStatus::New {
        FeedbackStatus::Triaged
    } else {
        f.status
    };
    let t = DetailPage {
        ui: ui.clone(),
        staff: crate::admin::StaffBar::of(p),
        csrf_token: csrf,
        received: utc_time(f.created_at),
        updated: utc_time(f.updated_at),
        source: ui.word("admin-feedback-source", f.source.code()),
        kind: ui.word("admin-feedback-kind", f.kind.code()),
        status: ui.word("admin-feedback-status", f.status.code()),
        signed_in: ui.t(if f.context.signed_in {
            "admin-feedback-yes"
        } else {
            "admin-feedback-no"
        }),
        can_triage: p.allows(Permission::ManageInquiries),
        statuses: FeedbackStatus::TRIAGE
            .iter()
            .map(|st| {
                (
                    st.code().to_string(),
                    ui.word("admin-feedback-status", st.code()),
                    *st == current,
                )
            })
            .collect(),
        f,
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
    Staff(p, csrf, _): Staff<BackOffice>,
    ui: Ui,
    Path(id): Path<String>,
    Query(q): Query<Saved>,
) -> Response {
    let id = match parse_id(&id) {
        Ok(id) => id,
        Err(r) => return r,
    };
    match feedback::get(&s.app, Some(&p), id).await {
        Ok(f) => {
            let message = (q.saved == "1").then(|| ui.t("admin-saved"));
            detail(&ui, &p, csrf, f, message, None, StatusCode::OK)
        }
        Err(e) => Problem::from(e).into_response(),
    }
}

#[derive(Deserialize)]
struct TriageForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    staff_note: String,
}

async fn triage(
    State(s): State<AppState>,
    Staff(p, csrf, _): Staff<BackOffice>,
    ui: Ui,
    Client(client): Client,
    Path(id): Path<String>,
    Form(f): Form<TriageForm>,
) -> Response {
    if let Err(r) = check_csrf(&f.csrf_token, &csrf) {
        return r;
    }
    let id = match parse_id(&id) {
        Ok(id) => id,
        Err(r) => return r,
    };
    let ui = ui.at(format!("/admin/feedback/{id}"));
    let change = Triage {
        status: f.status,
        staff_note: f.staff_note,
    };
    match feedback::triage(&s.app, Some(&p), id, &change, &client).await {
        Ok(_) => Redirect::to(&format!("/admin/feedback/{id}?saved=1")).into_response(),
        Err(AppError::Invalid(fields)) => {
            let reason = crate::admin_catalog::messages(&ui, &fields);
            match feedback::get(&s.app, Some(&p), id).await {
                Ok(fb) => detail(
                    &ui,
                    &p,
                    csrf,
                    fb,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_are_one_short_line() {
        assert_eq!(excerpt("  two\n\nlines "), "two lines");
        let long = "字".repeat(150);
        let e = excerpt(&long);
        assert_eq!(e.chars().count(), 101);
        assert!(e.ends_with('…'));
    }

    #[test]
    fn links_back_stay_on_this_site() {
        assert_eq!(site_path("/p/bolt?x=1"), "/p/bolt?x=1");
        assert_eq!(site_path("//evil.example"), "/");
        assert_eq!(site_path("https://evil.example"), "/");
        assert_eq!(site_path(""), "/");
    }
}
