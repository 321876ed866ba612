-- Catalog (SQLite). Column-for-column in step with ../postgres/0002_catalog.sql.
-- Localised text is a JSON object {"zh-CN": "…", "en": "…"}; quantities and
-- measures are INTEGER units of 10^-4 (like money), so they stay exact.

CREATE TABLE market (
    market_code    TEXT PRIMARY KEY,
    name           TEXT NOT NULL,                  -- JSON localised
    currency       TEXT NOT NULL,
    languages      TEXT NOT NULL,                  -- JSON array, first = default
    countries      TEXT NOT NULL,                  -- JSON array of ISO 3166 alpha-2
    time_zone      TEXT NOT NULL,
    roadmap_step   INTEGER NOT NULL CHECK (roadmap_step BETWEEN 1 AND 4),
    show_prices    INTEGER NOT NULL,
    show_stock     INTEGER NOT NULL,
    is_default     INTEGER NOT NULL,
    updated_at     TEXT NOT NULL
) STRICT;

CREATE TABLE brand (
    brand_id       BLOB PRIMARY KEY,
    slug           TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    updated_at     TEXT NOT NULL
) STRICT;

CREATE TABLE attribute_def (
    code           TEXT PRIMARY KEY,
    name           TEXT NOT NULL,                  -- JSON localised
    kind           TEXT NOT NULL,                  -- JSON {"type": "number", "unit": "mm"} …
    filterable     INTEGER NOT NULL,
    position       INTEGER NOT NULL,
    updated_at     TEXT NOT NULL
) STRICT;

CREATE TABLE category (
    category_id    BLOB PRIMARY KEY,
    parent_id      BLOB REFERENCES category (category_id),
    slug           TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,                  -- JSON localised
    position       INTEGER NOT NULL,
    attributes     TEXT NOT NULL,                  -- JSON [{"code": "length", "required": true}]
    updated_at     TEXT NOT NULL
) STRICT;
CREATE INDEX category_parent ON category (parent_id, position);

CREATE TABLE product (
    product_id     BLOB PRIMARY KEY,
    slug           TEXT NOT NULL UNIQUE,
    status         TEXT NOT NULL CHECK (status IN ('draft', 'active', 'discontinued')),
    brand_id       BLOB REFERENCES brand (brand_id),
    category_id    BLOB REFERENCES category (category_id),
    name           TEXT NOT NULL,
    short_description TEXT NOT NULL,
    description    TEXT NOT NULL,
    meta_title     TEXT NOT NULL,
    meta_description TEXT NOT NULL,
    markets        TEXT NOT NULL,                  -- JSON array of market codes; [] = all
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
) STRICT;
CREATE INDEX product_category ON product (category_id);
CREATE INDEX product_brand ON product (brand_id);
CREATE INDEX product_updated ON product (updated_at);

CREATE TABLE variant (
    variant_id     BLOB PRIMARY KEY,
    product_id     BLOB NOT NULL REFERENCES product (product_id) ON DELETE CASCADE,
    sku            TEXT NOT NULL UNIQUE,
    sku_folded     TEXT NOT NULL,                  -- core::catalog::fold_part_number(sku)
    gtin           TEXT,
    mpn            TEXT,
    unit           TEXT NOT NULL,
    pack_size      INTEGER NOT NULL,
    min_quantity   INTEGER NOT NULL,               -- 10^-4 units
    quantity_step  INTEGER NOT NULL,
    weight_kg      INTEGER,
    length_mm      INTEGER,
    width_mm       INTEGER,
    height_mm      INTEGER,
    status         TEXT NOT NULL CHECK (status IN ('draft', 'active', 'discontinued')),
    replacement_sku TEXT,
    attributes     TEXT NOT NULL,                  -- JSON {"length": {"number": "20"}}
    position       INTEGER NOT NULL,
    updated_at     TEXT NOT NULL
) STRICT;
CREATE INDEX variant_product ON variant (product_id, position);
CREATE INDEX variant_sku_folded ON variant (sku_folded);
CREATE INDEX variant_gtin ON variant (gtin);

CREATE TABLE media (
    media_id       BLOB PRIMARY KEY,
    product_id     BLOB NOT NULL REFERENCES product (product_id) ON DELETE CASCADE,
    kind           TEXT NOT NULL CHECK (kind IN ('image', 'video', 'document')),
    file_name      TEXT NOT NULL,
    content_hash   TEXT,                           -- NULL for external video links
    mime           TEXT NOT NULL,
    byte_size      INTEGER NOT NULL,
    width          INTEGER,
    height         INTEGER,
    url            TEXT,                           -- external video link
    lang           TEXT,
    title          TEXT NOT NULL,                  -- JSON localised
    alt            TEXT NOT NULL,                  -- JSON localised
    renditions     TEXT NOT NULL,                  -- JSON [{"name": "list", "width": 320, "height": 240, "key": "r/…"}]
    position       INTEGER NOT NULL,
    created_at     TEXT NOT NULL
) STRICT;
CREATE INDEX media_product ON media (product_id, position);

CREATE TABLE product_relation (
    product_id     BLOB NOT NULL REFERENCES product (product_id) ON DELETE CASCADE,
    related_product_id BLOB NOT NULL REFERENCES product (product_id) ON DELETE CASCADE,
    kind           TEXT NOT NULL CHECK (kind IN ('accessory', 'spare_part', 'replacement', 'similar')),
    position       INTEGER NOT NULL,
    PRIMARY KEY (product_id, related_product_id, kind)
) STRICT;
CREATE INDEX product_relation_reverse ON product_relation (related_product_id);

CREATE TABLE catalog_import (
    import_id      BLOB PRIMARY KEY,
    created_by     BLOB,
    file_name      TEXT NOT NULL,
    mode           TEXT NOT NULL,
    dry_run        INTEGER NOT NULL,
    rows_total     INTEGER NOT NULL,
    rows_applied   INTEGER NOT NULL,
    rows_failed    INTEGER NOT NULL,
    report         TEXT NOT NULL,                  -- JSON report
    created_at     TEXT NOT NULL
) STRICT;
