package io.consolechat.server.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.consolechat.server.config.ServerConfig;
import io.consolechat.server.store.PostgresUrl;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * The listening connections of the servers on one PostgreSQL database, seen and ended from a connection of
 * the test's own, to make a server deaf to the others for a while: {@link #whileDeaf} ends its listening
 * backend and keeps the database from taking new connections while the test acts, so that the server
 * certainly does not listen meanwhile; the connections the servers' pools hold go on working.
 *
 * <p>The test's connection is to the cluster's {@code postgres} database: a database cannot refuse connections
 * while its refuser is connected to it.
 */
public final class ListeningBackends implements AutoCloseable {
    /** The listening connection's application name in {@code pg_stat_activity} (PostgresNotifications sets it). */
    private static final String LISTENING = "console-chat-listen";
    private static final Duration SOON = Duration.ofSeconds(20);

    private final Connection connection;
    private final String database;

    private ListeningBackends(Connection connection, String database) {
        this.connection = connection;
        this.database = database;
    }

    /** What a test does with servers A and B on one new database, and the means to make B deaf. */
    public interface TwoServers {
        /** {@code others}: the listening backends that must go on listening (A's). */
        void run(ListeningBackends backends, long listeningB, Set<Long> others, Api apiA, Api apiB) throws Exception;
    }

    /** Starts A, then B, on a new database of {@code postgres}, and runs {@code test} with them. */
    public static void withTwoServers(PostgresExtension.Postgres postgres, TwoServers test) throws Exception {
        withTwoServers(postgres, config -> { }, test);
    }

    /** As above, with {@code configureB} applied to B's configuration as well. */
    public static void withTwoServers(PostgresExtension.Postgres postgres, Consumer<ServerConfig> configureB,
                                      TwoServers test) throws Exception {
        var database = postgres.newDatabase();
        try (var backends = of(database);
             var a = TestServer.start(c -> c.storage.database = database)) {
            long listeningA = backends.listeningOf(Set.of());
            try (var b = TestServer.start(c -> {
                c.storage.database = database;
                configureB.accept(c);
            })) {
                long listeningB = backends.listeningOf(Set.of(listeningA));
                test.run(backends, listeningB, Set.of(listeningA), new Api(a), new Api(b));
            }
        }
    }

    /** For the servers' database at {@code url} (as given to {@code --database}). */
    public static ListeningBackends of(String url) throws SQLException {
        var postgres = PostgresUrl.parse(url, null);
        var jdbc = postgres.jdbcUrl();
        int slash = jdbc.lastIndexOf('/');
        var connection = DriverManager.getConnection(jdbc.substring(0, slash) + "/postgres", postgres.user(),
                postgres.password());
        return new ListeningBackends(connection, jdbc.substring(slash + 1));
    }

    /** The process ids of the servers' listening connections. */
    public Set<Long> listening() throws SQLException {
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

    /** The listening backend of the server started last: the one not in {@code others}, once it is there. */
    public long listeningOf(Set<Long> others) {
        var all = await().atMost(SOON).until(this::listening, pids -> pids.size() == others.size() + 1);
        var mine = new HashSet<>(all);
        mine.removeAll(others);
        assertThat(mine).hasSize(1);
        return mine.iterator().next();
    }

    /**
     * Ends the listening backend {@code deaf} and keeps its server from listening again while {@code action}
     * runs; checks that it did not ({@code others}, the other servers' backends, stay the only ones), then lets
     * it. The server listens again about a second later.
     */
    public <T> T whileDeaf(long deaf, Set<Long> others, Callable<T> action) throws Exception {
        allowConnections(false);
        try {
            terminate(deaf);
            await().atMost(SOON).until(this::listening, pids -> pids.equals(others));
            var result = action.call();
            assertThat(listening()).as("the deaf server did not listen meanwhile").isEqualTo(others);
            return result;
        } finally {
            allowConnections(true);
        }
    }

    private void terminate(long pid) throws SQLException {
        try (var ps = connection.prepareStatement("SELECT pg_terminate_backend(?)")) {
            ps.setInt(1, Math.toIntExact(pid));
            try (var rs = ps.executeQuery()) {
                assertThat(rs.next() && rs.getBoolean(1)).as("backend %d ended", pid).isTrue();
            }
        }
    }

    /** Whether the database takes new connections, a superuser's too; those open stay. */
    private void allowConnections(boolean allow) throws SQLException {
        try (var statement = connection.createStatement()) {
            statement.execute("ALTER DATABASE \"" + database + "\" ALLOW_CONNECTIONS " + allow);
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
