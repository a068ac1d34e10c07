package io.consolechat.server.auth;

import io.consolechat.protocol.Rooms.StreamTicket;
import io.consolechat.server.store.TicketStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Optional;

/**
 * Stream tickets, for browsers: {@code EventSource} cannot send an {@code Authorization} header, so a client
 * trades its token for a ticket it can put in the stream's URL. A ticket opens one stream (it is gone once
 * used), within {@value #LIFETIME_SECONDS} seconds, and nothing else: it is read-only. Only its SHA-256 is
 * kept, in the database, so that behind a load balancer the stream may open on any server on it, not only
 * on the one that issued the ticket. A ticket is only as good as the token it was issued for: one whose
 * token was revoked (or lapsed) meanwhile is refused, and the streams it opens end when that token is revoked.
 */
public final class StreamTickets {
    static final long LIFETIME_SECONDS = 60;
    private static final String PREFIX = "st_";
    private static final int TICKET_CHARS = PREFIX.length() + 43;

    private final SecureRandom random = new SecureRandom();
    private final TicketStore store;
    private final BearerTokens tokens;
    private final Clock clock;

    public StreamTickets(TicketStore store, BearerTokens tokens, Clock clock) {
        this.store = store;
        this.tokens = tokens;
        this.clock = clock;
    }

    /** A new ticket for the session's user; streams opened with it end when the session's token is revoked. */
    public StreamTicket issue(Session session) {
        var bytes = new byte[32];
        random.nextBytes(bytes);
        var ticket = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        var expiresAt = clock.instant().plusSeconds(LIFETIME_SECONDS).truncatedTo(ChronoUnit.MILLIS);
        store.issue(BearerTokens.hash(ticket),
                new TicketStore.Issued(session.userId(), session.user(), session.tokenHash(), expiresAt));
        return new StreamTicket(ticket, expiresAt);
    }

    /**
     * The session a ticket was issued to, if it is known and unexpired and the session's token is still
     * stored; the ticket is used up either way. A malformed ticket costs no database round trip.
     */
    public Optional<Session> redeem(String ticket) {
        if (ticket == null || ticket.length() != TICKET_CHARS || !ticket.startsWith(PREFIX)) {
            return Optional.empty();
        }
        var now = clock.instant();
        return store.redeem(BearerTokens.hash(ticket), now)
                .filter(issued -> tokens.isStored(issued.tokenHash(), now))
                .map(issued -> new Session(issued.userId(), issued.user(), issued.tokenHash()));
    }

    /** Deletes the tickets that expired unused: they would otherwise stay in the database for good. */
    public int deleteExpired() {
        return store.deleteExpired(clock.instant());
    }
}
