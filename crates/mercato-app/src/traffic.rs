//! First-party traffic statistics (D1): page views, visits, entry pages,
//! search terms (and those that found nothing), product views, channels,
//! referrers and devices, per market and UTC day.
//!
//! The web layer reports each counted page view to a [`TrafficRecorder`],
//! which only adds to counts in memory (no database write per request);
//! [`run_flusher`] adds them to `traffic_daily` every few seconds and once
//! more at shutdown. Staff read them through [`summary`].
//! `mercato_core::traffic` decides what a page view counts.

use crate::auth::{Principal, require_staff};
use crate::{App, AppError, FieldError};
use mercato_core::Permission;
use mercato_core::traffic::{self as rules, Metric, PageHit, RangeError};
use mercato_store::traffic::{self as store, TrafficCount};
use serde::Serialize;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use time::Date;

/// Distinct keyed counts held between two flushes. Totals are always
/// kept; past this, new keys (search terms, paths) are dropped until the
/// next flush, so a flood of made-up search terms cannot grow memory.
pub const MAX_PENDING_KEYS: usize = 100_000;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct CountKey {
    day: Date,
    market: String,
    metric: Metric,
    key: String,
}

#[derive(Default)]
struct Pending {
    counts: HashMap<CountKey, u64>,
    /// Keyed counts dropped at the cap since the last flush.
    dropped: u64,
}

/// Counts page views in memory until they are flushed. Cheap per request:
/// one uncontended lock and a few map updates.
#[derive(Default)]
pub struct TrafficRecorder {
    pending: Mutex<Pending>,
}

impl TrafficRecorder {
    /// An empty recorder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Counts one page view shown on `day` (UTC) in `market`.
    pub fn record(&self, day: Date, market: &str, hit: &PageHit<'_>) {
        let counts = hit.counts();
        if counts.is_empty() {
            return;
        }
        // A panic elsewhere while holding the lock leaves plain counts
        // behind, still consistent: keep counting.
        let mut p = self.pending.lock().unwrap_or_else(PoisonError::into_inner);
        for (metric, key) in counts {
            let k = CountKey {
                day,
                market: market.to_string(),
                metric,
                key,
            };
            if let Some(n) = p.counts.get_mut(&k) {
                *n += 1;
            } else if k.key.is_empty() || p.counts.len() < MAX_PENDING_KEYS {
                p.counts.insert(k, 1);
            } else {
                p.dropped += 1;
            }
        }
    }

    /// How many distinct counts wait for the next flush.
    pub fn pending(&self) -> usize {
        self.pending
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .counts
            .len()
    }

    /// Takes every waiting count, leaving the recorder empty.
    fn take(&self) -> (Vec<TrafficCount>, u64) {
        let p = std::mem::take(&mut *self.pending.lock().unwrap_or_else(PoisonError::into_inner));
        let counts = p
            .counts
            .into_iter()
            .map(|(k, n)| TrafficCount {
                day: k.day,
                market: k.market,
                metric: k.metric,
                key: k.key,
                count: i64::try_from(n).unwrap_or(i64::MAX),
            })
            .collect();
        (counts, p.dropped)
    }

    /// Puts counts a failed flush took back, so the next flush retries them.
    fn restore(&self, counts: Vec<TrafficCount>) {
        let mut p = self.pending.lock().unwrap_or_else(PoisonError::into_inner);
        for c in counts {
            let k = CountKey {
                day: c.day,
                market: c.market,
                metric: c.metric,
                key: c.key,
            };
            *p.counts.entry(k).or_default() += u64::try_from(c.count).unwrap_or(0);
        }
    }

    /// Adds every waiting count to the database in one transaction and
    /// forgets them; gives how many rows it wrote. Requests keep counting
    /// meanwhile (the lock is not held across the write). On failure the
    /// counts are kept for the next flush.
    pub async fn flush(&self, app: &App) -> Result<usize, AppError> {
        let (counts, dropped) = self.take();
        if dropped > 0 {
            tracing::warn!(
                dropped,
                cap = MAX_PENDING_KEYS,
                "traffic: too many distinct keys between flushes; keyed counts dropped (totals kept)"
            );
        }
        if counts.is_empty() {
            return Ok(0);
        }
        let n = counts.len();
        match store::add(app.db(), &counts).await {
            Ok(()) => Ok(n),
            Err(e) => {
                self.restore(counts);
                Err(e.into())
            }
        }
    }
}

/// Flushes `recorder` every `every` until `shutdown` resolves, then once
/// more, so page views counted before the server stopped are kept (`serve`
/// stops this task after the last request has been answered).
pub async fn run_flusher(
    app: App,
    recorder: Arc<TrafficRecorder>,
    every: Duration,
    shutdown: impl Future<Output = ()>,
) {
    tokio::pin!(shutdown);
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        let stopping = tokio::select! {
            _ = tick.tick() => false,
            _ = &mut shutdown => true,
        };
        if let Err(e) = recorder.flush(&app).await {
            tracing::warn!(error = %e, "traffic: could not store the counts; will retry");
        }
        if stopping {
            return;
        }
    }
}

// ---------------------------------------------------------------------------
// Reading

/// How many rows each top list has.
pub const TOP: i64 = 20;

/// One key of a metric and its count.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct KeyCount {
    /// The path, term, product slug, channel, referrer or device class.
    pub key: String,
    pub count: i64,
}

/// Totals over the range.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct TrafficTotals {
    pub page_views: i64,
    /// Visits (browsers that send Do Not Track or Global Privacy Control
    /// are counted in page views, searches and product views, not here).
    pub sessions: i64,
    pub searches: i64,
    pub zero_result_searches: i64,
    pub product_views: i64,
    /// Visits that came from another site (search, social, e-mail,
    /// referral); the rest are direct.
    pub referred_sessions: i64,
}

/// One day's totals.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct TrafficDay {
    /// `YYYY-MM-DD` (UTC).
    pub day: String,
    pub page_views: i64,
    pub sessions: i64,
    pub searches: i64,
    pub zero_result_searches: i64,
    pub product_views: i64,
}

/// The traffic statistics of a range of days.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TrafficSummary {
    /// `YYYY-MM-DD`, both included.
    pub from: String,
    pub to: String,
    /// `None`: every market.
    pub market: Option<String>,
    pub totals: TrafficTotals,
    /// Every day of the range, oldest first (zeros where nothing was
    /// counted, so charts show quiet days).
    pub days: Vec<TrafficDay>,
    /// Most viewed pages (path without query).
    pub top_pages: Vec<KeyCount>,
    /// Pages visits started on.
    pub entry_pages: Vec<KeyCount>,
    /// Normalised search terms as typed (first page, no filters).
    pub search_terms: Vec<KeyCount>,
    /// Search terms that found nothing: what the catalog lacks or does not
    /// call by that name.
    pub zero_result_terms: Vec<KeyCount>,
    /// Most viewed products by slug.
    pub product_views: Vec<KeyCount>,
    /// Visits by channel (`direct`, `search`, `social`, `email`,
    /// `referral`).
    pub channels: Vec<KeyCount>,
    /// Visits by source: a known site's name (`baidu`, `wechat`,
    /// `qq-mail`) or another site's host.
    pub referrers: Vec<KeyCount>,
    /// Visits by device class (`mobile`, `tablet`, `desktop`).
    pub devices: Vec<KeyCount>,
}

/// The traffic statistics from `from` to `to` (UTC days, both included)
/// in `market`, or in every market, for staff with back-office access
/// (`None`: the operator). A reversed range, or one longer than
/// [`rules::MAX_RANGE_DAYS`], is refused with field errors.
pub async fn summary(
    app: &App,
    p: Option<&Principal>,
    from: Date,
    to: Date,
    market: Option<&str>,
) -> Result<TrafficSummary, AppError> {
    require_staff(p, Permission::AccessBackOffice, "see traffic statistics")?;
    rules::check_range(from, to).map_err(|e| {
        AppError::Invalid(vec![match &e {
            RangeError::Reversed { .. } => FieldError::new("to", "before_from", e.to_string()),
            RangeError::TooLong { .. } => FieldError::new("from", "range_too_long", e.to_string()),
        }])
    })?;
    let market = market.filter(|m| !m.is_empty());
    let db = app.db();
    let top = |m: Metric, limit: i64| store::top(db, m, from, to, market, limit);
    let per_day = |m: Metric| store::by_day(db, m, from, to, market);
    // Channels and devices have a handful of keys: all of them.
    let (totals, pages, entries, terms, zero, products, channels, referrers, devices) = tokio::try_join!(
        store::totals(db, from, to, market),
        top(Metric::PageView, TOP),
        top(Metric::EntryPage, TOP),
        top(Metric::Search, TOP),
        top(Metric::ZeroResultSearch, TOP),
        top(Metric::ProductView, TOP),
        top(Metric::Channel, 10),
        top(Metric::Referrer, TOP),
        top(Metric::Device, 10),
    )?;
    let (views, sessions, searches, zero_searches, product_views) = tokio::try_join!(
        per_day(Metric::PageView),
        per_day(Metric::Session),
        per_day(Metric::Search),
        per_day(Metric::ZeroResultSearch),
        per_day(Metric::ProductView),
    )?;
    let total = |m: Metric| totals.iter().find(|(x, _)| *x == m).map_or(0, |(_, n)| *n);
    let mut days: Vec<TrafficDay> = Vec::new();
    let mut index: HashMap<Date, usize> = HashMap::new();
    let mut d = from;
    loop {
        index.insert(d, days.len());
        days.push(TrafficDay {
            day: rules::day_code(d),
            ..Default::default()
        });
        match d.next_day() {
            Some(next) if next <= to => d = next,
            _ => break,
        }
    }
    let mut fill = |rows: Vec<(Date, i64)>, field: fn(&mut TrafficDay) -> &mut i64| {
        for (day, n) in rows {
            if let Some(i) = index.get(&day) {
                *field(&mut days[*i]) = n;
            }
        }
    };
    fill(views, |d| &mut d.page_views);
    fill(sessions, |d| &mut d.sessions);
    fill(searches, |d| &mut d.searches);
    fill(zero_searches, |d| &mut d.zero_result_searches);
    fill(product_views, |d| &mut d.product_views);
    let ranked = |rows: Vec<(String, i64)>| {
        rows.into_iter()
            .map(|(key, count)| KeyCount { key, count })
            .collect::<Vec<_>>()
    };
    Ok(TrafficSummary {
        from: rules::day_code(from),
        to: rules::day_code(to),
        market: market.map(str::to_string),
        totals: TrafficTotals {
            page_views: total(Metric::PageView),
            sessions: total(Metric::Session),
            searches: total(Metric::Search),
            zero_result_searches: total(Metric::ZeroResultSearch),
            product_views: total(Metric::ProductView),
            referred_sessions: total(Metric::Referrer),
        },
        days,
        top_pages: ranked(pages),
        entry_pages: ranked(entries),
        search_terms: ranked(terms),
        zero_result_terms: ranked(zero),
        product_views: ranked(products),
        channels: ranked(channels),
        referrers: ranked(referrers),
        devices: ranked(devices),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use mercato_core::traffic::{Channel, DeviceClass, Origin, SearchShown, VisitStart};
    use time::macros::date;

    #[test]
    fn the_recorder_adds_up_and_caps_new_keys() {
        let r = TrafficRecorder::new();
        let day = date!(2026 - 05 - 04);
        let hit = PageHit {
            path: "/search",
            visit: Some(VisitStart {
                origin: Origin::External {
                    channel: Channel::Search,
                    source: "baidu".into(),
                },
                device: DeviceClass::Mobile,
            }),
            search: Some(SearchShown {
                text: "M8",
                found: true,
            }),
            product: None,
        };
        r.record(day, "cn", &hit);
        r.record(day, "cn", &hit);
        let (counts, dropped) = r.take();
        assert_eq!(dropped, 0);
        assert_eq!(counts.len(), hit.counts().len());
        assert!(
            counts
                .iter()
                .all(|c| c.count == 2 && c.market == "cn" && c.day == day)
        );
        assert_eq!(r.pending(), 0);

        // At the cap, new keys are dropped and totals still count.
        for i in 0..MAX_PENDING_KEYS {
            let path = format!("/p/{i}");
            r.record(
                day,
                "cn",
                &PageHit {
                    path: &path,
                    visit: None,
                    search: None,
                    product: None,
                },
            );
        }
        let (counts, dropped) = r.take();
        assert_eq!(counts.len(), MAX_PENDING_KEYS);
        assert_eq!(dropped, 1);
        let total = counts
            .iter()
            .find(|c| c.metric == Metric::PageView && c.key.is_empty())
            .map(|c| c.count);
        assert_eq!(total, Some(MAX_PENDING_KEYS as i64));

        // Restored counts merge with new ones.
        r.record(
            day,
            "cn",
            &PageHit {
                path: "/",
                visit: None,
                search: None,
                product: None,
            },
        );
        r.restore(vec![TrafficCount {
            day,
            market: "cn".into(),
            metric: Metric::PageView,
            key: String::new(),
            count: 5,
        }]);
        let (counts, _) = r.take();
        let total = counts.iter().find(|c| c.key.is_empty()).map(|c| c.count);
        assert_eq!(total, Some(6));
    }
}
