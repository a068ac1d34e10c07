package io.consolechat.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.consolechat.protocol.Event;
import io.consolechat.protocol.EventType;
import io.consolechat.protocol.User;
import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.PostgresExtension;
import io.consolechat.server.testing.PostgresExtension.Postgres;
import io.consolechat.server.testing.ServerProcess;
import io.consolechat.server.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Presence is one per user and room across the servers on one PostgreSQL database: one join when the first
 * stream opens anywhere, no leave while any server holds a stream, the same members seen from every
 * server, and no ghost left behind by a server that is killed.
 */
@ExtendWith(PostgresExtension.class)
class PresenceAcrossInstancesTest {
    private static final String ROOM = "lobby";
    private static final Duration GRACE = Duration.ofMillis(300);
    private static final Duration LEASE = Duration.ofSeconds(1);
    private static final Duration SOON = Duration.ofSeconds(10);

    private static TestServer start(String database) {
        return TestServer.start(c -> {
            c.storage.database = database;
            c.presence.grace = GRACE;
            c.presence.lease = LEASE;
            // A stream the test closes ends on the server at its next keepalive.
            c.streams.keepalive = Duration.ofMillis(200);
        });
    }

    @Test
    void oneJoinAcrossServersAndNoLeaveWhileEitherHoldsAStream(Postgres postgres) throws Exception {
        var database = postgres.newDatabase();
        try (var a = start(database); var b = start(database)) {
            var apiA = new Api(a);
            var apiB = new Api(b);
            var token = apiA.login("roamer", null);
            var roamer = apiA.get("/me", token).user();
            var onA = apiA.stream("/room/" + ROOM + "?timeout=60", token);
            assertThat(onA.nextEvent(SOON).kind()).isEqualTo(EventType.JOIN);
            try (var onB = apiB.stream("/room/" + ROOM + "?timeout=60", token)) {
                // B's backlog holds A's join; B's stream adds none of its own.
                assertThat(onB.nextEvent(SOON).kind()).isEqualTo(EventType.JOIN);
                assertThat(presenceEvents(apiB, token)).hasSize(1);
                assertThat(members(apiA, token)).containsExactly(roamer);
                assertThat(members(apiB, token)).containsExactly(roamer);

                onA.close();
                // A's stream is gone, B's holds on: well past A's grace period and several of its leases
                // (renewed by B's heartbeat, not by A's), still no leave, on either server.
                await().during(LEASE.multipliedBy(3)).atMost(LEASE.multipliedBy(3).plus(SOON))
                        .until(() -> presenceEvents(apiA, token).size() == 1
                                && members(apiA, token).equals(List.of(roamer))
                                && members(apiB, token).equals(List.of(roamer)));
            }
            // B's stream ended too: one leave, after the grace period, seen by both servers.
            await().atMost(SOON).until(() -> presenceEvents(apiA, token).size() == 2);
            assertThat(presenceEvents(apiB, token)).extracting(Event::kind)
                    .containsExactly(EventType.JOIN, EventType.LEAVE);
            assertThat(members(apiA, token)).isEmpty();
            assertThat(members(apiB, token)).isEmpty();
            await().during(GRACE.multipliedBy(3)).atMost(SOON).until(() -> presenceEvents(apiA, token).size() == 2);
        }
    }

    @Test
    void theUsersOfAKilledServerLeaveWithinGracePlusLease(Postgres postgres, @TempDir Path dir) throws Exception {
        var database = postgres.newDatabase();
        Files.createDirectories(dir.resolve("child"));
        try (var a = start(database);
             var doomed = ServerProcess.start(dir.resolve("child"), database, GRACE, LEASE, dir.resolve("child.log"))) {
            var apiA = new Api(a);
            var apiDoomed = new Api(doomed.uri());
            var token = apiDoomed.login("ghost", null);
            var ghost = apiDoomed.get("/me", token).user();
            var stream = apiDoomed.stream("/room/" + ROOM + "?timeout=60", token);
            assertThat(stream.nextEvent(SOON).kind()).isEqualTo(EventType.JOIN);
            assertThat(members(apiA, token)).containsExactly(ghost);

            doomed.kill();
            long killed = System.nanoTime();
            stream.close();
            await().atMost(SOON).until(() -> presenceEvents(apiA, token).size() == 2);
            var took = Duration.ofNanos(System.nanoTime() - killed);
            var leave = presenceEvents(apiA, token).getLast();
            assertThat(leave.kind()).isEqualTo(EventType.LEAVE);
            assertThat(leave.from()).isEqualTo(ghost);
            assertThat(members(apiA, token)).isEmpty();
            // The lease, its renewal period and the surviving server's search period, with room for a slow machine.
            assertThat(took).isLessThan(GRACE.plus(LEASE.multipliedBy(4)));
        }
    }

    private static List<Event> presenceEvents(Api api, String token) {
        return api.get("/room/" + ROOM + "/messages?limit=500", token).events().stream()
                .filter(e -> e.kind() == EventType.JOIN || e.kind() == EventType.LEAVE)
                .toList();
    }

    private static List<User> members(Api api, String token) {
        var reply = api.get("/room/" + ROOM + "/members", token);
        assertThat(reply.status()).isEqualTo(200);
        return reply.users();
    }
}
