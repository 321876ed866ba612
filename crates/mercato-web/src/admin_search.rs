//! Back-office search page: the node's index (size, lag, rebuild) and the
//! synonym groups.

use crate::AppState;
use crate::admin::{Ui, check_csrf};
use crate::admin_catalog::{CatalogStaff, messages};
use crate::problem::Problem;
use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use mercato_app::AppError;
use mercato_app::auth::Principal;
use mercato_app::search::{self, SynonymView};
use serde::Deserialize;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/search", get(search_page))
        .route("/admin/search/synonyms", post(add_synonyms))
        .route("/admin/search/synonyms/{id}/delete", post(delete_synonyms))
        .route("/admin/search/reindex", post(reindex))
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    ui: Ui,
    staff: crate::admin::StaffBar,
    csrf_token: String,
    message: Option<String>,
    /// "n products indexed; m catalog changes waiting", if the node has an index.
    status: Option<String>,
    groups: Vec<SynonymView>,
}

async fn render(
    s: &AppState,
    ui: &Ui,
    p: &Principal,
    csrf: String,
    message: Option<String>,
) -> Response {
    let loaded = async {
        let status = match s.app.search() {
            Some(svc) => Some((
                svc.index().num_docs(),
                search::lag(&s.app, svc.index()).await?,
            )),
            None => None,
        };
        Ok::<_, AppError>((status, search::synonym_groups(&s.app).await?))
    }
    .await;
    match loaded {
        Ok((status, groups)) => {
            let status = status.map(|(documents, lag)| {
                let (documents, lag) = (documents.to_string(), lag.to_string());
                ui.t_with(
                    "admin-search-status",
                    &[("documents", documents.as_str()), ("lag", lag.as_str())],
                )
            });
            let t = SearchPage {
                ui: ui.clone(),
                staff: crate::admin::StaffBar::of(p),
                csrf_token: csrf,
                message,
                status,
                groups,
            };
            ui.page(&t, StatusCode::OK)
        }
        Err(e) => Problem::from(e).into_response(),
    }
}

async fn search_page(
    State(s): State<AppState>,
    CatalogStaff(p, csrf): CatalogStaff,
    ui: Ui,
) -> Response {
    render(&s, &ui, &p, csrf, None).await
}

#[derive(Deserialize)]
struct TokenForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    terms: String,
}

async fn add_synonyms(
    State(s): State<AppState>,
    CatalogStaff(p, csrf): CatalogStaff,
    ui: Ui,
    Form(f): Form<TokenForm>,
) -> Response {
    if let Err(r) = check_csrf(&f.csrf_token, &csrf) {
        return r;
    }
    let ui = ui.at("/admin/search");
    let terms: Vec<String> = f
        .terms
        .split([',', '，', ';'])
        .map(str::to_string)
        .collect();
    match search::save_synonym_group(&s.app, Some(&p), None, &terms).await {
        Ok(g) => {
            let terms = g.terms.join(" · ");
            let msg = ui.t_with("admin-search-added", &[("terms", terms.as_str())]);
            render(&s, &ui, &p, csrf, Some(msg)).await
        }
        Err(AppError::Invalid(fields)) => {
            let reason = messages(&ui, &fields);
            let msg = ui.t_with("admin-search-not-added", &[("reason", reason.as_str())]);
            let mut res = render(&s, &ui, &p, csrf, Some(msg)).await;
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            res
        }
        Err(e) => Problem::from(e).into_response(),
    }
}

async fn delete_synonyms(
    State(s): State<AppState>,
    CatalogStaff(p, csrf): CatalogStaff,
    ui: Ui,
    Path(id): Path<String>,
    Form(f): Form<TokenForm>,
) -> Response {
    if let Err(r) = check_csrf(&f.csrf_token, &csrf) {
        return r;
    }
    let ui = ui.at("/admin/search");
    let Ok(id) = id.parse() else {
        return Problem::from(AppError::NotFound("synonym group")).into_response();
    };
    match search::delete_synonym_group(&s.app, Some(&p), id).await {
        Ok(()) => {
            let msg = ui.t("admin-search-deleted");
            render(&s, &ui, &p, csrf, Some(msg)).await
        }
        Err(e) => Problem::from(e).into_response(),
    }
}

async fn reindex(
    State(s): State<AppState>,
    CatalogStaff(p, csrf): CatalogStaff,
    ui: Ui,
    Form(f): Form<TokenForm>,
) -> Response {
    if let Err(r) = check_csrf(&f.csrf_token, &csrf) {
        return r;
    }
    let ui = ui.at("/admin/search");
    let key = match s.app.search() {
        Some(svc) => {
            svc.request_rebuild();
            s.app.events().notify();
            "admin-search-rebuild-started"
        }
        None => "admin-search-no-index",
    };
    let msg = ui.t(key);
    render(&s, &ui, &p, csrf, Some(msg)).await
}
