-- The last batch of events each server's writer committed, for servers on a shared database: when the answer
-- to a commit is lost (the connection broke after the COMMIT was sent), the server reads its row to learn
-- whether that batch was stored before it answers the senders. One row per server process, rewritten by
-- each batch; rows of servers gone for a day are deleted by the housekeeping. A server on its own database
-- (SQLite) knows the outcome of every commit and leaves this table empty. No index on marked_at: the table
-- holds a row per server, and an index on a column that every batch changes would be written by every batch.
CREATE TABLE commit_marks (
    instance  VARCHAR(36) PRIMARY KEY,
    batch     BIGINT      NOT NULL,
    marked_at BIGINT      NOT NULL
);
