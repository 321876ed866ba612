-- Catalog (PostgreSQL). Column-for-column in step with ../sqlite/0002_catalog.sql.
-- Localised text is a JSON object {"zh-CN": "…", "en": "…"}; quantities and
-- measures are INTEGER units of 10^-4 (like money), so they stay exact.

CREATE TABLE market (
    market_code    TEXT PRIMARY KEY,
    name           JSONB NOT NULL,                  -- JSON localised
    currency       TEXT NOT NULL,
    languages      JSONB NOT NULL,                  -- JSON array, first = default
    countries      JSONB NOT NULL,                  -- JSON array of ISO 3166 alpha-2
    time_zone      TEXT NOT NULL,
    roadmap_step   INTEGER NOT NULL CHECK (roadmap_step BETWEEN 1 AND 4),
    show_prices    BOOLEAN NOT NULL,
    show_stock     BOOLEAN NOT NULL,
    is_default     BOOLEAN NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);

CREATE TABLE brand (
    brand_id       UUID PRIMARY KEY,
    slug           TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);

CREATE TABLE attribute_def (
    code           TEXT PRIMARY KEY,
    name           JSONB NOT NULL,                  -- JSON localised
    kind           JSONB NOT NULL,                  -- JSON {"type": "number", "unit": "mm"} …
    filterable     BOOLEAN NOT NULL,
    position       INTEGER NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);

CREATE TABLE category (
    category_id    UUID PRIMARY KEY,
    parent_id      UUID REFERENCES category (category_id),
    slug           TEXT NOT NULL UNIQUE,
    name           JSONB NOT NULL,                  -- JSON localised
    position       INTEGER NOT NULL,
    attributes     JSONB NOT NULL,                  -- JSON [{"code": "length", "required": true}]
    updated_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX category_parent ON category (parent_id, position);

CREATE TABLE product (
    product_id     UUID PRIMARY KEY,
    slug           TEXT NOT NULL UNIQUE,
    status         TEXT NOT NULL CHECK (status IN ('draft', 'active', 'discontinued')),
    brand_id       UUID REFERENCES brand (brand_id),
    category_id    UUID REFERENCES category (category_id),
    name           JSONB NOT NULL,
    short_description JSONB NOT NULL,
    description    JSONB NOT NULL,
    meta_title     JSONB NOT NULL,
    meta_description JSONB NOT NULL,
    markets        JSONB NOT NULL,                  -- JSON array of market codes; [] = all
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX product_category ON product (category_id);
CREATE INDEX product_brand ON product (brand_id);
CREATE INDEX product_updated ON product (updated_at);

CREATE TABLE variant (
    variant_id     UUID PRIMARY KEY,
    product_id     UUID NOT NULL REFERENCES product (product_id) ON DELETE CASCADE,
    sku            TEXT NOT NULL UNIQUE,
    sku_folded     TEXT NOT NULL,                  -- core::catalog::fold_part_number(sku)
    gtin           TEXT,
    mpn            TEXT,
    unit           TEXT NOT NULL,
    pack_size      INTEGER NOT NULL,
    min_quantity   BIGINT NOT NULL,               -- 10^-4 units
    quantity_step  BIGINT NOT NULL,
    weight_kg      BIGINT,
    length_mm      BIGINT,
    width_mm       BIGINT,
    height_mm      BIGINT,
    status         TEXT NOT NULL CHECK (status IN ('draft', 'active', 'discontinued')),
    replacement_sku TEXT,
    attributes     JSONB NOT NULL,                  -- JSON {"length": {"number": "20"}}
    position       INTEGER NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX variant_product ON variant (product_id, position);
CREATE INDEX variant_sku_folded ON variant (sku_folded);
CREATE INDEX variant_gtin ON variant (gtin);

CREATE TABLE media (
    media_id       UUID PRIMARY KEY,
    product_id     UUID NOT NULL REFERENCES product (product_id) ON DELETE CASCADE,
    kind           TEXT NOT NULL CHECK (kind IN ('image', 'video', 'document')),
    file_name      TEXT NOT NULL,
    content_hash   TEXT,                           -- NULL for external video links
    mime           TEXT NOT NULL,
    byte_size      BIGINT NOT NULL,
    width          INTEGER,
    height         INTEGER,
    url            TEXT,                           -- external video link
    lang           TEXT,
    title          JSONB NOT NULL,                  -- JSON localised
    alt            JSONB NOT NULL,                  -- JSON localised
    renditions     JSONB NOT NULL,                  -- JSON [{"name": "list", "width": 320, "height": 240, "key": "r/…"}]
    position       INTEGER NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX media_product ON media (product_id, position);

CREATE TABLE product_relation (
    product_id     UUID NOT NULL REFERENCES product (product_id) ON DELETE CASCADE,
    related_product_id UUID NOT NULL REFERENCES product (product_id) ON DELETE CASCADE,
    kind           TEXT NOT NULL CHECK (kind IN ('accessory', 'spare_part', 'replacement', 'similar')),
    position       INTEGER NOT NULL,
    PRIMARY KEY (product_id, related_product_id, kind)
);
CREATE INDEX product_relation_reverse ON product_relation (related_product_id);

CREATE TABLE catalog_import (
    import_id      UUID PRIMARY KEY,
    created_by     UUID,
    file_name      TEXT NOT NULL,
    mode           TEXT NOT NULL,
    dry_run        BOOLEAN NOT NULL,
    rows_total     INTEGER NOT NULL,
    rows_applied   INTEGER NOT NULL,
    rows_failed    INTEGER NOT NULL,
    report         JSONB NOT NULL,                  -- JSON report
    created_at     TIMESTAMPTZ NOT NULL
);
