package io.consolechat.protocol;

import java.time.Instant;

/** Bodies of the room endpoints other than the stream. */
public final class Rooms {
    private Rooms() {
    }

    /** {@code POST /room/{room}} body. */
    public record SendRequest(String text) {
    }

    /** One entry of {@code GET /rooms}. */
    public record RoomSummary(String name, int members, long lastSeq, Instant lastActivity) {
    }

    /** {@code POST /room/{room}/leave} answer. */
    public record Ok(boolean ok) {
        public static final Ok OK = new Ok(true);
    }

    /** {@code GET /health} answer. */
    public record Health(String status) {
    }
}
