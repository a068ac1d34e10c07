package io.consolechat.server.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.consolechat.server.config.Rate;
import io.consolechat.server.config.ServerConfig;
import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.ManualClock;
import io.consolechat.server.testing.TestServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LimitsTokenRateTest {
    private final ManualClock clock = new ManualClock();

    @Test
    void sessionsAndEveryKindOfLoginShareOneLimitPerAddress() {
        try (var server = TestServer.start(c -> c.limits.tokens = Rate.perMinute(3), clock)) {
            var api = new Api(server);
            assertThat(api.post("/session", null, null).status()).isEqualTo(200);
            assertThat(api.post("/login", null, "{}").status()).isEqualTo(200);
            assertThat(api.post("/login", null, "{\"username\":\"tempo\"}").status()).isEqualTo(200);

            for (var refused : new Api.Reply[] {
                    api.post("/session", null, null),
                    api.post("/login", null, "{}"),
                    api.post("/login", null, "{\"username\":\"other\"}"),
                    api.post("/login", null, "{\"username\":\"other\",\"password\":\"long enough\"}")}) {
                assertThat(refused.status()).isEqualTo(429);
                assertThat(refused.error()).isEqualTo("rate_limited");
                // 3 per minute: the next token comes back in 20 s.
                assertThat(refused.headers().firstValue("Retry-After")).hasValue("20");
            }

            clock.advance(Duration.ofSeconds(20));
            // The refused logins took nothing: the name is still free.
            assertThat(api.post("/login", null, "{\"username\":\"other\",\"password\":\"long enough\"}").status())
                    .isEqualTo(201);
            assertThat(api.post("/session", null, null).status()).isEqualTo(429);
        }
    }

    @Test
    void roomKeysAreCheckedUnderTheSameLimit() {
        try (var server = TestServer.start(c -> c.limits.tokens = Rate.perMinute(4), clock)) {
            var api = new Api(server);
            var owner = api.login("keyowner", "long enough");
            var guest = api.anonymousToken();
            assertThat(api.put("/room/vault", owner, "{\"access\":\"key\",\"key\":\"k\"}").status()).isEqualTo(201);
            assertThat(api.post("/room/vault/join", guest, "{\"key\":\"guess\"}").error()).isEqualTo("wrong_key");
            var refused = api.post("/room/vault/join", guest, "{\"key\":\"k\"}");
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.error()).isEqualTo("rate_limited");
            // Without a key there is nothing to hash, and nothing to count.
            assertThat(api.post("/room/vault/join", guest, null).error()).isEqualTo("wrong_key");
            clock.advance(Duration.ofSeconds(15));
            assertThat(api.post("/room/vault/join", guest, "{\"key\":\"k\"}").status()).isEqualTo(200);
        }
    }

    @Test
    void theDefaultIsThirtyAMinute() {
        try (var server = TestServer.start(c -> c.limits = new ServerConfig.Limits(), clock)) {
            var api = new Api(server);
            for (int i = 0; i < 30; i++) {
                assertThat(api.post("/session", null, null).status()).isEqualTo(200);
            }
            assertThat(api.post("/session", null, null).status()).isEqualTo(429);
            clock.advance(Duration.ofMinutes(1));
            assertThat(api.post("/session", null, null).status()).isEqualTo(200);
        }
    }
}
