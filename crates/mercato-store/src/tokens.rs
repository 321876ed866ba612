//! Bearer tokens: short-lived ones handed out at sign-in, and long-lived,
//! scoped ones for integrations. Only a SHA-256 of each token is stored.

use crate::users::{User, UserRow, user_columns, user_company_join};
use crate::{Db, StoreError, Timestamp, Tx};
use mercato_core::{ApiTokenId, UserId};
use uuid::Uuid;

/// A stored token (without its secret, which is never stored).
#[derive(Clone, Debug)]
pub struct ApiToken {
    pub id: ApiTokenId,
    pub user_id: UserId,
    pub name: String,
    pub kind: String,
    pub prefix: String,
    pub scopes: Vec<String>,
    pub created_at: Timestamp,
    pub expires_at: Option<Timestamp>,
    pub last_used_at: Option<Timestamp>,
}

/// What it takes to store a token.
pub struct NewApiToken<'a> {
    pub id: ApiTokenId,
    pub user_id: UserId,
    pub name: &'a str,
    /// `login` (from sign-in) or `integration`.
    pub kind: &'a str,
    pub token_hash: &'a str,
    pub prefix: &'a str,
    pub scopes: &'a [String],
    pub expires_at: Option<Timestamp>,
}

/// Stores a token.
pub async fn insert(tx: &mut Tx, t: &NewApiToken<'_>, now: Timestamp) -> Result<(), StoreError> {
    tx_exec!(tx, sqlx::query(
        "INSERT INTO api_token (api_token_id, user_id, name, kind, token_hash, token_prefix, scopes, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
    )
    .bind(t.id.0)
    .bind(t.user_id.0)
    .bind(t.name)
    .bind(t.kind)
    .bind(t.token_hash)
    .bind(t.prefix)
    .bind(t.scopes.join(" "))
    .bind(now)
    .bind(t.expires_at))?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct TokenRow {
    api_token_id: Uuid,
    t_name: String,
    t_kind: String,
    token_prefix: String,
    scopes: String,
    t_created_at: Timestamp,
    expires_at: Option<Timestamp>,
    last_used_at: Option<Timestamp>,
    #[sqlx(flatten)]
    user: UserRow,
}

/// The unrevoked, unexpired token whose secret hashes to `token_hash`, with its user.
pub async fn find_live(
    db: &Db,
    token_hash: &str,
    now: Timestamp,
) -> Result<Option<(ApiToken, User)>, StoreError> {
    const SQL: &str = concat!(
        "SELECT t.api_token_id, t.name AS t_name, t.kind AS t_kind, t.token_prefix, t.scopes,
                t.created_at AS t_created_at, t.expires_at, t.last_used_at, ",
        user_columns!(),
        " FROM api_token t JOIN app_user u ON u.user_id = t.user_id",
        user_company_join!(),
        " WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > $2)"
    );
    let row: Option<TokenRow> = db_run!(db, |p| sqlx::query_as(SQL)
        .bind(token_hash)
        .bind(now)
        .fetch_optional(p)
        .await)?;
    let Some(r) = row else { return Ok(None) };
    let user = User::try_from(r.user)?;
    let token = ApiToken {
        id: ApiTokenId(r.api_token_id),
        user_id: user.id,
        name: r.t_name,
        kind: r.t_kind,
        prefix: r.token_prefix,
        scopes: r.scopes.split_whitespace().map(str::to_string).collect(),
        created_at: r.t_created_at,
        expires_at: r.expires_at,
        last_used_at: r.last_used_at,
    };
    Ok(Some((token, user)))
}

/// Records use of a token (callers throttle this to spare writes).
pub async fn touch(db: &Db, id: ApiTokenId, now: Timestamp) -> Result<(), StoreError> {
    db_exec!(
        db,
        sqlx::query("UPDATE api_token SET last_used_at = $2 WHERE api_token_id = $1")
            .bind(id.0)
            .bind(now)
    )?;
    Ok(())
}

/// Revokes a token of `user_id`; returns whether one was revoked.
pub async fn revoke(
    tx: &mut Tx,
    id: ApiTokenId,
    user_id: UserId,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let n = tx_exec!(tx, sqlx::query(
        "UPDATE api_token SET revoked_at = $3 WHERE api_token_id = $1 AND user_id = $2 AND revoked_at IS NULL"
    )
    .bind(id.0)
    .bind(user_id.0)
    .bind(now))?;
    Ok(n == 1)
}

#[derive(sqlx::FromRow)]
struct ListedTokenRow {
    api_token_id: Uuid,
    name: String,
    kind: String,
    token_prefix: String,
    scopes: String,
    created_at: Timestamp,
    expires_at: Option<Timestamp>,
    last_used_at: Option<Timestamp>,
}

impl ListedTokenRow {
    fn into_token(self, user_id: UserId) -> ApiToken {
        ApiToken {
            id: ApiTokenId(self.api_token_id),
            user_id,
            name: self.name,
            kind: self.kind,
            prefix: self.token_prefix,
            scopes: self.scopes.split_whitespace().map(str::to_string).collect(),
            created_at: self.created_at,
            expires_at: self.expires_at,
            last_used_at: self.last_used_at,
        }
    }
}

/// The unrevoked integration tokens of `user_id`, newest first (expired
/// ones included, so their owner sees why an integration stopped).
pub async fn list_for_user(db: &Db, user_id: UserId) -> Result<Vec<ApiToken>, StoreError> {
    let rows: Vec<ListedTokenRow> = db_run!(db, |p| {
        sqlx::query_as(
        "SELECT api_token_id, name, kind, token_prefix, scopes, created_at, expires_at, last_used_at
           FROM api_token WHERE user_id = $1 AND kind = 'integration' AND revoked_at IS NULL
          ORDER BY created_at DESC"
    )
    .bind(user_id.0)
    .fetch_all(p)
    .await
    })?;
    Ok(rows.into_iter().map(|r| r.into_token(user_id)).collect())
}

/// Revokes the short-lived sign-in tokens of a user (after a password
/// reset); integration tokens stay, as their owner manages them.
pub async fn revoke_logins_of(
    tx: &mut Tx,
    user: UserId,
    now: Timestamp,
) -> Result<u64, StoreError> {
    let n = tx_exec!(tx, sqlx::query(
        "UPDATE api_token SET revoked_at = $2 WHERE user_id = $1 AND kind = 'login' AND revoked_at IS NULL"
    )
    .bind(user.0)
    .bind(now))?;
    Ok(n)
}

/// An integration token of a staff member, with its owner.
#[derive(Clone, Debug)]
pub struct StaffToken {
    pub token: ApiToken,
    pub owner_name: String,
    pub owner_email: String,
    /// A disabled owner's tokens are refused until they are enabled again.
    pub owner_active: bool,
}

#[derive(sqlx::FromRow)]
struct StaffTokenRow {
    #[sqlx(flatten)]
    token: ListedTokenRow,
    user_id: Uuid,
    owner_name: String,
    owner_email: String,
    owner_status: String,
}

/// The unrevoked integration tokens of every staff member, newest first
/// (expired ones included, as in [`list_for_user`]). Company users' tokens
/// are their company's business and stay out.
pub async fn list_staff_integration(db: &Db) -> Result<Vec<StaffToken>, StoreError> {
    let rows: Vec<StaffTokenRow> = db_run!(db, |p| {
        sqlx::query_as(
            "SELECT t.api_token_id, t.user_id, t.name, t.kind, t.token_prefix, t.scopes, t.created_at,
                    t.expires_at, t.last_used_at, u.name AS owner_name, u.email AS owner_email,
                    u.status AS owner_status
               FROM api_token t JOIN app_user u ON u.user_id = t.user_id
              WHERE t.kind = 'integration' AND t.revoked_at IS NULL AND u.kind = 'staff'
              ORDER BY t.created_at DESC, t.api_token_id DESC",
        )
        .fetch_all(p)
        .await
    })?;
    Ok(rows
        .into_iter()
        .map(|r| StaffToken {
            token: r.token.into_token(UserId(r.user_id)),
            owner_name: r.owner_name,
            owner_email: r.owner_email,
            owner_active: r.owner_status == "active",
        })
        .collect())
}

/// Revokes a staff member's integration token, whoever owns it; returns
/// the owner, or `None` when no such live token exists.
pub async fn revoke_staff_integration(
    tx: &mut Tx,
    id: ApiTokenId,
    now: Timestamp,
) -> Result<Option<UserId>, StoreError> {
    let owner: Option<Uuid> = tx_run!(tx, |c| sqlx::query_scalar(
        "UPDATE api_token SET revoked_at = $2
          WHERE api_token_id = $1 AND kind = 'integration' AND revoked_at IS NULL
            AND user_id IN (SELECT user_id FROM app_user WHERE kind = 'staff')
         RETURNING user_id"
    )
    .bind(id.0)
    .bind(now)
    .fetch_optional(&mut *c)
    .await)?;
    Ok(owner.map(UserId))
}
