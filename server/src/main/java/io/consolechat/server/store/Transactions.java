package io.consolechat.server.store;

import io.consolechat.server.error.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Runs JDBC work on a pooled connection, as one transaction when it writes. A transaction that fails is
 * rolled back, and its connection is thrown away rather than pooled: after a failed commit (a full disk,
 * say) a driver can believe a transaction is open that the database has already rolled back, and the next
 * borrower's statements would then commit one by one. The first error is the one reported; a failing
 * rollback is attached to it, not put in its place.
 */
final class Transactions {

    @FunctionalInterface
    interface Work<T> {
        T run(Connection conn) throws SQLException;
    }

    private final DataSource dataSource;
    private final ConnectionDiscard discard;
    /** Reads can go on while writes fail (a full disk): each kind of call has its own fault episodes. */
    private final FaultLog readFaults = new FaultLog("read");
    private final FaultLog writeFaults = new FaultLog("write");

    /** What to do with a connection that must not be pooled again. */
    @FunctionalInterface
    interface ConnectionDiscard {
        void discard(Connection conn);
    }

    Transactions(DataSource dataSource, ConnectionDiscard discard) {
        this.dataSource = dataSource;
        this.discard = discard;
    }

    /** Runs read-only work. */
    <T> T read(String what, Work<T> work) {
        try (var conn = dataSource.getConnection()) {
            var result = work.run(conn);
            readFaults.succeeded();
            return result;
        } catch (SQLException e) {
            throw failure(readFaults, what, e);
        }
    }

    /** Runs work in one transaction: committed whole, or rolled back and reported. */
    <T> T write(String what, Work<T> work) {
        Connection conn;
        try {
            conn = dataSource.getConnection();
        } catch (SQLException e) {
            throw failure(writeFaults, what, e);
        }
        try {
            conn.setAutoCommit(false);
            var result = work.run(conn);
            conn.commit();
            conn.setAutoCommit(true);
            conn.close();
            writeFaults.succeeded();
            return result;
        } catch (SQLException | RuntimeException e) {
            abandon(conn, e);
            throw failure(writeFaults, what, e);
        }
    }

    private static StoreException failure(FaultLog faults, String what, Exception e) {
        faults.failed(what, e);
        return e instanceof StoreException se ? se : new StoreException("could not " + what, e);
    }

    /** Rolls back what may be open and drops the connection; errors on the way are attached to {@code cause}. */
    private void abandon(Connection conn, Exception cause) {
        try {
            conn.rollback();
        } catch (SQLException | RuntimeException e) {
            cause.addSuppressed(e);
        }
        try {
            discard.discard(conn);
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
        try {
            conn.close();
        } catch (SQLException | RuntimeException e) {
            cause.addSuppressed(e);
        }
    }
}
