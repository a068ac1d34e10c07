package io.consolechat.server.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;

/** {@link StreamCountStore} in the {@code stream_counts} and {@code stream_instances} tables. */
final class SqlStreamCountStore implements StreamCountStore {
    private static final String USER = "user";
    private static final String ADDRESS = "address";

    private final Transactions transactions;

    SqlStreamCountStore(Transactions transactions) {
        this.transactions = transactions;
    }

    @Override
    public Counts others(String instance, String userId, String address, Instant now) {
        return transactions.read("count open streams", conn -> {
            try (var ps = conn.prepareStatement("SELECT c.scope, SUM(c.streams) FROM stream_counts c"
                    + " JOIN stream_instances i ON i.instance = c.instance"
                    + " WHERE i.expires_at > ? AND c.instance <> ?"
                    + " AND ((c.scope = ? AND c.count_key = ?) OR (c.scope = ? AND c.count_key = ?))"
                    + " GROUP BY c.scope")) {
                ps.setLong(1, now.toEpochMilli());
                ps.setString(2, instance);
                ps.setString(3, USER);
                ps.setString(4, userId);
                ps.setString(5, ADDRESS);
                ps.setString(6, address);
                int user = 0;
                int byAddress = 0;
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (rs.getString(1).equals(USER)) {
                            user = rs.getInt(2);
                        } else {
                            byAddress = rs.getInt(2);
                        }
                    }
                }
                return new Counts(user, byAddress);
            }
        });
    }

    @Override
    public void publish(String instance, Map<String, Integer> users, Map<String, Integer> addresses,
                        Instant expires) {
        transactions.write("publish open stream counts", conn -> {
            try (var ps = conn.prepareStatement("INSERT INTO stream_instances (instance, expires_at) VALUES (?, ?)"
                    + " ON CONFLICT (instance) DO UPDATE SET expires_at = excluded.expires_at")) {
                ps.setString(1, instance);
                ps.setLong(2, expires.toEpochMilli());
                ps.executeUpdate();
            }
            if (!users.isEmpty() || !addresses.isEmpty()) {
                setCounts(conn, instance, USER, users);
                setCounts(conn, instance, ADDRESS, addresses);
            }
            return null;
        });
    }

    private static void setCounts(Connection conn, String instance, String scope, Map<String, Integer> counts)
            throws SQLException {
        try (var upsert = conn.prepareStatement("INSERT INTO stream_counts (scope, count_key, instance, streams)"
                + " VALUES (?, ?, ?, ?) ON CONFLICT (scope, count_key, instance) DO UPDATE SET streams = excluded.streams");
             var delete = conn.prepareStatement(
                     "DELETE FROM stream_counts WHERE scope = ? AND count_key = ? AND instance = ?")) {
            boolean upserts = false;
            boolean deletes = false;
            for (var entry : counts.entrySet()) {
                if (entry.getValue() > 0) {
                    upsert.setString(1, scope);
                    upsert.setString(2, entry.getKey());
                    upsert.setString(3, instance);
                    upsert.setInt(4, entry.getValue());
                    upsert.addBatch();
                    upserts = true;
                } else {
                    delete.setString(1, scope);
                    delete.setString(2, entry.getKey());
                    delete.setString(3, instance);
                    delete.addBatch();
                    deletes = true;
                }
            }
            if (upserts) {
                upsert.executeBatch();
            }
            if (deletes) {
                delete.executeBatch();
            }
        }
    }

    @Override
    public void withdraw(String instance) {
        transactions.write("withdraw open stream counts", conn -> {
            try (var counts = conn.prepareStatement("DELETE FROM stream_counts WHERE instance = ?");
                 var lease = conn.prepareStatement("DELETE FROM stream_instances WHERE instance = ?")) {
                counts.setString(1, instance);
                counts.executeUpdate();
                lease.setString(1, instance);
                lease.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public int forgetExpired(Instant before) {
        return transactions.write("forget the stream counts of stopped servers", conn -> {
            try (var counts = conn.prepareStatement("DELETE FROM stream_counts WHERE instance IN"
                    + " (SELECT instance FROM stream_instances WHERE expires_at < ?)");
                 var leases = conn.prepareStatement("DELETE FROM stream_instances WHERE expires_at < ?")) {
                counts.setLong(1, before.toEpochMilli());
                counts.executeUpdate();
                leases.setLong(1, before.toEpochMilli());
                return leases.executeUpdate();
            }
        });
    }
}
