package io.consolechat.server.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.consolechat.server.config.Rate;
import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.ManualClock;
import io.consolechat.server.testing.TestServer;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;

/** Which address the per-address limits count: the socket's, or behind --trust-proxy the proxy's entry. */
class LimitsClientAddressTest {
    private final ManualClock clock = new ManualClock();

    private static int newSession(Api api, String forwardedFor) {
        var request = api.request("/session", null).POST(HttpRequest.BodyPublishers.noBody());
        if (forwardedFor != null) {
            request.header("X-Forwarded-For", forwardedFor);
        }
        return api.send(request.build()).status();
    }

    @Test
    void withoutTrustProxyTheHeaderIsIgnored() {
        try (var server = TestServer.start(c -> c.limits.tokens = Rate.perMinute(1), clock)) {
            var api = new Api(server);
            assertThat(newSession(api, "192.0.2.1")).isEqualTo(200);
            assertThat(newSession(api, "192.0.2.2")).isEqualTo(429);
            assertThat(newSession(api, null)).isEqualTo(429);
        }
    }

    @Test
    void withTrustProxyTheLastEntryCountsAndEarlierOnesCannotBeUsedToEvadeTheLimit() {
        try (var server = TestServer.start(c -> {
            c.limits.tokens = Rate.perMinute(1);
            c.network.trustProxy = true;
        }, clock)) {
            var api = new Api(server);
            assertThat(newSession(api, "192.0.2.1")).isEqualTo(200);
            assertThat(newSession(api, "192.0.2.2")).isEqualTo(200);
            // What the client put before the proxy's entry is not the address.
            assertThat(newSession(api, "10.9.9.9, 192.0.2.1")).isEqualTo(429);
            assertThat(newSession(api, "10.8.8.8,192.0.2.2")).isEqualTo(429);
            // Without the header (a request that did not pass the proxy) the socket's address counts.
            assertThat(newSession(api, null)).isEqualTo(200);
            assertThat(newSession(api, null)).isEqualTo(429);
        }
    }
}
