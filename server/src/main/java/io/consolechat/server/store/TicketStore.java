package io.consolechat.server.store;

import io.consolechat.protocol.User;
import java.time.Instant;
import java.util.Optional;

/**
 * Stream tickets, by the hash of each, kept where every server on the database finds them: a ticket issued by
 * one server may be redeemed on another, and only once across all of them.
 */
public interface TicketStore {

    /** The session a ticket was issued to (its user and the hash of its token), and when the ticket expires. */
    record Issued(String userId, User user, String tokenHash, Instant expiresAt) {
    }

    /** Keeps a new ticket under its hash. */
    void issue(String ticketHash, Issued issued);

    /**
     * Removes the ticket and returns what it was issued for if it had not expired at {@code now}. A ticket is
     * gone after its first redemption, whatever the answer: of two redemptions at once, on one server or
     * several, at most one gets it.
     */
    Optional<Issued> redeem(String ticketHash, Instant now);

    /** Removes the tickets expired at {@code now}, which nobody redeemed; returns how many. */
    int deleteExpired(Instant now);
}
