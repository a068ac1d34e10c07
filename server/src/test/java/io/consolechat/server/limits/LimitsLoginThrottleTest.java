package io.consolechat.server.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.consolechat.server.config.LoginPolicy;
import io.consolechat.server.config.Rate;
import io.consolechat.server.config.ServerConfig;
import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.ManualClock;
import io.consolechat.server.testing.TestServer;
import java.net.http.HttpRequest;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Password guessing, with the default throttle. Requests carry {@code X-Forwarded-For} behind
 * {@code --trust-proxy}, so one test can speak from several client addresses.
 */
class LimitsLoginThrottleTest {
    private static final String ATTACKER = "203.0.113.7";
    private static final String OWNER = "198.51.100.20";
    private static final String RIGHT = "{\"username\":\"alice\",\"password\":\"correct horse\"}";
    private static final String WRONG = "{\"username\":\"alice\",\"password\":\"wrong guess\"}";

    private final ManualClock clock = new ManualClock();
    private TestServer server;
    private Api api;

    @BeforeEach
    void start() {
        server = TestServer.start(c -> {
            c.limits = new ServerConfig.Limits();
            c.limits.tokens = Rate.perMinute(10_000);
            c.network.trustProxy = true;
        }, clock);
        api = new Api(server);
        assertThat(login(OWNER, RIGHT).status()).isEqualTo(201);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Api.Reply login(String address, String body) {
        return api.send(api.request("/login", null).header("Content-Type", "application/json")
                .header("X-Forwarded-For", address).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    @Test
    void failuresSlowDownExponentiallyThenLockAfterTenAndALockedLoginIs429EvenWithTheRightPassword() {
        // Three free failures: typos cost nothing.
        for (int i = 0; i < 3; i++) {
            assertThat(login(ATTACKER, WRONG).status()).isEqualTo(401);
        }
        assertThat(login(ATTACKER, WRONG).status()).isEqualTo(401);
        // From the fourth on, each failure makes the address wait: 1 s, 2 s, 4 s, ...
        long[] waits = {1, 2, 4, 8, 16, 32};
        for (int i = 0; i < waits.length; i++) {
            var refused = login(ATTACKER, RIGHT);
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.error()).isEqualTo("rate_limited");
            assertThat(refused.headers().firstValue("Retry-After")).hasValue(Long.toString(waits[i]));
            clock.advance(Duration.ofSeconds(waits[i]));
            if (i < waits.length - 1) {
                assertThat(login(ATTACKER, WRONG).status()).isEqualTo(401);
            }
        }
        // The tenth failure in a row locks the address for 15 minutes.
        assertThat(login(ATTACKER, WRONG).status()).isEqualTo(401);
        var locked = login(ATTACKER, RIGHT);
        assertThat(locked.status()).isEqualTo(429);
        assertThat(locked.headers().firstValue("Retry-After")).hasValue("900");

        clock.advance(Duration.ofMinutes(14));
        assertThat(login(ATTACKER, RIGHT).status()).isEqualTo(429);
        clock.advance(Duration.ofMinutes(1));
        assertThat(login(ATTACKER, RIGHT).status()).isEqualTo(200);
    }

    @Test
    void theOwnerLogsInFromAnotherAddressWhileTheAttackersAddressIsLocked() {
        for (int i = 0; i < 10; i++) {
            assertThat(login(ATTACKER, WRONG).status()).isEqualTo(401);
            clock.advance(Duration.ofMinutes(1));
        }
        assertThat(login(ATTACKER, RIGHT).status()).isEqualTo(429);

        assertThat(login(OWNER, RIGHT).status()).isEqualTo(200);
    }

    @Test
    void aLoginToOnesOwnAccountDoesNotResetTheAddressCount() {
        assertThat(login(ATTACKER, "{\"username\":\"mallory\",\"password\":\"mallory's own\"}").status())
                .isEqualTo(201);
        for (int i = 0; i < 9; i++) {
            assertThat(login(ATTACKER, WRONG).status()).isEqualTo(401);
            clock.advance(Duration.ofMinutes(1));
        }
        assertThat(login(ATTACKER, "{\"username\":\"mallory\",\"password\":\"mallory's own\"}").status())
                .isEqualTo(200);
        assertThat(login(ATTACKER, WRONG).status()).isEqualTo(401);
        assertThat(login(ATTACKER, "{\"username\":\"mallory\",\"password\":\"mallory's own\"}").status())
                .isEqualTo(429);
    }

    @Test
    void manyAddressesGuessingAtOneAccountLockTheAccount() {
        server.close();
        var account = new LoginPolicy(2, Duration.ofSeconds(1), Duration.ofMinutes(1), 6, Duration.ofMinutes(15));
        server = TestServer.start(c -> {
            c.limits = new ServerConfig.Limits();
            c.limits.accountLogins = account;
            c.network.trustProxy = true;
        }, clock);
        api = new Api(server);
        assertThat(login(OWNER, RIGHT).status()).isEqualTo(201);

        for (int i = 0; i < 6; i++) {
            assertThat(login("192.0.2." + i, WRONG).status()).isEqualTo(401);
            clock.advance(Duration.ofMinutes(2));
        }
        var locked = login(OWNER, RIGHT);
        assertThat(locked.status()).isEqualTo(429);
        assertThat(locked.headers().firstValue("Retry-After")).hasValue(Long.toString(15 * 60 - 2 * 60));
        // Other accounts are not affected.
        assertThat(login(OWNER, "{\"username\":\"bob\",\"password\":\"bob's password\"}").status()).isEqualTo(201);
    }

    @Test
    void aCorrectPasswordClearsTheAccountCount() {
        server.close();
        var account = new LoginPolicy(0, Duration.ofSeconds(1), Duration.ofMinutes(1), 3, Duration.ofMinutes(15));
        server = TestServer.start(c -> {
            c.limits = new ServerConfig.Limits();
            c.limits.accountLogins = account;
            c.network.trustProxy = true;
        }, clock);
        api = new Api(server);
        assertThat(login(OWNER, RIGHT).status()).isEqualTo(201);
        for (int round = 0; round < 3; round++) {
            assertThat(login("192.0.2.1", WRONG).status()).isEqualTo(401);
            assertThat(login("192.0.2.2", WRONG).status()).isEqualTo(429);
            clock.advance(Duration.ofMinutes(2));
            assertThat(login(OWNER, RIGHT).status()).isEqualTo(200);
        }
    }
}
