//! After commit: the outbox dispatcher delivers recorded domain events to
//! subscribers, at least once and in outbox order (so in order per
//! aggregate). Each subscriber has its own cursor in the database; the
//! cursor moves only after a successful delivery, so a crash between commit
//! and delivery, or in the middle of a delivery, means the event is
//! delivered (again) after restart. Subscribers must therefore be
//! idempotent.

use crate::AppError;
use futures::future::BoxFuture;
use mercato_store::outbox::{self, Event};
use mercato_store::{Db, Timestamp};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

pub use mercato_store::outbox::Event as DomainEvent;

/// Something that reacts to committed domain events (the search indexer,
/// webhooks, a NATS publisher…).
pub trait Subscriber: Send + Sync {
    /// A stable name: the key of this subscriber's cursor.
    fn name(&self) -> &str;
    /// Handles one event. An `Err` stops this subscriber's delivery here;
    /// the same event is retried on the next round.
    fn handle<'a>(&'a self, event: &'a Event) -> BoxFuture<'a, Result<(), String>>;
}

/// Wakes the outbox consumers (the dispatcher, the search indexer) right
/// after a commit, instead of waiting for their next poll. Polling stays as
/// the safety net (and covers other nodes' commits).
pub struct EventBus {
    commits: watch::Sender<u64>,
}

impl Default for EventBus {
    fn default() -> Self {
        Self {
            commits: watch::Sender::new(0),
        }
    }
}

impl EventBus {
    /// Signals that new events were committed.
    pub fn notify(&self) {
        self.commits.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// A receiver that wakes (`changed()`) after each [`EventBus::notify`].
    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.commits.subscribe()
    }
}

/// Delivers outbox events to in-process subscribers.
pub struct Dispatcher {
    db: Db,
    subscribers: Vec<Arc<dyn Subscriber>>,
    batch: i64,
}

impl Dispatcher {
    /// A dispatcher over `db`.
    pub fn new(db: Db, subscribers: Vec<Arc<dyn Subscriber>>) -> Self {
        Self {
            db,
            subscribers,
            batch: 200,
        }
    }

    /// Delivers what is pending to every subscriber once; returns how many
    /// deliveries succeeded.
    pub async fn run_once(&self) -> Result<usize, AppError> {
        let mut delivered = 0;
        for sub in &self.subscribers {
            delivered += self.deliver_to(sub.as_ref()).await?;
        }
        Ok(delivered)
    }

    async fn deliver_to(&self, sub: &dyn Subscriber) -> Result<usize, AppError> {
        let mut cursor = outbox::cursor(&self.db, sub.name()).await?;
        let mut delivered = 0;
        loop {
            let events = outbox::fetch_after(&self.db, cursor, self.batch).await?;
            if events.is_empty() {
                return Ok(delivered);
            }
            for e in &events {
                if let Err(err) = sub.handle(e).await {
                    tracing::warn!(subscriber = sub.name(), event_id = e.id, event_type = %e.event_type, error = %err, "event delivery failed; will retry");
                    metrics::counter!("outbox_delivery_failures_total", "subscriber" => sub.name().to_string()).increment(1);
                    return Ok(delivered);
                }
                // Advance per event: a crash re-delivers at most this one.
                outbox::advance(&self.db, sub.name(), e.id, Timestamp::now()).await?;
                cursor = e.id;
                delivered += 1;
            }
        }
    }

    /// How far the slowest subscriber lags behind the newest event.
    pub async fn lag(&self) -> Result<i64, AppError> {
        let max = outbox::max_id(&self.db).await?;
        let mut lag = 0;
        for sub in &self.subscribers {
            lag = lag.max(max - outbox::cursor(&self.db, sub.name()).await?);
        }
        Ok(lag)
    }

    /// Runs until `shutdown` resolves: delivers whenever woken through the
    /// [`EventBus`] and at least every `poll`.
    pub async fn run(
        self,
        bus: &EventBus,
        poll: Duration,
        shutdown: impl std::future::Future<Output = ()>,
    ) {
        tokio::pin!(shutdown);
        let mut commits = bus.subscribe();
        loop {
            if let Err(e) = self.run_once().await {
                tracing::error!(error = %e, "outbox dispatch failed");
            }
            if let Ok(lag) = self.lag().await {
                metrics::gauge!("outbox_lag_events").set(lag as f64);
            }
            tokio::select! {
                _ = &mut shutdown => return,
                _ = commits.changed() => {}
                _ = tokio::time::sleep(poll) => {}
            }
        }
    }
}
