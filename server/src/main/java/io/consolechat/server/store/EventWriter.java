package io.consolechat.server.store;

import io.consolechat.protocol.Event;
import io.consolechat.protocol.EventType;
import io.consolechat.protocol.User;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes events with group commit: one thread takes every append waiting in the queue, writes them in
 * one transaction and commits once, so concurrent senders share one fsync. Being the only writer of
 * events, it also assigns sequence numbers, and it hands each committed batch to the listener before
 * the senders hear back, which keeps delivery in sequence order.
 */
final class EventWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventWriter.class);
    private static final int MAX_BATCH = 1000;

    private record Pending(String room, EventType type, User from, String text, CompletableFuture<Event> done) {
    }

    private final DataSource dataSource;
    private final Clock clock;
    private final BlockingQueue<Pending> queue;
    /** The last committed sequence number of each room seen so far; touched by the writer thread only. */
    private final Map<String, Long> lastSeq = new HashMap<>();
    private final Thread thread;
    private volatile Consumer<List<Event>> listener = events -> { };
    private volatile boolean closing;

    EventWriter(DataSource dataSource, Clock clock, int queueCapacity) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.queue = new LinkedBlockingQueue<>(queueCapacity);
        this.thread = Thread.ofPlatform().name("event-writer").daemon(false).unstarted(this::run);
        thread.start();
    }

    void onAppended(Consumer<List<Event>> listener) {
        this.listener = listener;
    }

    CompletableFuture<Event> append(String room, EventType type, User from, String text) {
        var done = new CompletableFuture<Event>();
        if (closing) {
            return CompletableFuture.failedFuture(new StoreException("the store is closed"));
        }
        try {
            // A full queue blocks the sender: back-pressure instead of unbounded memory.
            queue.put(new Pending(room, type, from, text, done));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(new StoreException("interrupted while queueing", e));
        }
        return done;
    }

    private void run() {
        var batch = new ArrayList<Pending>();
        while (true) {
            try {
                var first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (closing && queue.isEmpty()) {
                        return;
                    }
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                write(batch);
            } catch (InterruptedException e) {
                closing = true;
            } catch (RuntimeException e) {
                log.error("event writer failed on a batch", e);
                batch.forEach(p -> p.done().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<Pending> batch) {
        var next = new HashMap<String, Long>();
        var events = new ArrayList<Event>(batch.size());
        var at = Instant.now(clock).truncatedTo(ChronoUnit.MILLIS);
        try (var conn = dataSource.getConnection()) {
            conn.setAutoCommit(false);
            try {
                for (var p : batch) {
                    long seq = next.computeIfAbsent(p.room(), room -> committedLastSeq(conn, room)) + 1;
                    next.put(p.room(), seq);
                    events.add(new Event(p.type(), p.room(), seq, at, p.from(), p.text()));
                }
                insert(conn, events, next, at);
                conn.commit();
            } catch (SQLException | RuntimeException e) {
                conn.rollback();
                throw e;
            }
        } catch (SQLException | RuntimeException e) {
            var failure = new StoreException("could not store " + batch.size() + " events", e);
            log.error(failure.getMessage(), e);
            batch.forEach(p -> p.done().completeExceptionally(failure));
            return;
        }
        lastSeq.putAll(next);
        try {
            listener.accept(events);
        } catch (RuntimeException e) {
            log.error("delivering events failed", e);
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).done().complete(events.get(i));
        }
    }

    private long committedLastSeq(Connection conn, String room) {
        var known = lastSeq.get(room);
        if (known != null) {
            return known;
        }
        try (var ps = conn.prepareStatement("SELECT last_seq FROM rooms WHERE name = ?")) {
            ps.setString(1, room);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        } catch (SQLException e) {
            throw new StoreException("could not read the sequence of " + room, e);
        }
    }

    private static void insert(Connection conn, List<Event> events, Map<String, Long> last, Instant at)
            throws SQLException {
        try (var ps = conn.prepareStatement(
                "INSERT INTO events (room, seq, type, at, from_name, from_kind, text) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (var e : events) {
                ps.setString(1, e.room());
                ps.setLong(2, e.seq());
                ps.setString(3, e.type());
                ps.setLong(4, e.at().toEpochMilli());
                ps.setString(5, e.from().name());
                ps.setString(6, e.from().kind().wireName());
                ps.setString(7, e.text());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (var ps = conn.prepareStatement(
                "INSERT INTO rooms (name, last_seq, last_activity) VALUES (?, ?, ?) "
                        + "ON CONFLICT (name) DO UPDATE SET last_seq = excluded.last_seq, "
                        + "last_activity = excluded.last_activity")) {
            for (var entry : last.entrySet()) {
                ps.setString(1, entry.getKey());
                ps.setLong(2, entry.getValue());
                ps.setLong(3, at.toEpochMilli());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Writes what is queued, then stops. */
    @Override
    public void close() {
        closing = true;
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Anything that slipped in after the thread left is refused rather than left hanging.
        Pending p;
        while ((p = queue.poll()) != null) {
            p.done().completeExceptionally(new StoreException("the store is closed"));
        }
    }
}
