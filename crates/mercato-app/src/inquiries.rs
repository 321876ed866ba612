//! Inquiries from the storefront (P1, P2): visitors ask for a quotation,
//! for samples, or send a message; staff follow them up (the start of lead
//! management). Sending needs no account; a signed-in buyer's inquiry is
//! linked to the company. Spam is held off by a honeypot field (the web
//! layer) and a per-address limit here.

use crate::auth::{ClientInfo, Principal, require_staff};
use crate::{App, AppError, FieldError};
use mercato_core::inquiry::{InquiryForm, InquiryItem, InquiryKind, InquiryStatus};
use mercato_core::{DocumentSeries, Permission, UserId};
use mercato_store::inquiries::{self as store, InquiryFilter, StoredInquiry};
use mercato_store::outbox::{self, NewEvent};
use mercato_store::{Timestamp, audit, series};
use serde::Serialize;
use serde_json::json;
use uuid::Uuid;

/// An inquiry as the API and the back office show it.
#[derive(Clone, Debug, Serialize)]
pub struct InquiryView {
    pub id: Uuid,
    pub number: String,
    pub kind: InquiryKind,
    pub status: InquiryStatus,
    pub market: String,
    pub lang: String,
    pub name: String,
    pub company: String,
    pub email: String,
    pub phone: Option<String>,
    pub message: String,
    pub items: Vec<InquiryItem>,
    /// The buyer's company when a signed-in buyer sent it.
    pub company_id: Option<Uuid>,
    pub assigned_to: Option<Uuid>,
    pub follow_up_on: Option<String>,
    pub staff_note: String,
    pub page: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: time::OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: time::OffsetDateTime,
}

impl From<StoredInquiry> for InquiryView {
    fn from(i: StoredInquiry) -> Self {
        InquiryView {
            id: i.id,
            number: i.number,
            kind: i.kind,
            status: i.status,
            market: i.market,
            lang: i.lang,
            name: i.name,
            company: i.company_name,
            email: i.email,
            phone: i.phone,
            message: i.message,
            items: i.items,
            company_id: i.company_id,
            assigned_to: i.assigned_to,
            follow_up_on: i.follow_up_on,
            staff_note: i.staff_note,
            page: i.page,
            created_at: i.created_at.as_offset(),
            updated_at: i.updated_at.as_offset(),
        }
    }
}

/// Where an inquiry was sent from.
#[derive(Clone, Debug, Default)]
pub struct InquirySource {
    /// The market code asked for (`None`: the default market).
    pub market: Option<String>,
    /// The visitor's UI language.
    pub lang: String,
    /// The storefront path it was sent from.
    pub page: Option<String>,
}

/// The key a sender's address is counted under: a hash, so the table
/// keeps no IP address.
fn client_key(client: &ClientInfo) -> Option<String> {
    client
        .ip
        .as_deref()
        .map(|ip| crate::secret::digest(&format!("inquiry:{ip}")))
}

/// An `Idempotency-Key` and a fingerprint of the request it came with.
#[derive(Clone, Copy, Debug)]
pub struct Idempotency<'a> {
    pub key: &'a str,
    pub request_hash: &'a str,
}

/// The inquiry an earlier request with the same key created; the same key
/// with another request is 422 `idempotency_key_reused`.
async fn replay(
    app: &App,
    owner: &str,
    idem: Idempotency<'_>,
) -> Result<Option<InquiryView>, AppError> {
    let Some((hash, id)) =
        mercato_store::orders::idempotent_result(app.db(), owner, idem.key).await?
    else {
        return Ok(None);
    };
    if hash != idem.request_hash {
        return Err(AppError::Unprocessable {
            code: "idempotency_key_reused",
            detail: "this Idempotency-Key was used for a different request".into(),
        });
    }
    Ok(store::get(app.db(), id).await?.map(InquiryView::from))
}

/// Receives an inquiry: checks it (every bad field named), that its part
/// numbers exist (stored in their canonical spelling), and that the
/// sender is within the limit; numbers it `INQ-…` and records an
/// `inquiry.received` event for staff notifications and integrations.
/// Returns the inquiry and whether it was created now (`false`: a retry
/// with the same Idempotency-Key).
pub async fn submit(
    app: &App,
    p: Option<&Principal>,
    form: &InquiryForm,
    source: &InquirySource,
    idempotency: Option<Idempotency<'_>>,
    client: &ClientInfo,
) -> Result<(InquiryView, bool), AppError> {
    let key = client_key(client);
    // Keys are per sender: the user, else the (hashed) address.
    let owner = format!(
        "inquiry:{}",
        p.map(|p| p.user.id.to_string())
            .or_else(|| key.clone())
            .unwrap_or_default()
    );
    if let Some(idem) = idempotency {
        if idem.key.is_empty() || idem.key.len() > 200 {
            return Err(AppError::invalid(
                "Idempotency-Key",
                "invalid_idempotency_key",
                "an Idempotency-Key is 1 to 200 characters",
            ));
        }
        if let Some(v) = replay(app, &owner, idem).await? {
            return Ok((v, false));
        }
    }
    if let Some(key) = &key {
        let limit = app.settings().inquiries_per_hour;
        let since = Timestamp::now().plus(-time::Duration::hours(1));
        if store::count_from(app.db(), key, since).await? >= i64::from(limit) {
            return Err(AppError::RateLimited {
                retry_after_secs: 600,
            });
        }
    }
    let inquiry = form.parse().map_err(|problems| {
        AppError::Invalid(
            problems
                .into_iter()
                .map(|p| FieldError::new(&p.field, p.code, p.message))
                .collect(),
        )
    })?;
    let typed: Vec<String> = inquiry.items.iter().map(|i| i.sku.clone()).collect();
    let canonical = crate::catalog::canonical_skus(app, &typed).await?;
    let mut errors = Vec::new();
    let mut items = Vec::with_capacity(inquiry.items.len());
    for (item, sku) in inquiry.items.iter().zip(canonical) {
        // Named by the line as sent (blank lines and repeats were folded).
        let i = form
            .items
            .iter()
            .position(|(s, _)| s.trim().eq_ignore_ascii_case(&item.sku))
            .unwrap_or(0);
        match sku {
            Some(sku) => items.push(InquiryItem {
                sku,
                quantity: item.quantity,
            }),
            None => errors.push(FieldError::new(
                &format!("items[{i}].sku"),
                "unknown_sku",
                format!("there is no part number {:?}", item.sku),
            )),
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let market = crate::catalog::market(app, source.market.as_deref()).await?;
    let (company_id, user_id) = match p {
        Some(p) => (
            p.membership().map(|m| m.company_id.as_uuid()),
            Some(p.user.id.as_uuid()),
        ),
        None => (None, None),
    };
    let now = Timestamp::now();
    let mut tx = app.db().begin().await?;
    let number = series::next_number(&mut tx, DocumentSeries::Inquiry).await?;
    let stored = StoredInquiry {
        id: Uuid::now_v7(),
        number: number.to_string(),
        kind: inquiry.kind,
        status: InquiryStatus::New,
        market: market.code.clone(),
        lang: source.lang.clone(),
        name: inquiry.name,
        company_name: inquiry.company,
        email: inquiry.email.as_str().to_string(),
        phone: inquiry.phone,
        message: inquiry.message,
        items,
        company_id,
        user_id,
        assigned_to: None,
        follow_up_on: None,
        staff_note: String::new(),
        client_key: key,
        page: source.page.clone().map(|p| p.chars().take(500).collect()),
        created_at: now,
        updated_at: now,
    };
    store::insert(&mut tx, &stored).await?;
    if let Some(idem) = idempotency
        && let Err(e) = mercato_store::orders::claim_key(
            &mut tx,
            &owner,
            idem.key,
            idem.request_hash,
            stored.id,
            now,
        )
        .await
    {
        drop(tx);
        // A concurrent twin claimed the key first: answer with its inquiry.
        return match replay(app, &owner, idem).await? {
            Some(v) => Ok((v, false)),
            None => Err(e.into()),
        };
    }
    outbox::append(
        &mut tx,
        &NewEvent::new(
            "inquiry",
            stored.id.to_string(),
            "inquiry.received",
            json!({ "number": stored.number, "kind": stored.kind, "market": stored.market,
                    "lines": stored.items.len() }),
        ),
        now,
    )
    .await?;
    tx.commit().await?;
    app.events().notify();
    Ok((stored.into(), true))
}

/// Which inquiries staff list.
#[derive(Clone, Debug, Default)]
pub struct InquiryQuery {
    pub status: Option<String>,
    pub kind: Option<String>,
    /// `me` or a staff user id.
    pub assigned_to: Option<String>,
    /// From the previous page's `next_cursor`.
    pub cursor: Option<Uuid>,
    pub limit: Option<i64>,
}

/// A page of inquiries, newest first.
#[derive(Clone, Debug, Serialize)]
pub struct InquiryPage {
    pub items: Vec<InquiryView>,
    pub next_cursor: Option<String>,
}

/// Inquiries for staff who follow them up (`manage_inquiries`).
pub async fn list(
    app: &App,
    p: Option<&Principal>,
    q: &InquiryQuery,
) -> Result<InquiryPage, AppError> {
    require_staff(p, Permission::ManageInquiries, "read inquiries")?;
    let mut errors = Vec::new();
    let status = q.status.as_deref().filter(|s| !s.is_empty()).and_then(|s| {
        let parsed = InquiryStatus::parse(s);
        if parsed.is_none() {
            errors.push(FieldError::new(
                "status",
                "unknown_status",
                "status is one of new, in_progress, answered, closed",
            ));
        }
        parsed
    });
    let kind = q.kind.as_deref().filter(|s| !s.is_empty()).and_then(|s| {
        let parsed = InquiryKind::parse(s);
        if parsed.is_none() {
            errors.push(FieldError::new(
                "kind",
                "unknown_kind",
                "kind is one of quote, sample, contact",
            ));
        }
        parsed
    });
    let assigned_to = match q.assigned_to.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some("me") => p.map(|p| p.user.id.as_uuid()),
        Some(id) => match id.parse::<Uuid>() {
            Ok(u) => Some(u),
            Err(_) => {
                errors.push(FieldError::new(
                    "assigned_to",
                    "invalid_id",
                    "assigned_to is `me` or a user id",
                ));
                None
            }
        },
    };
    let before = q.cursor;
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
    let filter = InquiryFilter {
        status,
        kind,
        assigned_to,
        company_id: None,
        before,
    };
    let mut rows = store::list(app.db(), &filter, limit + 1).await?;
    let more = rows.len() > usize::try_from(limit).unwrap_or(usize::MAX);
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let next_cursor = if more {
        rows.last().map(|r| r.id.to_string())
    } else {
        None
    };
    Ok(InquiryPage {
        items: rows.into_iter().map(InquiryView::from).collect(),
        next_cursor,
    })
}

/// One inquiry for staff.
pub async fn get(app: &App, p: Option<&Principal>, id: Uuid) -> Result<InquiryView, AppError> {
    require_staff(p, Permission::ManageInquiries, "read inquiries")?;
    store::get(app.db(), id)
        .await?
        .map(InquiryView::from)
        .ok_or(AppError::NotFound("inquiry"))
}

/// Staff's changes to an inquiry; absent fields stay as they are.
#[derive(Clone, Debug, Default)]
pub struct FollowUp {
    pub status: Option<String>,
    /// `Some(None)` unassigns.
    pub assigned_to: Option<Option<Uuid>>,
    /// `Some(None)` clears; else `YYYY-MM-DD`.
    pub follow_up_on: Option<Option<String>>,
    pub staff_note: Option<String>,
}

/// Assigns, schedules and moves an inquiry on (`manage_inquiries`); the
/// assignee must be staff who may handle inquiries. Audited.
pub async fn follow_up(
    app: &App,
    p: Option<&Principal>,
    id: Uuid,
    change: &FollowUp,
    client: &ClientInfo,
) -> Result<InquiryView, AppError> {
    require_staff(p, Permission::ManageInquiries, "follow up inquiries")?;
    let mut i = store::get(app.db(), id)
        .await?
        .ok_or(AppError::NotFound("inquiry"))?;
    let mut errors = Vec::new();
    if let Some(s) = &change.status {
        match InquiryStatus::parse(s) {
            Some(s) => i.status = s,
            None => errors.push(FieldError::new(
                "status",
                "unknown_status",
                "status is one of new, in_progress, answered, closed",
            )),
        }
    }
    if let Some(assignee) = change.assigned_to {
        if let Some(user) = assignee {
            let ok = mercato_store::users::find(app.db(), UserId::from(user))
                .await?
                .is_some_and(|u| {
                    u.active
                        && u.staff_role
                            .is_some_and(|r| r.allows(Permission::ManageInquiries))
                });
            if !ok {
                errors.push(FieldError::new(
                    "assigned_to",
                    "not_a_sales_user",
                    "assign to an active staff user who handles inquiries",
                ));
            }
        }
        i.assigned_to = assignee;
        // Assigning a new inquiry starts work on it.
        if assignee.is_some() && i.status == InquiryStatus::New && change.status.is_none() {
            i.status = InquiryStatus::InProgress;
        }
    }
    if let Some(date) = &change.follow_up_on {
        match date.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
            None => i.follow_up_on = None,
            Some(d) => {
                let format = time::macros::format_description!("[year]-[month]-[day]");
                match time::Date::parse(d, format) {
                    Ok(_) => i.follow_up_on = Some(d.to_string()),
                    Err(_) => errors.push(FieldError::new(
                        "follow_up_on",
                        "invalid_date",
                        "follow_up_on is a date, YYYY-MM-DD",
                    )),
                }
            }
        }
    }
    if let Some(note) = &change.staff_note {
        if note.chars().count() > 5000 {
            errors.push(FieldError::new(
                "staff_note",
                "too_long",
                "staff_note is at most 5000 characters",
            ));
        }
        i.staff_note = note.trim().to_string();
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    i.updated_at = Timestamp::now();
    let mut tx = app.db().begin().await?;
    if !store::update_follow_up(&mut tx, &i).await? {
        return Err(AppError::NotFound("inquiry"));
    }
    audit::record(
        &mut tx,
        &crate::auth::audit_by(
            p,
            "inquiry.follow_up",
            "inquiry",
            i.id.to_string(),
            json!({ "status": i.status, "assigned_to": i.assigned_to, "follow_up_on": i.follow_up_on }),
            client,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(i.into())
}
