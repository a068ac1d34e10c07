package io.consolechat.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.consolechat.protocol.Event;
import io.consolechat.protocol.StreamItem;
import io.consolechat.protocol.User;
import io.consolechat.protocol.UserKind;
import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** A new server on the same data directory finds everything the old one stored. */
class DurabilityTest {
    private static final Duration SOON = Duration.ofSeconds(5);

    private static List<Event> history(Api api, String room, String token) {
        var reply = api.get("/room/" + room + "/messages?limit=500", token);
        assertThat(reply.status()).isEqualTo(200);
        return reply.events();
    }

    @Test
    void historySequencesUsersAndTokensSurviveAStop() throws Exception {
        try (var server = TestServer.start()) {
            var api = new Api(server);
            var registered = api.login("Ada", "ada-password");
            var temporary = api.login("Tim", null);
            var anonymous = api.anonymousToken();
            var anonymousUser = api.get("/me", anonymous).user();

            StreamItem.End endAtShutdown;
            try (var open = api.stream("/room/kept?timeout=60", registered)) {
                var join = open.nextEvent(SOON);
                for (int i = 0; i < 5; i++) {
                    api.sendMessage("kept", temporary, "kept " + i);
                    api.sendMessage("other", anonymous, "other " + i);
                    assertThat(open.nextEvent(SOON).text()).isEqualTo("kept " + i);
                }
                var before = history(api, "kept", anonymous);
                var otherBefore = history(api, "other", anonymous);
                var roomsBefore = api.get("/rooms", anonymous).json();
                assertThat(before).hasSize(6).first().isEqualTo(join);

                server.stop();

                // A graceful stop ends open streams with their end line.
                var rest = open.itemsToEnd(SOON);
                assertThat(rest).containsExactly(new StreamItem.End(6));
                endAtShutdown = (StreamItem.End) rest.getLast();

                server.startAgain();

                assertThat(api.get("/me", registered).user()).isEqualTo(new User("Ada", UserKind.REGISTERED));
                assertThat(api.get("/me", temporary).user()).isEqualTo(new User("Tim", UserKind.TEMPORARY));
                assertThat(api.get("/me", anonymous).user()).isEqualTo(anonymousUser);
                assertThat(api.loginReply("Ada", "ada-password").status()).isEqualTo(200);
                assertThat(api.loginReply("tim", null).status()).isEqualTo(401);

                var after = history(api, "kept", anonymous);
                assertThat(after.subList(0, before.size())).isEqualTo(before);
                // Ada was present at the stop: her leave was written on the way down.
                assertThat(after).hasSize(before.size() + 1);
                assertThat(after.getLast().type()).isEqualTo("leave");
                assertThat(after.getLast().from()).isEqualTo(new User("Ada", UserKind.REGISTERED));
                assertThat(history(api, "other", anonymous)).isEqualTo(otherBefore);

                var roomsAfter = api.get("/rooms", anonymous).json();
                assertThat(roomsAfter).hasSameSizeAs(roomsBefore);
                for (var room : roomsAfter) {
                    var name = room.path("name").asText();
                    long expected = name.equals("kept") ? 7 : 5;
                    assertThat(room.path("lastSeq").asLong()).as(name).isEqualTo(expected);
                }
            }

            // The sequence continues where it stopped, and resuming from the old cursor misses nothing.
            var next = api.sendMessage("kept", temporary, "after the restart");
            assertThat(next.seq()).isEqualTo(8);
            try (var resumed = api.stream("/room/kept?timeout=0&since=" + endAtShutdown.since(), registered)) {
                var items = resumed.itemsToEnd(SOON);
                assertThat(items).extracting(StreamItem::type).containsExactly("leave", "message", "join", "end");
                assertThat(items.get(1)).isEqualTo(next);
                assertThat(items.getLast()).isEqualTo(new StreamItem.End(9));
            }
            assertThat(api.sendMessage("other", anonymous, "other again").seq()).isEqualTo(6);
        }
    }

    @Test
    void sequenceNumbersAreNeverReusedAcrossRestarts() {
        try (var server = TestServer.start()) {
            var api = new Api(server);
            var token = api.login("Persistent", "persistent-password");
            var sent = new ArrayList<Event>();
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 3; i++) {
                    sent.add(api.sendMessage("counted", token, "round " + round + " message " + i));
                }
                server.restart();
            }
            assertThat(sent).extracting(Event::seq).isEqualTo(LongStream.rangeClosed(1, 9).boxed().toList());
            assertThat(sent).extracting(Event::at).isSorted();
            assertThat(history(api, "counted", token)).isEqualTo(sent);
        }
    }
}
