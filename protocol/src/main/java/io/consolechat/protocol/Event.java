package io.consolechat.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.Objects;

/**
 * Something that happened in a room. {@code seq} is the room's sequence number: it starts at 1 and
 * grows by one per event, whatever its type. {@code from} is who did it. {@code text} is a message's text
 * (absent once the message is {@code deleted}) or a topic; {@code action} is true on a message that is an
 * action ({@code /me waves}, shown as {@code * alice waves}); {@code user} and {@code reason} name who was
 * kicked, banned or unbanned and why; {@code target} is the sequence number a {@code delete} removes.
 * Fields that do not apply are left out of the JSON.
 */
@JsonPropertyOrder({"type", "room", "seq", "at", "from", "text", "action", "user", "reason", "target", "deleted"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Event(@JsonProperty("type") EventType kind, String room, long seq, Instant at, User from, String text,
                    Boolean action, User user, String reason, Long target, Boolean deleted)
        implements StreamItem {

    /** An event that is not an action. */
    @JsonCreator(mode = JsonCreator.Mode.DISABLED)
    public Event(EventType kind, String room, long seq, Instant at, User from, String text) {
        this(kind, room, seq, at, from, text, null, null, null, null, null);
    }

    @JsonCreator
    public Event {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(from, "from");
        if (seq < 1) {
            throw new IllegalArgumentException("seq starts at 1");
        }
        boolean isDeleted = Boolean.TRUE.equals(deleted);
        if (kind == EventType.MESSAGE && (text == null) != isDeleted) {
            throw new IllegalArgumentException("a message carries text until it is deleted");
        }
        // Only true is written: a plain message looks on the wire as it always has.
        action = kind == EventType.MESSAGE && Boolean.TRUE.equals(action) ? Boolean.TRUE : null;
        if (kind != EventType.MESSAGE && kind != EventType.TOPIC && text != null) {
            throw new IllegalArgumentException("only messages and topics carry text");
        }
        if (isDeleted && kind != EventType.MESSAGE) {
            throw new IllegalArgumentException("only messages are deleted");
        }
        deleted = isDeleted ? Boolean.TRUE : null;
    }

    /** A message that may be an action. */
    @JsonCreator(mode = JsonCreator.Mode.DISABLED)
    public Event(EventType kind, String room, long seq, Instant at, User from, String text, Boolean action) {
        this(kind, room, seq, at, from, text, action, null, null, null, null);
    }

    /** A moderation event, or a message that may be deleted. */
    @JsonCreator(mode = JsonCreator.Mode.DISABLED)
    public Event(EventType kind, String room, long seq, Instant at, User from, String text, User user,
                 String reason, Long target, Boolean deleted) {
        this(kind, room, seq, at, from, text, null, user, reason, target, deleted);
    }

    // The JSON field is "type"; the component is named kind so that type() can serve StreamItem as text.
    @Override
    public String type() {
        return kind.wireName();
    }
}
