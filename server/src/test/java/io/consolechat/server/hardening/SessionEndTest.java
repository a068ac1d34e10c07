package io.consolechat.server.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import io.consolechat.protocol.Event;
import io.consolechat.protocol.EventType;
import io.consolechat.protocol.StreamItem;
import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.ManualClock;
import io.consolechat.server.testing.TestServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A session's end ends its streams, and a name that passes to someone else does not take the old presence. */
class SessionEndTest {

    @Test
    void logoutEndsTheTokensOpenStreamsAtOnce() throws Exception {
        try (var server = TestServer.start()) {
            var api = new Api(server);
            var token = api.login("leaving", null);
            var other = api.login("staying", null);
            try (var lobby = api.stream("/room/lobby?timeout=3600", token);
                 var dev = api.stream("/room/dev?timeout=3600", token);
                 var mine = api.stream("/me/events?timeout=3600", token);
                 var kept = api.stream("/room/lobby?timeout=3600", other)) {
                assertThat(lobby.nextEvent(Duration.ofSeconds(5)).kind()).isEqualTo(EventType.JOIN);
                assertThat(dev.nextEvent(Duration.ofSeconds(5)).kind()).isEqualTo(EventType.JOIN);
                assertThat(api.post("/logout", token, null).status()).isEqualTo(204);
                for (var ended : new Api.Stream[] {lobby, dev, mine}) {
                    var rest = ended.itemsToEnd(Duration.ofSeconds(1));
                    assertThat(rest.getLast()).isInstanceOf(StreamItem.End.class);
                }
                // Another user's stream on the same room goes on.
                api.sendMessage("lobby", other, "still here");
                assertThat(nextMessage(kept)).isEqualTo("still here");
            }
            assertThat(api.get("/me", token).status()).isEqualTo(401);
        }
    }

    /**
     * A temporary name whose token lapsed passes to a new user while the old user's stream is still open:
     * the new user's leave neither ends the old stream nor writes a leave in the old user's name.
     */
    @Test
    void aReusedTemporaryNameStartsAPresenceOfItsOwn() throws Exception {
        var clock = new ManualClock();
        try (var server = TestServer.start(c -> {
            c.tokenLifetimes.temporary = Duration.ofMinutes(1);
            c.presence.grace = Duration.ofHours(1);
        }, clock)) {
            var api = new Api(server);
            var witness = api.anonymousToken();
            var first = api.login("sam", null);
            try (var old = api.stream("/room/shared?timeout=3600", first)) {
                assertThat(old.nextEvent(Duration.ofSeconds(5)).kind()).isEqualTo(EventType.JOIN);
                clock.advance(Duration.ofMinutes(2));
                var second = api.login("sam", null);
                assertThat(second).isNotEqualTo(first);
                assertThat(api.post("/room/shared/leave", second, null).status()).isEqualTo(200);
                api.sendMessage("shared", witness, "after the new sam left");
                assertThat(nextMessage(old)).isEqualTo("after the new sam left");
            }
            assertThat(api.get("/room/shared/messages", witness).events()).extracting(Event::kind)
                    .containsExactly(EventType.JOIN, EventType.MESSAGE);
        }
    }

    private static String nextMessage(Api.Stream stream) throws InterruptedException {
        while (true) {
            var event = stream.nextEvent(Duration.ofSeconds(5));
            if (event.kind() == EventType.MESSAGE) {
                return event.text();
            }
        }
    }
}
