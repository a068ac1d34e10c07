-- Stream tickets (POST /stream-ticket), kept here so that a ticket issued by one server opens a stream on any
-- server on the same database. Only the SHA-256 of each ticket is stored, as for tokens, so a copy of the
-- database does not hand out streams. A row is the session the ticket was issued to (its user, copied as
-- presence copies it, and the hash of its token) and the ticket's expiry; redeeming a ticket deletes its row,
-- so it opens one stream. There is no foreign key to tokens: a ticket lives a minute, redeeming one checks
-- that its token is still stored and unexpired, and so a logout or the removal of lapsed tokens need not
-- touch this table. Expired rows are deleted by the hourly housekeeping.
CREATE TABLE stream_tickets (
    ticket_hash VARCHAR(64) PRIMARY KEY,
    user_id     VARCHAR(36) NOT NULL,
    user_name   VARCHAR(64) NOT NULL,
    user_kind   VARCHAR(16) NOT NULL,
    token_hash  VARCHAR(64) NOT NULL,
    expires_at  BIGINT      NOT NULL
);
CREATE INDEX stream_tickets_by_expiry ON stream_tickets (expires_at);
