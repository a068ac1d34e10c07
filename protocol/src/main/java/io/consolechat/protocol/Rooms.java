package io.consolechat.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

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

    /** Who may enter a room: everyone, who knows the key, who is invited, or who is invited and knows the key. */
    public enum Access {
        OPEN, KEY, INVITE, INVITE_AND_KEY;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public boolean needsKey() {
            return this == KEY || this == INVITE_AND_KEY;
        }

        public boolean needsInvitation() {
            return this == INVITE || this == INVITE_AND_KEY;
        }

        public static Access of(String wireName) {
            return valueOf(wireName.toUpperCase(Locale.ROOT));
        }
    }

    /** {@code PUT /room/{room}} body: each field optional on an update. */
    public record RoomRequest(Access access, String key, String topic) {
    }

    /** {@code GET /room/{room}/info}, and the answer to {@code PUT /room/{room}}. No owner: the room is unclaimed. */
    @JsonPropertyOrder({"name", "access", "topic", "owner", "operators", "lastSeq"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RoomInfo(String name, Access access, String topic, User owner, List<User> operators, long lastSeq) {
    }

    /** {@code POST /room/{room}/join} body. */
    public record JoinRequest(String key) {
    }

    /** Body naming a user: invitations and operators. */
    public record UserRequest(String user) {
    }

    /** {@code POST /room/{room}/kick} body. */
    public record KickRequest(String user, String reason) {
    }

    /** {@code POST /room/{room}/bans} body; no {@code minutes}: until lifted. */
    public record BanRequest(String user, Long minutes, String reason) {
    }

    /** One entry of {@code GET /room/{room}/bans}; no {@code until}: until lifted. */
    @JsonPropertyOrder({"user", "by", "at", "until", "reason"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Ban(User user, User by, Instant at, Instant until, String reason) {
    }
}
