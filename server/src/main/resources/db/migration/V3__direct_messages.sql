-- Actions (IRC's /me) are messages with a flag.
ALTER TABLE events ADD COLUMN action BOOLEAN NOT NULL DEFAULT FALSE;

-- Direct-message conversations are rooms named dm:<a>:<b>, up to 68 characters. SQLite does not enforce
-- VARCHAR lengths; a PostgreSQL schema declares events.room and rooms.name wide enough (VARCHAR(80)).

-- Who blocks whom, by case-folded user name: a temporary name that is blocked stays blocked if reused.
CREATE TABLE blocks (
    user_key    VARCHAR(64) NOT NULL,
    blocked_key VARCHAR(64) NOT NULL,
    PRIMARY KEY (user_key, blocked_key)
);

-- Each user's personal stream is a gap-free sequence, taken from this row in the transaction that stores
-- the item, as rooms.last_seq is for rooms.
CREATE TABLE personal_streams (
    user_key VARCHAR(64) PRIMARY KEY,
    last_id  BIGINT      NOT NULL
);

CREATE TABLE personal_events (
    user_key  VARCHAR(64) NOT NULL,
    id        BIGINT      NOT NULL,
    type      VARCHAR(16) NOT NULL,
    room      VARCHAR(80) NOT NULL,
    seq       BIGINT,
    at        BIGINT      NOT NULL,
    from_name VARCHAR(64) NOT NULL,
    from_kind VARCHAR(16) NOT NULL,
    text      TEXT,
    action    BOOLEAN     NOT NULL DEFAULT FALSE,
    PRIMARY KEY (user_key, id)
);
