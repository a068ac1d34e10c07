package io.consolechat.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.TestServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * History pages and room lists are built whole before they are sent; what they hold until their clients
 * have read them is bounded by {@code limits.responseBytes}, and a client that stops reading gives its share
 * back at the idle timeout.
 */
class ResponseBudgetTest {
    private static final Duration IDLE = Duration.ofSeconds(2);

    private static TestServer server;
    private static Api api;
    private static String token;

    @BeforeAll
    static void start() {
        server = TestServer.start(config -> {
            config.limits.responseBytes = 1024 * 1024;
            config.limits.responseWait = Duration.ofMillis(200);
            config.network.idleTimeout = IDLE;
        });
        api = new Api(server);
        token = api.anonymousToken();
        // 300 messages of 4,000 emoji: a page of them is about 5 MB of JSON, more than the kernel's socket
        // buffers take from a client that does not read.
        var text = "\uD83D\uDE00".repeat(4000);
        for (int i = 0; i < 300; i++) {
            assertThat(api.sendText("big", token, text).status()).isEqualTo(201);
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void anAnswerNobodyReadsHoldsTheBudgetUntilTheIdleTimeoutCutsIt() throws Exception {
        try (var reader = new Socket()) {
            reader.setReceiveBufferSize(4096);
            reader.connect(new InetSocketAddress("127.0.0.1", server.port()));
            reader.getOutputStream().write(("GET /room/big/messages?limit=300 HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Bearer " + token + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));

            var refused = await().atMost(Duration.ofSeconds(10))
                    .until(() -> api.get("/room/big/messages?limit=1", token), reply -> reply.status() != 200);
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.error()).isEqualTo("unavailable");
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");
            assertThat(api.get("/rooms", token).status()).as("room lists share the budget").isEqualTo(503);
            assertThat(api.get("/health", null).status()).isEqualTo(200);

            long blocked = System.nanoTime();
            await().atMost(IDLE.multipliedBy(5))
                    .until(() -> api.get("/room/big/messages?limit=1", token).status() == 200);
            assertThat(Duration.ofNanos(System.nanoTime() - blocked)).isLessThan(IDLE.multipliedBy(4));
        }
    }

    @Test
    void answersThatAreReadGiveTheBudgetBack() throws IOException {
        for (int i = 0; i < 20; i++) {
            var reply = api.get("/room/big/messages?limit=100", token);
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.events()).hasSize(100);
        }
        assertThat(api.get("/rooms", token).status()).isEqualTo(200);
    }
}
