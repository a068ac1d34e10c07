package io.consolechat.server.store;

import java.time.Instant;
import java.util.Optional;

/** {@link TicketStore} in the {@code stream_tickets} table, with the same SQL on SQLite and PostgreSQL. */
final class SqlTicketStore implements TicketStore {
    private final Transactions transactions;

    SqlTicketStore(Transactions transactions) {
        this.transactions = transactions;
    }

    @Override
    public void issue(String ticketHash, Issued issued) {
        transactions.write("issue a stream ticket", conn -> {
            try (var ps = conn.prepareStatement("INSERT INTO stream_tickets"
                    + " (ticket_hash, user_id, user_name, user_kind, token_hash, expires_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, ticketHash);
                ps.setString(2, issued.userId());
                ps.setString(3, issued.user().name());
                ps.setString(4, issued.user().kind().wireName());
                ps.setString(5, issued.tokenHash());
                ps.setLong(6, issued.expiresAt().toEpochMilli());
                ps.executeUpdate();
            }
            return null;
        });
    }

    /**
     * One statement deletes the row and returns it: of two redemptions at once, the second finds no row to
     * delete (on PostgreSQL it waits for the first's row lock, then sees the row gone), so a ticket is used
     * once. An expired ticket is deleted all the same, and refused.
     */
    @Override
    public Optional<Issued> redeem(String ticketHash, Instant now) {
        var issued = transactions.write("redeem a stream ticket", conn -> {
            try (var ps = conn.prepareStatement("DELETE FROM stream_tickets WHERE ticket_hash = ?"
                    + " RETURNING user_id, user_name, user_kind, token_hash, expires_at")) {
                ps.setString(1, ticketHash);
                try (var rs = ps.executeQuery()) {
                    return rs.next()
                            ? new Issued(rs.getString(1), SqlEventLog.user(rs.getString(2), rs.getString(3)),
                                    rs.getString(4), Instant.ofEpochMilli(rs.getLong(5)))
                            : null;
                }
            }
        });
        return Optional.ofNullable(issued).filter(ticket -> ticket.expiresAt().isAfter(now));
    }

    @Override
    public int deleteExpired(Instant now) {
        return transactions.write("delete expired stream tickets", conn -> {
            try (var ps = conn.prepareStatement("DELETE FROM stream_tickets WHERE expires_at <= ?")) {
                ps.setLong(1, now.toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }
}
