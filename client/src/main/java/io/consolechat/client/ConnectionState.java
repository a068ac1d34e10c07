package io.consolechat.client;

import java.time.Duration;

/** How a room follower stands with the server, as the status line shows it. */
public sealed interface ConnectionState {
    /** A stream is open; events arrive as they happen. */
    record Connected() implements ConnectionState {
    }

    /** The connection failed; the next attempt comes after {@code delay}. */
    record Reconnecting(Duration delay, String reason) implements ConnectionState {
    }

    /** Following stopped for good: the server refused the token or the request. */
    record Offline(ApiError cause) implements ConnectionState {
    }

    /** The words for a status line. */
    default String describe() {
        return switch (this) {
            case Connected c -> "connected";
            case Reconnecting r -> "reconnecting in " + Math.max(1, (r.delay().toMillis() + 999) / 1000) + "s";
            case Offline o -> "offline";
        };
    }
}
