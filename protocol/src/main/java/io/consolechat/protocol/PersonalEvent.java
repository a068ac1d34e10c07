package io.consolechat.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One item of a user's personal stream: something that concerns them, wherever it happened. {@code id} is its
 * number in that user's stream (from 1, without gaps), the cursor {@code since} takes. {@code room} and
 * {@code seq} say where it happened ({@code seq} for messages: a direct message or a mention); {@code text}
 * and {@code action} are the message's.
 */
@JsonPropertyOrder({"type", "id", "room", "seq", "at", "from", "text", "action"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PersonalEvent(@JsonProperty("type") Kind kind, long id, String room, Long seq, Instant at, User from,
                            String text, Boolean action) implements StreamItem {

    /** What happened to the user. */
    public enum Kind {
        /** A direct message to the user. */
        DM,
        /** A message in a room that names the user as {@code @name}. */
        MENTION,
        /** An invitation to a room. */
        INVITE,
        /** The user was removed from a room. */
        KICK,
        /** The user was banned from a room. */
        BAN;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Kind> of(String wireName) {
            return Arrays.stream(values()).filter(k -> k.wireName().equals(wireName)).findFirst();
        }
    }

    public PersonalEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(from, "from");
        if (id < 1) {
            throw new IllegalArgumentException("id starts at 1");
        }
        action = Boolean.TRUE.equals(action) ? Boolean.TRUE : null;
    }

    /** The item for a message (a direct message or a mention), before the personal stream numbers it. */
    public static PersonalEvent about(Kind kind, Event message) {
        return new PersonalEvent(kind, 1, message.room(), message.seq(), message.at(), message.from(), message.text(),
                message.action());
    }

    /**
     * The item for something a user did concerning this user in a room, without a message (an invitation,
     * a kick, a ban), before the personal stream numbers it.
     */
    public static PersonalEvent concerning(Kind kind, String room, User from, Instant at) {
        return new PersonalEvent(kind, 1, room, null, at, from, null, null);
    }

    /** The same item with its number in the user's stream. */
    public PersonalEvent withId(long newId) {
        return new PersonalEvent(kind, newId, room, seq, at, from, text, action);
    }

    @Override
    public String type() {
        return kind.wireName();
    }
}
