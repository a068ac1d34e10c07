-- Token buckets (Bucket4j's PostgreSQL layout) for the rate limits of servers that share one database: the
-- messages a user sends, the tokens an address gets, the rooms a user enters and creates. A row is named after
-- its limit and key, holds the bucket's state, and may be deleted once the bucket would be full again
-- (expires_at, epoch milliseconds).
CREATE TABLE rate_buckets (
    id         VARCHAR(200) PRIMARY KEY,
    state      BYTEA,
    expires_at BIGINT
);
CREATE INDEX rate_buckets_by_expiry ON rate_buckets (expires_at);
