package io.consolechat.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.consolechat.protocol.Event;
import io.consolechat.protocol.EventType;
import io.consolechat.protocol.Json;
import io.consolechat.protocol.PersonalEvent;
import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** One stream for several rooms and the personal stream, against a real server that goes away and comes back. */
class RoomsFollowTest {
    private static final Duration WAIT = Duration.ofSeconds(40);

    private static final class Recorder implements RoomsFollow.Listener {
        final List<Event> events = new CopyOnWriteArrayList<>();
        final List<PersonalEvent> personal = new CopyOnWriteArrayList<>();
        final List<ConnectionState> states = new CopyOnWriteArrayList<>();

        @Override
        public void onEvent(Event event) {
            events.add(event);
        }

        @Override
        public void onPersonal(PersonalEvent item) {
            personal.add(item);
        }

        @Override
        public void onState(ConnectionState state) {
            states.add(state);
        }

        @Override
        public void onRefused(String room, ApiError error) {
        }

        List<String> texts(String room) {
            return events.stream().filter(e -> e.kind() == EventType.MESSAGE && e.room().equals(room))
                    .map(Event::text).toList();
        }
    }

    @Test
    void everyRoomAndTheDirectMessagesResumeAfterARestartWithNothingLostOrTwice() {
        try (var server = TestServer.start()) {
            var api = new Api(server);
            var client = new ChatClient(ServerAddress.parse(server.uri().toString()),
                    java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build(),
                    new Json());
            var me = client.login("rita", "rita's password");
            var other = api.login("sam", "sam's password");
            var recorder = new Recorder();
            var settings = new RoomFollow.Settings(30, Duration.ofSeconds(40),
                    () -> new Backoff(Duration.ofMillis(200), Duration.ofSeconds(1)));
            try (var follow = RoomsFollow.start(client, me::token, client.personalCursor(me.token()), recorder, settings)) {
                follow.add("north", -1);
                follow.add("south", -1);
                api.sendText("north", other, "n1");
                api.sendText("south", other, "s1");
                api.sendDirect("rita", other, "d1");
                await().atMost(WAIT).until(() -> recorder.texts("north").contains("n1")
                        && recorder.texts("south").contains("s1") && recorder.personal.size() == 1);

                server.stop();
                await().atMost(WAIT).until(() -> recorder.states.getLast() instanceof ConnectionState.Reconnecting);
                server.startAgain();
                api.sendText("north", other, "n2");
                api.sendText("south", other, "s2");
                api.sendText("south", other, "s3");
                api.sendDirect("rita", other, "d2");
                await().atMost(WAIT).until(() -> recorder.texts("south").contains("s3")
                        && recorder.texts("north").contains("n2") && recorder.personal.size() == 2);

                // A room added while running comes with its history; the others lose nothing meanwhile.
                api.sendText("east", other, "e1");
                follow.add("east", -1);
                api.sendText("north", other, "n3");
                follow.remove("south");
                api.sendText("south", other, "s4");
                api.sendText("north", other, "n4");
                await().atMost(WAIT).until(() -> recorder.texts("north").contains("n4")
                        && recorder.texts("east").contains("e1"));

                assertThat(recorder.texts("north")).containsExactly("n1", "n2", "n3", "n4");
                assertThat(recorder.texts("south")).containsExactly("s1", "s2", "s3");
                assertThat(recorder.texts("east")).containsExactly("e1");
                assertThat(recorder.personal).extracting(PersonalEvent::text).containsExactly("d1", "d2");
                assertThat(recorder.states).anyMatch(ConnectionState.Connected.class::isInstance);
            }
        }
    }
}
