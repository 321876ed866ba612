//! Mercato's use cases: one function per business action, each running in
//! one transaction (load state from the store, apply `core` rules, write the
//! new state with its outbox events and audit entries, commit), plus the
//! machinery that runs after commit: the outbox [`events::Dispatcher`] and
//! the [`jobs::Worker`].
//!
//! Error strategy: every use case returns [`AppError`], whose variants carry
//! stable snake_case codes; `mercato-web` maps them to HTTP problems in one
//! place and the CLI prints them.
#![forbid(unsafe_code)]

pub mod audit;
pub mod auth;
pub mod cache;
pub mod carts;
pub mod catalog;
pub mod companies;
mod error;
pub mod events;
pub mod export;
pub mod feedback;
pub mod import;
pub mod inquiries;
pub mod jobs;
pub mod mail;
pub mod maturity;
pub mod media;
pub mod orders;
pub mod password;
pub mod payments;
pub mod pricing;
pub mod promotions;
pub mod reports;
pub mod search;
pub mod secret;
pub mod staff;
pub mod stock;
pub mod traffic;
pub mod views;

pub use error::{AppError, FieldError};
pub use mercato_store::{Backend, Db, DbOptions, StoreError, Timestamp};

use std::sync::Arc;

/// Settings the use cases need, with production defaults.
#[derive(Clone, Debug)]
pub struct AppSettings {
    /// How long a browser session lives without activity.
    pub session_idle: time::Duration,
    /// How long a bearer token from sign-in lives.
    pub login_token_ttl: time::Duration,
    /// Failed sign-ins per e-mail within [`AppSettings::login_window`] before 429.
    pub login_max_failures_per_email: i64,
    /// Failed sign-ins per client address within the window before 429.
    pub login_max_failures_per_ip: i64,
    pub login_window: time::Duration,
    /// Argon2id parameters (memory KiB, iterations, parallelism).
    pub argon2: password::HashParams,
    /// Folder of the media store (images, documents); `None`: no media.
    pub media_dir: Option<std::path::PathBuf>,
    /// Folder of this node's search index; `None`: no index (product lists
    /// then come straight from the database, without facets or relevance).
    pub search_dir: Option<std::path::PathBuf>,
    /// Words for the search index's Chinese word splitter beyond the
    /// built-in trade terms ([`search::catalog_dictionary`]).
    pub search_words: Vec<String>,
    /// Where e-mail goes and where its links point.
    pub mail: mail::MailSettings,
    /// Card gateway secrets and bank-transfer details.
    pub payments: payments::PaymentSettings,
    /// Storefront inquiries one client address may send per hour (spam).
    pub inquiries_per_hour: u32,
    /// What business documents (order confirmations) print.
    pub documents: DocumentSettings,
}

/// The seller's letterhead on documents and the fonts they are set in.
#[derive(Clone, Debug)]
pub struct DocumentSettings {
    /// Name and address lines, top left of every document.
    pub seller: Vec<String>,
    /// Folders searched for fonts (`.ttf .otf .ttc`); Chinese documents need
    /// a CJK font there (Debian: fonts-noto-cjk).
    pub font_dirs: Vec<std::path::PathBuf>,
}

impl Default for DocumentSettings {
    fn default() -> Self {
        Self {
            seller: vec![
                "Mercato Demo Seller Ltd".to_string(),
                "100 Zhangjiang Road, Pudong".to_string(),
                "201203 Shanghai, CN".to_string(),
            ],
            font_dirs: vec![
                std::path::PathBuf::from("/usr/share/fonts"),
                std::path::PathBuf::from("/usr/local/share/fonts"),
            ],
        }
    }
}

impl Default for AppSettings {
    fn default() -> Self {
        Self {
            session_idle: time::Duration::hours(8),
            login_token_ttl: time::Duration::hours(1),
            login_max_failures_per_email: 5,
            login_max_failures_per_ip: 50,
            login_window: time::Duration::minutes(15),
            argon2: password::HashParams::default(),
            media_dir: None,
            search_dir: None,
            search_words: Vec::new(),
            mail: mail::MailSettings::default(),
            payments: payments::PaymentSettings::default(),
            inquiries_per_hour: 10,
            documents: DocumentSettings::default(),
        }
    }
}

/// The application: the database and settings every use case runs against.
/// Cheap to clone.
#[derive(Clone)]
pub struct App {
    inner: Arc<AppInner>,
}

struct AppInner {
    db: Db,
    settings: AppSettings,
    events: events::EventBus,
    media: Option<mercato_media::MediaStore>,
    catalog_cache: cache::CatalogCache,
    search: Option<search::SearchService>,
    gateway: Arc<dyn payments::PaymentGateway>,
    /// One rollup refresh at a time on this node ([`reports::refresh_rollups`]).
    rollup_gate: tokio::sync::Mutex<()>,
}

impl App {
    /// Wraps an open, migrated database.
    pub fn new(db: Db, settings: AppSettings) -> Self {
        let media =
            settings
                .media_dir
                .as_deref()
                .and_then(|d| match mercato_media::MediaStore::local(d) {
                    Ok(s) => Some(s),
                    Err(e) => {
                        tracing::error!(error = %e, dir = %d.display(), "media store unavailable");
                        None
                    }
                });
        let search =
            settings.search_dir.as_deref().and_then(|d| {
                match search::SearchService::open(d, &settings.search_words) {
                    Ok(s) => Some(s),
                    Err(e) => {
                        tracing::error!(error = %e, dir = %d.display(), "search index unavailable");
                        None
                    }
                }
            });
        let gateway = Arc::new(payments::TestGateway::new(
            settings.payments.webhook_secret.clone(),
        ));
        Self {
            inner: Arc::new(AppInner {
                gateway,
                db,
                settings,
                events: events::EventBus::default(),
                media,
                catalog_cache: cache::CatalogCache::default(),
                search,
                rollup_gate: tokio::sync::Mutex::new(()),
            }),
        }
    }

    /// This node's search index, when configured and open.
    pub fn search(&self) -> Option<&search::SearchService> {
        self.inner.search.as_ref()
    }

    /// After a committed catalog write: forget cached views and wake the
    /// outbox consumers (the search indexer among them).
    pub fn catalog_changed(&self) {
        self.inner.catalog_cache.invalidate();
        self.inner.events.notify();
    }

    /// Held while this node refreshes the dashboard rollups.
    pub(crate) fn rollup_gate(&self) -> &tokio::sync::Mutex<()> {
        &self.inner.rollup_gate
    }

    /// The in-process catalog cache.
    pub fn catalog_cache(&self) -> &cache::CatalogCache {
        &self.inner.catalog_cache
    }

    /// The media store, when configured.
    pub fn media_store(&self) -> Option<&mercato_media::MediaStore> {
        self.inner.media.as_ref()
    }

    /// The card payment provider.
    pub fn gateway(&self) -> &dyn payments::PaymentGateway {
        self.inner.gateway.as_ref()
    }

    /// The database.
    pub fn db(&self) -> &Db {
        &self.inner.db
    }

    /// The settings.
    pub fn settings(&self) -> &AppSettings {
        &self.inner.settings
    }

    /// Wakes the outbox dispatcher after a commit that wrote events.
    pub fn events(&self) -> &events::EventBus {
        &self.inner.events
    }

    /// Whether the database answers.
    pub async fn ready(&self) -> Result<(), AppError> {
        Ok(self.inner.db.ping().await?)
    }
}
