//! Back-office promotions: the list (name, coupon, validity, use against
//! limits, active), the new/edit form over everything
//! `app::promotions` takes (conditions, one action, stacking, limits,
//! validity), deleting, and the preview: a company and a few SKU ×
//! quantity lines priced as that company's cart (`app::carts::preview`,
//! the same pricing and promotion evaluation as its real cart). The form
//! only turns text into the use case's input; every rule about a
//! promotion is core's, checked by `app::promotions`.

use crate::AppState;
use crate::admin::{Prices, Staff, StaffBar, Ui, check_csrf, parse_number};
use crate::admin_pricing::{
    PricedCart, all_markets, company_suggestions, error_lines, find_company, market_options,
    moment_input, page_lang, parse_moment, priced_cart, validity_word, window_text,
};
use crate::extract::Client;
use crate::problem::Problem;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use mercato_app::AppError;
use mercato_app::auth::Principal;
use mercato_app::carts;
use mercato_app::pricing::{QuoteItem, Scenario};
use mercato_app::promotions::{self, PromotionInput, StoredPromotion};
use mercato_core::pricing::Validity;
use mercato_core::promotion::{Action, Condition, LineScope, PercentTier, Promotion, Stacking};
use rust_decimal::Decimal;
use serde::Deserialize;
use time::OffsetDateTime;
use uuid::Uuid;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/promotions", get(list_page).post(create))
        .route("/admin/promotions/new", get(new_page))
        .route("/admin/promotions/preview", get(preview_page))
        .route("/admin/promotions/{id}", get(edit_page).post(update))
        .route("/admin/promotions/{id}/delete", post(delete))
}

/// Lines the preview offers (more can be sent by URL, up to the cart's limit).
const PREVIEW_LINES: usize = 5;

// ---------------------------------------------------------------------------
// The list

/// A promotion as a row of the list.
struct Row {
    id: Uuid,
    name: String,
    coupon: String,
    window: String,
    state: String,
    state_code: &'static str,
    /// "3 of 100 · 1 per company"
    usage: String,
    priority: i32,
    exclusive: bool,
    active: bool,
    action: String,
}

#[derive(Template)]
#[template(path = "promotions.html")]
struct ListPage {
    ui: Ui,
    staff: StaffBar,
    csrf_token: String,
    rows: Vec<Row>,
    message: Option<String>,
}

#[derive(Deserialize, Default)]
struct Notice {
    /// `created`, `saved` or `deleted`.
    #[serde(default)]
    done: String,
}

async fn list_page(
    State(s): State<AppState>,
    Staff(p, csrf, _): Staff<Prices>,
    ui: Ui,
    Query(n): Query<Notice>,
) -> Response {
    let found = match promotions::list_with_usage(&s.app, &p).await {
        Ok(found) => found,
        Err(e) => return Problem::from(e).into_response(),
    };
    let now = OffsetDateTime::now_utc();
    let rows = found
        .iter()
        .map(|(meta, promo, used)| {
            let validity = Validity::of(promo.valid_from, promo.valid_to, now);
            let mut usage = match promo.usage_limit {
                Some(limit) => ui.t_with(
                    "admin-promo-used-of",
                    &[
                        ("used", used.to_string().as_str()),
                        ("limit", limit.to_string().as_str()),
                    ],
                ),
                None => ui.t_with("admin-promo-used", &[("used", used.to_string().as_str())]),
            };
            if let Some(per) = promo.per_company_limit {
                usage.push_str(" · ");
                usage.push_str(&ui.t_with(
                    "admin-promo-per-company",
                    &[("limit", per.to_string().as_str())],
                ));
            }
            Row {
                id: meta.id,
                name: promo.name.clone(),
                coupon: promo.coupon.clone().unwrap_or_default(),
                window: window_text(&ui, promo.valid_from, promo.valid_to),
                state: validity_word(&ui, validity),
                state_code: validity.code(),
                usage,
                priority: promo.priority,
                exclusive: promo.stacking == Stacking::Exclusive,
                active: meta.active,
                action: action_word(&ui, action_kind(&promo.action)),
            }
        })
        .collect();
    let message = match n.done.as_str() {
        "created" => Some(ui.t("admin-promo-created")),
        "saved" => Some(ui.t("admin-promo-saved")),
        "deleted" => Some(ui.t("admin-promo-deleted")),
        _ => None,
    };
    let t = ListPage {
        ui: ui.clone(),
        staff: StaffBar::of(&p),
        csrf_token: csrf,
        rows,
        message,
    };
    ui.page(&t, StatusCode::OK)
}

// ---------------------------------------------------------------------------
// Words for the kinds a form picks from

const CONDITION_KINDS: [&str; 4] = [
    "min_subtotal",
    "min_quantity",
    "customer_group",
    "first_order",
];
const ACTION_KINDS: [&str; 7] = [
    "percent_off_lines",
    "fixed_off_each_unit",
    "percent_off_order",
    "fixed_off_order",
    "tiered_percent",
    "buy_x_get_y",
    "free_shipping",
];
const SCOPE_KINDS: [&str; 4] = ["all", "skus", "categories", "brands"];

/// Spelled out key by key (not `ui.word`), so the locale test sees them.
fn condition_word(ui: &Ui, kind: &str) -> String {
    match kind {
        "min_subtotal" => ui.t("admin-promo-cond-min-subtotal"),
        "min_quantity" => ui.t("admin-promo-cond-min-quantity"),
        "customer_group" => ui.t("admin-promo-cond-customer-group"),
        "first_order" => ui.t("admin-promo-cond-first-order"),
        other => other.to_string(),
    }
}

fn action_word(ui: &Ui, kind: &str) -> String {
    match kind {
        "percent_off_lines" => ui.t("admin-promo-action-percent-off-lines"),
        "fixed_off_each_unit" => ui.t("admin-promo-action-fixed-off-each-unit"),
        "percent_off_order" => ui.t("admin-promo-action-percent-off-order"),
        "fixed_off_order" => ui.t("admin-promo-action-fixed-off-order"),
        "tiered_percent" => ui.t("admin-promo-action-tiered-percent"),
        "buy_x_get_y" => ui.t("admin-promo-action-buy-x-get-y"),
        "free_shipping" => ui.t("admin-promo-action-free-shipping"),
        other => other.to_string(),
    }
}

fn scope_word(ui: &Ui, kind: &str) -> String {
    match kind {
        "all" => ui.t("admin-promo-scope-all"),
        "skus" => ui.t("admin-promo-scope-skus"),
        "categories" => ui.t("admin-promo-scope-categories"),
        "brands" => ui.t("admin-promo-scope-brands"),
        other => other.to_string(),
    }
}

/// `(code, word, selected)`: one option of a select.
type Choice = (String, String, bool);

/// The options of a select.
fn options(
    kinds: &[&str],
    selected: &str,
    word: impl Fn(&str) -> String,
) -> Vec<(String, String, bool)> {
    kinds
        .iter()
        .map(|k| (k.to_string(), word(k), *k == selected))
        .collect()
}

fn action_kind(a: &Action) -> &'static str {
    match a {
        Action::PercentOffLines { .. } => "percent_off_lines",
        Action::FixedOffEachUnit { .. } => "fixed_off_each_unit",
        Action::PercentOffOrder { .. } => "percent_off_order",
        Action::FixedOffOrder { .. } => "fixed_off_order",
        Action::TieredPercent { .. } => "tiered_percent",
        Action::BuyXGetY { .. } => "buy_x_get_y",
        Action::FreeShipping => "free_shipping",
    }
}

// ---------------------------------------------------------------------------
// The form, as typed

/// One condition row as typed.
#[derive(Clone, Default)]
struct ConditionRow {
    /// Empty: no condition on this row.
    kind: String,
    /// The amount (minimum subtotal) or quantity (minimum quantity).
    value: String,
    scope: String,
    /// SKUs, categories or brands of the scope, or customer groups.
    codes: String,
}

/// A promotion form as typed (or as stored, for editing): text only, so a
/// refused form comes back exactly as it was sent.
#[derive(Clone, Default)]
struct PromoFields {
    name: String,
    currency: String,
    market: String,
    priority: String,
    /// `stackable` or `exclusive`.
    stacking: String,
    coupon_code: String,
    valid_from: String,
    valid_to: String,
    usage_limit: String,
    per_company_limit: String,
    active: bool,
    conditions: Vec<ConditionRow>,
    action: String,
    /// The percentage or amount of the action.
    action_value: String,
    action_scope: String,
    action_codes: String,
    buy: String,
    get: String,
    /// `(min quantity, percent)` of a tiered discount.
    tiers: Vec<(String, String)>,
}

/// The form as posted: repeated fields come in row order.
#[derive(Deserialize, Default)]
struct PromoForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    currency: String,
    #[serde(default)]
    market: String,
    #[serde(default)]
    priority: String,
    #[serde(default)]
    stacking: String,
    #[serde(default)]
    coupon_code: String,
    #[serde(default)]
    valid_from: String,
    #[serde(default)]
    valid_to: String,
    #[serde(default)]
    usage_limit: String,
    #[serde(default)]
    per_company_limit: String,
    /// `1` when ticked (an unticked box sends nothing).
    #[serde(default)]
    active: String,
    #[serde(default)]
    cond_kind: Vec<String>,
    #[serde(default)]
    cond_value: Vec<String>,
    #[serde(default)]
    cond_scope: Vec<String>,
    #[serde(default)]
    cond_codes: Vec<String>,
    #[serde(default)]
    action: String,
    #[serde(default)]
    action_value: String,
    #[serde(default)]
    action_scope: String,
    #[serde(default)]
    action_codes: String,
    #[serde(default)]
    buy: String,
    #[serde(default)]
    get: String,
    #[serde(default)]
    tier_min: Vec<String>,
    #[serde(default)]
    tier_percent: Vec<String>,
}

impl From<PromoForm> for PromoFields {
    fn from(f: PromoForm) -> Self {
        let at =
            |v: &[String], i: usize| v.get(i).map(|s| s.trim().to_string()).unwrap_or_default();
        // Empty rows are dropped, so conditions[i] and tiers[i] in a
        // refusal are the i-th filled row as shown again.
        let conditions = (0..f.cond_kind.len())
            .map(|i| ConditionRow {
                kind: at(&f.cond_kind, i),
                value: at(&f.cond_value, i),
                scope: at(&f.cond_scope, i),
                codes: at(&f.cond_codes, i),
            })
            .filter(|c| !c.kind.is_empty())
            .collect();
        let tiers = (0..f.tier_min.len().max(f.tier_percent.len()))
            .map(|i| (at(&f.tier_min, i), at(&f.tier_percent, i)))
            .filter(|(q, p)| !(q.is_empty() && p.is_empty()))
            .collect();
        PromoFields {
            name: f.name,
            currency: f.currency.trim().to_ascii_uppercase(),
            market: f.market.trim().to_string(),
            priority: f.priority.trim().to_string(),
            stacking: f.stacking,
            coupon_code: f.coupon_code.trim().to_string(),
            valid_from: f.valid_from.trim().to_string(),
            valid_to: f.valid_to.trim().to_string(),
            usage_limit: f.usage_limit.trim().to_string(),
            per_company_limit: f.per_company_limit.trim().to_string(),
            active: f.active == "1",
            conditions,
            action: f.action,
            action_value: f.action_value.trim().to_string(),
            action_scope: f.action_scope,
            action_codes: f.action_codes,
            buy: f.buy.trim().to_string(),
            get: f.get.trim().to_string(),
            tiers,
        }
    }
}

/// A scope as a kind and its codes, comma-separated.
fn scope_fields(s: &LineScope) -> (String, String) {
    let (kind, codes): (&str, &[String]) = match s {
        LineScope::All => ("all", &[]),
        LineScope::Skus(v) => ("skus", v),
        LineScope::Categories(v) => ("categories", v),
        LineScope::Brands(v) => ("brands", v),
    };
    (kind.to_string(), codes.join(", "))
}

fn number(d: &Decimal) -> String {
    d.normalize().to_string()
}

impl PromoFields {
    /// A new promotion's form: stackable, active, 10 % off every line.
    fn new_promotion() -> Self {
        PromoFields {
            priority: "0".into(),
            stacking: "stackable".into(),
            active: true,
            action: "percent_off_lines".into(),
            action_scope: "all".into(),
            ..PromoFields::default()
        }
    }

    /// A stored promotion as its edit form.
    fn of(meta: &StoredPromotion, p: &Promotion) -> Self {
        let mut f = PromoFields {
            name: p.name.clone(),
            currency: meta.currency.code().to_string(),
            market: meta.market.clone().unwrap_or_default(),
            priority: p.priority.to_string(),
            stacking: match p.stacking {
                Stacking::Stackable => "stackable".into(),
                Stacking::Exclusive => "exclusive".into(),
            },
            coupon_code: p.coupon.clone().unwrap_or_default(),
            valid_from: p.valid_from.map(moment_input).unwrap_or_default(),
            valid_to: p.valid_to.map(moment_input).unwrap_or_default(),
            usage_limit: p.usage_limit.map(|n| n.to_string()).unwrap_or_default(),
            per_company_limit: p
                .per_company_limit
                .map(|n| n.to_string())
                .unwrap_or_default(),
            active: meta.active,
            action: action_kind(&p.action).to_string(),
            action_scope: "all".into(),
            ..PromoFields::default()
        };
        f.conditions = p
            .conditions
            .iter()
            .map(|c| match c {
                Condition::MinSubtotal { amount } => ConditionRow {
                    kind: "min_subtotal".into(),
                    value: number(amount),
                    scope: "all".into(),
                    codes: String::new(),
                },
                Condition::MinQuantity { scope, quantity } => {
                    let (scope, codes) = scope_fields(scope);
                    ConditionRow {
                        kind: "min_quantity".into(),
                        value: number(quantity),
                        scope,
                        codes,
                    }
                }
                Condition::CustomerGroup { groups } => ConditionRow {
                    kind: "customer_group".into(),
                    value: String::new(),
                    scope: "all".into(),
                    codes: groups.join(", "),
                },
                Condition::FirstOrder => ConditionRow {
                    kind: "first_order".into(),
                    scope: "all".into(),
                    ..ConditionRow::default()
                },
            })
            .collect();
        let mut scoped = |s: &LineScope| {
            let (kind, codes) = scope_fields(s);
            f.action_scope = kind;
            f.action_codes = codes;
        };
        match &p.action {
            Action::PercentOffLines { scope, percent } => {
                scoped(scope);
                f.action_value = number(percent);
            }
            Action::FixedOffEachUnit { scope, amount } => {
                scoped(scope);
                f.action_value = number(amount);
            }
            Action::PercentOffOrder { percent } => f.action_value = number(percent),
            Action::FixedOffOrder { amount } => f.action_value = number(amount),
            Action::TieredPercent { scope, tiers } => {
                scoped(scope);
                f.tiers = tiers
                    .iter()
                    .map(|t| (number(&t.min_quantity), number(&t.percent)))
                    .collect();
            }
            Action::BuyXGetY { scope, buy, get } => {
                scoped(scope);
                f.buy = number(buy);
                f.get = number(get);
            }
            Action::FreeShipping => {}
        }
        f
    }

    /// The use case's input, or what in the typed text is not a number, a
    /// date or a choice. Whether the numbers make a valid promotion
    /// (ranges, decimals, tiers, coupon format…) is core's to say.
    fn input(&self, ui: &Ui) -> Result<PromotionInput, Vec<String>> {
        let mut errors = Vec::new();
        let e = &mut errors;
        let mut conditions = Vec::new();
        for (i, c) in self.conditions.iter().enumerate() {
            let label = ui.t_with(
                "admin-promo-condition-n",
                &[("n", (i + 1).to_string().as_str())],
            );
            match c.kind.as_str() {
                "min_subtotal" => conditions.push(Condition::MinSubtotal {
                    amount: dec(ui, e, &label, &c.value),
                }),
                "min_quantity" => conditions.push(Condition::MinQuantity {
                    scope: scope(ui, e, &label, &c.scope, &c.codes),
                    quantity: dec(ui, e, &label, &c.value),
                }),
                "customer_group" => conditions.push(Condition::CustomerGroup {
                    groups: codes(&c.codes),
                }),
                "first_order" => conditions.push(Condition::FirstOrder),
                other => e.push(ui.t_with("admin-promo-bad-kind", &[("value", other)])),
            }
        }
        let label = ui.t("admin-promo-action");
        let value = &self.action_value;
        let action = match self.action.as_str() {
            "percent_off_lines" => Some(Action::PercentOffLines {
                scope: scope(ui, e, &label, &self.action_scope, &self.action_codes),
                percent: dec(ui, e, &label, value),
            }),
            "fixed_off_each_unit" => Some(Action::FixedOffEachUnit {
                scope: scope(ui, e, &label, &self.action_scope, &self.action_codes),
                amount: dec(ui, e, &label, value),
            }),
            "percent_off_order" => Some(Action::PercentOffOrder {
                percent: dec(ui, e, &label, value),
            }),
            "fixed_off_order" => Some(Action::FixedOffOrder {
                amount: dec(ui, e, &label, value),
            }),
            "tiered_percent" => {
                let mut tiers = Vec::new();
                for (i, (q, p)) in self.tiers.iter().enumerate() {
                    let label =
                        ui.t_with("admin-promo-tier-n", &[("n", (i + 1).to_string().as_str())]);
                    tiers.push(PercentTier {
                        min_quantity: dec(ui, e, &label, q),
                        percent: dec(ui, e, &label, p),
                    });
                }
                Some(Action::TieredPercent {
                    scope: scope(ui, e, &label, &self.action_scope, &self.action_codes),
                    tiers,
                })
            }
            "buy_x_get_y" => Some(Action::BuyXGetY {
                scope: scope(ui, e, &label, &self.action_scope, &self.action_codes),
                buy: dec(ui, e, &ui.t("admin-promo-buy"), &self.buy),
                get: dec(ui, e, &ui.t("admin-promo-get"), &self.get),
            }),
            "free_shipping" => Some(Action::FreeShipping),
            other => {
                e.push(ui.t_with("admin-promo-bad-kind", &[("value", other)]));
                None
            }
        };
        let usage_limit = count(ui, e, &ui.t("admin-promo-usage-limit"), &self.usage_limit);
        let per_company_limit = count(
            ui,
            e,
            &ui.t("admin-promo-per-company-limit"),
            &self.per_company_limit,
        );
        let priority = match self.priority.as_str() {
            "" => None,
            raw => raw.parse::<i32>().map(Some).unwrap_or_else(|_| {
                e.push(ui.t_with("admin-prices-bad-priority", &[("value", raw)]));
                None
            }),
        };
        let valid_from = parse_moment(&self.valid_from).unwrap_or_else(|()| {
            e.push(ui.t_with(
                "admin-prices-bad-from",
                &[("value", self.valid_from.as_str())],
            ));
            None
        });
        let valid_to = parse_moment(&self.valid_to).unwrap_or_else(|()| {
            e.push(ui.t_with("admin-prices-bad-to", &[("value", self.valid_to.as_str())]));
            None
        });
        match (action, errors.is_empty()) {
            (Some(action), true) => Ok(PromotionInput {
                name: self.name.clone(),
                currency: self.currency.clone(),
                market: Some(self.market.clone()).filter(|m| !m.is_empty()),
                priority,
                stacking: if self.stacking == "exclusive" {
                    Stacking::Exclusive
                } else {
                    Stacking::Stackable
                },
                coupon_code: Some(self.coupon_code.clone()).filter(|c| !c.is_empty()),
                valid_from,
                valid_to,
                usage_limit,
                per_company_limit,
                conditions,
                action,
                active: Some(self.active),
            }),
            _ => Err(errors),
        }
    }
}

/// A number typed in field `label`, or 0 with the reason noted.
fn dec(ui: &Ui, errors: &mut Vec<String>, label: &str, raw: &str) -> Decimal {
    parse_number(raw).unwrap_or_else(|| {
        errors.push(ui.t_with(
            "admin-promo-bad-number",
            &[("field", label), ("value", raw)],
        ));
        Decimal::ZERO
    })
}

/// A limit typed in field `label` (a whole count; empty: none).
fn count(ui: &Ui, errors: &mut Vec<String>, label: &str, raw: &str) -> Option<u32> {
    match raw {
        "" => None,
        raw => raw.parse::<u32>().map(Some).unwrap_or_else(|_| {
            errors.push(ui.t_with("admin-promo-bad-count", &[("field", label), ("value", raw)]));
            None
        }),
    }
}

/// The lines a scope of field `label` covers: its kind and codes.
fn scope(ui: &Ui, errors: &mut Vec<String>, label: &str, kind: &str, typed: &str) -> LineScope {
    match kind {
        "" | "all" => LineScope::All,
        "skus" => LineScope::Skus(codes(typed)),
        "categories" => LineScope::Categories(codes(typed)),
        "brands" => LineScope::Brands(codes(typed)),
        other => {
            errors.push(ui.t_with(
                "admin-promo-bad-scope",
                &[("field", label), ("value", other)],
            ));
            LineScope::All
        }
    }
}

/// Codes typed in one field: separated by commas (Latin or Chinese),
/// semicolons or spaces.
fn codes(typed: &str) -> Vec<String> {
    typed
        .split([',', '，', ';', '、', ' ', '\n', '\t'])
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect()
}

/// A refused field as the form shows it: `conditions[0].amount` is
/// "Condition 1", `action.tiers[1].percent` is "Tier 2" (the rows as shown
/// again, empty ones dropped).
fn field_label(ui: &Ui, field: &str) -> String {
    let index = |rest: &str| -> Option<usize> {
        rest.split(']').next().and_then(|n| n.parse::<usize>().ok())
    };
    if let Some(rest) = field.strip_prefix("conditions[")
        && let Some(i) = index(rest)
    {
        return ui.t_with(
            "admin-promo-condition-n",
            &[("n", (i + 1).to_string().as_str())],
        );
    }
    if let Some(rest) = field.strip_prefix("action.tiers[")
        && let Some(i) = index(rest)
    {
        return ui.t_with("admin-promo-tier-n", &[("n", (i + 1).to_string().as_str())]);
    }
    match field {
        "name" => ui.t("admin-promo-name"),
        "currency" => ui.t("admin-prices-currency"),
        "market" => ui.t("admin-prices-market"),
        "coupon_code" => ui.t("admin-promo-coupon"),
        "valid_from" => ui.t("admin-prices-valid-from"),
        "valid_to" => ui.t("admin-prices-valid-to"),
        "usage_limit" => ui.t("admin-promo-usage-limit"),
        "per_company_limit" => ui.t("admin-promo-per-company-limit"),
        f if f.starts_with("action") => ui.t("admin-promo-action"),
        other => other.to_string(),
    }
}

// ---------------------------------------------------------------------------
// New and edit pages

#[derive(Template)]
#[template(path = "promotion.html")]
struct FormPage {
    ui: Ui,
    staff: StaffBar,
    csrf_token: String,
    /// `None`: a new promotion.
    id: Option<Uuid>,
    f: PromoFields,
    markets: Vec<(String, String, bool)>,
    /// Each condition row with its kind and scope choices.
    condition_rows: Vec<(ConditionRow, Vec<Choice>, Vec<Choice>)>,
    actions: Vec<(String, String, bool)>,
    action_scopes: Vec<(String, String, bool)>,
    tiers: Vec<(String, String)>,
    errors: Vec<String>,
}

#[allow(clippy::too_many_arguments)]
async fn form_page(
    s: &AppState,
    ui: &Ui,
    p: &Principal,
    csrf: String,
    id: Option<Uuid>,
    f: PromoFields,
    errors: Vec<String>,
    status: StatusCode,
) -> Response {
    let markets = match all_markets(s).await {
        Ok(all) => market_options(ui, &all, &f.market),
        Err(r) => return r,
    };
    // Filled rows, then two empty ones to add conditions or tiers.
    let mut rows = f.conditions.clone();
    rows.extend([ConditionRow::default(), ConditionRow::default()]);
    let condition_rows = rows
        .into_iter()
        .map(|c| {
            let kinds = options(&CONDITION_KINDS, &c.kind, |k| condition_word(ui, k));
            let scope = if c.scope.is_empty() {
                "all"
            } else {
                c.scope.as_str()
            };
            let scopes = options(&SCOPE_KINDS, scope, |k| scope_word(ui, k));
            (c, kinds, scopes)
        })
        .collect();
    let mut tiers = f.tiers.clone();
    let want = (tiers.len() + 2).max(3);
    tiers.resize(want, (String::new(), String::new()));
    let action_scope = if f.action_scope.is_empty() {
        "all"
    } else {
        f.action_scope.as_str()
    };
    let t = FormPage {
        ui: ui.clone(),
        staff: StaffBar::of(p),
        csrf_token: csrf,
        id,
        markets,
        condition_rows,
        actions: options(&ACTION_KINDS, &f.action, |k| action_word(ui, k)),
        action_scopes: options(&SCOPE_KINDS, action_scope, |k| scope_word(ui, k)),
        tiers,
        f,
        errors,
    };
    ui.page(&t, status)
}

async fn new_page(State(s): State<AppState>, Staff(p, csrf, _): Staff<Prices>, ui: Ui) -> Response {
    let f = PromoFields::new_promotion();
    form_page(&s, &ui, &p, csrf, None, f, Vec::new(), StatusCode::OK).await
}

fn promotion_id(raw: &str) -> Result<Uuid, Response> {
    raw.parse()
        .map_err(|_| Problem::from(AppError::NotFound("promotion")).into_response())
}

async fn edit_page(
    State(s): State<AppState>,
    Staff(p, csrf, _): Staff<Prices>,
    ui: Ui,
    Path(id): Path<String>,
) -> Response {
    let id = match promotion_id(&id) {
        Ok(id) => id,
        Err(r) => return r,
    };
    match promotions::get(&s.app, &p, id).await {
        Ok((meta, promo)) => {
            let f = PromoFields::of(&meta, &promo);
            form_page(&s, &ui, &p, csrf, Some(id), f, Vec::new(), StatusCode::OK).await
        }
        Err(e) => Problem::from(e).into_response(),
    }
}

/// Saves a new (`id` `None`) or changed promotion from its form, or shows
/// the form again as typed with every reason it was refused.
async fn save(
    s: &AppState,
    ui: Ui,
    p: &Principal,
    csrf: String,
    client: &mercato_app::auth::ClientInfo,
    id: Option<Uuid>,
    form: PromoForm,
) -> Response {
    if let Err(r) = check_csrf(&form.csrf_token, &csrf) {
        return r;
    }
    let f = PromoFields::from(form);
    let errors = match f.input(&ui) {
        Err(errors) => errors,
        Ok(input) => {
            let saved = match id {
                None => promotions::create(&s.app, Some(p), input, client).await,
                Some(id) => promotions::update(&s.app, Some(p), id, input, client).await,
            };
            match saved {
                Ok(_) => {
                    let done = if id.is_some() { "saved" } else { "created" };
                    return Redirect::to(&format!("/admin/promotions?done={done}")).into_response();
                }
                Err(AppError::Invalid(fields)) => fields
                    .iter()
                    .map(|x| format!("{}: {}", field_label(&ui, &x.field), ui.field_error(x)))
                    .collect(),
                Err(e) => return Problem::from(e).into_response(),
            }
        }
    };
    let ui = ui.at(match id {
        Some(id) => format!("/admin/promotions/{id}"),
        None => "/admin/promotions/new".to_string(),
    });
    form_page(
        s,
        &ui,
        p,
        csrf,
        id,
        f,
        errors,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

async fn create(
    State(s): State<AppState>,
    Staff(p, csrf, _): Staff<Prices>,
    ui: Ui,
    Client(client): Client,
    Form(form): Form<PromoForm>,
) -> Response {
    save(&s, ui, &p, csrf, &client, None, form).await
}

async fn update(
    State(s): State<AppState>,
    Staff(p, csrf, _): Staff<Prices>,
    ui: Ui,
    Client(client): Client,
    Path(id): Path<String>,
    Form(form): Form<PromoForm>,
) -> Response {
    match promotion_id(&id) {
        Ok(id) => save(&s, ui, &p, csrf, &client, Some(id), form).await,
        Err(r) => r,
    }
}

async fn delete(
    State(s): State<AppState>,
    Staff(p, csrf, _): Staff<Prices>,
    ui: Ui,
    Client(client): Client,
    Path(id): Path<String>,
    Form(f): Form<crate::extract::CsrfForm>,
) -> Response {
    if let Err(r) = check_csrf(&f.csrf_token, &csrf) {
        return r;
    }
    let id = match promotion_id(&id) {
        Ok(id) => id,
        Err(r) => return r,
    };
    match promotions::delete(&s.app, Some(&p), id, &client).await {
        Ok(()) => Redirect::to("/admin/promotions?done=deleted").into_response(),
        // Orders used it: keep it, and say to deactivate it instead.
        Err(AppError::Conflict { .. }) => match promotions::get(&s.app, &p, id).await {
            Ok((meta, promo)) => {
                let ui = ui.at(format!("/admin/promotions/{id}"));
                let f = PromoFields::of(&meta, &promo);
                let errors = vec![ui.t("admin-promo-in-use")];
                form_page(&s, &ui, &p, csrf, Some(id), f, errors, StatusCode::CONFLICT).await
            }
            Err(e) => Problem::from(e).into_response(),
        },
        Err(e) => Problem::from(e).into_response(),
    }
}

// ---------------------------------------------------------------------------
// The preview

#[derive(Template)]
#[template(path = "promotion_preview.html")]
struct PreviewPage {
    ui: Ui,
    staff: StaffBar,
    csrf_token: String,
    company: String,
    chosen: Option<String>,
    markets: Vec<(String, String, bool)>,
    at: String,
    coupons: String,
    /// `(sku, quantity)` rows as typed, then empty ones.
    lines: Vec<(String, String)>,
    companies: Vec<String>,
    errors: Vec<String>,
    cart: Option<PricedCart>,
}

async fn preview_page(
    State(s): State<AppState>,
    Staff(p, csrf, _): Staff<Prices>,
    ui: Ui,
    Query(q): Query<Vec<(String, String)>>,
) -> Response {
    let one = |name: &str| {
        q.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    };
    let all = |name: &str| -> Vec<String> {
        q.iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_string())
            .collect()
    };
    let (company_typed, market, at_typed, coupons) =
        (one("company"), one("market"), one("at"), one("coupons"));
    let (skus, quantities) = (all("sku"), all("quantity"));
    let typed: Vec<(String, String)> = skus
        .iter()
        .enumerate()
        .map(|(i, sku)| (sku.clone(), quantities.get(i).cloned().unwrap_or_default()))
        .filter(|(s, q)| !(s.is_empty() && q.is_empty()))
        .collect();
    let mut errors = Vec::new();
    let mut company = None;
    if !company_typed.is_empty() {
        match find_company(&s, &p, &ui, &company_typed).await {
            Err(r) => return r,
            Ok(Ok(c)) => company = Some(c),
            Ok(Err(why)) => errors.push(why),
        }
    }
    let mut items = Vec::new();
    for (i, (sku, quantity)) in typed.iter().enumerate() {
        let row = (i + 1).to_string();
        let quantity = match quantity.as_str() {
            "" => Some(Decimal::ONE),
            raw => parse_number(raw),
        };
        match (sku.is_empty(), quantity) {
            (true, _) => {
                errors.push(ui.t_with("admin-promo-preview-sku-missing", &[("row", row.as_str())]))
            }
            (false, None) => {
                errors.push(ui.t_with("admin-promo-preview-bad-quantity", &[("row", row.as_str())]))
            }
            (false, Some(quantity)) => items.push(QuoteItem {
                sku: sku.clone(),
                quantity,
            }),
        }
    }
    let at = parse_moment(&at_typed).unwrap_or_else(|()| {
        errors.push(ui.t_with("admin-prices-bad-moment", &[("value", at_typed.as_str())]));
        None
    });
    let mut cart = None;
    if !items.is_empty() && company.is_none() && company_typed.is_empty() {
        errors.push(ui.t("admin-prices-company-required"));
    }
    if let (Some(c), false, true) = (&company, items.is_empty(), errors.is_empty()) {
        let at = at.unwrap_or_else(OffsetDateTime::now_utc);
        let scenario = Scenario {
            market: Some(market.clone()).filter(|m| !m.is_empty()),
            at: Some(at),
        };
        let lang = page_lang(&ui);
        let coupons = coupons
            .split([',', ' ', '，'])
            .map(str::to_string)
            .collect();
        match carts::preview(&s.app, &p, c.id, items, coupons, &scenario, Some(&lang)).await {
            Ok(v) => {
                let market = scenario
                    .market
                    .clone()
                    .unwrap_or_else(|| c.market_code.clone());
                cart = Some(priced_cart(&ui, c, &market, at, &v));
            }
            Err(AppError::Invalid(fields)) => errors.extend(error_lines(&ui, &fields)),
            Err(e) => return Problem::from(e).into_response(),
        }
    }
    let selected = if market.is_empty() {
        company
            .as_ref()
            .map(|c| c.market_code.clone())
            .unwrap_or_default()
    } else {
        market.clone()
    };
    let markets = match all_markets(&s).await {
        Ok(all) => market_options(&ui, &all, &selected),
        Err(r) => return r,
    };
    let mut lines = typed;
    let want = (lines.len() + 1).max(PREVIEW_LINES);
    lines.resize(want, (String::new(), String::new()));
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let t = PreviewPage {
        ui: ui.clone(),
        staff: StaffBar::of(&p),
        csrf_token: csrf,
        chosen: company.map(|c| format!("{} · {} · {}", c.name, c.market_code, c.currency)),
        company: company_typed,
        markets,
        at: at_typed,
        coupons: one("coupons"),
        lines,
        companies: company_suggestions(&s, &p).await,
        errors,
        cart,
    };
    ui.page(&t, status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_split_on_any_separator() {
        assert_eq!(
            codes("HB-M8X20, HB-M8X30；x"),
            vec!["HB-M8X20", "HB-M8X30；x"]
        );
        assert_eq!(codes("a，b、c;d e"), vec!["a", "b", "c", "d", "e"]);
        assert!(codes(" , ").is_empty());
    }
}
