//! Saved views on the back office's lists: the bar above a list with the
//! staff member's views (and the team's shared ones), a form to save the
//! filters on screen under a name, and a button to delete one's own.

use crate::AppState;
use crate::admin::{BackOffice, Staff, check_csrf};
use crate::problem::Problem;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum_extra::extract::Form;
use mercato_app::auth::Principal;
use mercato_app::views;
use mercato_core::saved_view::NewSavedView;
use serde::Deserialize;
use uuid::Uuid;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/views", post(save))
        .route("/admin/views/{id}/delete", post(delete))
}

/// One saved view as the bar shows it.
#[derive(Clone, Debug)]
pub(crate) struct ViewLink {
    pub id: Uuid,
    pub name: String,
    pub href: String,
    pub shared: bool,
    /// Saved by the reader: theirs to delete.
    pub mine: bool,
    /// The list on screen is this view.
    pub active: bool,
}

/// The saved-views bar of one list page.
#[derive(Clone, Debug, Default)]
pub(crate) struct SavedViews {
    /// The list's path.
    pub page: &'static str,
    /// The filters on screen, as a view would keep them.
    pub query: String,
    pub items: Vec<ViewLink>,
}

/// The bar for list `page` showing the filters `query` (the request's
/// query string). A failure to read the views costs the bar, not the list.
pub(crate) async fn bar(
    s: &AppState,
    p: &Principal,
    page: &'static str,
    query: Option<&str>,
) -> SavedViews {
    let current = NewSavedView::parse(page, "-", query.unwrap_or(""), false)
        .map(|v| v.query)
        .unwrap_or_default();
    let items = match views::for_page(&s.app, p, page).await {
        Ok(list) => list
            .into_iter()
            .map(|v| ViewLink {
                id: v.view_id,
                href: NewSavedView::href(&v.page, &v.query),
                active: v.query == current,
                mine: v.user_id == p.user.id.as_uuid(),
                shared: v.shared,
                name: v.name,
            })
            .collect(),
        Err(e) => {
            tracing::warn!(error = %e, page, "saved views unavailable");
            Vec::new()
        }
    };
    SavedViews {
        page,
        query: current,
        items,
    }
}

#[derive(Deserialize)]
struct SaveForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    page: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    query: String,
    #[serde(default)]
    shared: Option<String>,
}

async fn save(
    State(s): State<AppState>,
    Staff(p, csrf, _): Staff<BackOffice>,
    Form(f): Form<SaveForm>,
) -> Response {
    if let Err(r) = check_csrf(&f.csrf_token, &csrf) {
        return r;
    }
    match views::save(&s.app, &p, &f.page, &f.name, &f.query, f.shared.is_some()).await {
        Ok(v) => Redirect::to(&NewSavedView::href(&v.page, &v.query)).into_response(),
        Err(e) => Problem::from(e).into_response(),
    }
}

async fn delete(
    State(s): State<AppState>,
    Staff(p, csrf, _): Staff<BackOffice>,
    Path(id): Path<Uuid>,
    Form(f): Form<crate::extract::CsrfForm>,
) -> Response {
    if let Err(r) = check_csrf(&f.csrf_token, &csrf) {
        return r;
    }
    match views::delete(&s.app, &p, id).await {
        Ok(page) => Redirect::to(&page).into_response(),
        Err(e) => Problem::from(e).into_response(),
    }
}
