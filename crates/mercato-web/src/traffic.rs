//! Counting storefront traffic (D1), first-party and without personal
//! data: a middleware counts each storefront page a browser was shown
//! into the in-memory [`TrafficRecorder`](mercato_app::traffic::TrafficRecorder)
//! (flushed to the database in the background), and storefront handlers
//! note what only they know (the visitor's market, a search and whether it
//! found anything, the product shown) on the request.
//!
//! A visit is told apart by the `mercato_visit` cookie: its value is "1",
//! it lives 30 minutes from the last page, and it identifies nobody. A
//! page without it starts a visit, counted with its entry page, channel,
//! referrer (the site's name only) and device class. Browsers that send
//! `DNT: 1` or `Sec-GPC: 1` get no cookie, and their page views, searches
//! and product views are counted (plain totals, nothing about the visitor)
//! but never as visits: without the cookie a visit cannot be told from
//! the next page of the same one. Bots, speculative loads (prefetch,
//! prerender) and staff looking at the shop are not counted.

use crate::AppState;
use crate::shop::requested_market;
use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use axum_extra::extract::CookieJar;
use mercato_core::traffic::{self as rules, DeviceClass, Origin, PageHit, SearchShown, VisitStart};
use std::sync::{Arc, Mutex, PoisonError};

/// Cookie marking a visit in progress.
pub(crate) const VISIT_COOKIE: &str = "mercato_visit";
const VISIT: &str = "mercato_visit=1; Max-Age=1800; Path=/; HttpOnly; SameSite=Lax";
const VISIT_SECURE: &str = "mercato_visit=1; Max-Age=1800; Path=/; HttpOnly; SameSite=Lax; Secure";

/// What a storefront handler noted about the page it rendered.
#[derive(Default)]
struct Noted {
    /// The visitor's market as the page decided it (a buyer's company
    /// market, else the chosen one, else the default).
    market: Option<String>,
    /// Staff browsing as themselves: not a customer's traffic.
    staff: bool,
    /// A plain text search shown, and whether it found anything.
    search: Option<(String, bool)>,
    /// The product shown (its slug).
    product: Option<String>,
}

/// Put on a request the middleware may count; handlers write to it
/// through the `note_*` functions (which do nothing on other requests).
#[derive(Clone, Default)]
struct PageNotes(Arc<Mutex<Noted>>);

fn note(parts: &Parts, f: impl FnOnce(&mut Noted)) {
    if let Some(n) = parts.extensions.get::<PageNotes>() {
        f(&mut n.0.lock().unwrap_or_else(PoisonError::into_inner));
    }
}

/// The page's visitor shops in `market`; `staff` when they are staff not
/// acting for a buyer.
pub(crate) fn note_visitor(parts: &Parts, market: &str, staff: bool) {
    note(parts, |n| {
        n.market = Some(market.to_string());
        n.staff = staff;
    });
}

/// The page shows a plain text search (first page, no filters).
pub(crate) fn note_search(parts: &Parts, text: &str, found: bool) {
    note(parts, |n| n.search = Some((text.to_string(), found)));
}

/// The page shows the product `slug`.
pub(crate) fn note_product(parts: &Parts, slug: &str) {
    note(parts, |n| n.product = Some(slug.to_string()));
}

fn header_str(h: &HeaderMap, name: impl header::AsHeaderName) -> Option<&str> {
    h.get(name).and_then(|v| v.to_str().ok())
}

/// The middleware: counts the storefront pages browsers are shown.
pub(crate) async fn count(State(s): State<AppState>, req: Request, next: Next) -> Response {
    // Cheap checks first: most requests (API, assets, media, bots) leave here.
    if !s.options.traffic || !rules::is_page_request(req.method().as_str(), req.uri().path()) {
        return next.run(req).await;
    }
    let h = req.headers();
    let device = DeviceClass::of(header_str(h, header::USER_AGENT));
    let purpose = header_str(h, "sec-purpose").or_else(|| header_str(h, "purpose"));
    if device.is_bot() || rules::is_speculative(purpose) {
        return next.run(req).await;
    }
    let (mut parts, body) = req.into_parts();
    let jar = CookieJar::from_headers(&parts.headers);
    let private = header_str(&parts.headers, "dnt") == Some("1")
        || header_str(&parts.headers, "sec-gpc") == Some("1");
    let starts_visit = !private && jar.get(VISIT_COOKIE).is_none();
    let origin = starts_visit.then(|| {
        let forwarded = s
            .options
            .trust_proxy
            .then(|| header_str(&parts.headers, "x-forwarded-host"))
            .flatten();
        let host = forwarded
            .or_else(|| header_str(&parts.headers, header::HOST))
            .or_else(|| parts.uri.host());
        Origin::of(header_str(&parts.headers, header::REFERER), host)
    });
    let requested = requested_market(&parts, &jar);
    let path = parts.uri.path().to_string();
    let notes = PageNotes::default();
    parts.extensions.insert(notes.clone());

    let mut res = next.run(Request::from_parts(parts, body)).await;

    let ct = header_str(res.headers(), header::CONTENT_TYPE).unwrap_or("");
    if !rules::is_page_response(res.status().as_u16(), ct) {
        return res;
    }
    let noted = std::mem::take(&mut *notes.0.lock().unwrap_or_else(PoisonError::into_inner));
    if noted.staff {
        return res;
    }
    let market = match noted.market {
        Some(m) => m,
        // A page outside the storefront frame (the account pages): the
        // market asked for, else the default, from the cached taxonomy.
        None => match mercato_app::catalog::storefront_market(&s.app, None, requested.as_deref())
            .await
        {
            Ok((m, _)) => m.code,
            Err(_) => return res,
        },
    };
    let hit = PageHit {
        path: &path,
        visit: origin.map(|origin| VisitStart { origin, device }),
        search: noted.search.as_ref().map(|(text, found)| SearchShown {
            text,
            found: *found,
        }),
        product: noted.product.as_deref(),
    };
    s.traffic
        .record(time::OffsetDateTime::now_utc().date(), &market, &hit);
    if !private {
        // Refreshed on every page: the visit ends 30 minutes after the last.
        let cookie = if s.options.secure_cookies {
            VISIT_SECURE
        } else {
            VISIT
        };
        res.headers_mut()
            .append(header::SET_COOKIE, HeaderValue::from_static(cookie));
    }
    res
}
