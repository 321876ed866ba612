//! The JSON API under `/api/v1`, documented by utoipa from the handlers.

pub(crate) mod admin;
mod auth;
mod catalog;
mod companies;
mod inquiries;
pub(crate) mod orders;
mod pricing;
mod promotions;
mod search;

pub(crate) use auth::session_cookie;
pub(crate) use catalog::parse_status;

use crate::AppState;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;

#[derive(OpenApi)]
#[openapi(
    info(title = "Mercato API", description = "B2B commerce: catalog, prices, companies, orders. Errors are RFC 9457 problems with a stable `code`."),
    servers((url = "/api/v1")),
    modifiers(&SecuritySchemes),
    tags(
        (name = "auth", description = "Sign-in, sessions and API tokens"),
        (name = "catalog", description = "Products, SKUs, categories, brands, markets, search"),
        (name = "companies", description = "Company accounts: companies, users and roles, business units, addresses, registration, invitations"),
        (name = "prices", description = "Price lists, tier tables and the caller's prices with their explanation"),
        (name = "inquiries", description = "Requests for quotation and samples, contact messages; their follow-up by staff"),
        (name = "orders", description = "Carts, quick order, checkout with B2B payment methods, orders, shipments, shipping methods"),
        (name = "stock", description = "Warehouses and stock levels"),
        (name = "admin", description = "Back-office operations for staff")
    )
)]
struct ApiDoc;

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(crate::SESSION_COOKIE))),
        );
    }
}

/// An opaque page cursor: `<first>|<rest>` in URL-safe base64, so clients
/// treat it as a token. `rest` may itself contain `|`.
pub(crate) fn encode_cursor(first: &str, rest: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{first}|{rest}"))
}

/// The two halves of a cursor from [`encode_cursor`], or 400 `invalid_cursor`.
pub(crate) fn decode_cursor(c: &str) -> Result<(String, String), crate::problem::Problem> {
    use base64::Engine;
    let bad = invalid_cursor;
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(c)
        .map_err(|_| bad())?;
    let text = String::from_utf8(raw).map_err(|_| bad())?;
    let (first, rest) = text.split_once('|').ok_or_else(bad)?;
    Ok((first.to_string(), rest.to_string()))
}

/// 400 `invalid_cursor`, for a cursor whose halves do not parse.
pub(crate) fn invalid_cursor() -> crate::problem::Problem {
    crate::problem::Problem::new(
        axum::http::StatusCode::BAD_REQUEST,
        "invalid_cursor",
        "cursor is not one this API handed out",
    )
}

/// For PATCH: an absent field is `None`, `null` is `Some(None)`.
pub(crate) fn double_option<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    <Option<T> as serde::Deserialize>::deserialize(d).map(Some)
}

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(auth::routes())
        .merge(admin::routes())
        .merge(catalog::routes())
        .merge(companies::routes())
        .merge(inquiries::routes())
        .merge(pricing::routes())
        .merge(promotions::routes())
        .merge(orders::routes())
        .merge(search::routes())
}

pub(crate) fn openapi() -> utoipa::openapi::OpenApi {
    routes().into_openapi()
}
