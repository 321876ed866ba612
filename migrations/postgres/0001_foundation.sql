-- Foundation schema (PostgreSQL). Kept column-for-column in step with
-- ../sqlite/0001_foundation.sql; a test compares the two.

CREATE TABLE app_user (
    user_id        UUID PRIMARY KEY,
    email          TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    password_hash  TEXT NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('staff', 'buyer')),
    staff_role     TEXT,
    status         TEXT NOT NULL CHECK (status IN ('active', 'disabled')),
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    last_login_at  TIMESTAMPTZ
);

CREATE TABLE session (
    session_id     UUID PRIMARY KEY,
    secret_hash    TEXT NOT NULL UNIQUE,
    user_id        UUID NOT NULL REFERENCES app_user (user_id) ON DELETE CASCADE,
    csrf_token     TEXT NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    last_seen_at   TIMESTAMPTZ NOT NULL,
    expires_at     TIMESTAMPTZ NOT NULL,
    ip             TEXT,
    user_agent     TEXT
);
CREATE INDEX session_by_user ON session (user_id);

CREATE TABLE api_token (
    api_token_id   UUID PRIMARY KEY,
    user_id        UUID NOT NULL REFERENCES app_user (user_id) ON DELETE CASCADE,
    name           TEXT NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('login', 'integration')),
    token_hash     TEXT NOT NULL UNIQUE,
    token_prefix   TEXT NOT NULL,
    scopes         TEXT NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    expires_at     TIMESTAMPTZ,
    revoked_at     TIMESTAMPTZ,
    last_used_at   TIMESTAMPTZ
);
CREATE INDEX api_token_by_user ON api_token (user_id);

CREATE TABLE login_attempt (
    login_attempt_id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email          TEXT NOT NULL,
    ip             TEXT NOT NULL,
    succeeded      BOOLEAN NOT NULL,
    attempted_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_attempt_email ON login_attempt (email, attempted_at);
CREATE INDEX login_attempt_ip ON login_attempt (ip, attempted_at);

CREATE TABLE audit_log (
    audit_id       UUID PRIMARY KEY,
    occurred_at    TIMESTAMPTZ NOT NULL,
    actor_user_id  UUID,
    on_behalf_of_user_id UUID,
    action         TEXT NOT NULL,
    subject_type   TEXT NOT NULL,
    subject_id     TEXT,
    detail         JSONB NOT NULL,
    ip             TEXT,
    request_id     TEXT
);
CREATE INDEX audit_log_time ON audit_log (occurred_at);

CREATE TABLE outbox (
    outbox_id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    aggregate_type TEXT NOT NULL,
    aggregate_id   TEXT NOT NULL,
    event_type     TEXT NOT NULL,
    payload        JSONB NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL
);

CREATE TABLE outbox_cursor (
    subscriber     TEXT PRIMARY KEY,
    last_outbox_id BIGINT NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);

CREATE TABLE job (
    job_id         UUID PRIMARY KEY,
    queue          TEXT NOT NULL,
    kind           TEXT NOT NULL,
    payload        JSONB NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'dead')),
    priority       INTEGER NOT NULL,
    run_at         TIMESTAMPTZ NOT NULL,
    attempts       INTEGER NOT NULL,
    max_attempts   INTEGER NOT NULL,
    locked_until   TIMESTAMPTZ,
    locked_by      TEXT,
    last_error     TEXT,
    dedupe_key     TEXT,                           -- at most one queued/running job per key
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX job_ready ON job (queue, status, run_at);
CREATE UNIQUE INDEX job_dedupe ON job (dedupe_key) WHERE status IN ('queued', 'running');

CREATE TABLE document_series (
    series         TEXT PRIMARY KEY,
    next_value     BIGINT NOT NULL
);
