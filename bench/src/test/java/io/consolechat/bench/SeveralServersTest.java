package io.consolechat.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.PostgresExtension;
import io.consolechat.server.testing.PostgresExtension.Postgres;
import io.consolechat.server.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The bench against two servers on one PostgreSQL: the load goes to both, and every delivery checks out. */
@ExtendWith(PostgresExtension.class)
class SeveralServersTest {
    private final Postgres postgres;

    SeveralServersTest(Postgres postgres) {
        this.postgres = postgres;
    }

    /** How many requests of {@code method route} answered {@code status} on a server, from its /metrics. */
    private static double requests(TestServer server, String method, String route, int status) {
        var text = new Api(server).get("/metrics", null).body();
        var series = "http_server_requests_seconds_count{method=\"" + method + "\",route=\"" + route
                + "\",status=\"" + status + "\"} ";
        var matcher = Pattern.compile("(?m)^" + Pattern.quote(series) + "(\\S+)$").matcher(text);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }

    @Test
    void fanoutSpreadsListenersAndSendersOverTheServersAndLosesNothing() throws Exception {
        var url = postgres.newDatabase();
        try (var first = TestServer.start(c -> {
                c.storage.database = url;
                c.network.metrics = true;
                c.streams.keepalive = Duration.ofMillis(200);
            });
             var second = TestServer.start(c -> {
                c.storage.database = url;
                c.network.metrics = true;
                c.streams.keepalive = Duration.ofMillis(200);
            })) {
            var options = new CommonOptions();
            options.server = List.of(first.uri(), second.uri());
            var fanout = new Fanout();
            fanout.listeners = 6;
            fanout.rate = 20;
            fanout.duration = 2;
            fanout.warmup = 1;
            var result = Bench.run(options, List.of(fanout)).getFirst();

            long confirmed = (long) result.figures().get("messagesConfirmed");
            assertThat(confirmed).isEqualTo(40);
            assertThat(result.correctness()).isEqualTo(new Result.Correctness(6 * confirmed, 0, 0, 0));
            for (var server : List.of(first, second)) {
                assertThat(requests(server, "POST", "/room/{room}", 201)).as("posts on %s", server.uri()).isPositive();
                // A stream is counted when it ends: when a keepalive write fails on the connection the bench closed (the
                // first write after the close may still be taken by the kernel; a later one fails).
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(requests(server, "GET", "/room/{room}", 200)).as("streams on %s", server.uri())
                                .isPositive());
            }
        }
    }
}
