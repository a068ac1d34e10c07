-- Who is in which room, shared by every server on the database. A row here means the join event was
-- written and the leave event not yet.
CREATE TABLE presence (
    room      VARCHAR(80) NOT NULL,
    user_id   VARCHAR(36) NOT NULL,
    user_name VARCHAR(64) NOT NULL,
    user_kind VARCHAR(16) NOT NULL,
    PRIMARY KEY (room, user_id)
);

-- Each server that holds a stream of the user on the room (or is in the grace period after the last one)
-- keeps a lease here and renews it while it lives. A present user with no lease left is gone, also when
-- the server that held the stream died without a word.
CREATE TABLE presence_leases (
    room       VARCHAR(80) NOT NULL,
    user_id    VARCHAR(36) NOT NULL,
    instance   VARCHAR(36) NOT NULL,
    expires_at BIGINT      NOT NULL,
    PRIMARY KEY (room, user_id, instance)
);
CREATE INDEX presence_leases_by_expiry ON presence_leases (expires_at);
