//! Carts (O4) and quick order (P16). A cart is stored server-side and
//! priced when it is looked at, through the same path as a quote and an
//! order, so what the buyer sees is what the order will say; a price that
//! changed since the buyer last saw it is flagged on the line.

use crate::auth::Principal;
use crate::pricing::{self, PriceListRef, QuoteItem};
use crate::stock::availability_of;
use crate::{App, AppError};
use mercato_core::cart::QuantityError;
use mercato_core::market::RoadmapStep;
use mercato_core::money::Money;
use mercato_core::pricing::TierBreak;
use mercato_core::promotion::{
    CartContext, CartLine as PromoLine, CouponRejection, Promotion, PromotionOutcome,
};
use mercato_core::stock::Availability;
use mercato_core::{Lang, Permission, UserId};
use mercato_store::Timestamp;
use mercato_store::carts::{self as store, Cart, CartLine, SkuFacts};
use mercato_store::companies::{Company, CompanyScope};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;
use uuid::Uuid;

/// The most lines a cart holds; bigger orders go through import or a quote.
pub const MAX_CART_LINES: usize = 500;

/// Who is shopping: the buyer's company (checked), user and company record.
pub(crate) struct Shopper {
    pub scope: CompanyScope,
    pub user: UserId,
    pub company: Company,
    pub show_exact_stock: bool,
    /// The moment the cart is priced at (now, or a staff preview's day).
    pub at: time::OffsetDateTime,
}

/// Checks that the caller may buy online: a company user with
/// `place_orders`, an active company, and a market on roadmap step 2 or
/// above (step 1 markets take requests for quotation instead).
pub(crate) async fn shopper(app: &App, p: &Principal) -> Result<Shopper, AppError> {
    let m = p
        .membership()
        .ok_or(AppError::Forbidden("shop: carts belong to buyer accounts"))?;
    p.require(Permission::PlaceOrders, "order")?;
    let scope = CompanyScope::after_access_check(m.company_id);
    let company = mercato_store::companies::get(app.db(), &scope)
        .await?
        .ok_or(AppError::NotFound("company"))?;
    // The cached taxonomy: a market saved on this node invalidates it.
    let taxonomy = crate::catalog::taxonomy(app).await?;
    let market = taxonomy
        .markets
        .iter()
        .find(|x| x.code == company.market_code)
        .ok_or_else(|| {
            AppError::Internal(format!("company market {} missing", company.market_code))
        })?;
    if market.roadmap_step < RoadmapStep::OnlineBuying {
        return Err(AppError::Refused {
            code: "online_buying_off",
            detail: format!(
                "market {} takes requests for quotation, not online orders",
                market.code
            ),
        });
    }
    Ok(Shopper {
        scope,
        user: p.user.id,
        company,
        show_exact_stock: market.show_stock,
        at: time::OffsetDateTime::now_utc(),
    })
}

/// Something wrong with a line that stops checkout.
#[derive(Clone, Debug, Serialize)]
pub struct LineProblem {
    pub code: &'static str,
    pub message: String,
}

/// A promotion that applied to a cart.
#[derive(Clone, Debug, Serialize)]
pub struct AppliedView {
    pub id: Uuid,
    pub name: String,
    pub discount: Money,
    pub free_shipping: bool,
    /// The promotion's limits `(overall, per company)`, re-checked at
    /// checkout.
    #[serde(skip)]
    pub(crate) limits: (Option<u32>, Option<u32>),
}

/// A changed price: what the buyer saw before and what it is now.
#[derive(Clone, Debug, Serialize)]
pub struct PriceChange {
    pub was: Money,
    pub now: Option<Money>,
}

/// A priced cart line.
#[derive(Clone, Debug, Serialize)]
pub struct CartLineView {
    pub id: Uuid,
    pub sku: String,
    pub name: String,
    pub quantity: Decimal,
    pub unit_price: Option<Money>,
    /// Quantity × unit price, before promotions.
    pub line_total: Option<Money>,
    /// What promotions take off this line.
    pub discount: Money,
    /// What the line costs after promotions.
    pub total: Option<Money>,
    pub price_list: Option<PriceListRef>,
    pub tier: Option<TierBreak>,
    pub availability: Availability,
    /// Set when the unit price differs from the one last shown.
    pub price_changed: Option<PriceChange>,
    /// Empty when the line can be ordered.
    pub problems: Vec<LineProblem>,
    #[serde(skip)]
    pub(crate) facts: Option<SkuFacts>,
    /// The unit price last shown, as stored (storage units).
    #[serde(skip)]
    pub(crate) seen_units: Option<i64>,
}

/// A cart as the buyer sees it now.
#[derive(Clone, Debug, Serialize)]
pub struct CartView {
    pub id: Uuid,
    pub name: Option<String>,
    pub status: String,
    pub currency: mercato_core::Currency,
    pub lines: Vec<CartLineView>,
    /// The lines before promotions.
    pub subtotal: Money,
    /// What promotions take off, in all.
    pub discount: Money,
    /// The promotions that applied, in the order they applied.
    pub promotions: Vec<AppliedView>,
    /// Coupon codes entered on the cart.
    pub coupons: Vec<String>,
    /// A promotion makes shipping free.
    pub free_shipping: bool,
    /// Tax on the lines after promotions (shipping is added at checkout).
    pub tax: Option<pricing::QuoteTax>,
    /// What the lines cost after promotions and with tax.
    pub total: Money,
    /// Whether every line can be ordered as it stands.
    pub orderable: bool,
    /// Whether a price changed since the buyer last saw this cart.
    pub prices_changed: bool,
    /// The active promotions that did not apply, and why (for staff
    /// previews; buyers are told about their coupons when they enter them).
    #[serde(skip)]
    pub not_applied: Vec<mercato_core::promotion::NotApplied>,
}

/// Prices `lines` for the shopper and checks each: known, active, sold in
/// the market, quantity allowed, priced.
pub(crate) async fn evaluate(
    app: &App,
    s: &Shopper,
    cart: &Cart,
    lines: Vec<CartLine>,
    lang: Option<&Lang>,
) -> Result<CartView, AppError> {
    let skus: Vec<String> = lines.iter().map(|l| l.sku.clone()).collect();
    let mut facts = store::sku_facts(app.db(), &skus).await?;
    let stock = availability_of(app, &skus, s.show_exact_stock).await?;
    let currency = mercato_core::Currency::parse(&s.company.currency)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let items: Vec<QuoteItem> = lines
        .iter()
        .map(|l| QuoteItem {
            sku: l.sku.clone(),
            quantity: l.quantity,
        })
        .collect();
    let quote = if items.is_empty() {
        None
    } else {
        Some(pricing::price_at(app, &s.company, &items, s.at).await?)
    };
    let lang = lang.cloned().unwrap_or_else(Lang::en);
    let mut views = Vec::with_capacity(lines.len());
    let mut prices_changed = false;
    for (i, l) in lines.into_iter().enumerate() {
        let f = facts.remove(&l.sku);
        let q = quote.as_ref().and_then(|q| q.lines.get(i));
        let mut problems = Vec::new();
        match &f {
            None => problems.push(LineProblem {
                code: "unknown_sku",
                message: format!("there is no SKU {}", l.sku),
            }),
            Some(f) if !f.active => problems.push(LineProblem {
                code: "inactive_sku",
                message: format!("{} is no longer sold", l.sku),
            }),
            Some(f) if !f.markets.is_empty() && !f.markets.contains(&s.company.market_code) => {
                problems.push(LineProblem {
                    code: "not_sold_here",
                    message: format!("{} is not sold in your market", l.sku),
                })
            }
            Some(f) => {
                if let Err(e) = f.rules.check(l.quantity) {
                    problems.push(quantity_problem(&e));
                }
            }
        }
        let unit_price = q.and_then(|q| q.unit_price);
        if f.is_some() && unit_price.is_none() {
            problems.push(LineProblem {
                code: "no_price",
                message: format!("{} has no price for you yet; ask for a quote", l.sku),
            });
        }
        let seen = l
            .seen_unit_price
            .map(|u| Money::from_storage_units(u, currency));
        let price_changed = match (seen, unit_price) {
            (Some(was), now) if Some(was) != now => Some(PriceChange { was, now }),
            _ => None,
        };
        prices_changed |= price_changed.is_some();
        let availability = stock
            .get(&l.sku)
            .cloned()
            .unwrap_or(Availability::OutOfStock);
        views.push(CartLineView {
            id: l.id,
            name: f
                .as_ref()
                .and_then(|f| f.name.resolve(&lang, &[]).map(str::to_string))
                .unwrap_or_else(|| l.sku.clone()),
            sku: l.sku,
            quantity: l.quantity,
            unit_price,
            line_total: q.and_then(|q| q.line_total),
            discount: Money::zero(currency),
            total: q.and_then(|q| q.line_total),
            price_list: q.and_then(|q| q.price_list.clone()),
            tier: q.and_then(|q| q.tier.clone()),
            availability,
            price_changed,
            problems,
            facts: f,
            seen_units: l.seen_unit_price,
        });
    }
    let zero = Money::zero(currency);
    let err = |e: mercato_core::MoneyError| AppError::Internal(e.to_string());
    let subtotal = quote.as_ref().map_or(zero, |q| q.subtotal);
    let outcome = promotions_for(app, s, cart, &views, currency).await?;
    let mut discount = zero;
    let mut promotions = Vec::new();
    let mut free_shipping = false;
    let mut not_applied = Vec::new();
    if let Some((o, promos)) = outcome {
        not_applied = o.not_applied;
        for (v, d) in views.iter_mut().zip(&o.line_discounts) {
            v.discount = *d;
            v.total = v
                .line_total
                .map(|t| t.checked_sub(d))
                .transpose()
                .map_err(err)?;
        }
        discount = o.discount_total;
        free_shipping = o.free_shipping;
        promotions = o
            .applied
            .into_iter()
            .map(|a| AppliedView {
                limits: promos
                    .iter()
                    .find(|p| p.id == a.id)
                    .map_or((None, None), |p| (p.usage_limit, p.per_company_limit)),
                id: a.id,
                name: a.name,
                discount: a.discount,
                free_shipping: a.free_shipping,
            })
            .collect();
    }
    // Tax follows what is charged: the lines after promotions.
    let (tax, total) = if discount.amount().is_zero() {
        (
            quote.as_ref().and_then(|q| q.tax.clone()),
            quote.as_ref().map_or(zero, |q| q.total),
        )
    } else {
        let amounts: Vec<Money> = views.iter().filter_map(|v| v.total).collect();
        let tax = pricing::tax_for(app, &s.company, currency, &amounts).await?;
        let net = subtotal.checked_sub(&discount).map_err(err)?;
        let total = tax.as_ref().map_or(net, |t| t.gross);
        (tax, total)
    };
    Ok(CartView {
        id: cart.id,
        name: cart.name.clone(),
        status: cart.status.clone(),
        currency,
        orderable: !views.is_empty() && views.iter().all(|v| v.problems.is_empty()),
        lines: views,
        subtotal,
        discount,
        promotions,
        coupons: cart.coupons.clone(),
        free_shipping,
        tax,
        total,
        prices_changed,
        not_applied,
    })
}

/// The cart as the promotions engine sees it.
async fn promotion_context(
    app: &App,
    s: &Shopper,
    cart: &Cart,
    views: &[CartLineView],
    currency: mercato_core::Currency,
    usage: BTreeMap<Uuid, mercato_core::promotion::Usage>,
) -> Result<CartContext, AppError> {
    let taxonomy = crate::catalog::taxonomy(app).await?;
    let mut lines = Vec::with_capacity(views.len());
    for v in views {
        let (Some(unit_price), Some(line_total)) = (v.unit_price, v.line_total) else {
            // Unpriced lines cannot be discounted; they still take a slot so
            // discounts line up with cart lines.
            lines.push(PromoLine {
                sku: v.sku.clone(),
                categories: Vec::new(),
                brand: None,
                quantity: Decimal::ZERO,
                unit_price: Money::zero(currency),
                line_total: Money::zero(currency),
            });
            continue;
        };
        let facts = v.facts.as_ref();
        let mut categories = Vec::new();
        let mut at = facts
            .and_then(|f| f.category_id)
            .map(mercato_core::CategoryId);
        // Walk up the tree (bounded, in case of a corrupt cycle).
        for _ in 0..32 {
            let Some(c) = at.and_then(|id| taxonomy.categories.get(&id)) else {
                break;
            };
            categories.push(c.slug.as_str().to_string());
            at = c.parent;
        }
        let brand = facts
            .and_then(|f| f.brand_id)
            .and_then(|b| taxonomy.brands.get(&mercato_core::BrandId(b)))
            .map(|b| b.slug.as_str().to_string());
        lines.push(PromoLine {
            sku: v.sku.clone(),
            categories,
            brand,
            quantity: v.quantity,
            unit_price,
            line_total,
        });
    }
    let first_order = !mercato_store::orders::has_orders(app.db(), s.company.id).await?;
    Ok(CartContext {
        currency,
        lines,
        customer_group: s.company.customer_group.clone(),
        first_order,
        coupons: cart.coupons.clone(),
        at: s.at,
        usage,
    })
}

/// What the active promotions do to the cart, and those promotions;
/// `None` when none is active.
async fn promotions_for(
    app: &App,
    s: &Shopper,
    cart: &Cart,
    views: &[CartLineView],
    currency: mercato_core::Currency,
) -> Result<Option<(PromotionOutcome, Vec<Promotion>)>, AppError> {
    if views.is_empty() {
        return Ok(None);
    }
    let (promos, usage) =
        crate::promotions::for_cart(app, currency, &s.company.market_code, s.company.id, s.at)
            .await?;
    if promos.is_empty() {
        return Ok(None);
    }
    let ctx = promotion_context(app, s, cart, views, currency, usage).await?;
    let outcome = mercato_core::promotion::apply(&promos, &ctx);
    Ok(Some((outcome, promos)))
}

/// The cart company `company` would see for `items` with `coupons`, in
/// its market now or in `scenario`, priced and discounted exactly as its
/// own cart would be (staff with `manage_prices` checking prices and
/// promotions). Nothing is stored: the cart exists only for this answer.
pub async fn preview(
    app: &App,
    p: &Principal,
    company: mercato_core::CompanyId,
    items: Vec<pricing::QuoteItem>,
    coupons: Vec<String>,
    scenario: &pricing::Scenario,
    lang: Option<&Lang>,
) -> Result<CartView, AppError> {
    let c = pricing::staff_company(app, p, company).await?;
    if items.is_empty() || items.len() > MAX_CART_LINES {
        return Err(AppError::invalid(
            "items",
            "out_of_range",
            format!("give 1 to {MAX_CART_LINES} lines"),
        ));
    }
    let (company, at) = pricing::in_scenario(app, c, scenario).await?;
    let s = Shopper {
        scope: CompanyScope::after_access_check(company.id),
        user: p.user.id,
        show_exact_stock: false,
        company,
        at,
    };
    let cart = Cart {
        id: Uuid::nil(),
        company_id: s.company.id,
        user_id: p.user.id,
        name: None,
        status: "open".to_string(),
        coupons: coupons
            .into_iter()
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty())
            .collect(),
        updated_at: Timestamp::now(),
    };
    let lines = items
        .into_iter()
        .map(|i| CartLine {
            id: Uuid::now_v7(),
            sku: i.sku.trim().to_string(),
            quantity: i.quantity,
            seen_unit_price: None,
        })
        .collect();
    evaluate(app, &s, &cart, lines, lang).await
}

/// Enters a coupon code on the cart, or says exactly why not (unknown,
/// not yet valid, expired, used up, used up by the company, conditions not
/// met, nothing in the cart qualifies).
pub async fn add_coupon(
    app: &App,
    p: &Principal,
    cart: Uuid,
    code: &str,
    lang: Option<&Lang>,
) -> Result<CartView, AppError> {
    let s = shopper(app, p).await?;
    let mut c = load(app, &s, cart).await?;
    open_cart(&c)?;
    let code = code.trim().to_string();
    if code.is_empty() || code.chars().count() > 40 {
        return Err(AppError::invalid(
            "code",
            "coupon_unknown",
            "enter a coupon code",
        ));
    }
    if c.coupons.iter().any(|x| x.eq_ignore_ascii_case(&code)) {
        return view(app, &s, &c, lang).await;
    }
    let lines = store::lines(app.db(), c.id).await?;
    let priced = evaluate(app, &s, &c, lines, lang).await?;
    let currency = priced.currency;
    let (promos, usage) =
        crate::promotions::for_cart(app, currency, &s.company.market_code, s.company.id, s.at)
            .await?;
    c.coupons.push(code.clone());
    let ctx = promotion_context(app, &s, &c, &priced.lines, currency, usage).await?;
    if let Err(r) = mercato_core::promotion::check_coupon(&promos, &code, &ctx) {
        let kind = match &r {
            CouponRejection::Unknown { .. } => "coupon_unknown",
            CouponRejection::NotYetValid { .. } => "coupon_not_yet_valid",
            CouponRejection::Expired { .. } => "coupon_expired",
            CouponRejection::Exhausted => "coupon_exhausted",
            CouponRejection::CompanyLimitReached => "coupon_company_limit_reached",
            CouponRejection::ConditionsNotMet(_) => "coupon_conditions_not_met",
            CouponRejection::NothingToDiscount => "coupon_nothing_to_discount",
        };
        return Err(AppError::invalid("code", kind, r.to_string()));
    }
    let mut tx = app.db().begin().await?;
    store::set_coupons(&mut tx, c.id, &c.coupons, Timestamp::now()).await?;
    tx.commit().await?;
    view(app, &s, &c, lang).await
}

/// Takes a coupon code off the cart.
pub async fn remove_coupon(
    app: &App,
    p: &Principal,
    cart: Uuid,
    code: &str,
    lang: Option<&Lang>,
) -> Result<CartView, AppError> {
    let s = shopper(app, p).await?;
    let mut c = load(app, &s, cart).await?;
    open_cart(&c)?;
    let before = c.coupons.len();
    c.coupons.retain(|x| !x.eq_ignore_ascii_case(code.trim()));
    if c.coupons.len() == before {
        return Err(AppError::NotFound("coupon"));
    }
    let mut tx = app.db().begin().await?;
    store::set_coupons(&mut tx, c.id, &c.coupons, Timestamp::now()).await?;
    tx.commit().await?;
    view(app, &s, &c, lang).await
}

fn quantity_problem(e: &QuantityError) -> LineProblem {
    LineProblem {
        code: e.code(),
        message: e.to_string(),
    }
}

/// Remembers the prices the buyer has now been shown; writes only the
/// lines whose price moved (usually none, so viewing a cart writes
/// nothing).
pub(crate) async fn mark_seen(app: &App, view: &CartView) -> Result<(), AppError> {
    let currency = view.currency;
    let seen: Vec<(Uuid, Option<i64>)> = view
        .lines
        .iter()
        .filter_map(|l| {
            let units = l
                .unit_price
                .filter(|m| m.currency() == currency)
                .and_then(|m| m.to_storage_units().ok());
            (units != l.seen_units).then_some((l.id, units))
        })
        .collect();
    if seen.is_empty() {
        return Ok(());
    }
    let mut tx = app.db().begin().await?;
    store::set_seen_prices(&mut tx, view.id, &seen).await?;
    tx.commit().await?;
    Ok(())
}

/// One of the shopper's own carts (else 404).
pub(crate) async fn load(app: &App, s: &Shopper, id: Uuid) -> Result<Cart, AppError> {
    match store::get(app.db(), &s.scope, id).await? {
        // Another user's cart in the same company is as invisible as
        // another company's.
        Some(c) if c.user_id == s.user => Ok(c),
        _ => Err(AppError::NotFound("cart")),
    }
}

async fn view(
    app: &App,
    s: &Shopper,
    cart: &Cart,
    lang: Option<&Lang>,
) -> Result<CartView, AppError> {
    let lines = store::lines(app.db(), cart.id).await?;
    let v = evaluate(app, s, cart, lines, lang).await?;
    mark_seen(app, &v).await?;
    Ok(v)
}

/// The caller's active cart, created when there is none (`true` when it
/// was created), or a new saved cart when `name` is given.
pub async fn open(
    app: &App,
    p: &Principal,
    name: Option<&str>,
    lang: Option<&Lang>,
) -> Result<(CartView, bool), AppError> {
    let s = shopper(app, p).await?;
    let name = name.map(str::trim).filter(|n| !n.is_empty());
    if let Some(n) = name
        && n.chars().count() > 100
    {
        return Err(AppError::invalid(
            "name",
            "invalid_name",
            "a cart name is at most 100 characters",
        ));
    }
    if name.is_none()
        && let Some(c) = store::active(app.db(), &s.scope, s.user).await?
    {
        return Ok((view(app, &s, &c, lang).await?, false));
    }
    let mut tx = app.db().begin().await?;
    let id = store::create(&mut tx, &s.scope, s.user, name, Timestamp::now()).await;
    let id = match id {
        Ok(id) => id,
        // Two first requests raced to create the active cart: use theirs.
        Err(e) if e.is_conflict_on("cart_one_active") || e.is_conflict_on("cart.user_id") => {
            drop(tx);
            let c = store::active(app.db(), &s.scope, s.user)
                .await?
                .ok_or(AppError::NotFound("cart"))?;
            return Ok((view(app, &s, &c, lang).await?, false));
        }
        Err(e) => return Err(e.into()),
    };
    tx.commit().await?;
    let c = load(app, &s, id).await?;
    Ok((view(app, &s, &c, lang).await?, true))
}

/// The caller's open carts (the active one first).
pub async fn list(app: &App, p: &Principal) -> Result<Vec<Cart>, AppError> {
    let s = shopper(app, p).await?;
    Ok(store::list(app.db(), &s.scope, s.user).await?)
}

/// One of the caller's carts, priced now.
pub async fn get(
    app: &App,
    p: &Principal,
    id: Uuid,
    lang: Option<&Lang>,
) -> Result<CartView, AppError> {
    let s = shopper(app, p).await?;
    let c = load(app, &s, id).await?;
    view(app, &s, &c, lang).await
}

fn open_cart(c: &Cart) -> Result<(), AppError> {
    if c.status != "open" {
        return Err(AppError::Conflict {
            code: "cart_ordered",
            detail: "this cart has been ordered; start a new one".into(),
        });
    }
    Ok(())
}

/// Adds a SKU (or sets its quantity when it is already in the cart).
/// Refused with the reason: unknown or inactive SKU, a quantity the SKU
/// cannot be ordered in, a full cart.
pub async fn put_line(
    app: &App,
    p: &Principal,
    cart: Uuid,
    sku: &str,
    quantity: Decimal,
    lang: Option<&Lang>,
) -> Result<CartView, AppError> {
    let s = shopper(app, p).await?;
    let c = load(app, &s, cart).await?;
    open_cart(&c)?;
    let sku = resolve_sku(app, sku).await?.ok_or_else(|| {
        AppError::invalid(
            "sku",
            "unknown_sku",
            format!("there is no SKU {:?}", sku.trim()),
        )
    })?;
    check_line(app, &s, &sku, quantity).await?;
    let existing = store::lines(app.db(), c.id).await?;
    if existing.len() >= MAX_CART_LINES && !existing.iter().any(|l| l.sku == sku) {
        return Err(AppError::invalid(
            "sku",
            "cart_full",
            format!("a cart holds at most {MAX_CART_LINES} lines"),
        ));
    }
    let mut tx = app.db().begin().await?;
    store::put_line(&mut tx, c.id, &sku, quantity, Timestamp::now()).await?;
    tx.commit().await?;
    view(app, &s, &c, lang).await
}

/// The exact SKU for what a buyer typed (`m8-20` finds `M8x20`).
async fn resolve_sku(app: &App, typed: &str) -> Result<Option<String>, AppError> {
    let typed = typed.trim();
    if typed.is_empty() || typed.chars().count() > 100 {
        return Ok(None);
    }
    let Some((_, variant)) = mercato_store::catalog::find_sku(app.db(), typed).await? else {
        return Ok(None);
    };
    Ok(mercato_store::catalog::sku_of_variant(app.db(), variant).await?)
}

async fn check_line(app: &App, s: &Shopper, sku: &str, quantity: Decimal) -> Result<(), AppError> {
    let facts = store::sku_facts(app.db(), &[sku.to_string()]).await?;
    let f = facts.get(sku).ok_or_else(|| {
        AppError::invalid("sku", "unknown_sku", format!("there is no SKU {sku:?}"))
    })?;
    if !f.active {
        return Err(AppError::invalid(
            "sku",
            "inactive_sku",
            format!("{sku} is no longer sold"),
        ));
    }
    if !f.markets.is_empty() && !f.markets.contains(&s.company.market_code) {
        return Err(AppError::invalid(
            "sku",
            "not_sold_here",
            format!("{sku} is not sold in your market"),
        ));
    }
    f.rules
        .check(quantity)
        .map_err(|e| AppError::invalid("quantity", e.code(), e.to_string()))
}

/// Changes a line's quantity.
pub async fn set_quantity(
    app: &App,
    p: &Principal,
    cart: Uuid,
    line: Uuid,
    quantity: Decimal,
    lang: Option<&Lang>,
) -> Result<CartView, AppError> {
    let s = shopper(app, p).await?;
    let c = load(app, &s, cart).await?;
    open_cart(&c)?;
    let lines = store::lines(app.db(), c.id).await?;
    let l = lines
        .iter()
        .find(|l| l.id == line)
        .ok_or(AppError::NotFound("cart line"))?;
    check_line(app, &s, &l.sku, quantity).await?;
    let mut tx = app.db().begin().await?;
    store::set_quantity(&mut tx, c.id, line, quantity, Timestamp::now()).await?;
    tx.commit().await?;
    view(app, &s, &c, lang).await
}

/// Removes a line.
pub async fn delete_line(
    app: &App,
    p: &Principal,
    cart: Uuid,
    line: Uuid,
    lang: Option<&Lang>,
) -> Result<CartView, AppError> {
    let s = shopper(app, p).await?;
    let c = load(app, &s, cart).await?;
    open_cart(&c)?;
    let mut tx = app.db().begin().await?;
    let found = store::delete_line(&mut tx, c.id, line, Timestamp::now()).await?;
    tx.commit().await?;
    if !found {
        return Err(AppError::NotFound("cart line"));
    }
    view(app, &s, &c, lang).await
}

/// One line of a quick order as typed or uploaded.
#[derive(Clone, Debug)]
pub struct QuickLine {
    pub sku: String,
    pub quantity: String,
}

/// What happened to one quick-order line.
#[derive(Clone, Debug, Serialize)]
pub struct QuickResult {
    /// 1-based position in the input (the line number of pasted text).
    pub line: usize,
    pub sku: String,
    /// `added`, `adjusted` (quantity rounded up to what may be ordered) or
    /// `rejected`.
    pub outcome: &'static str,
    pub quantity: Option<Decimal>,
    pub code: Option<&'static str>,
    pub message: Option<String>,
    /// For an unknown SKU: part numbers it may have meant.
    pub suggestions: Vec<String>,
}

/// Parses pasted "SKU, quantity" text (comma, semicolon, tab or spaces
/// between; `#` comments and blank lines skipped).
pub fn parse_quick_text(text: &str) -> Vec<(usize, QuickLine)> {
    text.lines()
        .enumerate()
        .filter_map(|(i, raw)| {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                return None;
            }
            let (sku, qty) = match line.rfind([',', ';', '\t', ' ']) {
                Some(at) => (
                    line[..at].trim().trim_end_matches([',', ';']).trim(),
                    line[at + 1..].trim(),
                ),
                None => (line, "1"),
            };
            Some((
                i + 1,
                QuickLine {
                    sku: sku.to_string(),
                    quantity: qty.to_string(),
                },
            ))
        })
        // A header row ("sku,quantity") is not an order line.
        .filter(|(n, l)| !(*n == 1 && l.sku.eq_ignore_ascii_case("sku")))
        .collect()
}

/// Column names a quick-order file's SKU column goes by (matched without
/// regard to case), in English, German and Chinese ERP exports.
const SKU_HEADERS: [&str; 10] = [
    "sku",
    "part number",
    "part_number",
    "part no",
    "item",
    "article",
    "artikelnummer",
    "物料号",
    "料号",
    "货号",
];
const QUANTITY_HEADERS: [&str; 6] = [
    "quantity",
    "qty",
    "menge",
    "数量",
    "订购数量",
    "order quantity",
];

/// Reads an uploaded quick-order file (CSV in UTF-8 or GBK, or XLSX): a
/// SKU column and a quantity column found by name, or, without such a
/// header, the first two columns of every row (the first row included).
/// Line numbers are the rows as the buyer's spreadsheet shows them.
pub fn parse_quick_sheet(
    file_name: Option<&str>,
    bytes: &[u8],
) -> Result<Vec<(usize, QuickLine)>, AppError> {
    use mercato_docs::{SheetLimits, detect_format, read_sheet};
    let limits = SheetLimits {
        max_bytes: 4 * 1024 * 1024,
        max_rows: MAX_CART_LINES,
    };
    let sheet = read_sheet(bytes, detect_format(file_name, bytes), &limits)
        .map_err(|e| AppError::invalid("file", "unreadable_file", e.to_string()))?;
    let line = |n: usize, sku: &str, quantity: &str| {
        (
            n,
            QuickLine {
                sku: sku.trim().to_string(),
                // A blank quantity means one, as in pasted text.
                quantity: match quantity.trim() {
                    "" => "1".to_string(),
                    q => q.to_string(),
                },
            },
        )
    };
    let mut out = Vec::new();
    let (sku_col, qty_col) = match (
        sheet.column_any(&SKU_HEADERS),
        sheet.column_any(&QUANTITY_HEADERS),
    ) {
        (Some(s), q) => (s, q),
        // No header row: the first row is an order line too.
        (None, _) => {
            let h = &sheet.headers;
            let first = sheet
                .rows
                .first()
                .map_or(1, |r| r.line.saturating_sub(1).max(1));
            out.push(line(
                first,
                h.first().map_or("", String::as_str),
                h.get(1).map_or("", String::as_str),
            ));
            (0, Some(1).filter(|_| h.len() > 1))
        }
    };
    for r in &sheet.rows {
        let sku = r.get(Some(sku_col));
        if sku.trim().is_empty() {
            continue;
        }
        out.push(line(r.line, sku, r.get(qty_col)));
    }
    Ok(out)
}

/// Quick order: adds many lines at once and says for each whether it was
/// added, adjusted to the SKU's minimum and step, or rejected and why
/// (with suggestions for an unknown SKU). Valid lines are added even when
/// others are rejected.
pub async fn add_bulk(
    app: &App,
    p: &Principal,
    cart: Uuid,
    input: Vec<(usize, QuickLine)>,
    lang: Option<&Lang>,
) -> Result<(Vec<QuickResult>, CartView), AppError> {
    let s = shopper(app, p).await?;
    let c = load(app, &s, cart).await?;
    open_cart(&c)?;
    if input.is_empty() || input.len() > MAX_CART_LINES {
        return Err(AppError::invalid(
            "lines",
            "out_of_range",
            format!("give 1 to {MAX_CART_LINES} lines"),
        ));
    }
    let existing: BTreeMap<String, Decimal> = store::lines(app.db(), c.id)
        .await?
        .into_iter()
        .map(|l| (l.sku, l.quantity))
        .collect();
    let mut results = Vec::with_capacity(input.len());
    let mut accepted: Vec<(String, Decimal)> = Vec::new();
    for (n, l) in input {
        let typed = l.sku.trim().to_string();
        let reject = |code: &'static str, message: String, suggestions: Vec<String>| QuickResult {
            line: n,
            sku: typed.clone(),
            outcome: "rejected",
            quantity: None,
            code: Some(code),
            message: Some(message),
            suggestions,
        };
        let quantity: Decimal = match l.quantity.trim().replace(',', ".").parse() {
            Ok(q) => q,
            Err(_) => {
                results.push(reject(
                    "invalid_quantity",
                    format!("{:?} is not a quantity", l.quantity),
                    vec![],
                ));
                continue;
            }
        };
        let Some(sku) = resolve_sku(app, &typed).await? else {
            let suggestions = suggest_skus(app, &typed, &s.company.market_code).await;
            results.push(reject(
                "unknown_sku",
                format!("there is no SKU {typed:?}"),
                suggestions,
            ));
            continue;
        };
        let facts = store::sku_facts(app.db(), std::slice::from_ref(&sku)).await?;
        let Some(f) = facts.get(&sku) else {
            results.push(reject(
                "unknown_sku",
                format!("there is no SKU {typed:?}"),
                vec![],
            ));
            continue;
        };
        if !f.active {
            results.push(reject(
                "inactive_sku",
                format!("{sku} is no longer sold"),
                vec![],
            ));
            continue;
        }
        if !f.markets.is_empty() && !f.markets.contains(&s.company.market_code) {
            results.push(reject(
                "not_sold_here",
                format!("{sku} is not sold in your market"),
                vec![],
            ));
            continue;
        }
        // The same SKU twice (or already in the cart) adds up.
        let before = accepted
            .iter()
            .rev()
            .find(|a| a.0 == sku)
            .map(|a| a.1)
            .or_else(|| existing.get(&sku).copied())
            .unwrap_or_default();
        let wanted = before + quantity;
        let (outcome, q, msg) = match f.rules.check(wanted) {
            Ok(()) => ("added", wanted, None),
            Err(QuantityError::NotPositive)
            | Err(QuantityError::TooMany { .. })
            | Err(QuantityError::TooPrecise) => {
                let e = f.rules.check(wanted).err();
                let p = e.as_ref().map(quantity_problem);
                results.push(reject(
                    e.as_ref().map_or("invalid_quantity", QuantityError::code),
                    p.map(|p| p.message).unwrap_or_default(),
                    vec![],
                ));
                continue;
            }
            Err(e) => match f.rules.adjust(wanted) {
                Ok(a) => ("adjusted", a, Some(format!("{e}; changed to {a}"))),
                Err(e2) => {
                    results.push(reject(e2.code(), e2.to_string(), vec![]));
                    continue;
                }
            },
        };
        accepted.retain(|a| a.0 != sku);
        accepted.push((sku.clone(), q));
        results.push(QuickResult {
            line: n,
            sku,
            outcome,
            quantity: Some(q - before),
            code: None,
            message: msg,
            suggestions: vec![],
        });
    }
    let new_skus = accepted
        .iter()
        .filter(|a| !existing.contains_key(&a.0))
        .count();
    if existing.len() + new_skus > MAX_CART_LINES {
        return Err(AppError::invalid(
            "lines",
            "cart_full",
            format!("a cart holds at most {MAX_CART_LINES} lines"),
        ));
    }
    if !accepted.is_empty() {
        let now = Timestamp::now();
        let mut tx = app.db().begin().await?;
        for (sku, q) in &accepted {
            store::put_line(&mut tx, c.id, sku, *q, now).await?;
        }
        tx.commit().await?;
    }
    let v = view(app, &s, &c, lang).await?;
    Ok((results, v))
}

/// Part numbers close to an unknown one, from the search index when this
/// node has one.
async fn suggest_skus(app: &App, typed: &str, market: &str) -> Vec<String> {
    if app.search().is_none() || typed.is_empty() {
        return Vec::new();
    }
    match crate::search::suggest(app, typed, Some(market), None, 5).await {
        Ok(found) => found
            .into_iter()
            .filter(|s| s.kind == "part_number")
            .map(|s| s.value)
            .take(3)
            .collect(),
        Err(_) => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(lines: &[(usize, QuickLine)]) -> Vec<(usize, &str, &str)> {
        lines
            .iter()
            .map(|(n, l)| (*n, l.sku.as_str(), l.quantity.as_str()))
            .collect()
    }

    #[test]
    fn quick_order_files_with_a_header_use_its_columns() {
        let csv = "Description;Qty;Part Number\nBolt;100;HB931-M8X35-A2\nNut;;HB934-M8-A2\n;;\n";
        let lines = parse_quick_sheet(Some("order.csv"), csv.as_bytes()).unwrap();
        assert_eq!(
            pairs(&lines),
            vec![(2, "HB931-M8X35-A2", "100"), (3, "HB934-M8-A2", "1")]
        );
    }

    #[test]
    fn quick_order_files_without_a_header_read_the_first_two_columns() {
        let csv = "HB931-M8X35-A2,100\nHB934-M8-A2,50\n";
        let lines = parse_quick_sheet(Some("order.csv"), csv.as_bytes()).unwrap();
        assert_eq!(
            pairs(&lines),
            vec![(1, "HB931-M8X35-A2", "100"), (2, "HB934-M8-A2", "50")]
        );
    }

    #[test]
    fn quick_order_xlsx_files_are_read() {
        let xlsx = mercato_docs::write_xlsx(
            &["sku".to_string(), "数量".to_string()],
            &[
                vec!["HB931-M8X35-A2".to_string(), "100".to_string()],
                vec!["HB934-M8-A2".to_string(), "5".to_string()],
            ],
        )
        .unwrap();
        let lines = parse_quick_sheet(Some("order.xlsx"), &xlsx).unwrap();
        assert_eq!(
            pairs(&lines),
            vec![(2, "HB931-M8X35-A2", "100"), (3, "HB934-M8-A2", "5")]
        );
        assert!(matches!(
            parse_quick_sheet(Some("order.xlsx"), b"PK\x03\x04 not a workbook"),
            Err(AppError::Invalid(_))
        ));
    }
}
