package io.consolechat.server.store;

import io.consolechat.protocol.Names;
import io.consolechat.protocol.UserKind;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/** Users and tokens in portable SQL. */
final class SqlAccountStore implements AccountStore {
    private static final String USER_COLUMNS = "id, name, kind, password_hash";
    private static final int TOKENS_PER_QUERY = 500;

    private final Transactions transactions;
    private final PostgresNotifications notifications;
    private final CommitNotice notice;

    /** {@code notifications}: the other servers on the same PostgreSQL database; null when there are none. */
    SqlAccountStore(Transactions transactions, PostgresNotifications notifications) {
        this.transactions = transactions;
        this.notifications = notifications;
        this.notice = notifications == null ? CommitNotice.NONE : notifications;
    }

    @Override
    public Optional<StoredUser> userByName(String name) {
        return transactions.read("find a user", conn -> userByKey(conn, Names.userKey(name)));
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
        return transactions.read("check tokens", conn -> hasLiveToken(conn, userId, now));
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
        return transactions.write("create a user", conn -> {
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
            // Another server may claim the same name at the same moment (PostgreSQL does not serialise the check
            // above): whoever inserts first has it, the other finds it taken.
            try (var ps = conn.prepareStatement("INSERT INTO users (id, name, name_key, kind, password_hash, "
                    + "created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (name_key) DO NOTHING")) {
                ps.setString(1, user.id());
                ps.setString(2, user.name());
                ps.setString(3, Names.userKey(user.name()));
                ps.setString(4, user.kind().wireName());
                ps.setString(5, user.passwordHash());
                ps.setLong(6, token.createdAt().toEpochMilli());
                if (ps.executeUpdate() == 0) {
                    return Claim.TAKEN;
                }
            }
            insertToken(conn, user.id(), token);
            return Claim.CLAIMED;
        });
    }

    @Override
    public void insertToken(String userId, NewToken token) {
        transactions.write("store a token", conn -> {
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
        return transactions.read("check a token", conn -> {
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
        return transactions.write("revoke a token", conn -> {
            try (var ps = conn.prepareStatement("DELETE FROM tokens WHERE token_hash = ?")) {
                ps.setString(1, tokenHash);
                boolean existed = ps.executeUpdate() > 0;
                if (existed) {
                    notice.revoked(conn, tokenHash);
                }
                return existed;
            }
        });
    }

    @Override
    public void onRevokedElsewhere(Consumer<String> revoked) {
        if (notifications != null) {
            notifications.onRevoked(revoked);
        }
    }

    @Override
    public void onRevocationsMissed(Runnable missed) {
        if (notifications != null) {
            notifications.onAnnouncementsMissed(missed);
        }
    }

    @Override
    public Set<String> existingTokens(Collection<String> tokenHashes) {
        if (tokenHashes.isEmpty()) {
            return Set.of();
        }
        var hashes = List.copyOf(tokenHashes);
        return transactions.read("check tokens", conn -> {
            var existing = new HashSet<String>();
            // In pieces: SQLite takes at most 999 parameters in a statement (older builds), PostgreSQL 65,535.
            for (int from = 0; from < hashes.size(); from += TOKENS_PER_QUERY) {
                var piece = hashes.subList(from, Math.min(hashes.size(), from + TOKENS_PER_QUERY));
                try (var ps = conn.prepareStatement("SELECT token_hash FROM tokens WHERE token_hash IN ("
                        + String.join(",", Collections.nCopies(piece.size(), "?")) + ")")) {
                    for (int i = 0; i < piece.size(); i++) {
                        ps.setString(i + 1, piece.get(i));
                    }
                    try (var rs = ps.executeQuery()) {
                        while (rs.next()) {
                            existing.add(rs.getString(1));
                        }
                    }
                }
            }
            return existing;
        });
    }

    @Override
    public int deleteExpiredTokens(Instant now) {
        return transactions.write("remove expired tokens", conn -> {
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

    @Override
    public boolean isAdmin(String name) {
        return transactions.read("check an admin", conn -> {
            try (var ps = conn.prepareStatement("SELECT admin FROM users WHERE name_key = ?")) {
                ps.setString(1, Names.userKey(name));
                try (var rs = ps.executeQuery()) {
                    return rs.next() && rs.getBoolean(1);
                }
            }
        });
    }

    @Override
    public boolean setAdmin(String name, boolean admin) {
        return transactions.write("change an admin", conn -> {
            try (var ps = conn.prepareStatement("UPDATE users SET admin = ? WHERE name_key = ?")) {
                ps.setBoolean(1, admin);
                ps.setString(2, Names.userKey(name));
                return ps.executeUpdate() > 0;
            }
        });
    }

    @Override
    public List<UserRow> users() {
        return transactions.read("list users", conn -> {
            try (var ps = conn.prepareStatement("SELECT u.name, u.kind, u.admin, u.created_at, u.banned_until, "
                    + "(SELECT MAX(t.created_at) FROM tokens t WHERE t.user_id = u.id) AS last_seen "
                    + "FROM users u ORDER BY u.name_key");
                 var rs = ps.executeQuery()) {
                var users = new ArrayList<UserRow>();
                while (rs.next()) {
                    var user = SqlEventLog.user(rs.getString("name"), rs.getString("kind"));
                    users.add(new UserRow(user, rs.getBoolean("admin"), Instant.ofEpochMilli(rs.getLong("created_at")),
                            optionalTime(rs, "last_seen"), optionalTime(rs, "banned_until")));
                }
                return users;
            }
        });
    }

    private static Instant optionalTime(ResultSet rs, String column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? null : millis == Long.MAX_VALUE ? Instant.MAX : Instant.ofEpochMilli(millis);
    }

    @Override
    public boolean banUser(String name, Instant until, String reason) {
        return transactions.write("ban a user", conn -> {
            var user = userByKey(conn, Names.userKey(name));
            if (user.isEmpty()) {
                return false;
            }
            try (var ps = conn.prepareStatement("UPDATE users SET banned_until = ?, ban_reason = ? WHERE id = ?")) {
                ps.setLong(1, until.equals(Instant.MAX) ? Long.MAX_VALUE : until.toEpochMilli());
                ps.setString(2, reason);
                ps.setString(3, user.get().id());
                ps.executeUpdate();
            }
            try (var ps = conn.prepareStatement("DELETE FROM tokens WHERE user_id = ?")) {
                ps.setString(1, user.get().id());
                ps.executeUpdate();
            }
            return true;
        });
    }

    @Override
    public boolean unbanUser(String name) {
        return transactions.write("unban a user", conn -> {
            try (var ps = conn.prepareStatement("UPDATE users SET banned_until = NULL, ban_reason = NULL "
                    + "WHERE name_key = ? AND banned_until IS NOT NULL")) {
                ps.setString(1, Names.userKey(name));
                return ps.executeUpdate() > 0;
            }
        });
    }

    @Override
    public Optional<Instant> bannedUntil(String name, Instant now) {
        return transactions.read("check a ban", conn -> {
            try (var ps = conn.prepareStatement("SELECT banned_until FROM users WHERE name_key = ? AND banned_until > ?")) {
                ps.setString(1, Names.userKey(name));
                ps.setLong(2, now.toEpochMilli());
                try (var rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(optionalTime(rs, "banned_until")) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<String> bannedUsers(Instant now) {
        return transactions.read("list banned users", conn -> {
            try (var ps = conn.prepareStatement("SELECT name FROM users WHERE banned_until > ?")) {
                ps.setLong(1, now.toEpochMilli());
                try (var rs = ps.executeQuery()) {
                    var names = new ArrayList<String>();
                    while (rs.next()) {
                        names.add(rs.getString(1));
                    }
                    return names;
                }
            }
        });
    }

    @Override
    public boolean deleteUser(String name) {
        return transactions.write("delete a user", conn -> {
            var user = userByKey(conn, Names.userKey(name));
            if (user.isEmpty()) {
                return false;
            }
            try (var ps = conn.prepareStatement("DELETE FROM tokens WHERE user_id = ?")) {
                ps.setString(1, user.get().id());
                ps.executeUpdate();
            }
            try (var ps = conn.prepareStatement("DELETE FROM users WHERE id = ?")) {
                ps.setString(1, user.get().id());
                ps.executeUpdate();
            }
            return true;
        });
    }
}
