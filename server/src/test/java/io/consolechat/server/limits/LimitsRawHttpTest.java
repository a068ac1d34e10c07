package io.consolechat.server.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.consolechat.server.config.ServerConfig;
import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.RawHttp;
import io.consolechat.server.testing.TestServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What Jetty refuses before any route runs: every refusal is JSON, slow or idle connections are closed. */
class LimitsRawHttpTest {
    private static final Duration HEADER_TIMEOUT = Duration.ofMillis(500);
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(3);
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(c -> {
            c.streams.keepalive = Duration.ofMillis(300);
            c.network.headerTimeout = HEADER_TIMEOUT;
            c.network.idleTimeout = IDLE_TIMEOUT;
        });
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private RawHttp.Reply exchange(String request) throws Exception {
        try (var raw = RawHttp.connect(server.port())) {
            return raw.send(request).response();
        }
    }

    private static void assertJsonError(RawHttp.Reply response, int status, String code) {
        assertThat(response.status()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/json");
        assertThat(response.text()).startsWith("{\"error\":\"" + code + "\",\"message\":\"").endsWith("\"}");
    }

    @Test
    void aRequestLineOverTheLimitIs414Json() throws Exception {
        var limit = new ServerConfig().network.maxHeaderBytes;
        assertThat(limit).isEqualTo(8192);
        var response = exchange("GET /rooms?q=" + "a".repeat(limit) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        assertJsonError(response, 414, "uri_too_long");
    }

    @Test
    void headersOverTheLimitAre431Json() throws Exception {
        var response = exchange("GET /health HTTP/1.1\r\nHost: x\r\nX-Filler: " + "a".repeat(8192) + "\r\n\r\n");
        assertJsonError(response, 431, "headers_too_large");
    }

    @Test
    void headersJustUnderTheLimitAreServed() throws Exception {
        var response = exchange("GET /health HTTP/1.1\r\nHost: x\r\nX-Filler: " + "a".repeat(7900) + "\r\n\r\n");
        assertThat(response.status()).isEqualTo(200);
    }

    @Test
    void malformedRequestsAre400Json() throws Exception {
        assertJsonError(exchange("NONSENSE\r\n\r\n"), 400, "invalid_request");
        assertJsonError(exchange("GET /room/%zz HTTP/1.1\r\nHost: x\r\n\r\n"), 400, "invalid_request");
        assertJsonError(exchange("GET /room/a%00b HTTP/1.1\r\nHost: x\r\n\r\n"), 400, "invalid_request");
        assertJsonError(exchange("GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n"), 400, "invalid_request");
        assertJsonError(exchange("GET /health HTTP/1.1\r\n\r\n"), 400, "invalid_request");
        assertJsonError(exchange("POST /login HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n"), 400,
                "invalid_request");
    }

    @Test
    void aBodyOverTheLimitIs413Json() throws Exception {
        var body = "{\"text\":\"" + "a".repeat(64 * 1024) + "\"}";
        var response = exchange("POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body);
        assertJsonError(response, 413, "too_large");
    }

    @Test
    void aRequestLineThatStallsHalfwayIsDroppedWithinTheHeaderTimeout() throws Exception {
        try (var raw = RawHttp.connect(server.port())) {
            raw.send("GET /heal");
            var closedAfter = raw.timeUntilClosed(Duration.ofSeconds(10));
            assertThat(closedAfter).isBetween(HEADER_TIMEOUT.dividedBy(2), HEADER_TIMEOUT.multipliedBy(3));
        }
    }

    @Test
    void headersThatTrickleInAreDroppedEvenThoughTheConnectionIsNeverIdle() throws Exception {
        try (var raw = RawHttp.connect(server.port())) {
            raw.send("GET /health HTTP/1.1\r\n");
            long start = System.nanoTime();
            var deadline = start + Duration.ofSeconds(10).toNanos();
            boolean closed = false;
            // One header byte every 100 ms keeps the connection busy; the header deadline still applies.
            while (!closed && System.nanoTime() < deadline) {
                try {
                    raw.send("X");
                    closed = raw.closedWithin(Duration.ofMillis(100));
                } catch (java.io.IOException e) {
                    closed = true;
                }
            }
            assertThat(closed).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(HEADER_TIMEOUT.multipliedBy(4));
        }
    }

    @Test
    void aConnectionThatSendsNothingIsClosedAtTheIdleTimeout() throws Exception {
        try (var raw = RawHttp.connect(server.port())) {
            var closedAfter = raw.timeUntilClosed(Duration.ofSeconds(10));
            assertThat(closedAfter).isBetween(IDLE_TIMEOUT.minusMillis(200), IDLE_TIMEOUT.multipliedBy(2));
        }
    }

    @Test
    void aQuietStreamOutlivesTheIdleTimeoutThanksToKeepalives() throws Exception {
        var api = new Api(server);
        try (var stream = api.stream("/room/quiet?timeout=5", api.login("quiet", null))) {
            var lines = stream.readToEnd(Duration.ofSeconds(10));
            assertThat(lines).contains("{\"type\":\"keepalive\"}");
            assertThat(lines.getLast()).startsWith("{\"type\":\"end\"");
        }
    }
}
