-- A post sent with an Idempotency-Key: a retry with the same key by the same user gets the stored event
-- back instead of storing it twice. Kept for a day (see the housekeeping in ChatServer).
CREATE TABLE post_keys (
    user_key   VARCHAR(64)  NOT NULL,
    idem_key   VARCHAR(64)  NOT NULL,
    room       VARCHAR(64)  NOT NULL,
    seq        BIGINT       NOT NULL,
    created_at BIGINT       NOT NULL,
    PRIMARY KEY (user_key, idem_key)
);
CREATE INDEX post_keys_by_age ON post_keys (created_at);
