//! Back-office prices: the price lists (filters, a new list, one list's
//! entries with their tier tables, add, edit and delete an entry, a CSV
//! upload) and the price explainer ("why does this company pay this for
//! that SKU?"). Every change and every answer goes through `app::pricing`
//! (and `app::carts::preview` for promotions and tax), so these pages
//! check, price and explain exactly as the API, carts and orders do:
//! nothing here decides a price, the handlers only read forms and word
//! the answers.

use crate::AppState;
use crate::admin::{Prices, Staff, StaffBar, Ui, check_csrf, parse_number, utc_time};
use crate::extract::Client;
use crate::problem::Problem;
use crate::shop::{encode, format_money, format_quantity};
use askama::Template;
use axum::Router;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use mercato_app::AppError;
use mercato_app::auth::Principal;
use mercato_app::carts::{self, CartView};
use mercato_app::companies::Company;
use mercato_app::pricing::{self, ListFilter, PriceListInput, QuoteItem, Scenario};
use mercato_core::market::Market;
use mercato_core::money::Currency;
use mercato_core::pricing::{Audience, Lost, Validity};
use mercato_core::promotion::{ConditionFailure, NotApplied, NotAppliedReason};
use mercato_core::{CompanyId, Lang};
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::BTreeMap;
use time::OffsetDateTime;
use uuid::Uuid;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/price-lists", get(lists_page).post(create_list))
        .route("/admin/price-lists/{id}", get(list_page))
        .route("/admin/price-lists/{id}/entry", post(save_entry))
        .route("/admin/price-lists/{id}/entry/delete", post(delete_entry))
        .route("/admin/price-lists/{id}/upload", post(upload))
        .route("/admin/prices/explain", get(explain_page))
}

/// Entries per page of a list.
const ENTRY_PAGE: i64 = 100;

/// Companies offered in a company field's suggestions.
const COMPANY_SUGGESTIONS: i64 = 200;

// ---------------------------------------------------------------------------
// Words and formats shared with the promotion pages

/// A unit price exactly as it is stored (up to 4 decimals, at least the
/// currency's), with its currency code: `CNY 0.9525`. Totals use
/// [`format_money`]; a tier price rounded to cents would hide what the
/// list says.
pub(crate) fn unit_price_text(amount: Decimal, currency: Currency) -> String {
    let mut d = amount.normalize();
    let exp = currency.exponent();
    if d.scale() < exp {
        d.rescale(exp);
    }
    format!("{} {d}", currency.code())
}

/// A moment as a `datetime-local` input holds it (UTC; seconds only when
/// set, so an edit saves back what was stored).
pub(crate) fn moment_input(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    let f = if t.second() == 0 {
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]")
    } else {
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]")
    };
    t.format(&f).unwrap_or_default()
}

/// A moment staff typed, read as UTC (staff work across markets, and the
/// back office shows every time in UTC): `2026-05-01` (midnight),
/// `2026-05-01T08:00`, `2026-05-01 08:00:30`. Empty: `None`.
pub(crate) fn parse_moment(raw: &str) -> Result<Option<OffsetDateTime>, ()> {
    let raw = raw.trim().replace(' ', "T");
    if raw.is_empty() {
        return Ok(None);
    }
    let with_seconds =
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    let minutes = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]");
    let day = time::macros::format_description!("[year]-[month]-[day]");
    if let Ok(t) = time::PrimitiveDateTime::parse(&raw, &with_seconds)
        .or_else(|_| time::PrimitiveDateTime::parse(&raw, &minutes))
    {
        return Ok(Some(t.assume_utc()));
    }
    time::Date::parse(&raw, &day)
        .map(|d| Some(d.midnight().assume_utc()))
        .map_err(|_| ())
}

/// A validity window in words: `2026-01-01 00:00 UTC – 2026-02-01 00:00
/// UTC`, an open end as "open".
pub(crate) fn window_text(
    ui: &Ui,
    from: Option<OffsetDateTime>,
    to: Option<OffsetDateTime>,
) -> String {
    match (from, to) {
        (None, None) => ui.t("admin-prices-always"),
        (f, t) => format!(
            "{} – {}",
            f.map(utc_time).unwrap_or_else(|| ui.t("admin-prices-open")),
            t.map(utc_time).unwrap_or_else(|| ui.t("admin-prices-open")),
        ),
    }
}

/// Where now lies in a validity window, in words. Spelled out key by key
/// (not `ui.word`), so the locale test sees every one of them.
pub(crate) fn validity_word(ui: &Ui, v: Validity) -> String {
    match v {
        Validity::NotYetValid => ui.t("admin-prices-state-not_yet_valid"),
        Validity::Valid => ui.t("admin-prices-state-valid"),
        Validity::Expired => ui.t("admin-prices-state-expired"),
    }
}

/// `(code, word, selected)` of the validity states, for a filter.
fn validity_options(ui: &Ui, selected: &str) -> Vec<(String, String, bool)> {
    [Validity::Valid, Validity::NotYetValid, Validity::Expired]
        .into_iter()
        .map(|v| {
            (
                v.code().to_string(),
                validity_word(ui, v),
                v.code() == selected,
            )
        })
        .collect()
}

/// The word for an audience kind.
fn audience_word(ui: &Ui, kind: &str) -> String {
    match kind {
        "everyone" => ui.t("admin-prices-audience-everyone"),
        "group" => ui.t("admin-prices-audience-group"),
        "tier" => ui.t("admin-prices-audience-tier"),
        "company" => ui.t("admin-prices-audience-company"),
        other => other.to_string(),
    }
}

/// `(code, word, selected)` of the audience kinds.
fn audience_options(ui: &Ui, selected: &str) -> Vec<(String, String, bool)> {
    ["everyone", "group", "tier", "company"]
        .into_iter()
        .map(|k| (k.to_string(), audience_word(ui, k), k == selected))
        .collect()
}

/// Who a list is for, in words: "Customer group: oem".
fn audience_text(ui: &Ui, a: &Audience, company_name: Option<&str>) -> String {
    let kind = audience_word(ui, pricing::audience_kind(a));
    match a {
        Audience::Everyone => kind,
        Audience::Group(g) | Audience::Tier(g) => format!("{kind}: {g}"),
        Audience::Company(c) => {
            let c = c.to_string();
            format!("{kind}: {}", company_name.unwrap_or(c.as_str()))
        }
    }
}

/// Every market, for the market fields.
pub(crate) async fn all_markets(s: &AppState) -> Result<Vec<Market>, Response> {
    mercato_app::catalog::markets(&s.app)
        .await
        .map_err(|e| Problem::from(e).into_response())
}

/// `(code, "code · name (currency)", selected)` of each market.
pub(crate) fn market_options(
    ui: &Ui,
    markets: &[Market],
    selected: &str,
) -> Vec<(String, String, bool)> {
    let lang = page_lang(ui);
    markets
        .iter()
        .map(|m| {
            let name = m
                .name
                .resolve(&lang, &[Lang::zh_cn(), Lang::en()])
                .unwrap_or_default();
            let label = format!("{} · {name} ({})", m.code, m.currency.code());
            (m.code.clone(), label, m.code == selected)
        })
        .collect()
}

/// The page's language as a catalog language (product and market names).
pub(crate) fn page_lang(ui: &Ui) -> Lang {
    Lang::parse(ui.tr.code()).unwrap_or_else(|_| Lang::zh_cn())
}

/// Names of companies for a company field's suggestions.
pub(crate) async fn company_suggestions(s: &AppState, p: &Principal) -> Vec<String> {
    pricing::companies(&s.app, p, None, COMPANY_SUGGESTIONS)
        .await
        .map(|found| found.into_iter().map(|c| c.name).collect())
        .unwrap_or_default()
}

/// The company staff typed (its id, its name, or a unique part of its
/// name), or why none can be chosen. `Err` is a failure to answer at all.
pub(crate) async fn find_company(
    s: &AppState,
    p: &Principal,
    ui: &Ui,
    typed: &str,
) -> Result<Result<Company, String>, Response> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Ok(Err(ui.t("admin-prices-company-required")));
    }
    let unknown = || ui.t_with("admin-prices-company-unknown", &[("company", typed)]);
    if let Ok(id) = typed.parse::<Uuid>() {
        return match pricing::staff_company(&s.app, p, CompanyId(id)).await {
            Ok(c) => Ok(Ok(c)),
            Err(AppError::NotFound(_)) => Ok(Err(unknown())),
            Err(e) => Err(Problem::from(e).into_response()),
        };
    }
    let found = pricing::companies(&s.app, p, Some(typed), 20)
        .await
        .map_err(|e| Problem::from(e).into_response())?;
    if let Some(c) = found
        .iter()
        .find(|c| c.name.trim().eq_ignore_ascii_case(typed))
    {
        return Ok(Ok(c.clone()));
    }
    if found.len() > 1 {
        let names = found
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>()
            .join(ui.t("admin-list-separator").as_str());
        return Ok(Err(ui.t_with(
            "admin-prices-company-ambiguous",
            &[("company", typed), ("names", names.as_str())],
        )));
    }
    Ok(found.into_iter().next().ok_or_else(unknown))
}

/// Each field error of a refused form, as a line to show.
pub(crate) fn error_lines(ui: &Ui, fields: &[mercato_app::FieldError]) -> Vec<String> {
    fields.iter().map(|f| ui.field_error(f)).collect()
}

// ---------------------------------------------------------------------------
// The list of price lists and the new-list form

/// A price list as a row of the list.
struct ListRow {
    id: Uuid,
    name: String,
    currency: String,
    market: String,
    audience: String,
    window: String,
    state: String,
    state_code: &'static str,
    priority: i32,
    entries: i64,
}

/// The list's filters, as the query string carries them.
#[derive(Deserialize, Default, Clone)]
struct ListQuery {
    #[serde(default)]
    market: String,
    #[serde(default)]
    currency: String,
    #[serde(default)]
    audience: String,
    /// A validity code (`valid`, `not_yet_valid`, `expired`).
    #[serde(default)]
    state: String,
}

impl ListQuery {
    fn filter(&self) -> ListFilter {
        let text = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        ListFilter {
            market: text(&self.market),
            currency: text(&self.currency),
            audience: text(&self.audience),
            validity: [Validity::Valid, Validity::NotYetValid, Validity::Expired]
                .into_iter()
                .find(|v| v.code() == self.state),
        }
    }
}

/// The new-list form as typed.
#[derive(Deserialize, Default, Clone)]
struct ListForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    currency: String,
    #[serde(default)]
    market: String,
    /// `everyone`, `group`, `tier` or `company`.
    #[serde(default)]
    audience: String,
    /// The group or tier code, or the company (name or id).
    #[serde(default)]
    audience_value: String,
    #[serde(default)]
    priority: String,
    #[serde(default)]
    valid_from: String,
    #[serde(default)]
    valid_to: String,
}

#[derive(Template)]
#[template(path = "price_lists.html")]
struct ListsPage {
    ui: Ui,
    staff: StaffBar,
    csrf_token: String,
    rows: Vec<ListRow>,
    markets: Vec<(String, String, bool)>,
    currencies: Vec<(String, bool)>,
    audiences: Vec<(String, String, bool)>,
    states: Vec<(String, String, bool)>,
    form: ListForm,
    form_markets: Vec<(String, String, bool)>,
    form_audiences: Vec<(String, String, bool)>,
    companies: Vec<String>,
    errors: Vec<String>,
}

#[allow(clippy::too_many_arguments)]
async fn lists(
    s: &AppState,
    ui: &Ui,
    p: &Principal,
    csrf: String,
    f: ListQuery,
    form: ListForm,
    errors: Vec<String>,
    status: StatusCode,
) -> Response {
    let found = match pricing::overview(&s.app, p, &f.filter()).await {
        Ok(found) => found,
        Err(e) => return Problem::from(e).into_response(),
    };
    let all = match all_markets(s).await {
        Ok(m) => m,
        Err(r) => return r,
    };
    // The currencies markets trade in, and the one asked for.
    let mut codes: Vec<String> = all.iter().map(|m| m.currency.code().to_string()).collect();
    if !f.currency.trim().is_empty() {
        codes.push(f.currency.trim().to_ascii_uppercase());
    }
    codes.sort();
    codes.dedup();
    let currencies = codes
        .into_iter()
        .map(|c| {
            let selected = c.eq_ignore_ascii_case(f.currency.trim());
            (c, selected)
        })
        .collect();
    let rows = found
        .iter()
        .map(|x| {
            let l = &x.list;
            ListRow {
                id: l.id,
                name: l.name.clone(),
                currency: l.currency.code().to_string(),
                market: l.market.clone().unwrap_or_default(),
                audience: audience_text(ui, &l.audience, x.company_name.as_deref()),
                window: window_text(
                    ui,
                    l.valid_from.map(|t| t.as_offset()),
                    l.valid_to.map(|t| t.as_offset()),
                ),
                state: validity_word(ui, x.validity),
                state_code: x.validity.code(),
                priority: l.priority,
                entries: x.entries,
            }
        })
        .collect();
    let audience = if form.audience.is_empty() {
        "everyone"
    } else {
        form.audience.as_str()
    };
    let t = ListsPage {
        ui: ui.clone(),
        staff: StaffBar::of(p),
        csrf_token: csrf,
        rows,
        markets: market_options(ui, &all, &f.market),
        currencies,
        audiences: audience_options(ui, &f.audience),
        states: validity_options(ui, &f.state),
        form_audiences: audience_options(ui, audience),
        form_markets: market_options(ui, &all, &form.market),
        companies: company_suggestions(s, p).await,
        form,
        errors,
    };
    ui.page(&t, status)
}

async fn lists_page(
    State(s): State<AppState>,
    Staff(p, csrf, _): Staff<Prices>,
    ui: Ui,
    Query(f): Query<ListQuery>,
) -> Response {
    let form = ListForm {
        priority: "0".to_string(),
        ..ListForm::default()
    };
    lists(&s, &ui, &p, csrf, f, form, Vec::new(), StatusCode::OK).await
}

/// The new-list form as the use case's input, or what is wrong with what
/// was typed (the use case checks the rest: currency, market, audience).
async fn list_input(
    s: &AppState,
    p: &Principal,
    ui: &Ui,
    f: &ListForm,
) -> Result<Result<PriceListInput, Vec<String>>, Response> {
    let mut errors = Vec::new();
    let text = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    let priority = match f.priority.trim() {
        "" => None,
        raw => match raw.parse::<i32>() {
            Ok(n) => Some(n),
            Err(_) => {
                errors.push(ui.t_with("admin-prices-bad-priority", &[("value", raw)]));
                None
            }
        },
    };
    let mut moment = |raw: &str, key: &'static str| {
        parse_moment(raw).unwrap_or_else(|()| {
            errors.push(ui.t_with(key, &[("value", raw.trim())]));
            None
        })
    };
    let valid_from = moment(&f.valid_from, "admin-prices-bad-from");
    let valid_to = moment(&f.valid_to, "admin-prices-bad-to");
    let value = f.audience_value.trim();
    let (mut company_id, mut customer_group, mut tier) = (None, None, None);
    match f.audience.as_str() {
        "" | "everyone" => {}
        kind if value.is_empty() => {
            errors.push(ui.t_with(
                "admin-prices-audience-value-required",
                &[("audience", audience_word(ui, kind).as_str())],
            ));
        }
        "group" => customer_group = Some(value.to_string()),
        "tier" => tier = Some(value.to_string()),
        "company" => match find_company(s, p, ui, value).await? {
            Ok(c) => company_id = Some(c.id),
            Err(why) => errors.push(why),
        },
        other => errors.push(ui.t_with("admin-prices-bad-audience", &[("value", other)])),
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    Ok(Ok(PriceListInput {
        name: f.name.clone(),
        currency: f.currency.trim().to_ascii_uppercase(),
        market: text(&f.market),
        company_id,
        customer_group,
        tier,
        priority,
        valid_from,
        valid_to,
    }))
}

async fn create_list(
    State(s): State<AppState>,
    Staff(p, csrf, _): Staff<Prices>,
    ui: Ui,
    Client(client): Client,
    Form(f): Form<ListForm>,
) -> Response {
    if let Err(r) = check_csrf(&f.csrf_token, &csrf) {
        return r;
    }
    let ui = ui.at("/admin/price-lists");
    let errors = match list_input(&s, &p, &ui, &f).await {
        Err(r) => return r,
        Ok(Err(errors)) => errors,
        Ok(Ok(input)) => match pricing::create_list(&s.app, Some(&p), input, &client).await {
            Ok(list) => {
                return Redirect::to(&format!("/admin/price-lists/{}?created=1", list.id))
                    .into_response();
            }
            Err(AppError::Invalid(fields)) => error_lines(&ui, &fields),
            Err(e) => return Problem::from(e).into_response(),
        },
    };
    let q = ListQuery::default();
    lists(
        &s,
        &ui,
        &p,
        csrf,
        q,
        f,
        errors,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

// ---------------------------------------------------------------------------
// One price list: header, entries, entry editor, upload

/// A list's page: search, place, and the notices of the last action.
#[derive(Deserialize, Default, Clone)]
struct EntryQuery {
    /// Part of a SKU.
    #[serde(default)]
    q: String,
    /// Keyset: after this SKU.
    #[serde(default)]
    after: String,
    /// The SKU whose tiers the editor opens with.
    #[serde(default)]
    edit: String,
    /// `1` after the list was created.
    #[serde(default)]
    created: String,
    /// The SKU just saved.
    #[serde(default)]
    saved: String,
    #[serde(default)]
    deleted: String,
    /// How many SKUs an upload set.
    #[serde(default)]
    uploaded: String,
}

/// An entry as a row: its SKU and tiers in words.
struct EntryRow {
    sku: String,
    /// `(from quantity, unit price)`.
    tiers: Vec<(String, String)>,
}

/// The entry editor: a SKU and its tier rows (min quantity, unit price)
/// as typed, with what was wrong with them.
#[derive(Default)]
struct Editor {
    sku: String,
    rows: Vec<(String, String)>,
    /// An existing entry is being changed.
    editing: bool,
    errors: Vec<String>,
}

impl Editor {
    /// Rows to fill: what was typed or stored, then empty ones (at least
    /// four in all), so a tier can be added without script.
    fn padded(mut self) -> Self {
        let want = (self.rows.len() + 2).max(4);
        self.rows.resize(want, (String::new(), String::new()));
        self
    }
}

#[derive(Template)]
#[template(path = "price_list.html")]
struct ListPage {
    ui: Ui,
    staff: StaffBar,
    csrf_token: String,
    id: Uuid,
    name: String,
    currency: String,
    market: String,
    audience: String,
    window: String,
    state: String,
    state_code: &'static str,
    priority: i32,
    entry_count: i64,
    q: String,
    rows: Vec<EntryRow>,
    next: Option<String>,
    editor: Editor,
    upload_errors: Vec<String>,
    message: Option<String>,
    error: Option<String>,
}

/// What a list page says besides its entries.
#[derive(Default)]
struct Outcome {
    message: Option<String>,
    error: Option<String>,
    upload_errors: Vec<String>,
}

fn list_id(raw: &str) -> Result<Uuid, Response> {
    raw.parse()
        .map_err(|_| Problem::from(AppError::NotFound("price list")).into_response())
}

#[allow(clippy::too_many_arguments)]
async fn show_list(
    s: &AppState,
    ui: &Ui,
    p: &Principal,
    csrf: String,
    id: Uuid,
    q: &EntryQuery,
    editor: Option<Editor>,
    out: Outcome,
    status: StatusCode,
) -> Response {
    let summary = match pricing::summary(&s.app, p, id).await {
        Ok(x) => x,
        Err(e) => return Problem::from(e).into_response(),
    };
    let list = &summary.list;
    let text = Some(q.q.as_str());
    let after = Some(q.after.as_str()).filter(|a| !a.is_empty());
    let found = match pricing::entry_page(&s.app, p, id, text, after, ENTRY_PAGE).await {
        Ok(found) => found,
        Err(e) => return Problem::from(e).into_response(),
    };
    let next = found
        .last()
        .filter(|_| found.len() as i64 == ENTRY_PAGE)
        .map(|(sku, _)| {
            format!(
                "/admin/price-lists/{id}?q={}&after={}",
                encode(&q.q),
                encode(sku)
            )
        });
    let currency = list.currency;
    let rows = found
        .iter()
        .map(|(sku, table)| EntryRow {
            sku: sku.clone(),
            tiers: table
                .tiers()
                .iter()
                .map(|t| {
                    (
                        format_quantity(t.min_quantity),
                        unit_price_text(t.unit_price, currency),
                    )
                })
                .collect(),
        })
        .collect();
    // The editor opens on `?edit=SKU` with that entry's tiers.
    let editor = match editor {
        Some(e) => e,
        None if !q.edit.trim().is_empty() => {
            let sku = q.edit.trim();
            let entry = match pricing::entry(&s.app, p, id, sku).await {
                Ok(found) => found,
                Err(e) => return Problem::from(e).into_response(),
            };
            Editor {
                sku: sku.to_string(),
                editing: entry.is_some(),
                rows: entry
                    .map(|t| {
                        t.tiers()
                            .iter()
                            .map(|t| {
                                (
                                    format_quantity(t.min_quantity),
                                    t.unit_price.normalize().to_string(),
                                )
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                errors: Vec::new(),
            }
        }
        None => Editor::default(),
    }
    .padded();
    let validity = summary.validity;
    let t = ListPage {
        ui: ui.clone(),
        staff: StaffBar::of(p),
        csrf_token: csrf,
        id,
        name: list.name.clone(),
        currency: currency.code().to_string(),
        market: list.market.clone().unwrap_or_default(),
        audience: audience_text(ui, &list.audience, summary.company_name.as_deref()),
        window: window_text(
            ui,
            list.valid_from.map(|t| t.as_offset()),
            list.valid_to.map(|t| t.as_offset()),
        ),
        state: validity_word(ui, validity),
        state_code: validity.code(),
        priority: list.priority,
        entry_count: summary.entries,
        q: q.q.clone(),
        rows,
        next,
        editor,
        upload_errors: out.upload_errors,
        message: out.message,
        error: out.error,
    };
    ui.page(&t, status)
}

async fn list_page(
    State(s): State<AppState>,
    Staff(p, csrf, _): Staff<Prices>,
    ui: Ui,
    Path(id): Path<String>,
    Query(q): Query<EntryQuery>,
) -> Response {
    let id = match list_id(&id) {
        Ok(id) => id,
        Err(r) => return r,
    };
    let message = if q.created == "1" {
        Some(ui.t("admin-prices-list-created"))
    } else if !q.saved.is_empty() {
        Some(ui.t_with("admin-prices-entry-saved", &[("sku", q.saved.as_str())]))
    } else if !q.deleted.is_empty() {
        Some(ui.t_with("admin-prices-entry-deleted", &[("sku", q.deleted.as_str())]))
    } else if !q.uploaded.is_empty() {
        Some(ui.t_with("admin-prices-uploaded", &[("count", q.uploaded.as_str())]))
    } else {
        None
    };
    let out = Outcome {
        message,
        ..Outcome::default()
    };
    show_list(&s, &ui, &p, csrf, id, &q, None, out, StatusCode::OK).await
}

/// The entry editor's form: the SKU and its tier rows, in order.
#[derive(Deserialize)]
struct EntryForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    sku: String,
    /// Each row's minimum quantity…
    #[serde(default)]
    min_quantity: Vec<String>,
    /// …and unit price (a form sends every row, empty ones too).
    #[serde(default)]
    unit_price: Vec<String>,
}

async fn save_entry(
    State(s): State<AppState>,
    Staff(p, csrf, _): Staff<Prices>,
    ui: Ui,
    Client(client): Client,
    Path(id): Path<String>,
    Form(f): Form<EntryForm>,
) -> Response {
    if let Err(r) = check_csrf(&f.csrf_token, &csrf) {
        return r;
    }
    let id = match list_id(&id) {
        Ok(id) => id,
        Err(r) => return r,
    };
    let sku = f.sku.trim().to_string();
    let typed: Vec<(String, String)> = f
        .min_quantity
        .iter()
        .zip(f.unit_price.iter().chain(std::iter::repeat(&String::new())))
        .map(|(q, p)| (q.trim().to_string(), p.trim().to_string()))
        .filter(|(q, p)| !(q.is_empty() && p.is_empty()))
        .collect();
    // Only what a form alone can know is checked here; the tier rules
    // (positive, at most 4 decimals, no overlap, never rising) are core's.
    let mut errors = Vec::new();
    if sku.is_empty() {
        errors.push(ui.t("admin-prices-sku-required"));
    }
    let mut tiers = Vec::new();
    for (i, (q, price)) in typed.iter().enumerate() {
        let row = (i + 1).to_string();
        let (min_quantity, unit_price) = (parse_number(q), parse_number(price));
        match (min_quantity, unit_price) {
            (Some(min_quantity), Some(unit_price)) => {
                tiers.push(mercato_core::pricing::TierBreak {
                    min_quantity,
                    unit_price,
                })
            }
            _ if q.is_empty() || price.is_empty() => {
                errors.push(ui.t_with("admin-prices-row-incomplete", &[("row", row.as_str())]))
            }
            (None, _) => errors.push(ui.t_with(
                "admin-prices-bad-quantity",
                &[("row", row.as_str()), ("value", q.as_str())],
            )),
            (_, None) => errors.push(ui.t_with(
                "admin-prices-bad-price",
                &[("row", row.as_str()), ("value", price.as_str())],
            )),
        }
    }
    if errors.is_empty() {
        match pricing::put_entry(&s.app, Some(&p), id, &sku, tiers, &client).await {
            Ok(_) => {
                return Redirect::to(&format!("/admin/price-lists/{id}?saved={}", encode(&sku)))
                    .into_response();
            }
            Err(AppError::Invalid(fields)) => errors = error_lines(&ui, &fields),
            Err(AppError::NotFound("SKU")) => {
                errors.push(ui.t_with("admin-prices-unknown-sku", &[("sku", sku.as_str())]));
            }
            Err(e) => return Problem::from(e).into_response(),
        }
    }
    let ui = ui.at(format!("/admin/price-lists/{id}"));
    let editor = Editor {
        editing: false,
        sku,
        rows: typed,
        errors,
    };
    let out = Outcome {
        error: Some(ui.t("admin-prices-entry-not-saved")),
        ..Outcome::default()
    };
    show_list(
        &s,
        &ui,
        &p,
        csrf,
        id,
        &EntryQuery::default(),
        Some(editor),
        out,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

#[derive(Deserialize)]
struct DeleteForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    sku: String,
}

async fn delete_entry(
    State(s): State<AppState>,
    Staff(p, csrf, _): Staff<Prices>,
    ui: Ui,
    Client(client): Client,
    Path(id): Path<String>,
    Form(f): Form<DeleteForm>,
) -> Response {
    if let Err(r) = check_csrf(&f.csrf_token, &csrf) {
        return r;
    }
    let id = match list_id(&id) {
        Ok(id) => id,
        Err(r) => return r,
    };
    let sku = f.sku.trim();
    match pricing::delete_entry(&s.app, Some(&p), id, sku, &client).await {
        Ok(()) => Redirect::to(&format!("/admin/price-lists/{id}?deleted={}", encode(sku)))
            .into_response(),
        Err(AppError::NotFound("price list entry")) => {
            let ui = ui.at(format!("/admin/price-lists/{id}"));
            let out = Outcome {
                error: Some(ui.t_with("admin-prices-not-in-list", &[("sku", sku)])),
                ..Outcome::default()
            };
            show_list(
                &s,
                &ui,
                &p,
                csrf,
                id,
                &EntryQuery::default(),
                None,
                out,
                StatusCode::NOT_FOUND,
            )
            .await
        }
        Err(e) => Problem::from(e).into_response(),
    }
}

/// A price file (CSV, the API's upload format) from a list's page, all or
/// nothing, every bad row named by its line.
async fn upload(
    State(s): State<AppState>,
    Staff(p, csrf, _): Staff<Prices>,
    ui: Ui,
    Client(client): Client,
    Path(id): Path<String>,
    mut multipart: Multipart,
) -> Response {
    let parts = match crate::admin_catalog::read_checked_parts(&mut multipart, &csrf).await {
        Ok(parts) => parts,
        Err(r) => return r,
    };
    let id = match list_id(&id) {
        Ok(id) => id,
        Err(r) => return r,
    };
    let ui = ui.at(format!("/admin/price-lists/{id}"));
    let file = parts
        .iter()
        .find(|x| x.name == "file" && !x.data.is_empty());
    let result = match file.map(|f| std::str::from_utf8(&f.data)) {
        None => Err(vec![ui.t("admin-prices-no-file")]),
        Some(Err(_)) => Err(vec![ui.t("admin-prices-not-utf8")]),
        Some(Ok(text)) => {
            match pricing::upload_price_file(&s.app, Some(&p), id, text, &client).await {
                Ok(n) => Ok(n),
                // Each bad row as the upload names it: its line, then the
                // column and why, as staff need to find it.
                Err(AppError::Invalid(fields)) => Err(fields
                    .iter()
                    .map(|f| {
                        let at = match f.field.strip_prefix("line ") {
                            Some(n) => ui.t_with("admin-prices-at-line", &[("line", n)]),
                            None => f.field.clone(),
                        };
                        format!("{at}: {}", ui.field_error(f))
                    })
                    .collect()),
                Err(e) => return Problem::from(e).into_response(),
            }
        }
    };
    match result {
        Ok(n) => Redirect::to(&format!("/admin/price-lists/{id}?uploaded={n}")).into_response(),
        Err(upload_errors) => {
            let out = Outcome {
                error: Some(ui.t("admin-prices-upload-refused")),
                upload_errors,
                ..Outcome::default()
            };
            show_list(
                &s,
                &ui,
                &p,
                csrf,
                id,
                &EntryQuery::default(),
                None,
                out,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

// ---------------------------------------------------------------------------
// A priced cart, as the explainer and the promotion preview show it

/// A priced line in words.
pub(crate) struct PricedLine {
    pub sku: String,
    pub name: String,
    pub quantity: String,
    pub unit_price: String,
    /// `(id, name)` of the list the price came from.
    pub list: Option<(Uuid, String)>,
    /// "from 100" when a volume tier applied.
    pub tier: String,
    pub line_total: String,
    /// Empty when nothing was taken off.
    pub discount: String,
    pub total: String,
    pub problems: Vec<String>,
}

/// The tax of a priced cart in words.
pub(crate) struct TaxView {
    pub entry: String,
    /// `(rate, net, tax)` per rate.
    pub rates: Vec<(String, String, String)>,
    pub net: String,
    pub tax: String,
    pub gross: String,
    pub reverse_charge: bool,
}

/// A cart as a company would see it, in words (the explainer's and the
/// promotion preview's answer).
pub(crate) struct PricedCart {
    pub company: String,
    pub market: String,
    pub currency: String,
    pub when: String,
    pub lines: Vec<PricedLine>,
    /// `(name, discount)` of each promotion that applied, in order.
    pub applied: Vec<(String, String)>,
    /// `(name, why not)` of each active promotion that did not.
    pub not_applied: Vec<(String, String)>,
    pub subtotal: String,
    pub discount: String,
    pub has_discount: bool,
    pub free_shipping: bool,
    pub tax: Option<TaxView>,
    pub total: String,
}

/// Why a cart line cannot be ordered, in words (the cart words it in
/// English; the common cases are translated).
fn problem_text(ui: &Ui, code: &str, message: &str) -> String {
    match code {
        "unknown_sku" => ui.t("admin-cart-problem-unknown-sku"),
        "inactive_sku" => ui.t("admin-cart-problem-inactive-sku"),
        "not_sold_here" => ui.t("admin-cart-problem-not-sold-here"),
        "no_price" => ui.t("admin-cart-problem-no-price"),
        _ => message.to_string(),
    }
}

/// Why a promotion did not apply, in words.
pub(crate) fn not_applied_text(ui: &Ui, n: &NotApplied, names: &BTreeMap<Uuid, String>) -> String {
    let d = |x: &Decimal| x.normalize().to_string();
    match &n.reason {
        NotAppliedReason::Invalid { problems } => ui.t_with(
            "admin-promo-why-invalid",
            &[("problems", problems.join("; ").as_str())],
        ),
        NotAppliedReason::CouponMissing => ui.t("admin-promo-why-coupon-missing"),
        NotAppliedReason::NotYetValid { starts } => ui.t_with(
            "admin-promo-why-not-yet-valid",
            &[("when", utc_time(*starts).as_str())],
        ),
        NotAppliedReason::Expired { ended } => ui.t_with(
            "admin-promo-why-expired",
            &[("when", utc_time(*ended).as_str())],
        ),
        NotAppliedReason::UsageLimitReached { limit } => ui.t_with(
            "admin-promo-why-used-up",
            &[("limit", limit.to_string().as_str())],
        ),
        NotAppliedReason::CompanyLimitReached { limit } => ui.t_with(
            "admin-promo-why-company-limit",
            &[("limit", limit.to_string().as_str())],
        ),
        NotAppliedReason::ConditionNotMet { failure, .. } => match failure {
            ConditionFailure::SubtotalBelow { subtotal, minimum } => ui.t_with(
                "admin-promo-why-subtotal-below",
                &[
                    ("subtotal", format_money(subtotal).as_str()),
                    ("minimum", d(minimum).as_str()),
                ],
            ),
            ConditionFailure::QuantityBelow { quantity, minimum } => ui.t_with(
                "admin-promo-why-quantity-below",
                &[
                    ("quantity", d(quantity).as_str()),
                    ("minimum", d(minimum).as_str()),
                ],
            ),
            ConditionFailure::NotInCustomerGroup => ui.t("admin-promo-why-not-in-group"),
            ConditionFailure::NotFirstOrder => ui.t("admin-promo-why-not-first-order"),
        },
        NotAppliedReason::QuantityBelowFirstTier {
            quantity,
            min_quantity,
        } => ui.t_with(
            "admin-promo-why-below-first-tier",
            &[
                ("quantity", d(quantity).as_str()),
                ("minimum", d(min_quantity).as_str()),
            ],
        ),
        NotAppliedReason::TooFewUnits { units, needed } => ui.t_with(
            "admin-promo-why-too-few-units",
            &[("units", d(units).as_str()), ("needed", d(needed).as_str())],
        ),
        NotAppliedReason::NotCombinable { with } => {
            let id = with.to_string();
            let name = names.get(with).map_or(id.as_str(), String::as_str);
            ui.t_with("admin-promo-why-not-combinable", &[("with", name)])
        }
        NotAppliedReason::NothingToDiscount => ui.t("admin-promo-why-nothing-to-discount"),
    }
}

/// Company `c`'s cart `v` in words, as priced at `at`.
pub(crate) fn priced_cart(
    ui: &Ui,
    c: &Company,
    market: &str,
    at: OffsetDateTime,
    v: &CartView,
) -> PricedCart {
    let money = |m: Option<mercato_core::Money>| {
        m.as_ref()
            .map(format_money)
            .unwrap_or_else(|| "—".to_string())
    };
    // Promotions are named by id when one blocks another.
    let mut names: BTreeMap<Uuid, String> = v
        .promotions
        .iter()
        .map(|a| (a.id, a.name.clone()))
        .collect();
    names.extend(v.not_applied.iter().map(|n| (n.id, n.name.clone())));
    let lines = v
        .lines
        .iter()
        .map(|l| PricedLine {
            sku: l.sku.clone(),
            name: l.name.clone(),
            quantity: format_quantity(l.quantity),
            unit_price: l
                .unit_price
                .map(|m| unit_price_text(m.amount(), m.currency()))
                .unwrap_or_else(|| "—".to_string()),
            list: l.price_list.as_ref().map(|r| (r.id, r.name.clone())),
            tier: l
                .tier
                .as_ref()
                .map(|t| {
                    ui.t_with(
                        "admin-prices-tier-from",
                        &[("quantity", format_quantity(t.min_quantity).as_str())],
                    )
                })
                .unwrap_or_default(),
            line_total: money(l.line_total),
            discount: if l.discount.amount().is_zero() {
                String::new()
            } else {
                format!("−{}", format_money(&l.discount))
            },
            total: money(l.total),
            problems: l
                .problems
                .iter()
                .map(|x| problem_text(ui, x.code, &x.message))
                .collect(),
        })
        .collect();
    PricedCart {
        company: c.name.clone(),
        market: market.to_string(),
        currency: v.currency.code().to_string(),
        when: utc_time(at),
        lines,
        applied: v
            .promotions
            .iter()
            .map(|a| (a.name.clone(), format!("−{}", format_money(&a.discount))))
            .collect(),
        not_applied: v
            .not_applied
            .iter()
            .map(|n| (n.name.clone(), not_applied_text(ui, n, &names)))
            .collect(),
        subtotal: format_money(&v.subtotal),
        discount: format!("−{}", format_money(&v.discount)),
        has_discount: !v.discount.amount().is_zero(),
        free_shipping: v.free_shipping,
        tax: v.tax.as_ref().map(|t| TaxView {
            entry: match t.price_entry {
                mercato_core::tax::PriceEntry::Net => ui.t("admin-prices-entry-net"),
                mercato_core::tax::PriceEntry::Gross => ui.t("admin-prices-entry-gross"),
            },
            rates: t
                .by_rate
                .iter()
                .map(|r| {
                    (
                        format!("{} %", (r.rate * Decimal::ONE_HUNDRED).normalize()),
                        format_money(&r.net),
                        format_money(&r.tax),
                    )
                })
                .collect(),
            net: format_money(&t.net),
            tax: format_money(&t.tax),
            gross: format_money(&t.gross),
            reverse_charge: t.reverse_charge,
        }),
        total: format_money(&v.total),
    }
}

// ---------------------------------------------------------------------------
// The price explainer

/// The explainer's question, as the query string carries it.
#[derive(Deserialize, Default, Clone)]
struct ExplainQuery {
    /// A company's id or name.
    #[serde(default)]
    company: String,
    #[serde(default)]
    sku: String,
    #[serde(default)]
    quantity: String,
    /// Empty: the company's own market.
    #[serde(default)]
    market: String,
    /// Empty: now (UTC).
    #[serde(default)]
    at: String,
}

/// A candidate list in words: how it fared against the winner.
struct CandidateRow {
    list_id: Uuid,
    name: String,
    audience: String,
    unit_price: String,
    won: bool,
    why: String,
}

/// The explainer's answer for one SKU.
struct Explanation {
    sku: String,
    quantity: String,
    /// `(id, name)` of the winning list; `None`: no list prices it.
    winner: Option<(Uuid, String)>,
    tier: String,
    unit_price: String,
    line_total: String,
    candidates: Vec<CandidateRow>,
}

#[derive(Template)]
#[template(path = "price_explain.html")]
struct ExplainPage {
    ui: Ui,
    staff: StaffBar,
    csrf_token: String,
    q: ExplainQuery,
    /// The chosen company in words ("甲公司 · cn"), once found.
    company: Option<String>,
    markets: Vec<(String, String, bool)>,
    companies: Vec<String>,
    errors: Vec<String>,
    answer: Option<Explanation>,
    /// The same line as the company's cart: promotions and tax.
    cart: Option<PricedCart>,
}

/// Why a candidate lost, in words; `than` names the list that beat it.
fn lost_text(ui: &Ui, lost: &Lost, names: &BTreeMap<Uuid, String>) -> String {
    let name = |id: &Uuid| names.get(id).cloned().unwrap_or_else(|| id.to_string());
    match lost {
        Lost::NotForThisBuyer => ui.t("admin-price-lost-not-for-this-buyer"),
        Lost::OtherMarket => ui.t("admin-price-lost-other-market"),
        Lost::OtherCurrency => ui.t("admin-price-lost-other-currency"),
        Lost::NotYetValid => ui.t("admin-price-lost-not-yet-valid"),
        Lost::Expired => ui.t("admin-price-lost-expired"),
        Lost::QuantityBelowFirstTier { min_quantity } => ui.t_with(
            "admin-price-lost-below-first-tier",
            &[("quantity", format_quantity(*min_quantity).as_str())],
        ),
        Lost::LessSpecific { than } => ui.t_with(
            "admin-price-lost-less-specific",
            &[("than", name(than).as_str())],
        ),
        Lost::LowerPriority { than } => ui.t_with(
            "admin-price-lost-lower-priority",
            &[("than", name(than).as_str())],
        ),
        Lost::HigherPrice { than } => ui.t_with(
            "admin-price-lost-higher-price",
            &[("than", name(than).as_str())],
        ),
        Lost::TieBroken { than } => ui.t_with(
            "admin-price-lost-tie-broken",
            &[("than", name(than).as_str())],
        ),
    }
}

async fn explain_page(
    State(s): State<AppState>,
    Staff(p, csrf, _): Staff<Prices>,
    ui: Ui,
    Query(q): Query<ExplainQuery>,
) -> Response {
    let mut errors = Vec::new();
    let mut company = None;
    if !q.company.trim().is_empty() {
        match find_company(&s, &p, &ui, &q.company).await {
            Err(r) => return r,
            Ok(Ok(c)) => company = Some(c),
            Ok(Err(why)) => errors.push(why),
        }
    }
    let asked = !q.sku.trim().is_empty();
    let mut answer = None;
    let mut cart = None;
    if asked {
        let quantity = match q.quantity.trim() {
            "" => Some(Decimal::ONE),
            raw => parse_number(raw),
        };
        if quantity.is_none() {
            errors.push(ui.t_with(
                "admin-prices-bad-explain-quantity",
                &[("value", q.quantity.trim())],
            ));
        }
        let at = parse_moment(&q.at).unwrap_or_else(|()| {
            errors.push(ui.t_with("admin-prices-bad-moment", &[("value", q.at.trim())]));
            None
        });
        if q.company.trim().is_empty() {
            errors.push(ui.t("admin-prices-company-required"));
        }
        if let (Some(c), Some(quantity), true) = (&company, quantity, errors.is_empty()) {
            match explain(&s, &ui, &p, c, q.sku.trim(), quantity, &q.market, at).await {
                Ok(Ok((x, c))) => {
                    answer = Some(x);
                    cart = Some(c);
                }
                Ok(Err(why)) => errors.extend(why),
                Err(r) => return r,
            }
        }
    }
    let selected = if q.market.is_empty() {
        company
            .as_ref()
            .map(|c| c.market_code.clone())
            .unwrap_or_default()
    } else {
        q.market.clone()
    };
    let markets = match all_markets(&s).await {
        Ok(all) => market_options(&ui, &all, &selected),
        Err(r) => return r,
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let t = ExplainPage {
        ui: ui.clone(),
        staff: StaffBar::of(&p),
        csrf_token: csrf,
        company: company.map(|c| format!("{} · {} · {}", c.name, c.market_code, c.currency)),
        q,
        markets,
        companies: company_suggestions(&s, &p).await,
        errors,
        answer,
        cart,
    };
    ui.page(&t, status)
}

/// The explainer's answer: the quote's resolution (winner, tier, every
/// candidate with its reason) and the same line as a cart (promotions,
/// tax), both from the app's pricing. `Ok(Err)`: what to tell staff.
#[allow(clippy::too_many_arguments)]
async fn explain(
    s: &AppState,
    ui: &Ui,
    p: &Principal,
    c: &Company,
    sku: &str,
    quantity: Decimal,
    market: &str,
    at: Option<OffsetDateTime>,
) -> Result<Result<(Explanation, PricedCart), Vec<String>>, Response> {
    let scenario = Scenario {
        market: Some(market.trim().to_string()).filter(|m| !m.is_empty()),
        at: Some(at.unwrap_or_else(OffsetDateTime::now_utc)),
    };
    let item = QuoteItem {
        sku: sku.to_string(),
        quantity,
    };
    let quote = match pricing::explain(&s.app, p, c.id, vec![item.clone()], &scenario).await {
        Ok(q) => q,
        Err(AppError::Invalid(fields)) => return Ok(Err(error_lines(ui, &fields))),
        Err(e) => return Err(Problem::from(e).into_response()),
    };
    let lang = page_lang(ui);
    let cart = match carts::preview(
        &s.app,
        p,
        c.id,
        vec![item],
        Vec::new(),
        &scenario,
        Some(&lang),
    )
    .await
    {
        Ok(v) => v,
        Err(AppError::Invalid(fields)) => return Ok(Err(error_lines(ui, &fields))),
        Err(e) => return Err(Problem::from(e).into_response()),
    };
    let Some(line) = quote.lines.first() else {
        return Err(
            Problem::from(AppError::Internal("a quote without its line".into())).into_response(),
        );
    };
    let names: BTreeMap<Uuid, String> = line
        .candidates
        .iter()
        .map(|c| (c.list_id, c.list_name.clone()))
        .collect();
    let currency = quote.currency;
    let candidates = line
        .candidates
        .iter()
        .map(|x| CandidateRow {
            list_id: x.list_id,
            name: x.list_name.clone(),
            audience: x.audience.clone(),
            unit_price: x
                .unit_price
                .map(|d| unit_price_text(d, currency))
                .unwrap_or_else(|| "—".to_string()),
            won: x.lost.is_none(),
            why: x
                .lost
                .as_ref()
                .map(|l| lost_text(ui, l, &names))
                .unwrap_or_else(|| ui.t("admin-price-won")),
        })
        .collect();
    let at = scenario.at.unwrap_or_else(OffsetDateTime::now_utc);
    let explanation = Explanation {
        sku: line.sku.clone(),
        quantity: format_quantity(line.quantity),
        winner: line.price_list.as_ref().map(|r| (r.id, r.name.clone())),
        tier: line
            .tier
            .as_ref()
            .map(|t| {
                format!(
                    "{} → {}",
                    ui.t_with(
                        "admin-prices-tier-from",
                        &[("quantity", format_quantity(t.min_quantity).as_str())],
                    ),
                    unit_price_text(t.unit_price, currency)
                )
            })
            .unwrap_or_default(),
        unit_price: line
            .unit_price
            .map(|m| unit_price_text(m.amount(), m.currency()))
            .unwrap_or_else(|| "—".to_string()),
        line_total: line
            .line_total
            .as_ref()
            .map(format_money)
            .unwrap_or_else(|| "—".to_string()),
        candidates,
    };
    Ok(Ok((
        explanation,
        priced_cart(ui, c, &quote.market, at, &cart),
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn staff_type_moments_in_utc() {
        assert_eq!(parse_moment(""), Ok(None));
        assert_eq!(
            parse_moment("2026-05-01"),
            Ok(Some(datetime!(2026-05-01 0:00 UTC)))
        );
        assert_eq!(
            parse_moment("2026-05-01T08:30"),
            Ok(Some(datetime!(2026-05-01 8:30 UTC)))
        );
        assert_eq!(
            parse_moment("2026-05-01 08:30:15"),
            Ok(Some(datetime!(2026-05-01 8:30:15 UTC)))
        );
        assert_eq!(parse_moment("May 1st"), Err(()));
        let t = datetime!(2026-05-01 8:30 UTC);
        assert_eq!(parse_moment(&moment_input(t)), Ok(Some(t)));
        let t = datetime!(2026-05-01 8:30:15 UTC);
        assert_eq!(parse_moment(&moment_input(t)), Ok(Some(t)));
    }

    #[test]
    fn numbers_take_no_separators() {
        assert_eq!(parse_number(" 1.25 "), Some(Decimal::new(125, 2)));
        assert_eq!(parse_number("-3"), Some(Decimal::from(-3)));
        for bad in ["1,5", "1_000", "", "abc", "1 000"] {
            assert_eq!(parse_number(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn unit_prices_show_what_the_list_says() {
        let cny = Currency::parse("CNY").unwrap_or_else(|_| unreachable!());
        let jpy = Currency::parse("JPY").unwrap_or_else(|_| unreachable!());
        assert_eq!(unit_price_text(Decimal::new(12, 1), cny), "CNY 1.20");
        assert_eq!(unit_price_text(Decimal::new(9525, 4), cny), "CNY 0.9525");
        assert_eq!(unit_price_text(Decimal::from(1200), jpy), "JPY 1200");
    }
}
