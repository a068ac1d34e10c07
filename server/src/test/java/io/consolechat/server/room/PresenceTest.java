package io.consolechat.server.room;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.consolechat.protocol.Event;
import io.consolechat.protocol.StreamItem;
import io.consolechat.protocol.User;
import io.consolechat.protocol.UserKind;
import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Join on the first stream, a grace period before the leave, explicit leave, and who is present. */
class PresenceTest {
    private static final Duration SOON = Duration.ofSeconds(5);

    private TestServer server;
    private Api api;

    private void start(Duration grace) {
        server = TestServer.start(c -> c.presence.grace = grace);
        api = new Api(server);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private List<Event> history(String room) {
        return api.get("/room/" + room + "/messages?limit=500", api.anonymousToken()).events();
    }

    private Event last(String room) {
        var events = history(room);
        return events.isEmpty() ? null : events.getLast();
    }

    private List<User> members(String room) {
        var reply = api.get("/room/" + room + "/members", api.anonymousToken());
        assertThat(reply.status()).isEqualTo(200);
        return reply.users();
    }

    private int memberCount(String room) {
        var rooms = api.get("/rooms", api.anonymousToken()).json();
        for (var entry : rooms) {
            if (entry.path("name").asText().equals(room)) {
                return entry.path("members").asInt();
            }
        }
        throw new AssertionError("no room " + room + " in " + rooms);
    }

    @Test
    void theFirstStreamJoinsTheRoom() throws Exception {
        start(Duration.ofMillis(300));
        var alice = api.login("Alice", null);
        var bob = api.anonymousToken();
        var bobUser = api.get("/me", bob).user();
        try (var aliceStream = api.stream("/room/hall?timeout=30", alice);
             var bobStream = api.stream("/room/hall?timeout=30", bob)) {
            var aliceJoin = aliceStream.nextEvent(SOON);
            assertThat(aliceJoin.type()).isEqualTo("join");
            assertThat(aliceJoin.from()).isEqualTo(new User("Alice", UserKind.TEMPORARY));
            assertThat(aliceJoin.text()).isNull();
            var bobJoin = aliceStream.nextEvent(SOON);
            assertThat(bobJoin.type()).isEqualTo("join");
            assertThat(bobJoin.from()).isEqualTo(bobUser);
            assertThat(bobJoin.seq()).isEqualTo(aliceJoin.seq() + 1);
            // Bob's backlog holds both joins (history mode), then nothing more.
            assertThat(bobStream.nextEvent(SOON)).isEqualTo(aliceJoin);
            assertThat(bobStream.nextEvent(SOON)).isEqualTo(bobJoin);

            assertThat(members("hall")).containsExactlyInAnyOrder(new User("Alice", UserKind.TEMPORARY), bobUser);
            assertThat(members("HALL")).hasSize(2);
            assertThat(memberCount("hall")).isEqualTo(2);
        }
    }

    @Test
    void rePollingInsideTheGracePeriodWritesNoJoinOrLeave() throws Exception {
        start(Duration.ofSeconds(2));
        var alice = api.anonymousToken();
        long since;
        try (var stream = api.stream("/room/poll?timeout=1", alice)) {
            var items = stream.itemsToEnd(SOON);
            assertThat(items).hasSize(2);
            assertThat(((Event) items.getFirst()).type()).isEqualTo("join");
            since = ((StreamItem.End) items.getLast()).since();
        }
        for (int poll = 0; poll < 3; poll++) {
            try (var stream = api.stream("/room/poll?timeout=0&since=" + since, alice)) {
                assertThat(stream.itemsToEnd(SOON)).containsExactly(new StreamItem.End(since));
            }
            assertThat(members("poll")).hasSize(1);
        }
        assertThat(history("poll")).extracting(Event::type).containsExactly("join");
    }

    @Test
    void theLeaveComesAfterTheGracePeriod() throws Exception {
        var grace = Duration.ofMillis(600);
        start(grace);
        var alice = api.login("Leaving", null);
        // The stream ends after this instant, so the grace period cannot have run out before this plus grace.
        var started = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        try (var stream = api.stream("/room/gone?timeout=0", alice)) {
            stream.readToEnd(SOON);
        }
        var leave = await().atMost(SOON).until(() -> last("gone"), e -> e.type().equals("leave"));
        assertThat(leave.from()).isEqualTo(new User("Leaving", UserKind.TEMPORARY));
        assertThat(leave.seq()).isEqualTo(2);
        assertThat(leave.at()).isAfterOrEqualTo(started.plus(grace));
        assertThat(members("gone")).isEmpty();
        assertThat(memberCount("gone")).isZero();
    }

    @Test
    void anExplicitLeaveWritesTheLeaveAndEndsThatUsersStreams() throws Exception {
        var grace = Duration.ofMillis(300);
        start(grace);
        var alice = api.login("Quitter", null);
        var bob = api.login("Stayer", null);
        try (var aliceStream = api.stream("/room/exit?timeout=30", alice);
             var aliceSecond = api.stream("/room/exit?timeout=30", alice);
             var bobStream = api.stream("/room/exit?timeout=30", bob)) {
            var aliceJoin = aliceStream.nextEvent(SOON);
            var bobJoin = bobStream.nextEvent(SOON);
            if (bobJoin.equals(aliceJoin)) {
                bobJoin = bobStream.nextEvent(SOON);
            }
            assertThat(bobJoin.from().name()).isEqualTo("Stayer");

            var reply = api.post("/room/exit/leave", alice, null);
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.body()).isEqualTo("{\"ok\":true}");

            var leave = last("exit");
            assertThat(leave.type()).isEqualTo("leave");
            assertThat(leave.from().name()).isEqualTo("Quitter");
            for (var stream : List.of(aliceStream, aliceSecond)) {
                var rest = stream.itemsToEnd(SOON);
                assertThat(rest).contains(leave).endsWith(new StreamItem.End(leave.seq()));
            }
            assertThat(members("exit")).containsExactly(new User("Stayer", UserKind.TEMPORARY));

            // Bob's stream goes on: it sees the leave and what comes after.
            var message = api.sendMessage("exit", bob, "bye Quitter");
            assertThat(bobStream.nextEvent(SOON)).isEqualTo(leave);
            assertThat(bobStream.nextEvent(SOON)).isEqualTo(message);
            assertThat(message.seq()).isEqualTo(leave.seq() + 1);

            // Leaving again, or leaving a room one is not in, writes nothing.
            assertThat(api.post("/room/exit/leave", alice, null).body()).isEqualTo("{\"ok\":true}");
            assertThat(api.post("/room/elsewhere/leave", alice, null).body()).isEqualTo("{\"ok\":true}");
            // Nor does the grace period of the streams that the leave ended.
            await().during(grace.multipliedBy(3)).atMost(grace.multipliedBy(3).plus(SOON))
                    .until(() -> last("exit").equals(message));
            assertThat(history("elsewhere")).isEmpty();
        }
    }

    @Test
    void twoStreamsOfTheSameUserCountOnce() throws Exception {
        var grace = Duration.ofMillis(300);
        start(grace);
        var first = api.login("Twice", "twice-password");
        var second = api.login("twice", "twice-password");
        try (var shortStream = api.stream("/room/double?timeout=1", first);
             var longStream = api.stream("/room/double?timeout=3", second)) {
            var join = shortStream.nextEvent(SOON);
            assertThat(join.type()).isEqualTo("join");
            assertThat(longStream.nextEvent(SOON)).isEqualTo(join);
            assertThat(members("double")).containsExactly(new User("Twice", UserKind.REGISTERED));
            assertThat(memberCount("double")).isEqualTo(1);

            assertThat(shortStream.itemsToEnd(SOON)).containsExactly(new StreamItem.End(join.seq()));
            // The other stream is still open: no leave, even well past the grace period.
            await().during(grace.multipliedBy(2)).atMost(SOON).until(() -> last("double").equals(join));
            assertThat(members("double")).hasSize(1);

            assertThat(longStream.itemsToEnd(SOON)).containsExactly(new StreamItem.End(join.seq()));
            var leave = await().atMost(SOON).until(() -> last("double"), e -> e.type().equals("leave"));
            assertThat(leave.seq()).isEqualTo(join.seq() + 1);
            assertThat(members("double")).isEmpty();
        }
    }

    @Test
    void membersOfAnUnknownRoomAreNone() {
        start(Duration.ofMillis(300));
        assertThat(members("nobody-here")).isEmpty();
    }
}
