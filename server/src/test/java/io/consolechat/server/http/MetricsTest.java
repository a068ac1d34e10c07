package io.consolechat.server.http;

import static io.consolechat.server.testing.ErrorReplies.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.consolechat.protocol.ErrorCode;
import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.TestServer;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code GET /metrics}: off unless asked for; when on, what the server did shows in the Prometheus text. */
class MetricsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** The value of the sample whose name and labels are exactly {@code series}, or -1 when there is none. */
    private static double sample(String text, String series) {
        var matcher = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : -1;
    }

    private static String metrics(Api api) {
        var reply = api.get("/metrics", null);
        assertThat(reply.status()).as("%s", reply).isEqualTo(200);
        assertThat(reply.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain"));
        return reply.body();
    }

    @Test
    void offByDefault() {
        try (var server = TestServer.start()) {
            assertError(new Api(server).get("/metrics", null), ErrorCode.NOT_FOUND);
        }
    }

    @Test
    void requestsStreamsEventsDeliveriesCommitsPoolAndJvmAreMeasured() throws InterruptedException {
        // A short keepalive: the server notices the closed stream at its next write.
        try (var server = TestServer.start(c -> {
            c.network.metrics = true;
            c.streams.keepalive = Duration.ofMillis(200);
        })) {
            var api = new Api(server);
            var sender = api.anonymousToken();
            var listener = api.anonymousToken();
            try (var stream = api.stream("/room/gauged?timeout=30", listener)) {
                stream.nextEvent(WAIT); // the listener's own join
                for (int i = 0; i < 5; i++) {
                    api.sendMessage("gauged", sender, "counted " + i);
                }
                for (int i = 0; i < 5; i++) {
                    assertThat(stream.nextEvent(WAIT).text()).isEqualTo("counted " + i);
                }
                api.get("/no/such/path", sender);

                var text = metrics(api);
                assertThat(sample(text, "http_server_requests_seconds_count{method=\"POST\",route=\"/room/{room}\","
                        + "status=\"201\"}")).isEqualTo(5);
                assertThat(sample(text, "http_server_requests_seconds_count{method=\"POST\",route=\"/session\","
                        + "status=\"200\"}")).isEqualTo(2);
                assertThat(sample(text, "http_server_requests_seconds_count{method=\"GET\",route=\"unmatched\","
                        + "status=\"404\"}")).isEqualTo(1);
                assertThat(sample(text, "chat_streams_open")).isEqualTo(1);
                // Five messages and the listener's join, each stored once and delivered to the one stream.
                assertThat(sample(text, "chat_events_appended_total")).isGreaterThanOrEqualTo(6);
                assertThat(sample(text, "chat_deliveries_total")).isGreaterThanOrEqualTo(6);
                assertThat(sample(text, "chat_commit_seconds_count")).isGreaterThanOrEqualTo(1);
                assertThat(text).contains("hikaricp_connections_active{pool=\"console-chat-db\"}")
                        .contains("jvm_memory_used_bytes").contains("jvm_threads_live_threads");
            }
            // The stream is counted when the server sees it closed, as a request with its route and status.
            await().atMost(WAIT).untilAsserted(() -> {
                var text = metrics(api);
                assertThat(sample(text, "chat_streams_open")).isZero();
                assertThat(sample(text, "http_server_requests_seconds_count{method=\"GET\",route=\"/room/{room}\","
                        + "status=\"200\"}")).isEqualTo(1);
            });
        }
    }
}
