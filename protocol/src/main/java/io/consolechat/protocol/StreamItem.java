package io.consolechat.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One line of a room stream: a stored {@link Event}, the {@link End} line that closes every stream,
 * or a {@link Keepalive} sent during long silences.
 */
public sealed interface StreamItem permits Event, StreamItem.End, StreamItem.Keepalive {

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

    /** Sent when a stream has been silent for a while, so proxies and clients know it is alive. */
    record Keepalive() implements StreamItem {
        @Override
        @JsonProperty("type")
        public String type() {
            return "keepalive";
        }
    }
}
