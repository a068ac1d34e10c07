package io.consolechat.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.Objects;

/**
 * Something that happened in a room. {@code seq} is the room's sequence number: it starts at 1 and
 * grows by one per event, whatever its type. {@code text} is present on messages only. {@code action}
 * is true on a message that is an action ({@code /me waves}, shown as {@code * alice waves}) and absent
 * otherwise; a server that does not keep it never sends it.
 */
@JsonPropertyOrder({"type", "room", "seq", "at", "from", "text", "action"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Event(@JsonProperty("type") EventType kind, String room, long seq, Instant at, User from, String text,
                    Boolean action)
        implements StreamItem {

    /** An event that is not an action. */
    @JsonCreator(mode = JsonCreator.Mode.DISABLED)
    public Event(EventType kind, String room, long seq, Instant at, User from, String text) {
        this(kind, room, seq, at, from, text, null);
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
        if ((kind == EventType.MESSAGE) != (text != null)) {
            throw new IllegalArgumentException("messages and only messages carry text");
        }
        // Only true is written: a plain message looks on the wire as it always has.
        action = kind == EventType.MESSAGE && Boolean.TRUE.equals(action) ? Boolean.TRUE : null;
    }

    // The JSON field is "type"; the component is named kind so that type() can serve StreamItem as text.
    @Override
    public String type() {
        return kind.wireName();
    }
}
