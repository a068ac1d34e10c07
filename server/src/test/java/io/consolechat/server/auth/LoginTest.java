package io.consolechat.server.auth;

import static io.consolechat.server.testing.ErrorReplies.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.consolechat.protocol.ErrorCode;
import io.consolechat.protocol.User;
import io.consolechat.protocol.UserKind;
import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.ManualClock;
import io.consolechat.server.testing.TestServer;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every branch of {@code POST /session}, {@code POST /login} and {@code POST /logout}. */
class LoginTest {
    private static TestServer server;
    private static Api api;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        api = new Api(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static User me(String token) {
        var reply = api.get("/me", token);
        assertThat(reply.status()).as("GET /me: %s", reply).isEqualTo(200);
        return reply.user();
    }

    private static void assertTokenResponse(Api.Reply reply, int status, UserKind kind) {
        assertThat(reply.status()).as("%s", reply).isEqualTo(status);
        assertThat(reply.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        var body = reply.json();
        assertThat(body.path("token").asText()).hasSizeGreaterThanOrEqualTo(40);
        assertThat(body.path("user").path("kind").asText()).isEqualTo(kind.wireName());
        assertThat(Instant.parse(body.path("expiresAt").asText())).isAfter(Instant.now());
        if (status == 201) {
            assertThat(body.path("created").asBoolean()).isTrue();
        } else {
            assertThat(body.has("created")).as("created on %s", reply).isFalse();
        }
    }

    private static String name(JsonNode tokenResponse) {
        return tokenResponse.path("user").path("name").asText();
    }

    @Nested
    class Anonymous {
        @Test
        void sessionGivesAnAnonymousUserWithAGeneratedUniqueName() {
            var names = new HashSet<String>();
            var tokens = new HashSet<String>();
            for (int i = 0; i < 5; i++) {
                var reply = api.post("/session", null, null);
                assertTokenResponse(reply, 200, UserKind.ANONYMOUS);
                assertThat(name(reply.json())).matches("anon-[a-z0-9]{3,}");
                names.add(name(reply.json()));
                tokens.add(reply.json().path("token").asText());
                assertThat(me(reply.json().path("token").asText()))
                        .isEqualTo(new User(name(reply.json()), UserKind.ANONYMOUS));
            }
            assertThat(names).hasSize(5);
            assertThat(tokens).hasSize(5);
        }

        @Test
        void loginWithoutABodyIsAnonymous() {
            var reply = api.send(api.request("/login", null).POST(HttpRequest.BodyPublishers.noBody()).build());
            assertTokenResponse(reply, 200, UserKind.ANONYMOUS);
            assertThat(name(reply.json())).startsWith("anon-");
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "{}", "  \n"})
        void loginWithAnEmptyBodyOrEmptyObjectIsAnonymous(String body) {
            var reply = api.post("/login", null, body);
            assertTokenResponse(reply, 200, UserKind.ANONYMOUS);
            assertThat(name(reply.json())).startsWith("anon-");
            assertThat(me(reply.json().path("token").asText()).kind()).isEqualTo(UserKind.ANONYMOUS);
        }

        @Test
        void theAnonPrefixIsReservedWhateverItsCase() {
            for (var name : new String[] {"anon-abc", "ANON-xyz", "Anon-1"}) {
                assertError(api.loginReply(name, null), ErrorCode.INVALID_USERNAME);
                assertError(api.loginReply(name, "long enough password"), ErrorCode.INVALID_USERNAME);
            }
        }
    }

    @Nested
    class Temporary {
        @Test
        void aFreeNameGivesATemporaryUser() {
            var reply = api.loginReply("Tina", null);
            assertTokenResponse(reply, 200, UserKind.TEMPORARY);
            assertThat(me(reply.json().path("token").asText())).isEqualTo(new User("Tina", UserKind.TEMPORARY));
        }

        @Test
        void aNameHeldByATemporaryUserIsTakenWhateverTheCase() {
            api.login("Hold", null);
            assertError(api.loginReply("Hold", null), ErrorCode.INVALID_CREDENTIALS);
            assertError(api.loginReply("hold", null), ErrorCode.INVALID_CREDENTIALS);
            assertError(api.loginReply("HOLD", null), ErrorCode.INVALID_CREDENTIALS);
        }

        @Test
        void aRegisteredNameIsTakenForTemporaryUse() {
            api.login("Reggie", "reggie-password");
            assertError(api.loginReply("Reggie", null), ErrorCode.INVALID_CREDENTIALS);
            assertError(api.loginReply("reggie", null), ErrorCode.INVALID_CREDENTIALS);
        }

        @Test
        void aTemporaryUserCountsAsAWrongPassword() {
            var temporary = api.login("Tempo", null);
            assertError(api.loginReply("Tempo", "some-password"), ErrorCode.INVALID_CREDENTIALS);
            assertError(api.loginReply("tempo", "some-password"), ErrorCode.INVALID_CREDENTIALS);
            assertThat(me(temporary)).isEqualTo(new User("Tempo", UserKind.TEMPORARY));
        }

        @Test
        void logoutReleasesTheNameAndRevokesTheToken() {
            var first = api.login("Leaver", null);
            assertError(api.loginReply("Leaver", null), ErrorCode.INVALID_CREDENTIALS);

            var logout = api.post("/logout", first, null);
            assertThat(logout.status()).isEqualTo(204);
            assertThat(logout.body()).isEmpty();
            assertError(api.get("/me", first), ErrorCode.UNAUTHORIZED);

            var again = api.loginReply("leaver", null);
            assertTokenResponse(again, 200, UserKind.TEMPORARY);
            assertThat(name(again.json())).isEqualTo("leaver");
        }

        @Test
        void aReleasedTemporaryNameCanBeRegistered() {
            var temporary = api.login("Claimer", null);
            api.post("/logout", temporary, null);
            var reply = api.loginReply("Claimer", "claimer-password");
            assertTokenResponse(reply, 201, UserKind.REGISTERED);
            assertThat(me(reply.json().path("token").asText())).isEqualTo(new User("Claimer", UserKind.REGISTERED));
        }
    }

    @Nested
    class Registered {
        @Test
        void aFreeNameWithAPasswordCreatesTheAccount() {
            var reply = api.loginReply("Rita", "rita-password");
            assertTokenResponse(reply, 201, UserKind.REGISTERED);
            assertThat(reply.json().path("created").isBoolean()).isTrue();
            assertThat(me(reply.json().path("token").asText())).isEqualTo(new User("Rita", UserKind.REGISTERED));
        }

        @Test
        void theRightPasswordLogsInWithoutCreating() {
            var created = api.loginReply("Ron", "ron-password");
            assertTokenResponse(created, 201, UserKind.REGISTERED);
            var reply = api.loginReply("Ron", "ron-password");
            assertTokenResponse(reply, 200, UserKind.REGISTERED);
            assertThat(reply.json().path("token").asText()).isNotEqualTo(created.json().path("token").asText());
        }

        @Test
        void namesAreCaseInsensitiveAndKeepTheirDisplayCase() {
            api.login("BoB", "bobs-password");
            var reply = api.loginReply("bob", "bobs-password");
            assertTokenResponse(reply, 200, UserKind.REGISTERED);
            assertThat(name(reply.json())).isEqualTo("BoB");
            assertThat(me(reply.json().path("token").asText()).name()).isEqualTo("BoB");
            // The same user, not a second account.
            assertError(api.loginReply("BOB", "another-password"), ErrorCode.INVALID_CREDENTIALS);
        }

        @Test
        void aWrongPasswordIsRefused() {
            api.login("Wendy", "wendys-password");
            assertError(api.loginReply("Wendy", "wendys-passworD"), ErrorCode.INVALID_CREDENTIALS);
            // Short but wrong: an existing account is not told its password is weak.
            assertError(api.loginReply("Wendy", "short"), ErrorCode.INVALID_CREDENTIALS);
        }

        @Test
        void aNewAccountNeedsEightCharacters() {
            assertError(api.loginReply("Weak", "1234567"), ErrorCode.WEAK_PASSWORD);
            assertError(api.loginReply("Weak", ""), ErrorCode.WEAK_PASSWORD);
            // Refused accounts are not created: the name is still free.
            assertTokenResponse(api.loginReply("Weak", "12345678"), 201, UserKind.REGISTERED);
        }

        @Test
        void logoutRevokesOnlyThatToken() {
            var first = api.login("Multi", "multi-password");
            var second = api.login("Multi", "multi-password");
            assertThat(api.post("/logout", first, null).status()).isEqualTo(204);
            assertError(api.get("/me", first), ErrorCode.UNAUTHORIZED);
            assertError(api.post("/logout", first, null), ErrorCode.UNAUTHORIZED);
            assertThat(me(second)).isEqualTo(new User("Multi", UserKind.REGISTERED));
            // A registered name is not freed by logging out.
            assertError(api.loginReply("Multi", null), ErrorCode.INVALID_CREDENTIALS);
        }
    }

    @Nested
    class BadInput {
        @ParameterizedTest
        @ValueSource(strings = {"a", "x234567890123456789012345678901234", "has space", "dot.name", "émile", "tab\t",
                "semi;colon", "-"})
        void namesThatBreakTheRuleAreRefused(String name) {
            assertError(api.loginReply(name, null), ErrorCode.INVALID_USERNAME);
            assertError(api.loginReply(name, "long enough password"), ErrorCode.INVALID_USERNAME);
        }

        @Test
        void namesAtTheEdgesOfTheRuleAreAccepted() {
            assertTokenResponse(api.loginReply("ab", null), 200, UserKind.TEMPORARY);
            assertTokenResponse(api.loginReply("Z".repeat(32), null), 200, UserKind.TEMPORARY);
            assertTokenResponse(api.loginReply("_-9x", null), 200, UserKind.TEMPORARY);
        }

        @Test
        void anEmptyUsernameIsRefused() {
            assertError(api.post("/login", null, "{\"username\": \"\"}"), ErrorCode.INVALID_USERNAME);
        }

        @Test
        void aPasswordWithoutAUsernameIsAnInvalidRequest() {
            assertError(api.loginReply(null, "some-password"), ErrorCode.INVALID_REQUEST);
        }

        @ParameterizedTest
        @ValueSource(strings = {"{", "not json", "[]", "null", "\"text\"", "{\"username\": \"x\"} {}",
                "{\"username\": {\"nested\": 1}}", "{\"username\": [\"a\"]}"})
        void malformedJsonIsAnInvalidRequest(String body) {
            assertError(api.post("/login", null, body), ErrorCode.INVALID_REQUEST);
        }

        @Test
        void invalidUtf8IsAnInvalidRequest() {
            var body = new byte[] {'{', '"', 'u', 's', 'e', 'r', 'n', 'a', 'm', 'e', '"', ':', '"', (byte) 0xC3, '"', '}'};
            assertError(api.postRaw("/login", null, "application/json", body), ErrorCode.INVALID_REQUEST);
        }

        @Test
        void aHugePasswordIsRefusedWithoutHashingIt() {
            var reply = api.postRaw("/login", null, "application/json",
                    ("{\"username\": \"Huge\", \"password\": \"" + "p".repeat(60_000) + "\"}")
                            .getBytes(StandardCharsets.UTF_8));
            assertThat(reply.status()).as("%s", reply).isEqualTo(400);
            assertThat(reply.error()).isEqualTo("invalid_request");
        }
    }

    @Nested
    class Lifetime {
        @Test
        void tokensExpireAfterTheirLifetimeByKind() {
            var clock = new ManualClock();
            try (var timed = TestServer.start(c -> { }, clock)) {
                var timedApi = new Api(timed);
                var start = clock.instant();
                var anonymous = timedApi.post("/session", null, null).json();
                var temporary = timedApi.loginReply("Shorty", null).json();
                var registered = timedApi.loginReply("Longo", "longo-password").json();
                assertThat(Instant.parse(anonymous.path("expiresAt").asText())).isEqualTo(start.plus(Duration.ofHours(24)));
                assertThat(Instant.parse(temporary.path("expiresAt").asText())).isEqualTo(start.plus(Duration.ofHours(24)));
                assertThat(Instant.parse(registered.path("expiresAt").asText())).isEqualTo(start.plus(Duration.ofDays(30)));

                clock.advance(Duration.ofHours(24).minusSeconds(1));
                assertThat(timedApi.get("/me", anonymous.path("token").asText()).status()).isEqualTo(200);
                assertThat(timedApi.get("/me", temporary.path("token").asText()).status()).isEqualTo(200);
                assertError(timedApi.loginReply("Shorty", null), ErrorCode.INVALID_CREDENTIALS);

                clock.advance(Duration.ofSeconds(1));
                assertError(timedApi.get("/me", anonymous.path("token").asText()), ErrorCode.UNAUTHORIZED);
                assertError(timedApi.get("/me", temporary.path("token").asText()), ErrorCode.UNAUTHORIZED);
                assertThat(timedApi.get("/me", registered.path("token").asText()).status()).isEqualTo(200);
                // The temporary name is free once its only token has lapsed.
                assertThat(timedApi.loginReply("shorty", null).status()).isEqualTo(200);

                clock.advance(Duration.ofDays(29));
                assertError(timedApi.get("/me", registered.path("token").asText()), ErrorCode.UNAUTHORIZED);
                // The account outlives its tokens.
                assertThat(timedApi.loginReply("Longo", "longo-password").status()).isEqualTo(200);
            }
        }

        @Test
        void lifetimesAreConfigurable() {
            var clock = new ManualClock();
            try (var timed = TestServer.start(c -> {
                c.tokenLifetimes.anonymous = Duration.ofMinutes(1);
                c.tokenLifetimes.temporary = Duration.ofMinutes(2);
                c.tokenLifetimes.registered = Duration.ofMinutes(3);
            }, clock)) {
                var timedApi = new Api(timed);
                var start = clock.instant();
                assertThat(Instant.parse(timedApi.post("/session", null, null).json().path("expiresAt").asText()))
                        .isEqualTo(start.plus(Duration.ofMinutes(1)));
                assertThat(Instant.parse(timedApi.loginReply("Minute", null).json().path("expiresAt").asText()))
                        .isEqualTo(start.plus(Duration.ofMinutes(2)));
                var registered = timedApi.loginReply("Minutes", "minutes-password").json();
                assertThat(Instant.parse(registered.path("expiresAt").asText())).isEqualTo(start.plus(Duration.ofMinutes(3)));
                clock.advance(Duration.ofMinutes(3));
                assertError(timedApi.get("/me", registered.path("token").asText()), ErrorCode.UNAUTHORIZED);
            }
        }

        @Test
        void tokensAndHeldNamesSurviveARestart() {
            try (var restarted = TestServer.start()) {
                var restartedApi = new Api(restarted);
                var anonymous = restartedApi.post("/session", null, null).json();
                var temporary = restartedApi.login("Stayer", null);
                var registered = restartedApi.login("Keeper", "keeper-password");
                var revoked = restartedApi.login("Keeper", "keeper-password");
                restartedApi.post("/logout", revoked, null);

                restarted.restart();

                var after = new Api(restarted);
                assertThat(after.get("/me", anonymous.path("token").asText()).user())
                        .isEqualTo(new User(name(anonymous), UserKind.ANONYMOUS));
                assertThat(after.get("/me", temporary).body()).isEqualTo("{\"name\":\"Stayer\",\"kind\":\"temporary\"}");
                assertThat(after.get("/me", registered).body()).isEqualTo("{\"name\":\"Keeper\",\"kind\":\"registered\"}");
                assertError(after.get("/me", revoked), ErrorCode.UNAUTHORIZED);
                assertError(after.loginReply("stayer", null), ErrorCode.INVALID_CREDENTIALS);
                assertThat(after.loginReply("keeper", "keeper-password").status()).isEqualTo(200);
            }
        }
    }
}
