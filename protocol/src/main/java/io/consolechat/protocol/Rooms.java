package io.consolechat.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/** Bodies of the room endpoints other than the stream. */
public final class Rooms {
    private Rooms() {
    }

    /** {@code POST /room/{room}} and {@code POST /dm/{user}} body; {@code action} is true for an action ({@code /me}), absent otherwise. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SendRequest(String text, Boolean action) {
        // Not a creator: Jackson would otherwise read a bare JSON string ("hi") as a send request.
        @JsonCreator(mode = JsonCreator.Mode.DISABLED)
        public SendRequest(String text) {
            this(text, null);
        }
    }

    /** {@code POST /me/blocks} body. */
    public record BlockRequest(String user) {
    }

    /** {@code POST /stream-ticket} answer. */
    public record StreamTicket(String ticket, Instant expiresAt) {
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
