//! The storefront: home, category and brand listings with facets, search,
//! product pages, comparison, inquiries (request a quote or samples),
//! static pages, sitemaps. Server-rendered, usable without JavaScript
//! (`/assets/shop.js` only adds suggestions, instant filters and the
//! gallery), in Chinese and English, at phone width.
//!
//! What a visitor sees follows the market's roadmap step (M2): on step 1
//! (digital catalog) or with prices switched off there are no prices and
//! no cart, and every product offers "request a quote" and "request a
//! sample" instead; from step 2 prices (the caller's own) and stock show.

use crate::AppState;
use crate::admin::check_csrf;
use crate::extract::{Client, find_principal};
use crate::i18n::Tr;
use crate::problem::Problem;
use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use mercato_app::auth::Principal;
use mercato_app::catalog::{self, ProductSummary, ProductView};
use mercato_app::inquiries::{self, InquirySource};
use mercato_app::search::{self, ProductQuery};
use mercato_app::{AppError, pricing};
use mercato_core::Lang;
use mercato_core::inquiry::{InquiryForm, InquiryKind};
use mercato_core::market::{Market, RoadmapStep};
use mercato_core::money::Money;
use mercato_core::stock::Availability;
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

/// Cookie with the visitor's chosen market.
const MARKET_COOKIE: &str = "mercato_market";
/// Cookie with the products picked for comparison (slugs joined by `.`).
const COMPARE_COOKIE: &str = "mercato_compare";
/// Cookie with the double-submit token of the inquiry form.
const INQUIRY_CSRF_COOKIE: &str = "mercato_inquiry_csrf";
/// At most this many products side by side.
const COMPARE_MAX: usize = 4;
/// Products per listing page.
const PAGE_SIZE: i64 = 24;

const SHOP_JS: &str = include_str!("../assets/shop.js");

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/search", get(search_page))
        .route("/c/{slug}", get(category_page))
        .route("/brands", get(brands_page))
        .route("/brands/{slug}", get(brand_page))
        .route("/p/{slug}", get(product_page))
        .route("/compare", get(compare_page))
        .route("/compare/add", post(compare_add))
        .route("/compare/remove", post(compare_remove))
        .route("/inquiry", get(inquiry_page).post(inquiry_submit))
        .route("/pages/{name}", get(static_page))
        .route("/market", post(choose_market))
        .route("/sitemap.xml", get(sitemap_index))
        .route("/sitemaps/{market}/{file}", get(sitemap))
        .route("/robots.txt", get(robots))
        .route("/assets/shop.js", get(js))
}

// ---------------------------------------------------------------------------
// The frame of every storefront page

/// A market in the switch.
pub(crate) struct MarketChoice {
    pub code: String,
    pub name: String,
    pub selected: bool,
}

/// What every storefront page's frame needs.
pub(crate) struct StoreShell {
    pub tr: Tr,
    pub signed_in: bool,
    /// The signed-in buyer's company, for the header.
    pub company: Option<String>,
    /// The session's CSRF token (empty before sign-in).
    pub csrf: String,
    pub acting: Option<String>,
    /// The search box's text.
    pub q: String,
    /// This page's path and query without `lang=` (language links).
    pub here: String,
    pub market: MarketChoice,
    pub markets: Vec<MarketChoice>,
    /// The market shows prices, stock and the cart (roadmap step ≥ 2).
    pub buying: bool,
    /// Items picked for comparison.
    pub compare_count: usize,
}

impl StoreShell {
    /// This page in language `code`.
    pub fn lang_url(&self, code: &str) -> String {
        let sep = if self.here.contains('?') { '&' } else { '?' };
        format!("{}{sep}lang={code}", self.here)
    }
}

/// Who is looking, where, in which language.
pub(crate) struct Visitor {
    pub tr: Tr,
    pub lang: Lang,
    pub p: Option<Principal>,
    pub market: Market,
    pub shell: StoreShell,
}

impl Visitor {
    /// Whether prices, stock and the cart show (M2).
    fn buying(&self) -> bool {
        self.shell.buying
    }
}

/// `?market=` when it names a market, else the cookie's.
pub(crate) fn requested_market(parts: &Parts, jar: &CookieJar) -> Option<String> {
    parts
        .uri
        .query()
        .unwrap_or("")
        .split('&')
        .find_map(|kv| kv.strip_prefix("market="))
        .map(str::to_string)
        .or_else(|| jar.get(MARKET_COOKIE).map(|c| c.value().to_string()))
}

/// The path and query of a request without `lang=` (for language links).
fn here(parts: &Parts) -> String {
    let path = parts.uri.path();
    let query: Vec<&str> = parts
        .uri
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|kv| !kv.is_empty() && !kv.starts_with("lang="))
        .collect();
    if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", query.join("&"))
    }
}

pub(crate) async fn visitor(parts: &Parts, s: &AppState) -> Result<Visitor, Response> {
    let tr = Tr::from_parts(parts);
    let jar = CookieJar::from_headers(&parts.headers);
    // A broken or expired session on a public page: browse anonymously.
    let p = find_principal(parts, s).await.ok().flatten();
    let (market, all) =
        catalog::storefront_market(&s.app, p.as_ref(), requested_market(parts, &jar).as_deref())
            .await
            .map_err(fail)?;
    let staff = p.as_ref().is_some_and(|p| p.user.staff_role.is_some());
    crate::traffic::note_visitor(parts, &market.code, staff);
    let lang = Lang::parse(tr.code()).map_err(|e| fail(AppError::Internal(e.to_string())))?;
    let name_of = |m: &Market| {
        m.name
            .resolve(&lang, &m.languages)
            .unwrap_or(&m.code)
            .to_string()
    };
    // The account pages' frame: session CSRF token and acting banner.
    let frame = crate::account::shell(&tr, p.as_ref());
    let compare_count = compare_list(&jar).len();
    let shell = StoreShell {
        tr: tr.clone(),
        signed_in: p.is_some(),
        company: p
            .as_ref()
            .and_then(|p| p.membership())
            .map(|m| m.company_name.clone()),
        csrf: frame.csrf,
        acting: frame.acting,
        q: String::new(),
        here: here(parts),
        market: MarketChoice {
            code: market.code.clone(),
            name: name_of(&market),
            selected: true,
        },
        markets: all
            .iter()
            .map(|m| MarketChoice {
                code: m.code.clone(),
                name: name_of(m),
                selected: m.code == market.code,
            })
            .collect(),
        buying: market.show_prices && market.roadmap_step >= RoadmapStep::OnlineBuying,
        compare_count,
    };
    Ok(Visitor {
        tr,
        lang,
        p,
        market,
        shell,
    })
}

/// Renders a storefront page. Pages depend on the visitor (language,
/// market, own prices), so they are private to the browser and
/// revalidated; a `?lang=` choice is remembered in a cookie.
pub(crate) fn page(parts: &Parts, t: &impl Template, status: StatusCode) -> Response {
    let mut res = match t.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            return Problem::for_status(StatusCode::INTERNAL_SERVER_ERROR).into_response();
        }
    };
    let h = res.headers_mut();
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    h.insert(
        header::VARY,
        HeaderValue::from_static("Cookie, Accept-Language"),
    );
    if let Some(code) = crate::i18n::query_lang(parts) {
        crate::i18n::remember(&mut res, &Tr::new(code));
    }
    res
}

// ---------------------------------------------------------------------------
// Formatting

/// Money as people read it: symbol, thousands separators, the currency's
/// decimals (`¥1,234.50`, `€12.00`, `JPY 1,200`).
pub(crate) fn format_money(m: &Money) -> String {
    let c = m.currency();
    let symbol = match c.code() {
        "CNY" => "¥",
        "EUR" => "€",
        "USD" => "$",
        "GBP" => "£",
        _ => "",
    };
    let places = c.exponent();
    let rounded = m
        .amount()
        .round_dp_with_strategy(places, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    let text = format!("{:.*}", places as usize, rounded.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let sign = if rounded.is_sign_negative() && !rounded.is_zero() {
        "-"
    } else {
        ""
    };
    let number = if frac.is_empty() {
        grouped
    } else {
        format!("{grouped}.{frac}")
    };
    if symbol.is_empty() {
        format!("{sign}{} {number}", c.code())
    } else {
        format!("{sign}{symbol}{number}")
    }
}

/// A quantity without trailing zeros (`10`, `2.5`).
pub(crate) fn format_quantity(q: Decimal) -> String {
    q.normalize().to_string()
}

/// Stock as the market shows it.
fn stock_text(tr: &Tr, a: Option<&Availability>) -> (String, &'static str) {
    match a {
        Some(Availability::Exact { available }) if *available > Decimal::ZERO => (
            tr.t_with("stock-exact", &[("n", &format_quantity(*available))]),
            "in",
        ),
        Some(Availability::InStock) => (tr.t("stock-in"), "in"),
        Some(Availability::Low) => (tr.t("stock-low"), "low"),
        Some(Availability::Backorder {
            lead_time_days: Some(d),
        }) => (
            tr.t_with("stock-backorder-days", &[("days", &d.to_string())]),
            "low",
        ),
        Some(Availability::Backorder { .. }) => (tr.t("stock-backorder"), "low"),
        _ => (tr.t("stock-out"), "out"),
    }
}

// ---------------------------------------------------------------------------
// Product cards (home, listings, related)

/// A product in a list.
pub(crate) struct Card {
    pub url: String,
    pub name: String,
    pub brand: String,
    pub skus: String,
    pub image: Option<(String, u32, u32)>,
    /// "from ¥12.00" or empty when prices are hidden or unknown.
    pub price: String,
}

/// Cards for `items`, with the caller's prices when the market shows them.
async fn cards(s: &AppState, v: &Visitor, items: &[ProductSummary]) -> Vec<Card> {
    let prices = if v.buying() {
        let skus: Vec<String> = items.iter().flat_map(|i| i.skus.iter().cloned()).collect();
        pricing::list_prices(&s.app, v.p.as_ref(), &v.market, &skus)
            .await
            .unwrap_or_default()
    } else {
        BTreeMap::new()
    };
    items
        .iter()
        .map(|i| {
            let lowest = i
                .skus
                .iter()
                .filter_map(|sku| prices.get(sku))
                .min_by_key(|m| m.amount());
            let price = lowest
                .map(|m| {
                    if i.variant_count > 1 {
                        v.tr.t_with("price-from", &[("price", &format_money(m))])
                    } else {
                        format_money(m)
                    }
                })
                .unwrap_or_default();
            let mut skus = i.skus.join(" · ");
            if i.variant_count > i.skus.len() {
                skus.push_str(" …");
            }
            Card {
                url: format!("/p/{}", i.slug),
                name: i.name.clone(),
                brand: i.brand.clone().unwrap_or_default(),
                skus,
                image: i.image.as_ref().map(|r| (r.url.clone(), r.width, r.height)),
                price,
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Home

/// A category link with its children.
pub(crate) struct CategoryLink {
    pub url: String,
    pub name: String,
    pub children: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "store_home.html")]
struct HomePage {
    shell: StoreShell,
    categories: Vec<CategoryLink>,
    /// The products most ordered in the market lately.
    popular: Vec<Card>,
    /// The newest products.
    cards: Vec<Card>,
}

async fn home(State(s): State<AppState>, parts: Parts) -> Response {
    let v = match visitor(&parts, &s).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let tree = catalog::category_tree(&s.app, Some(&v.market.code), Some(&v.lang))
        .await
        .unwrap_or_default();
    let categories = tree
        .into_iter()
        .map(|c| CategoryLink {
            url: format!("/c/{}", c.slug),
            name: c.name,
            children: c
                .children
                .into_iter()
                .take(6)
                .map(|k| (format!("/c/{}", k.slug), k.name))
                .collect(),
        })
        .collect();
    let q = ProductQuery {
        sort: Some("newest".into()),
        ..Default::default()
    };
    let newest =
        match search::browse(&s.app, &q, Some(&v.market.code), Some(&v.lang), None, 8).await {
            Ok((page, _)) => cards(&s, &v, &page.items).await,
            Err(_) => Vec::new(),
        };
    let popular =
        match catalog::popular_products(&s.app, Some(&v.market.code), Some(&v.lang), 8).await {
            Ok(items) => cards(&s, &v, &items).await,
            Err(_) => Vec::new(),
        };
    let t = HomePage {
        shell: v.shell,
        categories,
        popular,
        cards: newest,
    };
    page(&parts, &t, StatusCode::OK)
}

// ---------------------------------------------------------------------------
// Listings: search, category, brand

/// One value of a facet.
pub(crate) struct FacetOption {
    pub value: String,
    pub label: String,
    pub count: u64,
    pub checked: bool,
}

/// A facet in the sidebar.
pub(crate) struct FacetGroup {
    /// The parameter name (`brand`, `attr.material`, …).
    pub key: String,
    pub label: String,
    pub options: Vec<FacetOption>,
    /// For number attributes: `(min, max, unit, typed min, typed max)`.
    pub range: Option<(String, String, String, String, String)>,
}

/// An active filter, with the link that removes it.
pub(crate) struct Chip {
    pub label: String,
    pub remove: String,
}

#[derive(Template)]
#[template(path = "store_listing.html")]
struct ListingPage {
    shell: StoreShell,
    title: String,
    heading: String,
    /// Path the filter form submits to.
    action: String,
    /// Parameters the form keeps (the fixed category or brand).
    breadcrumbs: Vec<(String, String)>,
    subcategories: Vec<(String, String)>,
    total: String,
    cards: Vec<Card>,
    groups: Vec<FacetGroup>,
    chips: Vec<Chip>,
    sorts: Vec<(String, String, bool)>,
    in_stock: bool,
    next: Option<String>,
    /// No index on this node: filters are unavailable.
    plain: bool,
    /// A search that found nothing.
    empty_search: bool,
    canonical: String,
}

/// What a listing URL asks for, parsed once.
#[derive(Default)]
struct ListingParams {
    q: String,
    categories: Vec<String>,
    brands: Vec<String>,
    /// `attr.<code>` → selected values.
    attrs: BTreeMap<String, Vec<String>>,
    /// `attr.<code>` → (min, max) as typed.
    ranges: BTreeMap<String, (String, String)>,
    in_stock: bool,
    sort: String,
    cursor: Option<String>,
}

impl ListingParams {
    fn parse(pairs: &[(String, String)]) -> Self {
        let mut p = ListingParams::default();
        for (k, v) in pairs {
            let v = v.trim();
            match k.as_str() {
                "q" => p.q = v.chars().take(200).collect(),
                "category" if !v.is_empty() => p.categories.push(v.to_string()),
                "brand" if !v.is_empty() => p.brands.push(v.to_string()),
                "in_stock" => p.in_stock = matches!(v, "1" | "true" | "on"),
                "sort" => p.sort = v.to_string(),
                "cursor" if !v.is_empty() => p.cursor = Some(v.to_string()),
                k => {
                    if let Some(code) = k.strip_prefix("attr.") {
                        if v.is_empty() {
                            continue;
                        }
                        if let Some(code) = code.strip_suffix(".min") {
                            p.ranges.entry(format!("attr.{code}")).or_default().0 = v.to_string();
                        } else if let Some(code) = code.strip_suffix(".max") {
                            p.ranges.entry(format!("attr.{code}")).or_default().1 = v.to_string();
                        } else {
                            p.attrs
                                .entry(k.to_string())
                                .or_default()
                                .push(v.to_string());
                        }
                    }
                }
            }
        }
        p
    }

    /// The query for the search layer. Values of one attribute are ORed,
    /// a typed range becomes `min..max`.
    fn query(&self) -> ProductQuery {
        let mut attributes: Vec<(String, String)> = self
            .attrs
            .iter()
            .filter_map(|(k, vs)| Some((k.strip_prefix("attr.")?.to_string(), vs.join(","))))
            .collect();
        for (k, (min, max)) in &self.ranges {
            if let Some(code) = k.strip_prefix("attr.")
                && (!min.is_empty() || !max.is_empty())
            {
                attributes.push((code.to_string(), format!("{min}..{max}")));
            }
        }
        ProductQuery {
            text: Some(self.q.clone()).filter(|q| !q.is_empty()),
            categories: self.categories.clone(),
            brands: self.brands.clone(),
            attributes,
            in_stock: self.in_stock.then_some(true),
            sort: Some(self.sort.clone()).filter(|s| !s.is_empty()),
            include_drafts: false,
        }
    }

    /// Every parameter as pairs (for links that add or drop one).
    fn pairs(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        if !self.q.is_empty() {
            out.push(("q".into(), self.q.clone()));
        }
        out.extend(
            self.categories
                .iter()
                .map(|c| ("category".into(), c.clone())),
        );
        out.extend(self.brands.iter().map(|b| ("brand".into(), b.clone())));
        for (k, vs) in &self.attrs {
            out.extend(vs.iter().map(|v| (k.clone(), v.clone())));
        }
        for (k, (min, max)) in &self.ranges {
            if !min.is_empty() {
                out.push((format!("{k}.min"), min.clone()));
            }
            if !max.is_empty() {
                out.push((format!("{k}.max"), max.clone()));
            }
        }
        if self.in_stock {
            out.push(("in_stock".into(), "1".into()));
        }
        if !self.sort.is_empty() {
            out.push(("sort".into(), self.sort.clone()));
        }
        out
    }
}

/// `path?k=v&…`, percent-encoded.
fn link(path: &str, pairs: &[(String, String)]) -> String {
    if pairs.is_empty() {
        return path.to_string();
    }
    let q: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect();
    format!("{path}?{}", q.join("&"))
}

/// Percent-encodes a query component.
pub(crate) fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Fixed {
    Search,
    Category,
    Brand,
}

async fn search_page(
    State(s): State<AppState>,
    parts: Parts,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    listing(s, parts, pairs, Fixed::Search, None).await
}

async fn category_page(
    State(s): State<AppState>,
    parts: Parts,
    Path(slug): Path<String>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    listing(s, parts, pairs, Fixed::Category, Some(slug)).await
}

async fn brand_page(
    State(s): State<AppState>,
    parts: Parts,
    Path(slug): Path<String>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    listing(s, parts, pairs, Fixed::Brand, Some(slug)).await
}

async fn listing(
    s: AppState,
    parts: Parts,
    pairs: Vec<(String, String)>,
    fixed: Fixed,
    slug: Option<String>,
) -> Response {
    let mut v = match visitor(&parts, &s).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let tr = v.tr.clone();
    let mut params = ListingParams::parse(&pairs);
    v.shell.q = params.q.clone();
    let attributes: BTreeMap<String, String> = catalog::attributes(&s.app)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|a| {
            let name = a
                .name
                .resolve(&v.lang, &v.market.languages)
                .unwrap_or(a.code.as_str())
                .to_string();
            (format!("attr.{}", a.code.as_str()), name)
        })
        .collect();
    // The fixed part of the page: a category or brand from the path.
    let (action, heading, breadcrumbs, subcategories) = match (fixed, &slug) {
        (Fixed::Category, Some(slug)) => {
            let tree = catalog::category_tree(&s.app, Some(&v.market.code), Some(&v.lang))
                .await
                .unwrap_or_default();
            let Some(trail) = category_trail(&tree, slug) else {
                return not_found_page(&parts, StatusCode::NOT_FOUND, v.shell);
            };
            let here = trail.last().map(|c| c.1.clone()).unwrap_or_default();
            let node = find_category(&tree, slug);
            let subs = node
                .map(|n| {
                    n.children
                        .iter()
                        .map(|c| (format!("/c/{}", c.slug), c.name.clone()))
                        .collect()
                })
                .unwrap_or_default();
            params.categories.retain(|c| c != slug);
            (format!("/c/{slug}"), here, trail, subs)
        }
        (Fixed::Brand, Some(slug)) => {
            let brands = catalog::brands(&s.app).await.unwrap_or_default();
            let Some(brand) = brands.iter().find(|b| b.slug.as_str() == slug.as_str()) else {
                return not_found_page(&parts, StatusCode::NOT_FOUND, v.shell);
            };
            params.brands.retain(|b| b != slug);
            (
                format!("/brands/{slug}"),
                brand.name.clone(),
                vec![("/brands".to_string(), tr.t("brands-title"))],
                Vec::new(),
            )
        }
        _ => (
            "/search".to_string(),
            if params.q.is_empty() {
                tr.t("search-all")
            } else {
                tr.t_with("search-for", &[("q", &params.q)])
            },
            Vec::new(),
            Vec::new(),
        ),
    };
    let mut query = params.query();
    match (fixed, &slug) {
        (Fixed::Category, Some(slug)) => query.categories.insert(0, slug.clone()),
        (Fixed::Brand, Some(slug)) => query.brands.insert(0, slug.clone()),
        _ => {}
    }
    let result = search::browse(
        &s.app,
        &query,
        Some(&v.market.code),
        Some(&v.lang),
        params.cursor.as_deref(),
        PAGE_SIZE,
    )
    .await;
    let (result, indexed) = match result {
        Ok(r) => r,
        // Filters that do not parse (a hand-edited URL): say so, keep the page.
        Err(AppError::Invalid(fields)) => {
            let msg = fields
                .iter()
                .map(|f| tr.field_error(f))
                .collect::<Vec<_>>()
                .join(" ");
            let mut t = MessagePage::new(v.shell, tr.t("filters-invalid-title"), msg);
            t.search = true;
            return page(&parts, &t, StatusCode::UNPROCESSABLE_ENTITY);
        }
        Err(e) => return fail(e),
    };
    let pairs_now = params.pairs();
    // A search as typed counts; its next pages and filtered views do not.
    if params.cursor.is_none() && pairs_now.len() == 1 && !params.q.is_empty() {
        crate::traffic::note_search(&parts, &params.q, !result.items.is_empty());
    }
    let without = |key: &str, value: &str| -> String {
        let kept: Vec<(String, String)> = pairs_now
            .iter()
            .filter(|(k, v)| !(k == key && v == value))
            .cloned()
            .collect();
        link(&action, &kept)
    };
    // Facets: the category facet only where the path fixes none.
    let mut groups = Vec::new();
    let mut chips = Vec::new();
    for (key, values) in &result.facets {
        if key == "in_stock" || (key == "category" && fixed == Fixed::Category) {
            continue;
        }
        if key == "brand" && fixed == Fixed::Brand {
            continue;
        }
        let label = match key.as_str() {
            "category" => tr.t("facet-category"),
            "brand" => tr.t("facet-brand"),
            k => attributes.get(k).cloned().unwrap_or_else(|| k.to_string()),
        };
        let selected: Vec<String> = match key.as_str() {
            "category" => params.categories.clone(),
            "brand" => params.brands.clone(),
            k => params.attrs.get(k).cloned().unwrap_or_default(),
        };
        let options: Vec<FacetOption> = values
            .iter()
            .map(|f| FacetOption {
                checked: selected.contains(&f.value),
                value: f.value.clone(),
                label: f.label.clone(),
                count: f.count,
            })
            .collect();
        for o in options.iter().filter(|o| o.checked) {
            chips.push(Chip {
                label: format!("{label}: {}", o.label),
                remove: without(key, &o.value),
            });
        }
        if !options.is_empty() {
            groups.push(FacetGroup {
                key: key.clone(),
                label,
                options,
                range: None,
            });
        }
    }
    for (key, r) in &result.ranges {
        let label = attributes.get(key).cloned().unwrap_or_else(|| key.clone());
        let (min, max) = params.ranges.get(key).cloned().unwrap_or_default();
        if !min.is_empty() || !max.is_empty() {
            let kept: Vec<(String, String)> = pairs_now
                .iter()
                .filter(|(k, _)| k != &format!("{key}.min") && k != &format!("{key}.max"))
                .cloned()
                .collect();
            chips.push(Chip {
                label: format!("{label}: {min}–{max}"),
                remove: link(&action, &kept),
            });
        }
        let show = |x: Option<f64>| x.map(|x| format!("{x}")).unwrap_or_default();
        groups.push(FacetGroup {
            key: key.clone(),
            label,
            options: Vec::new(),
            range: Some((
                show(r.min),
                show(r.max),
                r.unit.clone().unwrap_or_default(),
                min,
                max,
            )),
        });
    }
    if params.in_stock {
        chips.push(Chip {
            label: tr.t("facet-in-stock"),
            remove: without("in_stock", "1"),
        });
    }
    let mut sorts = vec![
        ("relevance", "sort-relevance"),
        ("newest", "sort-newest"),
        ("name", "sort-name"),
    ];
    if v.buying() {
        sorts.push(("price_asc", "sort-price-asc"));
        sorts.push(("price_desc", "sort-price-desc"));
    }
    let sorts = sorts
        .into_iter()
        .map(|(value, key)| {
            let selected = params.sort == value || (params.sort.is_empty() && value == "relevance");
            (value.to_string(), tr.t(key), selected)
        })
        .collect();
    let next = result.next_cursor.as_ref().map(|c| {
        let mut p = pairs_now.clone();
        p.push(("cursor".into(), c.clone()));
        link(&action, &p)
    });
    let total = if indexed {
        tr.t_with("results-count", &[("n", &result.total.to_string())])
    } else {
        String::new()
    };
    let empty_search = result.items.is_empty();
    let cards = cards(&s, &v, &result.items).await;
    let title = heading.clone();
    let t = ListingPage {
        shell: v.shell,
        title,
        heading,
        canonical: action.clone(),
        action,
        breadcrumbs,
        subcategories,
        total,
        cards,
        groups,
        chips,
        sorts,
        in_stock: params.in_stock,
        next,
        plain: !indexed,
        empty_search,
    };
    page(&parts, &t, StatusCode::OK)
}

fn find_category<'a>(
    tree: &'a [catalog::CategoryNode],
    slug: &str,
) -> Option<&'a catalog::CategoryNode> {
    tree.iter().find_map(|c| {
        if c.slug == slug {
            Some(c)
        } else {
            find_category(&c.children, slug)
        }
    })
}

/// The path from the root to the category `slug`: `(url, name)` each.
fn category_trail(tree: &[catalog::CategoryNode], slug: &str) -> Option<Vec<(String, String)>> {
    for c in tree {
        let here = (format!("/c/{}", c.slug), c.name.clone());
        if c.slug == slug {
            return Some(vec![here]);
        }
        if let Some(mut rest) = category_trail(&c.children, slug) {
            rest.insert(0, here);
            return Some(rest);
        }
    }
    None
}

#[derive(Template)]
#[template(path = "store_brands.html")]
struct BrandsPage {
    shell: StoreShell,
    brands: Vec<(String, String)>,
}

async fn brands_page(State(s): State<AppState>, parts: Parts) -> Response {
    let v = match visitor(&parts, &s).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let mut brands: Vec<(String, String)> = catalog::brands(&s.app)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|b| (format!("/brands/{}", b.slug.as_str()), b.name))
        .collect();
    brands.sort_by_key(|b| b.1.to_lowercase());
    page(
        &parts,
        &BrandsPage {
            shell: v.shell,
            brands,
        },
        StatusCode::OK,
    )
}

// ---------------------------------------------------------------------------
// Product page

/// A variant row.
pub(crate) struct VariantRow {
    pub sku: String,
    pub gtin: String,
    /// Values of the page's attribute columns.
    pub values: Vec<String>,
    pub unit: String,
    pub min_quantity: String,
    pub quantity_step: String,
    pub price: String,
    /// `(from quantity, unit price)`.
    pub tiers: Vec<(String, String)>,
    pub stock: String,
    pub stock_class: &'static str,
    pub discontinued: bool,
}

/// An image of the gallery.
pub(crate) struct Picture {
    pub url: String,
    pub width: u32,
    pub height: u32,
    pub zoom: String,
    pub thumb: String,
    pub alt: String,
}

#[derive(Template)]
#[template(path = "store_product.html")]
struct ProductPage {
    shell: StoreShell,
    p: ProductView,
    breadcrumbs: Vec<(String, String)>,
    pictures: Vec<Picture>,
    columns: Vec<String>,
    /// Attributes every variant shares: `(name, value)`.
    specs: Vec<(String, String)>,
    variants: Vec<VariantRow>,
    /// Related products by kind: `(heading, [(url, name)])`.
    related: Vec<(String, Vec<(String, String)>)>,
    /// Signed-in buyer who may order: the add-to-cart form shows.
    can_order: bool,
    json_ld: String,
    inquiry_skus: String,
    in_compare: bool,
    canonical: String,
}

async fn product_page(
    State(s): State<AppState>,
    parts: Parts,
    Path(slug): Path<String>,
) -> Response {
    let v = match visitor(&parts, &s).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let tr = v.tr.clone();
    let view = match catalog::product_view(&s.app, &slug, Some(&v.market.code), Some(&v.lang)).await
    {
        Ok(Some(view)) => view,
        Ok(None) => return not_found_page(&parts, StatusCode::NOT_FOUND, v.shell),
        Err(e) => return fail(e),
    };
    if view.slug != slug {
        // Reached by id or an old spelling: the one URL is the slug's.
        return Redirect::permanent(&format!("/p/{}", view.slug)).into_response();
    }
    crate::traffic::note_product(&parts, &view.slug);
    let skus: Vec<(String, Decimal)> = view
        .variants
        .iter()
        .map(|x| {
            (
                x.sku.clone(),
                x.min_quantity.parse().unwrap_or(Decimal::ONE),
            )
        })
        .collect();
    let (prices, stock) = if v.buying() {
        let names: Vec<String> = skus.iter().map(|(s, _)| s.clone()).collect();
        (
            pricing::shelf_prices(&s.app, v.p.as_ref(), &v.market, &skus)
                .await
                .unwrap_or_default(),
            mercato_app::stock::availability_of(&s.app, &names, v.market.show_stock)
                .await
                .unwrap_or_default(),
        )
    } else {
        (BTreeMap::new(), BTreeMap::new())
    };
    // Attributes equal on every variant are the specification table; the
    // rest are columns of the variant table.
    let mut shared: Vec<(String, String, String)> = Vec::new();
    let mut columns: Vec<(String, String)> = Vec::new();
    if let Some(first) = view.variants.first() {
        for a in &first.attributes {
            let same = view.variants.iter().all(|x| {
                x.attributes
                    .iter()
                    .any(|b| b.code == a.code && b.display == a.display)
            });
            if same {
                shared.push((a.code.clone(), a.name.clone(), a.display.clone()));
            }
        }
    }
    let mut seen = BTreeSet::new();
    for x in &view.variants {
        for a in &x.attributes {
            if !shared.iter().any(|s| s.0 == a.code) && seen.insert(a.code.clone()) {
                columns.push((a.code.clone(), a.name.clone()));
            }
        }
    }
    let variants = view
        .variants
        .iter()
        .map(|x| {
            let price = prices.get(&x.sku);
            let (stock, stock_class) = stock_text(&tr, stock.get(&x.sku));
            VariantRow {
                sku: x.sku.clone(),
                gtin: x.gtin.clone().unwrap_or_default(),
                values: columns.iter().map(|(code, _)| x.display_of(code)).collect(),
                unit: x.unit.clone(),
                min_quantity: format_quantity(x.min_quantity.parse().unwrap_or(Decimal::ONE)),
                quantity_step: format_quantity(x.quantity_step.parse().unwrap_or(Decimal::ONE)),
                price: price
                    .map(|p| format_money(&p.unit_price))
                    .unwrap_or_else(|| tr.t("price-on-request")),
                tiers: price
                    .map(|p| {
                        p.tiers
                            .iter()
                            .map(|t| (format_quantity(t.min_quantity), format_money(&t.unit_price)))
                            .collect()
                    })
                    .unwrap_or_default(),
                stock: if v.buying() { stock } else { String::new() },
                stock_class,
                discontinued: x.status == "discontinued",
            }
        })
        .collect();
    let pictures = view
        .media
        .iter()
        .filter_map(|m| {
            let detail = m
                .renditions
                .get("detail")
                .or_else(|| m.renditions.values().next())?;
            Some(Picture {
                url: detail.url.clone(),
                width: detail.width,
                height: detail.height,
                zoom: m
                    .renditions
                    .get("zoom")
                    .map_or_else(|| m.url.clone(), |r| r.url.clone()),
                thumb: m
                    .renditions
                    .get("list")
                    .map_or_else(|| detail.url.clone(), |r| r.url.clone()),
                alt: m.alt.clone().unwrap_or_else(|| view.name.clone()),
            })
        })
        .collect();
    let mut related: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for r in &view.related {
        related
            .entry(r.relation.clone())
            .or_default()
            .push((format!("/p/{}", r.slug), r.name.clone()));
    }
    let related = related
        .into_iter()
        .map(|(kind, items)| (tr.t_or(&format!("related-{kind}"), &kind), items))
        .collect();
    let can_order = v.buying()
        && v.p.as_ref().is_some_and(|p| {
            p.membership().is_some() && p.allows(mercato_core::Permission::PlaceOrders)
        });
    let json_ld = json_ld(&view, &prices, v.buying(), &v.market);
    let breadcrumbs = view
        .category_path
        .iter()
        .map(|c| (format!("/c/{}", c.slug), c.name.clone()))
        .collect();
    let jar = CookieJar::from_headers(&parts.headers);
    let in_compare = compare_list(&jar).contains(&view.slug);
    let inquiry_skus = view
        .variants
        .iter()
        .take(1)
        .map(|x| format!("sku={}", encode(&x.sku)))
        .collect::<Vec<_>>()
        .join("&");
    let t = ProductPage {
        shell: v.shell,
        canonical: format!("/p/{}", view.slug),
        breadcrumbs,
        pictures,
        columns: columns.into_iter().map(|c| c.1).collect(),
        specs: shared.into_iter().map(|s| (s.1, s.2)).collect(),
        variants,
        related,
        can_order,
        json_ld,
        inquiry_skus,
        in_compare,
        p: view,
    };
    page(&parts, &t, StatusCode::OK)
}

/// schema.org Product (with an Offer per priced variant when prices show),
/// safe to embed in a `<script>` element.
fn json_ld(
    view: &ProductView,
    prices: &BTreeMap<String, pricing::ShelfPrice>,
    buying: bool,
    market: &Market,
) -> String {
    let offers: Vec<serde_json::Value> = if buying {
        view.variants
            .iter()
            .filter_map(|x| {
                let p = prices.get(&x.sku)?;
                Some(serde_json::json!({
                    "@type": "Offer",
                    "sku": x.sku,
                    "price": p.unit_price.amount().round_dp(p.unit_price.currency().exponent()).to_string(),
                    "priceCurrency": p.unit_price.currency().code(),
                    "eligibleQuantity": {"@type": "QuantitativeValue", "minValue": x.min_quantity},
                }))
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut v = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Product",
        "name": view.name,
        "sku": view.variants.first().map(|x| x.sku.clone()),
        "description": view.short_description,
        "brand": view.brand.as_ref().map(|b| serde_json::json!({"@type": "Brand", "name": b.name})),
        "image": view.media.first().map(|m| m.url.clone()),
    });
    if !offers.is_empty()
        && let Some(o) = v.as_object_mut()
    {
        o.insert("offers".into(), serde_json::Value::Array(offers));
        o.insert(
            "areaServed".into(),
            serde_json::Value::String(market.code.clone()),
        );
    }
    // No markup characters inside the `<script>` element: `</script>` in a
    // product name must not end it (JSON reads `\u003c` as `<`).
    v.to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

// ---------------------------------------------------------------------------
// Comparison

fn compare_list(jar: &CookieJar) -> Vec<String> {
    jar.get(COMPARE_COOKIE)
        .map(|c| {
            c.value()
                .split('.')
                .filter(|s| {
                    !s.is_empty()
                        && s.len() <= 200
                        && s.chars()
                            .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-')
                })
                .take(COMPARE_MAX)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

fn with_compare_list(jar: CookieJar, list: &[String]) -> CookieJar {
    let cookie = Cookie::build((COMPARE_COOKIE, list.join(".")))
        .path("/")
        .same_site(SameSite::Lax)
        .max_age(time::Duration::days(30))
        .build();
    jar.add(cookie)
}

#[derive(Deserialize)]
struct CompareForm {
    product: String,
    #[serde(default)]
    back: String,
}

/// Adds a product to the comparison (the oldest drops out beyond four).
/// Only a display preference in a cookie changes, so no CSRF token.
async fn compare_add(jar: CookieJar, Form(f): Form<CompareForm>) -> Response {
    let mut list = compare_list(&jar);
    let slug = f.product.trim().to_string();
    if !slug.is_empty() && !list.contains(&slug) {
        list.push(slug);
    }
    while list.len() > COMPARE_MAX {
        list.remove(0);
    }
    (with_compare_list(jar, &list), Redirect::to("/compare")).into_response()
}

async fn compare_remove(jar: CookieJar, Form(f): Form<CompareForm>) -> Response {
    let mut list = compare_list(&jar);
    list.retain(|s| s != f.product.trim());
    let back = if f.back.starts_with("/p/") {
        f.back
    } else {
        "/compare".into()
    };
    (with_compare_list(jar, &list), Redirect::to(&back)).into_response()
}

/// A row of the comparison: label, one value per product, whether they differ.
pub(crate) struct CompareRow {
    pub label: String,
    pub values: Vec<String>,
    pub differs: bool,
}

/// A product heading a comparison column.
pub(crate) struct CompareColumn {
    pub slug: String,
    pub url: String,
    pub name: String,
    /// `(url, width, height)` of the list picture.
    pub image: Option<(String, u32, u32)>,
}

#[derive(Template)]
#[template(path = "store_compare.html")]
struct ComparePage {
    shell: StoreShell,
    products: Vec<CompareColumn>,
    rows: Vec<CompareRow>,
}

async fn compare_page(State(s): State<AppState>, parts: Parts, jar: CookieJar) -> Response {
    let v = match visitor(&parts, &s).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let tr = v.tr.clone();
    let mut views = Vec::new();
    for slug in compare_list(&jar) {
        if let Ok(Some(p)) =
            catalog::product_view(&s.app, &slug, Some(&v.market.code), Some(&v.lang)).await
        {
            views.push(p);
        }
    }
    let summaries: Vec<ProductSummary> = views.iter().map(ProductSummary::from).collect();
    let prices: Vec<String> = cards(&s, &v, &summaries)
        .await
        .into_iter()
        .map(|c| c.price)
        .collect();
    let mut rows = vec![
        CompareRow {
            label: tr.t("compare-brand"),
            values: views
                .iter()
                .map(|p| p.brand.as_ref().map(|b| b.name.clone()).unwrap_or_default())
                .collect(),
            differs: false,
        },
        CompareRow {
            label: tr.t("compare-category"),
            values: views
                .iter()
                .map(|p| {
                    p.category_path
                        .last()
                        .map(|c| c.name.clone())
                        .unwrap_or_default()
                })
                .collect(),
            differs: false,
        },
        CompareRow {
            label: tr.t("compare-skus"),
            values: views
                .iter()
                .map(|p| {
                    p.variants
                        .iter()
                        .map(|x| x.sku.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .collect(),
            differs: false,
        },
    ];
    if v.buying() {
        rows.push(CompareRow {
            label: tr.t("compare-price"),
            values: prices,
            differs: false,
        });
    }
    // Every attribute any product has: the values of all its variants.
    let mut codes: Vec<(String, String)> = Vec::new();
    for p in &views {
        for x in &p.variants {
            for a in &x.attributes {
                if !codes.iter().any(|c| c.0 == a.code) {
                    codes.push((a.code.clone(), a.name.clone()));
                }
            }
        }
    }
    for (code, name) in codes {
        let values = views
            .iter()
            .map(|p| {
                let set: BTreeSet<&str> = p
                    .variants
                    .iter()
                    .flat_map(|x| x.attributes.iter())
                    .filter(|a| a.code == code)
                    .map(|a| a.display.as_str())
                    .collect();
                set.into_iter().collect::<Vec<_>>().join(", ")
            })
            .collect();
        rows.push(CompareRow {
            label: name,
            values,
            differs: false,
        });
    }
    for r in &mut rows {
        r.differs = r.values.windows(2).any(|w| w[0] != w[1]);
    }
    let products = views
        .iter()
        .map(|p| CompareColumn {
            slug: p.slug.clone(),
            url: format!("/p/{}", p.slug),
            name: p.name.clone(),
            image: ProductSummary::from(p)
                .image
                .map(|r| (r.url, r.width, r.height)),
        })
        .collect();
    page(
        &parts,
        &ComparePage {
            shell: v.shell,
            products,
            rows,
        },
        StatusCode::OK,
    )
}

// ---------------------------------------------------------------------------
// Inquiries: request a quote, a sample, or get in touch

/// A line of the inquiry form as typed.
pub(crate) struct LineInput {
    pub sku: String,
    pub quantity: String,
}

#[derive(Template)]
#[template(path = "store_inquiry.html")]
struct InquiryPage {
    shell: StoreShell,
    form_csrf: String,
    kind: String,
    name: String,
    company: String,
    email: String,
    phone: String,
    message: String,
    lines: Vec<LineInput>,
    errors: crate::account::Errors,
    general_error: String,
}

impl InquiryPage {
    /// Errors of line `i` (its SKU and quantity).
    pub fn line_error(&self, i: &usize) -> String {
        self.errors.starting_with(&format!("items[{i}]."))
    }
}

/// The inquiry form's double-submit token: the cookie's, or a new one.
fn inquiry_token(jar: CookieJar, s: &AppState) -> (CookieJar, String) {
    crate::account::double_submit_token(
        jar,
        s,
        INQUIRY_CSRF_COOKIE,
        "/inquiry",
        time::Duration::hours(12),
    )
}

async fn inquiry_page(
    State(s): State<AppState>,
    parts: Parts,
    jar: CookieJar,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    let v = match visitor(&parts, &s).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let (jar, token) = inquiry_token(jar, &s);
    let kind = pairs
        .iter()
        .find(|(k, _)| k == "kind")
        .and_then(|(_, k)| InquiryKind::parse(k))
        .unwrap_or(InquiryKind::Quote);
    let mut lines: Vec<LineInput> = pairs
        .iter()
        .filter(|(k, _)| k == "sku")
        .take(50)
        .map(|(_, sku)| LineInput {
            sku: sku.clone(),
            quantity: String::new(),
        })
        .collect();
    if kind != InquiryKind::Contact {
        for _ in 0..3 {
            lines.push(LineInput {
                sku: String::new(),
                quantity: String::new(),
            });
        }
    }
    let (name, email, company) = match &v.p {
        Some(p) => (
            p.user.name.clone(),
            p.user.email.as_str().to_string(),
            p.membership()
                .map(|m| m.company_name.clone())
                .unwrap_or_default(),
        ),
        None => Default::default(),
    };
    let t = InquiryPage {
        shell: v.shell,
        form_csrf: token,
        kind: kind.as_str().into(),
        name,
        company,
        email,
        phone: String::new(),
        message: String::new(),
        lines,
        errors: crate::account::Errors::new(Vec::new()),
        general_error: String::new(),
    };
    (jar, page(&parts, &t, StatusCode::OK)).into_response()
}

#[derive(Template)]
#[template(path = "store_message.html")]
pub(crate) struct MessagePage {
    shell: StoreShell,
    title: String,
    message: String,
    /// Offer the search box and the categories link (404 pages).
    search: bool,
}

impl MessagePage {
    fn new(shell: StoreShell, title: String, message: String) -> Self {
        MessagePage {
            shell,
            title,
            message,
            search: false,
        }
    }
}

async fn inquiry_submit(
    State(s): State<AppState>,
    parts: Parts,
    jar: CookieJar,
    Client(client): Client,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let v = match visitor(&parts, &s).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let tr = v.tr.clone();
    let field = |name: &str| -> String {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let sent = field("csrf_token");
    let expected = jar
        .get(INQUIRY_CSRF_COOKIE)
        .map(|c| c.value().to_string())
        .unwrap_or_default();
    if let Err(r) = check_csrf(&sent, &expected) {
        return r;
    }
    let skus: Vec<&String> = pairs
        .iter()
        .filter(|(k, _)| k == "sku")
        .map(|(_, v)| v)
        .collect();
    let qtys: Vec<&String> = pairs
        .iter()
        .filter(|(k, _)| k == "quantity")
        .map(|(_, v)| v)
        .collect();
    let items: Vec<(String, String)> = skus
        .iter()
        .zip(qtys.iter().chain(std::iter::repeat(&&String::new())))
        .map(|(s, q)| ((*s).clone(), (*q).clone()))
        .collect();
    let form = InquiryForm {
        kind: field("kind"),
        name: field("name"),
        company: field("company"),
        email: field("email"),
        phone: Some(field("phone")),
        message: field("message"),
        items: items.clone(),
    };
    // The honeypot: people never see this field, form-filling bots fill it.
    // They get the same thank-you page, and nothing is stored.
    if !field("website").trim().is_empty() {
        let t = MessagePage::new(
            v.shell,
            tr.t("inquiry-thanks-title"),
            tr.t("inquiry-thanks-generic"),
        );
        return page(&parts, &t, StatusCode::OK);
    }
    let source = InquirySource {
        market: Some(v.market.code.clone()),
        lang: tr.code().to_string(),
        page: Some(field("page")).filter(|p| p.starts_with('/')),
    };
    let result = inquiries::submit(&s.app, v.p.as_ref(), &form, &source, None, &client).await;
    let (errors, general_error, status): (Vec<(String, String)>, String, StatusCode) = match result
    {
        Ok((inq, _)) => {
            let t = MessagePage::new(
                v.shell,
                tr.t("inquiry-thanks-title"),
                tr.t_with("inquiry-thanks", &[("number", &inq.number)]),
            );
            return page(&parts, &t, StatusCode::OK);
        }
        Err(AppError::Invalid(fields)) => {
            // Line errors name the rows as sent (`items[2].quantity`).
            // The form's own wording by code (`inquiry-error-<code>`), else
            // the app's message for the field.
            let errors = fields
                .iter()
                .map(|f| {
                    let msg = tr.t_or(&format!("inquiry-error-{}", f.code), &tr.field_error(f));
                    (f.field.clone(), msg)
                })
                .collect();
            (
                errors,
                tr.t("form-errors"),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
        Err(AppError::RateLimited { .. }) => (
            Vec::new(),
            tr.t("inquiry-rate-limited"),
            StatusCode::TOO_MANY_REQUESTS,
        ),
        Err(e) => return fail(e),
    };
    let mut lines: Vec<LineInput> = items
        .into_iter()
        .map(|(sku, quantity)| LineInput { sku, quantity })
        .collect();
    if lines.is_empty() && form.kind != "contact" {
        lines.push(LineInput {
            sku: String::new(),
            quantity: String::new(),
        });
    }
    let t = InquiryPage {
        shell: v.shell,
        form_csrf: expected,
        kind: form.kind,
        name: form.name,
        company: form.company,
        email: form.email,
        phone: form.phone.unwrap_or_default(),
        message: form.message,
        lines,
        errors: crate::account::Errors::new(errors),
        general_error,
    };
    page(&parts, &t, status)
}

// ---------------------------------------------------------------------------
// Static pages, market switch, not found

async fn static_page(
    State(s): State<AppState>,
    parts: Parts,
    Path(name): Path<String>,
) -> Response {
    let v = match visitor(&parts, &s).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let tr = v.tr.clone();
    if !["about", "contact", "terms"].contains(&name.as_str()) {
        return not_found_page(&parts, StatusCode::NOT_FOUND, v.shell);
    }
    let mut t = MessagePage::new(
        v.shell,
        tr.t(&format!("page-{name}-title")),
        tr.t(&format!("page-{name}-body")),
    );
    t.search = name == "contact";
    page(&parts, &t, StatusCode::OK)
}

#[derive(Deserialize)]
struct MarketForm {
    market: String,
    #[serde(default)]
    back: String,
}

/// Remembers the visitor's market (a display choice: no CSRF token).
async fn choose_market(jar: CookieJar, Form(f): Form<MarketForm>) -> Response {
    let code: String = f
        .market
        .chars()
        .filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')
        .take(16)
        .collect();
    let cookie = Cookie::build((MARKET_COOKIE, code))
        .path("/")
        .same_site(SameSite::Lax)
        .max_age(time::Duration::days(365))
        .build();
    let back = if local_path(&f.back) {
        f.back
    } else {
        "/".into()
    };
    (jar.add(cookie), Redirect::to(&back)).into_response()
}

/// Whether `to` is a path on this site, safe to redirect to: it starts
/// with one `/`, and neither `//` nor `/\` (which browsers read as another
/// host), and holds no control characters. Never an open redirect.
fn local_path(to: &str) -> bool {
    let mut chars = to.chars();
    chars.next() == Some('/')
        && !matches!(chars.next(), Some('/' | '\\'))
        && !to.chars().any(|c| c.is_control())
}

/// The storefront's "not found" page, in the visitor's language, with search.
fn not_found_page(parts: &Parts, status: StatusCode, shell: StoreShell) -> Response {
    let (title, body) = (shell.tr.t("not-found-title"), shell.tr.t("not-found-body"));
    let mut t = MessagePage::new(shell, title, body);
    t.search = true;
    page(parts, &t, status)
}

/// Unknown paths: a browser asking for a page gets the storefront's 404
/// page in its language; API clients and everything else a problem.
pub(crate) async fn fallback(State(s): State<AppState>, req: axum::extract::Request) -> Response {
    let (parts, _) = req.into_parts();
    let wants_page = matches!(
        parts.method,
        axum::http::Method::GET | axum::http::Method::HEAD
    ) && !parts.uri.path().starts_with("/api/")
        && parts
            .headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|a| a.contains("text/html"));
    if !wants_page {
        return Problem::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("no resource at {} {}", parts.method, parts.uri.path()),
        )
        .into_response();
    }
    match visitor(&parts, &s).await {
        Ok(v) => not_found_page(&parts, StatusCode::NOT_FOUND, v.shell),
        Err(r) => r,
    }
}

/// A failure a page cannot show in place: the problem response (logged there).
pub(crate) fn fail(e: AppError) -> Response {
    Problem::from(e).into_response()
}

// ---------------------------------------------------------------------------
// Sitemaps, robots, script

/// One sitemap per market and language.
async fn sitemap_index(State(s): State<AppState>) -> Response {
    let markets = catalog::markets(&s.app).await.unwrap_or_default();
    let base = s
        .app
        .settings()
        .mail
        .public_url
        .trim_end_matches('/')
        .to_string();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for m in &markets {
        for lang in crate::i18n::LANGS {
            xml.push_str(&format!(
                "<sitemap><loc>{base}/sitemaps/{}/{lang}.xml</loc></sitemap>\n",
                xml_escape(&m.code)
            ));
        }
    }
    xml.push_str("</sitemapindex>\n");
    xml_response(xml)
}

/// Sitemaps hold at most 50,000 URLs.
const SITEMAP_MAX: usize = 50_000;

/// The URLs of a market in one language, each with its other-language
/// alternate (`hreflang`).
async fn sitemap(
    State(s): State<AppState>,
    Path((market, file)): Path<(String, String)>,
) -> Response {
    let Some(lang) = file
        .strip_suffix(".xml")
        .and_then(|l| crate::i18n::LANGS.into_iter().find(|x| *x == l))
    else {
        return Problem::new(StatusCode::NOT_FOUND, "not_found", "no such sitemap").into_response();
    };
    let Ok(m) = catalog::market(&s.app, Some(&market)).await else {
        return Problem::new(StatusCode::NOT_FOUND, "not_found", "no such market").into_response();
    };
    let base = s
        .app
        .settings()
        .mail
        .public_url
        .trim_end_matches('/')
        .to_string();
    let l = Lang::parse(lang).ok();
    let mut paths: Vec<String> = vec!["/".into(), "/brands".into()];
    fn walk(out: &mut Vec<String>, nodes: &[catalog::CategoryNode]) {
        for n in nodes {
            out.push(format!("/c/{}", n.slug));
            walk(out, &n.children);
        }
    }
    if let Ok(tree) = catalog::category_tree(&s.app, Some(&m.code), l.as_ref()).await {
        walk(&mut paths, &tree);
    }
    if let Ok(brands) = catalog::brands(&s.app).await {
        paths.extend(
            brands
                .iter()
                .map(|b| format!("/brands/{}", b.slug.as_str())),
        );
    }
    let mut cursor: Option<String> = None;
    loop {
        let q = catalog::ListQuery::default();
        let Ok(page) = catalog::list_products(
            &s.app,
            &q,
            Some(&m.code),
            l.as_ref(),
            cursor.as_deref(),
            200,
        )
        .await
        else {
            break;
        };
        paths.extend(page.items.iter().map(|p| format!("/p/{}", p.slug)));
        match page.next_cursor {
            Some(c) if paths.len() < SITEMAP_MAX => cursor = Some(c),
            _ => break,
        }
    }
    paths.truncate(SITEMAP_MAX);
    let other = if lang == "en" { "zh-CN" } else { "en" };
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    for path in paths {
        let sep = if path.contains('?') { "&amp;" } else { "?" };
        let here = format!("{base}{}", xml_escape(&path));
        xml.push_str(&format!(
            "<url><loc>{here}{sep}market={mk}&amp;lang={lang}</loc><xhtml:link rel=\"alternate\" hreflang=\"{other}\" href=\"{here}{sep}market={mk}&amp;lang={other}\"/></url>\n",
            mk = xml_escape(&m.code),
        ));
    }
    xml.push_str("</urlset>\n");
    xml_response(xml)
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn xml_response(xml: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/xml; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        xml,
    )
        .into_response()
}

async fn robots(State(s): State<AppState>) -> Response {
    let base = s
        .app
        .settings()
        .mail
        .public_url
        .trim_end_matches('/')
        .to_string();
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!(
            "User-agent: *\nDisallow: /admin\nDisallow: /account\nDisallow: /api/\nDisallow: /inquiry\nSitemap: {base}/sitemap.xml\n"
        ),
    )
        .into_response()
}

async fn js() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        SHOP_JS,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use mercato_core::money::Currency;

    #[test]
    fn money_reads_as_people_write_it() {
        let cny = Currency::parse("CNY").unwrap_or_else(|_| unreachable!());
        let m = |s: &str| Money::parse(s, cny).unwrap_or_else(|_| unreachable!());
        assert_eq!(format_money(&m("1234.5")), "¥1,234.50");
        assert_eq!(format_money(&m("0.125")), "¥0.13");
        assert_eq!(format_money(&m("1234567")), "¥1,234,567.00");
        let jpy = Currency::parse("JPY").unwrap_or_else(|_| unreachable!());
        assert_eq!(
            format_money(&Money::parse("1200", jpy).unwrap_or_else(|_| unreachable!())),
            "JPY 1,200"
        );
    }

    #[test]
    fn only_local_paths_are_redirect_targets() {
        for ok in ["/", "/p/hex-bolt", "/search?q=m8&lang=en"] {
            assert!(local_path(ok), "{ok}");
        }
        for bad in [
            "",
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "p/x",
            "/a\r\nSet-Cookie: x",
        ] {
            assert!(!local_path(bad), "{bad:?}");
        }
    }

    #[test]
    fn listing_parameters_round_trip() {
        let pairs: Vec<(String, String)> = [
            ("q", "螺栓 M8"),
            ("brand", "acme"),
            ("attr.material", "a2"),
            ("attr.material", "a4"),
            ("attr.length.min", "10"),
            ("in_stock", "1"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let p = ListingParams::parse(&pairs);
        let q = p.query();
        assert!(q.attributes.contains(&("material".into(), "a2,a4".into())));
        assert!(q.attributes.contains(&("length".into(), "10..".into())));
        assert_eq!(q.in_stock, Some(true));
        assert_eq!(
            link("/search", &p.pairs()[..1]),
            "/search?q=%E8%9E%BA%E6%A0%93%20M8"
        );
    }
}
