-- Times are epoch milliseconds (BIGINT): portable, and they compare as numbers.

CREATE TABLE users (
    id            VARCHAR(36)  PRIMARY KEY,
    name          VARCHAR(64)  NOT NULL,
    name_key      VARCHAR(64)  NOT NULL UNIQUE,
    kind          VARCHAR(16)  NOT NULL,
    password_hash VARCHAR(256),
    created_at    BIGINT       NOT NULL
);

-- Only a hash of each token is kept, so a copy of the database does not hand out sessions.
CREATE TABLE tokens (
    token_hash VARCHAR(64) PRIMARY KEY,
    user_id    VARCHAR(36) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT      NOT NULL,
    expires_at BIGINT      NOT NULL
);
CREATE INDEX tokens_by_user ON tokens (user_id);
CREATE INDEX tokens_by_expiry ON tokens (expires_at);

CREATE TABLE rooms (
    name          VARCHAR(64) PRIMARY KEY,
    last_seq      BIGINT      NOT NULL,
    last_activity BIGINT      NOT NULL
);
CREATE INDEX rooms_by_activity ON rooms (last_activity);

-- The sender is copied into each event: history shows who wrote it even after a temporary name is reused.
CREATE TABLE events (
    room      VARCHAR(64) NOT NULL,
    seq       BIGINT      NOT NULL,
    type      VARCHAR(16) NOT NULL,
    at        BIGINT      NOT NULL,
    from_name VARCHAR(64) NOT NULL,
    from_kind VARCHAR(16) NOT NULL,
    text      TEXT,
    PRIMARY KEY (room, seq)
);
