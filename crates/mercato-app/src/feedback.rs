//! Feedback on any page (M4): buyers, staff and visitors say where a step
//! went wrong, what could be easier or what works; staff triage it, and
//! the maturity assessment counts how much was collected and looked at.
//! These are the error-prone steps worth automating.
//!
//! Who may do what:
//! - anyone may send feedback; senders without an account are limited to
//!   [`VISITOR_FEEDBACK_PER_HOUR`] per address (counted by a hash of it,
//!   never the address itself);
//! - any staff member (`access_back_office`) may read it: feedback is
//!   about the whole platform, so catalog, warehouse and finance staff
//!   should see what is said about their steps;
//! - triage (status and internal note) needs `manage_inquiries`, held by
//!   admins and sales reps: they already follow up what customers and
//!   visitors send through the storefront, and deciding what to plan or
//!   dismiss is part of that;
//! - buyers never see feedback, not even their own company's.

use crate::auth::{ClientInfo, Principal, require_staff};
use crate::{App, AppError, FieldError};
use mercato_core::Permission;
use mercato_core::feedback::{
    FeedbackContext, FeedbackForm, FeedbackKind, FeedbackSource, FeedbackStatus,
};
use mercato_store::feedback::{self as store, FeedbackFilter, StoredFeedback};
use mercato_store::{Timestamp, audit};
use serde::Serialize;
use serde_json::json;
use uuid::Uuid;

pub use mercato_core::feedback::FeedbackCounts;

/// Feedback one address may send per hour without signing in. Signed-in
/// senders are not limited: they are known, and their feedback is what
/// the platform most wants.
pub const VISITOR_FEEDBACK_PER_HOUR: i64 = 5;

/// Longest staff note, in characters.
pub const MAX_STAFF_NOTE: usize = 4000;

/// Feedback as the back office shows it (never the sender's address key).
#[derive(Clone, Debug, Serialize)]
pub struct FeedbackView {
    pub id: Uuid,
    pub source: FeedbackSource,
    pub kind: FeedbackKind,
    pub status: FeedbackStatus,
    pub message: String,
    pub page: String,
    pub context: FeedbackContext,
    pub user_id: Option<Uuid>,
    /// The buyer's company when a buyer sent it.
    pub company_id: Option<Uuid>,
    pub staff_note: String,
    pub triaged_by: Option<Uuid>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: time::OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: time::OffsetDateTime,
}

impl From<StoredFeedback> for FeedbackView {
    fn from(f: StoredFeedback) -> Self {
        FeedbackView {
            id: f.id,
            source: f.source,
            kind: f.kind,
            status: f.status,
            message: f.message,
            page: f.page,
            context: f.context,
            user_id: f.user_id,
            company_id: f.company_id,
            staff_note: f.staff_note,
            triaged_by: f.triaged_by,
            created_at: f.created_at.as_offset(),
            updated_at: f.updated_at.as_offset(),
        }
    }
}

/// Where feedback was left from, as the page knew it. Whether the sender
/// was signed in comes from the principal, not from here.
#[derive(Clone, Debug, Default)]
pub struct PageContext {
    /// The UI language (`zh-CN`, `en`).
    pub lang: String,
    /// The market the page was shown in.
    pub market: Option<String>,
}

/// The key a sender's address is counted under: a hash, so the table
/// keeps no IP address. Its own prefix keeps it apart from the inquiry
/// limit's key for the same address.
pub fn client_key(client: &ClientInfo) -> Option<String> {
    client
        .ip
        .as_deref()
        .map(|ip| crate::secret::digest(&format!("feedback:{ip}")))
}

/// Form errors as the app's field errors.
fn invalid(problems: Vec<mercato_core::feedback::FeedbackProblem>) -> AppError {
    AppError::Invalid(
        problems
            .into_iter()
            .map(|p| FieldError::new(p.field, p.code, p.message))
            .collect(),
    )
}

/// Receives feedback from anyone: checks it (every bad field named), keeps
/// the sender as buyer (with their company), staff or visitor, and holds
/// senders without an account to [`VISITOR_FEEDBACK_PER_HOUR`] per
/// `client_key` (from [`client_key`]), else 429 `rate_limited`.
pub async fn submit(
    app: &App,
    p: Option<&Principal>,
    form: &FeedbackForm,
    client_key: Option<&str>,
    context: &PageContext,
) -> Result<FeedbackView, AppError> {
    if p.is_none()
        && let Some(key) = client_key
    {
        let since = Timestamp::now().plus(-time::Duration::hours(1));
        if store::count_from(app.db(), key, since).await? >= VISITOR_FEEDBACK_PER_HOUR {
            return Err(AppError::RateLimited {
                retry_after_secs: 600,
            });
        }
    }
    let feedback = form.parse().map_err(invalid)?;
    // A staff member acting for a buyer speaks as that buyer (the
    // principal carries the buyer's rights and membership).
    let (source, user_id, company_id) = match p {
        Some(p) => match (p.membership(), p.user.staff_role) {
            (Some(m), _) => (
                FeedbackSource::Buyer,
                Some(p.user.id.as_uuid()),
                Some(m.company_id.as_uuid()),
            ),
            (None, Some(_)) => (FeedbackSource::Staff, Some(p.user.id.as_uuid()), None),
            (None, None) => (FeedbackSource::Visitor, Some(p.user.id.as_uuid()), None),
        },
        None => (FeedbackSource::Visitor, None, None),
    };
    let now = Timestamp::now();
    let stored = StoredFeedback {
        id: Uuid::now_v7(),
        source,
        kind: feedback.kind,
        status: FeedbackStatus::New,
        message: feedback.message,
        page: feedback.page,
        context: FeedbackContext {
            lang: context.lang.chars().take(16).collect(),
            market: context
                .market
                .as_deref()
                .map(|m| m.chars().take(32).collect()),
            signed_in: p.is_some(),
        },
        user_id,
        company_id,
        staff_note: String::new(),
        triaged_by: None,
        // Only anonymous feedback keeps the key: it is what the limit
        // counts, and signed-in senders need neither limit nor key.
        client_key: if p.is_none() {
            client_key.map(str::to_string)
        } else {
            None
        },
        created_at: now,
        updated_at: now,
    };
    let mut tx = app.db().begin().await?;
    store::insert(&mut tx, &stored).await?;
    tx.commit().await?;
    Ok(stored.into())
}

/// Which feedback staff list.
#[derive(Clone, Debug, Default)]
pub struct FeedbackQuery {
    /// A status code; empty or absent: all.
    pub status: Option<String>,
    /// From the previous page's `next_cursor`.
    pub cursor: Option<Uuid>,
    pub limit: Option<i64>,
}

/// A page of feedback, newest first.
#[derive(Clone, Debug, Serialize)]
pub struct FeedbackPage {
    pub items: Vec<FeedbackView>,
    pub next_cursor: Option<String>,
}

/// Feedback for staff (`access_back_office`), newest first.
pub async fn list(
    app: &App,
    p: Option<&Principal>,
    q: &FeedbackQuery,
) -> Result<FeedbackPage, AppError> {
    require_staff(p, Permission::AccessBackOffice, "read feedback")?;
    let mut errors = Vec::new();
    let status = q.status.as_deref().filter(|s| !s.is_empty()).and_then(|s| {
        let parsed = FeedbackStatus::parse(s);
        if parsed.is_none() {
            errors.push(FieldError::new(
                "status",
                "unknown_status",
                "status is one of new, triaged, planned, done, dismissed",
            ));
        }
        parsed
    });
    let limit = q.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        errors.push(FieldError::new(
            "limit",
            "out_of_range",
            "limit must be 1 to 200",
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let filter = FeedbackFilter {
        status,
        before: q.cursor,
    };
    let mut rows = store::list(app.db(), &filter, limit + 1).await?;
    let max = usize::try_from(limit).unwrap_or(usize::MAX);
    let more = rows.len() > max;
    rows.truncate(max);
    let next_cursor = if more {
        rows.last().map(|r| r.id.to_string())
    } else {
        None
    };
    Ok(FeedbackPage {
        items: rows.into_iter().map(FeedbackView::from).collect(),
        next_cursor,
    })
}

/// One piece of feedback for staff (`access_back_office`).
pub async fn get(app: &App, p: Option<&Principal>, id: Uuid) -> Result<FeedbackView, AppError> {
    require_staff(p, Permission::AccessBackOffice, "read feedback")?;
    store::get(app.db(), id)
        .await?
        .map(FeedbackView::from)
        .ok_or(AppError::NotFound("feedback"))
}

/// Staff's triage of a piece of feedback.
#[derive(Clone, Debug, Default)]
pub struct Triage {
    /// The new status code (never `new`: see
    /// [`FeedbackStatus::may_become`]).
    pub status: String,
    /// The internal note; replaces the old one.
    pub staff_note: String,
}

/// Triages feedback (`manage_inquiries`, see the module's doc): sets its
/// status and internal note and records who did. Audited.
pub async fn triage(
    app: &App,
    p: Option<&Principal>,
    id: Uuid,
    change: &Triage,
    client: &ClientInfo,
) -> Result<FeedbackView, AppError> {
    require_staff(p, Permission::ManageInquiries, "triage feedback")?;
    let mut f = store::get(app.db(), id)
        .await?
        .ok_or(AppError::NotFound("feedback"))?;
    let mut errors = Vec::new();
    let from = f.status;
    match FeedbackStatus::parse(&change.status) {
        Some(to) if from.may_become(to) => f.status = to,
        Some(_) => errors.push(FieldError::new(
            "status",
            "not_new_again",
            "feedback someone has looked at cannot be new again",
        )),
        None => errors.push(FieldError::new(
            "status",
            "unknown_status",
            "status is one of triaged, planned, done, dismissed",
        )),
    }
    let note = change.staff_note.trim();
    if note.chars().count() > MAX_STAFF_NOTE {
        errors.push(FieldError::new(
            "staff_note",
            "too_long",
            format!("staff_note is at most {MAX_STAFF_NOTE} characters"),
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    f.staff_note = note.to_string();
    f.triaged_by = p.map(|p| p.user.id.as_uuid());
    f.updated_at = Timestamp::now();
    let mut tx = app.db().begin().await?;
    if !store::update_triage(&mut tx, &f).await? {
        return Err(AppError::NotFound("feedback"));
    }
    audit::record(
        &mut tx,
        &crate::auth::audit_by(
            p,
            "feedback.triage",
            "feedback",
            f.id.to_string(),
            json!({ "from": from, "status": f.status }),
            client,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(f.into())
}

/// How much feedback was left since `since`, by status and by source: the
/// maturity assessment's measure (feedback collected in the last 90 days,
/// and the share triaged). A plain read for the system; no principal.
pub async fn counts(app: &App, since: Timestamp) -> Result<FeedbackCounts, AppError> {
    Ok(store::counts(app.db(), since).await?)
}
