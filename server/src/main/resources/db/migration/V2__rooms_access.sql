-- Rooms people own: access by key or invitation, operators, bans; server admins and server-wide bans.

-- A server admin may moderate every room. A server-wide ban lasts until banned_until (epoch ms; the largest
-- BIGINT for a ban without end); login is refused while it lasts.
ALTER TABLE users ADD COLUMN admin BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE users ADD COLUMN banned_until BIGINT;
ALTER TABLE users ADD COLUMN ban_reason TEXT;

-- Kick, ban and unban events name a user (copied, like the sender) and a reason; a delete event names its
-- target seq; a deleted message keeps its row (the sequence has no holes) without its text.
ALTER TABLE events ADD COLUMN user_name VARCHAR(64);
ALTER TABLE events ADD COLUMN user_kind VARCHAR(16);
ALTER TABLE events ADD COLUMN reason TEXT;
ALTER TABLE events ADD COLUMN target BIGINT;
ALTER TABLE events ADD COLUMN deleted BOOLEAN NOT NULL DEFAULT FALSE;

-- A claimed room. A room without a row here is open to everyone, as before. The key is stored hashed.
-- Owners and operators are registered users, named by their case-folded name key.
CREATE TABLE room_settings (
    name       VARCHAR(64)  PRIMARY KEY,
    access     VARCHAR(16)  NOT NULL,
    key_hash   VARCHAR(256),
    topic      TEXT,
    owner_key  VARCHAR(64)  NOT NULL,
    owner_name VARCHAR(64)  NOT NULL,
    created_at BIGINT       NOT NULL
);

-- Operators, invitations and members of claimed rooms, one row each; role is operator, invited or member.
CREATE TABLE room_people (
    room      VARCHAR(64) NOT NULL REFERENCES room_settings (name) ON DELETE CASCADE,
    role      VARCHAR(16) NOT NULL,
    user_key  VARCHAR(64) NOT NULL,
    user_name VARCHAR(64) NOT NULL,
    user_kind VARCHAR(16) NOT NULL,
    PRIMARY KEY (room, role, user_key)
);
CREATE INDEX room_people_by_user ON room_people (user_key);

-- Bans from one room (claimed or not); until is NULL for a ban without end.
CREATE TABLE room_bans (
    room      VARCHAR(64) NOT NULL,
    user_key  VARCHAR(64) NOT NULL,
    user_name VARCHAR(64) NOT NULL,
    user_kind VARCHAR(16) NOT NULL,
    by_name   VARCHAR(64) NOT NULL,
    by_kind   VARCHAR(16) NOT NULL,
    at        BIGINT      NOT NULL,
    until     BIGINT,
    reason    TEXT,
    PRIMARY KEY (room, user_key)
);
