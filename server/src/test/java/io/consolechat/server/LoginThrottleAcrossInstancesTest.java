package io.consolechat.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.consolechat.server.config.Rate;
import io.consolechat.server.config.ServerConfig;
import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.ManualClock;
import io.consolechat.server.testing.PostgresExtension;
import io.consolechat.server.testing.PostgresExtension.Postgres;
import io.consolechat.server.testing.TestServer;
import java.net.http.HttpRequest;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Failed logins are counted in the shared PostgreSQL database: a password guesser who spreads tries over two
 * servers gets no more of them than against one, per address and per account.
 */
@ExtendWith(PostgresExtension.class)
class LoginThrottleAcrossInstancesTest {
    private static final String RIGHT = "{\"username\":\"alice\",\"password\":\"correct horse\"}";
    private static final String WRONG = "{\"username\":\"alice\",\"password\":\"wrong guess\"}";

    private final ManualClock clock = new ManualClock();

    private TestServer start(String database) {
        return TestServer.start(c -> {
            c.storage.database = database;
            c.limits = new ServerConfig.Limits();
            c.limits.tokens = Rate.perMinute(10_000);
            c.network.trustProxy = true;
        }, clock);
    }

    @Test
    void guessesSpreadOverTwoServersAreThrottledAsOne(Postgres postgres) {
        var database = postgres.newDatabase();
        try (var a = start(database); var b = start(database)) {
            var apis = new Api[] {new Api(a), new Api(b)};
            assertThat(login(apis[0], "198.51.100.20", RIGHT).status()).isEqualTo(201);
            // Three free failures, then the fourth makes the address wait 1 s: counted across both servers.
            for (int i = 0; i < 4; i++) {
                assertThat(login(apis[i % 2], "203.0.113.7", WRONG).status()).isEqualTo(401);
            }
            assertThat(login(apis[0], "203.0.113.7", WRONG).status()).isEqualTo(429);
            assertThat(login(apis[1], "203.0.113.7", RIGHT).status()).isEqualTo(429);
            clock.advance(Duration.ofSeconds(1));
            assertThat(login(apis[0], "203.0.113.7", WRONG).status()).isEqualTo(401);
            // The fifth failure (on A) made the wait 2 s, which B applies as well.
            clock.advance(Duration.ofSeconds(1));
            assertThat(login(apis[1], "203.0.113.7", WRONG).status()).isEqualTo(429);
            clock.advance(Duration.ofSeconds(1));
            assertThat(login(apis[1], "203.0.113.7", WRONG).status()).isEqualTo(401);
        }
    }

    private static Api.Reply login(Api api, String address, String body) {
        return api.send(api.request("/login", null).header("Content-Type", "application/json")
                .header("X-Forwarded-For", address).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }
}
