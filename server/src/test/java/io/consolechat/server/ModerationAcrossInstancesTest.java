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
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A kick, a ban or a leave decided on one server ends the user's streams on the other servers of the same
 * PostgreSQL database too, each with the event that caused it and then its end line.
 */
@ExtendWith(PostgresExtension.class)
class ModerationAcrossInstancesTest {
    private static final String PASSWORD = "correct horse battery";
    private static final Duration WITHIN = Duration.ofSeconds(2);
    private static final Duration SOON = Duration.ofSeconds(10);

    @Test
    void aKickOrABanOnOneServerEndsTheStreamOnTheOther(Postgres postgres) throws Exception {
        var database = postgres.newDatabase();
        try (var a = TestServer.start(c -> c.storage.database = database);
             var b = TestServer.start(c -> c.storage.database = database)) {
            var apiA = new Api(a);
            var apiB = new Api(b);
            var owner = apiA.login("warden", PASSWORD);
            assertThat(apiA.put("/room/yard", owner, "{}").status()).isEqualTo(201);
            var victim = apiB.login("rowdy", null);

            try (var onB = apiB.stream("/room/yard?timeout=60", victim)) {
                assertThat(onB.nextEvent(SOON).kind()).isEqualTo(EventType.JOIN);
                assertThat(apiA.post("/room/yard/kick", owner, "{\"user\": \"rowdy\"}").status()).isEqualTo(200);
                var items = onB.itemsToEnd(WITHIN);
                assertThat(items).last().isInstanceOf(StreamItem.End.class);
                assertThat(events(items)).contains(EventType.KICK);
            }
            try (var onB = apiB.stream("/room/yard?timeout=60", victim)) {
                assertThat(onB.status()).isEqualTo(200);
                assertThat(apiA.post("/room/yard/bans", owner, "{\"user\": \"rowdy\", \"minutes\": 5}").status())
                        .isEqualTo(200);
                var items = onB.itemsToEnd(WITHIN);
                assertThat(items).last().isInstanceOf(StreamItem.End.class);
                assertThat(events(items)).contains(EventType.BAN);
            }
            assertThat(apiB.get("/room/yard?timeout=0", victim).status()).isEqualTo(403);
        }
    }

    @Test
    void aLeaveOnOneServerEndsTheUsersStreamsOnTheOther(Postgres postgres) throws Exception {
        var database = postgres.newDatabase();
        try (var a = TestServer.start(c -> c.storage.database = database);
             var b = TestServer.start(c -> c.storage.database = database)) {
            var apiA = new Api(a);
            var apiB = new Api(b);
            var token = apiA.login("wanderer", null);
            try (var onB = apiB.stream("/room/porch?timeout=60", token)) {
                assertThat(onB.nextEvent(SOON).kind()).isEqualTo(EventType.JOIN);
                assertThat(apiA.post("/room/porch/leave", token, null).status()).isBetween(200, 204);
                var items = onB.itemsToEnd(WITHIN);
                assertThat(items).last().isInstanceOf(StreamItem.End.class);
                assertThat(events(items)).containsExactly(EventType.LEAVE);
            }
            assertThat(apiB.get("/room/porch/members", token).users()).isEmpty();
        }
    }

    private static List<EventType> events(List<StreamItem> items) {
        return items.stream().filter(i -> i instanceof Event).map(i -> ((Event) i).kind()).toList();
    }
}
