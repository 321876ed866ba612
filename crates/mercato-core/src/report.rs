//! Descriptive analytics (D2): the date range and time buckets a report
//! covers, parsed from what staff type, and the full list of buckets so
//! that charts show the days nothing happened. Days are UTC calendar days,
//! as every back-office time is.

use serde::{Deserialize, Serialize};
use time::{Date, Duration, Month};

/// How a report groups time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Bucket {
    Day,
    /// ISO weeks, labelled by their Monday.
    Week,
    Month,
}

impl Bucket {
    /// Every bucket size.
    pub const ALL: [Bucket; 3] = [Bucket::Day, Bucket::Week, Bucket::Month];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Bucket::Day => "day",
            Bucket::Week => "week",
            Bucket::Month => "month",
        }
    }

    /// Parses a code.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|b| b.code() == code)
    }

    /// The bucket that keeps a chart of `days` readable (at most ~62 bars).
    pub fn fitting(days: i64) -> Self {
        match days {
            ..=62 => Bucket::Day,
            63..=434 => Bucket::Week,
            _ => Bucket::Month,
        }
    }

    /// The label of the bucket holding `d`: `2026-12-07`, the week's
    /// Monday, or `2026-12`.
    pub fn label(self, d: Date) -> String {
        match self {
            Bucket::Day => iso(d),
            Bucket::Week => {
                iso(d - Duration::days(i64::from(d.weekday().number_days_from_monday())))
            }
            Bucket::Month => format!("{:04}-{:02}", d.year(), u8::from(d.month())),
        }
    }
}

/// The whole ISO weeks (Monday to Sunday) inside the days `[from, to)`, as
/// `[first Monday, end Monday)`; `(to, to)` when no whole week fits. A
/// rolled-up report reads one row per week between them and one per day at
/// the edges, so a year is 52 weeks and a few days instead of 365 days.
pub fn whole_weeks(from: Date, to: Date) -> (Date, Date) {
    let first =
        from + Duration::days((7 - i64::from(from.weekday().number_days_from_monday())) % 7);
    let end = to - Duration::days(i64::from(to.weekday().number_days_from_monday()));
    if first < end { (first, end) } else { (to, to) }
}

/// `d` as `YYYY-MM-DD`.
pub fn iso(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// The longest range a report covers: two years, enough to compare a
/// season with the one before; longer scans are refused, not served slowly.
pub const MAX_DAYS: i64 = 731;

/// Days from `from` to `to`, both included.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateRange {
    pub from: Date,
    pub to: Date,
}

/// Why a range was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RangeError {
    #[error("{field}: {value:?} is not a date (YYYY-MM-DD)")]
    NotADate { field: &'static str, value: String },
    #[error("the range ends ({to}) before it starts ({from})")]
    Reversed { from: String, to: String },
    #[error("the range covers {days} days; at most {max}")]
    TooLong { days: i64, max: i64 },
}

/// A `YYYY-MM-DD` day as typed into the form field `field`; empty is `None`.
pub(crate) fn parse_day(field: &'static str, v: &str) -> Result<Option<Date>, RangeError> {
    let v = v.trim();
    if v.is_empty() {
        return Ok(None);
    }
    let f = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(v, &f)
        .map(Some)
        .map_err(|_| RangeError::NotADate {
            field,
            value: v.chars().take(40).collect(),
        })
}

impl DateRange {
    /// Parses `from`/`to` as typed (empty: the 30 days up to `today`, or
    /// 30 days from/to the one given).
    pub fn parse(from: &str, to: &str, today: Date) -> Result<Self, RangeError> {
        let (from, to) = match (parse_day("from", from)?, parse_day("to", to)?) {
            (Some(f), Some(t)) => (f, t),
            (Some(f), None) => (f, f + Duration::days(29)),
            (None, Some(t)) => (t - Duration::days(29), t),
            (None, None) => (today - Duration::days(29), today),
        };
        Self::within(from, to, MAX_DAYS)
    }

    /// `from`..=`to`, refused when reversed or longer than `max_days`.
    pub(crate) fn within(from: Date, to: Date, max_days: i64) -> Result<Self, RangeError> {
        if to < from {
            return Err(RangeError::Reversed {
                from: iso(from),
                to: iso(to),
            });
        }
        let r = DateRange { from, to };
        if r.days() > max_days {
            return Err(RangeError::TooLong {
                days: r.days(),
                max: max_days,
            });
        }
        Ok(r)
    }

    /// Days covered, both ends included.
    pub fn days(&self) -> i64 {
        (self.to - self.from).whole_days() + 1
    }

    /// The range as `[start, end)` instants at UTC midnight, for queries.
    pub fn bounds(&self) -> (time::OffsetDateTime, time::OffsetDateTime) {
        (
            self.from.midnight().assume_utc(),
            (self.to + Duration::days(1)).midnight().assume_utc(),
        )
    }

    /// Every bucket label in the range, in order (a bucket partly inside
    /// the range counts).
    pub fn buckets(&self, bucket: Bucket) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut d = self.from;
        while d <= self.to {
            let label = bucket.label(d);
            if out.last() != Some(&label) {
                out.push(label);
            }
            d = match bucket {
                Bucket::Day => d + Duration::days(1),
                Bucket::Week => {
                    d + Duration::days(7 - i64::from(d.weekday().number_days_from_monday()))
                }
                Bucket::Month => next_month(d),
            };
        }
        out
    }

    /// `from` and `to` as `YYYY-MM-DD`.
    pub fn labels(&self) -> (String, String) {
        (iso(self.from), iso(self.to))
    }
}

fn next_month(d: Date) -> Date {
    let (y, m) = match d.month() {
        Month::December => (d.year() + 1, Month::January),
        m => (d.year(), m.next()),
    };
    Date::from_calendar_date(y, m, 1).unwrap_or(d + Duration::days(31))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn ranges_default_to_thirty_days_and_refuse_reversed_or_huge_ones() {
        let today = date!(2026 - 12 - 07);
        let r = DateRange::parse("", "", today).unwrap();
        assert_eq!((r.from, r.to, r.days()), (date!(2026 - 11 - 08), today, 30));
        let r = DateRange::parse("2026-01-01", "", today).unwrap();
        assert_eq!(r.to, date!(2026 - 01 - 30));
        assert_eq!(
            DateRange::parse("2026-12-07", "2026-12-01", today),
            Err(RangeError::Reversed {
                from: "2026-12-07".into(),
                to: "2026-12-01".into()
            })
        );
        assert_eq!(
            DateRange::parse("2020-01-01", "2026-01-01", today),
            Err(RangeError::TooLong {
                days: 2193,
                max: MAX_DAYS
            })
        );
        assert!(matches!(
            DateRange::parse("yesterday", "", today),
            Err(RangeError::NotADate { field: "from", .. })
        ));
        let r = DateRange::parse("2026-12-07", "2026-12-07", today).unwrap();
        assert_eq!(r.days(), 1);
        let (a, b) = r.bounds();
        assert_eq!((b - a).whole_hours(), 24);
    }

    #[test]
    fn whole_weeks_and_edge_days_cover_a_range_exactly() {
        let start = date!(2026 - 11 - 01);
        for offset in 0..15 {
            for len in 0..40 {
                let from = start + Duration::days(offset);
                let to = from + Duration::days(len);
                let (w, end) = whole_weeks(from, to);
                let mut covered = Vec::new();
                let mut d = from;
                while d < w.min(to) {
                    covered.push(d);
                    d += Duration::days(1);
                }
                let mut m = w;
                while m < end {
                    assert_eq!(m.weekday(), time::Weekday::Monday, "{from}..{to}");
                    covered.extend((0..7).map(|i| m + Duration::days(i)));
                    m += Duration::days(7);
                }
                let mut d = end.max(from);
                while d < to {
                    covered.push(d);
                    d += Duration::days(1);
                }
                let expected: Vec<Date> = (0..len).map(|i| from + Duration::days(i)).collect();
                assert_eq!(covered, expected, "{from}..{to}");
            }
        }
        let (w, end) = whole_weeks(date!(2026 - 11 - 08), date!(2026 - 12 - 08));
        assert_eq!((w, end), (date!(2026 - 11 - 09), date!(2026 - 12 - 07)));
    }

    #[test]
    fn buckets_cover_the_range_with_no_gaps() {
        let r = DateRange {
            from: date!(2026 - 11 - 28), // a Saturday
            to: date!(2026 - 12 - 08),
        };
        assert_eq!(r.buckets(Bucket::Day).len(), 11);
        assert_eq!(
            r.buckets(Bucket::Week),
            ["2026-11-23", "2026-11-30", "2026-12-07"]
        );
        assert_eq!(r.buckets(Bucket::Month), ["2026-11", "2026-12"]);
        let year = DateRange {
            from: date!(2025 - 12 - 31),
            to: date!(2026 - 12 - 31),
        };
        assert_eq!(year.buckets(Bucket::Month).len(), 13);
        assert_eq!(Bucket::Week.label(date!(2027 - 01 - 03)), "2026-12-28");
        assert_eq!(Bucket::fitting(30), Bucket::Day);
        assert_eq!(Bucket::fitting(365), Bucket::Week);
        assert_eq!(Bucket::fitting(731), Bucket::Month);
    }
}
