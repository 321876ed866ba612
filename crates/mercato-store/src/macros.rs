/// Runs one query body against whichever backend a [`Db`](crate::Db) holds.
/// `$pool` is bound to `&SqlitePool` or `&PgPool`; the body is compiled once
/// per backend, so it may only use types both backends can encode.
macro_rules! db_run {
    ($db:expr, |$pool:ident| $body:expr) => {
        match $db {
            $crate::Db::Sqlite(sqlite) => {
                let $pool = sqlite.pool();
                $body
            }
            $crate::Db::Pg($pool) => $body,
        }
    };
}

/// Like [`db_run!`] for an open [`Tx`](crate::Tx): `$conn` is bound to the
/// transaction's connection (`&mut SqliteConnection` / `&mut PgConnection`);
/// pass it on as `&mut *$conn`.
macro_rules! tx_run {
    ($tx:expr, |$conn:ident| $body:expr) => {
        match $tx.inner_mut() {
            $crate::db::TxInner::Sqlite(t) => {
                let $conn = &mut **t;
                $body
            }
            $crate::db::TxInner::Pg(t) => {
                let $conn = &mut **t;
                $body
            }
        }
    };
}

/// Executes one statement on whichever backend a [`Db`](crate::Db) holds and
/// gives the number of rows it affected. The backends' result types differ,
/// so the count is taken inside each arm.
macro_rules! db_exec {
    ($db:expr, $query:expr) => {
        db_run!($db, |p| ($query)
            .execute(p)
            .await
            .map(|r| r.rows_affected()))
    };
}

/// [`db_exec!`] inside an open [`Tx`](crate::Tx).
macro_rules! tx_exec {
    ($tx:expr, $query:expr) => {
        tx_run!($tx, |c| ($query)
            .execute(&mut *c)
            .await
            .map(|r| r.rows_affected()))
    };
}
