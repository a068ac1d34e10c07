-- The table the PostgreSQL schema has for shared token buckets, so that the two schemas keep the same tables
-- (console-chat migrate copies every table). A server on SQLite keeps its buckets in memory and leaves it
-- empty.
CREATE TABLE rate_buckets (
    id         VARCHAR(200) PRIMARY KEY,
    state      BLOB,
    expires_at BIGINT
);
CREATE INDEX rate_buckets_by_expiry ON rate_buckets (expires_at);
