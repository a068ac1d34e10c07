package io.consolechat.server.store;

/** The block list in portable SQL. */
final class SqlBlockList implements BlockList {
    private final Transactions transactions;

    SqlBlockList(Transactions transactions) {
        this.transactions = transactions;
    }

    @Override
    public void block(String userKey, String blockedKey) {
        transactions.write("block a user", conn -> {
            try (var ps = conn.prepareStatement(
                    "INSERT INTO blocks (user_key, blocked_key) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
                ps.setString(1, userKey);
                ps.setString(2, blockedKey);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public boolean unblock(String userKey, String blockedKey) {
        return transactions.write("unblock a user", conn -> {
            try (var ps = conn.prepareStatement("DELETE FROM blocks WHERE user_key = ? AND blocked_key = ?")) {
                ps.setString(1, userKey);
                ps.setString(2, blockedKey);
                return ps.executeUpdate() > 0;
            }
        });
    }

    @Override
    public boolean blocks(String userKey, String blockedKey) {
        return transactions.read("read blocks", conn -> {
            try (var ps = conn.prepareStatement("SELECT 1 FROM blocks WHERE user_key = ? AND blocked_key = ?")) {
                ps.setString(1, userKey);
                ps.setString(2, blockedKey);
                try (var rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }
}
