package io.consolechat.server.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.consolechat.protocol.Event;
import io.consolechat.protocol.Json;
import io.consolechat.protocol.PersonalEvent;
import io.consolechat.protocol.StreamItem;
import io.consolechat.protocol.User;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/** Plain HTTP against a test server, the way any client would talk to it. */
public final class Api {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final HttpClient http;
    /** Thread-safe once built; building one per line would cost more than the rest of a stream test. */
    private static final Json JSON = new Json();

    private final Json json = JSON;

    public Api(URI base) {
        this(base, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
    }

    /** With a client of the test's own, e.g. one that trusts a test certificate. */
    public Api(URI base, HttpClient http) {
        this.base = base;
        this.http = http;
    }

    public Api(TestServer server) {
        this(server.uri());
    }

    /** A response: status, headers and body, with the body parsed as JSON on demand. */
    public record Reply(int status, java.net.http.HttpHeaders headers, String body) {
        public JsonNode json() {
            try {
                return JSON.mapper().readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        public String error() {
            return json().path("error").asText();
        }

        /** The body read as {@code type}, e.g. {@code new TypeReference<List<Event>>() {}}. */
        public <T> T as(TypeReference<T> type) {
            try {
                return JSON.mapper().readValue(body, type);
            } catch (IOException e) {
                throw new AssertionError("not a " + type.getType() + " (" + status + "): " + body, e);
            }
        }

        /** The body as one event ({@code POST /room/x}). */
        public Event event() {
            return as(new TypeReference<>() { });
        }

        /** The body as a JSON array of events ({@code /room/x/messages}). */
        public List<Event> events() {
            return as(new TypeReference<>() { });
        }

        /** The body as a user ({@code /me}). */
        public User user() {
            return as(new TypeReference<>() { });
        }

        /** The body as a JSON array of users ({@code /room/x/members}). */
        public List<User> users() {
            return as(new TypeReference<>() { });
        }
    }

    /** The field names of a JSON object, in the order they were written. */
    public static List<String> fieldNames(JsonNode node) {
        var names = new ArrayList<String>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** One line of a room stream as the protocol object it encodes: an event, the end line or a keepalive. */
    public static StreamItem item(String line) {
        try {
            return JSON.readStreamItem(line);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not a stream line: " + line, e);
        }
    }

    public HttpRequest.Builder request(String path, String token) {
        var builder = HttpRequest.newBuilder(base.resolve(path)).timeout(REQUEST_TIMEOUT);
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    public Reply send(HttpRequest request) {
        try {
            var response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Reply(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Reply get(String path, String token) {
        return send(request(path, token).GET().build());
    }

    public Reply post(String path, String token, String jsonBody) {
        var builder = request(path, token);
        if (jsonBody == null) {
            builder.POST(HttpRequest.BodyPublishers.noBody());
        } else {
            builder.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(jsonBody));
        }
        return send(builder.build());
    }

    public Reply put(String path, String token, String jsonBody) {
        return send(request(path, token).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(jsonBody)).build());
    }

    public Reply delete(String path, String token) {
        return send(request(path, token).DELETE().build());
    }

    public Reply postRaw(String path, String token, String contentType, byte[] body) {
        var builder = request(path, token).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        return send(builder.build());
    }

    /** A new anonymous token. */
    public String anonymousToken() {
        var reply = post("/session", null, null);
        if (reply.status() != 200) {
            throw new AssertionError("POST /session: " + reply);
        }
        return reply.json().path("token").asText();
    }

    /** {@code POST /login} with the fields that are not null, whatever the answer. */
    public Reply loginReply(String username, String password) {
        var fields = new LinkedHashMap<String, String>();
        if (username != null) {
            fields.put("username", username);
        }
        if (password != null) {
            fields.put("password", password);
        }
        return post("/login", null, json.write(fields));
    }

    /** Logs in (or registers) and returns the token; fails the test on anything else. */
    public String login(String username, String password) {
        var body = password == null
                ? json.write(java.util.Map.of("username", username))
                : json.write(java.util.Map.of("username", username, "password", password));
        var reply = post("/login", null, body);
        if (reply.status() != 200 && reply.status() != 201) {
            throw new AssertionError("POST /login: " + reply);
        }
        return reply.json().path("token").asText();
    }

    public Reply sendText(String room, String token, String text) {
        return post("/room/" + room, token, json.write(java.util.Map.of("text", text)));
    }

    /** Sends a message and returns the stored event; fails the test unless the server answers 201. */
    public Event sendMessage(String room, String token, String text) {
        var reply = sendText(room, token, text);
        if (reply.status() != 201) {
            throw new AssertionError("POST /room/" + room + ": " + reply);
        }
        return reply.event();
    }

    /** {@code POST /dm/{user}} with a text, whatever the answer. */
    public Reply sendDirect(String to, String token, String text) {
        return post("/dm/" + to, token, json.write(java.util.Map.of("text", text)));
    }

    /** Sends a direct message and returns the stored event; fails the test unless the server answers 201. */
    public Event sendDirectMessage(String to, String token, String text) {
        var reply = sendDirect(to, token, text);
        if (reply.status() != 201) {
            throw new AssertionError("POST /dm/" + to + ": " + reply);
        }
        return reply.event();
    }

    /** Every item of {@code user}'s personal stream after {@code since}, read with a stream that ends at once. */
    public List<PersonalEvent> personalAfter(String token, long since) throws InterruptedException {
        try (var stream = stream("/me/events?timeout=0&since=" + since, token)) {
            var items = stream.itemsToEnd(Duration.ofSeconds(10));
            if (!(items.getLast() instanceof StreamItem.End)) {
                throw new AssertionError("no end line: " + items);
            }
            return items.subList(0, items.size() - 1).stream().map(PersonalEvent.class::cast).toList();
        }
    }

    /** Opens a stream; lines arrive in the returned {@link Stream} as they are read. */
    public Stream stream(String pathAndQuery, String token, String... headers) {
        var builder = request(pathAndQuery, token).timeout(Duration.ofHours(2)).GET();
        for (int i = 0; i + 1 < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        try {
            var response = http.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
            return new Stream(response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The lines of one open stream, read on a virtual thread into a queue. */
    public static final class Stream implements AutoCloseable {
        private static final String EOF = "\u0000eof";
        private final HttpResponse<java.io.InputStream> response;
        private final BlockingQueue<String> lines = new ArrayBlockingQueue<>(100_000);
        private final Thread reader;

        private volatile boolean endedCleanly;

        Stream(HttpResponse<java.io.InputStream> response) {
            this.response = response;
            this.reader = Thread.ofVirtual().start(() -> {
                try (var in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        lines.put(line);
                    }
                    endedCleanly = true;
                } catch (IOException | InterruptedException e) {
                    // Closed by the test or by the server: the EOF marker below tells readers.
                } finally {
                    lines.offer(EOF);
                }
            });
        }

        public int status() {
            return response.statusCode();
        }

        /** Whether the response ended as HTTP says it should, not cut off (for example mid-chunk). */
        public boolean endedCleanly() {
            return endedCleanly;
        }

        public java.net.http.HttpHeaders headers() {
            return response.headers();
        }

        /** The next line, or null at the end of the stream; fails if none arrives within {@code timeout}. */
        public String nextLine(Duration timeout) throws InterruptedException {
            var line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (line == null) {
                throw new AssertionError("no line within " + timeout);
            }
            if (line.equals(EOF)) {
                lines.offer(EOF);
                return null;
            }
            return line;
        }

        /** The next line as a protocol object (NDJSON streams), or null at the end of the stream. */
        public StreamItem nextItem(Duration timeout) throws InterruptedException {
            var line = nextLine(timeout);
            return line == null ? null : item(line);
        }

        /** The next event, skipping keepalive lines; fails on the end line or the end of the stream. */
        public Event nextEvent(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                var item = nextItem(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                if (item instanceof Event event) {
                    return event;
                }
                if (!(item instanceof StreamItem.Keepalive)) {
                    throw new AssertionError("expected an event, got " + item);
                }
            }
        }

        /** Every line up to the end of the stream as protocol objects (NDJSON streams). */
        public List<StreamItem> itemsToEnd(Duration timeout) throws InterruptedException {
            return readToEnd(timeout).stream().map(Api::item).toList();
        }

        /** Every line up to the end of the stream, which must come within {@code timeout}. */
        public List<String> readToEnd(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            var all = new ArrayList<String>();
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("stream did not end within " + timeout + "; got " + all);
                }
                var line = nextLine(Duration.ofNanos(left));
                if (line == null) {
                    return all;
                }
                all.add(line);
            }
        }

        @Override
        public void close() {
            try {
                response.body().close();
            } catch (IOException e) {
                // Closing a finished stream.
            }
            reader.interrupt();
        }
    }
}
