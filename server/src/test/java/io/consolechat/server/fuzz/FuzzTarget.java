package io.consolechat.server.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.consolechat.protocol.ErrorCode;
import io.consolechat.protocol.Json;
import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.ManualClock;
import io.consolechat.server.testing.RawHttp;
import io.consolechat.server.testing.RawHttp.Reply;
import io.consolechat.server.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One real server shared by the tries of a fuzz class, with what the fuzz needs around it: a valid token
 * (of the user {@value #FUZZER}), an expired and a revoked one, and a seeded room with a random name that no
 * fuzz input can reach with a valid token. {@link #assertIntact()} checks afterwards that the server still
 * answers and that its data changed only where the fuzzer's own accepted requests changed it.
 */
final class FuzzTarget implements AutoCloseable {
    static final Duration DEADLINE = Duration.ofSeconds(10);
    static final String FUZZER = "fuzzer";
    private static final String SEEDER = "seeder";
    private static final String SEEDER_PASSWORD = "seeder-password";

    private final TestServer server;
    private final Api api;
    private final Json json = new Json();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(DEADLINE).build();
    private final ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor();
    final String token;
    final String expiredToken;
    final String revokedToken;
    final String seededRoom = "seeded-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    /** A second room that exists before the fuzz starts, so that the room list has more than one to keep. */
    private final String otherRoom = "other-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    private final List<JsonNode> seededEvents;
    private final Map<String, Long> roomsBefore;
    /** Refusals that did not come as our JSON: status and content type, with one request that caused each. */
    private final Map<String, String> foreignRefusals = new ConcurrentHashMap<>();
    private final Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
    private final AtomicInteger closedWithoutAnswer = new AtomicInteger();
    /** Requests the fuzz inputs made (the set-up and the checks afterwards not counted). */
    private final AtomicInteger requests = new AtomicInteger();

    private FuzzTarget(TestServer server, ManualClock clock) {
        this.server = server;
        this.api = new Api(server);
        this.expiredToken = api.anonymousToken();
        var leaving = api.login("leaving", null);
        assertThat(api.post("/logout", leaving, null).status()).isEqualTo(204);
        this.revokedToken = leaving;
        // Anonymous tokens live a day: two days on, the first one has expired.
        clock.advance(Duration.ofDays(2));
        var seeder = api.login(SEEDER, SEEDER_PASSWORD);
        for (int i = 1; i <= 5; i++) {
            assertThat(api.sendText(seededRoom, seeder, "seed " + i).status()).isEqualTo(201);
        }
        assertThat(api.sendText(otherRoom, seeder, "hello").status()).isEqualTo(201);
        this.token = api.login(FUZZER, "fuzzer-password");
        assertThat(api.get("/me", token).status()).isEqualTo(200);
        assertThat(api.get("/me", expiredToken).status()).isEqualTo(401);
        assertThat(api.get("/me", revokedToken).status()).isEqualTo(401);
        this.seededEvents = allEvents(seededRoom, seeder);
        assertThat(seededEvents).hasSize(5);
        this.roomsBefore = rooms(seeder);
    }

    /**
     * Gives each fuzz class its own target, handed to the test class's constructor: started before the class's
     * first try, then checked with {@link #assertIntact()}, summarized in the test output and closed after its
     * last.
     */
    static final class PerClass implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
        private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(FuzzTarget.class);

        @Override
        public void beforeAll(ExtensionContext context) {
            context.getStore(NAMESPACE).put(FuzzTarget.class, FuzzTarget.start());
        }

        @Override
        public void afterAll(ExtensionContext context) {
            try (var target = context.getStore(NAMESPACE).remove(FuzzTarget.class, FuzzTarget.class)) {
                target.assertIntact();
                System.out.println(context.getDisplayName() + ": " + target.summary());
            }
        }

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == FuzzTarget.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return context.getStore(NAMESPACE).get(FuzzTarget.class, FuzzTarget.class);
        }
    }

    static FuzzTarget start() {
        var clock = new ManualClock();
        // Short keepalives make the server notice quickly that a fuzz client dropped an accepted stream.
        return new FuzzTarget(TestServer.start(config -> config.streams.keepalive = Duration.ofMillis(200), clock), clock);
    }

    java.net.URI uri() {
        return server.uri();
    }

    HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(server.uri().resolve(pathAndQuery)).timeout(DEADLINE);
    }

    /** Sends a well-formed request; a 200 stream is closed once its head has arrived. */
    Reply send(HttpRequest request) {
        requests.incrementAndGet();
        long end = System.nanoTime() + DEADLINE.toNanos();
        try {
            var response = http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream())
                    .get(DEADLINE.toNanos(), TimeUnit.NANOSECONDS);
            var headers = new TreeMap<String, List<String>>();
            response.headers().map().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values));
            var type = response.headers().firstValue("content-type").orElse("").toLowerCase(Locale.ROOT);
            if (response.statusCode() == 200 && Reply.isStreamType(type)) {
                response.body().close();
                return new Reply(200, headers, new byte[0], true);
            }
            var body = readers.submit(() -> readAll(response.body()))
                    .get(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            return new Reply(response.statusCode(), headers, body, false);
        } catch (TimeoutException e) {
            throw new AssertionError("no complete response within " + DEADLINE + " to " + request.method() + " "
                    + request.uri());
        } catch (ExecutionException e) {
            throw new AssertionError("request failed: " + request.method() + " " + request.uri(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    RawHttp.Outcome sendRaw(byte[] request, boolean headRequest) {
        requests.incrementAndGet();
        return RawHttp.exchange(server.port(), request, headRequest, DEADLINE);
    }

    /** A reply from our API: never 5xx, and every refusal is our JSON error whose code matches the status. */
    void assertAnswered(Reply reply, Object request) {
        statuses.merge(reply.status(), 1, Integer::sum);
        assertThat(reply.status()).as("status for %s: %s", request, reply).isBetween(200, 499);
        if (reply.status() >= 400) {
            assertJsonError(reply, request);
        }
    }

    /**
     * A reply to a request that Jetty may refuse before it reaches our routes (a broken request line, an
     * ambiguous path, oversized headers): never 5xx; a refusal with a body must be our JSON (Jetty's errors go
     * through the JSON error handler); one without a body (the connection closed) is recorded for
     * {@link #foreignRefusals()}.
     */
    void assertAnsweredOrRefusedByJetty(Reply reply, Object request) {
        assertAnsweredOrRefusedByJetty(reply, request, false);
    }

    /**
     * As above; {@code versionless} marks a request whose first line lacks a supported HTTP version (HTTP/9.9,
     * or none because a CR, LF or blank inside the target cuts it short, which Jetty reads as HTTP/0.9): Jetty
     * answers those with 505 HTTP Version Not Supported, which is recorded rather than failed.
     */
    void assertAnsweredOrRefusedByJetty(Reply reply, Object request, boolean versionless) {
        statuses.merge(reply.status(), 1, Integer::sum);
        if (versionless && reply.status() == 505) {
            foreignRefusals.putIfAbsent("505 " + reply.contentType() + " (version)", String.valueOf(request));
            return;
        }
        assertThat(reply.status()).as("status for %s: %s", request, reply).isBetween(200, 499);
        if (reply.status() >= 400) {
            if (reply.contentType().startsWith("application/json") || reply.body().length > 0) {
                // Whatever Jetty refuses with a body goes through the JSON error handler too.
                assertJsonError(reply, request);
            } else {
                var described = String.valueOf(request);
                foreignRefusals.putIfAbsent(reply.status() + " " + reply.contentType(),
                        described.length() > 160 ? described.substring(0, 160) + "..." : described);
            }
        }
    }

    /**
     * A 429 {@code rate_limited}, which the abuse limits may answer to any request before its own checks; the
     * properties accept it (as a JSON refusal) in place of the answer they expect.
     */
    boolean rateLimited(Reply reply) {
        return reply.status() == 429 && reply.text().contains("\"error\":\"rate_limited\"");
    }

    private void assertJsonError(Reply reply, Object request) {
        assertThat(reply.contentType()).as("content type of %s for %s", reply, request).startsWith("application/json");
        JsonNode body;
        try {
            body = json.mapper().readTree(reply.body());
        } catch (IOException e) {
            throw new AssertionError("error body is not JSON for " + request + ": " + reply, e);
        }
        assertThat(body.path("error").isTextual()).as("\"error\" in %s for %s", reply, request).isTrue();
        assertThat(body.path("message").isTextual()).as("\"message\" in %s for %s", reply, request).isTrue();
        var code = ErrorCode.fromCode(body.path("error").asText());
        assertThat(code).as("known error code in %s for %s", reply, request).isPresent();
        // Statuses the API has no code of its own for (426 from Jetty, say) are reported as invalid_request.
        var expected = java.util.Arrays.stream(ErrorCode.values()).anyMatch(c -> c.status() == reply.status())
                ? reply.status() : ErrorCode.INVALID_REQUEST.status();
        assertThat(code.get().status()).as("status of the code in %s for %s", reply, request).isEqualTo(expected);
    }

    /** The server answers /health, the seeded room is as seeded, and every other change is the fuzzer's. */
    void assertIntact() {
        var health = api.get("/health", null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().path("status").asText()).isEqualTo("ok");
        var reader = api.login(SEEDER, SEEDER_PASSWORD);
        assertThat(allEvents(seededRoom, reader)).isEqualTo(seededEvents);
        var after = rooms(reader);
        roomsBefore.forEach((room, lastSeq) -> assertThat(after.get(room)).as("last seq of %s", room)
                .isEqualTo(lastSeq));
        for (var room : after.keySet()) {
            if (!roomsBefore.containsKey(room)) {
                for (var event : allEvents(room, reader)) {
                    assertThat(event.path("from").path("name").asText()).as("author of %s", event).isEqualTo(FUZZER);
                    assertThat(event.path("room").asText()).isEqualTo(room);
                }
            }
        }
    }

    /** Counts a raw request the server closed the connection on without answering (fair for non-HTTP bytes). */
    void closedWithoutAnswer() {
        closedWithoutAnswer.incrementAndGet();
    }

    /** A summary for the test output: requests made, statuses seen and refusals that were not our JSON. */
    String summary() {
        return requests.get() + " requests; statuses " + new TreeMap<>(statuses) + "; closed without an answer: " + closedWithoutAnswer.get()
                + "; refusals not in our JSON format: "
                + (foreignRefusals.isEmpty() ? "none" : new TreeMap<>(foreignRefusals));
    }

    Set<String> foreignRefusals() {
        return new TreeSet<>(foreignRefusals.keySet());
    }

    private List<JsonNode> allEvents(String room, String reader) {
        var events = new ArrayList<JsonNode>();
        long before = Long.MAX_VALUE;
        while (true) {
            var reply = api.get("/room/" + room + "/messages?limit=500&before=" + before, reader);
            assertThat(reply.status()).as("messages of %s: %s", room, reply).isEqualTo(200);
            var page = new ArrayList<JsonNode>();
            reply.json().forEach(page::add);
            events.addAll(0, page);
            if (page.size() < 500) {
                return events;
            }
            before = page.getFirst().path("seq").asLong();
        }
    }

    /** Every room with its last sequence number, page by page along the {@code Link} headers. */
    private Map<String, Long> rooms(String reader) {
        var rooms = new HashMap<String, Long>();
        var next = Optional.of("/rooms?limit=500");
        while (next.isPresent()) {
            var reply = api.get(next.get(), reader);
            assertThat(reply.status()).as("%s: %s", next.get(), reply).isEqualTo(200);
            reply.json().forEach(room -> rooms.put(room.path("name").asText(), room.path("lastSeq").asLong()));
            next = reply.headers().firstValue("Link")
                    .map(link -> link.substring(link.indexOf('<') + 1, link.indexOf('>')));
        }
        return rooms;
    }

    @Override
    public void close() {
        readers.shutdownNow();
        http.close();
        server.close();
    }
}
