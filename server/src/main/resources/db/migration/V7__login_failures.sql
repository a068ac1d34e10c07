-- Failed password logins per client address and per account, for servers that share one database: a guesser
-- who spreads tries over several servers gets no more than against one. A server on its own database keeps
-- these counts in memory instead.
CREATE TABLE login_failures (
    scope         VARCHAR(16)  NOT NULL,
    failure_key   VARCHAR(128) NOT NULL,
    failures      INTEGER      NOT NULL,
    blocked_until BIGINT       NOT NULL,
    forget_at     BIGINT       NOT NULL,
    PRIMARY KEY (scope, failure_key)
);
CREATE INDEX login_failures_by_age ON login_failures (forget_at);
