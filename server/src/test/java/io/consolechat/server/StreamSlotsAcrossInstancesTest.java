package io.consolechat.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.PostgresExtension;
import io.consolechat.server.testing.PostgresExtension.Postgres;
import io.consolechat.server.testing.ServerProcess;
import io.consolechat.server.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Servers on one PostgreSQL database add up each other's open streams: a user, or an address, that holds its
 * share on one server is refused on the other, and gets in again there once a stream on the first ends or the
 * first server stops or is killed. Each server publishes its counts about once a second, so the other sees them soon
 * rather than at once.
 */
@ExtendWith(PostgresExtension.class)
class StreamSlotsAcrossInstancesTest {
    private static final Duration SOON = Duration.ofSeconds(10);

    private static TestServer start(String database, int perUser, int perAddress) {
        return TestServer.start(c -> {
            c.storage.database = database;
            c.network.trustProxy = true;
            c.limits.streamsPerUser = perUser;
            c.limits.streamsPerAddress = perAddress;
            // A stream the test closes ends on the server at its next keepalive.
            c.streams.keepalive = Duration.ofMillis(200);
        });
    }

    @Test
    void aUserWithAllTheirStreamsOnOneServerIsRefusedOnTheOther(Postgres postgres) throws Exception {
        var database = postgres.newDatabase();
        try (var a = start(database, 3, 100); var b = start(database, 3, 100)) {
            var apiA = new Api(a);
            var apiB = new Api(b);
            var alice = apiA.login("alice", null);
            var open = new ArrayList<Api.Stream>();
            try {
                open.add(stream(apiB, alice, "203.0.113.1"));
                open.add(stream(apiA, alice, "203.0.113.1"));
                open.add(stream(apiA, alice, "203.0.113.1"));
                // Three open, one of them on B: neither server lets in a fourth.
                await().atMost(SOON).until(() -> probe(apiB, alice, "203.0.113.1") == 429);
                await().atMost(SOON).until(() -> probe(apiA, alice, "203.0.113.1") == 429);
                var refused = apiB.get("/room/lobby?timeout=0", alice);
                assertThat(refused.error()).isEqualTo("rate_limited");
                assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");
                // Another user still gets in on both.
                var bob = apiB.login("bob", null);
                assertThat(probe(apiA, bob, "203.0.113.1")).isEqualTo(200);
                assertThat(probe(apiB, bob, "203.0.113.1")).isEqualTo(200);

                open.removeLast().close();
                await().atMost(SOON).until(() -> probe(apiB, alice, "203.0.113.1") == 200);
            } finally {
                open.forEach(Api.Stream::close);
            }
        }
    }

    @Test
    void oneAddressIsCountedOverBothServers(Postgres postgres) throws Exception {
        var database = postgres.newDatabase();
        try (var a = start(database, 100, 4); var b = start(database, 100, 4)) {
            var apis = List.of(new Api(a), new Api(b));
            var open = new ArrayList<Api.Stream>();
            try {
                for (int i = 0; i < 4; i++) {
                    var api = apis.get(i % 2);
                    open.add(stream(api, api.login("user" + i, null), "198.51.100.7"));
                }
                var late = apis.get(0).login("late", null);
                for (var api : apis) {
                    await().atMost(SOON).until(() -> probe(api, late, "198.51.100.7") == 429);
                    assertThat(probe(api, late, "198.51.100.8")).isEqualTo(200);
                }
            } finally {
                open.forEach(Api.Stream::close);
            }
        }
    }

    @Test
    void theStreamsOfAServerThatStopsNoLongerCount(Postgres postgres) throws Exception {
        var database = postgres.newDatabase();
        try (var b = start(database, 2, 100)) {
            var apiB = new Api(b);
            var carol = apiB.login("carol", null);
            try (var a = start(database, 2, 100)) {
                var apiA = new Api(a);
                var first = stream(apiA, carol, "192.0.2.5");
                var second = stream(apiA, carol, "192.0.2.5");
                await().atMost(SOON).until(() -> probe(apiB, carol, "192.0.2.5") == 429);
                first.close();
                second.close();
            }
            await().atMost(SOON).until(() -> probe(apiB, carol, "192.0.2.5") == 200);
        }
    }

    @Test
    void theStreamsOfAKilledServerStopCountingWhenItsLeaseRunsOut(Postgres postgres, @TempDir Path dir)
            throws Exception {
        var database = postgres.newDatabase();
        var lease = Duration.ofSeconds(1);
        try (var b = TestServer.start(c -> {
                c.storage.database = database;
                c.network.trustProxy = true;
                c.presence.lease = lease;
            });
             var doomed = ServerProcess.start(dir.resolve("child"), database, Duration.ofMillis(300), lease,
                     dir.resolve("child.log"))) {
            var apiB = new Api(b);
            var apiDoomed = new Api(doomed.uri());
            var dave = apiB.login("dave", null);
            // The default limit, 20 per user, all of them on the server about to die.
            var open = new ArrayList<Api.Stream>();
            for (int i = 0; i < 20; i++) {
                open.add(apiDoomed.stream("/room/lobby?timeout=120", dave));
                assertThat(open.getLast().status()).isEqualTo(200);
            }
            await().atMost(SOON).until(() -> probe(apiB, dave, "192.0.2.9") == 429);

            doomed.kill();
            long killed = System.nanoTime();
            open.forEach(Api.Stream::close);
            await().atMost(SOON).until(() -> probe(apiB, dave, "192.0.2.9") == 200);
            // The lease and one renewal period, with room for a slow machine.
            assertThat(Duration.ofNanos(System.nanoTime() - killed)).isLessThan(lease.multipliedBy(4));
        }
    }

    /** A stream that stays open, from {@code address}. */
    private static Api.Stream stream(Api api, String token, String address) {
        var stream = api.stream("/room/lobby?timeout=120", token, "X-Forwarded-For", address);
        assertThat(stream.status()).isEqualTo(200);
        return stream;
    }

    /** The status of a stream that ends at once: it holds its slot only while it is answered. */
    private static int probe(Api api, String token, String address) {
        var reply = api.send(api.request("/room/lobby?timeout=0", token).header("X-Forwarded-For", address)
                .GET().build());
        return reply.status();
    }
}
