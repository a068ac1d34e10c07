package io.consolechat.server.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.consolechat.protocol.Rooms.StreamTicket;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Optional;

/**
 * Stream tickets, for browsers: {@code EventSource} cannot send an {@code Authorization} header, so a client
 * trades its token for a ticket it can put in the stream's URL. A ticket opens one stream (it is gone once
 * used), within {@value #LIFETIME_SECONDS} seconds, and nothing else: it is read-only. Only its SHA-256 is
 * kept, in memory; a server restart forgets tickets, which costs a client one new ticket.
 */
public final class StreamTickets {
    static final long LIFETIME_SECONDS = 60;
    private static final String PREFIX = "st_";
    private static final int TICKET_CHARS = PREFIX.length() + 43;
    private static final int MAX_OPEN = 100_000;

    private record Issued(Session session, Instant expiresAt) {
    }

    private final SecureRandom random = new SecureRandom();
    private final Clock clock;
    // Bounded and self-expiring, so that tickets nobody redeems cannot pile up.
    private final Cache<String, Issued> open = Caffeine.newBuilder()
            .maximumSize(MAX_OPEN)
            .expireAfterWrite(Duration.ofSeconds(LIFETIME_SECONDS + 5))
            .build();

    public StreamTickets(Clock clock) {
        this.clock = clock;
    }

    /** A new ticket for the session's user; streams opened with it end when the session's token is revoked. */
    public StreamTicket issue(Session session) {
        var bytes = new byte[32];
        random.nextBytes(bytes);
        var ticket = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        var expiresAt = clock.instant().plusSeconds(LIFETIME_SECONDS).truncatedTo(ChronoUnit.MILLIS);
        open.put(BearerTokens.hash(ticket), new Issued(session, expiresAt));
        return new StreamTicket(ticket, expiresAt);
    }

    /** The session a ticket was issued to, if it is known and unexpired; the ticket is used up either way. */
    public Optional<Session> redeem(String ticket) {
        if (ticket == null || ticket.length() != TICKET_CHARS || !ticket.startsWith(PREFIX)) {
            return Optional.empty();
        }
        var issued = open.asMap().remove(BearerTokens.hash(ticket));
        if (issued == null || !issued.expiresAt().isAfter(clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(issued.session());
    }
}
