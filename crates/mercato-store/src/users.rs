//! Users who sign in: staff of the seller, and buyers who belong to a
//! company.

use crate::companies::CompanyScope;
use crate::{Db, StoreError, Timestamp, Tx};
use mercato_core::{
    BusinessUnitId, CompanyId, CompanyRoles, CompanyStatus, Email, StaffRole, UserId,
};
use uuid::Uuid;

/// Whether a user works for the seller or buys from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UserKind {
    Staff,
    Buyer,
}

impl UserKind {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            UserKind::Staff => "staff",
            UserKind::Buyer => "buyer",
        }
    }
}

/// A stored user.
#[derive(Clone, Debug)]
pub struct User {
    pub id: UserId,
    pub email: Email,
    pub name: String,
    pub password_hash: String,
    pub kind: UserKind,
    pub staff_role: Option<StaffRole>,
    /// The buyer's company, roles and unit; `None` for staff.
    pub membership: Option<Membership>,
    pub active: bool,
    pub email_verified_at: Option<Timestamp>,
    pub created_at: Timestamp,
    pub last_login_at: Option<Timestamp>,
}

impl User {
    /// Whether a password was ever set (invited users have none until they
    /// accept the invitation).
    pub fn has_password(&self) -> bool {
        !self.password_hash.is_empty()
    }
}

/// A buyer's place in their company, read with the user so that every
/// authorisation decision has the company's status at hand.
#[derive(Clone, Debug)]
pub struct Membership {
    pub company_id: CompanyId,
    pub company_name: String,
    pub company_status: CompanyStatus,
    pub roles: CompanyRoles,
    pub business_unit_id: Option<BusinessUnitId>,
}

#[derive(sqlx::FromRow)]
pub(crate) struct UserRow {
    user_id: Uuid,
    email: String,
    name: String,
    password_hash: String,
    kind: String,
    staff_role: Option<String>,
    status: String,
    created_at: Timestamp,
    last_login_at: Option<Timestamp>,
    email_verified_at: Option<Timestamp>,
    company_id: Option<Uuid>,
    company_roles: Option<String>,
    business_unit_id: Option<Uuid>,
    company_name: Option<String>,
    company_status: Option<String>,
}

/// The columns [`UserRow`] reads, for `concat!` into static SQL; the query
/// must join [`user_company_join!`].
macro_rules! user_columns {
    () => {
        "u.user_id, u.email, u.name, u.password_hash, u.kind, u.staff_role, u.status, u.created_at, u.last_login_at, \
         u.email_verified_at, u.company_id, u.company_roles, u.business_unit_id, uc.name AS company_name, uc.status AS company_status"
    };
}
pub(crate) use user_columns;

/// The join that brings in the user's company, for `concat!` right after
/// the clause that introduces `app_user u`.
macro_rules! user_company_join {
    () => {
        " LEFT JOIN company uc ON uc.company_id = u.company_id "
    };
}
pub(crate) use user_company_join;

impl TryFrom<UserRow> for User {
    type Error = StoreError;
    fn try_from(r: UserRow) -> Result<Self, StoreError> {
        let corrupt = |detail: String| StoreError::Corrupt {
            what: "app_user",
            detail,
        };
        let email = Email::parse(&r.email).map_err(|e| corrupt(e.to_string()))?;
        let kind = match r.kind.as_str() {
            "staff" => UserKind::Staff,
            "buyer" => UserKind::Buyer,
            other => return Err(corrupt(format!("kind {other:?}"))),
        };
        let staff_role = match r.staff_role {
            Some(code) => Some(
                StaffRole::parse(&code).ok_or_else(|| corrupt(format!("staff_role {code:?}")))?,
            ),
            None => None,
        };
        let membership = match (r.company_id, r.company_status) {
            (Some(company_id), Some(status)) => {
                let codes: Vec<&str> = r
                    .company_roles
                    .as_deref()
                    .unwrap_or_default()
                    .split_whitespace()
                    .collect();
                Some(Membership {
                    company_id: CompanyId(company_id),
                    company_name: r.company_name.unwrap_or_default(),
                    company_status: CompanyStatus::parse(&status)
                        .ok_or_else(|| corrupt(format!("company status {status:?}")))?,
                    roles: CompanyRoles::parse(&codes)
                        .map_err(|e| corrupt(format!("company_roles: {e}")))?,
                    business_unit_id: r.business_unit_id.map(BusinessUnitId),
                })
            }
            _ => None,
        };
        Ok(User {
            id: UserId(r.user_id),
            email,
            name: r.name,
            password_hash: r.password_hash,
            kind,
            staff_role,
            membership,
            active: r.status == "active",
            email_verified_at: r.email_verified_at,
            created_at: r.created_at,
            last_login_at: r.last_login_at,
        })
    }
}

/// What it takes to create a user.
#[derive(Clone, Debug)]
pub struct NewUser {
    pub id: UserId,
    pub email: Email,
    pub name: String,
    pub password_hash: String,
    pub kind: UserKind,
    pub staff_role: Option<StaffRole>,
    /// For buyers: company, roles, unit.
    pub company: Option<(CompanyId, CompanyRoles, Option<BusinessUnitId>)>,
    pub email_verified: bool,
}

/// Inserts a user. A taken e-mail comes back as a conflict on `email`.
/// An empty `password_hash` makes a user who cannot sign in until a
/// password is set (an invitation).
pub async fn insert(tx: &mut Tx, u: &NewUser, now: Timestamp) -> Result<(), StoreError> {
    let (company, roles, unit) = match &u.company {
        Some((c, r, unit)) => (Some(c.0), Some(r.to_codes()), unit.map(|x| x.0)),
        None => (None, None, None),
    };
    tx_exec!(tx, sqlx::query(
        "INSERT INTO app_user (user_id, email, name, password_hash, kind, staff_role, status, created_at, updated_at,
                               company_id, company_roles, business_unit_id, email_verified_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'active', $7, $7, $8, $9, $10, $11)"
    )
    .bind(u.id.0)
    .bind(u.email.as_str())
    .bind(&u.name)
    .bind(&u.password_hash)
    .bind(u.kind.code())
    .bind(u.staff_role.map(StaffRole::code))
    .bind(now)
    .bind(company)
    .bind(roles)
    .bind(unit)
    .bind(u.email_verified.then_some(now)))?;
    Ok(())
}

/// The user with this e-mail, if any.
pub async fn find_by_email(db: &Db, email: &Email) -> Result<Option<User>, StoreError> {
    const SQL: &str = concat!(
        "SELECT ",
        user_columns!(),
        " FROM app_user u",
        user_company_join!(),
        " WHERE u.email = $1"
    );
    let row: Option<UserRow> = db_run!(db, |p| sqlx::query_as(SQL)
        .bind(email.as_str())
        .fetch_optional(p)
        .await)?;
    row.map(User::try_from).transpose()
}

/// The user with this id, if any.
pub async fn find(db: &Db, id: UserId) -> Result<Option<User>, StoreError> {
    const SQL: &str = concat!(
        "SELECT ",
        user_columns!(),
        " FROM app_user u",
        user_company_join!(),
        " WHERE u.user_id = $1"
    );
    let row: Option<UserRow> = db_run!(db, |p| sqlx::query_as(SQL)
        .bind(id.0)
        .fetch_optional(p)
        .await)?;
    row.map(User::try_from).transpose()
}

/// How many staff users exist (bootstrap creates the first admin only when none does).
pub async fn count_staff(db: &Db) -> Result<i64, StoreError> {
    let n: i64 = db_run!(db, |p| sqlx::query_scalar(
        "SELECT COUNT(*) FROM app_user WHERE kind = 'staff'"
    )
    .fetch_one(p)
    .await)?;
    Ok(n)
}

/// Notes a successful sign-in, and stores a re-computed hash when the
/// hashing parameters changed since the password was set.
pub async fn record_login(
    db: &Db,
    id: UserId,
    now: Timestamp,
    new_hash: Option<&str>,
) -> Result<(), StoreError> {
    db_exec!(db, sqlx::query(
        "UPDATE app_user SET last_login_at = $2, password_hash = COALESCE($3, password_hash) WHERE user_id = $1"
    )
    .bind(id.0)
    .bind(now)
    .bind(new_hash))?;
    Ok(())
}

/// Sets a new password (accepting an invitation, resetting); setting it
/// through an e-mailed link also proves the address.
pub async fn set_password(
    tx: &mut Tx,
    id: UserId,
    hash: &str,
    verified_email: bool,
    now: Timestamp,
) -> Result<(), StoreError> {
    tx_exec!(tx, sqlx::query(
        "UPDATE app_user SET password_hash = $2, updated_at = $3,
                email_verified_at = CASE WHEN $4 THEN COALESCE(email_verified_at, $3) ELSE email_verified_at END
         WHERE user_id = $1"
    )
    .bind(id.0)
    .bind(hash)
    .bind(now)
    .bind(verified_email))?;
    Ok(())
}

/// Records that the user proved their e-mail address.
pub async fn mark_email_verified(
    tx: &mut Tx,
    id: UserId,
    now: Timestamp,
) -> Result<(), StoreError> {
    tx_exec!(tx, sqlx::query(
        "UPDATE app_user SET email_verified_at = COALESCE(email_verified_at, $2), updated_at = $2 WHERE user_id = $1"
    )
    .bind(id.0)
    .bind(now))?;
    Ok(())
}

/// The users of the company in `scope`, by name.
pub async fn list_in_company(db: &Db, scope: &CompanyScope) -> Result<Vec<User>, StoreError> {
    const SQL: &str = concat!(
        "SELECT ",
        user_columns!(),
        " FROM app_user u",
        user_company_join!(),
        " WHERE u.company_id = $1 ORDER BY u.name, u.email"
    );
    let rows: Vec<UserRow> = db_run!(db, |p| sqlx::query_as(SQL)
        .bind(scope.company_id().0)
        .fetch_all(p)
        .await)?;
    rows.into_iter().map(User::try_from).collect()
}

/// A user of the company in `scope`; `None` for anyone else's.
pub async fn find_in_company(
    db: &Db,
    scope: &CompanyScope,
    id: UserId,
) -> Result<Option<User>, StoreError> {
    const SQL: &str = concat!(
        "SELECT ",
        user_columns!(),
        " FROM app_user u",
        user_company_join!(),
        " WHERE u.user_id = $1 AND u.company_id = $2"
    );
    let row: Option<UserRow> = db_run!(db, |p| sqlx::query_as(SQL)
        .bind(id.0)
        .bind(scope.company_id().0)
        .fetch_optional(p)
        .await)?;
    row.map(User::try_from).transpose()
}

/// A change to a company user; `None` leaves a field as it is.
#[derive(Clone, Debug, Default)]
pub struct MemberChange {
    pub name: Option<String>,
    pub roles: Option<CompanyRoles>,
    /// `Some(None)` takes the user out of any unit.
    pub business_unit_id: Option<Option<BusinessUnitId>>,
    pub active: Option<bool>,
}

/// Changes a user of the company in `scope`; returns whether one matched.
pub async fn update_member(
    tx: &mut Tx,
    scope: &CompanyScope,
    id: UserId,
    change: &MemberChange,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let (set_unit, unit) = match change.business_unit_id {
        Some(u) => (true, u.map(|u| u.0)),
        None => (false, None),
    };
    let n = tx_exec!(
        tx,
        sqlx::query(
            "UPDATE app_user SET
            name = COALESCE($3, name),
            company_roles = COALESCE($4, company_roles),
            business_unit_id = CASE WHEN $5 THEN $6 ELSE business_unit_id END,
            status = COALESCE($7, status),
            updated_at = $8
         WHERE user_id = $1 AND company_id = $2"
        )
        .bind(id.0)
        .bind(scope.company_id().0)
        .bind(change.name.as_deref())
        .bind(change.roles.as_ref().map(CompanyRoles::to_codes))
        .bind(set_unit)
        .bind(unit)
        .bind(change.active.map(|a| if a { "active" } else { "disabled" }))
        .bind(now)
    )?;
    Ok(n == 1)
}

/// How many active users of the company in `scope` hold the admin role
/// (the last one may not lose it).
pub async fn count_company_admins(tx: &mut Tx, scope: &CompanyScope) -> Result<i64, StoreError> {
    let codes: Vec<String> = tx_run!(tx, |c| sqlx::query_scalar(
        "SELECT company_roles FROM app_user WHERE company_id = $1 AND status = 'active'"
    )
    .bind(scope.company_id().0)
    .fetch_all(&mut *c)
    .await)?;
    Ok(codes
        .iter()
        .filter(|c| c.split_whitespace().any(|r| r == "admin"))
        .count() as i64)
}

/// The seller's staff, by name, optionally those of one role only.
pub async fn list_staff(db: &Db, role: Option<StaffRole>) -> Result<Vec<User>, StoreError> {
    const SQL: &str = concat!(
        "SELECT ",
        user_columns!(),
        " FROM app_user u",
        user_company_join!(),
        " WHERE u.kind = 'staff' AND ($1 IS NULL OR u.staff_role = $1) ORDER BY u.name, u.email"
    );
    let rows: Vec<UserRow> = db_run!(db, |p| sqlx::query_as(SQL)
        .bind(role.map(StaffRole::code))
        .fetch_all(p)
        .await)?;
    rows.into_iter().map(User::try_from).collect()
}

/// Locks the rows of the company's active users until `tx` ends, so that
/// two changes that could each take away one of its admins run one after
/// the other and the second counts what the first left (PostgreSQL; SQLite
/// has one writer anyway). A no-op `UPDATE`, the same SQL on both.
pub async fn lock_company_members(tx: &mut Tx, scope: &CompanyScope) -> Result<(), StoreError> {
    tx_exec!(
        tx,
        sqlx::query(
            "UPDATE app_user SET updated_at = updated_at WHERE company_id = $1 AND status = 'active'"
        )
        .bind(scope.company_id().0)
    )?;
    Ok(())
}

/// Locks the rows of the active administrators until `tx` ends and
/// returns their ids. Every change that could take an admin away calls it
/// first, so two of them cannot both see another admin left and together
/// leave none (on PostgreSQL the second waits for the first and then sees
/// what it committed; SQLite has one writer anyway). A no-op `UPDATE`
/// rather than `SELECT … FOR UPDATE`, so the SQL is the same on both.
pub async fn lock_active_admins(tx: &mut Tx) -> Result<Vec<UserId>, StoreError> {
    let ids: Vec<Uuid> = tx_run!(tx, |c| sqlx::query_scalar(
        "UPDATE app_user SET updated_at = updated_at
          WHERE kind = 'staff' AND staff_role = 'admin' AND status = 'active'
         RETURNING user_id"
    )
    .fetch_all(&mut *c)
    .await)?;
    Ok(ids.into_iter().map(UserId).collect())
}

/// The staff member with this id, read inside `tx` (after
/// [`lock_active_admins`], so what it says about admins is current).
pub async fn find_staff_in(tx: &mut Tx, id: UserId) -> Result<Option<User>, StoreError> {
    const SQL: &str = concat!(
        "SELECT ",
        user_columns!(),
        " FROM app_user u",
        user_company_join!(),
        " WHERE u.user_id = $1 AND u.kind = 'staff'"
    );
    let row: Option<UserRow> = tx_run!(tx, |c| sqlx::query_as(SQL)
        .bind(id.0)
        .fetch_optional(&mut *c)
        .await)?;
    row.map(User::try_from).transpose()
}

/// Sets a staff member's role and whether they may sign in; returns
/// whether one matched.
pub async fn set_staff_standing(
    tx: &mut Tx,
    id: UserId,
    role: StaffRole,
    active: bool,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let n = tx_exec!(
        tx,
        sqlx::query(
            "UPDATE app_user SET staff_role = $2, status = $3, updated_at = $4
              WHERE user_id = $1 AND kind = 'staff'"
        )
        .bind(id.0)
        .bind(role.code())
        .bind(if active { "active" } else { "disabled" })
        .bind(now)
    )?;
    Ok(n == 1)
}
