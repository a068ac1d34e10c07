package io.consolechat.server.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.RawHttp;
import io.consolechat.server.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A body that ends before its Content-Length is the client's mistake: a 400, not a 500. */
class RequestBodyTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aTruncatedBodyIs400Json() {
        for (var path : new String[] {"/login", "/session"}) {
            var request = "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100\r\n\r\n{";
            var outcome = RawHttp.exchange(server.port(), request.getBytes(StandardCharsets.US_ASCII), false,
                    Duration.ofSeconds(10));
            var reply = outcome.reply().orElseThrow(() -> new AssertionError("no answer to " + path));
            if (path.equals("/login")) {
                assertThat(reply.status()).isEqualTo(400);
                assertThat(reply.contentType()).startsWith("application/json");
                assertThat(reply.text()).startsWith("{\"error\":\"invalid_request\"");
            } else {
                // /session takes no body: it does not wait for one.
                assertThat(reply.status()).isEqualTo(200);
            }
        }
        assertThat(new Api(server).get("/health", null).status()).isEqualTo(200);
    }

    @Test
    void aTruncatedMessageIs400Json() {
        var token = new Api(server).anonymousToken();
        var request = "POST /room/lobby HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                + "\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\nhello";
        var reply = RawHttp.exchange(server.port(), request.getBytes(StandardCharsets.US_ASCII), false,
                Duration.ofSeconds(10)).reply().orElseThrow();
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.text()).startsWith("{\"error\":\"invalid_request\"");
    }
}
