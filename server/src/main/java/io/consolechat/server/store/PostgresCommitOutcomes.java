package io.consolechat.server.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commit outcomes on PostgreSQL. Each batch's transaction writes its number into this server's row of
 * {@code commit_marks} and notes its session (backend pid and transaction id), in one statement. After a
 * lost answer the row tells whether that transaction committed, but only once it is over: a session that
 * still holds it open (its COMMIT on the way, or being applied) could still commit it after the look. So the
 * look first waits until {@code pg_stat_activity} no longer shows that session with that transaction id
 * (PostgreSQL clears it in the same step that makes the commit visible); a session that sits idle in that
 * transaction, waiting for a client that has gone, is terminated, which settles it as not committed.
 */
final class PostgresCommitOutcomes implements CommitOutcomes {
    private static final Logger log = LoggerFactory.getLogger(PostgresCommitOutcomes.class);
    /** A look that waits longer than this on the database fails; the writer asks again while it may. */
    private static final int QUERY_TIMEOUT_SECONDS = 2;
    private static final String OPEN = "FROM pg_stat_activity WHERE pid = ? AND backend_xid::text = ?";

    private final DataSource pool;
    private final String instance = UUID.randomUUID().toString();
    /** Only the event writer's one thread marks, one batch after another. */
    private long batches;

    PostgresCommitOutcomes(DataSource pool) {
        this.pool = pool;
    }

    @Override
    public Mark mark(Connection conn, Instant at) throws SQLException {
        long batch = ++batches;
        try (var ps = conn.prepareStatement("INSERT INTO commit_marks (instance, batch, marked_at) VALUES (?, ?, ?) "
                + "ON CONFLICT (instance) DO UPDATE SET batch = excluded.batch, marked_at = excluded.marked_at "
                + "RETURNING pg_backend_pid(), pg_current_xact_id()::text")) {
            ps.setString(1, instance);
            ps.setLong(2, batch);
            ps.setLong(3, at.toEpochMilli());
            try (var rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("marking a batch returned no session");
                }
                return new Mark(batch, rs.getInt(1), Long.parseLong(rs.getString(2)));
            }
        }
    }

    @Override
    public Outcome outcome(Mark mark) throws SQLException {
        // Each statement on its own (the pool's connections commit automatically): the mark is read with a
        // snapshot taken after the session was seen to be done, so the snapshot holds its commit if any.
        try (var conn = pool.getConnection()) {
            conn.setAutoCommit(true);
            boolean open;
            boolean idle;
            try (var ps = conn.prepareStatement("SELECT state = 'idle in transaction' " + OPEN)) {
                bind(ps, mark);
                try (var rs = ps.executeQuery()) {
                    open = rs.next();
                    idle = open && rs.getBoolean(1);
                }
            }
            if (open) {
                if (idle) {
                    terminate(conn, mark);
                }
                return Outcome.UNSETTLED;
            }
            try (var ps = conn.prepareStatement("SELECT batch FROM commit_marks WHERE instance = ?")) {
                ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
                ps.setString(1, instance);
                try (var rs = ps.executeQuery()) {
                    return rs.next() && rs.getLong(1) == mark.batch() ? Outcome.STORED : Outcome.NOT_STORED;
                }
            }
        }
    }

    /**
     * Ends the session that holds the transaction open while it waits for a COMMIT that will not come (its
     * client's connection is gone, but PostgreSQL may not notice for as long as TCP takes): it then rolls
     * back, and its row locks (the rooms' sequence rows) are free for the next batch. The statement checks
     * again that the session is idle in that very transaction, so that no other session is ended. Without
     * the right to do it (another role's session) the writer waits for PostgreSQL to end it.
     */
    private static void terminate(Connection conn, Mark mark) {
        try (var ps = conn.prepareStatement("SELECT pg_terminate_backend(pid) " + OPEN
                + " AND state = 'idle in transaction'")) {
            bind(ps, mark);
            try (var rs = ps.executeQuery()) {
                if (rs.next() && rs.getBoolean(1)) {
                    log.info("ended the database session {} that held an unanswered commit open", mark.backendPid());
                }
            }
        } catch (SQLException e) {
            log.debug("could not end the database session {}: {}", mark.backendPid(), e.toString());
        }
    }

    /** The pid, and the transaction id as pg_stat_activity shows it: 32 bits, without the epoch. */
    private static void bind(java.sql.PreparedStatement ps, Mark mark) throws SQLException {
        ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
        ps.setInt(1, mark.backendPid());
        ps.setString(2, Long.toString(mark.transactionId() & 0xFFFF_FFFFL));
    }

    @Override
    public void forget(Connection conn, Instant before) throws SQLException {
        try (var ps = conn.prepareStatement("DELETE FROM commit_marks WHERE marked_at < ?")) {
            ps.setLong(1, before.toEpochMilli());
            ps.executeUpdate();
        }
    }
}
