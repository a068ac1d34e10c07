package io.consolechat.server.testing;

import java.util.ArrayList;
import java.util.List;

/** One Server-Sent Event as a browser would see it; {@code id} and {@code event} are null when absent. */
public record ServerSentEvent(String id, String event, String data) {

    /** The events in the lines of a {@code text/event-stream} body: fields up to each blank line. */
    public static List<ServerSentEvent> parse(List<String> lines) {
        var events = new ArrayList<ServerSentEvent>();
        String id = null;
        String event = null;
        StringBuilder data = null;
        for (var line : lines) {
            if (line.isEmpty()) {
                if (data != null) {
                    events.add(new ServerSentEvent(id, event, data.toString()));
                }
                id = null;
                event = null;
                data = null;
                continue;
            }
            if (line.startsWith(":")) {
                continue;
            }
            int colon = line.indexOf(':');
            var field = colon < 0 ? line : line.substring(0, colon);
            var value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "id" -> id = value;
                case "event" -> event = value;
                case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                default -> throw new AssertionError("unknown field in an event stream: " + line);
            }
        }
        if (data != null || id != null || event != null) {
            throw new AssertionError("the event stream ended inside an event: " + lines);
        }
        return events;
    }
}
