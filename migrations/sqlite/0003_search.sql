-- Search synonyms managed in the back office: each group's terms find what
-- the others find (螺栓 / bolt). Applied at query time, so no reindex.
CREATE TABLE synonym_group (
    synonym_group_id BLOB PRIMARY KEY,
    terms          TEXT NOT NULL,                  -- JSON array of terms
    updated_at     TEXT NOT NULL
) STRICT;
