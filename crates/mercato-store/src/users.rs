//! Users who sign in (staff now; buyers join with company accounts).

use crate::{Db, StoreError, Timestamp, Tx};
use mercato_core::{Email, StaffRole, UserId};
use uuid::Uuid;

/// Whether a user works for the seller or buys from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UserKind {
    Staff,
    Buyer,
}

impl UserKind {
    fn code(self) -> &'static str {
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
    pub active: bool,
    pub created_at: Timestamp,
    pub last_login_at: Option<Timestamp>,
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
}

/// The columns [`UserRow`] reads, for `concat!` into static SQL.
macro_rules! user_columns {
    () => {
        "u.user_id, u.email, u.name, u.password_hash, u.kind, u.staff_role, u.status, u.created_at, u.last_login_at"
    };
}
pub(crate) use user_columns;

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
        Ok(User {
            id: UserId(r.user_id),
            email,
            name: r.name,
            password_hash: r.password_hash,
            kind,
            staff_role,
            active: r.status == "active",
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
}

/// Inserts a user. A taken e-mail comes back as a conflict on `email`.
pub async fn insert(tx: &mut Tx, u: &NewUser, now: Timestamp) -> Result<(), StoreError> {
    tx_exec!(tx, sqlx::query(
        "INSERT INTO app_user (user_id, email, name, password_hash, kind, staff_role, status, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'active', $7, $7)"
    )
    .bind(u.id.0)
    .bind(u.email.as_str())
    .bind(&u.name)
    .bind(&u.password_hash)
    .bind(u.kind.code())
    .bind(u.staff_role.map(StaffRole::code))
    .bind(now))?;
    Ok(())
}

/// The user with this e-mail, if any.
pub async fn find_by_email(db: &Db, email: &Email) -> Result<Option<User>, StoreError> {
    const SQL: &str = concat!(
        "SELECT ",
        user_columns!(),
        " FROM app_user u WHERE u.email = $1"
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
        " FROM app_user u WHERE u.user_id = $1"
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
