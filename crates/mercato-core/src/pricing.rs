//! Price lists and the one rule that picks a buyer's price: deterministic,
//! explainable, and free of I/O. The store loads the candidate lists for a
//! SKU; [`resolve`] decides, and says which list and tier won and why every
//! other candidate lost.
//!
//! The rule (ARCHITECTURE.md, "Prices"): among the lists that apply to the
//! buyer (currency, market, validity, audience, an entry with a tier for the
//! quantity), the most specific audience wins (company > customer tier >
//! customer group > everyone); ties go to the higher priority, then to the
//! lower price, then to the lower list id (so the answer never depends on
//! load order). A company set to "best of" gets the lowest applicable price
//! instead. Within a list the tier with the highest minimum quantity not
//! above the ordered quantity applies.

use crate::id::CompanyId;
use crate::money::{Currency, Money, MoneyError, STORAGE_SCALE};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use time::OffsetDateTime;

/// Who a price list is for, from least to most specific.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Audience {
    /// Everyone in the list's market: the list price.
    Everyone,
    /// A customer group (P4), by code.
    Group(String),
    /// A customer tier (P12), by code.
    Tier(String),
    /// One company: a contract price (P10).
    Company(CompanyId),
}

impl Audience {
    /// Higher is more specific.
    pub fn specificity(&self) -> u8 {
        match self {
            Audience::Everyone => 0,
            Audience::Group(_) => 1,
            Audience::Tier(_) => 2,
            Audience::Company(_) => 3,
        }
    }

    /// A short label for explanations (`company`, `tier gold`, …).
    pub fn label(&self) -> String {
        match self {
            Audience::Everyone => "everyone".into(),
            Audience::Group(g) => format!("group {g}"),
            Audience::Tier(t) => format!("tier {t}"),
            Audience::Company(_) => "contract".into(),
        }
    }

    fn applies_to(&self, b: &Buyer) -> bool {
        match self {
            Audience::Everyone => true,
            Audience::Group(g) => b.group.as_deref() == Some(g.as_str()),
            Audience::Tier(t) => b.tier.as_deref() == Some(t.as_str()),
            Audience::Company(c) => b.company == Some(*c),
        }
    }
}

/// One step of a tier table: from `min_quantity` on, each unit costs
/// `unit_price`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TierBreak {
    pub min_quantity: Decimal,
    pub unit_price: Decimal,
}

/// Why a tier table was refused. Said at entry time, never at checkout.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TierError {
    #[error("give at least one tier")]
    Empty,
    #[error("tier {index}: minimum quantity must be positive, not {value}")]
    NonPositiveQuantity { index: usize, value: Decimal },
    #[error("tier {index}: unit price must be positive, not {value}")]
    NonPositivePrice { index: usize, value: Decimal },
    #[error("tier {index}: unit price {value} has more than 4 decimals")]
    TooPrecise { index: usize, value: Decimal },
    #[error("two tiers start at quantity {0}: tier breaks must not overlap")]
    Overlap(Decimal),
    #[error(
        "the tier from {from} costs {price}, more than {previous} for fewer units: more quantity must never raise the unit price"
    )]
    PriceRises {
        from: Decimal,
        price: Decimal,
        previous: Decimal,
    },
}

/// A validated tier table: sorted by minimum quantity, no two tiers at the
/// same quantity, prices positive with at most 4 decimals and never rising
/// with quantity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TierTable(Vec<TierBreak>);

impl TierTable {
    /// Validates and sorts `tiers`.
    pub fn new(mut tiers: Vec<TierBreak>) -> Result<Self, TierError> {
        if tiers.is_empty() {
            return Err(TierError::Empty);
        }
        for (i, t) in tiers.iter().enumerate() {
            let index = i + 1;
            if t.min_quantity <= Decimal::ZERO {
                return Err(TierError::NonPositiveQuantity {
                    index,
                    value: t.min_quantity,
                });
            }
            if t.unit_price <= Decimal::ZERO {
                return Err(TierError::NonPositivePrice {
                    index,
                    value: t.unit_price,
                });
            }
            if t.unit_price.normalize().scale() > STORAGE_SCALE {
                return Err(TierError::TooPrecise {
                    index,
                    value: t.unit_price,
                });
            }
        }
        tiers.sort_by_key(|t| t.min_quantity);
        for w in tiers.windows(2) {
            if w[0].min_quantity == w[1].min_quantity {
                return Err(TierError::Overlap(w[0].min_quantity));
            }
            if w[1].unit_price > w[0].unit_price {
                return Err(TierError::PriceRises {
                    from: w[1].min_quantity,
                    price: w[1].unit_price,
                    previous: w[0].unit_price,
                });
            }
        }
        Ok(Self(tiers))
    }

    /// The tiers, by minimum quantity.
    pub fn tiers(&self) -> &[TierBreak] {
        &self.0
    }

    /// The tier for `quantity`: the highest minimum not above it.
    pub fn tier_for(&self, quantity: Decimal) -> Option<&TierBreak> {
        self.0.iter().rev().find(|t| t.min_quantity <= quantity)
    }
}

/// A price list with the entry for the SKU being priced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PriceListCandidate {
    pub id: uuid::Uuid,
    pub name: String,
    pub currency: Currency,
    /// `None`: every market.
    pub market: Option<String>,
    pub audience: Audience,
    /// Higher wins among lists of the same specificity.
    pub priority: i32,
    pub valid_from: Option<OffsetDateTime>,
    pub valid_to: Option<OffsetDateTime>,
    pub tiers: TierTable,
}

/// Where a moment lies against a validity window `[from, to)`: the one
/// reading of a window, for resolving prices and for showing staff which
/// lists are in force.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Validity {
    /// Before `from`.
    NotYetValid,
    /// In the window (an open end never closes it).
    Valid,
    /// At or after `to`: `to` is the first moment it no longer applies.
    Expired,
}

impl Validity {
    /// Where `at` lies in `[from, to)`.
    pub fn of(
        from: Option<OffsetDateTime>,
        to: Option<OffsetDateTime>,
        at: OffsetDateTime,
    ) -> Self {
        if from.is_some_and(|f| at < f) {
            Validity::NotYetValid
        } else if to.is_some_and(|t| at >= t) {
            Validity::Expired
        } else {
            Validity::Valid
        }
    }

    /// The stable code (`not_yet_valid`, `valid`, `expired`).
    pub fn code(self) -> &'static str {
        match self {
            Validity::NotYetValid => "not_yet_valid",
            Validity::Valid => "valid",
            Validity::Expired => "expired",
        }
    }
}

/// Who is buying, where and when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Buyer {
    pub company: Option<CompanyId>,
    pub group: Option<String>,
    pub tier: Option<String>,
    pub market: String,
    pub currency: Currency,
    pub at: OffsetDateTime,
    /// The company takes the lowest applicable price, whatever its source.
    pub best_of: bool,
}

/// Why a candidate did not set the price.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Lost {
    /// Another company's, group's or tier's list.
    NotForThisBuyer,
    OtherMarket,
    OtherCurrency,
    NotYetValid,
    Expired,
    /// Its first tier starts above the ordered quantity.
    QuantityBelowFirstTier {
        min_quantity: Decimal,
    },
    LessSpecific {
        than: uuid::Uuid,
    },
    LowerPriority {
        than: uuid::Uuid,
    },
    HigherPrice {
        than: uuid::Uuid,
    },
    /// Same specificity, priority and price: the lower list id wins.
    TieBroken {
        than: uuid::Uuid,
    },
}

/// One candidate in an explanation. Names are looked up from the
/// candidate list by `index` only when an explanation is shown, so pricing
/// a cart allocates no strings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CandidateOutcome {
    /// Position in the candidates given to [`resolve`].
    #[serde(skip)]
    pub index: usize,
    pub list_id: uuid::Uuid,
    /// The unit price this list would give, when it applies.
    pub unit_price: Option<Decimal>,
    /// `None` for the winner.
    pub lost: Option<Lost>,
}

/// The buyer's price for a quantity, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Resolution {
    pub unit_price: Money,
    pub list_id: uuid::Uuid,
    /// Position of the winning list in the candidates given to [`resolve`].
    #[serde(skip)]
    pub list_index: usize,
    pub tier: TierBreak,
    /// Every candidate, the winner first, then in the order given.
    pub candidates: Vec<CandidateOutcome>,
}

/// Why no price could be found.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PricingError {
    #[error("quantity must be positive")]
    NonPositiveQuantity,
    #[error(transparent)]
    Money(#[from] MoneyError),
}

/// The tier `c` gives `b` at `quantity`, or why it does not apply.
fn applicable<'a>(
    c: &'a PriceListCandidate,
    b: &Buyer,
    quantity: Decimal,
) -> Result<&'a TierBreak, Lost> {
    if !c.audience.applies_to(b) {
        return Err(Lost::NotForThisBuyer);
    }
    if c.market.as_deref().is_some_and(|m| m != b.market) {
        return Err(Lost::OtherMarket);
    }
    if c.currency != b.currency {
        return Err(Lost::OtherCurrency);
    }
    match Validity::of(c.valid_from, c.valid_to, b.at) {
        Validity::NotYetValid => return Err(Lost::NotYetValid),
        Validity::Expired => return Err(Lost::Expired),
        Validity::Valid => {}
    }
    c.tiers.tier_for(quantity).ok_or_else(|| {
        let min_quantity = c
            .tiers
            .tiers()
            .first()
            .map_or(Decimal::ZERO, |t| t.min_quantity);
        Lost::QuantityBelowFirstTier { min_quantity }
    })
}

/// Orders two applicable candidates (`Less` = `a` beats `b`) and names the
/// reason the loser lost.
fn contest(
    a: (&PriceListCandidate, Decimal),
    b: (&PriceListCandidate, Decimal),
    best_of: bool,
) -> (Ordering, fn(uuid::Uuid) -> Lost) {
    if best_of {
        let by_price = a.1.cmp(&b.1);
        if by_price != Ordering::Equal {
            return (by_price, |than| Lost::HigherPrice { than });
        }
    } else {
        let spec = b.0.audience.specificity().cmp(&a.0.audience.specificity());
        if spec != Ordering::Equal {
            return (spec, |than| Lost::LessSpecific { than });
        }
    }
    let prio = b.0.priority.cmp(&a.0.priority);
    if prio != Ordering::Equal {
        return (prio, |than| Lost::LowerPriority { than });
    }
    let by_price = a.1.cmp(&b.1);
    if by_price != Ordering::Equal {
        return (by_price, |than| Lost::HigherPrice { than });
    }
    (a.0.id.cmp(&b.0.id), |than| Lost::TieBroken { than })
}

/// The winning candidate's position and tier, without an explanation.
fn pick<'a>(
    candidates: &'a [PriceListCandidate],
    buyer: &Buyer,
    quantity: Decimal,
) -> Option<(usize, &'a TierBreak)> {
    let mut winner: Option<(usize, &TierBreak)> = None;
    for (i, c) in candidates.iter().enumerate() {
        let Ok(tier) = applicable(c, buyer, quantity) else {
            continue;
        };
        winner = match winner {
            Some((w, wt))
                if contest(
                    (&candidates[w], wt.unit_price),
                    (c, tier.unit_price),
                    buyer.best_of,
                )
                .0 != Ordering::Greater =>
            {
                Some((w, wt))
            }
            _ => Some((i, tier)),
        };
    }
    winner
}

/// The buyer's price for `quantity` from `candidates`: the winning list's
/// position, the unit price and the tier; `None` when no list applies. The
/// fast path for carts; [`resolve`] adds the explanation.
pub fn price<'a>(
    candidates: &'a [PriceListCandidate],
    buyer: &Buyer,
    quantity: Decimal,
) -> Result<Option<(usize, Money, &'a TierBreak)>, PricingError> {
    if quantity <= Decimal::ZERO {
        return Err(PricingError::NonPositiveQuantity);
    }
    match pick(candidates, buyer, quantity) {
        Some((w, tier)) => Ok(Some((
            w,
            Money::new(tier.unit_price, buyer.currency)?,
            tier,
        ))),
        None => Ok(None),
    }
}

/// The buyer's unit price for `quantity` of one SKU from `candidates` (the
/// lists that have an entry for it), or `None` when no list applies, with
/// the reason every other candidate lost.
pub fn resolve(
    candidates: &[PriceListCandidate],
    buyer: &Buyer,
    quantity: Decimal,
) -> Result<Option<Resolution>, PricingError> {
    let Some((w, unit_price, tier)) = price(candidates, buyer, quantity)? else {
        return Ok(None);
    };
    let won = &candidates[w];
    let mut outcomes = Vec::with_capacity(candidates.len());
    outcomes.push(CandidateOutcome {
        index: w,
        list_id: won.id,
        unit_price: Some(tier.unit_price),
        lost: None,
    });
    for (i, c) in candidates.iter().enumerate() {
        if i == w {
            continue;
        }
        let (unit_price, lost) = match applicable(c, buyer, quantity) {
            Ok(t) => {
                let (_, reason) = contest((won, tier.unit_price), (c, t.unit_price), buyer.best_of);
                (Some(t.unit_price), reason(won.id))
            }
            Err(lost) => (None, lost),
        };
        outcomes.push(CandidateOutcome {
            index: i,
            list_id: c.id,
            unit_price,
            lost: Some(lost),
        });
    }
    Ok(Some(Resolution {
        unit_price,
        list_id: won.id,
        list_index: w,
        tier: tier.clone(),
        candidates: outcomes,
    }))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal_macros::dec;
    use time::macros::datetime;

    fn tiers(pairs: &[(Decimal, Decimal)]) -> TierTable {
        TierTable::new(
            pairs
                .iter()
                .map(|(q, p)| TierBreak {
                    min_quantity: *q,
                    unit_price: *p,
                })
                .collect(),
        )
        .unwrap()
    }

    fn list(n: u128, audience: Audience, priority: i32, t: TierTable) -> PriceListCandidate {
        PriceListCandidate {
            id: uuid::Uuid::from_u128(n),
            name: format!("list {n}"),
            currency: Currency::parse("EUR").unwrap(),
            market: Some("eu".into()),
            audience,
            priority,
            valid_from: None,
            valid_to: None,
            tiers: t,
        }
    }

    fn buyer(company: CompanyId) -> Buyer {
        Buyer {
            company: Some(company),
            group: Some("oem".into()),
            tier: Some("gold".into()),
            market: "eu".into(),
            currency: Currency::parse("EUR").unwrap(),
            at: datetime!(2026-11-29 12:00 UTC),
            best_of: false,
        }
    }

    #[test]
    fn tier_tables_refuse_what_would_surprise_at_checkout() {
        let t = |v: &[(Decimal, Decimal)]| {
            TierTable::new(
                v.iter()
                    .map(|(q, p)| TierBreak {
                        min_quantity: *q,
                        unit_price: *p,
                    })
                    .collect(),
            )
        };
        assert_eq!(t(&[]), Err(TierError::Empty));
        assert!(matches!(
            t(&[(dec!(1), dec!(0))]),
            Err(TierError::NonPositivePrice { .. })
        ));
        assert!(matches!(
            t(&[(dec!(1), dec!(-2))]),
            Err(TierError::NonPositivePrice { .. })
        ));
        assert!(matches!(
            t(&[(dec!(0), dec!(2))]),
            Err(TierError::NonPositiveQuantity { .. })
        ));
        assert!(matches!(
            t(&[(dec!(1), dec!(0.12345))]),
            Err(TierError::TooPrecise { .. })
        ));
        assert_eq!(
            t(&[(dec!(10), dec!(1)), (dec!(10), dec!(0.9))]),
            Err(TierError::Overlap(dec!(10)))
        );
        assert!(matches!(
            t(&[(dec!(1), dec!(1)), (dec!(100), dec!(1.2))]),
            Err(TierError::PriceRises { .. })
        ));
        // Sub-cent prices with 4 decimals are fine; input order does not matter.
        let ok = t(&[(dec!(1000), dec!(0.0125)), (dec!(1), dec!(0.02))]).unwrap();
        assert_eq!(ok.tier_for(dec!(999)).unwrap().unit_price, dec!(0.02));
        assert_eq!(ok.tier_for(dec!(1000)).unwrap().unit_price, dec!(0.0125));
        assert!(ok.tier_for(dec!(0.5)).is_none());
    }

    #[test]
    fn the_most_specific_list_wins_and_the_losers_say_why() {
        let me = CompanyId::new();
        let other = CompanyId::new();
        let lists = vec![
            list(
                1,
                Audience::Everyone,
                0,
                tiers(&[(dec!(1), dec!(10)), (dec!(100), dec!(8))]),
            ),
            list(
                2,
                Audience::Group("oem".into()),
                0,
                tiers(&[(dec!(1), dec!(9))]),
            ),
            list(
                3,
                Audience::Tier("gold".into()),
                0,
                tiers(&[(dec!(1), dec!(9.5))]),
            ),
            list(4, Audience::Company(me), 0, tiers(&[(dec!(1), dec!(9.8))])),
            list(5, Audience::Company(other), 0, tiers(&[(dec!(1), dec!(1))])),
        ];
        let r = resolve(&lists, &buyer(me), dec!(5)).unwrap().unwrap();
        // The contract wins although the group price is lower: specificity first.
        assert_eq!(r.list_id, uuid::Uuid::from_u128(4));
        assert_eq!(r.unit_price.amount(), dec!(9.8));
        let why: Vec<_> = r
            .candidates
            .iter()
            .map(|c| (c.list_id.as_u128(), c.lost.clone()))
            .collect();
        let won = uuid::Uuid::from_u128(4);
        assert_eq!(
            why,
            vec![
                (4, None),
                (1, Some(Lost::LessSpecific { than: won })),
                (2, Some(Lost::LessSpecific { than: won })),
                (3, Some(Lost::LessSpecific { than: won })),
                (5, Some(Lost::NotForThisBuyer)),
            ]
        );
        // "Best of": the lowest applicable price, whatever its source.
        let mut best = buyer(me);
        best.best_of = true;
        let r = resolve(&lists, &best, dec!(5)).unwrap().unwrap();
        assert_eq!(r.list_id, uuid::Uuid::from_u128(2));
        assert_eq!(
            r.candidates[1].lost,
            Some(Lost::HigherPrice {
                than: uuid::Uuid::from_u128(2)
            })
        );
        // Without a company, group or tier: the list price and its tiers.
        let anon = Buyer {
            company: None,
            group: None,
            tier: None,
            ..buyer(me)
        };
        let r = resolve(&lists, &anon, dec!(150)).unwrap().unwrap();
        assert_eq!(
            (
                r.list_id.as_u128(),
                r.unit_price.amount(),
                r.tier.min_quantity
            ),
            (1, dec!(8), dec!(100))
        );
    }

    #[test]
    fn ties_go_to_priority_then_price_then_id() {
        let me = CompanyId::new();
        let a = list(7, Audience::Company(me), 1, tiers(&[(dec!(1), dec!(5))]));
        let b = list(6, Audience::Company(me), 2, tiers(&[(dec!(1), dec!(6))]));
        let r = resolve(&[a.clone(), b.clone()], &buyer(me), dec!(1))
            .unwrap()
            .unwrap();
        assert_eq!(r.list_id.as_u128(), 6, "higher priority beats lower price");
        assert_eq!(
            r.candidates[1].lost,
            Some(Lost::LowerPriority { than: b.id })
        );
        let c = list(8, Audience::Company(me), 2, tiers(&[(dec!(1), dec!(5.5))]));
        let r = resolve(&[b.clone(), c.clone()], &buyer(me), dec!(1))
            .unwrap()
            .unwrap();
        assert_eq!(r.list_id.as_u128(), 8, "same priority: the lower price");
        let d = list(3, Audience::Company(me), 2, tiers(&[(dec!(1), dec!(5.5))]));
        let r1 = resolve(&[c.clone(), d.clone()], &buyer(me), dec!(1))
            .unwrap()
            .unwrap();
        let r2 = resolve(&[d.clone(), c.clone()], &buyer(me), dec!(1))
            .unwrap()
            .unwrap();
        assert_eq!(
            (r1.list_id.as_u128(), r2.list_id.as_u128()),
            (3, 3),
            "the order of loading never matters"
        );
        assert_eq!(r1.candidates[1].lost, Some(Lost::TieBroken { than: d.id }));
    }

    #[test]
    fn a_window_starts_inclusive_and_ends_exclusive() {
        let from = datetime!(2026-01-01 0:00 UTC);
        let to = datetime!(2026-02-01 0:00 UTC);
        let at = |t| Validity::of(Some(from), Some(to), t);
        assert_eq!(at(datetime!(2025-12-31 23:59 UTC)), Validity::NotYetValid);
        assert_eq!(at(from), Validity::Valid);
        assert_eq!(at(datetime!(2026-01-31 23:59 UTC)), Validity::Valid);
        assert_eq!(at(to), Validity::Expired);
        assert_eq!(Validity::of(None, None, to), Validity::Valid);
        assert_eq!(Validity::Expired.code(), "expired");
    }

    #[test]
    fn validity_market_currency_and_quantity_are_checked() {
        let me = CompanyId::new();
        let mut expired = list(1, Audience::Company(me), 0, tiers(&[(dec!(1), dec!(1))]));
        expired.valid_to = Some(datetime!(2026-11-01 0:00 UTC));
        let mut future = list(2, Audience::Company(me), 0, tiers(&[(dec!(1), dec!(1))]));
        future.valid_from = Some(datetime!(2027-01-01 0:00 UTC));
        let mut cn = list(3, Audience::Everyone, 0, tiers(&[(dec!(1), dec!(1))]));
        cn.market = Some("cn".into());
        let mut cny = list(4, Audience::Everyone, 0, tiers(&[(dec!(1), dec!(1))]));
        cny.market = None;
        cny.currency = Currency::parse("CNY").unwrap();
        let bulk = list(5, Audience::Everyone, 0, tiers(&[(dec!(50), dec!(1))]));
        let r = resolve(&[expired, future, cn, cny, bulk], &buyer(me), dec!(10)).unwrap();
        assert!(r.is_none());
        let all_lists = [list(
            9,
            Audience::Everyone,
            0,
            tiers(&[(dec!(50), dec!(1))]),
        )];
        assert_eq!(
            resolve(&all_lists, &buyer(me), dec!(0)),
            Err(PricingError::NonPositiveQuantity)
        );
    }

    fn arb_tiers() -> impl Strategy<Value = TierTable> {
        prop::collection::btree_map(1u32..500, 1u32..100_000, 1..6).prop_map(|m| {
            // Prices fall as quantities rise: sort prices descending.
            let mut prices: Vec<u32> = m.values().copied().collect();
            prices.sort_unstable_by(|a, b| b.cmp(a));
            let tiers = m
                .keys()
                .zip(prices)
                .map(|(q, p)| TierBreak {
                    min_quantity: Decimal::from(*q),
                    unit_price: Decimal::new(i64::from(p), 4),
                })
                .collect();
            TierTable::new(tiers).unwrap()
        })
    }

    proptest! {
        #[test]
        fn more_quantity_never_raises_the_unit_price(t in arb_tiers(), q1 in 1u32..1000, extra in 0u32..1000) {
            let me = CompanyId::new();
            let l = list(1, Audience::Everyone, 0, t);
            let a = resolve(std::slice::from_ref(&l), &buyer(me), Decimal::from(q1)).unwrap();
            let b = resolve(std::slice::from_ref(&l), &buyer(me), Decimal::from(q1 + extra)).unwrap();
            if let (Some(a), Some(b)) = (a, b) {
                prop_assert!(b.unit_price.amount() <= a.unit_price.amount());
            }
        }

        #[test]
        fn the_winner_does_not_depend_on_the_order_of_candidates(
            prices in prop::collection::vec((0u8..4, -2i32..3, 1u32..5000), 1..8),
            best_of in any::<bool>(),
        ) {
            let me = CompanyId::new();
            let lists: Vec<_> = prices.iter().enumerate().map(|(i, (spec, prio, p))| {
                let audience = match spec {
                    0 => Audience::Everyone,
                    1 => Audience::Group("oem".into()),
                    2 => Audience::Tier("gold".into()),
                    _ => Audience::Company(me),
                };
                list(i as u128 + 1, audience, *prio, tiers(&[(Decimal::ONE, Decimal::new(i64::from(*p), 2))]))
            }).collect();
            let mut b = buyer(me);
            b.best_of = best_of;
            let forward = resolve(&lists, &b, Decimal::ONE).unwrap().unwrap();
            let mut reversed = lists.clone();
            reversed.reverse();
            let backward = resolve(&reversed, &b, Decimal::ONE).unwrap().unwrap();
            prop_assert_eq!(forward.list_id, backward.list_id);
            // Exactly one winner; every other candidate says why it lost.
            prop_assert_eq!(forward.candidates.iter().filter(|c| c.lost.is_none()).count(), 1);
            if best_of {
                let min = lists.iter().map(|l| l.tiers.tiers()[0].unit_price).min().unwrap();
                prop_assert_eq!(forward.unit_price.amount(), min);
            } else {
                let top = lists.iter().map(|l| l.audience.specificity()).max().unwrap();
                let won = lists.iter().find(|l| l.id == forward.list_id).unwrap();
                prop_assert_eq!(won.audience.specificity(), top);
            }
        }
    }
}
