package io.consolechat.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.consolechat.protocol.Event;
import io.consolechat.protocol.EventType;
import io.consolechat.protocol.StreamItem;
import io.consolechat.protocol.UserKind;
import io.consolechat.server.testing.TestServer;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ChatClientTest {
    private static TestServer server;
    private static ChatClient client;

    @BeforeAll
    static void startServer() {
        server = TestServer.start();
        client = ChatClient.create(ServerAddress.parse(server.uri().toString()), false);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void sessionGivesAnAnonymousUser() {
        var session = client.session();
        assertThat(session.user().kind()).isEqualTo(UserKind.ANONYMOUS);
        assertThat(session.user().name()).startsWith("anon-");
        assertThat(client.me(session.token())).isEqualTo(session.user());
    }

    @Test
    void loginWithoutNameIsAnonymous() {
        assertThat(client.login(null, null).user().kind()).isEqualTo(UserKind.ANONYMOUS);
    }

    @Test
    void nameAloneIsATemporaryUserWhoseNameIsHeldUntilLogout() {
        var temporary = client.login("Tempo", null);
        assertThat(temporary.user().kind()).isEqualTo(UserKind.TEMPORARY);
        assertThat(temporary.user().name()).isEqualTo("Tempo");

        assertThatThrownBy(() -> client.login("tempo", null))
                .isInstanceOfSatisfying(ApiError.class, e -> {
                    assertThat(e.code()).isEqualTo("invalid_credentials");
                    assertThat(e.isAuthentication()).isTrue();
                });

        client.logout(temporary.token());
        assertThat(client.login("tempo", null).user().kind()).isEqualTo(UserKind.TEMPORARY);
    }

    @Test
    void nameAndPasswordCreateThenLogInARegisteredUser() {
        var created = client.login("Regina", "correct horse");
        assertThat(created.created()).isTrue();
        assertThat(created.user().kind()).isEqualTo(UserKind.REGISTERED);

        var again = client.login("regina", "correct horse");
        assertThat(again.created()).isNull();
        assertThat(again.user().name()).isEqualTo("Regina");

        assertThatThrownBy(() -> client.login("Regina", "wrong password"))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.status()).isEqualTo(401));
        assertThatThrownBy(() -> client.login("Regina", null))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.code()).isEqualTo("invalid_credentials"));
    }

    @Test
    void badNamesAndWeakPasswordsAreRefusedWithTheServersMessage() {
        assertThatThrownBy(() -> client.login("x", "long enough password"))
                .isInstanceOfSatisfying(ApiError.class, e -> {
                    assertThat(e.code()).isEqualTo("invalid_username");
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).isNotBlank();
                });
        assertThatThrownBy(() -> client.login("shorty", "short"))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.code()).isEqualTo("weak_password"));
    }

    @Test
    void aRevokedTokenIsRefused() {
        var session = client.session();
        client.logout(session.token());
        assertThatThrownBy(() -> client.me(session.token()))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.code()).isEqualTo("unauthorized"));
    }

    @Test
    void sendStoresTheMessageAndTheStreamDeliversIt() {
        var token = client.session().token();
        var sent = client.send(token, "sending", "hello there");
        assertThat(sent.kind()).isEqualTo(EventType.MESSAGE);
        assertThat(sent.text()).isEqualTo("hello there");

        try (var stream = client.stream(token, "sending", Cursor.recent(10), 0)) {
            var items = readAll(stream);
            assertThat(items).last().isInstanceOf(StreamItem.End.class);
            assertThat(events(items)).extracting(Event::text).contains("hello there");
        }
        assertThat(client.messages(token, "sending", OptionalLong.empty(), 10))
                .extracting(Event::seq).contains(sent.seq());
    }

    /** The server writes U+2028 and U+2029 escaped; the client reads them back as the same text. */
    @Test
    void lineAndParagraphSeparatorsComeBackAsSent() {
        var token = client.session().token();
        var text = "one\u2028two\u2029three";
        assertThat(client.send(token, "separators", text).text()).isEqualTo(text);
        try (var stream = client.stream(token, "separators", Cursor.recent(10), 0)) {
            var messages = events(readAll(stream)).stream().filter(e -> e.kind() == EventType.MESSAGE).toList();
            assertThat(messages).extracting(Event::text).containsExactly(text);
        }
        assertThat(client.messages(token, "separators", OptionalLong.empty(), 10))
                .filteredOn(e -> e.kind() == EventType.MESSAGE).extracting(Event::text).containsExactly(text);
    }

    @Test
    void refusedMessagesCarryTheServersCode() {
        var token = client.session().token();
        assertThatThrownBy(() -> client.send(token, "refusals", "   "))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.code()).isEqualTo("empty_message"));
        assertThatThrownBy(() -> client.send(token, "refusals", "\u00a0\u200b\ufeff"))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.code()).isEqualTo("empty_message"));
        assertThatThrownBy(() -> client.send(token, "refusals", "a\u001b[2Jb"))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.code()).isEqualTo("invalid_text"));
        assertThatThrownBy(() -> client.send(token, "Not A Room!", "hi"))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.code()).isEqualTo("invalid_room"));
    }

    @Test
    void streamResumesAfterItsEndWithEveryEventOnce() {
        var token = client.session().token();
        var first = client.send(token, "resume", "one");
        long since;
        try (var stream = client.stream(token, "resume", Cursor.after(0), 0)) {
            var items = readAll(stream);
            assertThat(events(items)).extracting(Event::text).contains("one");
            since = ((StreamItem.End) items.getLast()).since();
        }
        assertThat(since).isGreaterThanOrEqualTo(first.seq());
        client.send(token, "resume", "two");
        client.send(token, "resume", "three");
        try (var stream = client.stream(token, "resume", Cursor.after(since), 0)) {
            var texts = events(readAll(stream)).stream().filter(e -> e.kind() == EventType.MESSAGE)
                    .map(Event::text).toList();
            assertThat(texts).containsExactly("two", "three");
        }
    }

    @Test
    void roomsAndMembersListWhatIsThere() {
        var token = client.login("Lister", null).token();
        client.send(token, "listed", "here");
        try (var stream = client.stream(token, "listed", Cursor.recent(0), 5)) {
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(client.members(token, "listed")).extracting(u -> u.name()).contains("Lister"));
            assertThat(client.rooms(token)).extracting(r -> r.name()).contains("listed");
            client.leave(token, "listed");
            assertThat(client.members(token, "listed")).extracting(u -> u.name()).doesNotContain("Lister");
        }
    }

    @Test
    void followReceivesOtherUsersMessagesAndRepollsWhenStreamsEnd() {
        var sender = client.session().token();
        var listener = client.session().token();
        var seen = new Recorder();
        // One-second polls: the follower must re-poll several times during this test.
        var settings = new RoomFollow.Settings(1, Duration.ofSeconds(10),
                () -> new Backoff(Duration.ofMillis(50), Duration.ofMillis(200)));
        try (var follow = RoomFollow.start(client, () -> listener, "repoll", Cursor.recent(0), seen, settings)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> !seen.states.isEmpty());
            for (int i = 1; i <= 3; i++) {
                // Each message in a later poll than the one before: the follower re-polls every second.
                long polls = follow.streamsOpened();
                await().atMost(Duration.ofSeconds(5)).until(() -> follow.streamsOpened() > polls);
                var sent = client.send(sender, "repoll", "m" + i);
                await().atMost(Duration.ofSeconds(5)).until(() -> follow.lastSeq() >= sent.seq());
            }
            assertThat(seen.connectedCount()).as("re-polls are not reconnections").isEqualTo(1);
        }
        assertThat(seen.messages()).containsExactly("m1", "m2", "m3");
        assertSequenceHasNoGapsOrRepeats(seen.events);
    }

    @Test
    void followSurvivesAServerRestartWithoutLossOrDuplicates() {
        try (var own = TestServer.start()) {
            var ownClient = ChatClient.create(ServerAddress.parse(own.uri().toString()), false);
            var sender = ownClient.session().token();
            var listener = ownClient.session().token();
            var seen = new Recorder();
            var settings = new RoomFollow.Settings(30, Duration.ofSeconds(10),
                    () -> new Backoff(Duration.ofMillis(50), Duration.ofMillis(300)));
            try (var follow = RoomFollow.start(ownClient, () -> listener, "durable", Cursor.recent(0), seen, settings)) {
                await().atMost(Duration.ofSeconds(5)).until(() -> seen.connectedCount() == 1);
                for (int i = 1; i <= 5; i++) {
                    ownClient.send(sender, "durable", "before " + i);
                }
                await().atMost(Duration.ofSeconds(5)).until(() -> seen.messages().size() == 5);

                own.stop();
                await().atMost(Duration.ofSeconds(5)).until(() -> seen.states.stream()
                        .anyMatch(s -> s instanceof ConnectionState.Reconnecting));
                own.startAgain();
                // Sent before the follower is back: it must come through `since`, once.
                for (int i = 1; i <= 5; i++) {
                    ownClient.send(sender, "durable", "after " + i);
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> seen.messages().size() >= 10);
                assertThat(seen.connectedCount()).isGreaterThanOrEqualTo(2);
            }
            assertThat(seen.messages()).containsExactly("before 1", "before 2", "before 3", "before 4", "before 5",
                    "after 1", "after 2", "after 3", "after 4", "after 5");
            assertSequenceHasNoGapsOrRepeats(seen.events);
        }
    }

    @Test
    void anUnreachableServerIsReportedAsSuch() throws Exception {
        int closedPort;
        try (var socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        var nowhere = ChatClient.create(ServerAddress.parse("http://127.0.0.1:" + closedPort), false);
        assertThatThrownBy(nowhere::session)
                .isInstanceOf(Unreachable.class)
                .hasMessageContaining("connection refused");
    }

    @Test
    void followStopsForGoodWhenItsTokenIsRefused() {
        var seen = new Recorder();
        try (var follow = RoomFollow.start(client, () -> "not-a-token", "refused", Cursor.recent(0), seen,
                RoomFollow.Settings.standard())) {
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.states.stream()
                    .anyMatch(s -> s instanceof ConnectionState.Offline));
        }
        assertThat(seen.events).isEmpty();
    }

    private static void assertSequenceHasNoGapsOrRepeats(List<Event> events) {
        var seqs = events.stream().mapToLong(Event::seq).toArray();
        assertThat(seqs).isNotEmpty();
        assertThat(seqs).containsExactly(LongStream.rangeClosed(seqs[0], seqs[seqs.length - 1]).toArray());
    }

    private static List<StreamItem> readAll(EventStream stream) {
        var items = new ArrayList<StreamItem>();
        StreamItem item;
        while ((item = stream.next()) != null) {
            items.add(item);
            if (item instanceof StreamItem.End) {
                break;
            }
        }
        return items;
    }

    private static List<Event> events(List<StreamItem> items) {
        return items.stream().filter(Event.class::isInstance).map(Event.class::cast).toList();
    }

    /** Records what a follower reports. */
    static final class Recorder implements RoomListener {
        final List<Event> events = new CopyOnWriteArrayList<>();
        final List<ConnectionState> states = new CopyOnWriteArrayList<>();

        @Override
        public void onEvent(Event event) {
            events.add(event);
        }

        @Override
        public void onState(ConnectionState state) {
            states.add(state);
        }

        List<String> messages() {
            return events.stream().filter(e -> e.kind() == EventType.MESSAGE).map(Event::text).toList();
        }

        long connectedCount() {
            return states.stream().filter(ConnectionState.Connected.class::isInstance).count();
        }
    }
}
