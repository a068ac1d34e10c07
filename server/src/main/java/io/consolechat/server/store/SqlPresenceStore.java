package io.consolechat.server.store;

import io.consolechat.protocol.User;
import io.consolechat.server.error.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * Presence in the {@code presence} and {@code presence_leases} tables, with the same SQL on SQLite and
 * PostgreSQL. On a shared PostgreSQL database the join or leave event is written while the transaction that
 * changes the presence row is open: the row's lock orders one user's joins and leaves in a room across
 * instances, so a leave can never land after the join that follows it. SQLite has one writer and one
 * instance, whose own lock per user does that ordering; there the event is written after the commit (the
 * event log needs the write lock too) and the change is undone if the event cannot be written.
 */
final class SqlPresenceStore implements PresenceStore {
    private static final String LIVE_LEASE = "SELECT 1 FROM presence_leases l"
            + " WHERE l.room = ? AND l.user_id = ? AND l.expires_at > ?";
    private static final String UPSERT_LEASE = "INSERT INTO presence_leases (room, user_id, instance, expires_at)"
            + " VALUES (?, ?, ?, ?) ON CONFLICT (room, user_id, instance) DO UPDATE SET expires_at = excluded.expires_at";

    private final Transactions transactions;
    private final boolean shared;
    /**
     * A shared database's presence change holds a pooled connection while the event log takes another to
     * write the event: at most this many at once, so that they cannot take the whole pool.
     */
    private final Semaphore openChanges = new Semaphore(3);

    SqlPresenceStore(Transactions transactions, boolean shared) {
        this.transactions = transactions;
        this.shared = shared;
    }

    @Override
    public boolean isPresent(String room, String userId) {
        return transactions.read("read presence", conn -> {
            try (var ps = conn.prepareStatement("SELECT 1 FROM presence WHERE room = ? AND user_id = ?")) {
                ps.setString(1, room);
                ps.setString(2, userId);
                try (var rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    @Override
    public boolean hold(String instance, Held held, Instant expires, Runnable onJoin) {
        if (shared) {
            return changing(() -> transactions.write("enter a room", conn -> {
                upsertLease(conn, instance, held.room(), held.userId(), expires);
                boolean joined = insertPresence(conn, held);
                if (joined) {
                    onJoin.run();
                }
                return joined;
            }));
        }
        boolean joined = transactions.write("enter a room", conn -> {
            upsertLease(conn, instance, held.room(), held.userId(), expires);
            return insertPresence(conn, held);
        });
        if (joined) {
            try {
                onJoin.run();
            } catch (RuntimeException e) {
                undo("undo a join", conn -> {
                    deletePresence(conn, held.room(), held.userId());
                    deleteLease(conn, instance, held.room(), held.userId());
                }, e);
                throw e;
            }
        }
        return joined;
    }

    @Override
    public void renew(String instance, Collection<Held> held, Instant expires) {
        if (held.isEmpty()) {
            return;
        }
        transactions.write("renew presence leases", conn -> {
            try (var ps = conn.prepareStatement(UPSERT_LEASE)) {
                for (var h : held) {
                    ps.setString(1, h.room());
                    ps.setString(2, h.userId());
                    ps.setString(3, instance);
                    ps.setLong(4, expires.toEpochMilli());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    @Override
    public void release(String instance, String room, String userId, Instant until) {
        transactions.write("release a presence lease", conn -> {
            try (var ps = conn.prepareStatement("UPDATE presence_leases SET expires_at = ?"
                    + " WHERE room = ? AND user_id = ? AND instance = ?")) {
                ps.setLong(1, until.toEpochMilli());
                ps.setString(2, room);
                ps.setString(3, userId);
                ps.setString(4, instance);
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void drop(String instance, String room, String userId) {
        transactions.write("drop a presence lease", conn -> {
            deleteLease(conn, instance, room, userId);
            return null;
        });
    }

    @Override
    public boolean leaveIfUnheld(Held held, Instant now, Runnable onLeave) {
        return change("leave a room", held, onLeave, conn -> {
            try (var ps = conn.prepareStatement("DELETE FROM presence WHERE room = ? AND user_id = ?"
                    + " AND NOT EXISTS (" + LIVE_LEASE + ")")) {
                ps.setString(1, held.room());
                ps.setString(2, held.userId());
                ps.setString(3, held.room());
                ps.setString(4, held.userId());
                ps.setLong(5, now.toEpochMilli());
                return ps.executeUpdate() > 0;
            }
        });
    }

    @Override
    public boolean leave(Held held, Runnable onLeave) {
        return change("leave a room", held, onLeave, conn -> {
            try (var ps = conn.prepareStatement("DELETE FROM presence_leases WHERE room = ? AND user_id = ?")) {
                ps.setString(1, held.room());
                ps.setString(2, held.userId());
                ps.executeUpdate();
            }
            return deletePresence(conn, held.room(), held.userId());
        });
    }

    /** Removes the presence row as {@code remove} decides, and writes the leave if it did. */
    private boolean change(String what, Held held, Runnable onLeave, Transactions.Work<Boolean> remove) {
        if (shared) {
            return changing(() -> transactions.write(what, conn -> {
                boolean left = remove.run(conn);
                if (left) {
                    onLeave.run();
                }
                return left;
            }));
        }
        boolean left = transactions.write(what, remove);
        if (left) {
            try {
                onLeave.run();
            } catch (RuntimeException e) {
                undo("undo a leave", conn -> insertPresence(conn, held), e);
                throw e;
            }
        }
        return left;
    }

    @Override
    public List<Held> unheld(Instant now, int limit) {
        return transactions.read("find expired presence", conn -> {
            try (var ps = conn.prepareStatement("SELECT p.room, p.user_id, p.user_name, p.user_kind FROM presence p"
                    + " WHERE NOT EXISTS (SELECT 1 FROM presence_leases l WHERE l.room = p.room"
                    + " AND l.user_id = p.user_id AND l.expires_at > ?) LIMIT ?")) {
                ps.setLong(1, now.toEpochMilli());
                ps.setInt(2, limit);
                var result = new ArrayList<Held>();
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        result.add(new Held(rs.getString(1), rs.getString(2),
                                SqlEventLog.user(rs.getString(3), rs.getString(4))));
                    }
                }
                return result;
            }
        });
    }

    @Override
    public List<User> members(String room, int limit) {
        return transactions.read("read members", conn -> {
            try (var ps = conn.prepareStatement(
                    "SELECT user_name, user_kind FROM presence WHERE room = ? ORDER BY user_name LIMIT ?")) {
                ps.setString(1, room);
                ps.setInt(2, limit);
                var result = new ArrayList<User>();
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        result.add(SqlEventLog.user(rs.getString(1), rs.getString(2)));
                    }
                }
                return result;
            }
        });
    }

    @Override
    public Map<String, Integer> counts(Collection<String> rooms) {
        if (rooms.isEmpty()) {
            return Map.of();
        }
        // One query for a whole page of rooms: a page of 500 rooms counted one by one was 500 transactions.
        var sql = "SELECT room, COUNT(*) FROM presence WHERE room IN ("
                + String.join(",", Collections.nCopies(rooms.size(), "?")) + ") GROUP BY room";
        return transactions.read("count members", conn -> {
            try (var ps = conn.prepareStatement(sql)) {
                int i = 1;
                for (var room : rooms) {
                    ps.setString(i++, room);
                }
                var counts = new HashMap<String, Integer>();
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        counts.put(rs.getString(1), rs.getInt(2));
                    }
                }
                return counts;
            }
        });
    }

    @Override
    public int forgetExpired(Instant before) {
        return transactions.write("forget expired presence leases", conn -> {
            try (var ps = conn.prepareStatement("DELETE FROM presence_leases WHERE expires_at < ?")) {
                ps.setLong(1, before.toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    private <T> T changing(java.util.function.Supplier<T> change) {
        try {
            openChanges.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while changing presence", e);
        }
        try {
            return change.get();
        } finally {
            openChanges.release();
        }
    }

    /** Puts back what an event that could not be written was to go with; a failure here is attached to the cause. */
    private void undo(String what, SqlStep step, RuntimeException cause) {
        try {
            transactions.write(what, conn -> {
                step.run(conn);
                return null;
            });
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    @FunctionalInterface
    private interface SqlStep {
        void run(Connection conn) throws SQLException;
    }

    private static void upsertLease(Connection conn, String instance, String room, String userId, Instant expires)
            throws SQLException {
        try (var ps = conn.prepareStatement(UPSERT_LEASE)) {
            ps.setString(1, room);
            ps.setString(2, userId);
            ps.setString(3, instance);
            ps.setLong(4, expires.toEpochMilli());
            ps.executeUpdate();
        }
    }

    private static void deleteLease(Connection conn, String instance, String room, String userId)
            throws SQLException {
        try (var ps = conn.prepareStatement(
                "DELETE FROM presence_leases WHERE room = ? AND user_id = ? AND instance = ?")) {
            ps.setString(1, room);
            ps.setString(2, userId);
            ps.setString(3, instance);
            ps.executeUpdate();
        }
    }

    private static boolean insertPresence(Connection conn, Held held) throws SQLException {
        try (var ps = conn.prepareStatement("INSERT INTO presence (room, user_id, user_name, user_kind)"
                + " VALUES (?, ?, ?, ?) ON CONFLICT (room, user_id) DO NOTHING")) {
            ps.setString(1, held.room());
            ps.setString(2, held.userId());
            ps.setString(3, held.user().name());
            ps.setString(4, held.user().kind().wireName());
            return ps.executeUpdate() > 0;
        }
    }

    private static boolean deletePresence(Connection conn, String room, String userId) throws SQLException {
        try (var ps = conn.prepareStatement("DELETE FROM presence WHERE room = ? AND user_id = ?")) {
            ps.setString(1, room);
            ps.setString(2, userId);
            return ps.executeUpdate() > 0;
        }
    }
}
