//! Serves stored media. Keys are content hashes, so a URL's bytes never
//! change: responses are cacheable forever.

use crate::AppState;
use crate::problem::Problem;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use mercato_app::media::MediaService;

pub(crate) fn routes() -> Router<AppState> {
    Router::new().route("/media/{*key}", get(serve))
}

async fn serve(State(s): State<AppState>, Path(key): Path<String>, headers: HeaderMap) -> Response {
    let etag = format!("\"{key}\"");
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        == Some(etag.as_str())
    {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response();
    }
    match MediaService::new(&s.app).get(&key).await {
        Ok(Some(bytes)) => {
            let mime = mercato_app::media::mime_for_key(&key);
            (
                [
                    (header::CONTENT_TYPE, mime.to_string()),
                    (
                        header::CACHE_CONTROL,
                        "public, max-age=31536000, immutable".to_string(),
                    ),
                    (header::ETAG, etag),
                ],
                bytes,
            )
                .into_response()
        }
        Ok(None) => {
            Problem::new(StatusCode::NOT_FOUND, "not_found", "no such media file").into_response()
        }
        Err(e) => Problem::from(e).into_response(),
    }
}
