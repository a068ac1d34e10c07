package io.consolechat.server.store;

import io.consolechat.protocol.Event;
import io.consolechat.protocol.EventType;
import io.consolechat.protocol.User;
import io.consolechat.protocol.UserKind;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import javax.sql.DataSource;
import io.consolechat.protocol.Names;

/** The store in portable SQL over a JDBC data source; {@link Database} opens the embedded SQLite one. */
public final class SqlStore implements Store {
    private static final String EVENT_COLUMNS = "room, seq, type, at, from_name, from_kind, text";
    private static final String USER_COLUMNS = "id, name, kind, password_hash";

    private final DataSource dataSource;
    private final EventWriter writer;

    public SqlStore(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.writer = new EventWriter(dataSource, clock, 10_000);
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection conn) throws SQLException;
    }

    private <T> T read(String what, Work<T> work) {
        try (var conn = dataSource.getConnection()) {
            return work.run(conn);
        } catch (SQLException e) {
            throw new StoreException("could not " + what, e);
        }
    }

    private <T> T inTransaction(String what, Work<T> work) {
        try (var conn = dataSource.getConnection()) {
            conn.setAutoCommit(false);
            try {
                var result = work.run(conn);
                conn.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                conn.rollback();
                throw e;
            } finally {
                conn.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("could not " + what, e);
        }
    }

    // --- users and tokens

    @Override
    public Optional<StoredUser> userByName(String name) {
        return read("find a user", conn -> userByKey(conn, Names.userKey(name)));
    }

    private static Optional<StoredUser> userByKey(Connection conn, String key) throws SQLException {
        try (var ps = conn.prepareStatement("SELECT " + USER_COLUMNS + " FROM users WHERE name_key = ?")) {
            ps.setString(1, key);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(user(rs)) : Optional.empty();
            }
        }
    }

    private static StoredUser user(ResultSet rs) throws SQLException {
        return new StoredUser(rs.getString("id"), rs.getString("name"),
                UserKind.valueOf(rs.getString("kind").toUpperCase(Locale.ROOT)), rs.getString("password_hash"));
    }

    @Override
    public boolean hasLiveToken(String userId, Instant now) {
        return read("check tokens", conn -> hasLiveToken(conn, userId, now));
    }

    private static boolean hasLiveToken(Connection conn, String userId, Instant now) throws SQLException {
        try (var ps = conn.prepareStatement("SELECT 1 FROM tokens WHERE user_id = ? AND expires_at > ?")) {
            ps.setString(1, userId);
            ps.setLong(2, now.toEpochMilli());
            try (var rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    @Override
    public Claim claimName(StoredUser user, NewToken token) {
        return inTransaction("create a user", conn -> {
            var existing = userByKey(conn, Names.userKey(user.name()));
            if (existing.isPresent()) {
                var held = existing.get();
                if (held.kind() == UserKind.REGISTERED || hasLiveToken(conn, held.id(), token.createdAt())) {
                    return Claim.TAKEN;
                }
                try (var ps = conn.prepareStatement("DELETE FROM tokens WHERE user_id = ?")) {
                    ps.setString(1, held.id());
                    ps.executeUpdate();
                }
                try (var ps = conn.prepareStatement("DELETE FROM users WHERE id = ?")) {
                    ps.setString(1, held.id());
                    ps.executeUpdate();
                }
            }
            try (var ps = conn.prepareStatement(
                    "INSERT INTO users (id, name, name_key, kind, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, user.id());
                ps.setString(2, user.name());
                ps.setString(3, Names.userKey(user.name()));
                ps.setString(4, user.kind().wireName());
                ps.setString(5, user.passwordHash());
                ps.setLong(6, token.createdAt().toEpochMilli());
                ps.executeUpdate();
            }
            insertToken(conn, user.id(), token);
            return Claim.CLAIMED;
        });
    }

    @Override
    public void insertToken(String userId, NewToken token) {
        inTransaction("store a token", conn -> {
            insertToken(conn, userId, token);
            return null;
        });
    }

    private static void insertToken(Connection conn, String userId, NewToken token) throws SQLException {
        try (var ps = conn.prepareStatement(
                "INSERT INTO tokens (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, token.hash());
            ps.setString(2, userId);
            ps.setLong(3, token.createdAt().toEpochMilli());
            ps.setLong(4, token.expiresAt().toEpochMilli());
            ps.executeUpdate();
        }
    }

    @Override
    public Optional<TokenOwner> tokenOwner(String tokenHash, Instant now) {
        return read("check a token", conn -> {
            try (var ps = conn.prepareStatement("SELECT u.id, u.name, u.kind, u.password_hash, t.expires_at "
                    + "FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ? AND t.expires_at > ?")) {
                ps.setString(1, tokenHash);
                ps.setLong(2, now.toEpochMilli());
                try (var rs = ps.executeQuery()) {
                    return rs.next()
                            ? Optional.of(new TokenOwner(user(rs), Instant.ofEpochMilli(rs.getLong("expires_at"))))
                            : Optional.empty();
                }
            }
        });
    }

    @Override
    public boolean deleteToken(String tokenHash) {
        return inTransaction("revoke a token", conn -> {
            try (var ps = conn.prepareStatement("DELETE FROM tokens WHERE token_hash = ?")) {
                ps.setString(1, tokenHash);
                return ps.executeUpdate() > 0;
            }
        });
    }

    @Override
    public int deleteExpiredTokens(Instant now) {
        return inTransaction("remove expired tokens", conn -> {
            int removed;
            try (var ps = conn.prepareStatement("DELETE FROM tokens WHERE expires_at <= ?")) {
                ps.setLong(1, now.toEpochMilli());
                removed = ps.executeUpdate();
            }
            try (var ps = conn.prepareStatement("DELETE FROM users WHERE kind <> 'registered' "
                    + "AND NOT EXISTS (SELECT 1 FROM tokens t WHERE t.user_id = users.id)")) {
                ps.executeUpdate();
            }
            return removed;
        });
    }

    // --- events

    @Override
    public CompletableFuture<Event> append(String room, EventType type, User from, String text) {
        return writer.append(room, type, from, text);
    }

    @Override
    public void onAppended(Consumer<List<Event>> listener) {
        writer.onAppended(listener);
    }

    @Override
    public List<Event> eventsAfter(String room, long after, int limit) {
        return read("read events", conn -> {
            try (var ps = conn.prepareStatement("SELECT " + EVENT_COLUMNS
                    + " FROM events WHERE room = ? AND seq > ? ORDER BY seq LIMIT ?")) {
                ps.setString(1, room);
                ps.setLong(2, after);
                ps.setInt(3, limit);
                return events(ps.executeQuery());
            }
        });
    }

    @Override
    public List<Event> eventsBefore(String room, long before, int limit) {
        return read("read events", conn -> {
            try (var ps = conn.prepareStatement("SELECT " + EVENT_COLUMNS
                    + " FROM events WHERE room = ? AND seq < ? ORDER BY seq DESC LIMIT ?")) {
                ps.setString(1, room);
                ps.setLong(2, before);
                ps.setInt(3, limit);
                var events = events(ps.executeQuery());
                Collections.reverse(events);
                return events;
            }
        });
    }

    private static List<Event> events(ResultSet rs) throws SQLException {
        try (rs) {
            var events = new ArrayList<Event>();
            while (rs.next()) {
                var from = new User(rs.getString("from_name"),
                        UserKind.valueOf(rs.getString("from_kind").toUpperCase(Locale.ROOT)));
                events.add(new Event(EventType.valueOf(rs.getString("type").toUpperCase(Locale.ROOT)),
                        rs.getString("room"), rs.getLong("seq"), Instant.ofEpochMilli(rs.getLong("at")), from,
                        rs.getString("text")));
            }
            return events;
        }
    }

    @Override
    public long lastSeq(String room) {
        return read("read a room", conn -> {
            try (var ps = conn.prepareStatement("SELECT last_seq FROM rooms WHERE name = ?")) {
                ps.setString(1, room);
                try (var rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
    }

    @Override
    public List<RoomRow> rooms() {
        return read("list rooms", conn -> {
            try (var ps = conn.prepareStatement(
                    "SELECT name, last_seq, last_activity FROM rooms ORDER BY last_activity DESC, name");
                 var rs = ps.executeQuery()) {
                var rooms = new ArrayList<RoomRow>();
                while (rs.next()) {
                    rooms.add(new RoomRow(rs.getString(1), rs.getLong(2), Instant.ofEpochMilli(rs.getLong(3))));
                }
                return rooms;
            }
        });
    }

    @Override
    public void close() {
        writer.close();
    }
}
