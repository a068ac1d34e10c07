package io.consolechat.server.store;

import java.time.Instant;
import java.util.function.IntFunction;

/** {@link LoginFailureStore} in the {@code login_failures} table. */
final class SqlLoginFailureStore implements LoginFailureStore {
    private final Transactions transactions;

    SqlLoginFailureStore(Transactions transactions) {
        this.transactions = transactions;
    }

    @Override
    public Failures get(String scope, String key, Instant now) {
        return transactions.read("read login failures", conn -> {
            try (var ps = conn.prepareStatement("SELECT failures, blocked_until FROM login_failures"
                    + " WHERE scope = ? AND failure_key = ? AND forget_at > ?")) {
                ps.setString(1, scope);
                ps.setString(2, key);
                ps.setLong(3, now.toEpochMilli());
                try (var rs = ps.executeQuery()) {
                    return rs.next() ? new Failures(rs.getInt(1), Instant.ofEpochMilli(rs.getLong(2))) : null;
                }
            }
        });
    }

    /** The increment takes the row's lock, so two servers counting at once make two failures, not one. */
    @Override
    public Failures failed(String scope, String key, Instant now, IntFunction<Instant> blockedUntil,
                           Instant forgetAt) {
        return transactions.write("count a failed login", conn -> {
            int count;
            try (var ps = conn.prepareStatement("INSERT INTO login_failures"
                    + " (scope, failure_key, failures, blocked_until, forget_at) VALUES (?, ?, 1, 0, ?)"
                    + " ON CONFLICT (scope, failure_key) DO UPDATE SET failures ="
                    + " CASE WHEN login_failures.forget_at <= ? THEN 1 ELSE login_failures.failures + 1 END"
                    + " RETURNING failures")) {
                ps.setString(1, scope);
                ps.setString(2, key);
                ps.setLong(3, forgetAt.toEpochMilli());
                ps.setLong(4, now.toEpochMilli());
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    count = rs.getInt(1);
                }
            }
            var until = blockedUntil.apply(count);
            try (var ps = conn.prepareStatement("UPDATE login_failures SET blocked_until = ?, forget_at = ?"
                    + " WHERE scope = ? AND failure_key = ?")) {
                ps.setLong(1, until.toEpochMilli());
                ps.setLong(2, forgetAt.toEpochMilli());
                ps.setString(3, scope);
                ps.setString(4, key);
                ps.executeUpdate();
            }
            return new Failures(count, until);
        });
    }

    @Override
    public void clear(String scope, String key) {
        transactions.write("clear login failures", conn -> {
            try (var ps = conn.prepareStatement("DELETE FROM login_failures WHERE scope = ? AND failure_key = ?")) {
                ps.setString(1, scope);
                ps.setString(2, key);
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public int forgetOld(Instant now) {
        return transactions.write("forget old login failures", conn -> {
            try (var ps = conn.prepareStatement("DELETE FROM login_failures WHERE forget_at <= ?")) {
                ps.setLong(1, now.toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }
}
