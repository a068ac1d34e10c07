package io.consolechat.server.http;

import io.consolechat.protocol.ErrorCode;
import io.consolechat.protocol.User;
import io.consolechat.server.auth.BearerTokens;
import io.consolechat.server.auth.Session;
import io.consolechat.server.auth.StreamTickets;
import io.consolechat.server.error.Refused;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.Locale;

/**
 * Turns the {@code Authorization: Bearer <token>} header (or, on streams only, a {@code ?ticket=}) into a
 * session, or refuses with 401.
 */
final class Authenticator {
    private static final String SCHEME = "bearer ";

    private final BearerTokens tokens;
    private final StreamTickets tickets;
    private final Clock clock;

    Authenticator(BearerTokens tokens, StreamTickets tickets, Clock clock) {
        this.tokens = tokens;
        this.tickets = tickets;
        this.clock = clock;
    }

    /**
     * The user of a stream request: from {@code ?ticket=} (single-use, see {@link StreamTickets}) when the
     * request has one, else from the bearer token.
     */
    Session requireForStream(Context ctx) {
        var ticket = ctx.queryParam("ticket");
        if (ticket == null) {
            return require(ctx);
        }
        return tickets.redeem(ticket).orElseThrow(() ->
                new Refused(ErrorCode.UNAUTHORIZED, "the ticket is unknown, used or expired"));
    }

    Session require(Context ctx) {
        var header = ctx.header("Authorization");
        if (header == null || header.length() <= SCHEME.length()
                || !header.substring(0, SCHEME.length()).toLowerCase(Locale.ROOT).equals(SCHEME)) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw new Refused(ErrorCode.UNAUTHORIZED, "this needs an Authorization: Bearer <token> header");
        }
        var token = header.substring(SCHEME.length()).strip();
        return tokens.session(token, clock.instant()).orElseThrow(() -> {
            ctx.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            return new Refused(ErrorCode.UNAUTHORIZED, "the token is unknown, expired or revoked");
        });
    }
}
