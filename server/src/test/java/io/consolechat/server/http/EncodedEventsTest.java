package io.consolechat.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.consolechat.protocol.Event;
import io.consolechat.protocol.EventType;
import io.consolechat.protocol.Json;
import io.consolechat.protocol.User;
import io.consolechat.protocol.UserKind;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EncodedEventsTest {
    private final Json json = new Json();
    private final StreamFormat ndjson = new StreamFormat.Ndjson(json);
    private final StreamFormat sse = new StreamFormat.Sse(json);
    private final EncodedEvents encoded = new EncodedEvents();

    private static Event message(long seq, String text) {
        return new Event(EventType.MESSAGE, "lobby", seq, Instant.parse("2026-01-01T00:00:00Z"),
                new User("bob", UserKind.TEMPORARY), text);
    }

    @Test
    void theSameEventIsEncodedOnceAndSharedPerFormat() {
        var event = message(1, "hi");

        var first = encoded.encode(ndjson, event);
        var again = encoded.encode(new StreamFormat.Ndjson(json), event);

        assertThat(again).isSameAs(first);
        assertThat(first.bytes()).isEqualTo(ndjson.encode(event));
        assertThat(encoded.encode(sse, event).bytes()).isEqualTo(sse.encode(event)).isNotEqualTo(first.bytes());
    }

    @Test
    void aLineIsFramedAsOneHttpChunkOrWrittenBare() {
        var line = new StreamLine("{\"type\":\"keepalive\"}\n".getBytes(StandardCharsets.UTF_8));

        assertThat(text(line.buffer(true))).isEqualTo("15\r\n{\"type\":\"keepalive\"}\n\r\n");
        assertThat(line.size(true)).isEqualTo(27);
        assertThat(text(line.buffer(false))).isEqualTo("{\"type\":\"keepalive\"}\n");
        assertThat(line.size(false)).isEqualTo(21);
    }

    private static String text(java.nio.ByteBuffer buffer) {
        return StandardCharsets.UTF_8.decode(buffer).toString();
    }

    @Test
    void distinctEventsNeverShareALine() {
        for (int seq = 1; seq <= 10_000; seq++) {
            var event = message(seq, "text " + seq);
            var line = new String(encoded.encode(ndjson, event).bytes(), StandardCharsets.UTF_8);
            assertThat(line).contains("\"seq\":" + seq + ",").contains("text " + seq + "\"");
        }
    }
}
