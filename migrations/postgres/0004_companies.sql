-- Company accounts (PostgreSQL). Kept column-for-column in step with
-- ../sqlite/0004_companies.sql. Every company-owned table carries
-- company_id, and the store reads and writes them only through a
-- CompanyScope (see crates/mercato-store/src/companies.rs).

CREATE TABLE customer_group (
    customer_group_id UUID PRIMARY KEY,
    code           TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);

CREATE TABLE company (
    company_id     UUID PRIMARY KEY,
    name           TEXT NOT NULL,                  -- legal name
    vat_number     TEXT,                           -- canonical, with country prefix
    registration_number TEXT,
    country        TEXT NOT NULL,                  -- ISO 3166 alpha-2 of the seat
    market_code    TEXT NOT NULL REFERENCES market (market_code),
    currency       TEXT NOT NULL,
    customer_group_id UUID REFERENCES customer_group (customer_group_id),
    tier           TEXT,
    status         TEXT NOT NULL CHECK (status IN ('pending', 'active', 'on_hold')),
    parent_company_id UUID REFERENCES company (company_id),
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX company_by_parent ON company (parent_company_id);
CREATE INDEX company_by_status ON company (status, name);

CREATE TABLE business_unit (
    business_unit_id UUID PRIMARY KEY,
    company_id     UUID NOT NULL REFERENCES company (company_id) ON DELETE CASCADE,
    parent_unit_id UUID REFERENCES business_unit (business_unit_id),
    name           TEXT NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    UNIQUE (company_id, name)
);

CREATE TABLE company_address (
    address_id     UUID PRIMARY KEY,
    company_id     UUID NOT NULL REFERENCES company (company_id) ON DELETE CASCADE,
    label          TEXT,
    recipient      TEXT NOT NULL,
    line1          TEXT NOT NULL,
    line2          TEXT,
    city           TEXT NOT NULL,
    region         TEXT,
    postal_code    TEXT NOT NULL,
    country        TEXT NOT NULL,
    phone          TEXT,
    is_default_billing  BOOLEAN NOT NULL,
    is_default_shipping BOOLEAN NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX company_address_by_company ON company_address (company_id);

-- Buyers belong to one company; roles are space-separated codes.
ALTER TABLE app_user ADD COLUMN company_id UUID REFERENCES company (company_id);
ALTER TABLE app_user ADD COLUMN company_roles TEXT;
ALTER TABLE app_user ADD COLUMN business_unit_id UUID REFERENCES business_unit (business_unit_id);
ALTER TABLE app_user ADD COLUMN email_verified_at TIMESTAMPTZ;
CREATE INDEX app_user_by_company ON app_user (company_id);

-- One-time links sent by e-mail: invitations, e-mail verification and
-- password resets. Only the SHA-256 of the secret is stored.
CREATE TABLE user_link (
    user_link_id   UUID PRIMARY KEY,
    user_id        UUID NOT NULL REFERENCES app_user (user_id) ON DELETE CASCADE,
    purpose        TEXT NOT NULL CHECK (purpose IN ('invitation', 'verify_email', 'password_reset')),
    secret_hash    TEXT NOT NULL UNIQUE,
    created_at     TIMESTAMPTZ NOT NULL,
    expires_at     TIMESTAMPTZ NOT NULL,
    used_at        TIMESTAMPTZ
);
CREATE INDEX user_link_by_user ON user_link (user_id, purpose);

-- Which companies a sales rep looks after.
CREATE TABLE sales_rep_assignment (
    user_id        UUID NOT NULL REFERENCES app_user (user_id) ON DELETE CASCADE,
    company_id     UUID NOT NULL REFERENCES company (company_id) ON DELETE CASCADE,
    created_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, company_id)
);
CREATE INDEX sales_rep_assignment_by_company ON sales_rep_assignment (company_id);

-- A staff member acting for a buyer: the session carries the buyer.
ALTER TABLE session ADD COLUMN acting_for_user_id UUID REFERENCES app_user (user_id) ON DELETE CASCADE;
