package io.consolechat.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.consolechat.protocol.Event;
import io.consolechat.protocol.EventType;
import io.consolechat.server.store.PostgresUrl;
import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.PostgresExtension;
import io.consolechat.server.testing.PostgresExtension.Postgres;
import io.consolechat.server.testing.TestServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two servers on one PostgreSQL database, and server B loses the connection on which it listens for A's
 * events: the events A commits meanwhile still reach B's streams once B listens again, though the room stays
 * quiet afterwards and no later event shows the streams what they missed.
 *
 * <p>The test ends B's listening backend itself and keeps the database from taking new connections while A
 * stores the messages, so that B certainly does not listen when they are committed; the connections the
 * servers' pools hold go on working meanwhile.
 */
@ExtendWith(PostgresExtension.class)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class NotificationLossTest {
    private static final String ROOM = "quiet";
    /** The listening connection's application name in {@code pg_stat_activity} (PostgresNotifications sets it). */
    private static final String LISTENING = "console-chat-listen";
    private static final int LOST = 3;
    private static final int SENDERS = 4;
    private static final Duration SOON = Duration.ofSeconds(20);

    @Test
    void lostNotificationsAreCaughtUpAfterTheListeningConnectionIsLost(Postgres postgres) throws Exception {
        lostMessagesReachB(postgres, LOST);
    }

    /** More than the page B reads at a time (1,000): the room is read page by page to its end. */
    @Test
    void aQuietRoomThatMissedMoreThanAPageIsCaughtUpToItsEnd(Postgres postgres) throws Exception {
        lostMessagesReachB(postgres, 1_000 + 25);
    }

    /** A stream on B follows the room; A stores {@code count} messages while B does not listen. */
    private static void lostMessagesReachB(Postgres postgres, int count) throws Exception {
        var database = postgres.newDatabase();
        try (var backends = Backends.of(database);
             var a = TestServer.start(c -> c.storage.database = database)) {
            long listeningA = listeningOf(backends, Set.of());
            try (var b = TestServer.start(c -> {
                c.storage.database = database;
                // What B catches up on reaches the stream at once: room for it all, so that it is not cut off.
                c.streams.buffer = 2 * count;
            })) {
                long listeningB = listeningOf(backends, Set.of(listeningA));
                var apiA = new Api(a);
                var apiB = new Api(b);
                var sender = apiA.login("sender", null);
                try (var onB = apiB.stream("/room/" + ROOM + "?timeout=120", apiB.login("reader", null))) {
                    // Written and published on B: B's bus knows the room up to here.
                    assertThat(onB.nextEvent(SOON).kind()).isEqualTo(EventType.JOIN);

                    var sent = whileDeaf(backends, listeningB, listeningA, () -> post(apiA, sender, "lost", count));

                    assertThat(messages(onB, count)).as("every message stored while B did not listen, in order")
                            .containsExactlyElementsOf(sent);
                    // None twice: the next event is the next message.
                    var next = apiB.sendMessage(ROOM, sender, "after");
                    assertThat(onB.nextEvent(SOON)).isEqualTo(next);
                }
            }
        }
    }

    /** A stream on B, opened while B did not listen, and the messages A stored meanwhile. */
    private record Opened(Api.Stream onB, List<Event> sent) {
    }

    /**
     * B's bus has published nothing for the room since its stream opened: the reader's join was written on
     * A, and the stream on B opened while B did not listen. B does not know where the stream's backlog ended,
     * so it publishes the room's latest event, and the stream, seeing it beyond the next it expects, reads
     * those before it from the table.
     */
    @Test
    void aStreamThatLearnsOfALaterEventReadsTheOnesBeforeItFromTheTable(Postgres postgres) throws Exception {
        var database = postgres.newDatabase();
        try (var backends = Backends.of(database);
             var a = TestServer.start(c -> c.storage.database = database)) {
            long listeningA = listeningOf(backends, Set.of());
            try (var b = TestServer.start(c -> c.storage.database = database)) {
                long listeningB = listeningOf(backends, Set.of(listeningA));
                var apiA = new Api(a);
                var apiB = new Api(b);
                var sender = apiA.login("sender", null);
                var reader = apiA.login("reader", null);
                try (var onA = apiA.stream("/room/" + ROOM + "?timeout=120", reader)) {
                    assertThat(onA.nextEvent(SOON).kind()).isEqualTo(EventType.JOIN);
                    var opened = whileDeaf(backends, listeningB, listeningA, () -> {
                        // The reader is present already: no join on B, so nothing for B's bus to publish.
                        var stream = apiB.stream("/room/" + ROOM + "?timeout=120&history=0", reader);
                        try {
                            return new Opened(stream, post(apiA, sender, "unseen", LOST));
                        } catch (RuntimeException | Error e) {
                            stream.close();
                            throw e;
                        }
                    });
                    try (var onB = opened.onB()) {
                        assertThat(messages(onB, LOST)).as("every message stored while B did not listen, in order")
                                .containsExactlyElementsOf(opened.sent());
                        var next = apiA.sendMessage(ROOM, sender, "after");
                        assertThat(onB.nextEvent(SOON)).isEqualTo(next);
                    }
                }
            }
        }
    }

    /**
     * Ends B's listening backend {@code listeningB} and keeps B from listening again while {@code action}
     * runs; checks that B did not ({@code listeningA}, A's, stays the only one), then lets it.
     */
    private static <T> T whileDeaf(Backends backends, long listeningB, long listeningA, Callable<T> action)
            throws Exception {
        backends.allowConnections(false);
        try {
            backends.terminate(listeningB);
            await().atMost(SOON).until(backends::listening, pids -> pids.equals(Set.of(listeningA)));
            var result = action.call();
            assertThat(backends.listening()).as("B did not listen meanwhile").containsExactly(listeningA);
            return result;
        } finally {
            backends.allowConnections(true);
        }
    }

    /** The listening backend of the server started last: the one not in {@code others}, once it is there. */
    private static long listeningOf(Backends backends, Set<Long> others) {
        var all = await().atMost(SOON).until(backends::listening, pids -> pids.size() == others.size() + 1);
        var mine = new HashSet<>(all);
        mine.removeAll(others);
        assertThat(mine).hasSize(1);
        return mine.iterator().next();
    }

    /** Posts {@code count} messages from a few threads at once; returns them in sequence order. */
    private static List<Event> post(Api api, String token, String text, int count) throws Exception {
        var sent = new ArrayList<Event>();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            var senders = new ArrayList<Future<List<Event>>>();
            for (int s = 0; s < SENDERS; s++) {
                int sender = s;
                senders.add(threads.submit(() -> {
                    var mine = new ArrayList<Event>();
                    for (int i = sender; i < count; i += SENDERS) {
                        mine.add(api.sendMessage(ROOM, token, text + " " + i));
                    }
                    return mine;
                }));
            }
            for (var sender : senders) {
                sent.addAll(sender.get(1, TimeUnit.MINUTES));
            }
        }
        sent.sort(Comparator.comparingLong(Event::seq));
        return sent;
    }

    /** The next {@code count} messages of the stream, skipping other events, all within {@link #SOON}. */
    private static List<Event> messages(Api.Stream stream, int count) throws InterruptedException {
        long deadline = System.nanoTime() + SOON.toNanos();
        var messages = new ArrayList<Event>();
        try {
            while (messages.size() < count) {
                var event = stream.nextEvent(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                if (event.kind() == EventType.MESSAGE) {
                    messages.add(event);
                }
            }
        } catch (AssertionError e) {
            throw new AssertionError("only " + messages.size() + " of " + count + " messages within " + SOON
                    + ": " + messages, e);
        }
        return messages;
    }

    /**
     * The test's own connection, to see and end the backends of the servers' database. It is to the cluster's
     * {@code postgres} database: a database cannot refuse connections while its refuser is connected to it.
     */
    private record Backends(Connection connection, String database) implements AutoCloseable {
        static Backends of(String url) throws SQLException {
            var postgres = PostgresUrl.parse(url, null);
            var jdbc = postgres.jdbcUrl();
            int slash = jdbc.lastIndexOf('/');
            var connection = DriverManager.getConnection(jdbc.substring(0, slash) + "/postgres", postgres.user(),
                    postgres.password());
            return new Backends(connection, jdbc.substring(slash + 1));
        }

        /** The process ids of the servers' listening connections. */
        Set<Long> listening() throws SQLException {
            try (var ps = connection.prepareStatement("SELECT pid FROM pg_stat_activity"
                    + " WHERE datname = ? AND application_name = ?")) {
                ps.setString(1, database);
                ps.setString(2, LISTENING);
                try (var rs = ps.executeQuery()) {
                    var pids = new HashSet<Long>();
                    while (rs.next()) {
                        pids.add(rs.getLong(1));
                    }
                    return pids;
                }
            }
        }

        void terminate(long pid) throws SQLException {
            try (var ps = connection.prepareStatement("SELECT pg_terminate_backend(?)")) {
                ps.setInt(1, Math.toIntExact(pid));
                try (var rs = ps.executeQuery()) {
                    assertThat(rs.next() && rs.getBoolean(1)).as("backend %d ended", pid).isTrue();
                }
            }
        }

        /** Whether the database takes new connections, a superuser's too; those open stay. */
        void allowConnections(boolean allow) throws SQLException {
            try (var statement = connection.createStatement()) {
                statement.execute("ALTER DATABASE \"" + database + "\" ALLOW_CONNECTIONS " + allow);
            }
        }

        @Override
        public void close() throws SQLException {
            connection.close();
        }
    }
}
