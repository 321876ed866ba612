//! Promotions (FEATURES.md P5): cart rules and coupons. Staff enter a
//! [`Promotion`] (conditions and one action, stored as JSON); [`apply`] is
//! the one pure evaluation that says what every promotion took off which
//! line and why each of the others did not apply; [`check_coupon`] says why
//! a code a buyer typed is refused.
//!
//! # Rules
//!
//! 1. **Order.** Promotions are considered by priority (higher first), then
//!    by id (lower first), so the outcome never depends on load order.
//! 2. **Eligibility**, checked in this order, the first failure being the
//!    reason reported: the definition passes [`Promotion::validate`] for the
//!    cart's currency; its coupon (if any) is among the cart's codes,
//!    compared case-insensitively; the cart's time is inside
//!    `[valid_from, valid_to)`; fewer than `usage_limit` orders used it;
//!    fewer than `per_company_limit` of this company's orders used it; every
//!    condition holds, checked in the order entered.
//! 3. **Conditions look at the cart as the buyer filled it**, before any
//!    promotion, so whether a threshold is met never depends on which other
//!    promotions ran first. Actions work on what is left.
//! 4. **Sequential.** Each promotion discounts what the ones before it left
//!    of each line; nothing is ever discounted from the original price
//!    twice.
//! 5. **Exclusivity.** An exclusive promotion applies only if nothing
//!    applied before it, and once it applied every later promotion is
//!    skipped ([`NotAppliedReason::NotCombinable`]). Priority decides, not
//!    the size of the discount. A promotion that was eligible but discounted
//!    nothing did not apply and blocks nothing.
//! 6. **Money.** Discounts are computed in exact decimals. Line actions are
//!    rounded per line to the currency's minor unit (half to even, the
//!    crate's default [`Rounding`]), so JPY has 0 decimals and KWD 3.
//!    Order actions are computed on the order's remaining total, rounded
//!    once, and shared over the lines with [`allocate`] in proportion to
//!    what is left of each line, so the lines add up to the promotion's
//!    discount to the minor unit. No line ever goes below zero: a discount
//!    that would is cut, and [`AppliedPromotion::capped`] says so.
//! 7. **Edge cases.** A line whose total is in another currency than the
//!    cart's is never discounted and does not count towards a minimum
//!    subtotal. Negative totals and quantities count as zero. Buy X get Y
//!    counts whole units only, so 2.5 m of cable is 2 units, and takes the
//!    free units from the lines with the least left per unit (the earlier
//!    line on a tie). A tiered discount's tier is chosen from the summed
//!    quantity of the lines in scope.
//!
//! Amounts in conditions and actions are in the cart's currency: the store
//! loads, for a cart, the promotions of the cart's market.

use crate::money::{Currency, Money, Rounding, STORAGE_SCALE, allocate};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

/// How discounts are rounded to the minor unit: [`Rounding::HalfEven`], the
/// crate's default, which does not drift over many lines.
pub const DISCOUNT_ROUNDING: Rounding = Rounding::HalfEven;

/// [`DISCOUNT_ROUNDING`] as `rust_decimal` spells it.
const ROUNDING_STRATEGY: RoundingStrategy = RoundingStrategy::MidpointNearestEven;

/// Whether a promotion combines with others.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stacking {
    /// Applies together with every other stackable promotion.
    Stackable,
    /// Applies alone: only if nothing applied before it, and nothing after.
    Exclusive,
}

/// Which cart lines an action or condition looks at. Codes are compared
/// exactly as the catalog writes them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum LineScope {
    /// Every line.
    All,
    /// Lines of these SKUs.
    Skus(Vec<String>),
    /// Lines with any of these category codes. Lines carry their whole
    /// category path, so a parent category covers its children.
    Categories(Vec<String>),
    /// Lines of these brands.
    Brands(Vec<String>),
}

impl LineScope {
    /// Whether `line` is in scope.
    pub fn matches(&self, line: &CartLine) -> bool {
        match self {
            LineScope::All => true,
            LineScope::Skus(skus) => skus.contains(&line.sku),
            LineScope::Categories(cats) => line.categories.iter().any(|c| cats.contains(c)),
            LineScope::Brands(brands) => line
                .brand
                .as_ref()
                .is_some_and(|b| brands.iter().any(|x| x.eq_ignore_ascii_case(b))),
        }
    }
}

/// What must hold for a promotion to apply.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Condition {
    /// The cart's subtotal (before promotions) is at least `amount`.
    MinSubtotal {
        #[serde(with = "rust_decimal::serde::str")]
        amount: Decimal,
    },
    /// The lines in `scope` add up to at least `quantity` units.
    MinQuantity {
        scope: LineScope,
        #[serde(with = "rust_decimal::serde::str")]
        quantity: Decimal,
    },
    /// The buyer's customer group is one of `groups`.
    CustomerGroup { groups: Vec<String> },
    /// The buyer's company has never ordered before.
    FirstOrder,
}

/// One step of a tiered discount: from `min_quantity` units on, `percent`
/// off.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PercentTier {
    #[serde(with = "rust_decimal::serde::str")]
    pub min_quantity: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub percent: Decimal,
}

/// What a promotion gives. Percentages are of 100 (`10` is 10 %).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Action {
    /// `percent` off each line in scope, rounded per line.
    PercentOffLines {
        scope: LineScope,
        #[serde(with = "rust_decimal::serde::str")]
        percent: Decimal,
    },
    /// `amount` off every unit of the lines in scope, never taking a line
    /// below zero.
    FixedOffEachUnit {
        scope: LineScope,
        #[serde(with = "rust_decimal::serde::str")]
        amount: Decimal,
    },
    /// `percent` off the order, rounded once and shared over the lines.
    PercentOffOrder {
        #[serde(with = "rust_decimal::serde::str")]
        percent: Decimal,
    },
    /// `amount` off the order (at most its remaining total), shared over
    /// the lines in proportion to what is left of each.
    FixedOffOrder {
        #[serde(with = "rust_decimal::serde::str")]
        amount: Decimal,
    },
    /// A percentage off the lines in scope chosen by their summed quantity:
    /// the tier with the highest `min_quantity` not above it.
    TieredPercent {
        scope: LineScope,
        tiers: Vec<PercentTier>,
    },
    /// For every `buy + get` units of the lines in scope, the `get` cheapest
    /// units are free.
    BuyXGetY {
        scope: LineScope,
        #[serde(with = "rust_decimal::serde::str")]
        buy: Decimal,
        #[serde(with = "rust_decimal::serde::str")]
        get: Decimal,
    },
    /// Shipping costs nothing; the lines are not discounted.
    FreeShipping,
}

/// A cart rule, as staff enter it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Promotion {
    pub id: Uuid,
    pub name: String,
    /// Higher is considered first.
    pub priority: i32,
    pub stacking: Stacking,
    /// When set, the promotion applies only to carts carrying this code
    /// (compared case-insensitively).
    #[serde(default)]
    pub coupon: Option<String>,
    /// Inclusive.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub valid_from: Option<OffsetDateTime>,
    /// Exclusive: the first moment the promotion no longer applies.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub valid_to: Option<OffsetDateTime>,
    /// Orders that may use it, across all buyers.
    #[serde(default)]
    pub usage_limit: Option<u32>,
    /// Orders each company may use it for.
    #[serde(default)]
    pub per_company_limit: Option<u32>,
    #[serde(default)]
    pub conditions: Vec<Condition>,
    pub action: Action,
}

/// Where in a promotion a problem is, written as forms and problem
/// responses name fields (`conditions[1].amount`, `action.tiers[0].percent`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// A top-level field (`usage_limit`).
    Promotion(&'static str),
    /// A field of `conditions[index]`.
    Condition { index: usize, field: &'static str },
    /// A field of the action (`action.percent`).
    Action(&'static str),
    /// A field of `action.tiers[index]`.
    Tier { index: usize, field: &'static str },
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Field::Promotion(name) => f.write_str(name),
            Field::Condition { index, field } => write!(f, "conditions[{index}].{field}"),
            Field::Action(name) => write!(f, "action.{name}"),
            Field::Tier { index, field } => write!(f, "action.tiers[{index}].{field}"),
        }
    }
}

/// Why a promotion was refused. Said when it is entered, never at checkout.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PromotionError {
    #[error("name: give the promotion a name")]
    BlankName,
    #[error("coupon: {0:?} is not a coupon code; use 1 to 40 letters, digits, '-' or '_'")]
    CouponCode(String),
    #[error("valid_to: the promotion ends ({}) before or when it starts ({})", when(.to), when(.from))]
    EmptyWindow {
        from: OffsetDateTime,
        to: OffsetDateTime,
    },
    #[error("{0}: a limit must be at least 1; leave it out for no limit")]
    ZeroLimit(Field),
    #[error("{field}: a percentage must be above 0 and at most 100, not {value}")]
    Percent { field: Field, value: Decimal },
    #[error("{field}: amount must be positive, not {value}")]
    NonPositiveAmount { field: Field, value: Decimal },
    #[error("{field}: amount {value} has more than {STORAGE_SCALE} decimals")]
    TooPrecise { field: Field, value: Decimal },
    #[error(
        "{field}: an order discount of {value} is not a whole number of {currency} minor units"
    )]
    NotWholeMinorUnits {
        field: Field,
        value: Decimal,
        currency: Currency,
    },
    #[error("{field}: quantity must be positive, not {value}")]
    NonPositiveQuantity { field: Field, value: Decimal },
    #[error("{0}: list at least one code")]
    EmptyList(Field),
    #[error("{0}: codes must not be blank")]
    BlankCode(Field),
    #[error("{0}: give at least one tier")]
    NoTiers(Field),
    #[error("{field}: two tiers start at quantity {quantity}; tiers must not overlap")]
    TierOverlap { field: Field, quantity: Decimal },
    #[error(
        "{field}: tier from {quantity} comes after the tier from {previous}; list tiers by increasing quantity"
    )]
    TiersOutOfOrder {
        field: Field,
        quantity: Decimal,
        previous: Decimal,
    },
    #[error(
        "{field}: the tier from {quantity} gives {percent} %, not more than {previous} % for fewer units; more quantity must give more off"
    )]
    TierPercentNotRising {
        field: Field,
        quantity: Decimal,
        percent: Decimal,
        previous: Decimal,
    },
    #[error("{field}: must be a whole number of units above zero, not {value}")]
    NotAWholeCount { field: Field, value: Decimal },
}

fn when(t: &OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_else(|_| t.to_string())
}

/// Whether `code` could be a coupon code: 1 to 40 of `[A-Za-z0-9_-]`.
pub fn is_coupon_code(code: &str) -> bool {
    (1..=40).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn check_percent(field: Field, value: Decimal, errs: &mut Vec<PromotionError>) {
    if value <= Decimal::ZERO || value > Decimal::ONE_HUNDRED {
        errs.push(PromotionError::Percent { field, value });
    }
}

fn check_amount(field: Field, value: Decimal, errs: &mut Vec<PromotionError>) {
    if value <= Decimal::ZERO {
        errs.push(PromotionError::NonPositiveAmount { field, value });
    } else if value.normalize().scale() > STORAGE_SCALE {
        errs.push(PromotionError::TooPrecise { field, value });
    }
}

fn check_codes(field: Field, codes: &[String], errs: &mut Vec<PromotionError>) {
    if codes.is_empty() {
        errs.push(PromotionError::EmptyList(field));
    } else if codes.iter().any(|c| c.trim().is_empty()) {
        errs.push(PromotionError::BlankCode(field));
    }
}

fn check_scope(field: Field, scope: &LineScope, errs: &mut Vec<PromotionError>) {
    match scope {
        LineScope::All => {}
        LineScope::Skus(v) | LineScope::Categories(v) | LineScope::Brands(v) => {
            check_codes(field, v, errs)
        }
    }
}

fn check_count(field: Field, value: Decimal, errs: &mut Vec<PromotionError>) {
    if value <= Decimal::ZERO || !value.fract().is_zero() {
        errs.push(PromotionError::NotAWholeCount { field, value });
    }
}

fn check_tiers(tiers: &[PercentTier], errs: &mut Vec<PromotionError>) {
    if tiers.is_empty() {
        errs.push(PromotionError::NoTiers(Field::Action("tiers")));
        return;
    }
    for (index, t) in tiers.iter().enumerate() {
        if t.min_quantity <= Decimal::ZERO {
            errs.push(PromotionError::NonPositiveQuantity {
                field: Field::Tier {
                    index,
                    field: "min_quantity",
                },
                value: t.min_quantity,
            });
        }
        check_percent(
            Field::Tier {
                index,
                field: "percent",
            },
            t.percent,
            errs,
        );
    }
    for (i, w) in tiers.windows(2).enumerate() {
        let index = i + 1;
        let (prev, cur) = (&w[0], &w[1]);
        if cur.min_quantity == prev.min_quantity {
            errs.push(PromotionError::TierOverlap {
                field: Field::Tier {
                    index,
                    field: "min_quantity",
                },
                quantity: cur.min_quantity,
            });
        } else if cur.min_quantity < prev.min_quantity {
            errs.push(PromotionError::TiersOutOfOrder {
                field: Field::Tier {
                    index,
                    field: "min_quantity",
                },
                quantity: cur.min_quantity,
                previous: prev.min_quantity,
            });
        } else if cur.percent <= prev.percent {
            errs.push(PromotionError::TierPercentNotRising {
                field: Field::Tier {
                    index,
                    field: "percent",
                },
                quantity: cur.min_quantity,
                percent: cur.percent,
                previous: prev.percent,
            });
        }
    }
}

impl Promotion {
    /// Checks the promotion for a market trading in `currency`, naming
    /// every problem at once so a form can show them all.
    pub fn validate(&self, currency: Currency) -> Result<(), Vec<PromotionError>> {
        let mut errs = Vec::new();
        if self.name.trim().is_empty() {
            errs.push(PromotionError::BlankName);
        }
        if let Some(code) = &self.coupon
            && !is_coupon_code(code)
        {
            errs.push(PromotionError::CouponCode(code.clone()));
        }
        if let (Some(from), Some(to)) = (self.valid_from, self.valid_to)
            && to <= from
        {
            errs.push(PromotionError::EmptyWindow { from, to });
        }
        if self.usage_limit == Some(0) {
            errs.push(PromotionError::ZeroLimit(Field::Promotion("usage_limit")));
        }
        if self.per_company_limit == Some(0) {
            errs.push(PromotionError::ZeroLimit(Field::Promotion(
                "per_company_limit",
            )));
        }
        for (index, c) in self.conditions.iter().enumerate() {
            let at = |field| Field::Condition { index, field };
            match c {
                Condition::MinSubtotal { amount } => check_amount(at("amount"), *amount, &mut errs),
                Condition::MinQuantity { scope, quantity } => {
                    check_scope(at("scope"), scope, &mut errs);
                    if *quantity <= Decimal::ZERO {
                        errs.push(PromotionError::NonPositiveQuantity {
                            field: at("quantity"),
                            value: *quantity,
                        });
                    }
                }
                Condition::CustomerGroup { groups } => check_codes(at("groups"), groups, &mut errs),
                Condition::FirstOrder => {}
            }
        }
        let at = Field::Action;
        match &self.action {
            Action::PercentOffLines { scope, percent } => {
                check_scope(at("scope"), scope, &mut errs);
                check_percent(at("percent"), *percent, &mut errs);
            }
            Action::FixedOffEachUnit { scope, amount } => {
                check_scope(at("scope"), scope, &mut errs);
                check_amount(at("amount"), *amount, &mut errs);
            }
            Action::PercentOffOrder { percent } => {
                check_percent(at("percent"), *percent, &mut errs)
            }
            Action::FixedOffOrder { amount } => {
                let before = errs.len();
                check_amount(at("amount"), *amount, &mut errs);
                // An order discount is what the buyer sees off the total, so
                // it must be payable: 0.005 EUR off cannot be shown or paid.
                if errs.len() == before && amount.normalize().scale() > currency.exponent() {
                    errs.push(PromotionError::NotWholeMinorUnits {
                        field: at("amount"),
                        value: *amount,
                        currency,
                    });
                }
            }
            Action::TieredPercent { scope, tiers } => {
                check_scope(at("scope"), scope, &mut errs);
                check_tiers(tiers, &mut errs);
            }
            Action::BuyXGetY { scope, buy, get } => {
                check_scope(at("scope"), scope, &mut errs);
                check_count(at("buy"), *buy, &mut errs);
                check_count(at("get"), *get, &mut errs);
            }
            Action::FreeShipping => {}
        }
        if errs.is_empty() { Ok(()) } else { Err(errs) }
    }

    /// Whether the promotion is unlocked by `code` (case-insensitive,
    /// surrounding blanks ignored).
    pub fn matches_coupon(&self, code: &str) -> bool {
        self.coupon
            .as_deref()
            .is_some_and(|c| c.eq_ignore_ascii_case(code.trim()))
    }
}

/// One line of the cart being discounted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CartLine {
    pub sku: String,
    /// The line's category codes, ancestors included.
    pub categories: Vec<String>,
    pub brand: Option<String>,
    pub quantity: Decimal,
    /// The price the line was priced at. Evaluation works from
    /// `line_total` (what the buyer pays for the line, rounded), so that
    /// discounts and totals agree to the minor unit.
    pub unit_price: Money,
    /// What the line costs before promotions, in whole minor units.
    pub line_total: Money,
}

/// How often a promotion was used by orders already placed (not counting
/// this cart).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    /// By every buyer.
    pub total: u32,
    /// By the buyer's company.
    pub by_company: u32,
}

/// Everything the evaluation looks at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CartContext {
    pub currency: Currency,
    pub lines: Vec<CartLine>,
    pub customer_group: Option<String>,
    /// The company has no order yet.
    pub first_order: bool,
    /// Codes the buyer entered, as typed.
    pub coupons: Vec<String>,
    pub at: OffsetDateTime,
    /// Past use per promotion; a missing entry means never used.
    pub usage: BTreeMap<Uuid, Usage>,
}

/// Which condition failed, with the figures to show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ConditionFailure {
    SubtotalBelow { subtotal: Money, minimum: Decimal },
    QuantityBelow { quantity: Decimal, minimum: Decimal },
    NotInCustomerGroup,
    NotFirstOrder,
}

impl fmt::Display for ConditionFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConditionFailure::SubtotalBelow { subtotal, minimum } => {
                let mut min = *minimum;
                let exp = subtotal.currency().exponent();
                if min.scale() < exp {
                    min.rescale(exp);
                }
                write!(f, "subtotal {subtotal} is below {min}")
            }
            ConditionFailure::QuantityBelow { quantity, minimum } => {
                write!(f, "quantity {quantity} is below {minimum}")
            }
            ConditionFailure::NotInCustomerGroup => f.write_str("not for this customer group"),
            ConditionFailure::NotFirstOrder => f.write_str("only on a first order"),
        }
    }
}

/// Why a promotion did not apply to this cart.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum NotAppliedReason {
    /// The definition fails [`Promotion::validate`] for the cart's currency.
    Invalid {
        problems: Vec<String>,
    },
    /// It needs a coupon the cart does not carry.
    CouponMissing,
    NotYetValid {
        #[serde(with = "time::serde::rfc3339")]
        starts: OffsetDateTime,
    },
    Expired {
        #[serde(with = "time::serde::rfc3339")]
        ended: OffsetDateTime,
    },
    UsageLimitReached {
        limit: u32,
    },
    CompanyLimitReached {
        limit: u32,
    },
    /// `conditions[condition]` does not hold.
    ConditionNotMet {
        condition: usize,
        failure: ConditionFailure,
    },
    /// A tiered discount whose first tier needs more units.
    QuantityBelowFirstTier {
        quantity: Decimal,
        min_quantity: Decimal,
    },
    /// Buy X get Y with fewer than X + Y units in scope.
    TooFewUnits {
        units: Decimal,
        needed: Decimal,
    },
    /// An exclusive promotion stands in the way (or, for an exclusive one,
    /// `with` applied before it).
    NotCombinable {
        with: Uuid,
    },
    /// Eligible, but no line in scope had anything left to take off.
    NothingToDiscount,
}

impl fmt::Display for NotAppliedReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotAppliedReason::Invalid { problems } => {
                write!(f, "invalid promotion: {}", problems.join("; "))
            }
            NotAppliedReason::CouponMissing => f.write_str("needs a coupon code"),
            NotAppliedReason::NotYetValid { starts } => write!(f, "starts {}", when(starts)),
            NotAppliedReason::Expired { ended } => write!(f, "ended {}", when(ended)),
            NotAppliedReason::UsageLimitReached { limit } => {
                write!(f, "used up: all {limit} uses taken")
            }
            NotAppliedReason::CompanyLimitReached { limit } => {
                write!(
                    f,
                    "this company has used it {limit} times, the most allowed"
                )
            }
            NotAppliedReason::ConditionNotMet { failure, .. } => failure.fmt(f),
            NotAppliedReason::QuantityBelowFirstTier {
                quantity,
                min_quantity,
            } => write!(
                f,
                "quantity {quantity} is below the first tier ({min_quantity})"
            ),
            NotAppliedReason::TooFewUnits { units, needed } => {
                write!(f, "{units} qualifying units, {needed} needed")
            }
            NotAppliedReason::NotCombinable { with } => {
                write!(f, "does not combine with promotion {with}")
            }
            NotAppliedReason::NothingToDiscount => f.write_str("nothing in the cart to discount"),
        }
    }
}

/// A promotion that applied.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AppliedPromotion {
    pub id: Uuid,
    pub name: String,
    /// The sum of `per_line`.
    pub discount: Money,
    /// What it took off each cart line, in cart order.
    pub per_line: Vec<Money>,
    pub free_shipping: bool,
    /// The discount was cut so that no line went below zero.
    pub capped: bool,
}

/// A promotion that did not apply, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NotApplied {
    pub id: Uuid,
    pub name: String,
    #[serde(flatten)]
    pub reason: NotAppliedReason,
}

/// The result of [`apply`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PromotionOutcome {
    /// The total discount of each cart line, in cart order.
    pub line_discounts: Vec<Money>,
    /// In the order they applied.
    pub applied: Vec<AppliedPromotion>,
    /// In the order they were considered.
    pub not_applied: Vec<NotApplied>,
    pub free_shipping: bool,
    /// The sum of `line_discounts`, exactly.
    pub discount_total: Money,
}

/// Why a coupon code a buyer typed is refused. The messages are for the
/// buyer.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum CouponRejection {
    #[error("there is no coupon {code:?}")]
    Unknown { code: String },
    #[error("this coupon can be used from {}", when(.starts))]
    NotYetValid {
        #[serde(with = "time::serde::rfc3339")]
        starts: OffsetDateTime,
    },
    #[error("this coupon expired on {}", when(.ended))]
    Expired {
        #[serde(with = "time::serde::rfc3339")]
        ended: OffsetDateTime,
    },
    #[error("this coupon has been used up")]
    Exhausted,
    #[error("your company has already used this coupon as often as allowed")]
    CompanyLimitReached,
    #[error("this coupon does not apply to this cart: {0}")]
    ConditionsNotMet(ConditionFailure),
    #[error("nothing in this cart qualifies for this coupon")]
    NothingToDiscount,
}

fn round_minor(d: Decimal, c: Currency) -> Decimal {
    d.round_dp_with_strategy(c.exponent(), ROUNDING_STRATEGY)
}

fn floor_minor(d: Decimal, c: Currency) -> Decimal {
    d.round_dp_with_strategy(c.exponent(), RoundingStrategy::ToZero)
}

/// `d` has at most the currency's exponent (≤ 4 in ISO 4217) decimals here,
/// which `Money::new` always accepts; zero is the harmless answer if not.
fn money(d: Decimal, c: Currency) -> Money {
    Money::new(d, c).unwrap_or_else(|_| Money::zero(c))
}

/// What promotions may take off a line: its total in whole minor units, or
/// nothing for a line in another currency or below zero.
fn discountable(line: &CartLine, c: Currency) -> Decimal {
    if line.line_total.currency() != c {
        return Decimal::ZERO;
    }
    floor_minor(line.line_total.amount(), c).max(Decimal::ZERO)
}

fn subtotal(cart: &CartContext) -> Decimal {
    cart.lines
        .iter()
        .filter(|l| l.line_total.currency() == cart.currency)
        .fold(Decimal::ZERO, |acc, l| {
            acc.saturating_add(l.line_total.amount())
        })
}

fn quantity_in(scope: &LineScope, lines: &[CartLine]) -> Decimal {
    lines
        .iter()
        .filter(|l| scope.matches(l))
        .fold(Decimal::ZERO, |acc, l| {
            acc.saturating_add(l.quantity.max(Decimal::ZERO))
        })
}

/// `percent` as a fraction (10 → 0.10), clamped to [0, 1] so an unchecked
/// definition can neither raise a line nor take more than all of it.
fn fraction(percent: Decimal) -> Decimal {
    let p = percent.clamp(Decimal::ZERO, Decimal::ONE_HUNDRED);
    // Shifting the scale divides by 100 exactly, and once per promotion
    // rather than a decimal division per line.
    let mut f = p;
    if f.set_scale(p.scale() + 2).is_err() {
        f = p.checked_div(Decimal::ONE_HUNDRED).unwrap_or(Decimal::ONE);
    }
    f
}

/// `fraction` (from [`fraction`]) of `amount`, exact.
fn part_of(amount: Decimal, fraction: Decimal) -> Decimal {
    amount.checked_mul(fraction).unwrap_or(amount)
}

/// Whether the promotion may apply at all, before it meets the others.
/// `typed_coupon`: the buyer is typing the promotion's code right now, so
/// the cart counts as carrying it.
fn gate(
    p: &Promotion,
    cart: &CartContext,
    subtotal: Decimal,
    typed_coupon: bool,
) -> Result<(), NotAppliedReason> {
    if let Err(errs) = p.validate(cart.currency) {
        return Err(NotAppliedReason::Invalid {
            problems: errs.iter().map(ToString::to_string).collect(),
        });
    }
    if p.coupon.is_some() && !typed_coupon && !cart.coupons.iter().any(|c| p.matches_coupon(c)) {
        return Err(NotAppliedReason::CouponMissing);
    }
    if let Some(starts) = p.valid_from
        && cart.at < starts
    {
        return Err(NotAppliedReason::NotYetValid { starts });
    }
    if let Some(ended) = p.valid_to
        && cart.at >= ended
    {
        return Err(NotAppliedReason::Expired { ended });
    }
    let used = cart.usage.get(&p.id).copied().unwrap_or_default();
    if let Some(limit) = p.usage_limit
        && used.total >= limit
    {
        return Err(NotAppliedReason::UsageLimitReached { limit });
    }
    if let Some(limit) = p.per_company_limit
        && used.by_company >= limit
    {
        return Err(NotAppliedReason::CompanyLimitReached { limit });
    }
    for (condition, c) in p.conditions.iter().enumerate() {
        let failure = match c {
            Condition::MinSubtotal { amount } if subtotal < *amount => {
                Some(ConditionFailure::SubtotalBelow {
                    subtotal: money(subtotal, cart.currency),
                    minimum: *amount,
                })
            }
            Condition::MinQuantity { scope, quantity } => {
                let have = quantity_in(scope, &cart.lines);
                (have < *quantity).then_some(ConditionFailure::QuantityBelow {
                    quantity: have,
                    minimum: *quantity,
                })
            }
            Condition::CustomerGroup { groups } => {
                let in_group = cart
                    .customer_group
                    .as_ref()
                    .is_some_and(|g| groups.contains(g));
                (!in_group).then_some(ConditionFailure::NotInCustomerGroup)
            }
            Condition::FirstOrder if !cart.first_order => Some(ConditionFailure::NotFirstOrder),
            _ => None,
        };
        if let Some(failure) = failure {
            return Err(NotAppliedReason::ConditionNotMet { condition, failure });
        }
    }
    Ok(())
}

/// What one action takes off each line, given what is left of each.
struct Take {
    per_line: Vec<Decimal>,
    capped: bool,
    free_shipping: bool,
}

impl Take {
    fn none(n: usize) -> Self {
        Take {
            per_line: vec![Decimal::ZERO; n],
            capped: false,
            free_shipping: false,
        }
    }

    /// Takes `raw` (exact) off line `i`, rounded and never more than is left.
    fn line(&mut self, i: usize, raw: Decimal, left: Decimal, c: Currency) {
        let d = round_minor(raw, c).max(Decimal::ZERO);
        if d > left {
            self.capped = true;
        }
        self.per_line[i] = d.min(left);
    }
}

/// `percent` off each line in scope.
fn percent_off_lines(
    scope: &LineScope,
    percent: Decimal,
    lines: &[CartLine],
    left: &[Decimal],
    c: Currency,
) -> Take {
    let mut take = Take::none(lines.len());
    let f = fraction(percent);
    for (i, l) in lines.iter().enumerate() {
        if scope.matches(l) {
            take.line(i, part_of(left[i], f), left[i], c);
        }
    }
    take
}

/// `total` (whole minor units, at most the sum of `left`) over the lines in
/// proportion to what is left of each.
fn share_order_discount(total: Decimal, left: &[Decimal], c: Currency) -> Take {
    let mut take = Take::none(left.len());
    let Ok(parts) = allocate(money(total, c), left) else {
        // Unreachable for a non-empty cart: weights are ≥ 0 and `total` is
        // rounded. Discounting nothing is the safe answer.
        return take;
    };
    for (i, part) in parts.iter().enumerate() {
        // Each part is within one minor unit above its exact share, and the
        // share is at most the line's whole-unit remainder, so this never
        // cuts; kept so a line can never go negative whatever `allocate` does.
        take.line(i, part.amount(), left[i], c);
    }
    take
}

fn compute(
    action: &Action,
    cart: &CartContext,
    left: &[Decimal],
) -> Result<Take, NotAppliedReason> {
    let c = cart.currency;
    let lines = &cart.lines;
    let take = match action {
        Action::PercentOffLines { scope, percent } => {
            percent_off_lines(scope, *percent, lines, left, c)
        }
        Action::FixedOffEachUnit { scope, amount } => {
            let mut take = Take::none(lines.len());
            let per_unit = (*amount).max(Decimal::ZERO);
            for (i, l) in lines.iter().enumerate() {
                if scope.matches(l) {
                    let q = l.quantity.max(Decimal::ZERO);
                    take.line(i, per_unit.saturating_mul(q), left[i], c);
                }
            }
            take
        }
        Action::PercentOffOrder { percent } => {
            let total = left
                .iter()
                .fold(Decimal::ZERO, |acc, x| acc.saturating_add(*x));
            let d = round_minor(part_of(total, fraction(*percent)), c);
            if d <= Decimal::ZERO {
                return Err(NotAppliedReason::NothingToDiscount);
            }
            share_order_discount(d.min(total), left, c)
        }
        Action::FixedOffOrder { amount } => {
            let total = left
                .iter()
                .fold(Decimal::ZERO, |acc, x| acc.saturating_add(*x));
            let wanted = floor_minor((*amount).max(Decimal::ZERO), c);
            let d = wanted.min(total);
            if d <= Decimal::ZERO {
                return Err(NotAppliedReason::NothingToDiscount);
            }
            let mut take = share_order_discount(d, left, c);
            take.capped |= wanted > total;
            take
        }
        Action::TieredPercent { scope, tiers } => {
            let q = quantity_in(scope, lines);
            // The highest threshold reached, whatever order tiers are in.
            let tier = tiers
                .iter()
                .filter(|t| t.min_quantity <= q)
                .max_by_key(|t| t.min_quantity);
            let Some(tier) = tier else {
                let min_quantity = tiers
                    .iter()
                    .map(|t| t.min_quantity)
                    .min()
                    .unwrap_or(Decimal::ZERO);
                return Err(NotAppliedReason::QuantityBelowFirstTier {
                    quantity: q,
                    min_quantity,
                });
            };
            percent_off_lines(scope, tier.percent, lines, left, c)
        }
        Action::BuyXGetY { scope, buy, get } => buy_x_get_y(scope, *buy, *get, lines, left, c)?,
        Action::FreeShipping => {
            let mut take = Take::none(lines.len());
            take.free_shipping = true;
            return Ok(take);
        }
    };
    if take.per_line.iter().all(|d| d.is_zero()) {
        return Err(NotAppliedReason::NothingToDiscount);
    }
    Ok(take)
}

fn buy_x_get_y(
    scope: &LineScope,
    buy: Decimal,
    get: Decimal,
    lines: &[CartLine],
    left: &[Decimal],
    c: Currency,
) -> Result<Take, NotAppliedReason> {
    let mut take = Take::none(lines.len());
    // Whole units only: a free "unit" of 2.5 m of cable has no meaning.
    // (line, whole units, what is left per unit)
    let mut scoped: Vec<(usize, Decimal, Decimal)> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| scope.matches(l))
        .map(|(i, l)| (i, l.quantity.max(Decimal::ZERO).floor()))
        .filter(|(_, units)| *units > Decimal::ZERO)
        .map(|(i, units)| {
            let per_unit = left[i]
                .checked_div(lines[i].quantity)
                .unwrap_or(Decimal::ZERO);
            (i, units, per_unit)
        })
        .collect();
    let units = scoped
        .iter()
        .fold(Decimal::ZERO, |acc, (_, u, _)| acc.saturating_add(*u));
    let needed = buy.saturating_add(get);
    if buy <= Decimal::ZERO || get <= Decimal::ZERO || units < needed {
        return Err(NotAppliedReason::TooFewUnits { units, needed });
    }
    let mut free = (units / needed).floor().saturating_mul(get.floor());
    // Cheapest first by what is left per unit; the earlier line wins ties
    // (stable sort), so the answer is deterministic.
    scoped.sort_by_key(|s| s.2);
    for (i, line_units, _) in scoped {
        if free <= Decimal::ZERO {
            break;
        }
        let n = line_units.min(free);
        free -= n;
        // Multiply before dividing so 3 of 3 units at 10.00 is exactly 10.00.
        let raw = left[i]
            .saturating_mul(n)
            .checked_div(lines[i].quantity)
            .unwrap_or(Decimal::ZERO);
        take.line(i, raw, left[i], c);
    }
    Ok(take)
}

/// Applies `promotions` to `cart` by the rules in the module documentation.
/// Never fails: a promotion that cannot apply is listed with its reason.
pub fn apply(promotions: &[Promotion], cart: &CartContext) -> PromotionOutcome {
    let c = cart.currency;
    let n = cart.lines.len();
    let mut left: Vec<Decimal> = cart.lines.iter().map(|l| discountable(l, c)).collect();
    let subtotal = subtotal(cart);
    let mut order: Vec<&Promotion> = promotions.iter().collect();
    order.sort_by(|a, b| b.priority.cmp(&a.priority).then(a.id.cmp(&b.id)));

    let mut totals = vec![Decimal::ZERO; n];
    let mut applied: Vec<AppliedPromotion> = Vec::new();
    let mut not_applied = Vec::new();
    let mut exclusive: Option<Uuid> = None;
    for p in order {
        let result = gate(p, cart, subtotal, false).and_then(|()| {
            if let Some(with) = exclusive {
                return Err(NotAppliedReason::NotCombinable { with });
            }
            if p.stacking == Stacking::Exclusive
                && let Some(first) = applied.first()
            {
                return Err(NotAppliedReason::NotCombinable { with: first.id });
            }
            compute(&p.action, cart, &left)
        });
        match result {
            Ok(take) => {
                let mut sum = Decimal::ZERO;
                for (i, d) in take.per_line.iter().enumerate() {
                    left[i] -= *d;
                    totals[i] += *d;
                    sum += *d;
                }
                applied.push(AppliedPromotion {
                    id: p.id,
                    name: p.name.clone(),
                    discount: money(sum, c),
                    per_line: take.per_line.iter().map(|d| money(*d, c)).collect(),
                    free_shipping: take.free_shipping,
                    capped: take.capped,
                });
                if p.stacking == Stacking::Exclusive {
                    exclusive = Some(p.id);
                }
            }
            Err(reason) => not_applied.push(NotApplied {
                id: p.id,
                name: p.name.clone(),
                reason,
            }),
        }
    }
    let discount_total = totals.iter().fold(Decimal::ZERO, |acc, d| acc + *d);
    PromotionOutcome {
        line_discounts: totals.iter().map(|d| money(*d, c)).collect(),
        free_shipping: applied.iter().any(|a| a.free_shipping),
        applied,
        not_applied,
        discount_total: money(discount_total, c),
    }
}

/// The promotion a coupon `code` unlocks for `cart`, judged on its own (how
/// it combines with other promotions is for [`apply`] to say), or exactly
/// why the code is refused. When several promotions share a code, the first
/// by priority that accepts the cart wins; if none does, the first one's
/// reason is given. A promotion whose definition is invalid unlocks nothing.
pub fn check_coupon<'a>(
    promotions: &'a [Promotion],
    code: &str,
    cart: &CartContext,
) -> Result<&'a Promotion, CouponRejection> {
    let mut matching: Vec<&Promotion> = promotions
        .iter()
        .filter(|p| p.matches_coupon(code) && p.validate(cart.currency).is_ok())
        .collect();
    matching.sort_by(|a, b| b.priority.cmp(&a.priority).then(a.id.cmp(&b.id)));
    let subtotal = subtotal(cart);
    let left: Vec<Decimal> = cart
        .lines
        .iter()
        .map(|l| discountable(l, cart.currency))
        .collect();
    let mut first_rejection = None;
    for p in matching {
        let verdict = gate(p, cart, subtotal, true)
            .and_then(|()| compute(&p.action, cart, &left).map(|_| ()));
        let rejection = match verdict {
            Ok(()) => return Ok(p),
            Err(NotAppliedReason::NotYetValid { starts }) => {
                CouponRejection::NotYetValid { starts }
            }
            Err(NotAppliedReason::Expired { ended }) => CouponRejection::Expired { ended },
            Err(NotAppliedReason::UsageLimitReached { .. }) => CouponRejection::Exhausted,
            Err(NotAppliedReason::CompanyLimitReached { .. }) => {
                CouponRejection::CompanyLimitReached
            }
            Err(NotAppliedReason::ConditionNotMet { failure, .. }) => {
                CouponRejection::ConditionsNotMet(failure)
            }
            Err(_) => CouponRejection::NothingToDiscount,
        };
        first_rejection.get_or_insert(rejection);
    }
    Err(first_rejection.unwrap_or_else(|| CouponRejection::Unknown {
        code: code.trim().to_string(),
    }))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal_macros::dec;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-11-29 12:00 UTC);

    fn cur(c: &str) -> Currency {
        Currency::parse(c).unwrap()
    }

    fn line(
        sku: &str,
        cats: &[&str],
        brand: Option<&str>,
        qty: Decimal,
        unit: Decimal,
        c: Currency,
    ) -> CartLine {
        let unit_price = Money::new(unit, c).unwrap();
        CartLine {
            sku: sku.into(),
            categories: cats.iter().map(|s| s.to_string()).collect(),
            brand: brand.map(Into::into),
            quantity: qty,
            unit_price,
            line_total: unit_price.times(qty, Rounding::HalfEven).unwrap(),
        }
    }

    fn cart(c: Currency, lines: Vec<CartLine>) -> CartContext {
        CartContext {
            currency: c,
            lines,
            customer_group: Some("oem".into()),
            first_order: false,
            coupons: vec![],
            at: NOW,
            usage: BTreeMap::new(),
        }
    }

    /// A CNY cart of 1184.70: drills 1000.00, bits 125.00, gloves 59.70.
    fn shop() -> CartContext {
        let c = cur("CNY");
        cart(
            c,
            vec![
                line(
                    "DRILL-1",
                    &["tools", "tools/power"],
                    Some("bosch"),
                    dec!(2),
                    dec!(500),
                    c,
                ),
                line(
                    "BIT-6",
                    &["tools", "tools/bits"],
                    Some("bosch"),
                    dec!(10),
                    dec!(12.50),
                    c,
                ),
                line("GLOVE-L", &["safety"], Some("3m"), dec!(3), dec!(19.90), c),
            ],
        )
    }

    fn promo(n: u128, action: Action) -> Promotion {
        Promotion {
            id: Uuid::from_u128(n),
            name: format!("promo {n}"),
            priority: 0,
            stacking: Stacking::Stackable,
            coupon: None,
            valid_from: None,
            valid_to: None,
            usage_limit: None,
            per_company_limit: None,
            conditions: vec![],
            action,
        }
    }

    fn codes(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn pct(percent: Decimal) -> Action {
        Action::PercentOffLines {
            scope: LineScope::All,
            percent,
        }
    }

    fn lines_of(o: &PromotionOutcome) -> Vec<Decimal> {
        o.line_discounts.iter().map(|m| m.amount()).collect()
    }

    fn reasons(o: &PromotionOutcome) -> Vec<(u128, NotAppliedReason)> {
        o.not_applied
            .iter()
            .map(|n| (n.id.as_u128(), n.reason.clone()))
            .collect()
    }

    fn applied_ids(o: &PromotionOutcome) -> Vec<u128> {
        o.applied.iter().map(|a| a.id.as_u128()).collect()
    }

    #[test]
    fn each_action_on_the_same_cart() {
        let tools = || LineScope::Categories(codes(&["tools"]));
        let table: Vec<(&str, Action, [Decimal; 3], bool)> = vec![
            (
                "10 % off every line",
                pct(dec!(10)),
                [dec!(100), dec!(12.5), dec!(5.97)],
                false,
            ),
            (
                "a parent category covers its children",
                Action::PercentOffLines {
                    scope: tools(),
                    percent: dec!(10),
                },
                [dec!(100), dec!(12.5), dec!(0)],
                false,
            ),
            (
                "by brand",
                Action::PercentOffLines {
                    scope: LineScope::Brands(codes(&["3m"])),
                    percent: dec!(15),
                },
                [dec!(0), dec!(0), dec!(8.96)],
                false,
            ),
            (
                "by SKU",
                Action::PercentOffLines {
                    scope: LineScope::Skus(codes(&["BIT-6"])),
                    percent: dec!(20),
                },
                [dec!(0), dec!(25), dec!(0)],
                false,
            ),
            (
                "fixed off each unit",
                Action::FixedOffEachUnit {
                    scope: LineScope::Skus(codes(&["GLOVE-L"])),
                    amount: dec!(5),
                },
                [dec!(0), dec!(0), dec!(15)],
                false,
            ),
            (
                "fixed off each unit is capped at the line",
                Action::FixedOffEachUnit {
                    scope: LineScope::Categories(codes(&["tools/bits"])),
                    amount: dec!(20),
                },
                [dec!(0), dec!(125), dec!(0)],
                true,
            ),
            (
                "percent off the order, rounded once, shared by largest remainder",
                Action::PercentOffOrder { percent: dec!(7) },
                [dec!(70), dec!(8.75), dec!(4.18)],
                false,
            ),
            (
                "fixed off the order, in proportion to the lines",
                Action::FixedOffOrder { amount: dec!(100) },
                [dec!(84.41), dec!(10.55), dec!(5.04)],
                false,
            ),
            (
                "fixed off the order is capped at the order",
                Action::FixedOffOrder { amount: dec!(5000) },
                [dec!(1000), dec!(125), dec!(59.7)],
                true,
            ),
            (
                "tier chosen by the summed quantity in scope (12 tools: 10 %)",
                Action::TieredPercent {
                    scope: tools(),
                    tiers: vec![
                        PercentTier {
                            min_quantity: dec!(5),
                            percent: dec!(5),
                        },
                        PercentTier {
                            min_quantity: dec!(10),
                            percent: dec!(10),
                        },
                        PercentTier {
                            min_quantity: dec!(50),
                            percent: dec!(20),
                        },
                    ],
                },
                [dec!(100), dec!(12.5), dec!(0)],
                false,
            ),
            (
                "buy 2 get 1 on 12 tools: the 4 cheapest units free",
                Action::BuyXGetY {
                    scope: tools(),
                    buy: dec!(2),
                    get: dec!(1),
                },
                [dec!(0), dec!(50), dec!(0)],
                false,
            ),
            (
                "buy 1 get 1 across lines: 5 units, 2 free, the cheapest ones",
                Action::BuyXGetY {
                    scope: LineScope::Skus(codes(&["DRILL-1", "GLOVE-L"])),
                    buy: dec!(1),
                    get: dec!(1),
                },
                [dec!(0), dec!(0), dec!(39.8)],
                false,
            ),
            (
                "buy 1 get 4: free units spill over to the next cheapest line",
                Action::BuyXGetY {
                    scope: LineScope::Skus(codes(&["DRILL-1", "GLOVE-L"])),
                    buy: dec!(1),
                    get: dec!(4),
                },
                [dec!(500), dec!(0), dec!(59.7)],
                false,
            ),
        ];
        for (what, action, expected, capped) in table {
            let o = apply(&[promo(1, action)], &shop());
            assert_eq!(lines_of(&o), expected.to_vec(), "{what}");
            assert_eq!(o.applied.len(), 1, "{what}");
            assert_eq!(o.applied[0].capped, capped, "{what}");
            assert_eq!(
                o.discount_total.amount(),
                expected.iter().sum::<Decimal>(),
                "{what}"
            );
            assert!(!o.free_shipping, "{what}");
        }
    }

    #[test]
    fn free_shipping_discounts_no_line() {
        let o = apply(&[promo(1, Action::FreeShipping)], &shop());
        assert!(o.free_shipping);
        assert_eq!(applied_ids(&o), vec![1]);
        assert!(o.applied[0].free_shipping);
        assert_eq!(o.discount_total.amount(), dec!(0));
        assert_eq!(lines_of(&o), vec![dec!(0); 3]);
    }

    #[test]
    fn actions_that_find_nothing_say_why() {
        let none = || LineScope::Skus(codes(&["NOT-IN-CART"]));
        let table: Vec<(Action, NotAppliedReason)> = vec![
            (
                Action::PercentOffLines {
                    scope: none(),
                    percent: dec!(10),
                },
                NotAppliedReason::NothingToDiscount,
            ),
            (
                Action::TieredPercent {
                    scope: LineScope::Categories(codes(&["tools"])),
                    tiers: vec![PercentTier {
                        min_quantity: dec!(20),
                        percent: dec!(5),
                    }],
                },
                NotAppliedReason::QuantityBelowFirstTier {
                    quantity: dec!(12),
                    min_quantity: dec!(20),
                },
            ),
            (
                Action::BuyXGetY {
                    scope: LineScope::Skus(codes(&["DRILL-1"])),
                    buy: dec!(2),
                    get: dec!(1),
                },
                NotAppliedReason::TooFewUnits {
                    units: dec!(2),
                    needed: dec!(3),
                },
            ),
        ];
        for (action, reason) in table {
            let o = apply(&[promo(1, action)], &shop());
            assert_eq!(reasons(&o), vec![(1, reason)]);
            assert!(o.applied.is_empty());
        }
        // An empty cart has nothing to take an order discount from.
        let empty = cart(cur("EUR"), vec![]);
        for action in [
            Action::FixedOffOrder { amount: dec!(10) },
            Action::PercentOffOrder { percent: dec!(10) },
        ] {
            let o = apply(&[promo(1, action)], &empty);
            assert_eq!(reasons(&o), vec![(1, NotAppliedReason::NothingToDiscount)]);
            assert_eq!(o.discount_total, Money::zero(cur("EUR")));
        }
    }

    #[test]
    fn buy_x_get_y_counts_whole_units_only() {
        let c = cur("EUR");
        let cable = cart(c, vec![line("CABLE", &[], None, dec!(2.5), dec!(4), c)]);
        let action = Action::BuyXGetY {
            scope: LineScope::All,
            buy: dec!(2),
            get: dec!(1),
        };
        let o = apply(&[promo(1, action.clone())], &cable);
        assert_eq!(
            reasons(&o),
            vec![(
                1,
                NotAppliedReason::TooFewUnits {
                    units: dec!(2),
                    needed: dec!(3)
                }
            )]
        );
        let more = cart(c, vec![line("CABLE", &[], None, dec!(3.5), dec!(4), c)]);
        // 3 whole units of 4.00: one free, whatever the half metre costs.
        assert_eq!(lines_of(&apply(&[promo(1, action)], &more)), vec![dec!(4)]);
    }

    #[test]
    fn each_condition_holds_or_says_which_failed() {
        let with = |conditions: Vec<Condition>| {
            let mut p = promo(1, Action::PercentOffOrder { percent: dec!(10) });
            p.conditions = conditions;
            p
        };
        let tools = || LineScope::Categories(codes(&["tools"]));
        let cny = cur("CNY");
        let table: Vec<(Vec<Condition>, bool, Option<NotAppliedReason>)> = vec![
            (
                vec![Condition::MinSubtotal {
                    amount: dec!(1184.70),
                }],
                false,
                None,
            ),
            (
                vec![Condition::MinSubtotal { amount: dec!(2000) }],
                false,
                Some(NotAppliedReason::ConditionNotMet {
                    condition: 0,
                    failure: ConditionFailure::SubtotalBelow {
                        subtotal: Money::new(dec!(1184.70), cny).unwrap(),
                        minimum: dec!(2000),
                    },
                }),
            ),
            (
                vec![Condition::MinQuantity {
                    scope: tools(),
                    quantity: dec!(12),
                }],
                false,
                None,
            ),
            (
                vec![Condition::MinQuantity {
                    scope: tools(),
                    quantity: dec!(13),
                }],
                false,
                Some(NotAppliedReason::ConditionNotMet {
                    condition: 0,
                    failure: ConditionFailure::QuantityBelow {
                        quantity: dec!(12),
                        minimum: dec!(13),
                    },
                }),
            ),
            (
                vec![Condition::CustomerGroup {
                    groups: codes(&["dealer", "oem"]),
                }],
                false,
                None,
            ),
            (
                vec![Condition::CustomerGroup {
                    groups: codes(&["dealer"]),
                }],
                false,
                Some(NotAppliedReason::ConditionNotMet {
                    condition: 0,
                    failure: ConditionFailure::NotInCustomerGroup,
                }),
            ),
            (vec![Condition::FirstOrder], true, None),
            (
                vec![Condition::FirstOrder],
                false,
                Some(NotAppliedReason::ConditionNotMet {
                    condition: 0,
                    failure: ConditionFailure::NotFirstOrder,
                }),
            ),
            (
                vec![
                    Condition::MinSubtotal { amount: dec!(100) },
                    Condition::FirstOrder,
                ],
                false,
                Some(NotAppliedReason::ConditionNotMet {
                    condition: 1,
                    failure: ConditionFailure::NotFirstOrder,
                }),
            ),
        ];
        for (conditions, first_order, expected) in table {
            let mut ctx = shop();
            ctx.first_order = first_order;
            let o = apply(&[with(conditions.clone())], &ctx);
            match expected {
                None => assert_eq!(applied_ids(&o), vec![1], "{conditions:?}"),
                Some(r) => assert_eq!(reasons(&o), vec![(1, r)], "{conditions:?}"),
            }
        }
        // A buyer without a customer group is in none.
        let mut anon = shop();
        anon.customer_group = None;
        let o = apply(
            &[with(vec![Condition::CustomerGroup {
                groups: codes(&["oem"]),
            }])],
            &anon,
        );
        assert_eq!(o.not_applied.len(), 1);
        // Conditions see the cart as filled, not what earlier promotions left:
        // 1184.70 is still the subtotal after 50 % off.
        let mut half = promo(0, pct(dec!(50)));
        half.priority = 9;
        let o = apply(
            &[
                half,
                with(vec![Condition::MinSubtotal { amount: dec!(1000) }]),
            ],
            &shop(),
        );
        assert_eq!(applied_ids(&o), vec![0, 1]);
    }

    #[test]
    fn percentages_become_exact_fractions() {
        assert_eq!(fraction(dec!(12.5)), dec!(0.125));
        assert_eq!(fraction(dec!(100)), dec!(1));
        assert_eq!(fraction(dec!(250)), dec!(1), "clamped");
        assert_eq!(fraction(dec!(-3)), dec!(0), "clamped");
        // A scale with no room to shift still divides exactly.
        let tiny = Decimal::new(5, 27);
        assert_eq!(fraction(tiny), Decimal::new(5, 27) / dec!(100));
        // The strategy used inside is the published rounding.
        for (code, d) in [
            ("CNY", dec!(0.125)),
            ("CNY", dec!(0.135)),
            ("JPY", dec!(2.5)),
            ("KWD", dec!(0.0005)),
        ] {
            let c = cur(code);
            let published = Money::new(d, c).unwrap().round(DISCOUNT_ROUNDING).amount();
            assert_eq!(round_minor(d, c), published, "{code} {d}");
        }
    }

    #[test]
    fn failures_read_well() {
        let f = ConditionFailure::SubtotalBelow {
            subtotal: Money::new(dec!(320), cur("CNY")).unwrap(),
            minimum: dec!(500),
        };
        assert_eq!(f.to_string(), "subtotal 320.00 CNY is below 500.00");
        let r = NotAppliedReason::Expired {
            ended: datetime!(2026-11-01 0:00 UTC),
        };
        assert_eq!(r.to_string(), "ended 2026-11-01T00:00:00Z");
        let e = PromotionError::TierOverlap {
            field: Field::Tier {
                index: 1,
                field: "min_quantity",
            },
            quantity: dec!(10),
        };
        assert_eq!(
            e.to_string(),
            "action.tiers[1].min_quantity: two tiers start at quantity 10; tiers must not overlap"
        );
    }

    #[test]
    fn discounts_are_sequential_never_on_the_original_price_twice() {
        let c = cur("EUR");
        let ctx = cart(c, vec![line("A", &[], None, dec!(1), dec!(1000), c)]);
        let mut first = promo(1, pct(dec!(10)));
        first.priority = 2;
        let second = promo(2, pct(dec!(10)));
        let o = apply(&[second.clone(), first.clone()], &ctx);
        assert_eq!(applied_ids(&o), vec![1, 2]);
        assert_eq!(o.applied[0].discount.amount(), dec!(100));
        assert_eq!(
            o.applied[1].discount.amount(),
            dec!(90),
            "10 % of what was left"
        );
        assert_eq!(o.discount_total.amount(), dec!(190));

        // An order discount after a line discount is shared by what is left.
        let mut lines_first = promo(1, pct(dec!(10)));
        lines_first.priority = 10;
        let order = promo(2, Action::FixedOffOrder { amount: dec!(10) });
        let o = apply(&[order, lines_first], &shop());
        let per_line: Vec<_> = o.applied[1].per_line.iter().map(|m| m.amount()).collect();
        // Left: 900, 112.50, 53.73 of 1066.23.
        assert_eq!(per_line, vec![dec!(8.44), dec!(1.06), dec!(0.50)]);
        assert_eq!(o.discount_total.amount(), dec!(128.47));
    }

    #[test]
    fn exclusive_promotions_stand_alone() {
        let mut excl = promo(1, pct(dec!(20)));
        excl.stacking = Stacking::Exclusive;
        excl.priority = 10;
        let stack = promo(2, pct(dec!(5)));
        let ship = promo(3, Action::FreeShipping);
        let o = apply(&[stack.clone(), ship.clone(), excl.clone()], &shop());
        assert_eq!(applied_ids(&o), vec![1]);
        let blocked = NotAppliedReason::NotCombinable { with: excl.id };
        assert_eq!(reasons(&o), vec![(2, blocked.clone()), (3, blocked)]);
        assert!(!o.free_shipping);

        // A lower-priority exclusive after something applied is skipped.
        let mut late = excl.clone();
        late.priority = -1;
        let o = apply(&[late.clone(), stack.clone()], &shop());
        assert_eq!(applied_ids(&o), vec![2]);
        assert_eq!(
            reasons(&o),
            vec![(1, NotAppliedReason::NotCombinable { with: stack.id })]
        );

        // An exclusive that found nothing to discount blocks nothing.
        let mut empty_excl = promo(
            4,
            Action::PercentOffLines {
                scope: LineScope::Skus(codes(&["NOPE"])),
                percent: dec!(50),
            },
        );
        empty_excl.stacking = Stacking::Exclusive;
        empty_excl.priority = 20;
        let o = apply(&[empty_excl, stack.clone()], &shop());
        assert_eq!(applied_ids(&o), vec![2]);
        assert_eq!(reasons(&o), vec![(4, NotAppliedReason::NothingToDiscount)]);

        // A skipped promotion that would not have applied anyway says so.
        let mut expired = promo(5, pct(dec!(5)));
        expired.valid_to = Some(datetime!(2026-01-01 0:00 UTC));
        let o = apply(&[excl.clone(), expired], &shop());
        assert!(matches!(
            o.not_applied[0].reason,
            NotAppliedReason::Expired { .. }
        ));

        // Two exclusives: the higher priority wins, whatever the discount.
        let mut bigger = promo(6, pct(dec!(50)));
        bigger.stacking = Stacking::Exclusive;
        let o = apply(&[bigger, excl.clone()], &shop());
        assert_eq!(applied_ids(&o), vec![1]);
    }

    #[test]
    fn priority_then_id_orders_promotions_whatever_the_input_order() {
        let a = promo(
            7,
            Action::FixedOffOrder {
                amount: dec!(33.33),
            },
        );
        let b = promo(3, pct(dec!(12.5)));
        let mut c = promo(
            9,
            Action::FixedOffEachUnit {
                scope: LineScope::All,
                amount: dec!(0.07),
            },
        );
        c.priority = 1;
        let x = apply(&[a.clone(), b.clone(), c.clone()], &shop());
        let y = apply(&[c, b, a], &shop());
        assert_eq!(x, y);
        assert_eq!(applied_ids(&x), vec![9, 3, 7]);
    }

    #[test]
    fn validity_window_and_usage_limits() {
        let mut p = promo(1, pct(dec!(10)));
        p.valid_from = Some(datetime!(2026-11-29 12:00 UTC));
        p.valid_to = Some(datetime!(2026-12-01 0:00 UTC));
        p.usage_limit = Some(100);
        p.per_company_limit = Some(1);
        let mut ctx = shop();
        // Starts inclusive.
        assert_eq!(applied_ids(&apply(std::slice::from_ref(&p), &ctx)), vec![1]);
        ctx.at = datetime!(2026-11-29 11:59:59 UTC);
        assert_eq!(
            reasons(&apply(std::slice::from_ref(&p), &ctx)),
            vec![(
                1,
                NotAppliedReason::NotYetValid {
                    starts: datetime!(2026-11-29 12:00 UTC)
                }
            )]
        );
        // Ends exclusive.
        ctx.at = datetime!(2026-12-01 0:00 UTC);
        assert_eq!(
            reasons(&apply(std::slice::from_ref(&p), &ctx)),
            vec![(
                1,
                NotAppliedReason::Expired {
                    ended: datetime!(2026-12-01 0:00 UTC)
                }
            )]
        );
        ctx.at = NOW;
        let table = [
            (
                Usage {
                    total: 99,
                    by_company: 0,
                },
                None,
            ),
            (
                Usage {
                    total: 100,
                    by_company: 0,
                },
                Some(NotAppliedReason::UsageLimitReached { limit: 100 }),
            ),
            (
                Usage {
                    total: 5,
                    by_company: 1,
                },
                Some(NotAppliedReason::CompanyLimitReached { limit: 1 }),
            ),
        ];
        for (usage, expected) in table {
            ctx.usage.insert(p.id, usage);
            let o = apply(std::slice::from_ref(&p), &ctx);
            match expected {
                None => assert_eq!(applied_ids(&o), vec![1]),
                Some(r) => assert_eq!(reasons(&o), vec![(1, r)]),
            }
        }
    }

    fn coupon(n: u128, code: &str) -> Promotion {
        let mut p = promo(n, pct(dec!(10)));
        p.coupon = Some(code.into());
        p
    }

    #[test]
    fn coupons_apply_case_insensitively_and_only_when_entered() {
        let p = coupon(1, "Welcome-10");
        let mut ctx = shop();
        let o = apply(std::slice::from_ref(&p), &ctx);
        assert_eq!(reasons(&o), vec![(1, NotAppliedReason::CouponMissing)]);
        for typed in ["welcome-10", "WELCOME-10", " Welcome-10 "] {
            ctx.coupons = vec!["OTHER".into(), typed.into()];
            assert_eq!(
                applied_ids(&apply(std::slice::from_ref(&p), &ctx)),
                vec![1],
                "{typed:?}"
            );
        }
        ctx.coupons = vec!["welcome10".into()];
        assert_eq!(apply(std::slice::from_ref(&p), &ctx).applied.len(), 0);
    }

    #[test]
    fn check_coupon_says_exactly_why() {
        let mut expired = coupon(2, "OLD");
        expired.valid_to = Some(datetime!(2026-11-01 0:00 UTC));
        let mut soon = coupon(3, "SOON");
        soon.valid_from = Some(datetime!(2026-12-24 0:00 UTC));
        let mut limited = coupon(4, "LIMITED");
        limited.usage_limit = Some(10);
        let mut once = coupon(5, "ONCE");
        once.per_company_limit = Some(1);
        let mut big = coupon(6, "BIG");
        big.conditions = vec![Condition::MinSubtotal { amount: dec!(5000) }];
        let mut elsewhere = coupon(7, "ELSEWHERE");
        elsewhere.action = Action::PercentOffLines {
            scope: LineScope::Brands(codes(&["makita"])),
            percent: dec!(10),
        };
        let mut broken = coupon(8, "BROKEN");
        broken.action = pct(dec!(150));
        let all = vec![
            coupon(1, "WELCOME"),
            expired,
            soon,
            limited,
            once,
            big,
            elsewhere,
            broken,
        ];
        let mut ctx = shop();
        ctx.usage.insert(
            Uuid::from_u128(4),
            Usage {
                total: 10,
                by_company: 0,
            },
        );
        ctx.usage.insert(
            Uuid::from_u128(5),
            Usage {
                total: 1,
                by_company: 1,
            },
        );

        assert_eq!(
            check_coupon(&all, " welcome ", &ctx).unwrap().id.as_u128(),
            1
        );
        let table = [
            (
                "nope",
                CouponRejection::Unknown {
                    code: "nope".into(),
                },
            ),
            (
                "broken",
                CouponRejection::Unknown {
                    code: "broken".into(),
                },
            ),
            (
                "old",
                CouponRejection::Expired {
                    ended: datetime!(2026-11-01 0:00 UTC),
                },
            ),
            (
                "soon",
                CouponRejection::NotYetValid {
                    starts: datetime!(2026-12-24 0:00 UTC),
                },
            ),
            ("limited", CouponRejection::Exhausted),
            ("once", CouponRejection::CompanyLimitReached),
            (
                "big",
                CouponRejection::ConditionsNotMet(ConditionFailure::SubtotalBelow {
                    subtotal: Money::new(dec!(1184.70), cur("CNY")).unwrap(),
                    minimum: dec!(5000),
                }),
            ),
            ("elsewhere", CouponRejection::NothingToDiscount),
        ];
        for (code, rejection) in table {
            assert_eq!(check_coupon(&all, code, &ctx), Err(rejection), "{code}");
        }
        assert_eq!(
            check_coupon(&all, "OLD", &ctx).unwrap_err().to_string(),
            "this coupon expired on 2026-11-01T00:00:00Z"
        );
        assert_eq!(
            check_coupon(&all, "LIMITED", &ctx).unwrap_err().to_string(),
            "this coupon has been used up"
        );
        assert_eq!(
            check_coupon(&all, "big", &ctx).unwrap_err().to_string(),
            "this coupon does not apply to this cart: subtotal 1184.70 CNY is below 5000.00"
        );

        // Two promotions on one code: the first by priority that accepts wins,
        // else the first one's reason.
        let mut a = coupon(10, "TWIN");
        a.priority = 5;
        a.usage_limit = Some(1);
        let b = coupon(11, "TWIN");
        ctx.usage.insert(
            a.id,
            Usage {
                total: 1,
                by_company: 0,
            },
        );
        let twins = vec![b.clone(), a.clone()];
        assert_eq!(check_coupon(&twins, "twin", &ctx).unwrap().id, b.id);
        let mut b_expired = b;
        b_expired.valid_to = Some(datetime!(2026-01-01 0:00 UTC));
        assert_eq!(
            check_coupon(&[b_expired, a], "twin", &ctx),
            Err(CouponRejection::Exhausted)
        );
    }

    #[test]
    fn rounding_per_currency() {
        // (currency, unit price, quantity, percent, expected discount)
        let table = [
            // 15 % of 59.70 = 8.955: half to even gives 8.96.
            ("CNY", dec!(19.90), dec!(3), dec!(15), dec!(8.96)),
            // 25 % of 0.50 = 0.125: half to even gives 0.12.
            ("CNY", dec!(0.50), dec!(1), dec!(25), dec!(0.12)),
            // A sub-cent unit price: 1000 × 0.0125 = 12.50, 33 % = 4.125 → 4.12.
            ("EUR", dec!(0.0125), dec!(1000), dec!(33), dec!(4.12)),
            ("EUR", dec!(19.99), dec!(1), dec!(10), dec!(2.00)),
            // No decimals in yen: 10 % of 1234 = 123.4 → 123; 187.5 → 188.
            ("JPY", dec!(1234), dec!(1), dec!(10), dec!(123)),
            ("JPY", dec!(1250), dec!(1), dec!(15), dec!(188)),
            // Three in dinar: 12.5 % of 1.234 = 0.15425 → 0.154.
            ("KWD", dec!(1.234), dec!(1), dec!(12.5), dec!(0.154)),
            ("KWD", dec!(0.0125), dec!(100), dec!(10), dec!(0.125)),
        ];
        for (code, unit, qty, percent, expected) in table {
            let c = cur(code);
            let ctx = cart(c, vec![line("A", &[], None, qty, unit, c)]);
            let o = apply(&[promo(1, pct(percent))], &ctx);
            assert_eq!(
                o.discount_total.amount(),
                expected,
                "{code} {unit} × {qty} at {percent} %"
            );
            assert!(o.discount_total.is_rounded());
            assert_eq!(o.discount_total.currency(), c);
        }
    }

    #[test]
    fn order_discounts_agree_with_the_lines_to_the_minor_unit() {
        // EUR: 10.00 over three near-equal lines.
        let eur = cur("EUR");
        let ctx = cart(
            eur,
            vec![
                line("A", &[], None, dec!(1), dec!(33.33), eur),
                line("B", &[], None, dec!(1), dec!(33.33), eur),
                line("C", &[], None, dec!(1), dec!(33.34), eur),
            ],
        );
        let o = apply(
            &[promo(1, Action::FixedOffOrder { amount: dec!(10) })],
            &ctx,
        );
        assert_eq!(lines_of(&o), vec![dec!(3.33), dec!(3.33), dec!(3.34)]);
        // Three 0.05 lines at 10 %: per line each 0.005 rounds to 0.00, but
        // the order's 0.015 rounds once to 0.02 and is shared.
        let cny = cur("CNY");
        let small: Vec<_> = ["A", "B", "C"]
            .iter()
            .map(|s| line(s, &[], None, dec!(1), dec!(0.05), cny))
            .collect();
        let ctx = cart(cny, small);
        let per_line = apply(&[promo(1, pct(dec!(10)))], &ctx);
        assert_eq!(
            reasons(&per_line),
            vec![(1, NotAppliedReason::NothingToDiscount)]
        );
        let order = apply(
            &[promo(1, Action::PercentOffOrder { percent: dec!(10) })],
            &ctx,
        );
        assert_eq!(lines_of(&order), vec![dec!(0.01), dec!(0.01), dec!(0)]);
        // JPY and KWD.
        let jpy = cur("JPY");
        let ctx = cart(
            jpy,
            vec![
                line("A", &[], None, dec!(1), dec!(999), jpy),
                line("B", &[], None, dec!(2), dec!(1), jpy),
            ],
        );
        let o = apply(
            &[promo(1, Action::FixedOffOrder { amount: dec!(500) })],
            &ctx,
        );
        assert_eq!(lines_of(&o), vec![dec!(499), dec!(1)]);
        let kwd = cur("KWD");
        let ctx = cart(
            kwd,
            vec![
                line("A", &[], None, dec!(1), dec!(1.001), kwd),
                line("B", &[], None, dec!(1), dec!(2.002), kwd),
            ],
        );
        let o = apply(
            &[promo(1, Action::FixedOffOrder { amount: dec!(0.01) })],
            &ctx,
        );
        assert_eq!(lines_of(&o), vec![dec!(0.003), dec!(0.007)]);
    }

    #[test]
    fn lines_in_another_currency_are_left_alone() {
        let cny = cur("CNY");
        let mut ctx = shop();
        ctx.lines
            .push(line("EU-ONLY", &[], None, dec!(1), dec!(100), cur("EUR")));
        let mut p = promo(
            1,
            Action::FixedOffOrder {
                amount: dec!(10000),
            },
        );
        p.conditions = vec![Condition::MinSubtotal {
            amount: dec!(1184.70),
        }];
        let o = apply(&[p], &ctx);
        assert_eq!(
            lines_of(&o),
            vec![dec!(1000), dec!(125), dec!(59.7), dec!(0)]
        );
        assert!(o.line_discounts.iter().all(|m| m.currency() == cny));
    }

    #[test]
    fn invalid_promotions_never_apply() {
        let o = apply(&[promo(1, pct(dec!(150)))], &shop());
        assert_eq!(
            reasons(&o),
            vec![(
                1,
                NotAppliedReason::Invalid {
                    problems: vec![
                        "action.percent: a percentage must be above 0 and at most 100, not 150"
                            .into()
                    ]
                }
            )]
        );
        // An order discount finer than the currency's minor unit.
        let c = cur("JPY");
        let ctx = cart(c, vec![line("A", &[], None, dec!(1), dec!(1000), c)]);
        let o = apply(
            &[promo(1, Action::FixedOffOrder { amount: dec!(10.5) })],
            &ctx,
        );
        assert!(matches!(
            o.not_applied[0].reason,
            NotAppliedReason::Invalid { .. }
        ));
    }

    #[test]
    fn validation_refuses_what_would_surprise_at_checkout() {
        let eur = cur("EUR");
        let errors = |p: Promotion| p.validate(eur).err().unwrap_or_default();
        let one = |p: Promotion| {
            let e = errors(p);
            assert_eq!(e.len(), 1, "{e:?}");
            e.into_iter().next().unwrap()
        };
        let act = |a: Action| promo(1, a);
        let scoped = |scope: LineScope| {
            act(Action::PercentOffLines {
                scope,
                percent: dec!(10),
            })
        };
        let tiers = |t: &[(Decimal, Decimal)]| {
            act(Action::TieredPercent {
                scope: LineScope::All,
                tiers: t
                    .iter()
                    .map(|(q, p)| PercentTier {
                        min_quantity: *q,
                        percent: *p,
                    })
                    .collect(),
            })
        };
        let tier = |index, field| Field::Tier { index, field };

        assert_eq!(promo(1, pct(dec!(100))).validate(eur), Ok(()));
        assert_eq!(coupon(1, "Black_Friday-2026").validate(eur), Ok(()));
        let mut p = promo(1, pct(dec!(10)));
        p.name = "  ".into();
        assert_eq!(one(p), PromotionError::BlankName);
        for bad in ["", "SUMMER 10", "ÄBC", &"X".repeat(41)] {
            assert_eq!(
                one(coupon(1, bad)),
                PromotionError::CouponCode(bad.into()),
                "{bad:?}"
            );
        }
        let mut p = promo(1, pct(dec!(10)));
        p.valid_from = Some(NOW);
        p.valid_to = Some(NOW);
        assert!(matches!(one(p), PromotionError::EmptyWindow { .. }));
        let mut p = promo(1, pct(dec!(10)));
        p.usage_limit = Some(0);
        p.per_company_limit = Some(0);
        assert_eq!(
            errors(p),
            vec![
                PromotionError::ZeroLimit(Field::Promotion("usage_limit")),
                PromotionError::ZeroLimit(Field::Promotion("per_company_limit")),
            ]
        );
        for bad in [dec!(0), dec!(-5), dec!(100.01)] {
            assert_eq!(
                one(act(Action::PercentOffOrder { percent: bad })),
                PromotionError::Percent {
                    field: Field::Action("percent"),
                    value: bad
                }
            );
        }
        let amount = Field::Action("amount");
        assert_eq!(
            one(act(Action::FixedOffEachUnit {
                scope: LineScope::All,
                amount: dec!(0)
            })),
            PromotionError::NonPositiveAmount {
                field: amount,
                value: dec!(0)
            }
        );
        assert_eq!(
            one(act(Action::FixedOffEachUnit {
                scope: LineScope::All,
                amount: dec!(0.12345)
            })),
            PromotionError::TooPrecise {
                field: amount,
                value: dec!(0.12345)
            }
        );
        assert_eq!(
            act(Action::FixedOffEachUnit {
                scope: LineScope::All,
                amount: dec!(0.0125)
            })
            .validate(eur),
            Ok(())
        );
        assert_eq!(
            one(act(Action::FixedOffOrder {
                amount: dec!(0.005)
            })),
            PromotionError::NotWholeMinorUnits {
                field: amount,
                value: dec!(0.005),
                currency: eur
            }
        );
        assert_eq!(
            act(Action::FixedOffOrder {
                amount: dec!(0.005)
            })
            .validate(cur("KWD")),
            Ok(())
        );
        let scope = Field::Action("scope");
        assert_eq!(
            one(scoped(LineScope::Skus(vec![]))),
            PromotionError::EmptyList(scope)
        );
        assert_eq!(
            one(scoped(LineScope::Categories(vec![]))),
            PromotionError::EmptyList(scope)
        );
        assert_eq!(
            one(scoped(LineScope::Brands(codes(&["bosch", " "])))),
            PromotionError::BlankCode(scope)
        );
        assert_eq!(
            one(tiers(&[])),
            PromotionError::NoTiers(Field::Action("tiers"))
        );
        assert_eq!(
            one(tiers(&[(dec!(10), dec!(5)), (dec!(10), dec!(8))])),
            PromotionError::TierOverlap {
                field: tier(1, "min_quantity"),
                quantity: dec!(10)
            }
        );
        assert_eq!(
            one(tiers(&[(dec!(10), dec!(5)), (dec!(5), dec!(8))])),
            PromotionError::TiersOutOfOrder {
                field: tier(1, "min_quantity"),
                quantity: dec!(5),
                previous: dec!(10)
            }
        );
        assert_eq!(
            one(tiers(&[(dec!(10), dec!(5)), (dec!(20), dec!(5))])),
            PromotionError::TierPercentNotRising {
                field: tier(1, "percent"),
                quantity: dec!(20),
                percent: dec!(5),
                previous: dec!(5)
            }
        );
        assert_eq!(
            one(tiers(&[(dec!(0), dec!(5))])),
            PromotionError::NonPositiveQuantity {
                field: tier(0, "min_quantity"),
                value: dec!(0)
            }
        );
        assert_eq!(
            one(tiers(&[(dec!(1), dec!(5)), (dec!(2), dec!(101))])),
            PromotionError::Percent {
                field: tier(1, "percent"),
                value: dec!(101)
            }
        );
        for (buy, get, field, value) in [
            (dec!(1.5), dec!(1), "buy", dec!(1.5)),
            (dec!(2), dec!(0), "get", dec!(0)),
            (dec!(-1), dec!(1), "buy", dec!(-1)),
        ] {
            assert_eq!(
                one(act(Action::BuyXGetY {
                    scope: LineScope::All,
                    buy,
                    get
                })),
                PromotionError::NotAWholeCount {
                    field: Field::Action(field),
                    value
                }
            );
        }
        let mut p = promo(1, pct(dec!(10)));
        p.conditions = vec![
            Condition::MinSubtotal { amount: dec!(-1) },
            Condition::MinQuantity {
                scope: LineScope::Skus(vec![]),
                quantity: dec!(0),
            },
            Condition::CustomerGroup { groups: vec![] },
            Condition::FirstOrder,
        ];
        let at = |index, field| Field::Condition { index, field };
        assert_eq!(
            errors(p),
            vec![
                PromotionError::NonPositiveAmount {
                    field: at(0, "amount"),
                    value: dec!(-1)
                },
                PromotionError::EmptyList(at(1, "scope")),
                PromotionError::NonPositiveQuantity {
                    field: at(1, "quantity"),
                    value: dec!(0)
                },
                PromotionError::EmptyList(at(2, "groups")),
            ]
        );
        // Everything at once, so a form can show it all.
        let mut p = coupon(1, "no spaces");
        p.name = String::new();
        p.action = pct(dec!(0));
        assert_eq!(errors(p).len(), 3);
    }

    #[test]
    fn promotions_are_stored_as_json_without_floats() {
        let mut p = coupon(1, "WELCOME");
        p.valid_from = Some(datetime!(2026-12-01 0:00 UTC));
        p.conditions = vec![
            Condition::MinSubtotal { amount: dec!(500) },
            Condition::CustomerGroup {
                groups: codes(&["oem"]),
            },
            Condition::FirstOrder,
        ];
        p.action = Action::TieredPercent {
            scope: LineScope::Categories(codes(&["tools"])),
            tiers: vec![PercentTier {
                min_quantity: dec!(10),
                percent: dec!(5),
            }],
        };
        let j = serde_json::to_value(&p).unwrap();
        assert_eq!(j["valid_from"], "2026-12-01T00:00:00Z");
        assert_eq!(j["stacking"], "stackable");
        assert_eq!(
            j["conditions"],
            serde_json::json!([
                {"kind": "min_subtotal", "amount": "500"},
                {"kind": "customer_group", "groups": ["oem"]},
                {"kind": "first_order"},
            ])
        );
        assert_eq!(
            j["action"],
            serde_json::json!({
                "kind": "tiered_percent",
                "scope": {"kind": "categories", "value": ["tools"]},
                "tiers": [{"min_quantity": "10", "percent": "5"}],
            })
        );
        let back: Promotion = serde_json::from_value(j).unwrap();
        assert_eq!(back, p);
        // Optional fields may be left out; amounts must be decimal strings.
        let minimal = serde_json::json!({
            "id": Uuid::from_u128(2), "name": "x", "priority": 0, "stacking": "exclusive",
            "action": {"kind": "buy_x_get_y", "scope": {"kind": "all"}, "buy": "2", "get": "1"},
        });
        let p: Promotion = serde_json::from_value(minimal).unwrap();
        assert_eq!(
            p.action,
            Action::BuyXGetY {
                scope: LineScope::All,
                buy: dec!(2),
                get: dec!(1)
            }
        );
        let float = serde_json::json!({"kind": "percent_off_order", "percent": 10.5});
        assert!(serde_json::from_value::<Action>(float).is_err());

        let o = apply(&[coupon(1, "X")], &shop());
        let j = serde_json::to_value(&o).unwrap();
        assert_eq!(j["not_applied"][0]["reason"], "coupon_missing");
        assert_eq!(j["discount_total"]["amount"], "0.0000");
    }

    // ---- properties ----

    fn currency_strategy() -> impl Strategy<Value = Currency> {
        prop_oneof![Just("CNY"), Just("EUR"), Just("JPY"), Just("KWD")].prop_map(cur)
    }

    fn scope_strategy() -> impl Strategy<Value = LineScope> {
        prop_oneof![
            Just(LineScope::All),
            prop::sample::subsequence(vec!["A", "B", "C", "D"], 1..3)
                .prop_map(|v| LineScope::Skus(codes(&v))),
            prop::sample::subsequence(vec!["tools", "tools/bits", "safety"], 1..3)
                .prop_map(|v| LineScope::Categories(codes(&v))),
            prop::sample::subsequence(vec!["bosch", "3m"], 1..2)
                .prop_map(|v| LineScope::Brands(codes(&v))),
        ]
    }

    fn line_strategy(c: Currency) -> impl Strategy<Value = CartLine> {
        (
            prop::sample::select(vec!["A", "B", "C", "D"]),
            prop::sample::select(vec![
                vec![],
                vec!["tools"],
                vec!["tools", "tools/bits"],
                vec!["safety"],
            ]),
            prop::option::of(prop::sample::select(vec!["bosch", "3m"])),
            prop_oneof![
                (1i64..60).prop_map(Decimal::from),
                (1i64..600).prop_map(|q| Decimal::new(q, 1))
            ],
            1i64..5_000_000,
        )
            .prop_map(move |(sku, cats, brand, qty, price)| {
                line(sku, &cats, brand, qty, Decimal::new(price, 4), c)
            })
    }

    fn percent_strategy() -> impl Strategy<Value = Decimal> {
        (1i64..=10_000).prop_map(|p| Decimal::new(p, 2))
    }

    fn action_strategy(c: Currency) -> impl Strategy<Value = Action> {
        let exp = c.exponent();
        prop_oneof![
            (scope_strategy(), percent_strategy())
                .prop_map(|(scope, percent)| Action::PercentOffLines { scope, percent }),
            (scope_strategy(), 1i64..2_000_000).prop_map(|(scope, a)| Action::FixedOffEachUnit {
                scope,
                amount: Decimal::new(a, 4)
            }),
            percent_strategy().prop_map(|percent| Action::PercentOffOrder { percent }),
            (1i64..100_000_000).prop_map(move |a| Action::FixedOffOrder {
                amount: Decimal::new(a, exp)
            }),
            (
                scope_strategy(),
                prop::collection::btree_map(1i64..100, 1i64..=10_000, 1..4)
            )
                .prop_map(|(scope, m)| {
                    let mut percents: Vec<i64> = m.values().copied().collect();
                    percents.sort_unstable();
                    percents.dedup();
                    let tiers = m
                        .keys()
                        .zip(percents)
                        .map(|(q, p)| PercentTier {
                            min_quantity: Decimal::from(*q),
                            percent: Decimal::new(p, 2),
                        })
                        .collect();
                    Action::TieredPercent { scope, tiers }
                }),
            (scope_strategy(), 1i64..5, 1i64..4).prop_map(|(scope, buy, get)| Action::BuyXGetY {
                scope,
                buy: Decimal::from(buy),
                get: Decimal::from(get),
            }),
            Just(Action::FreeShipping),
        ]
    }

    fn promotion_strategy(c: Currency) -> impl Strategy<Value = Promotion> {
        (
            action_strategy(c),
            -3i32..3,
            any::<bool>(),
            prop::option::of(prop_oneof![
                (1i64..200_000).prop_map(|a| Condition::MinSubtotal {
                    amount: Decimal::from(a)
                }),
                (scope_strategy(), 1i64..50).prop_map(|(scope, q)| Condition::MinQuantity {
                    scope,
                    quantity: Decimal::from(q)
                }),
            ]),
        )
            .prop_map(|(action, priority, exclusive, condition)| Promotion {
                id: Uuid::nil(),
                name: "p".into(),
                priority,
                stacking: if exclusive {
                    Stacking::Exclusive
                } else {
                    Stacking::Stackable
                },
                coupon: None,
                valid_from: None,
                valid_to: None,
                usage_limit: None,
                per_company_limit: None,
                conditions: condition.into_iter().collect(),
                action,
            })
    }

    fn scenario() -> impl Strategy<Value = (CartContext, Vec<Promotion>)> {
        currency_strategy().prop_flat_map(|c| {
            (
                prop::collection::vec(line_strategy(c), 0..25),
                prop::collection::vec(promotion_strategy(c), 0..8),
            )
                .prop_map(move |(lines, mut promos)| {
                    for (i, p) in promos.iter_mut().enumerate() {
                        p.id = Uuid::from_u128(i as u128 + 1);
                    }
                    (cart(c, lines), promos)
                })
        })
    }

    proptest! {
        #[test]
        fn outcomes_add_up_and_never_raise_a_line((ctx, promos) in scenario()) {
            for p in &promos {
                prop_assert_eq!(p.validate(ctx.currency), Ok(()));
            }
            let o = apply(&promos, &ctx);
            let c = ctx.currency;
            prop_assert_eq!(o.line_discounts.len(), ctx.lines.len());
            prop_assert_eq!(o.applied.len() + o.not_applied.len(), promos.len());
            // The lines add up to the total exactly.
            let sum: Decimal = o.line_discounts.iter().map(|m| m.amount()).sum();
            prop_assert_eq!(sum, o.discount_total.amount());
            prop_assert!(o.discount_total.is_rounded());
            for (d, l) in o.line_discounts.iter().zip(&ctx.lines) {
                prop_assert_eq!(d.currency(), c);
                prop_assert!(d.is_rounded());
                // Never negative, never more than the line: no line is raised
                // and none goes below zero.
                prop_assert!(!d.is_negative());
                prop_assert!(d.amount() <= l.line_total.amount());
                let net = l.line_total.checked_sub(d).unwrap();
                prop_assert!(!net.is_negative() && net.amount() <= l.line_total.amount());
            }
            // Each applied promotion's lines add up to its discount, and the
            // promotions add up to the lines.
            let mut per_line = vec![Decimal::ZERO; ctx.lines.len()];
            for a in &o.applied {
                let s: Decimal = a.per_line.iter().map(|m| m.amount()).sum();
                prop_assert_eq!(s, a.discount.amount());
                for (i, m) in a.per_line.iter().enumerate() {
                    prop_assert!(!m.is_negative());
                    per_line[i] += m.amount();
                }
                prop_assert!(a.free_shipping || !a.discount.amount().is_zero());
            }
            prop_assert_eq!(per_line, lines_of(&o));
            prop_assert_eq!(o.free_shipping, o.applied.iter().any(|a| a.free_shipping));
            // An applied exclusive stands alone.
            let excl = o.applied.iter().filter(|a| {
                promos.iter().any(|p| p.id == a.id && p.stacking == Stacking::Exclusive)
            }).count();
            prop_assert!(excl == 0 || o.applied.len() == 1);
            // The input order never matters.
            let mut reversed = promos.clone();
            reversed.reverse();
            prop_assert_eq!(apply(&reversed, &ctx), o);
        }

        #[test]
        fn a_fixed_order_discount_never_loses_or_invents_a_minor_unit(
            (ctx, minor) in currency_strategy().prop_flat_map(|c| {
                (prop::collection::vec(line_strategy(c), 1..40), 1i64..1_000_000_000)
                    .prop_map(move |(lines, minor)| (cart(c, lines), minor))
            })
        ) {
            let c = ctx.currency;
            let amount = Decimal::new(minor, c.exponent());
            let o = apply(&[promo(1, Action::FixedOffOrder { amount })], &ctx);
            let order_total: Decimal = ctx.lines.iter().map(|l| l.line_total.amount()).sum();
            let expected = amount.min(order_total);
            prop_assert_eq!(o.discount_total.amount(), expected);
            let sum: Decimal = o.line_discounts.iter().map(|m| m.amount()).sum();
            prop_assert_eq!(sum, expected);
            if expected.is_zero() {
                prop_assert!(o.applied.is_empty());
            } else {
                prop_assert_eq!(o.applied[0].capped, amount > order_total);
                // Each line within one minor unit of its exact share.
                let unit = Decimal::new(1, c.exponent());
                for (d, l) in o.line_discounts.iter().zip(&ctx.lines) {
                    let exact = expected * l.line_total.amount() / order_total;
                    prop_assert!((d.amount() - exact).abs() < unit);
                }
            }
        }
    }
}
