//! Back-office catalog pages: product list with filters, product view with
//! language tabs, completeness, spreadsheet import with its report.

use crate::AppState;
use crate::admin::{Ui, check_csrf};
use crate::extract::{Client, find_principal};
use crate::problem::Problem;
use askama::Template;
use axum::Router;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use mercato_app::auth::{AuthVia, Principal};
use mercato_app::catalog::{self, ListQuery, ProductSummary};
use mercato_app::import::{self, ImportMode, ImportOptions, ImportReport, MapSource};
use mercato_core::completeness::Missing;
use mercato_core::{Lang, Permission};
use serde::Deserialize;
use std::collections::HashMap;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/products", get(products))
        .route("/admin/products/{slug}", get(product).post(edit_product))
        .route(
            "/admin/products/{slug}/media",
            axum::routing::post(upload_media),
        )
        .route("/admin/completeness", get(completeness))
        .route(
            "/admin/categories",
            get(categories_page).post(save_category),
        )
        .route("/admin/attributes", axum::routing::post(save_attribute))
        .route("/admin/import", get(import_page).post(import_submit))
}

/// A signed-in catalog manager and the session's CSRF token (empty for
/// bearer callers); anyone else is sent to sign in or refused.
pub(crate) struct CatalogStaff(pub(crate) Principal, pub(crate) String);

impl axum::extract::FromRequestParts<AppState> for CatalogStaff {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, s: &AppState) -> Result<Self, Response> {
        catalog_staff(parts, s)
            .await
            .map(|(p, csrf)| CatalogStaff(p, csrf))
    }
}

async fn catalog_staff(parts: &Parts, s: &AppState) -> Result<(Principal, String), Response> {
    let p = match find_principal(parts, s).await {
        Ok(Some(p)) => p,
        _ => return Err(Redirect::to("/admin/login").into_response()),
    };
    if !p.allows(Permission::ManageCatalog) {
        return Err(Problem::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "your role cannot manage the catalog",
        )
        .into_response());
    }
    let csrf = match &p.via {
        AuthVia::Session { csrf_token, .. } => csrf_token.clone(),
        AuthVia::Token { .. } => String::new(),
    };
    Ok((p, csrf))
}

/// The product statuses, in the order the editors offer them.
const PRODUCT_STATUSES: [&str; 3] = ["active", "draft", "discontinued"];

/// (code, word, selected) for a status `<select>`.
fn status_options(ui: &Ui, selected: &str) -> Vec<(&'static str, String, bool)> {
    PRODUCT_STATUSES
        .into_iter()
        .map(|c| (c, ui.word("admin-product-state", c), c == selected))
        .collect()
}

#[derive(Template)]
#[template(path = "products.html")]
struct ProductsPage {
    ui: Ui,
    staff: crate::admin::StaffBar,
    csrf_token: String,
    q: String,
    /// (slug, label, selected)
    categories: Vec<(String, String, bool)>,
    brands: Vec<(String, String, bool)>,
    /// (code, word, selected)
    statuses: Vec<(&'static str, String, bool)>,
    items: Vec<ProductSummary>,
    next_url: Option<String>,
}

#[derive(Deserialize, Default)]
struct ProductsQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    brand: String,
    #[serde(default)]
    status: String,
    cursor: Option<String>,
}

fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn products(
    State(s): State<AppState>,
    CatalogStaff(p, csrf): CatalogStaff,
    ui: Ui,
    Query(q): Query<ProductsQuery>,
) -> Response {
    let zh = Lang::zh_cn();
    let list = ListQuery {
        category: Some(q.category.clone()).filter(|c| !c.is_empty()),
        brand: Some(q.brand.clone()).filter(|b| !b.is_empty()),
        text: Some(q.q.clone()).filter(|t| !t.is_empty()),
        include_drafts: true,
        status: crate::api::parse_status(&q.status),
    };
    let result = async {
        let page =
            catalog::list_products(&s.app, &list, None, Some(&zh), q.cursor.as_deref(), 50).await?;
        let tree = catalog::category_tree(&s.app, None, Some(&zh)).await?;
        let brands = catalog::brands(&s.app).await?;
        Ok::<_, mercato_app::AppError>((page, tree, brands))
    }
    .await;
    let (page_data, tree, brands) = match result {
        Ok(x) => x,
        Err(e) => return Problem::from(e).into_response(),
    };
    let mut categories = Vec::new();
    fn walk(nodes: &[catalog::CategoryNode], depth: usize, out: &mut Vec<(String, String)>) {
        for n in nodes {
            out.push((n.slug.clone(), format!("{}{}", "— ".repeat(depth), n.name)));
            walk(&n.children, depth + 1, out);
        }
    }
    walk(&tree, 0, &mut categories);
    let next_url = page_data.next_cursor.map(|c| {
        format!(
            "/admin/products?q={}&category={}&brand={}&status={}&cursor={}",
            url_encode(&q.q),
            url_encode(&q.category),
            url_encode(&q.brand),
            url_encode(&q.status),
            url_encode(&c)
        )
    });
    let categories = categories
        .into_iter()
        .map(|(slug, label)| {
            let sel = slug == q.category;
            (slug, label, sel)
        })
        .collect();
    let brands = brands
        .into_iter()
        .map(|b| {
            let sel = b.slug.as_str() == q.brand;
            (b.slug.to_string(), b.name, sel)
        })
        .collect();
    let t = ProductsPage {
        ui: ui.clone(),
        statuses: status_options(&ui, &q.status),
        staff: crate::admin::StaffBar::of(&p),
        csrf_token: csrf,
        q: q.q,
        categories,
        brands,
        items: page_data.items,
        next_url,
    };
    ui.page(&t, StatusCode::OK)
}

struct LangTexts {
    lang: String,
    name: String,
    short: String,
    description: String,
}

struct VariantRow {
    sku: String,
    gtin: String,
    unit: String,
    pack: u32,
    min_step: String,
    /// The status in the page's language.
    status: String,
    cells: Vec<String>,
}

struct MediaItem {
    kind: String,
    /// The kind in the page's language.
    kind_word: String,
    url: String,
    name: String,
}

#[derive(Template)]
#[template(path = "product.html")]
struct ProductPage {
    ui: Ui,
    staff: crate::admin::StaffBar,
    csrf_token: String,
    title: String,
    slug: String,
    /// The status in the page's language.
    status: String,
    brand: Option<String>,
    category_path: String,
    texts: Vec<LangTexts>,
    attribute_names: Vec<String>,
    variants: Vec<VariantRow>,
    media: Vec<MediaItem>,
    /// One line per language: score and what is missing.
    completeness: Vec<String>,
    /// (code, word, selected)
    statuses: Vec<(&'static str, String, bool)>,
    message: Option<String>,
}

#[derive(Deserialize)]
struct SavedQuery {
    saved: Option<u8>,
}

async fn product(
    State(s): State<AppState>,
    CatalogStaff(p, csrf): CatalogStaff,
    ui: Ui,
    Path(slug): Path<String>,
    Query(q): Query<SavedQuery>,
) -> Response {
    let saved = q.saved == Some(1);
    let message = saved.then(|| ui.t("admin-saved"));
    render_product(&s, &ui, &p, csrf, &slug, message).await
}

async fn render_product(
    s: &AppState,
    ui: &Ui,
    p: &Principal,
    csrf: String,
    slug: &str,
    message: Option<String>,
) -> Response {
    let slug = slug.to_string();
    match catalog::admin_product(&s.app, &slug).await {
        Ok(Some(a)) => {
            let first = a.views.first();
            let mut attribute_names: Vec<(String, String)> = Vec::new();
            if let Some(v) = first {
                for variant in &v.variants {
                    for attr in &variant.attributes {
                        if !attribute_names.iter().any(|(c, _)| c == &attr.code) {
                            attribute_names.push((attr.code.clone(), attr.name.clone()));
                        }
                    }
                }
            }
            let variants = first
                .map(|v| {
                    v.variants
                        .iter()
                        .map(|x| VariantRow {
                            sku: x.sku.clone(),
                            gtin: x.gtin.clone().unwrap_or_default(),
                            unit: x.unit.clone(),
                            pack: x.pack_size,
                            min_step: format!("{} / {}", x.min_quantity, x.quantity_step),
                            status: ui.word("admin-product-state", &x.status),
                            cells: attribute_names
                                .iter()
                                .map(|(code, _)| x.display_of(code))
                                .collect(),
                        })
                        .collect()
                })
                .unwrap_or_default();
            let media = first
                .map(|v| {
                    v.media
                        .iter()
                        .map(|m| MediaItem {
                            kind: m.kind.clone(),
                            kind_word: ui.word("admin-media-kind", &m.kind),
                            url: m
                                .renditions
                                .get("list")
                                .map(|r| r.url.clone())
                                .unwrap_or_else(|| m.url.clone()),
                            name: m.file_name.clone(),
                        })
                        .chain(v.documents.iter().chain(&v.videos).map(|m| MediaItem {
                            kind: m.kind.clone(),
                            kind_word: ui.word("admin-media-kind", &m.kind),
                            url: m.url.clone(),
                            name: m.file_name.clone(),
                        }))
                        .collect()
                })
                .unwrap_or_default();
            let completeness = a
                .completeness
                .iter()
                .map(|(lang, score, missing)| {
                    let score = score.to_string();
                    let line = ui.t_with(
                        "admin-product-score",
                        &[("lang", lang.as_str()), ("score", score.as_str())],
                    );
                    if missing.is_empty() {
                        line
                    } else {
                        // The app words what is missing in English.
                        let missing =
                            ui.t_with("admin-product-missing", &[("what", missing.as_str())]);
                        format!("{line} — {missing}")
                    }
                })
                .collect();
            let t = ProductPage {
                ui: ui.clone(),
                staff: crate::admin::StaffBar::of(p),
                csrf_token: csrf,
                title: first
                    .map(|v| v.name.clone())
                    .unwrap_or_else(|| slug.clone()),
                slug: slug.clone(),
                status: ui.word("admin-product-state", &a.status),
                brand: first.and_then(|v| v.brand.as_ref().map(|b| b.name.clone())),
                category_path: first
                    .map(|v| {
                        v.category_path
                            .iter()
                            .map(|c| c.name.clone())
                            .collect::<Vec<_>>()
                            .join(" › ")
                    })
                    .unwrap_or_default(),
                texts: a
                    .views
                    .iter()
                    .map(|v| LangTexts {
                        lang: v.lang.clone(),
                        name: v.name.clone(),
                        short: v.short_description.clone().unwrap_or_default(),
                        description: v.description.clone().unwrap_or_default(),
                    })
                    .collect(),
                attribute_names: attribute_names.into_iter().map(|(_, n)| n).collect(),
                variants,
                media,
                statuses: status_options(ui, &a.status),
                completeness,
                message,
            };
            ui.page(&t, StatusCode::OK)
        }
        Ok(None) => Problem::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("no product {slug:?}"),
        )
        .into_response(),
        Err(e) => Problem::from(e).into_response(),
    }
}

struct CompletenessLine {
    slug: String,
    name: String,
    lang: String,
    score: u8,
    missing: String,
}

#[derive(Template)]
#[template(path = "completeness.html")]
struct CompletenessPage {
    ui: Ui,
    staff: crate::admin::StaffBar,
    csrf_token: String,
    /// (code, selected)
    markets: Vec<(String, bool)>,
    max_score: u8,
    rows: Vec<CompletenessLine>,
}

#[derive(Deserialize)]
struct CompletenessQuery {
    market: Option<String>,
    max_score: Option<u8>,
}

async fn completeness(
    State(s): State<AppState>,
    CatalogStaff(p, csrf): CatalogStaff,
    ui: Ui,
    Query(q): Query<CompletenessQuery>,
) -> Response {
    let max_score = q.max_score.unwrap_or(99).min(100);
    let result = async {
        let markets = catalog::markets(&s.app).await?;
        let market = q
            .market
            .clone()
            .or_else(|| markets.first().map(|m| m.code.clone()))
            .unwrap_or_default();
        let rows =
            catalog::completeness_report(&s.app, Some(&market), Some(max_score), 500).await?;
        Ok::<_, mercato_app::AppError>((markets, market, rows))
    }
    .await;
    match result {
        Ok((markets, market, rows)) => ui.page(
            &CompletenessPage {
                ui: ui.clone(),
                staff: crate::admin::StaffBar::of(&p),
                csrf_token: csrf,
                markets: markets
                    .into_iter()
                    .map(|m| {
                        let sel = m.code == market;
                        (m.code, sel)
                    })
                    .collect(),
                max_score,
                rows: rows
                    .into_iter()
                    .map(|r| CompletenessLine {
                        missing: describe_missing(&ui, &r.completeness.missing),
                        slug: r.slug,
                        name: r.name,
                        lang: r.lang,
                        score: r.completeness.score,
                    })
                    .collect(),
            },
            StatusCode::OK,
        ),
        Err(e) => Problem::from(e).into_response(),
    }
}

/// What is missing, in the page's language.
fn describe_missing(ui: &Ui, missing: &[Missing]) -> String {
    let mut parts: Vec<String> = Vec::new();
    for m in missing {
        let s = match m {
            Missing::Name { lang } => ui.t_with("admin-missing-name", &[("lang", lang.as_str())]),
            Missing::ShortDescription { lang } => {
                ui.t_with("admin-missing-short", &[("lang", lang.as_str())])
            }
            Missing::Description { lang } => {
                ui.t_with("admin-missing-description", &[("lang", lang.as_str())])
            }
            Missing::Image => ui.t("admin-missing-image"),
            Missing::Brand => ui.t("admin-missing-brand"),
            Missing::Category => ui.t("admin-missing-category"),
            Missing::Attribute { code, sku } => ui.t_with(
                "admin-missing-attribute",
                &[("code", code.as_str()), ("sku", sku.as_str())],
            ),
            Missing::Price => ui.t("admin-missing-price"),
        };
        if !parts.contains(&s) {
            parts.push(s);
        }
    }
    parts.join(ui.t("admin-list-separator").as_str())
}

/// An import's outcome as the page shows it.
struct ImportView {
    applied: bool,
    /// What happened, in the page's language.
    summary: String,
    /// The counts, in the page's language (none when nothing was read).
    counts: Option<String>,
    /// The reader's notes and the rows' problems (worded by the app).
    report: Option<ImportReport>,
}

impl ImportView {
    fn of(ui: &Ui, r: ImportReport) -> Self {
        let mode = match r.mode {
            ImportMode::ValidRows => "valid-rows",
            ImportMode::AllOrNothing => "all-or-nothing",
        };
        let has_issues = !r.issues.is_empty() || r.rows_failed > 0;
        let key = match (r.dry_run, r.applied, r.mode, has_issues) {
            (true, _, _, _) => "admin-import-dry-run-done",
            (false, false, _, _) => "admin-import-refused",
            (false, true, ImportMode::AllOrNothing, _) => "admin-import-all",
            (false, true, ImportMode::ValidRows, true) => "admin-import-valid",
            (false, true, ImportMode::ValidRows, false) => "admin-import-every",
        };
        let n = |x: usize| x.to_string();
        let (total, valid, failed) = (n(r.rows_total), n(r.rows_valid), n(r.rows_failed));
        let (created, updated, unchanged) = (
            n(r.products_created),
            n(r.products_updated),
            n(r.products_unchanged),
        );
        let counts = ui.t_with(
            "admin-import-counts",
            &[
                ("total", total.as_str()),
                ("valid", valid.as_str()),
                ("failed", failed.as_str()),
                ("created", created.as_str()),
                ("updated", updated.as_str()),
                ("unchanged", unchanged.as_str()),
            ],
        );
        ImportView {
            applied: r.applied,
            summary: ui.t_with(key, &[("mode", mode)]),
            counts: Some(counts),
            report: Some(r),
        }
    }

    fn failed(summary: String) -> Self {
        ImportView {
            applied: false,
            summary,
            counts: None,
            report: None,
        }
    }
}

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage {
    ui: Ui,
    staff: crate::admin::StaffBar,
    csrf_token: String,
    result: Option<ImportView>,
}

async fn import_page(CatalogStaff(p, csrf): CatalogStaff, ui: Ui) -> Response {
    let t = ImportPage {
        ui: ui.clone(),
        staff: crate::admin::StaffBar::of(&p),
        csrf_token: csrf,
        result: None,
    };
    ui.page(&t, StatusCode::OK)
}

async fn import_submit(
    State(s): State<AppState>,
    Client(_c): Client,
    CatalogStaff(p, csrf): CatalogStaff,
    ui: Ui,
    mut multipart: Multipart,
) -> Response {
    let form = match read_checked_parts(&mut multipart, &csrf).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let mut sheet = None;
    let mut files = HashMap::new();
    let mut mode = ImportMode::ValidRows;
    let mut dry_run = false;
    for part in form {
        match part.name.as_str() {
            "mode" => {
                mode = ImportMode::parse(&String::from_utf8_lossy(&part.data))
                    .unwrap_or(ImportMode::ValidRows)
            }
            "dry_run" => dry_run = part.data.as_ref() == b"true",
            "file" => {
                sheet = Some((
                    part.file_name.unwrap_or_else(|| "upload.csv".into()),
                    part.data,
                ))
            }
            _ => {
                if let Some(f) = part.file_name.filter(|f| !f.is_empty()) {
                    files.insert(f, part.data.to_vec());
                }
            }
        }
    }
    let Some((file_name, bytes)) = sheet.filter(|(_, b)| !b.is_empty()) else {
        let t = ImportPage {
            ui: ui.clone(),
            staff: crate::admin::StaffBar::of(&p),
            csrf_token: csrf,
            result: Some(ImportView::failed(ui.t("admin-import-no-file"))),
        };
        return ui.page(&t, StatusCode::OK);
    };
    match import::import_products(
        &s.app,
        Some(&p),
        &file_name,
        &bytes,
        &MapSource(files),
        ImportOptions { mode, dry_run },
        &|_, _, _| {},
    )
    .await
    {
        Ok(report) => {
            let t = ImportPage {
                ui: ui.clone(),
                staff: crate::admin::StaffBar::of(&p),
                csrf_token: csrf,
                result: Some(ImportView::of(&ui, report)),
            };
            ui.page(&t, StatusCode::OK)
        }
        Err(e) => Problem::from(e).into_response(),
    }
}

#[derive(Deserialize)]
struct EditForm {
    #[serde(default)]
    csrf_token: String,
    lang: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    short_description: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    status: String,
}

async fn edit_product(
    State(s): State<AppState>,
    CatalogStaff(p, csrf): CatalogStaff,
    ui: Ui,
    Path(slug): Path<String>,
    axum::extract::Form(form): axum::extract::Form<EditForm>,
) -> Response {
    if let Err(r) = check_csrf(&form.csrf_token, &csrf) {
        return r;
    }
    let Ok(lang) = Lang::parse(&form.lang) else {
        return Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_language",
            "unknown language",
        )
        .into_response();
    };
    let edit = catalog::ContentEdit {
        lang,
        market: None,
        name: form.name,
        short_description: form.short_description,
        description: form.description,
        status: crate::api::parse_status(&form.status),
    };
    match catalog::edit_product_content(&s.app, &p, &slug, edit).await {
        Ok(_) => Redirect::to(&format!("/admin/products/{slug}?saved=1")).into_response(),
        Err(mercato_app::AppError::Invalid(fields)) => {
            let msg = ui.t_with("admin-not-saved", &[("reason", &messages(&ui, &fields))]);
            let mut res = render_product(&s, &ui, &p, csrf, &slug, Some(msg)).await;
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            res
        }
        Err(e) => Problem::from(e).into_response(),
    }
}

async fn upload_media(
    State(s): State<AppState>,
    CatalogStaff(p, csrf): CatalogStaff,
    ui: Ui,
    Path(slug): Path<String>,
    mut multipart: Multipart,
) -> Response {
    let ui = ui.at(format!("/admin/products/{slug}"));
    let form = match read_checked_parts(&mut multipart, &csrf).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let mut files = Vec::new();
    for part in form {
        if let Some(f) = part
            .file_name
            .filter(|f| !f.is_empty() && !part.data.is_empty())
        {
            files.push((f, part.data.to_vec()));
        }
    }
    match catalog::add_product_media(&s.app, &p, &slug, files).await {
        Ok(_) => Redirect::to(&format!("/admin/products/{slug}?saved=1")).into_response(),
        Err(mercato_app::AppError::Invalid(fields)) => {
            let msg = ui.t_with("admin-not-uploaded", &[("reason", &messages(&ui, &fields))]);
            let mut res = render_product(&s, &ui, &p, csrf, &slug, Some(msg)).await;
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            res
        }
        Err(e) => Problem::from(e).into_response(),
    }
}

struct CategoryLine {
    slug: String,
    name: String,
    depth: usize,
    attributes: String,
}

#[derive(Template)]
#[template(path = "categories.html")]
struct CategoriesPage {
    ui: Ui,
    staff: crate::admin::StaffBar,
    csrf_token: String,
    categories: Vec<CategoryLine>,
    /// (code, name, type, facet)
    attributes: Vec<(String, String, String, String)>,
    message: Option<String>,
    ok: bool,
}

async fn render_categories(
    s: &AppState,
    ui: &Ui,
    p: &Principal,
    csrf: String,
    message: Option<String>,
    ok: bool,
) -> Response {
    let zh = Lang::zh_cn();
    let loaded = async {
        let tree = catalog::category_tree(&s.app, None, Some(&zh)).await?;
        let attrs = catalog::attributes(&s.app).await?;
        Ok::<_, mercato_app::AppError>((tree, attrs))
    }
    .await;
    let (tree, attrs) = match loaded {
        Ok(x) => x,
        Err(e) => return Problem::from(e).into_response(),
    };
    fn walk(nodes: &[catalog::CategoryNode], depth: usize, out: &mut Vec<CategoryLine>) {
        for n in nodes {
            let attributes = n
                .attributes
                .iter()
                .map(|a| format!("{}{}", a.code.as_str(), if a.required { "!" } else { "" }))
                .collect::<Vec<_>>()
                .join(", ");
            out.push(CategoryLine {
                slug: n.slug.clone(),
                name: n.name.clone(),
                depth,
                attributes,
            });
            walk(&n.children, depth + 1, out);
        }
    }
    let mut categories = Vec::new();
    walk(&tree, 0, &mut categories);
    let fallbacks = [Lang::en()];
    let attributes = attrs
        .iter()
        .map(|a| {
            let kind = match &a.kind {
                mercato_core::attribute::AttributeKind::Text => ui.t("admin-attribute-kind-text"),
                mercato_core::attribute::AttributeKind::Bool => ui.t("admin-attribute-kind-bool"),
                mercato_core::attribute::AttributeKind::Number { unit } => ui.t_with(
                    "admin-attribute-number",
                    &[("unit", unit.as_deref().unwrap_or_default())],
                ),
                mercato_core::attribute::AttributeKind::Enum { options } => {
                    let count = options.len().to_string();
                    ui.t_with(
                        "admin-attribute-options-count",
                        &[("count", count.as_str())],
                    )
                }
            };
            (
                a.code.as_str().to_string(),
                a.name
                    .resolve(&zh, &fallbacks)
                    .unwrap_or_default()
                    .to_string(),
                kind,
                if a.filterable {
                    ui.t("admin-yes")
                } else {
                    String::new()
                },
            )
        })
        .collect();
    let t = CategoriesPage {
        ui: ui.clone(),
        staff: crate::admin::StaffBar::of(p),
        csrf_token: csrf,
        categories,
        attributes,
        message,
        ok,
    };
    ui.page(&t, StatusCode::OK)
}

async fn categories_page(
    State(s): State<AppState>,
    CatalogStaff(p, csrf): CatalogStaff,
    ui: Ui,
) -> Response {
    render_categories(&s, &ui, &p, csrf, None, true).await
}

#[derive(Deserialize)]
struct CategoryForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    slug: String,
    #[serde(default)]
    parent: String,
    #[serde(default)]
    name_zh: String,
    #[serde(default)]
    name_en: String,
    #[serde(default)]
    position: String,
    #[serde(default)]
    attributes: String,
}

fn localized(zh: &str, en: &str) -> mercato_core::LocalizedText {
    let mut t = mercato_core::LocalizedText::new();
    t.set(Lang::zh_cn(), zh);
    t.set(Lang::en(), en);
    t
}

async fn save_category(
    State(s): State<AppState>,
    CatalogStaff(p, csrf): CatalogStaff,
    ui: Ui,
    axum::extract::Form(f): axum::extract::Form<CategoryForm>,
) -> Response {
    if let Err(r) = check_csrf(&f.csrf_token, &csrf) {
        return r;
    }
    let mut attributes = Vec::new();
    for part in f
        .attributes
        .split(',')
        .map(str::trim)
        .filter(|x| !x.is_empty())
    {
        let (code, required) = match part.strip_suffix('!') {
            Some(c) => (c.trim(), true),
            None => (part, false),
        };
        match mercato_core::attribute::AttrCode::parse(code) {
            Ok(code) => {
                attributes.push(mercato_core::catalog::CategoryAttribute { code, required })
            }
            Err(e) => {
                let msg = ui.t_with("admin-not-saved", &[("reason", &e.to_string())]);
                return render_categories(&s, &ui, &p, csrf, Some(msg), false).await;
            }
        }
    }
    let input = catalog::CategoryInput {
        slug: f.slug.trim().to_string(),
        parent: Some(f.parent.trim().to_string()).filter(|x| !x.is_empty()),
        name: localized(&f.name_zh, &f.name_en),
        position: f.position.trim().parse().unwrap_or(0),
        attributes,
    };
    match catalog::save_category(&s.app, Some(&p), input).await {
        Ok(c) => {
            let msg = ui.t_with("admin-category-saved", &[("slug", c.slug.as_str())]);
            render_categories(&s, &ui, &p, csrf, Some(msg), true).await
        }
        Err(mercato_app::AppError::Invalid(fields)) => {
            let msg = ui.t_with("admin-not-saved", &[("reason", &messages(&ui, &fields))]);
            let mut res = render_categories(&s, &ui, &p, csrf, Some(msg), false).await;
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            res
        }
        Err(e) => Problem::from(e).into_response(),
    }
}

#[derive(Deserialize)]
struct AttributeForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    name_zh: String,
    #[serde(default)]
    name_en: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    options: String,
    #[serde(default)]
    filterable: String,
}

async fn save_attribute(
    State(s): State<AppState>,
    CatalogStaff(p, csrf): CatalogStaff,
    ui: Ui,
    axum::extract::Form(f): axum::extract::Form<AttributeForm>,
) -> Response {
    use mercato_core::attribute::{AttrCode, AttributeDef, AttributeKind, EnumOption};
    if let Err(r) = check_csrf(&f.csrf_token, &csrf) {
        return r;
    }
    let ui = ui.at("/admin/categories");
    let (sr, ur, pr, cr) = (&s, &ui, &p, &csrf);
    let fail = move |msg: String| async move {
        let msg = ur.t_with("admin-not-saved", &[("reason", msg.as_str())]);
        render_categories(sr, ur, pr, cr.clone(), Some(msg), false).await
    };
    let code = match AttrCode::parse(&f.code) {
        Ok(c) => c,
        Err(e) => return fail(e.to_string()).await,
    };
    let kind = match f.kind.as_str() {
        "number" => AttributeKind::Number {
            unit: Some(f.unit.trim().to_string()).filter(|u| !u.is_empty()),
        },
        "bool" => AttributeKind::Bool,
        "enum" => {
            let mut options = Vec::new();
            for line in f.options.lines().map(str::trim).filter(|l| !l.is_empty()) {
                let parts: Vec<&str> = line.split('|').map(str::trim).collect();
                let option_code = parts.first().copied().unwrap_or_default();
                if option_code.is_empty() {
                    let msg = ui.t_with("admin-attribute-option-no-code", &[("line", line)]);
                    return fail(msg).await;
                }
                options.push(EnumOption {
                    code: option_code.to_string(),
                    label: localized(
                        parts.get(1).copied().unwrap_or_default(),
                        parts.get(2).copied().unwrap_or_default(),
                    ),
                });
            }
            if options.is_empty() {
                return fail(ui.t("admin-attribute-no-options")).await;
            }
            AttributeKind::Enum { options }
        }
        _ => AttributeKind::Text,
    };
    let def = AttributeDef {
        code,
        name: localized(&f.name_zh, &f.name_en),
        kind,
        filterable: f.filterable == "true",
        position: 0,
    };
    match catalog::save_attribute(&s.app, Some(&p), def).await {
        Ok(d) => {
            let msg = ui.t_with("admin-attribute-saved", &[("code", d.code.as_str())]);
            render_categories(&s, &ui, &p, csrf.clone(), Some(msg), true).await
        }
        Err(mercato_app::AppError::Invalid(fields)) => fail(messages(&ui, &fields)).await,
        Err(e) => Problem::from(e).into_response(),
    }
}

/// One part of a multipart form.
pub(crate) struct FormPart {
    pub name: String,
    pub file_name: Option<String>,
    pub data: axum::body::Bytes,
}

/// Reads a multipart form and checks its `csrf_token` part against the
/// session's token; returns the other parts.
pub(crate) async fn read_checked_parts(
    multipart: &mut Multipart,
    csrf: &str,
) -> Result<Vec<FormPart>, Response> {
    let mut parts = read_parts(multipart).await?;
    let token = parts
        .iter()
        .position(|p| p.name == "csrf_token")
        .map(|i| parts.remove(i));
    let sent = token
        .map(|t| String::from_utf8_lossy(&t.data).into_owned())
        .unwrap_or_default();
    check_csrf(&sent, csrf)?;
    Ok(parts)
}

/// Reads every part of a multipart form (a malformed body is a 400 problem).
pub(crate) async fn read_parts(multipart: &mut Multipart) -> Result<Vec<FormPart>, Response> {
    let bad = |e: axum::extract::multipart::MultipartError| {
        Problem::new(StatusCode::BAD_REQUEST, "bad_multipart", e.to_string()).into_response()
    };
    let mut parts = Vec::new();
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or_default().to_string();
        let file_name = field.file_name().map(str::to_string);
        let data = field.bytes().await.map_err(bad)?;
        parts.push(FormPart {
            name,
            file_name,
            data,
        });
    }
    Ok(parts)
}

/// The messages of a validation error, for a page (translated by code
/// where the locale knows it, else as the app words them).
pub(crate) fn messages(ui: &Ui, fields: &[mercato_app::FieldError]) -> String {
    fields
        .iter()
        .map(|f| ui.field_error(f))
        .collect::<Vec<_>>()
        .join(ui.t("admin-message-separator").as_str())
}
