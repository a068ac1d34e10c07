package io.consolechat.server.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.TestServer;
import org.junit.jupiter.api.Test;

/** Every 429 says when to try again, as docs/API.md promises. */
class StreamLimitTest {

    @Test
    void aStreamRefusedAtTheUserLimitCarriesRetryAfter() {
        try (var server = TestServer.start(c -> c.limits.streamsPerUser = 1)) {
            var api = new Api(server);
            var token = api.anonymousToken();
            try (var open = api.stream("/room/lobby?timeout=30", token);
                 var refused = api.stream("/room/lobby?timeout=30", token)) {
                assertThat(open.status()).isEqualTo(200);
                assertThat(refused.status()).isEqualTo(429);
                assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(
                        value -> assertThat(Long.parseLong(value)).isPositive());
            }
        }
    }
}
