//! Reading the audit log: the period a viewer asks for. Days are UTC
//! calendar days, as every back-office time is.

use crate::report::{DateRange, RangeError, parse_day};
use time::{Date, Duration};

/// The longest period one view or export of the audit log covers: a year
/// (a leap year's worth), so a filter that matches little never walks the
/// whole log, and an export stays a file people can open.
pub const MAX_DAYS: i64 = 366;

/// The period of `from`/`to` as typed (`YYYY-MM-DD`, both days included):
/// `None` when both are empty (the whole log, newest first); only `from`
/// runs to `today`; only `to` covers the [`MAX_DAYS`] up to it. A range
/// that ends before it starts, or is longer than [`MAX_DAYS`], is refused.
pub fn period(from: &str, to: &str, today: Date) -> Result<Option<DateRange>, RangeError> {
    let (from, to) = match (parse_day("from", from)?, parse_day("to", to)?) {
        (None, None) => return Ok(None),
        (Some(f), Some(t)) => (f, t),
        // A start in the future is an empty period, not a reversed one.
        (Some(f), None) => (f, today.max(f)),
        (None, Some(t)) => (t - Duration::days(MAX_DAYS - 1), t),
    };
    DateRange::within(from, to, MAX_DAYS).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn periods_are_open_one_sided_or_capped() {
        let today = date!(2026 - 12 - 07);
        assert_eq!(period("", " ", today), Ok(None));
        let r = period("2026-12-01", "", today).unwrap().unwrap();
        assert_eq!((r.from, r.to), (date!(2026 - 12 - 01), today));
        let r = period("2027-01-05", "", today).unwrap().unwrap();
        assert_eq!(
            (r.from, r.to),
            (date!(2027 - 01 - 05), date!(2027 - 01 - 05))
        );
        let r = period("", "2026-06-30", today).unwrap().unwrap();
        assert_eq!((r.to, r.days()), (date!(2026 - 06 - 30), MAX_DAYS));
        let r = period("2026-01-01", "2026-12-31", today).unwrap().unwrap();
        assert_eq!(r.days(), 365);
        assert_eq!(
            period("2026-12-07", "2026-12-01", today),
            Err(RangeError::Reversed {
                from: "2026-12-07".into(),
                to: "2026-12-01".into()
            })
        );
        assert_eq!(
            period("2024-01-01", "2026-01-01", today),
            Err(RangeError::TooLong {
                days: 732,
                max: MAX_DAYS
            })
        );
        // A start a year and more ago runs to today: too long as well.
        assert!(matches!(
            period("2025-01-01", "", today),
            Err(RangeError::TooLong { .. })
        ));
        assert!(matches!(
            period("", "31/12/2026", today),
            Err(RangeError::NotADate { field: "to", .. })
        ));
    }
}
