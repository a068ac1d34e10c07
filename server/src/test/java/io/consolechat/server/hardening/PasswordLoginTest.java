package io.consolechat.server.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import io.consolechat.server.config.Rate;
import io.consolechat.server.config.ServerConfig;
import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.ManualClock;
import io.consolechat.server.testing.TestServer;
import java.util.ArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Password logins: normalised, well-formed, every refusal counted, hashing bounded. */
class PasswordLoginTest {

    @Test
    void aComposedAndADecomposedAccentAreTheSamePassword() {
        try (var server = TestServer.start()) {
            var api = new Api(server);
            assertThat(api.loginReply("renee", "caf\u00e9 au lait").status()).isEqualTo(201);
            assertThat(api.loginReply("renee", "cafe\u0301 au lait").status()).isEqualTo(200);
            assertThat(api.loginReply("renee", "cafe au lait").status()).isEqualTo(401);
        }
    }

    @Test
    void aPasswordWithALoneSurrogateIsRefusedAsInvalid() {
        try (var server = TestServer.start()) {
            var api = new Api(server);
            // Built by hand: a JSON escape is the only way a lone surrogate reaches the server.
            var reply = api.post("/login", null, "{\"username\":\"lone\",\"password\":\"abc\\ud800defgh\"}");
            assertThat(reply.status()).isEqualTo(400);
            assertThat(reply.error()).isEqualTo("invalid_request");
            // And nothing was created under a password with '?' in its place.
            assertThat(api.loginReply("lone", "abc?defgh").status()).isEqualTo(201);
        }
    }

    /**
     * With the default throttle (three free failures, then a wait), refusals that are not wrong passwords
     * count as well: a weak password for a free name, a password for a held temporary name.
     */
    @Test
    void everyRefusedPasswordLoginCountsTowardTheThrottle() {
        var clock = new ManualClock();
        try (var server = TestServer.start(c -> {
            c.limits = new ServerConfig.Limits();
            c.limits.tokens = Rate.perMinute(10_000);
        }, clock)) {
            var api = new Api(server);
            api.login("held", null);
            assertThat(api.loginReply("newcomer", "short").error()).isEqualTo("weak_password");
            assertThat(api.loginReply("held", "some password").error()).isEqualTo("invalid_credentials");
            assertThat(api.loginReply("newcomer", "tiny").error()).isEqualTo("weak_password");
            assertThat(api.loginReply("-bad name-", "whatever pw").error()).isEqualTo("invalid_username");
            var throttled = api.loginReply("newcomer", "a good long password");
            assertThat(throttled.status()).isEqualTo(429);
            assertThat(throttled.headers().firstValue("Retry-After")).isPresent();
        }
    }

    @Test
    void hashingBeyondThePoolAndItsQueueIsRefusedWithRetryAfterWhileOtherRequestsAreServed() throws Exception {
        try (var server = TestServer.start(c -> {
            c.limits.hashingThreads = 1;
            c.limits.hashingQueue = 1;
        }); var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            var api = new Api(server);
            var start = new CountDownLatch(1);
            var logins = new ArrayList<Future<Api.Reply>>();
            for (int i = 0; i < 16; i++) {
                int n = i;
                logins.add(threads.submit(() -> {
                    start.await();
                    return api.loginReply("hasher" + n, "password number " + n);
                }));
            }
            start.countDown();
            assertThat(api.get("/health", null).status()).isEqualTo(200);
            int created = 0;
            int refused = 0;
            for (var login : logins) {
                var reply = login.get();
                if (reply.status() == 503) {
                    assertThat(reply.error()).isEqualTo("unavailable");
                    assertThat(reply.headers().firstValue("Retry-After")).contains("1");
                    refused++;
                } else {
                    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
                    created++;
                }
            }
            assertThat(created).isPositive();
            assertThat(refused).isPositive();
        }
    }
}
