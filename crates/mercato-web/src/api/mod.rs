//! The JSON API under `/api/v1`, documented by utoipa from the handlers.

mod admin;
mod auth;
mod catalog;
mod companies;
mod pricing;
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

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(auth::routes())
        .merge(admin::routes())
        .merge(catalog::routes())
        .merge(companies::routes())
        .merge(pricing::routes())
        .merge(search::routes())
}

pub(crate) fn openapi() -> utoipa::openapi::OpenApi {
    routes().into_openapi()
}
