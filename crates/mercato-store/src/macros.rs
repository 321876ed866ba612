/// Runs one query body against whichever backend a [`Db`](crate::Db) holds.
/// `$pool` is bound to `&SqlitePool` or `&PgPool`; the body is compiled once
/// per backend, so it may only use types both backends can encode.
macro_rules! db_run {
    ($db:expr, |$pool:ident| $body:expr) => {
        match $db {
            $crate::Db::Sqlite($pool) => $body,
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
