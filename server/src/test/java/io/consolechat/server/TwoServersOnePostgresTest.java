package io.consolechat.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.consolechat.protocol.Event;
import io.consolechat.protocol.EventType;
import io.consolechat.protocol.StreamItem;
import io.consolechat.server.store.PostgresUrl;
import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.PostgresExtension;
import io.consolechat.server.testing.PostgresExtension.Postgres;
import io.consolechat.server.testing.TestServer;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two servers on one PostgreSQL database: a message posted on either reaches the streams on both, in
 * sequence order, each once, with one gap-free sequence per room; a logout on one ends the token on both;
 * two that start at once on an empty database migrate it once.
 */
@ExtendWith(PostgresExtension.class)
class TwoServersOnePostgresTest {
    private static final String ROOM = "shared";
    private static final int SENDERS = 4;
    private static final int PER_SENDER = 50;

    @Test
    void messagesPostedOnEitherServerReachTheStreamsOnBoth(Postgres postgres) throws Exception {
        var database = postgres.newDatabase();
        try (var a = TestServer.start(c -> c.storage.database = database);
             var b = TestServer.start(c -> c.storage.database = database);
             var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            var apiA = new Api(a);
            var apiB = new Api(b);
            // A token minted on one server works on the other: they share the accounts.
            var listener = apiA.login("listener", null);
            assertThat(apiB.get("/me", listener).status()).isEqualTo(200);

            try (var onA = apiA.stream("/room/" + ROOM + "?timeout=120&history=0", listener);
                 var onB = apiB.stream("/room/" + ROOM + "?timeout=120&history=0", apiB.login("other", null))) {
                var acked = ConcurrentHashMap.<Long>newKeySet();
                var senders = new ArrayList<Future<?>>();
                for (int s = 0; s < SENDERS; s++) {
                    var api = s % 2 == 0 ? apiA : apiB;
                    var token = api.anonymousToken();
                    int sender = s;
                    senders.add(threads.submit(() -> {
                        for (int i = 0; i < PER_SENDER; i++) {
                            acked.add(api.sendMessage(ROOM, token, sender + ":" + i).seq());
                        }
                    }));
                }
                for (var sender : senders) {
                    sender.get(2, TimeUnit.MINUTES);
                }
                var expected = acked.stream().sorted().toList();
                assertThat(messages(onA, expected.size())).extracting(Event::seq).containsExactlyElementsOf(expected);
                assertThat(messages(onB, expected.size())).extracting(Event::seq).containsExactlyElementsOf(expected);
            }
            var stored = apiB.get("/room/" + ROOM + "/messages?limit=500", listener).events();
            for (int i = 0; i < stored.size(); i++) {
                assertThat(stored.get(i).seq()).isEqualTo(i + 1L);
            }
        }
    }

    @Test
    void aLogoutOnOneServerEndsTheTokenOnTheOtherWithinASecond(Postgres postgres) throws Exception {
        var database = postgres.newDatabase();
        try (var a = TestServer.start(c -> c.storage.database = database);
             var b = TestServer.start(c -> c.storage.database = database)) {
            var apiA = new Api(a);
            var apiB = new Api(b);
            var token = apiA.login("roamer", null);
            // B has the token in its cache now.
            assertThat(apiB.get("/me", token).status()).isEqualTo(200);
            try (var onB = apiB.stream("/room/" + ROOM + "?timeout=120", token)) {
                assertThat(onB.nextEvent(Duration.ofSeconds(10)).kind()).isEqualTo(EventType.JOIN);
                assertThat(apiA.post("/logout", token, null).status()).isEqualTo(204);
                assertThat(onB.itemsToEnd(Duration.ofSeconds(1)).getLast()).isInstanceOf(StreamItem.End.class);
            }
            await().atMost(Duration.ofSeconds(1)).until(() -> apiB.get("/me", token).status() == 401);
        }
    }

    /**
     * Both migrate the same empty database at once: Flyway's lock on PostgreSQL lets one apply each migration
     * while the other waits, then finds nothing left to do.
     */
    @Test
    void twoServersStartingAtTheSameMomentShareOneMigratedSchema(Postgres postgres) throws Exception {
        var database = postgres.newDatabase();
        var together = new CyclicBarrier(2);
        var starts = new ArrayList<Future<TestServer>>();
        try (var threads = Executors.newFixedThreadPool(2)) {
            for (int i = 0; i < 2; i++) {
                starts.add(threads.submit(() -> {
                    together.await(30, TimeUnit.SECONDS);
                    return TestServer.start(c -> c.storage.database = database);
                }));
            }
        }
        var started = new ArrayList<TestServer>();
        try {
            var failures = new ArrayList<Throwable>();
            for (var start : starts) {
                try {
                    started.add(start.get());
                } catch (ExecutionException e) {
                    failures.add(e.getCause());
                }
            }
            assertThat(failures).as("servers that failed to start").isEmpty();

            var apiA = new Api(started.get(0));
            var apiB = new Api(started.get(1));
            var token = apiA.login("first", null);
            var sent = apiA.sendMessage(ROOM, token, "on a schema both made");
            assertThat(apiB.get("/room/" + ROOM + "/messages", token).events()).containsExactly(sent);

            var history = migrationHistory(database);
            var versions = history.stream().map(Migration::version).toList();
            assertThat(history).as("every migration applied").isNotEmpty().allMatch(Migration::success);
            assertThat(versions).as("each migration once").doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(migrationsOnTheClasspath(database));
        } finally {
            started.forEach(TestServer::close);
        }
    }

    private record Migration(String version, boolean success) {
    }

    /** The versioned rows of Flyway's history table (its default name: Database does not set another). */
    private static List<Migration> migrationHistory(String database) throws SQLException {
        var url = PostgresUrl.parse(database, null);
        try (var conn = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
             var statement = conn.createStatement();
             var rs = statement.executeQuery(
                     "SELECT version, success FROM flyway_schema_history WHERE version IS NOT NULL")) {
            var rows = new ArrayList<Migration>();
            while (rs.next()) {
                rows.add(new Migration(rs.getString(1), rs.getBoolean(2)));
            }
            return rows;
        }
    }

    /** The versions of the migrations a server applies to PostgreSQL, as Flyway finds them. */
    private static List<String> migrationsOnTheClasspath(String database) {
        var url = PostgresUrl.parse(database, null);
        var info = Flyway.configure().dataSource(url.jdbcUrl(), url.user(), url.password())
                .locations("classpath:db/migration", "classpath:db/vendor/postgresql").load().info();
        assertThat(info.pending()).as("migrations left to apply").isEmpty();
        return Arrays.stream(info.all()).map(migration -> migration.getVersion().getVersion()).toList();
    }

    private static List<Event> messages(Api.Stream stream, int count) throws InterruptedException {
        var messages = new ArrayList<Event>();
        while (messages.size() < count) {
            var event = stream.nextEvent(Duration.ofSeconds(20));
            if (event.kind() == EventType.MESSAGE) {
                messages.add(event);
            }
        }
        return messages;
    }
}
