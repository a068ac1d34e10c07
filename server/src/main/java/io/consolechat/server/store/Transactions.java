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
        return switch (writeOrDoubt(what, work)) {
            case Written.Committed<T> committed -> committed.result();
            case Written.InDoubt<T> doubt -> throw failure(writeFaults, what, (Exception) doubt.failure().getCause());
        };
    }

    /** What became of a transaction whose work ran through: committed, or sent to be committed without an answer. */
    sealed interface Written<T> {
        record Committed<T>(T result) implements Written<T> {
        }

        /**
         * The commit failed: with a database across a network the COMMIT may have reached it and been
         * applied although its answer was lost. {@code result} is what the work computed, for the caller to
         * use if it learns that the commit was applied.
         */
        record InDoubt<T>(T result, StoreException failure) implements Written<T> {
        }
    }

    /**
     * As {@link #write}, but a failure of the commit itself is returned as {@link Written.InDoubt} rather than
     * thrown, for a caller that can find out what became of it; it is not counted as a fault here, the caller
     * knows better. A failure before the commit was sent is thrown: nothing was committed then.
     */
    <T> Written<T> writeOrDoubt(String what, Work<T> work) {
        Connection conn;
        try {
            conn = dataSource.getConnection();
        } catch (SQLException e) {
            throw failure(writeFaults, what, e);
        }
        T result;
        try {
            conn.setAutoCommit(false);
            result = work.run(conn);
        } catch (SQLException | RuntimeException e) {
            abandon(conn, e);
            throw failure(writeFaults, what, e);
        }
        try {
            conn.commit();
        } catch (SQLException | RuntimeException e) {
            abandon(conn, e);
            return new Written.InDoubt<>(result, new StoreException("could not " + what, e));
        }
        release(conn);
        writeFaults.succeeded();
        return new Written.Committed<>(result);
    }

    /**
     * Returns a connection after its commit. A failure now cannot undo the commit, so it must not turn into
     * a failed write (the caller would answer "not stored" for what is stored); the connection is dropped.
     */
    private void release(Connection conn) {
        try {
            conn.setAutoCommit(true);
        } catch (SQLException | RuntimeException e) {
            try {
                discard.discard(conn);
            } catch (RuntimeException ignored) {
                // It is closed below either way.
            }
        }
        try {
            conn.close();
        } catch (SQLException | RuntimeException ignored) {
            // Committed; the pool replaces a connection it cannot take back.
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
