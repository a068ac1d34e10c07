package io.consolechat.server.http;

import io.javalin.http.Context;
import java.util.Collections;

/**
 * Which address a request comes from, the key of the per-address limits. Without a trusted proxy it is
 * the socket's peer. Behind one trusted reverse proxy it is the last {@code X-Forwarded-For} entry: the
 * proxy appends the address it saw, while every entry before it is whatever the client chose to send.
 */
final class ClientAddress {
    /** Longer than any IPv6 address with a zone; anything longer is not an address a proxy wrote. */
    private static final int MAX_LENGTH = 64;

    private final boolean trustProxy;

    ClientAddress(boolean trustProxy) {
        this.trustProxy = trustProxy;
    }

    String of(Context ctx) {
        var peer = ctx.req().getRemoteAddr();
        if (!trustProxy) {
            return peer;
        }
        var headers = Collections.list(ctx.req().getHeaders("X-Forwarded-For"));
        if (headers.isEmpty()) {
            return peer;
        }
        var last = headers.getLast();
        var entry = last.substring(last.lastIndexOf(',') + 1).strip();
        return entry.isEmpty() || entry.length() > MAX_LENGTH ? peer : entry;
    }
}
