package io.consolechat.server.http;

import io.consolechat.protocol.Names;
import io.consolechat.protocol.User;
import io.consolechat.server.auth.Session;
import io.consolechat.server.config.ServerConfig;
import io.consolechat.server.limit.RateLimit;
import io.consolechat.server.limit.RateLimits;
import io.consolechat.server.limit.StreamSlots;
import io.javalin.http.Context;

/**
 * The abuse limits the routes apply before doing any work: sending rate per user, new tokens per
 * address, open streams per user and address. Each refusal is a 429 {@code rate_limited}. (Password
 * guessing is limited where passwords are checked, in {@code auth}.)
 */
public final class Guards {
    private final ClientAddress addresses;
    private final RateLimit sends;
    private final RateLimit tokens;
    private final StreamSlots streams;
    private final ResponseBudget responses;

    public Guards(ServerConfig.Limits limits, boolean trustProxy, RateLimits rates, StreamSlots streams) {
        this.addresses = new ClientAddress(trustProxy);
        this.sends = rates.limit("send", limits.send, "messages");
        this.tokens = rates.limit("tokens", limits.tokens, "logins and new sessions from your address");
        this.streams = streams;
        this.responses = new ResponseBudget(limits.responseBytes, limits.responseWait);
    }

    String address(Context ctx) {
        return addresses.of(ctx);
    }

    void send(User user) {
        sends.take(Names.userKey(user.name()));
    }

    /** Before any login or new session, each of which may mint a token. */
    void newToken(Context ctx) {
        tokens.take(address(ctx));
    }

    /** The memory shared by answers built whole before they are sent. */
    ResponseBudget responses() {
        return responses;
    }

    StreamSlots.Slot openStream(Context ctx, Session session) {
        return streams.open(session.userId(), address(ctx));
    }
}
