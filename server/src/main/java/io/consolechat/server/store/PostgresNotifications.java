package io.consolechat.server.store;

import io.consolechat.server.bus.EventBus;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries new events, and revoked tokens, between server instances that share one PostgreSQL database, with
 * LISTEN/NOTIFY: no other component to run. Each batch's transaction notifies, per room, the range of sequence numbers it
 * added; PostgreSQL delivers that only if the batch commits, in commit order. Another instance reads those
 * events from the table (the truth; a payload stays far under the 8,000-byte limit) and publishes them to
 * its local bus, but only for rooms someone there follows. A notification that comes late or never (the
 * listening connection was lost) loses nothing: a stream that sees a later sequence number reads the gap
 * from the table.
 */
final class PostgresNotifications implements CommitNotice, StreamEnds, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PostgresNotifications.class);
    static final String CHANNEL = "console_chat_events";
    static final String REVOKED = "console_chat_revoked";
    static final String STREAMS_ENDED = "console_chat_stream_ends";
    private static final int POLL_MILLIS = 500;
    /** A batch holds at most 1,000 events; a stream reads anything beyond this from the table itself. */
    private static final int MAX_READ = 1000;
    /** How the listening connection shows in {@code pg_stat_activity}, apart from the pool's. */
    static final String APPLICATION_NAME = "console-chat-listen";

    private final String instance = UUID.randomUUID().toString();
    private final PostgresUrl url;
    private final EventBus bus;
    private volatile EventLog events;
    private volatile Transactions transactions;
    private final List<Consumer<Ended>> endListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<String>> revocationListeners = new CopyOnWriteArrayList<>();
    private volatile boolean closed;
    private Thread listener;

    PostgresNotifications(PostgresUrl url, EventBus bus) {
        this.url = url;
        this.bus = bus;
    }

    /** Starts listening; remote events are read from {@code events}. */
    void start(EventLog events, Transactions transactions) {
        this.events = events;
        this.transactions = transactions;
        this.listener = Thread.ofPlatform().name("postgres-listen").daemon(true).start(this::listen);
    }

    @Override
    public void added(Connection conn, String room, long first, long last) throws SQLException {
        try (var ps = conn.prepareStatement("SELECT pg_notify(?, ?)")) {
            ps.setString(1, CHANNEL);
            ps.setString(2, instance + " " + first + " " + last + " " + room);
            ps.execute();
        }
    }

    @Override
    public void revoked(Connection conn, String tokenHash) throws SQLException {
        try (var ps = conn.prepareStatement("SELECT pg_notify(?, ?)")) {
            ps.setString(1, REVOKED);
            ps.setString(2, instance + " " + tokenHash);
            ps.execute();
        }
    }

    /** A notification of its own, outside any other transaction: nothing else is stored with it. */
    @Override
    public void announce(Ended ended) {
        transactions.write("announce ended streams", conn -> {
            try (var ps = conn.prepareStatement("SELECT pg_notify(?, ?)")) {
                ps.setString(1, STREAMS_ENDED);
                ps.setString(2, instance + " " + (ended.byName() ? "name" : "id") + " " + ended.room() + " "
                        + ended.who());
                ps.execute();
            }
            return null;
        });
    }

    @Override
    public void onAnnounced(Consumer<Ended> listener) {
        endListeners.add(listener);
    }

    void onRevoked(Consumer<String> listener) {
        revocationListeners.add(listener);
    }

    private void listen() {
        boolean failing = false;
        while (!closed) {
            try (var conn = DriverManager.getConnection(url.jdbcUrl(), connectionProperties());
                 var statement = conn.createStatement()) {
                statement.execute("LISTEN " + CHANNEL);
                statement.execute("LISTEN " + REVOKED);
                statement.execute("LISTEN " + STREAMS_ENDED);
                if (failing) {
                    log.warn("listening for other servers' events again");
                    failing = false;
                }
                var notifications = conn.unwrap(PGConnection.class);
                while (!closed) {
                    var received = notifications.getNotifications(POLL_MILLIS);
                    if (received != null) {
                        for (var notification : received) {
                            if (notification.getName().equals(REVOKED)) {
                                revoked(notification.getParameter());
                            } else if (notification.getName().equals(STREAMS_ENDED)) {
                                streamsEnded(notification.getParameter());
                            } else {
                                deliver(notification.getParameter());
                            }
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!closed && !failing) {
                    log.warn("cannot listen for other servers' events ({}); retrying every second", e.getMessage());
                    failing = true;
                }
                pause();
            }
        }
    }

    /** The user and password of the URL, and a name of its own (which a name in the URL overrides). */
    private Properties connectionProperties() {
        var properties = new Properties();
        if (url.user() != null) {
            properties.setProperty("user", url.user());
        }
        if (url.password() != null) {
            properties.setProperty("password", url.password());
        }
        PGProperty.APPLICATION_NAME.set(properties, APPLICATION_NAME);
        return properties;
    }

    /** Publishes the events another instance announced, if anyone here follows their room. */
    private void deliver(String payload) {
        var parts = payload.split(" ", 4);
        if (parts.length != 4 || parts[0].equals(instance) || !bus.hasSubscribers(parts[3])) {
            return;
        }
        long first = Long.parseLong(parts[1]);
        long last = Long.parseLong(parts[2]);
        bus.publish(events.after(parts[3], first - 1, (int) Math.min(last - first + 1, MAX_READ)));
    }

    /** Tells the listeners of a token another instance revoked. */
    private void revoked(String payload) {
        var parts = payload.split(" ", 2);
        if (parts.length == 2 && !parts[0].equals(instance)) {
            revocationListeners.forEach(listener -> listener.accept(parts[1]));
        }
    }

    /** Tells the listeners of streams another instance ended: {@code instance kind room who}. */
    private void streamsEnded(String payload) {
        var parts = payload.split(" ", 4);
        if (parts.length == 4 && !parts[0].equals(instance)) {
            var ended = new Ended(parts[2], parts[3], parts[1].equals("name"));
            endListeners.forEach(listener -> listener.accept(ended));
        }
    }

    private void pause() {
        try {
            TimeUnit.SECONDS.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    @Override
    public void close() {
        closed = true;
        if (listener != null) {
            listener.interrupt();
        }
    }
}
