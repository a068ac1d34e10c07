package io.consolechat.client;

import com.fasterxml.jackson.core.JacksonException;
import io.consolechat.protocol.Json;
import io.consolechat.protocol.StreamItem;
import java.io.IOException;
import java.io.InputStream;

/**
 * One open {@code GET /room/{room}} response: its lines as stream items. Closing it (from any thread)
 * drops the connection, which is how a follower is stopped.
 */
public final class EventStream implements AutoCloseable {
    private static final int MAX_LINE_BYTES = 1 << 20;

    private final InputStream body;
    private final LineReading lines;
    private final Json json;
    private volatile boolean closed;

    EventStream(InputStream body, Json json) {
        this.body = body;
        this.lines = new LineReading(body, MAX_LINE_BYTES);
        this.json = json;
    }

    /**
     * The next event, keepalive or end line; null when the connection ended without an end line.
     *
     * @throws Unreachable when the connection breaks
     * @throws ApiError    ({@code bad_response}) when a line is not a stream item
     */
    public StreamItem next() {
        String line;
        try {
            do {
                line = lines.next();
            } while (line != null && line.isBlank());
        } catch (IOException e) {
            throw new Unreachable(closed ? "stream closed" : "connection lost: " + ChatClient.describe(e), e);
        }
        if (line == null) {
            return null;
        }
        StreamItem item;
        try {
            item = json.readStreamItem(line);
        } catch (JacksonException | IllegalArgumentException | NullPointerException e) {
            throw new ApiError(200, ApiError.BAD_RESPONSE, "the server sent a line that is not an event");
        }
        // An event type newer than this client: skipped, as the API asks.
        return item == null ? next() : item;
    }

    @Override
    public void close() {
        closed = true;
        try {
            body.close();
        } catch (IOException e) {
            // Dropping the connection is all we wanted.
        }
    }
}
