package io.consolechat.server.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What came back for one fuzz request. {@code streaming} marks a 200 stream whose body was not read to the
 * end; {@code headers} has lower-case names.
 */
record Reply(int status, Map<String, List<String>> headers, byte[] body, boolean streaming) {

    String header(String name) {
        var values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    String contentType() {
        var type = header("content-type");
        return type == null ? "" : type.toLowerCase(Locale.ROOT);
    }

    String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    static boolean isStreamType(String contentType) {
        return contentType != null && (contentType.startsWith("application/x-ndjson")
                || contentType.startsWith("text/event-stream"));
    }

    @Override
    public String toString() {
        var text = text();
        return status + " " + contentType() + " " + (text.length() > 300 ? text.substring(0, 300) + "..." : text);
    }
}
