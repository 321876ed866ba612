-- Foundation schema (SQLite). Kept column-for-column in step with
-- ../postgres/0001_foundation.sql; a test compares the two.
-- Conventions: STRICT tables; ids are UUIDv7 as 16-byte BLOBs; timestamps are
-- fixed-width UTC text 'YYYY-MM-DDTHH:MM:SS.ffffffZ' bound from Rust (never
-- CURRENT_TIMESTAMP, which writes another format); money is INTEGER 10^-4 units.

CREATE TABLE app_user (
    user_id        BLOB PRIMARY KEY,
    email          TEXT NOT NULL UNIQUE,           -- lower-cased by core::Email
    name           TEXT NOT NULL,
    password_hash  TEXT NOT NULL,                  -- argon2id PHC string
    kind           TEXT NOT NULL CHECK (kind IN ('staff', 'buyer')),
    staff_role     TEXT,
    status         TEXT NOT NULL CHECK (status IN ('active', 'disabled')),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    last_login_at  TEXT
) STRICT;

-- Server-side sessions: the cookie holds a random secret, the table only its SHA-256.
CREATE TABLE session (
    session_id     BLOB PRIMARY KEY,
    secret_hash    TEXT NOT NULL UNIQUE,
    user_id        BLOB NOT NULL REFERENCES app_user (user_id) ON DELETE CASCADE,
    csrf_token     TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    last_seen_at   TEXT NOT NULL,
    expires_at     TEXT NOT NULL,
    ip             TEXT,
    user_agent     TEXT
) STRICT;
CREATE INDEX session_by_user ON session (user_id);

-- Bearer tokens: short-lived ones from sign-in and long-lived scoped ones for integrations.
CREATE TABLE api_token (
    api_token_id   BLOB PRIMARY KEY,
    user_id        BLOB NOT NULL REFERENCES app_user (user_id) ON DELETE CASCADE,
    name           TEXT NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('login', 'integration')),
    token_hash     TEXT NOT NULL UNIQUE,
    token_prefix   TEXT NOT NULL,                  -- first characters, to recognise a token in lists
    scopes         TEXT NOT NULL,                  -- space-separated scope codes
    created_at     TEXT NOT NULL,
    expires_at     TEXT,
    revoked_at     TEXT,
    last_used_at   TEXT
) STRICT;
CREATE INDEX api_token_by_user ON api_token (user_id);

CREATE TABLE login_attempt (
    login_attempt_id INTEGER PRIMARY KEY AUTOINCREMENT,
    email          TEXT NOT NULL,
    ip             TEXT NOT NULL,
    succeeded      INTEGER NOT NULL,
    attempted_at   TEXT NOT NULL
) STRICT;
CREATE INDEX login_attempt_email ON login_attempt (email, attempted_at);
CREATE INDEX login_attempt_ip ON login_attempt (ip, attempted_at);

-- Every staff action and every action taken on behalf of a customer.
CREATE TABLE audit_log (
    audit_id       BLOB PRIMARY KEY,
    occurred_at    TEXT NOT NULL,
    actor_user_id  BLOB,
    on_behalf_of_user_id BLOB,
    action         TEXT NOT NULL,
    subject_type   TEXT NOT NULL,
    subject_id     TEXT,
    detail         TEXT NOT NULL,                  -- JSON
    ip             TEXT,
    request_id     TEXT
) STRICT;
CREATE INDEX audit_log_time ON audit_log (occurred_at);

-- Domain events written in the business transaction (transactional outbox).
-- AUTOINCREMENT so an id is never reused, which the delivery cursors rely on.
CREATE TABLE outbox (
    outbox_id      INTEGER PRIMARY KEY AUTOINCREMENT,
    aggregate_type TEXT NOT NULL,
    aggregate_id   TEXT NOT NULL,
    event_type     TEXT NOT NULL,
    payload        TEXT NOT NULL,                  -- JSON
    created_at     TEXT NOT NULL
) STRICT;

-- How far each subscriber has been delivered.
CREATE TABLE outbox_cursor (
    subscriber     TEXT PRIMARY KEY,
    last_outbox_id INTEGER NOT NULL,
    updated_at     TEXT NOT NULL
) STRICT;

CREATE TABLE job (
    job_id         BLOB PRIMARY KEY,
    queue          TEXT NOT NULL,
    kind           TEXT NOT NULL,
    payload        TEXT NOT NULL,                  -- JSON
    status         TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'dead')),
    priority       INTEGER NOT NULL,
    run_at         TEXT NOT NULL,
    attempts       INTEGER NOT NULL,
    max_attempts   INTEGER NOT NULL,
    locked_until   TEXT,
    locked_by      TEXT,
    last_error     TEXT,
    dedupe_key     TEXT,                           -- at most one queued/running job per key
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
) STRICT;
CREATE INDEX job_ready ON job (queue, status, run_at);
CREATE UNIQUE INDEX job_dedupe ON job (dedupe_key) WHERE status IN ('queued', 'running');

-- Gapless counters for human document numbers (SO-000123, INV-…). A number
-- is taken by UPDATE … RETURNING inside the business transaction, so a
-- rollback gives it back and committed numbers have no holes.
CREATE TABLE document_series (
    series         TEXT PRIMARY KEY,
    next_value     INTEGER NOT NULL
) STRICT;
