package io.consolechat.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.Objects;

/**
 * Something that happened in a room. {@code seq} is the room's sequence number: it starts at 1 and
 * grows by one per event, whatever its type. {@code text} is present on messages only.
 */
@JsonPropertyOrder({"type", "room", "seq", "at", "from", "text"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Event(@JsonProperty("type") EventType kind, String room, long seq, Instant at, User from, String text)
        implements StreamItem {

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
    }

    // The JSON field is "type"; the component is named kind so that type() can serve StreamItem as text.
    @Override
    public String type() {
        return kind.wireName();
    }
}
