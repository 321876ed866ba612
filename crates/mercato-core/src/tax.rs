//! Tax on a document (quote, cart, order, invoice): lines entered net or
//! gross, a rate per line, rounding per line or per document, and EU
//! intra-community reverse charge. Pure arithmetic in the document's
//! currency; every line and total is a whole number of minor units, and the
//! lines always add up to the totals to the cent.

use crate::country::CountryCode;
use crate::money::{Currency, Money, MoneyError, Rounding, allocate};
use crate::vat::VatNumber;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// How a market's prices are entered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PriceEntry {
    /// Without tax (B2B usually).
    Net,
    /// With tax included (consumer-style markets, China's 含税 prices).
    Gross,
}

/// Where tax is rounded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaxRounding {
    /// Each line's tax is rounded; the document's tax is their sum.
    PerLine,
    /// Tax is computed once per rate on the summed net and rounded once,
    /// then shared out over the lines (EN 16931 style).
    PerDocument,
}

/// A line to tax: its amount as entered and its rate (0.13 for 13 %).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TaxInput {
    pub amount: Money,
    pub rate: Decimal,
}

/// A taxed line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct TaxedLine {
    pub net: Money,
    pub tax: Money,
    pub gross: Money,
    pub rate: Decimal,
}

/// One rate's share of a document (the tax breakdown invoices show).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct RateTotal {
    pub rate: Decimal,
    pub net: Money,
    pub tax: Money,
}

/// A taxed document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TaxedDocument {
    pub lines: Vec<TaxedLine>,
    pub by_rate: Vec<RateTotal>,
    pub net: Money,
    pub tax: Money,
    pub gross: Money,
    /// EU reverse charge: no tax charged, the buyer accounts for it.
    pub reverse_charge: bool,
}

/// Why a document could not be taxed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TaxError {
    #[error("a tax rate must be between 0 and 1 (0.13 for 13 %), not {0}")]
    Rate(Decimal),
    #[error("every line must be in {0}")]
    Currency(Currency),
    #[error(transparent)]
    Money(#[from] MoneyError),
}

/// Whether EU intra-community reverse charge applies: seller and buyer in
/// different EU member states and the buyer holds a VAT number of its own
/// country.
pub fn reverse_charge_applies(
    seller: CountryCode,
    buyer: CountryCode,
    buyer_vat: Option<&VatNumber>,
) -> bool {
    seller != buyer
        && seller.is_eu_member()
        && buyer.is_eu_member()
        && buyer_vat.is_some_and(|v| v.country() == buyer)
}

fn round(m: Money) -> Money {
    m.round(Rounding::HalfUp)
}

/// An exact intermediate (a rate applied, a gross split) rounded half up to
/// the currency's minor unit.
fn rounded(d: Decimal, currency: Currency) -> Result<Money, MoneyError> {
    let r = d.round_dp_with_strategy(
        currency.exponent(),
        rust_decimal::RoundingStrategy::MidpointAwayFromZero,
    );
    Money::new(r, currency)
}

/// Taxes `lines` (all in `currency`). With `reverse_charge`, rates are
/// ignored and no tax is charged. Lines add up to the totals exactly, and
/// net + tax = gross for every line and for the document.
pub fn tax_document(
    currency: Currency,
    lines: &[TaxInput],
    entry: PriceEntry,
    rounding: TaxRounding,
    reverse_charge: bool,
) -> Result<TaxedDocument, TaxError> {
    for l in lines {
        if l.amount.currency() != currency {
            return Err(TaxError::Currency(currency));
        }
        if l.rate < Decimal::ZERO || l.rate >= Decimal::ONE {
            return Err(TaxError::Rate(l.rate));
        }
    }
    let rate_of = |l: &TaxInput| {
        if reverse_charge {
            Decimal::ZERO
        } else {
            l.rate
        }
    };
    // Per line first: each line's own rounded split.
    let mut taxed: Vec<TaxedLine> = Vec::with_capacity(lines.len());
    for l in lines {
        let rate = rate_of(l);
        let amount = round(l.amount);
        let (net, tax) = match entry {
            PriceEntry::Net => {
                let tax = rounded(amount.amount() * rate, currency)?;
                (amount, tax)
            }
            PriceEntry::Gross => {
                let net = rounded(amount.amount() / (Decimal::ONE + rate), currency)?;
                (net, amount.checked_sub(&net)?)
            }
        };
        taxed.push(TaxedLine {
            net,
            tax,
            gross: net.checked_add(&tax)?,
            rate,
        });
    }
    // Group by rate, in first-seen order.
    let mut rates: Vec<Decimal> = Vec::new();
    for t in &taxed {
        if !rates.contains(&t.rate) {
            rates.push(t.rate);
        }
    }
    let mut by_rate = Vec::with_capacity(rates.len());
    for rate in rates {
        let idx: Vec<usize> = (0..taxed.len())
            .filter(|i| taxed[*i].rate == rate)
            .collect();
        let sum = |f: fn(&TaxedLine) -> Money| -> Result<Money, MoneyError> {
            idx.iter().try_fold(Money::zero(currency), |acc, i| {
                acc.checked_add(&f(&taxed[*i]))
            })
        };
        let (net, tax) = match (rounding, entry) {
            (TaxRounding::PerLine, _) => (sum(|l| l.net)?, sum(|l| l.tax)?),
            (TaxRounding::PerDocument, PriceEntry::Net) => {
                let net = sum(|l| l.net)?;
                (net, rounded(net.amount() * rate, currency)?)
            }
            (TaxRounding::PerDocument, PriceEntry::Gross) => {
                let gross = sum(|l| l.gross)?;
                let net = rounded(gross.amount() / (Decimal::ONE + rate), currency)?;
                (net, gross.checked_sub(&net)?)
            }
        };
        if rounding == TaxRounding::PerDocument && !idx.is_empty() {
            // Share the document's tax (and, for gross entry, its net) out
            // over the lines by their amounts, so lines add up exactly.
            let weights: Vec<Decimal> = idx
                .iter()
                .map(|i| match entry {
                    PriceEntry::Net => taxed[*i].net.amount(),
                    PriceEntry::Gross => taxed[*i].gross.amount(),
                })
                .collect();
            let taxes = allocate(tax, &weights)?;
            for (k, i) in idx.iter().enumerate() {
                let line = &mut taxed[*i];
                match entry {
                    PriceEntry::Net => {
                        line.tax = taxes[k];
                        line.gross = line.net.checked_add(&line.tax)?;
                    }
                    PriceEntry::Gross => {
                        line.tax = taxes[k];
                        line.net = line.gross.checked_sub(&line.tax)?;
                    }
                }
            }
        }
        by_rate.push(RateTotal { rate, net, tax });
    }
    let total = |f: fn(&TaxedLine) -> Money| -> Result<Money, MoneyError> {
        taxed
            .iter()
            .try_fold(Money::zero(currency), |acc, l| acc.checked_add(&f(l)))
    };
    let (net, tax, gross) = (total(|l| l.net)?, total(|l| l.tax)?, total(|l| l.gross)?);
    Ok(TaxedDocument {
        lines: taxed,
        by_rate,
        net,
        tax,
        gross,
        reverse_charge,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal_macros::dec;

    fn money(a: Decimal, c: &str) -> Money {
        Money::new(a, Currency::parse(c).unwrap()).unwrap()
    }

    fn doc(c: &str, lines: &[(Decimal, Decimal)], e: PriceEntry, r: TaxRounding) -> TaxedDocument {
        let cur = Currency::parse(c).unwrap();
        let input: Vec<TaxInput> = lines
            .iter()
            .map(|(a, rate)| TaxInput {
                amount: money(*a, c),
                rate: *rate,
            })
            .collect();
        tax_document(cur, &input, e, r, false).unwrap()
    }

    #[test]
    fn china_13_percent_net_per_line_and_per_document() {
        // Three lines of 0.33 CNY at 13 %: per line each tax rounds to 0.04
        // (0.0429); per document 0.99 × 13 % = 0.1287 → 0.13, shared 0.05/0.04/0.04.
        let lines = [(dec!(0.33), dec!(0.13)); 3];
        let per_line = doc("CNY", &lines, PriceEntry::Net, TaxRounding::PerLine);
        assert_eq!(per_line.tax.amount(), dec!(0.12));
        let per_doc = doc("CNY", &lines, PriceEntry::Net, TaxRounding::PerDocument);
        assert_eq!(per_doc.tax.amount(), dec!(0.13));
        let taxes: Vec<Decimal> = per_doc.lines.iter().map(|l| l.tax.amount()).collect();
        assert_eq!(taxes, [dec!(0.05), dec!(0.04), dec!(0.04)]);
        assert_eq!(per_doc.gross.amount(), dec!(1.12));
    }

    #[test]
    fn gross_prices_are_split_back_into_net_and_tax() {
        // 113.00 CNY gross at 13 % = 100.00 net + 13.00 tax.
        let d = doc(
            "CNY",
            &[(dec!(113), dec!(0.13))],
            PriceEntry::Gross,
            TaxRounding::PerLine,
        );
        assert_eq!(
            (d.net.amount(), d.tax.amount(), d.gross.amount()),
            (dec!(100), dec!(13), dec!(113))
        );
    }

    #[test]
    fn currencies_round_to_their_own_minor_units() {
        // JPY has no decimals: 1,234 × 10 % = 123.4 → 123.
        let d = doc(
            "JPY",
            &[(dec!(1234), dec!(0.10))],
            PriceEntry::Net,
            TaxRounding::PerLine,
        );
        assert_eq!(d.tax.amount(), dec!(123));
        // KWD has three: 10.005 × 5 % = 0.50025 → 0.500.
        let d = doc(
            "KWD",
            &[(dec!(10.005), dec!(0.05))],
            PriceEntry::Net,
            TaxRounding::PerLine,
        );
        assert_eq!(d.tax.amount(), dec!(0.500));
        // EUR 19 % and 7 % on one document: a breakdown per rate.
        let d = doc(
            "EUR",
            &[
                (dec!(100), dec!(0.19)),
                (dec!(50), dec!(0.07)),
                (dec!(10), dec!(0.19)),
            ],
            PriceEntry::Net,
            TaxRounding::PerDocument,
        );
        let by: Vec<(Decimal, Decimal, Decimal)> = d
            .by_rate
            .iter()
            .map(|r| (r.rate, r.net.amount(), r.tax.amount()))
            .collect();
        assert_eq!(
            by,
            [
                (dec!(0.19), dec!(110), dec!(20.90)),
                (dec!(0.07), dec!(50), dec!(3.50))
            ]
        );
        assert_eq!(d.gross.amount(), dec!(184.40));
    }

    #[test]
    fn reverse_charge_needs_two_eu_states_and_the_buyers_own_vat_number() {
        let de = CountryCode::parse("DE").unwrap();
        let fr = CountryCode::parse("FR").unwrap();
        let cn = CountryCode::parse("CN").unwrap();
        let fr_vat = VatNumber::parse(fr, "FR40303265045").unwrap();
        let de_vat = VatNumber::parse(de, "DE136695976").unwrap();
        assert!(reverse_charge_applies(de, fr, Some(&fr_vat)));
        assert!(
            !reverse_charge_applies(de, fr, None),
            "no VAT number: the seller charges tax"
        );
        assert!(
            !reverse_charge_applies(de, de, Some(&de_vat)),
            "domestic sale"
        );
        assert!(
            !reverse_charge_applies(de, fr, Some(&de_vat)),
            "a VAT number of another state"
        );
        assert!(
            !reverse_charge_applies(de, cn, None),
            "export outside the EU is another rule"
        );
        let cur = Currency::parse("EUR").unwrap();
        let d = tax_document(
            cur,
            &[TaxInput {
                amount: money(dec!(100), "EUR"),
                rate: dec!(0.19),
            }],
            PriceEntry::Net,
            TaxRounding::PerDocument,
            true,
        )
        .unwrap();
        assert!(d.reverse_charge);
        assert_eq!((d.tax.amount(), d.gross.amount()), (dec!(0), dec!(100)));
    }

    #[test]
    fn bad_rates_and_mixed_currencies_are_refused() {
        let cur = Currency::parse("EUR").unwrap();
        let bad = tax_document(
            cur,
            &[TaxInput {
                amount: money(dec!(1), "EUR"),
                rate: dec!(13),
            }],
            PriceEntry::Net,
            TaxRounding::PerLine,
            false,
        );
        assert_eq!(bad, Err(TaxError::Rate(dec!(13))));
        let mixed = tax_document(
            cur,
            &[TaxInput {
                amount: money(dec!(1), "CNY"),
                rate: dec!(0.13),
            }],
            PriceEntry::Net,
            TaxRounding::PerLine,
            false,
        );
        assert!(matches!(mixed, Err(TaxError::Currency(_))));
    }

    proptest! {
        #[test]
        fn lines_add_up_and_net_plus_tax_is_gross(
            lines in prop::collection::vec((1i64..10_000_000, prop::sample::select(vec![0u32, 5, 6, 7, 9, 13, 19, 20])), 1..20),
            gross in any::<bool>(),
            per_doc in any::<bool>(),
            cur in prop::sample::select(vec!["CNY", "EUR", "JPY", "KWD"]),
        ) {
            let c = Currency::parse(cur).unwrap();
            let input: Vec<TaxInput> = lines.iter().map(|(units, pct)| TaxInput {
                amount: Money::new(Decimal::new(*units, c.exponent()), c).unwrap(),
                rate: Decimal::new(i64::from(*pct), 2),
            }).collect();
            let entry = if gross { PriceEntry::Gross } else { PriceEntry::Net };
            let rounding = if per_doc { TaxRounding::PerDocument } else { TaxRounding::PerLine };
            let d = tax_document(c, &input, entry, rounding, false).unwrap();
            let sum = |f: fn(&TaxedLine) -> Decimal| d.lines.iter().map(f).sum::<Decimal>();
            prop_assert_eq!(sum(|l| l.net.amount()), d.net.amount());
            prop_assert_eq!(sum(|l| l.tax.amount()), d.tax.amount());
            prop_assert_eq!(sum(|l| l.gross.amount()), d.gross.amount());
            prop_assert_eq!(d.net.amount() + d.tax.amount(), d.gross.amount());
            for l in &d.lines {
                prop_assert_eq!(l.net.amount() + l.tax.amount(), l.gross.amount());
                prop_assert!(l.net.is_rounded() && l.tax.is_rounded());
            }
            let by_rate_tax: Decimal = d.by_rate.iter().map(|r| r.tax.amount()).sum();
            prop_assert_eq!(by_rate_tax, d.tax.amount());
            // The entered amounts are kept: net lines for net entry, gross lines for gross entry.
            for (l, i) in d.lines.iter().zip(&input) {
                let kept = if gross { l.gross } else { l.net };
                prop_assert_eq!(kept.amount(), i.amount.amount());
            }
        }
    }
}
