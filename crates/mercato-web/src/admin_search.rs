//! Back-office search page: the node's index (size, lag, rebuild) and the
//! synonym groups.

use crate::AppState;
use crate::admin::check_csrf;
use crate::admin_catalog::{CatalogStaff, messages, page};
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
    staff_name: String,
    csrf_token: String,
    message: Option<String>,
    /// (documents, lag)
    status: Option<(u64, i64)>,
    groups: Vec<SynonymView>,
}

async fn render(s: &AppState, p: &Principal, csrf: String, message: Option<String>) -> Response {
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
        Ok((status, groups)) => page(&SearchPage {
            staff_name: p.user.name.clone(),
            csrf_token: csrf,
            message,
            status,
            groups,
        }),
        Err(e) => Problem::from(e).into_response(),
    }
}

async fn search_page(State(s): State<AppState>, CatalogStaff(p, csrf): CatalogStaff) -> Response {
    render(&s, &p, csrf, None).await
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
    Form(f): Form<TokenForm>,
) -> Response {
    if let Err(r) = check_csrf(&f.csrf_token, &csrf) {
        return r;
    }
    let terms: Vec<String> = f
        .terms
        .split([',', '，', ';'])
        .map(str::to_string)
        .collect();
    match search::save_synonym_group(&s.app, Some(&p), None, &terms).await {
        Ok(g) => {
            let msg = format!("Added: {}.", g.terms.join(" · "));
            render(&s, &p, csrf, Some(msg)).await
        }
        Err(AppError::Invalid(fields)) => {
            let msg = format!("Not added: {}", messages(fields));
            let mut res = render(&s, &p, csrf, Some(msg)).await;
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            res
        }
        Err(e) => Problem::from(e).into_response(),
    }
}

async fn delete_synonyms(
    State(s): State<AppState>,
    CatalogStaff(p, csrf): CatalogStaff,
    Path(id): Path<String>,
    Form(f): Form<TokenForm>,
) -> Response {
    if let Err(r) = check_csrf(&f.csrf_token, &csrf) {
        return r;
    }
    let Ok(id) = id.parse() else {
        return Problem::from(AppError::NotFound("synonym group")).into_response();
    };
    match search::delete_synonym_group(&s.app, Some(&p), id).await {
        Ok(()) => render(&s, &p, csrf, Some("Deleted.".into())).await,
        Err(e) => Problem::from(e).into_response(),
    }
}

async fn reindex(
    State(s): State<AppState>,
    CatalogStaff(p, csrf): CatalogStaff,
    Form(f): Form<TokenForm>,
) -> Response {
    if let Err(r) = check_csrf(&f.csrf_token, &csrf) {
        return r;
    }
    let msg = match s.app.search() {
        Some(svc) => {
            svc.request_rebuild();
            s.app.events().notify();
            "Rebuild started; searches keep answering meanwhile."
        }
        None => "This node runs without a search index.",
    };
    render(&s, &p, csrf, Some(msg.into())).await
}
