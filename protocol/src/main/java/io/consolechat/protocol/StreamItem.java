package io.consolechat.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/**
 * One line of a stream: a stored {@link Event}, an item of the personal stream ({@link PersonalEvent}),
 * the {@link End} (or, for several rooms, {@link RoomsEnd}) line that closes every stream, or a
 * {@link Keepalive} sent during long silences.
 */
public sealed interface StreamItem permits Event, PersonalEvent, StreamItem.End, StreamItem.RoomsEnd,
        StreamItem.Keepalive {

    String type();

    /** The last line of a stream; {@code since} is the cursor to pass when polling again. */
    @JsonPropertyOrder({"type", "since"})
    record End(long since) implements StreamItem {
        @Override
        @JsonProperty("type")
        public String type() {
            return "end";
        }
    }

    /**
     * The last line of a stream of several rooms: each room's cursor, and with the personal stream, its
     * cursor as {@code me}.
     */
    @JsonPropertyOrder({"type", "since", "me"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RoomsEnd(Map<String, Long> since, Long me) implements StreamItem {
        @Override
        @JsonProperty("type")
        public String type() {
            return "end";
        }
    }

    /** Sent when a stream has been silent for a while, so proxies and clients know it is alive. */
    record Keepalive() implements StreamItem {
        @Override
        @JsonProperty("type")
        public String type() {
            return "keepalive";
        }
    }
}
