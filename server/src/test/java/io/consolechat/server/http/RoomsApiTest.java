package io.consolechat.server.http;

import static io.consolechat.server.testing.ErrorReplies.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.consolechat.protocol.ErrorCode;
import io.consolechat.protocol.Event;
import io.consolechat.protocol.Json;
import io.consolechat.protocol.User;
import io.consolechat.protocol.UserKind;
import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.ManualClock;
import io.consolechat.server.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The plain JSON endpoints: sending, {@code /rooms}, {@code /room/x/messages}, {@code /me}, {@code /health}. */
class RoomsApiTest {
    private static final String ISO_MILLIS = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z";

    private static TestServer server;
    private static Api api;
    private static String token;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        api = new Api(server);
        token = api.anonymousToken();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static List<Long> seqs(String path) {
        var reply = api.get(path, token);
        assertThat(reply.status()).as("%s", reply).isEqualTo(200);
        return reply.events().stream().map(Event::seq).toList();
    }

    private static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    @Test
    void sendingAnswersWithTheStoredEvent() {
        var sender = api.login("Poster", null);
        var reply = api.sendText("Posts", sender, "first post");
        assertThat(reply.status()).isEqualTo(201);
        assertThat(reply.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        var body = reply.json();
        assertThat(Api.fieldNames(body)).containsExactly("type", "room", "seq", "at", "from", "text");
        assertThat(body.path("type").asText()).isEqualTo("message");
        // Room names are lower-cased by the server.
        assertThat(body.path("room").asText()).isEqualTo("posts");
        assertThat(body.path("seq").asLong()).isEqualTo(1);
        assertThat(body.path("at").asText()).matches(ISO_MILLIS);
        assertThat(body.path("from").path("name").asText()).isEqualTo("Poster");
        assertThat(body.path("from").path("kind").asText()).isEqualTo("temporary");
        assertThat(body.path("text").asText()).isEqualTo("first post");
        assertThat(api.sendMessage("POSTS", sender, "second").seq()).isEqualTo(2);
        assertThat(api.get("/room/PoStS/messages", token).events()).extracting(Event::text)
                .containsExactly("first post", "second");
    }

    @Test
    void joinAndLeaveEventsCarryNoText() throws Exception {
        var listener = api.anonymousToken();
        try (var stream = api.stream("/room/textless?timeout=0", listener)) {
            var line = stream.nextLine(Duration.ofSeconds(5));
            var join = new Json().mapper().readTree(line);
            assertThat(Api.fieldNames(join)).containsExactly("type", "room", "seq", "at", "from");
            assertThat(join.path("at").asText()).matches(ISO_MILLIS);
            stream.readToEnd(Duration.ofSeconds(5));
        }
    }

    @Test
    void messagesPagesBackwardsFromBefore() {
        var sender = api.anonymousToken();
        for (int i = 1; i <= 10; i++) {
            api.sendMessage("paged", sender, "m" + i);
        }
        assertThat(seqs("/room/paged/messages")).isEqualTo(range(1, 10));
        assertThat(seqs("/room/paged/messages?limit=3")).isEqualTo(range(8, 10));
        assertThat(seqs("/room/paged/messages?before=5")).isEqualTo(range(1, 4));
        assertThat(seqs("/room/paged/messages?before=5&limit=2")).isEqualTo(range(3, 4));
        assertThat(seqs("/room/paged/messages?before=100&limit=2")).isEqualTo(range(9, 10));
        assertThat(seqs("/room/paged/messages?before=1")).isEmpty();
        assertThat(seqs("/room/paged/messages?limit=0")).isEmpty();
        assertThat(seqs("/room/paged/messages?limit=500")).isEqualTo(range(1, 10));
        assertThat(api.get("/room/paged/messages?limit=2", token).events()).extracting(Event::text)
                .containsExactly("m9", "m10");
        assertThat(seqs("/room/never-used/messages")).isEmpty();
        // The largest cursor there is, as its error message promises.
        assertThat(seqs("/room/paged/messages?limit=1&before=" + Long.MAX_VALUE)).containsExactly(10L);
    }

    @Test
    void messagesReturnsFiftyByDefault() {
        var sender = api.anonymousToken();
        for (int i = 1; i <= 60; i++) {
            api.sendMessage("many", sender, "m" + i);
        }
        assertThat(seqs("/room/many/messages")).isEqualTo(range(11, 60));
    }

    @ParameterizedTest
    @ValueSource(strings = {"limit=501", "limit=-1", "limit=x", "limit=", "before=0", "before=-3", "before=x",
            "before=1.5", "before=9223372036854775808", "before=99999999999999999999"})
    void badMessagesParametersAreInvalidRequests(String query) {
        assertError(api.get("/room/paged/messages?" + query, token), ErrorCode.INVALID_REQUEST);
    }

    @Test
    void roomsListsActiveRoomsMostRecentFirst() throws Exception {
        var clock = new ManualClock();
        try (var timed = TestServer.start(c -> { }, clock)) {
            var timedApi = new Api(timed);
            var sender = timedApi.anonymousToken();
            var listener = timedApi.login("Lurker", null);
            assertThat(timedApi.get("/rooms", sender).body()).isEqualTo("[]");

            var alphaFirst = timedApi.sendMessage("alpha", sender, "a1");
            clock.advance(Duration.ofSeconds(1));
            try (var stream = timedApi.stream("/room/beta?timeout=30", listener)) {
                var join = stream.nextEvent(Duration.ofSeconds(5));
                clock.advance(Duration.ofSeconds(1));
                var gamma = timedApi.sendMessage("gamma", sender, "g1");
                clock.advance(Duration.ofSeconds(1));
                var alphaSecond = timedApi.sendMessage("alpha", sender, "a2");
                // Reading a room creates nothing.
                timedApi.get("/room/idle/messages", sender);
                timedApi.get("/room/idle/members", sender);

                var rooms = timedApi.get("/rooms", sender).json();
                assertThat(rooms).hasSize(3);
                for (var room : rooms) {
                    assertThat(Api.fieldNames(room)).containsExactly("name", "members", "lastSeq", "lastActivity");
                }
                assertThat(rooms).extracting(r -> r.path("name").asText()).containsExactly("alpha", "gamma", "beta");
                assertThat(rooms.get(0).path("lastSeq").asLong()).isEqualTo(alphaSecond.seq()).isEqualTo(2);
                assertThat(rooms.get(0).path("lastActivity").asText()).isEqualTo(Json.format(alphaSecond.at()));
                assertThat(rooms.get(0).path("members").asInt()).isZero();
                assertThat(rooms.get(1).path("lastActivity").asText()).isEqualTo(Json.format(gamma.at()));
                assertThat(rooms.get(2).path("lastSeq").asLong()).isEqualTo(join.seq());
                assertThat(rooms.get(2).path("lastActivity").asText()).isEqualTo(Json.format(join.at()));
                assertThat(rooms.get(2).path("members").asInt()).isEqualTo(1);
                assertThat(alphaSecond.at()).isEqualTo(alphaFirst.at().plusSeconds(3));
            }
        }
    }

    @Test
    void meShowsTheUserOfTheToken() {
        assertThat(api.get("/me", api.login("Kind", null)).user()).isEqualTo(new User("Kind", UserKind.TEMPORARY));
        assertThat(api.get("/me", api.login("Named", "named-password")).user())
                .isEqualTo(new User("Named", UserKind.REGISTERED));
        var anonymous = api.get("/me", token);
        assertThat(anonymous.status()).isEqualTo(200);
        assertThat(Api.fieldNames(anonymous.json())).containsExactly("name", "kind");
        assertThat(anonymous.user().kind()).isEqualTo(UserKind.ANONYMOUS);
    }

    @Test
    void healthNeedsNoToken() {
        for (var credentials : new String[] {null, "not-a-token"}) {
            var reply = api.get("/health", credentials);
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
            assertThat(reply.body()).isEqualTo("{\"status\":\"ok\"}");
        }
    }
}
