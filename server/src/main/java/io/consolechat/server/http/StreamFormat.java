package io.consolechat.server.http;

import io.consolechat.protocol.Event;
import io.consolechat.protocol.Json;
import io.consolechat.protocol.StreamItem;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** How stream items become bytes: NDJSON (one JSON object a line) or Server-Sent Events. */
sealed interface StreamFormat {

    String contentType();

    byte[] encode(StreamItem item);

    /** The item's line, ready for a {@link StreamWriter}. */
    default StreamLine line(StreamItem item) {
        return new StreamLine(encode(item));
    }

    static StreamFormat of(String accept, Json json) {
        return accept != null && accept.contains("text/event-stream") ? new Sse(json) : new Ndjson(json);
    }

    record Ndjson(Json json) implements StreamFormat {
        @Override
        public String contentType() {
            return "application/x-ndjson";
        }

        @Override
        public byte[] encode(StreamItem item) {
            var line = json.writeBytes(item);
            var out = new byte[line.length + 1];
            System.arraycopy(line, 0, out, 0, line.length);
            out[line.length] = '\n';
            return out;
        }
    }

    record Sse(Json json) implements StreamFormat {
        @Override
        public String contentType() {
            return "text/event-stream";
        }

        @Override
        public byte[] encode(StreamItem item) {
            var out = new ByteArrayOutputStream(256);
            if (item instanceof Event event) {
                out.writeBytes(("id: " + event.seq() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            out.writeBytes(("event: " + item.type() + "\ndata: ").getBytes(StandardCharsets.UTF_8));
            // JSON text never holds a raw newline, so the data is always a single line.
            out.writeBytes(json.writeBytes(item));
            out.writeBytes("\n\n".getBytes(StandardCharsets.UTF_8));
            return out.toByteArray();
        }
    }
}
