//! The seller's staff: who works in the back office, in which role, and
//! whether they may still sign in. Creating a staff user is
//! [`crate::auth::create_staff_user`] (the CLI, the API and the back office
//! share it); this module lists and changes them.

use crate::auth::{ClientInfo, Principal, User, require_staff};
use crate::{App, AppError, FieldError};
use mercato_core::role::check_staff_change;
use mercato_core::{Permission, StaffChangeRefusal, StaffRole, StaffStanding, UserId};
use mercato_store::audit;
use mercato_store::outbox::{self, NewEvent};
use mercato_store::{Timestamp, sessions, tokens, users};
use serde_json::json;

fn parse_role(code: &str) -> Result<StaffRole, AppError> {
    StaffRole::parse(code.trim()).ok_or_else(|| {
        let known: Vec<_> = StaffRole::ALL.iter().map(|r| r.code()).collect();
        AppError::Invalid(vec![FieldError::new(
            "role",
            "unknown_role",
            format!("role must be one of {}", known.join(", ")),
        )])
    })
}

/// Every staff member, by name; with `role`, those of that role only.
pub async fn list(app: &App, p: &Principal, role: Option<&str>) -> Result<Vec<User>, AppError> {
    require_staff(Some(p), Permission::ManageStaff, "see staff users")?;
    let role = role
        .filter(|r| !r.trim().is_empty())
        .map(parse_role)
        .transpose()?;
    Ok(users::list_staff(app.db(), role).await?)
}

/// One staff member; buyers' ids are not found here.
pub async fn get(app: &App, p: &Principal, id: UserId) -> Result<User, AppError> {
    require_staff(Some(p), Permission::ManageStaff, "see staff users")?;
    users::find(app.db(), id)
        .await?
        .filter(|u| u.staff_role.is_some() && u.membership.is_none())
        .ok_or(AppError::NotFound("staff user"))
}

/// A change to a staff member; `None` leaves a field as it is.
#[derive(Clone, Debug, Default)]
pub struct StaffPatch {
    /// A role code (`admin`, `catalog`, …).
    pub role: Option<String>,
    /// `false` disables the account: its sessions end and its tokens are
    /// refused from the next request on; `true` lets it sign in again.
    pub active: Option<bool>,
}

/// Changes a staff member's role or status. Refused (409) when it would
/// leave no active administrator (`last_admin`) or when administrators
/// change their own account (`own_account`); see
/// [`mercato_core::role::check_staff_change`]. The change, its audit entry
/// and its event commit together.
pub async fn update(
    app: &App,
    p: &Principal,
    id: UserId,
    patch: StaffPatch,
    client: &ClientInfo,
) -> Result<User, AppError> {
    require_staff(Some(p), Permission::ManageStaff, "change staff users")?;
    let role = patch.role.as_deref().map(parse_role).transpose()?;
    let now = Timestamp::now();
    let mut tx = app.db().begin().await?;
    // Lock first, then read: what the guard sees of admins is current.
    let admins = users::lock_active_admins(&mut tx).await?;
    let Some(before_user) = users::find_staff_in(&mut tx, id).await? else {
        return Err(AppError::NotFound("staff user"));
    };
    let Some(before_role) = before_user.staff_role else {
        return Err(AppError::NotFound("staff user"));
    };
    let before = StaffStanding {
        role: before_role,
        active: before_user.active,
    };
    let after = StaffStanding {
        role: role.unwrap_or(before.role),
        active: patch.active.unwrap_or(before.active),
    };
    if after == before {
        return Ok(before_user);
    }
    check_staff_change(Some(p.user.id), id, before, after, admins.len()).map_err(|r| {
        AppError::Conflict {
            code: match r {
                StaffChangeRefusal::LastAdmin => "last_admin",
                StaffChangeRefusal::OwnAccount => "own_account",
            },
            detail: r.to_string(),
        }
    })?;
    users::set_staff_standing(&mut tx, id, after.role, after.active, now).await?;
    if before.active && !after.active {
        // The next request would refuse them anyway; ending the sessions
        // and sign-in tokens now also keeps them from coming back to life
        // if the account is enabled again. Integration tokens stay, refused
        // while the owner is disabled, so re-enabling restores the
        // integrations an administrator chose to keep.
        sessions::delete_for_user(&mut tx, id).await?;
        tokens::revoke_logins_of(&mut tx, id, now).await?;
    }
    let mut changes = Vec::new();
    if after.role != before.role {
        changes.push((
            "user.change_role",
            json!({ "email": before_user.email.as_str(), "from": before.role.code(), "to": after.role.code() }),
        ));
    }
    if after.active != before.active {
        changes.push((
            if after.active {
                "user.enable"
            } else {
                "user.disable"
            },
            json!({ "email": before_user.email.as_str(), "role": after.role.code() }),
        ));
    }
    for (action, detail) in changes {
        audit::record(
            &mut tx,
            &p.audit(action, "user", id.to_string(), detail.clone(), client),
        )
        .await?;
        outbox::append(
            &mut tx,
            &NewEvent::new("user", id.to_string(), "user.updated", detail),
            now,
        )
        .await?;
    }
    tx.commit().await?;
    app.events().notify();
    users::find(app.db(), id)
        .await?
        .ok_or(AppError::NotFound("staff user"))
}
