-- Inquiries from the storefront (SQLite), kept in step with
-- ../postgres/0010_inquiries.sql: requests for quotation and samples, and
-- contact messages, from visitors with or without an account (P1, P2).
-- The rules for what is accepted are core::inquiry.
CREATE TABLE inquiry (
    inquiry_id     BLOB PRIMARY KEY,
    number         TEXT NOT NULL UNIQUE,              -- INQ-000001
    kind           TEXT NOT NULL CHECK (kind IN ('quote', 'sample', 'contact')),
    status         TEXT NOT NULL CHECK (status IN ('new', 'in_progress', 'answered', 'closed')),
    market_code    TEXT NOT NULL REFERENCES market (market_code),
    lang           TEXT NOT NULL,
    name           TEXT NOT NULL,
    company_name   TEXT NOT NULL,
    email          TEXT NOT NULL,
    phone          TEXT,
    message        TEXT NOT NULL,
    items          TEXT NOT NULL,                     -- JSON [core::inquiry::InquiryItem]
    -- Set when a signed-in buyer sent it.
    company_id     BLOB REFERENCES company (company_id),
    user_id        BLOB REFERENCES app_user (user_id),
    -- The sales rep following it up, and when.
    assigned_to    BLOB REFERENCES app_user (user_id),
    follow_up_on   TEXT,                              -- a date, YYYY-MM-DD
    staff_note     TEXT NOT NULL DEFAULT '',
    -- Keyed hash of the sender's address: rate limits without keeping the IP.
    client_key     TEXT,
    page           TEXT,                              -- the page it was sent from
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
) STRICT;
CREATE INDEX inquiry_by_status ON inquiry (status, created_at);
CREATE INDEX inquiry_by_client ON inquiry (client_key, created_at);
