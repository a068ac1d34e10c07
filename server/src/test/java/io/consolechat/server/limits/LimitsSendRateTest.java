package io.consolechat.server.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.consolechat.server.config.Rate;
import io.consolechat.server.config.ServerConfig;
import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.ManualClock;
import io.consolechat.server.testing.TestServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LimitsSendRateTest {
    private final ManualClock clock = new ManualClock();

    @Test
    void aUserPastTheBurstGets429WithRetryAfterAndTheMessageIsNotStored() {
        try (var server = TestServer.start(c -> c.limits.send = Rate.perSecond(2, 5), clock)) {
            var api = new Api(server);
            var alice = api.login("alice", null);
            for (int i = 1; i <= 5; i++) {
                assertThat(api.sendText("lobby", alice, "burst " + i).status()).isEqualTo(201);
            }

            var refused = api.sendText("lobby", alice, "one too many");

            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.error()).isEqualTo("rate_limited");
            assertThat(refused.json().path("message").asText()).contains("try again");
            // One token comes back every 0.5 s; the header rounds up to whole seconds.
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
            var stored = api.get("/room/lobby/messages", alice).json();
            assertThat(stored).hasSize(5);
            assertThat(stored.get(4).path("text").asText()).isEqualTo("burst 5");
        }
    }

    @Test
    void theBucketRefillsAtTheRateAndEachUserHasTheirOwn() {
        try (var server = TestServer.start(c -> c.limits.send = Rate.perSecond(2, 3), clock)) {
            var api = new Api(server);
            var alice = api.login("alice", null);
            var bob = api.login("bob", null);
            for (int i = 0; i < 3; i++) {
                assertThat(api.sendText("lobby", alice, "a" + i).status()).isEqualTo(201);
            }
            assertThat(api.sendText("lobby", alice, "refused").status()).isEqualTo(429);
            assertThat(api.sendText("lobby", bob, "bob is not alice").status()).isEqualTo(201);

            clock.advance(Duration.ofMillis(500));
            assertThat(api.sendText("lobby", alice, "one token back").status()).isEqualTo(201);
            assertThat(api.sendText("lobby", alice, "and gone again").status()).isEqualTo(429);

            clock.advance(Duration.ofSeconds(10));
            for (int i = 0; i < 3; i++) {
                assertThat(api.sendText("lobby", alice, "full again " + i).status()).isEqualTo(201);
            }
            assertThat(api.sendText("lobby", alice, "but no more than the burst").status()).isEqualTo(429);
        }
    }

    @Test
    void theDefaultsAllowBurstsOfThirty() {
        try (var server = TestServer.start(c -> c.limits = new ServerConfig.Limits(), clock)) {
            var api = new Api(server);
            var alice = api.login("alice", null);
            for (int i = 0; i < 30; i++) {
                assertThat(api.sendText("lobby", alice, "m" + i).status()).isEqualTo(201);
            }
            var refused = api.sendText("lobby", alice, "31st");
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
            clock.advance(Duration.ofMillis(100));
            assertThat(api.sendText("lobby", alice, "10 per second").status()).isEqualTo(201);
        }
    }
}
