package io.consolechat.server.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Tells other server instances, inside the transaction that stores a batch, which sequence numbers of which
 * rooms it added: they learn of it only if and when it commits. With one server (SQLite) there is nobody to
 * tell.
 */
@FunctionalInterface
interface CommitNotice {
    CommitNotice NONE = (conn, room, first, last) -> { };

    void added(Connection conn, String room, long first, long last) throws SQLException;
}
