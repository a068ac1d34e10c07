-- How many streams each server holds open per user and per client address, for servers that share one
-- database: a new stream is refused when the streams of all servers together reach the limit. A server's
-- counts count while its lease in stream_instances is renewed, so the counts of a server that died without a
-- word stop counting when its lease runs out. A server on its own database keeps these counts in memory.
CREATE TABLE stream_instances (
    instance   VARCHAR(36) PRIMARY KEY,
    expires_at BIGINT      NOT NULL
);
CREATE INDEX stream_instances_by_expiry ON stream_instances (expires_at);

CREATE TABLE stream_counts (
    scope     VARCHAR(16)  NOT NULL,
    count_key VARCHAR(128) NOT NULL,
    instance  VARCHAR(36)  NOT NULL,
    streams   INTEGER      NOT NULL,
    PRIMARY KEY (scope, count_key, instance)
);
CREATE INDEX stream_counts_by_instance ON stream_counts (instance);
