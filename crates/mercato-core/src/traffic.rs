//! First-party traffic statistics (D1): which requests are page views,
//! what a visitor's device and referrer say, how search terms are kept, and
//! what one page view adds to the daily counts. No third-party script and
//! no personal data: a visit is told apart by a cookie holding only "1",
//! user agents and referrers are reduced to a class and a site name at once,
//! and only daily counts per market are stored.
//!
//! Counts are `(metric, key)` pairs; key `""` is a metric's total, so for
//! every metric the total equals the sum of its keyed counts (the recorder
//! may drop keyed counts under a flood of distinct keys, never totals).

use serde::{Deserialize, Serialize};
use time::Date;

/// What a daily count counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// Storefront pages shown; keyed by path (without the query).
    PageView,
    /// Visits (a page without the visit cookie); total only.
    Session,
    /// The first page of a visit; keyed by path.
    EntryPage,
    /// Where a visit came from, broadly; keyed by [`Channel::code`].
    Channel,
    /// The site a visit came from (not for direct visits); keyed by the
    /// source's name (`baidu`, `wechat`) or, for other sites, the host.
    Referrer,
    /// The visitor's device class; keyed by [`DeviceClass::code`].
    Device,
    /// Text searches as typed; keyed by the normalised term.
    Search,
    /// Text searches that found nothing; keyed by the normalised term.
    ZeroResultSearch,
    /// Product pages shown; keyed by the product's slug.
    ProductView,
}

impl Metric {
    /// Every metric.
    pub const ALL: [Metric; 9] = [
        Metric::PageView,
        Metric::Session,
        Metric::EntryPage,
        Metric::Channel,
        Metric::Referrer,
        Metric::Device,
        Metric::Search,
        Metric::ZeroResultSearch,
        Metric::ProductView,
    ];

    /// The stored name.
    pub fn code(self) -> &'static str {
        match self {
            Metric::PageView => "page_view",
            Metric::Session => "session",
            Metric::EntryPage => "entry_page",
            Metric::Channel => "channel",
            Metric::Referrer => "referrer",
            Metric::Device => "device",
            Metric::Search => "search",
            Metric::ZeroResultSearch => "zero_result_search",
            Metric::ProductView => "product_view",
        }
    }

    /// Parses a stored name.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.code() == code)
    }
}

// ---------------------------------------------------------------------------
// Devices

/// What kind of device a user agent says it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeviceClass {
    Mobile,
    Tablet,
    Desktop,
    /// Crawlers, link previews, monitors, scripts and headless browsers:
    /// never counted.
    Bot,
}

/// Only looked for in the first bytes: a user agent longer than this is
/// not a browser's, and scanning stays cheap.
const UA_SCAN_BYTES: usize = 512;

/// Parts of user agents that only automated clients send (lower case).
const BOT_MARKERS: [&str; 31] = [
    "bot",
    "spider",
    "crawl",
    "slurp",
    "scrap",
    "headless",
    "lighthouse",
    "pagespeed",
    "preview",
    "facebookexternalhit",
    "meta-externalagent",
    "embedly",
    "monitor",
    "uptime",
    "pingdom",
    "phantomjs",
    "python",
    "curl",
    "wget",
    "java/",
    "go-http-client",
    "okhttp",
    "axios",
    "node-fetch",
    "httpclient",
    "fetcher",
    "mediapartners",
    "archiver",
    "validator",
    "chatgpt",
    "perplexity",
];

impl DeviceClass {
    /// Classifies a `User-Agent`. Every browser's starts with `Mozilla/`
    /// (old Opera's with `Opera/`), so anything else, or none, is a bot or a
    /// script. Phones say `Mobi`/`iPhone`/`Android … Mobile`; Android
    /// without `Mobile` is a tablet. iPads since iPadOS 13 send the desktop
    /// Safari string and count as desktops: the header cannot tell.
    pub fn of(user_agent: Option<&str>) -> Self {
        let Some(ua) = user_agent else {
            return DeviceClass::Bot;
        };
        let mut end = ua.len().min(UA_SCAN_BYTES);
        while !ua.is_char_boundary(end) {
            end -= 1;
        }
        // std's substring search (vectorised for short needles), not a
        // byte-window scan: this runs on every counted request.
        let ua = ua[..end].to_ascii_lowercase();
        let has = |needle: &str| ua.contains(needle);
        if !(ua.starts_with("mozilla/") || ua.starts_with("opera/")) {
            return DeviceClass::Bot;
        }
        if BOT_MARKERS.iter().any(|m| has(m)) {
            return DeviceClass::Bot;
        }
        let android = has("android");
        if ["ipad", "tablet", "kindle", "silk/", "playbook"]
            .iter()
            .any(|m| has(m))
            || (android && !has("mobi"))
        {
            return DeviceClass::Tablet;
        }
        if android
            || [
                "mobi",
                "iphone",
                "ipod",
                "windows phone",
                "blackberry",
                "bb10",
                "opera mini",
                "symbian",
            ]
            .iter()
            .any(|m| has(m))
        {
            return DeviceClass::Mobile;
        }
        DeviceClass::Desktop
    }

    /// The stored name.
    pub fn code(self) -> &'static str {
        match self {
            DeviceClass::Mobile => "mobile",
            DeviceClass::Tablet => "tablet",
            DeviceClass::Desktop => "desktop",
            DeviceClass::Bot => "bot",
        }
    }

    /// Whether the client is automated (and so not counted).
    pub fn is_bot(self) -> bool {
        self == DeviceClass::Bot
    }
}

// ---------------------------------------------------------------------------
// Referrers

/// Where visits come from, broadly.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// No referrer (typed, bookmarked, an app or mail client that sends
    /// none), or one from this shop itself.
    Direct,
    /// A search engine.
    Search,
    /// A social network or messenger.
    Social,
    /// A webmail page.
    Email,
    /// Any other site.
    Referral,
}

impl Channel {
    /// Every channel.
    pub const ALL: [Channel; 5] = [
        Channel::Direct,
        Channel::Search,
        Channel::Social,
        Channel::Email,
        Channel::Referral,
    ];

    /// The stored name.
    pub fn code(self) -> &'static str {
        match self {
            Channel::Direct => "direct",
            Channel::Search => "search",
            Channel::Social => "social",
            Channel::Email => "email",
            Channel::Referral => "referral",
        }
    }

    /// Parses a stored name.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// What a `Referer` header says about where a page view came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// No usable referrer.
    Direct,
    /// A page of this shop: not a referrer.
    Internal,
    /// Another site (or app), reduced to its channel and a source name: a
    /// known source's short name (`google`, `wechat`, `qq-mail`), else the
    /// host without `www.`. Paths and queries are never kept.
    External { channel: Channel, source: String },
}

/// Known sources by host: the host or any subdomain of it matches. Order
/// matters: webmail hosts of a search or social company come first.
const KNOWN_HOSTS: [(&str, Channel, &str); 69] = [
    // Webmail.
    ("mail.qq.com", Channel::Email, "qq-mail"),
    ("exmail.qq.com", Channel::Email, "qq-mail"),
    ("mail.163.com", Channel::Email, "163-mail"),
    ("mail.126.com", Channel::Email, "126-mail"),
    ("mail.yeah.net", Channel::Email, "yeah-mail"),
    ("mail.sina.com.cn", Channel::Email, "sina-mail"),
    ("mail.sohu.com", Channel::Email, "sohu-mail"),
    ("mail.aliyun.com", Channel::Email, "aliyun-mail"),
    ("qiye.aliyun.com", Channel::Email, "aliyun-mail"),
    ("mail.10086.cn", Channel::Email, "139-mail"),
    ("mail.google.com", Channel::Email, "gmail"),
    ("outlook.live.com", Channel::Email, "outlook"),
    ("outlook.office.com", Channel::Email, "outlook"),
    ("outlook.office365.com", Channel::Email, "outlook"),
    ("mail.yahoo.com", Channel::Email, "yahoo-mail"),
    ("mail.yandex.ru", Channel::Email, "yandex-mail"),
    ("mail.yandex.com", Channel::Email, "yandex-mail"),
    ("mail.zoho.com", Channel::Email, "zoho-mail"),
    ("mail.proton.me", Channel::Email, "proton-mail"),
    ("mail.aol.com", Channel::Email, "aol-mail"),
    // Social networks and messengers.
    ("weixin.qq.com", Channel::Social, "wechat"),
    ("wx.qq.com", Channel::Social, "wechat"),
    ("qzone.qq.com", Channel::Social, "qzone"),
    ("weibo.com", Channel::Social, "weibo"),
    ("weibo.cn", Channel::Social, "weibo"),
    ("t.cn", Channel::Social, "weibo"),
    ("tieba.baidu.com", Channel::Social, "tieba"),
    ("douyin.com", Channel::Social, "douyin"),
    ("xiaohongshu.com", Channel::Social, "xiaohongshu"),
    ("xhslink.com", Channel::Social, "xiaohongshu"),
    ("zhihu.com", Channel::Social, "zhihu"),
    ("bilibili.com", Channel::Social, "bilibili"),
    ("douban.com", Channel::Social, "douban"),
    ("linkedin.com", Channel::Social, "linkedin"),
    ("lnkd.in", Channel::Social, "linkedin"),
    ("facebook.com", Channel::Social, "facebook"),
    ("fb.com", Channel::Social, "facebook"),
    ("fb.me", Channel::Social, "facebook"),
    ("x.com", Channel::Social, "x"),
    ("twitter.com", Channel::Social, "x"),
    ("t.co", Channel::Social, "x"),
    ("youtube.com", Channel::Social, "youtube"),
    ("youtu.be", Channel::Social, "youtube"),
    ("instagram.com", Channel::Social, "instagram"),
    ("reddit.com", Channel::Social, "reddit"),
    ("tiktok.com", Channel::Social, "tiktok"),
    ("pinterest.com", Channel::Social, "pinterest"),
    ("vk.com", Channel::Social, "vk"),
    ("whatsapp.com", Channel::Social, "whatsapp"),
    ("wa.me", Channel::Social, "whatsapp"),
    ("t.me", Channel::Social, "telegram"),
    ("telegram.org", Channel::Social, "telegram"),
    ("xing.com", Channel::Social, "xing"),
    // Search engines.
    ("baidu.com", Channel::Search, "baidu"),
    ("bing.com", Channel::Search, "bing"),
    ("sogou.com", Channel::Search, "sogou"),
    ("so.com", Channel::Search, "360"),
    ("haosou.com", Channel::Search, "360"),
    ("sm.cn", Channel::Search, "shenma"),
    ("so.toutiao.com", Channel::Search, "toutiao"),
    ("duckduckgo.com", Channel::Search, "duckduckgo"),
    ("ecosia.org", Channel::Search, "ecosia"),
    ("naver.com", Channel::Search, "naver"),
    ("seznam.cz", Channel::Search, "seznam"),
    ("qwant.com", Channel::Search, "qwant"),
    ("startpage.com", Channel::Search, "startpage"),
    ("yandex.ru", Channel::Search, "yandex"),
    ("ya.ru", Channel::Search, "yandex"),
    ("search.brave.com", Channel::Search, "brave"),
];

/// Search engines with a domain per country (`google.com.hk`, `google.de`,
/// `search.yahoo.co.jp`): the name followed only by one or two short
/// labels.
const COUNTRY_DOMAIN_ENGINES: [&str; 3] = ["google", "yahoo", "yandex"];

/// Android apps send `android-app://<package>` as their referrer.
const KNOWN_APPS: [(&str, Channel, &str); 8] = [
    ("com.google.android.gm", Channel::Email, "gmail"),
    (
        "com.google.android.googlequicksearchbox",
        Channel::Search,
        "google",
    ),
    ("com.tencent.mm", Channel::Social, "wechat"),
    ("com.sina.weibo", Channel::Social, "weibo"),
    ("com.linkedin.android", Channel::Social, "linkedin"),
    ("com.facebook.katana", Channel::Social, "facebook"),
    ("com.twitter.android", Channel::Social, "x"),
    ("com.ss.android.ugc.aweme", Channel::Social, "douyin"),
];

/// Longest host kept (DNS allows 253).
const HOST_MAX: usize = 253;

impl Origin {
    /// Reads a `Referer` header. `own_host` is the request's `Host` (a port
    /// is ignored; `www.` on either side too), so links within the shop
    /// are internal. Anything that does not parse as an http(s) or Android
    /// app URL is direct.
    pub fn of(referer: Option<&str>, own_host: Option<&str>) -> Self {
        let Some(raw) = referer.map(str::trim).filter(|r| !r.is_empty()) else {
            return Origin::Direct;
        };
        let Some((scheme, rest)) = raw.split_once("://") else {
            return Origin::Direct;
        };
        let scheme = scheme.to_ascii_lowercase();
        let Some(host) = host_of(rest) else {
            return Origin::Direct;
        };
        match scheme.as_str() {
            "android-app" => {
                let (channel, source) = KNOWN_APPS
                    .iter()
                    .find(|(p, _, _)| *p == host)
                    .map(|(_, c, s)| (*c, (*s).to_string()))
                    .unwrap_or((Channel::Referral, host));
                Origin::External { channel, source }
            }
            "http" | "https" => {
                let site = strip_www(&host);
                if own_host
                    .and_then(host_of)
                    .is_some_and(|own| strip_www(&own) == site)
                {
                    return Origin::Internal;
                }
                let (channel, source) =
                    classify_host(&host).unwrap_or_else(|| (Channel::Referral, site.to_string()));
                Origin::External { channel, source }
            }
            _ => Origin::Direct,
        }
    }

    /// The channel of a visit that starts here (internal counts as direct:
    /// the visit cookie expired while a shop page stayed open).
    pub fn channel(&self) -> Channel {
        match self {
            Origin::Direct | Origin::Internal => Channel::Direct,
            Origin::External { channel, .. } => *channel,
        }
    }
}

/// The lower-case host of `authority[/path…]`, without user info, port
/// or trailing dot; `None` when it is not a plausible host name.
fn host_of(rest: &str) -> Option<String> {
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(v6) = authority.strip_prefix('[') {
        v6.split(']').next().unwrap_or("")
    } else {
        authority.split(':').next().unwrap_or("")
    };
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let plausible = !host.is_empty()
        && host.len() <= HOST_MAX
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._:".contains(&b));
    plausible.then_some(host)
}

fn strip_www(host: &str) -> &str {
    host.strip_prefix("www.").unwrap_or(host)
}

/// `host` is `domain` or a subdomain of it.
fn within(host: &str, domain: &str) -> bool {
    host == domain
        || host
            .strip_suffix(domain)
            .is_some_and(|sub| sub.ends_with('.'))
}

fn classify_host(host: &str) -> Option<(Channel, String)> {
    if let Some((_, channel, name)) = KNOWN_HOSTS.iter().find(|(d, _, _)| within(host, d)) {
        return Some((*channel, (*name).to_string()));
    }
    let labels: Vec<&str> = host.split('.').collect();
    for engine in COUNTRY_DOMAIN_ENGINES {
        if let Some(i) = labels.iter().position(|l| *l == engine) {
            let tail = &labels[i + 1..];
            if (1..=2).contains(&tail.len()) && tail.iter().all(|l| (2..=3).contains(&l.len())) {
                return Some((Channel::Search, engine.to_string()));
            }
        }
    }
    // A company's own webmail (mail.example.com, webmail.example.com).
    if labels.len() > 2 && ["mail", "webmail", "email", "exmail", "owa"].contains(&labels[0]) {
        return Some((Channel::Email, host.to_string()));
    }
    None
}

// ---------------------------------------------------------------------------
// Search terms

/// Longest search term kept, in characters.
pub const TERM_MAX_CHARS: usize = 100;

/// A search as it is counted: trimmed, runs of white space (the ideographic
/// space too) made one space, full-width ASCII (as Chinese input methods
/// type it: `Ｍ８`) made half-width, ASCII letters lower-cased, at most
/// [`TERM_MAX_CHARS`] characters; `None` when nothing is left. Only ASCII
/// is lower-cased: Chinese has no case, and Unicode case rules depend on
/// the language (Turkish `I`).
pub fn search_term(raw: &str) -> Option<String> {
    let mut out = String::with_capacity(raw.len().min(4 * TERM_MAX_CHARS));
    let mut chars = 0;
    let mut space = false;
    for c in raw.chars() {
        let c = match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            c => c,
        };
        if c.is_whitespace() || c.is_control() {
            space = !out.is_empty();
            continue;
        }
        let needed = 1 + usize::from(space);
        if chars + needed > TERM_MAX_CHARS {
            break;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(c.to_ascii_lowercase());
        chars += needed;
    }
    (!out.is_empty()).then_some(out)
}

// ---------------------------------------------------------------------------
// Pages

/// Paths (and everything under them) that are never storefront pages:
/// the API, the back office, files, operations endpoints, the feedback
/// form (a tool, not a page people browse), machine-read files.
const NOT_PAGES: [&str; 13] = [
    "/api",
    "/admin",
    "/assets",
    "/media",
    "/healthz",
    "/readyz",
    "/metrics",
    "/feedback",
    "/sitemap.xml",
    "/sitemaps",
    "/robots.txt",
    "/favicon.ico",
    "/.well-known",
];

/// Longest page path or product slug kept as a key, in bytes (longer ones
/// are cut at a character boundary).
pub const PATH_MAX_BYTES: usize = 200;

/// Whether a request may be a storefront page view: a `GET` outside the
/// [`NOT_PAGES`] paths. Whether it was one depends on the response too
/// ([`is_page_response`]).
pub fn is_page_request(method: &str, path: &str) -> bool {
    method == "GET"
        && path.starts_with('/')
        && !NOT_PAGES.iter().any(|p| {
            path.strip_prefix(p)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
}

/// Whether a response shows a page: a 2xx HTML document (redirects, errors
/// and files are not page views).
pub fn is_page_response(status: u16, content_type: &str) -> bool {
    (200..300).contains(&status)
        && content_type
            .get(..9)
            .is_some_and(|t| t.eq_ignore_ascii_case("text/html"))
}

/// Whether a request is a speculative load (`Sec-Purpose`/`Purpose`:
/// prefetch or prerender): the browser may never show it.
pub fn is_speculative(purpose: Option<&str>) -> bool {
    purpose.is_some_and(|p| {
        let p = p.to_ascii_lowercase();
        p.contains("prefetch") || p.contains("prerender")
    })
}

/// `s` cut to at most [`PATH_MAX_BYTES`] at a character boundary.
fn capped(s: &str) -> String {
    let mut end = s.len().min(PATH_MAX_BYTES);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s[..end].to_string()
}

/// A visit that starts with this page view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VisitStart {
    pub origin: Origin,
    pub device: DeviceClass,
}

/// A text search a page showed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SearchShown<'a> {
    /// As typed.
    pub text: &'a str,
    /// Whether it found anything.
    pub found: bool,
}

/// One counted page view and what the page noted about itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageHit<'a> {
    /// The path, without the query.
    pub path: &'a str,
    /// Set when the page view starts a visit.
    pub visit: Option<VisitStart>,
    /// A plain text search (first page, no filters) the page showed.
    pub search: Option<SearchShown<'a>>,
    /// The product the page showed (its slug).
    pub product: Option<&'a str>,
}

impl PageHit<'_> {
    /// What the page view adds to the daily counts: each metric's total
    /// (key `""`) and its keyed count. A visit adds a session, its entry
    /// page, channel, referrer (not for direct visits) and device; a search
    /// adds the term, and a zero-result search too when nothing was found.
    /// A bot's visit adds nothing (bots are not counted at all).
    pub fn counts(&self) -> Vec<(Metric, String)> {
        let mut out = Vec::with_capacity(16);
        let page = capped(self.path);
        if let Some(v) = &self.visit {
            if v.device.is_bot() {
                return Vec::new();
            }
            out.push((Metric::Session, String::new()));
            out.push((Metric::EntryPage, String::new()));
            out.push((Metric::EntryPage, page.clone()));
            out.push((Metric::Channel, String::new()));
            out.push((Metric::Channel, v.origin.channel().code().to_string()));
            if let Origin::External { source, .. } = &v.origin {
                out.push((Metric::Referrer, String::new()));
                out.push((Metric::Referrer, source.clone()));
            }
            out.push((Metric::Device, String::new()));
            out.push((Metric::Device, v.device.code().to_string()));
        }
        out.push((Metric::PageView, String::new()));
        out.push((Metric::PageView, page));
        if let Some(term) = self
            .search
            .and_then(|s| Some((search_term(s.text)?, s.found)))
        {
            let (term, found) = term;
            out.push((Metric::Search, String::new()));
            if !found {
                out.push((Metric::ZeroResultSearch, String::new()));
                out.push((Metric::ZeroResultSearch, term.clone()));
            }
            out.push((Metric::Search, term));
        }
        if let Some(slug) = self.product.filter(|s| !s.is_empty()) {
            out.push((Metric::ProductView, String::new()));
            out.push((Metric::ProductView, capped(slug)));
        }
        out
    }
}

// ---------------------------------------------------------------------------
// Days and ranges

/// The longest range a traffic report reads, in days (both ends included).
pub const MAX_RANGE_DAYS: i64 = crate::report::MAX_DAYS;

/// Why a range of days was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RangeError {
    #[error("the range ends ({to}) before it starts ({from})")]
    Reversed { from: String, to: String },
    #[error("the range covers {days} days; at most {MAX_RANGE_DAYS}")]
    TooLong { days: i64 },
}

/// Checks a range of days, both included; gives its length in days.
pub fn check_range(from: Date, to: Date) -> Result<i64, RangeError> {
    if to < from {
        return Err(RangeError::Reversed {
            from: day_code(from),
            to: day_code(to),
        });
    }
    let days = (to - from).whole_days() + 1;
    if days > MAX_RANGE_DAYS {
        return Err(RangeError::TooLong { days });
    }
    Ok(days)
}

/// A day as stored and shown: `YYYY-MM-DD` (UTC), which sorts as text.
pub fn day_code(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// Parses [`day_code`]'s format.
pub fn parse_day(s: &str) -> Option<Date> {
    let mut parts = s.splitn(3, '-');
    let year: i32 = parts.next()?.parse().ok()?;
    let month: u8 = parts.next()?.parse().ok()?;
    let day: u8 = parts.next()?.parse().ok()?;
    if s.len() != 10 {
        return None;
    }
    Date::from_calendar_date(year, time::Month::try_from(month).ok()?, day).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    const IPHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1";
    const WECHAT_ANDROID: &str = "Mozilla/5.0 (Linux; Android 13; V2227A Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/107.0.5304.141 Mobile Safari/537.36 XWEB/5023 MMWEBSDK/20230405 MicroMessenger/8.0.35.2360(0x2800235D) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64";
    const ANDROID_TABLET: &str = "Mozilla/5.0 (Linux; Android 12; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
    const IPAD_OLD: &str = "Mozilla/5.0 (iPad; CPU OS 12_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/12.1 Mobile/15E148 Safari/604.1";
    const WINDOWS_CHROME: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";
    const MAC_SAFARI: &str = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15";

    #[test]
    fn devices_are_classified_by_their_user_agent() {
        for (ua, class) in [
            (IPHONE, DeviceClass::Mobile),
            (WECHAT_ANDROID, DeviceClass::Mobile),
            (
                "Opera/9.80 (J2ME/MIDP; Opera Mini/9.80 (S60; SymbOS; Opera Mobi/23.348; U; en) Presto/2.5.25 Version/10.54",
                DeviceClass::Mobile,
            ),
            (ANDROID_TABLET, DeviceClass::Tablet),
            (IPAD_OLD, DeviceClass::Tablet),
            (
                "Mozilla/5.0 (Linux; U; Android 4.0.3; en-us; KFTT Build/IML74K) AppleWebKit/537.36 (KHTML, like Gecko) Silk/3.68 like Chrome/39.0.2171.93 Safari/537.36",
                DeviceClass::Tablet,
            ),
            (WINDOWS_CHROME, DeviceClass::Desktop),
            (MAC_SAFARI, DeviceClass::Desktop),
            (
                "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
                DeviceClass::Desktop,
            ),
        ] {
            assert_eq!(DeviceClass::of(Some(ua)), class, "{ua}");
        }
    }

    #[test]
    fn crawlers_scripts_and_previews_are_bots() {
        for ua in [
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
            "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "Sogou web spider/4.0(+http://www.sogou.com/docs/help/webmasters.htm#07)",
            "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.0.0 Safari/537.36",
            "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
            "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.0; +https://openai.com/gptbot)",
            "Mozilla/5.0 (compatible; Bytespider; spider-feedback@bytedance.com)",
            "curl/8.5.0",
            "python-requests/2.31.0",
            "Wget/1.21",
            "Go-http-client/1.1",
            "okhttp/4.12.0",
            "",
        ] {
            assert_eq!(DeviceClass::of(Some(ua)), DeviceClass::Bot, "{ua}");
        }
        assert_eq!(DeviceClass::of(None), DeviceClass::Bot);
    }

    fn ext(channel: Channel, source: &str) -> Origin {
        Origin::External {
            channel,
            source: source.to_string(),
        }
    }

    #[test]
    fn referrers_become_channels_and_sources() {
        let own = Some("shop.example.cn");
        for (referer, origin) in [
            (
                "https://www.baidu.com/link?url=abc&wd=螺栓",
                ext(Channel::Search, "baidu"),
            ),
            (
                "https://m.baidu.com/s?word=m8",
                ext(Channel::Search, "baidu"),
            ),
            ("https://www.google.com.hk/", ext(Channel::Search, "google")),
            (
                "https://www.google.de/search?q=x",
                ext(Channel::Search, "google"),
            ),
            (
                "https://cn.bing.com/search?q=x",
                ext(Channel::Search, "bing"),
            ),
            (
                "https://www.sogou.com/web?query=x",
                ext(Channel::Search, "sogou"),
            ),
            ("https://www.so.com/s?q=x", ext(Channel::Search, "360")),
            ("https://m.sm.cn/s?q=x", ext(Channel::Search, "shenma")),
            (
                "https://search.yahoo.co.jp/search?p=x",
                ext(Channel::Search, "yahoo"),
            ),
            (
                "https://mp.weixin.qq.com/s/abc",
                ext(Channel::Social, "wechat"),
            ),
            ("https://weibo.com/u/1", ext(Channel::Social, "weibo")),
            (
                "https://www.linkedin.com/feed/",
                ext(Channel::Social, "linkedin"),
            ),
            (
                "https://l.facebook.com/l.php?u=x",
                ext(Channel::Social, "facebook"),
            ),
            ("https://t.co/abc", ext(Channel::Social, "x")),
            ("https://x.com/someone", ext(Channel::Social, "x")),
            ("https://tieba.baidu.com/p/1", ext(Channel::Social, "tieba")),
            (
                "https://wx.mail.qq.com/home",
                ext(Channel::Email, "qq-mail"),
            ),
            (
                "https://mail.163.com/js6/main.jsp",
                ext(Channel::Email, "163-mail"),
            ),
            (
                "https://mail.google.com/mail/u/0/",
                ext(Channel::Email, "gmail"),
            ),
            (
                "https://outlook.live.com/mail/0/",
                ext(Channel::Email, "outlook"),
            ),
            (
                "https://webmail.acme-gmbh.de/?_task=mail",
                ext(Channel::Email, "webmail.acme-gmbh.de"),
            ),
            (
                "android-app://com.google.android.gm/",
                ext(Channel::Email, "gmail"),
            ),
            (
                "android-app://com.tencent.mm",
                ext(Channel::Social, "wechat"),
            ),
            (
                "android-app://org.example.reader/",
                ext(Channel::Referral, "org.example.reader"),
            ),
            (
                "https://www.supplier-directory.com/valves?id=7",
                ext(Channel::Referral, "supplier-directory.com"),
            ),
            (
                "http://USER:pw@Blog.Example.org:8080/post#c",
                ext(Channel::Referral, "blog.example.org"),
            ),
            (
                "https://google.example.com/",
                ext(Channel::Referral, "google.example.com"),
            ),
            ("https://also.com/", ext(Channel::Referral, "also.com")),
            ("https://shop.example.cn/c/bolts", Origin::Internal),
            ("https://www.shop.example.cn/p/x", Origin::Internal),
            ("", Origin::Direct),
            ("about:blank", Origin::Direct),
            ("not a url", Origin::Direct),
            ("ftp://files.example.com/", Origin::Direct),
            ("https:///nohost", Origin::Direct),
            ("https://bad host.com/", Origin::Direct),
        ] {
            assert_eq!(Origin::of(Some(referer), own), origin, "{referer}");
        }
        assert_eq!(Origin::of(None, own), Origin::Direct);
        // The Host header may carry a port; without one, nothing is internal.
        assert_eq!(
            Origin::of(Some("http://127.0.0.1:8080/c/x"), Some("127.0.0.1:8080")),
            Origin::Internal
        );
        assert_eq!(
            Origin::of(Some("http://127.0.0.1:8080/c/x"), None),
            ext(Channel::Referral, "127.0.0.1")
        );
        assert_eq!(Origin::Internal.channel(), Channel::Direct);
        assert_eq!(ext(Channel::Social, "x").channel(), Channel::Social);
    }

    #[test]
    fn search_terms_are_normalised() {
        for (raw, term) in [
            ("  Hex   Bolt\tM8 ", Some("hex bolt m8")),
            ("ＨＥＸ　ｂｏｌｔ", Some("hex bolt")),
            ("不锈钢 螺栓\u{3000}M8", Some("不锈钢 螺栓 m8")),
            ("ÄRGER", Some("Ärger")),
            ("\u{0}\n ", None),
            ("", None),
        ] {
            assert_eq!(search_term(raw).as_deref(), term, "{raw:?}");
        }
        let long = "ab ".repeat(80);
        let t = search_term(&long).unwrap_or_default();
        assert_eq!(t.chars().count(), 100, "{t}");
        assert!(!t.ends_with(' '));
        assert_eq!(
            search_term(&"螺".repeat(300)).map(|t| t.chars().count()),
            Some(100)
        );
    }

    #[test]
    fn only_storefront_html_gets_are_pages() {
        for path in [
            "/",
            "/search",
            "/c/bolts",
            "/p/hex-bolt-m8",
            "/brands",
            "/cart",
            "/account",
            "/apiary",
            "/administration",
        ] {
            assert!(is_page_request("GET", path), "{path}");
        }
        for path in [
            "/api",
            "/api/v1/products",
            "/admin",
            "/admin/orders",
            "/assets/shop.js",
            "/media/r/x/list.jpg",
            "/healthz",
            "/readyz",
            "/metrics",
            "/feedback",
            "/sitemap.xml",
            "/sitemaps/cn/1.xml",
            "/robots.txt",
            "/favicon.ico",
            "/.well-known/security.txt",
            "",
            "*",
        ] {
            assert!(!is_page_request("GET", path), "{path}");
        }
        assert!(!is_page_request("POST", "/cart"));
        assert!(!is_page_request("HEAD", "/"));
        assert!(is_page_response(200, "text/html; charset=utf-8"));
        assert!(is_page_response(200, "TEXT/HTML"));
        for (status, ct) in [
            (200, "application/json"),
            (200, "application/pdf"),
            (303, "text/html"),
            (404, "text/html"),
            (500, "text/html"),
            (200, ""),
        ] {
            assert!(!is_page_response(status, ct), "{status} {ct}");
        }
        assert!(is_speculative(Some("prefetch")) && is_speculative(Some("prefetch;prerender")));
        assert!(!is_speculative(None) && !is_speculative(Some("")));
    }

    fn keys(hit: &PageHit<'_>) -> Vec<(&'static str, String)> {
        let mut v: Vec<_> = hit
            .counts()
            .into_iter()
            .map(|(m, k)| (m.code(), k))
            .collect();
        v.sort();
        v
    }

    fn pairs(list: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
        let mut v: Vec<_> = list.iter().map(|(m, k)| (*m, k.to_string())).collect();
        v.sort();
        v
    }

    #[test]
    fn a_page_view_adds_its_counts() {
        let plain = PageHit {
            path: "/c/bolts",
            visit: None,
            search: None,
            product: None,
        };
        assert_eq!(
            keys(&plain),
            pairs(&[("page_view", ""), ("page_view", "/c/bolts")])
        );

        let entry = PageHit {
            path: "/search",
            visit: Some(VisitStart {
                origin: ext(Channel::Search, "baidu"),
                device: DeviceClass::Mobile,
            }),
            search: Some(SearchShown {
                text: " Hex  BOLT ",
                found: false,
            }),
            product: None,
        };
        assert_eq!(
            keys(&entry),
            pairs(&[
                ("session", ""),
                ("entry_page", ""),
                ("entry_page", "/search"),
                ("channel", ""),
                ("channel", "search"),
                ("referrer", ""),
                ("referrer", "baidu"),
                ("device", ""),
                ("device", "mobile"),
                ("page_view", ""),
                ("page_view", "/search"),
                ("search", ""),
                ("search", "hex bolt"),
                ("zero_result_search", ""),
                ("zero_result_search", "hex bolt"),
            ])
        );

        let direct = PageHit {
            path: "/p/hex-bolt-m8",
            visit: Some(VisitStart {
                origin: Origin::Internal,
                device: DeviceClass::Desktop,
            }),
            search: Some(SearchShown {
                text: "   ",
                found: true,
            }),
            product: Some("hex-bolt-m8"),
        };
        assert_eq!(
            keys(&direct),
            pairs(&[
                ("session", ""),
                ("entry_page", ""),
                ("entry_page", "/p/hex-bolt-m8"),
                ("channel", ""),
                ("channel", "direct"),
                ("device", ""),
                ("device", "desktop"),
                ("page_view", ""),
                ("page_view", "/p/hex-bolt-m8"),
                ("product_view", ""),
                ("product_view", "hex-bolt-m8"),
            ])
        );

        let bot = PageHit {
            visit: Some(VisitStart {
                origin: Origin::Direct,
                device: DeviceClass::Bot,
            }),
            ..plain.clone()
        };
        assert!(bot.counts().is_empty());

        let long = "/p/".to_string() + &"螺".repeat(100);
        let hit = PageHit {
            path: &long,
            ..plain
        };
        assert!(hit.counts().iter().all(|(_, k)| k.len() <= PATH_MAX_BYTES));
    }

    #[test]
    fn ranges_are_checked() {
        assert_eq!(
            check_range(date!(2026 - 01 - 01), date!(2026 - 01 - 01)),
            Ok(1)
        );
        assert_eq!(
            check_range(date!(2025 - 01 - 01), date!(2027 - 01 - 01)),
            Ok(731)
        );
        assert_eq!(
            check_range(date!(2025 - 01 - 01), date!(2027 - 01 - 02)),
            Err(RangeError::TooLong { days: 732 })
        );
        assert!(matches!(
            check_range(date!(2026 - 01 - 02), date!(2026 - 01 - 01)),
            Err(RangeError::Reversed { .. })
        ));
        assert_eq!(day_code(date!(2026 - 03 - 09)), "2026-03-09");
        assert_eq!(parse_day("2026-03-09"), Some(date!(2026 - 03 - 09)));
        for bad in ["2026-3-9", "2026-02-30", "20260309", "2026-03-09x", ""] {
            assert_eq!(parse_day(bad), None, "{bad}");
        }
        for m in Metric::ALL {
            assert_eq!(Metric::parse(m.code()), Some(m));
        }
        for c in Channel::ALL {
            assert_eq!(Channel::parse(c.code()), Some(c));
        }
    }

    proptest! {
        #[test]
        fn normalised_terms_are_stable_and_bounded(raw in "\\PC{0,300}") {
            if let Some(t) = search_term(&raw) {
                prop_assert!(t.chars().count() <= TERM_MAX_CHARS);
                prop_assert!(!t.starts_with(' ') && !t.ends_with(' ') && !t.contains("  "));
                prop_assert!(!t.chars().any(|c| c.is_ascii_uppercase() || c.is_control()));
                prop_assert_eq!(search_term(&t), Some(t.clone()));
            }
        }

        #[test]
        fn any_header_is_classified_without_panicking(ua in "\\PC{0,600}", referer in "\\PC{0,300}", host in "\\PC{0,40}") {
            let _ = DeviceClass::of(Some(&ua));
            let origin = Origin::of(Some(&referer), Some(&host));
            if let Origin::External { source, .. } = origin {
                prop_assert!(!source.is_empty() && source.len() <= HOST_MAX);
            }
        }

        #[test]
        fn user_agents_not_from_browsers_are_bots(ua in "[a-zA-Z0-9 ./;()-]{0,80}") {
            prop_assume!(!ua.to_ascii_lowercase().starts_with("mozilla/") && !ua.to_ascii_lowercase().starts_with("opera/"));
            prop_assert_eq!(DeviceClass::of(Some(&ua)), DeviceClass::Bot);
        }

        #[test]
        fn excluded_areas_are_never_pages(area in proptest::sample::select(NOT_PAGES.to_vec()), rest in "(/[a-z0-9.]{0,12}){0,3}") {
            let path = format!("{area}{rest}");
            prop_assert!(!is_page_request("GET", &path));
        }

        #[test]
        fn totals_equal_the_sum_of_keys(
            path in "/[a-z/-]{0,30}",
            visit in proptest::option::of((0usize..3, 0usize..3)),
            search in proptest::option::of(("\\PC{0,20}", any::<bool>())),
            product in proptest::option::of("[a-z-]{0,20}"),
        ) {
            let origins = [Origin::Direct, Origin::Internal, ext(Channel::Search, "baidu")];
            let devices = [DeviceClass::Mobile, DeviceClass::Tablet, DeviceClass::Desktop];
            let hit = PageHit {
                path: &path,
                visit: visit.map(|(o, d)| VisitStart { origin: origins[o].clone(), device: devices[d] }),
                search: search.as_ref().map(|(t, f)| SearchShown { text: t, found: *f }),
                product: product.as_deref(),
            };
            let counts = hit.counts();
            for m in Metric::ALL {
                let total = counts.iter().filter(|(x, k)| *x == m && k.is_empty()).count();
                let keyed = counts.iter().filter(|(x, k)| *x == m && !k.is_empty()).count();
                prop_assert!(total <= 1);
                if m != Metric::Session {
                    prop_assert_eq!(total, keyed, "{:?}", m);
                }
            }
        }
    }
}
