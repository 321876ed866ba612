//! Sign-in attempts, counted to slow down password guessing. Kept in the
//! database rather than in memory so the limit holds across nodes.

use crate::{Db, StoreError, Timestamp};

/// Records an attempt.
pub async fn record(
    db: &Db,
    email: &str,
    ip: &str,
    succeeded: bool,
    now: Timestamp,
) -> Result<(), StoreError> {
    db_exec!(
        db,
        sqlx::query(
            "INSERT INTO login_attempt (email, ip, succeeded, attempted_at) VALUES ($1, $2, $3, $4)"
        )
        .bind(email)
        .bind(ip)
        .bind(succeeded)
        .bind(now)
    )?;
    Ok(())
}

/// Failed attempts since `since`: `(for this e-mail, from this address)`.
pub async fn recent_failures(
    db: &Db,
    email: &str,
    ip: &str,
    since: Timestamp,
) -> Result<(i64, i64), StoreError> {
    let counts: (i64, i64) = db_run!(db, |p| {
        sqlx::query_as(
        "SELECT
            (SELECT COUNT(*) FROM login_attempt WHERE email = $1 AND attempted_at > $3 AND NOT succeeded),
            (SELECT COUNT(*) FROM login_attempt WHERE ip = $2 AND attempted_at > $3 AND NOT succeeded)"
    )
    .bind(email)
    .bind(ip)
    .bind(since)
    .fetch_one(p)
    .await
    })?;
    Ok(counts)
}

/// Forgets attempts older than `before`.
pub async fn prune(db: &Db, before: Timestamp) -> Result<u64, StoreError> {
    let n = db_exec!(
        db,
        sqlx::query("DELETE FROM login_attempt WHERE attempted_at < $1").bind(before)
    )?;
    Ok(n)
}
