//! Browser sessions kept in the database, so any node can serve any request.

use crate::users::{User, UserRow, user_columns, user_company_join};
use crate::{Db, StoreError, Timestamp, Tx};
use mercato_core::{SessionId, UserId};
use uuid::Uuid;

/// A stored session. The cookie carries a secret; only its hash is stored.
#[derive(Clone, Debug)]
pub struct Session {
    pub id: SessionId,
    pub user_id: UserId,
    pub csrf_token: String,
    pub created_at: Timestamp,
    pub last_seen_at: Timestamp,
    pub expires_at: Timestamp,
    /// The buyer a staff member is acting for in this session.
    pub acting_for: Option<UserId>,
}

/// What it takes to open a session.
pub struct NewSession<'a> {
    pub id: SessionId,
    pub secret_hash: &'a str,
    pub user_id: UserId,
    pub csrf_token: &'a str,
    pub expires_at: Timestamp,
    pub ip: Option<&'a str>,
    pub user_agent: Option<&'a str>,
}

/// Opens a session.
pub async fn insert(tx: &mut Tx, s: &NewSession<'_>, now: Timestamp) -> Result<(), StoreError> {
    tx_exec!(tx, sqlx::query(
        "INSERT INTO session (session_id, secret_hash, user_id, csrf_token, created_at, last_seen_at, expires_at, ip, user_agent)
         VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8)"
    )
    .bind(s.id.0)
    .bind(s.secret_hash)
    .bind(s.user_id.0)
    .bind(s.csrf_token)
    .bind(now)
    .bind(s.expires_at)
    .bind(s.ip)
    .bind(s.user_agent))?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    session_id: Uuid,
    csrf_token: String,
    s_created_at: Timestamp,
    last_seen_at: Timestamp,
    expires_at: Timestamp,
    acting_for_user_id: Option<Uuid>,
    #[sqlx(flatten)]
    user: UserRow,
}

/// The unexpired session whose secret hashes to `secret_hash`, with its user.
pub async fn find_live(
    db: &Db,
    secret_hash: &str,
    now: Timestamp,
) -> Result<Option<(Session, User)>, StoreError> {
    const SQL: &str = concat!(
        "SELECT s.session_id, s.csrf_token, s.created_at AS s_created_at, s.last_seen_at, s.expires_at, s.acting_for_user_id, ",
        user_columns!(),
        " FROM session s JOIN app_user u ON u.user_id = s.user_id",
        user_company_join!(),
        " WHERE s.secret_hash = $1 AND s.expires_at > $2"
    );
    let row: Option<SessionRow> = db_run!(db, |p| sqlx::query_as(SQL)
        .bind(secret_hash)
        .bind(now)
        .fetch_optional(p)
        .await)?;
    let Some(r) = row else { return Ok(None) };
    let user = User::try_from(r.user)?;
    let session = Session {
        id: SessionId(r.session_id),
        user_id: user.id,
        csrf_token: r.csrf_token,
        created_at: r.s_created_at,
        last_seen_at: r.last_seen_at,
        expires_at: r.expires_at,
        acting_for: r.acting_for_user_id.map(UserId),
    };
    Ok(Some((session, user)))
}

/// Slides a session's expiry forward.
pub async fn touch(
    db: &Db,
    id: SessionId,
    now: Timestamp,
    expires_at: Timestamp,
) -> Result<(), StoreError> {
    db_exec!(
        db,
        sqlx::query("UPDATE session SET last_seen_at = $2, expires_at = $3 WHERE session_id = $1")
            .bind(id.0)
            .bind(now)
            .bind(expires_at)
    )?;
    Ok(())
}

/// Ends a session.
pub async fn delete(tx: &mut Tx, id: SessionId) -> Result<(), StoreError> {
    tx_exec!(
        tx,
        sqlx::query("DELETE FROM session WHERE session_id = $1").bind(id.0)
    )?;
    Ok(())
}

/// Removes expired sessions; returns how many.
pub async fn delete_expired(db: &Db, now: Timestamp) -> Result<u64, StoreError> {
    let n = db_exec!(
        db,
        sqlx::query("DELETE FROM session WHERE expires_at <= $1").bind(now)
    )?;
    Ok(n)
}

/// Starts (`Some`) or ends (`None`) acting for a buyer in a session.
pub async fn set_acting_for(
    tx: &mut Tx,
    id: SessionId,
    buyer: Option<UserId>,
) -> Result<(), StoreError> {
    tx_exec!(
        tx,
        sqlx::query("UPDATE session SET acting_for_user_id = $2 WHERE session_id = $1")
            .bind(id.0)
            .bind(buyer.map(|u| u.0))
    )?;
    Ok(())
}

/// Ends every session of a user (after a password reset).
pub async fn delete_for_user(tx: &mut Tx, user: UserId) -> Result<u64, StoreError> {
    let n = tx_exec!(
        tx,
        sqlx::query("DELETE FROM session WHERE user_id = $1").bind(user.0)
    )?;
    Ok(n)
}
