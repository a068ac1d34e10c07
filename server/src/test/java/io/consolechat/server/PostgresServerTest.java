package io.consolechat.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.consolechat.protocol.Event;
import io.consolechat.protocol.EventType;
import io.consolechat.protocol.StreamItem;
import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.PostgresExtension;
import io.consolechat.server.testing.PostgresExtension.Postgres;
import io.consolechat.server.testing.TestServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The whole server on PostgreSQL: logins, posts, streams and resuming, across a restart. */
@ExtendWith(PostgresExtension.class)
class PostgresServerTest {

    @Test
    void theServerWorksOnPostgresAndKeepsEverythingAcrossARestart(Postgres postgres) throws Exception {
        var database = postgres.newDatabase();
        try (var server = TestServer.start(c -> c.storage.database = database)) {
            var api = new Api(server);
            var alice = api.login("alice", "alice's password");
            var bob = api.login("bob", null);
            try (var stream = api.stream("/room/pg?timeout=30", bob)) {
                assertThat(stream.nextEvent(Duration.ofSeconds(5)).kind()).isEqualTo(EventType.JOIN);
                var sent = api.sendMessage("pg", alice, "stored in PostgreSQL");
                assertThat(stream.nextEvent(Duration.ofSeconds(5))).isEqualTo(sent);
            }
            server.restart();
            var again = new Api(server);
            assertThat(again.get("/me", alice).status()).isEqualTo(200);
            assertThat(again.loginReply("alice", "alice's password").status()).isEqualTo(200);
            assertThat(again.loginReply("alice", "wrong password").status()).isEqualTo(401);
            try (var resumed = again.stream("/room/pg?since=0&timeout=0", alice)) {
                var items = resumed.itemsToEnd(Duration.ofSeconds(10));
                var events = items.stream().filter(Event.class::isInstance).map(Event.class::cast).toList();
                // bob's join, the message, bob's leave at the restart, alice's join now.
                assertThat(events).extracting(Event::kind).containsExactly(EventType.JOIN, EventType.MESSAGE,
                        EventType.LEAVE, EventType.JOIN);
                assertThat(events).extracting(Event::seq).containsExactly(1L, 2L, 3L, 4L);
                assertThat(events.get(1).text()).isEqualTo("stored in PostgreSQL");
                assertThat(items.getLast()).isEqualTo(new StreamItem.End(4));
            }
            assertThat(again.sendMessage("pg", bob, "after the restart").seq()).isEqualTo(5);

            // A direct conversation between two names of 32 characters is a room name of 68.
            var longA = again.login("a".repeat(32), null);
            again.login("b".repeat(32), null);
            var dm = again.post("/dm/" + "b".repeat(32), longA, "{\"text\":\"hello across 68 characters\"}");
            assertThat(dm.status()).as(dm.body()).isEqualTo(201);
            assertThat(dm.event().room()).hasSize(68);
        }
    }
}
