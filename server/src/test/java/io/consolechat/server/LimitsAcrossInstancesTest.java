package io.consolechat.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.consolechat.server.config.Rate;
import io.consolechat.server.config.ServerConfig;
import io.consolechat.server.store.PostgresUrl;
import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.ManualClock;
import io.consolechat.server.testing.PostgresExtension;
import io.consolechat.server.testing.PostgresExtension.Postgres;
import io.consolechat.server.testing.TestServer;
import java.net.http.HttpRequest;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The rate limits of servers that share one PostgreSQL database are drawn from buckets in the database: two
 * servers together allow what one allows, for messages per user, new tokens per address, rooms entered and
 * rooms created per user. The clock stands still, so no bucket refills during a test.
 */
@ExtendWith(PostgresExtension.class)
class LimitsAcrossInstancesTest {
    private final ManualClock clock = new ManualClock();

    private TestServer start(String database, Consumer<ServerConfig.Limits> limits) {
        return TestServer.start(c -> {
            c.storage.database = database;
            c.network.trustProxy = true;
            limits.accept(c.limits);
        }, clock);
    }

    @Test
    void messagesSentThroughEitherServerDrawOnOneBucket(Postgres postgres) {
        var database = postgres.newDatabase();
        Consumer<ServerConfig.Limits> limits = l -> l.send = Rate.perSecond(1, 4);
        try (var a = start(database, limits); var b = start(database, limits)) {
            var apis = new Api[] {new Api(a), new Api(b)};
            var alice = apis[0].login("alice", null);
            for (int i = 0; i < 4; i++) {
                assertThat(apis[i % 2].sendText("lobby", alice, "m" + i).status()).isEqualTo(201);
            }
            for (var api : apis) {
                var refused = api.sendText("lobby", alice, "one too many");
                assertThat(refused.status()).isEqualTo(429);
                assertThat(refused.error()).isEqualTo("rate_limited");
                assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
            }
            // Another user has a bucket of their own.
            assertThat(apis[1].sendText("lobby", apis[1].login("bob", null), "hello").status()).isEqualTo(201);
            assertThat(apis[0].get("/room/lobby/messages", alice).events()).hasSize(5);

            clock.advance(Duration.ofSeconds(1));
            assertThat(apis[1].sendText("lobby", alice, "one token back").status()).isEqualTo(201);
            assertThat(apis[0].sendText("lobby", alice, "and gone").status()).isEqualTo(429);
        }
    }

    @Test
    void newTokensFromOneAddressAreCountedOverBothServers(Postgres postgres) {
        var database = postgres.newDatabase();
        Consumer<ServerConfig.Limits> limits = l -> l.tokens = Rate.perMinute(3);
        try (var a = start(database, limits); var b = start(database, limits)) {
            var apis = new Api[] {new Api(a), new Api(b)};
            for (int i = 0; i < 3; i++) {
                assertThat(newSession(apis[i % 2], "203.0.113.9").status()).isEqualTo(200);
            }
            assertThat(newSession(apis[0], "203.0.113.9").status()).isEqualTo(429);
            assertThat(newSession(apis[1], "203.0.113.9").status()).isEqualTo(429);
            assertThat(newSession(apis[1], "198.51.100.1").status()).isEqualTo(200);
        }
    }

    @Test
    void roomsEnteredOnEitherServerCountAgainstOneJoinBudget(Postgres postgres) throws Exception {
        var database = postgres.newDatabase();
        Consumer<ServerConfig.Limits> limits = l -> l.joins = new Rate(3, 3, Duration.ofHours(1));
        try (var a = start(database, limits); var b = start(database, limits)) {
            var apis = new Api[] {new Api(a), new Api(b)};
            var roamer = apis[0].login("roamer", null);
            for (int i = 0; i < 3; i++) {
                assertThat(apis[i % 2].get("/room/room" + i + "?timeout=0", roamer).status()).isEqualTo(200);
            }
            for (var api : apis) {
                var refused = api.get("/room/fourth?timeout=0", roamer);
                assertThat(refused.status()).isEqualTo(429);
                assertThat(refused.error()).isEqualTo("rate_limited");
            }
        }
    }

    @Test
    void roomsCreatedOnEitherServerCountAgainstOneBudget(Postgres postgres) {
        var database = postgres.newDatabase();
        Consumer<ServerConfig.Limits> limits = l -> l.newRooms = new Rate(3, 3, Duration.ofHours(1));
        try (var a = start(database, limits); var b = start(database, limits)) {
            var apis = new Api[] {new Api(a), new Api(b)};
            var founder = apis[0].login("founder", null);
            for (int i = 0; i < 3; i++) {
                assertThat(apis[i % 2].sendText("new" + i, founder, "first").status()).isEqualTo(201);
            }
            for (var api : apis) {
                assertThat(api.sendText("one-more", founder, "first").status()).isEqualTo(429);
            }
            // Posting to a room that exists costs nothing.
            assertThat(apis[1].sendText("new0", founder, "second").status()).isEqualTo(201);
        }
    }

    @Test
    void aCheckThatCannotGetItsBucketIsA503AndTheRestOfTheServerGoesOn(Postgres postgres) throws Exception {
        var database = postgres.newDatabase();
        try (var a = start(database, l -> { });
             var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            var api = new Api(a);
            var alice = api.login("alice", null);
            assertThat(api.sendText("lobby", alice, "before").status()).isEqualTo(201);
            var url = PostgresUrl.parse(database, null);
            try (var other = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password())) {
                // Another client holds every bucket: each check waits for the lock until its statement times out.
                other.setAutoCommit(false);
                other.createStatement().execute("LOCK TABLE rate_buckets IN ACCESS EXCLUSIVE MODE");
                long start = System.nanoTime();
                var posts = new ArrayList<Future<Api.Reply>>();
                for (int i = 0; i < 8; i++) {
                    int n = i;
                    posts.add(threads.submit(() -> api.sendText("lobby", alice, "stuck " + n)));
                }
                // Meanwhile what needs no limit check is served on the other connections.
                assertThat(api.get("/room/lobby/messages", alice).events()).hasSize(1);
                assertThat(api.get("/health", null).status()).isEqualTo(200);
                for (var post : posts) {
                    var reply = post.get(30, TimeUnit.SECONDS);
                    assertThat(reply.status()).isEqualTo(503);
                    assertThat(reply.error()).isEqualTo("unavailable");
                }
                // Three connections, a 2 s statement timeout, 5 s at most waiting for a connection.
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
                other.rollback();
            }
            assertThat(api.sendText("lobby", alice, "after").status()).isEqualTo(201);
            assertThat(api.get("/room/lobby/messages", alice).events()).hasSize(2);
        }
    }

    private static Api.Reply newSession(Api api, String address) {
        return api.send(api.request("/session", null).header("X-Forwarded-For", address)
                .POST(HttpRequest.BodyPublishers.noBody()).build());
    }
}
