package io.consolechat.server.store;

import io.consolechat.protocol.Event;
import io.consolechat.server.bus.EventBus;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries new events, personal items, revoked tokens and ended streams between server instances that share
 * one PostgreSQL database, with LISTEN/NOTIFY: no other component to run. Each batch's transaction notifies,
 * per room, the range of sequence numbers it added; PostgreSQL delivers that only if the batch commits, in
 * commit order. Another instance reads those events from the table (the truth; a payload stays far under the
 * 8,000-byte limit) and publishes them to its local bus, but only for rooms someone there follows. A
 * notification that comes late loses nothing: a stream that sees a later sequence number reads the gap from
 * the table. One that never comes, because the
 * listening connection was lost (PostgreSQL restarted, the backend was ended, the connection was reset),
 * would leave a quiet room's streams without the event until the room's next one: so each time this
 * instance listens again (or first listens after streams may have opened) it catches up, reading from the
 * table, for each room it follows, the events after the last one its bus published (see
 * {@link #catchUp()}). A connection can also die without a word (a network path that drops packets rather
 * than resetting it): waiting for notifications sends nothing, so after a few quiet seconds the listener asks
 * the connection a trivial query, and every read on it has a bounded wait; a dead connection fails within
 * {@link #CHECK_AFTER_QUIET_MILLIS} plus {@link #READ_TIMEOUT_SECONDS}, and is replaced as a lost one is.
 *
 * <p>A personal item is announced the same way, inside the transaction that stores it: the user and the
 * item's id. The listeners of {@link #onPersonalItem} read it from the personal log for the users with personal
 * streams open here; after listening again, they learn from the log what they missed
 * ({@link #onAnnouncementsMissed}).
 *
 * <p>Revoked tokens and ended streams are announced once, with nothing in the table to catch up from: after
 * listening again, the listeners of {@link #onAnnouncementsMissed} learn from the tables what those would have
 * told.
 */
final class PostgresNotifications implements CommitNotice, StreamEnds, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PostgresNotifications.class);
    static final String CHANNEL = "console_chat_events";
    static final String REVOKED = "console_chat_revoked";
    static final String STREAMS_ENDED = "console_chat_stream_ends";
    static final String PERSONAL = "console_chat_personal";
    private static final int POLL_MILLIS = 500;
    /**
     * How long the listening connection may stay quiet before the listener checks it with {@code SELECT 1}:
     * one round trip every few seconds at most, and none while notifications come.
     */
    private static final long CHECK_AFTER_QUIET_MILLIS = 5_000;
    /**
     * The longest any read on the listening connection may wait (the driver's {@code socketTimeout}; a wait
     * for notifications uses its own, shorter one): the check's answer, or the answers while connecting.
     * Past it the driver closes the connection.
     */
    private static final int READ_TIMEOUT_SECONDS = 5;
    /**
     * The most events read at once: a batch holds at most 1,000 (a stream reads anything beyond this from the
     * table itself), and a catch-up reads each room's events in pages of this many.
     */
    private static final int MAX_READ = 1000;
    /** How the listening connection shows in {@code pg_stat_activity}, apart from the pool's. */
    static final String APPLICATION_NAME = "console-chat-listen";
    /** How long {@link #start} waits for the first attempt to listen (the pool waits as long for a connection). */
    private static final long FIRST_LISTEN_MILLIS = 5_000;

    private final String instance = UUID.randomUUID().toString();
    private final PostgresUrl url;
    private final EventBus bus;
    private volatile EventLog events;
    private volatile Transactions transactions;
    private final List<Consumer<Ended>> endListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<String>> revocationListeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> missListeners = new CopyOnWriteArrayList<>();
    private final List<PersonalLog.StoredElsewhere> personalListeners = new CopyOnWriteArrayList<>();
    private volatile boolean closed;
    private Thread listener;
    /** Counted down once the first attempt to listen has ended, in place or failed. */
    private final CountDownLatch firstAttempt = new CountDownLatch(1);
    /** Set when {@link #start} returns: from then on streams may open, and may miss what comes before LISTEN. */
    private volatile boolean started;

    PostgresNotifications(PostgresUrl url, EventBus bus) {
        this.url = url;
        this.bus = bus;
    }

    /**
     * Starts listening; remote events are read from {@code events}. Waits for the first attempt (a while at
     * most): no stream is open before this returns, so a LISTEN in place by then has missed nothing and needs
     * no catch-up, which would only publish again what the bus has just published.
     */
    void start(EventLog events, Transactions transactions) {
        this.events = events;
        this.transactions = transactions;
        this.listener = Thread.ofPlatform().name("postgres-listen").daemon(true).start(this::listen);
        try {
            firstAttempt.await(FIRST_LISTEN_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        started = true;
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

    @Override
    public void personalItem(Connection conn, String userKey, long id) throws SQLException {
        try (var ps = conn.prepareStatement("SELECT pg_notify(?, ?)")) {
            ps.setString(1, PERSONAL);
            ps.setString(2, instance + " " + id + " " + userKey);
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

    /**
     * {@code listener} runs each time this instance listens again after it could not, once LISTEN is in
     * place and the events are caught up on: the personal items, revocations and ended streams announced
     * meanwhile are lost, and what they would have told is to be read from the tables. It runs on the
     * listening thread; if it fails, the connection is given up and the next one runs it again.
     */
    @Override
    public void onAnnouncementsMissed(Runnable listener) {
        missListeners.add(listener);
    }

    void onRevoked(Consumer<String> listener) {
        revocationListeners.add(listener);
    }

    /** {@code listener} hears of each personal item another instance stored. */
    void onPersonalItem(PersonalLog.StoredElsewhere listener) {
        personalListeners.add(listener);
    }

    private void listen() {
        boolean failing = false;
        boolean listenedBefore = false;
        while (!closed) {
            try (var conn = DriverManager.getConnection(url.jdbcUrl(), connectionProperties());
                 var statement = conn.createStatement()) {
                // Whatever the URL says: without a read timeout a dead connection goes unnoticed.
                conn.setNetworkTimeout(Runnable::run, (int) TimeUnit.SECONDS.toMillis(READ_TIMEOUT_SECONDS));
                statement.execute("LISTEN " + CHANNEL);
                statement.execute("LISTEN " + REVOKED);
                statement.execute("LISTEN " + STREAMS_ENDED);
                statement.execute("LISTEN " + PERSONAL);
                if (failing) {
                    log.warn("listening for other servers' events again");
                    failing = false;
                }
                // Read after LISTEN is in place: if start has not returned yet, no stream was open before it.
                if (listenedBefore || started) {
                    catchUp();
                    missListeners.forEach(Runnable::run);
                }
                listenedBefore = true;
                firstAttempt.countDown();
                var notifications = conn.unwrap(PGConnection.class);
                long heard = System.nanoTime();
                while (!closed) {
                    var received = notifications.getNotifications(POLL_MILLIS);
                    if (received == null || received.length == 0) {
                        if (System.nanoTime() - heard >= TimeUnit.MILLISECONDS.toNanos(CHECK_AFTER_QUIET_MILLIS)) {
                            // Silence may be a dead connection: an answer within the read timeout shows it is not.
                            statement.execute("SELECT 1");
                            heard = System.nanoTime();
                        }
                    } else {
                        heard = System.nanoTime();
                        for (var notification : received) {
                            switch (notification.getName()) {
                                case REVOKED -> revoked(notification.getParameter());
                                case STREAMS_ENDED -> streamsEnded(notification.getParameter());
                                case PERSONAL -> personalStored(notification.getParameter());
                                default -> deliver(notification.getParameter());
                            }
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                firstAttempt.countDown();
                if (!closed && !failing) {
                    log.warn("cannot listen for other servers' events ({}); retrying every second", e.getMessage());
                    failing = true;
                }
                pause();
            }
        }
    }

    /**
     * The user and password of the URL, and a name and a read timeout of its own (which the URL's
     * {@code ApplicationName} and {@code socketTimeout} override; {@link #listen} sets the timeout again once
     * connected).
     */
    private Properties connectionProperties() {
        var properties = new Properties();
        if (url.user() != null) {
            properties.setProperty("user", url.user());
        }
        if (url.password() != null) {
            properties.setProperty("password", url.password());
        }
        PGProperty.APPLICATION_NAME.set(properties, APPLICATION_NAME);
        PGProperty.SOCKET_TIMEOUT.set(properties, READ_TIMEOUT_SECONDS);
        return properties;
    }

    /**
     * For each room someone here follows, reads the events after the highest sequence number the bus published
     * for it and publishes them: those whose notifications were sent while this instance was not listening.
     * Called once LISTEN is in place, so that every commit from then on is notified and none falls between the
     * two; an event both read here and notified is published twice, and the streams drop the second. A room
     * that missed more than a page is read page by page to its end: in a quiet room no later event would make
     * the streams read the rest themselves.
     */
    private void catchUp() {
        long read = 0;
        for (var followed : bus.followed().entrySet()) {
            if (closed) {
                return;
            }
            read += catchUp(followed.getKey(), followed.getValue());
        }
        if (read > 0) {
            log.info("caught up on {} events committed while not listening for other servers' events", read);
        }
    }

    /** Publishes the events of {@code room} after {@code published}; returns how many it read after it. */
    private long catchUp(String room, long published) {
        if (published == 0) {
            // Nothing published since the room was first followed: its streams read their backlogs from the
            // table, up to points unknown here. Its latest event is enough: a stream that lacks some before it
            // reads them from the table itself.
            bus.publish(events.before(room, Long.MAX_VALUE, 1));
            return 0;
        }
        long read = 0;
        long after = published;
        List<Event> page;
        do {
            page = events.after(room, after, MAX_READ);
            if (!page.isEmpty()) {
                bus.publish(page);
                after = page.getLast().seq();
                read += page.size();
            }
        } while (page.size() == MAX_READ && !closed && bus.hasSubscribers(room));
        return read;
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

    /** Tells the listeners of a personal item another instance stored: {@code instance id userKey}. */
    private void personalStored(String payload) {
        var parts = payload.split(" ", 3);
        if (parts.length == 3 && !parts[0].equals(instance)) {
            long id = Long.parseLong(parts[1]);
            personalListeners.forEach(listener -> listener.stored(parts[2], id));
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
