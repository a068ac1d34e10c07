package io.consolechat.server.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Tells other server instances, inside the transaction that makes a change, what it changed: they learn of
 * it only if and when it commits. With one server (SQLite) there is nobody to tell.
 */
interface CommitNotice {
    CommitNotice NONE = new CommitNotice() {
        @Override
        public void added(Connection conn, String room, long first, long last) {
        }

        @Override
        public void revoked(Connection conn, String tokenHash) {
        }

        @Override
        public void personalItem(Connection conn, String userKey, long id) {
        }
    };

    /** A batch added the events {@code first..last} to {@code room}. */
    void added(Connection conn, String room, long first, long last) throws SQLException;

    /** A token was revoked: the others must stop honouring it, and end its streams. */
    void revoked(Connection conn, String tokenHash) throws SQLException;

    /** The item {@code id} was added to the personal stream of {@code userKey}: its open feeds elsewhere want it. */
    void personalItem(Connection conn, String userKey, long id) throws SQLException;
}
