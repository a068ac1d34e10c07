package io.consolechat.server.store;

import io.consolechat.protocol.Event;
import io.consolechat.protocol.EventType;
import io.consolechat.server.bus.EventBus;
import io.consolechat.server.error.StoreException;
import io.consolechat.server.store.EventLog.NewEvent;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes events with group commit: one thread takes every append waiting in the queue, writes them in
 * one transaction and commits once, so concurrent senders share one fsync. Each room's sequence numbers
 * are taken from its row in the same transaction ({@code last_seq} raised by the batch's count), so
 * nothing in memory can drift from the table: a failed commit leaves the row as it was. Each committed
 * batch goes to the bus before the senders hear back, which keeps delivery in sequence order.
 */
final class GroupCommit implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);
    private static final int MAX_BATCH = 1000;

    private record Pending(NewEvent event, CompletableFuture<Event> done) {
    }

    private final Transactions transactions;
    private final EventBus bus;
    private final Clock clock;
    private final BlockingQueue<Pending> queue;
    private final Thread thread;
    private volatile boolean closing;

    GroupCommit(Transactions transactions, EventBus bus, Clock clock, int queueCapacity) {
        this.transactions = transactions;
        this.bus = bus;
        this.clock = clock;
        this.queue = new LinkedBlockingQueue<>(queueCapacity);
        this.thread = Thread.ofPlatform().name("event-writer").daemon(false).unstarted(this::run);
        thread.start();
    }

    CompletableFuture<Event> append(NewEvent event) {
        if (closing) {
            return CompletableFuture.failedFuture(new StoreException("the store is closed"));
        }
        var done = new CompletableFuture<Event>();
        try {
            // A full queue blocks the sender: back-pressure instead of unbounded memory.
            queue.put(new Pending(event, done));
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
        List<Event> events;
        try {
            events = transactions.write("store " + batch.size() + " events", conn -> insert(conn, batch));
        } catch (StoreException e) {
            batch.forEach(p -> p.done().completeExceptionally(e));
            return;
        }
        try {
            bus.publish(events);
        } catch (RuntimeException e) {
            log.error("delivering events failed", e);
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).done().complete(events.get(i));
        }
    }

    /** Takes each room's sequence numbers for the batch, then inserts the events; returns them in batch order. */
    private List<Event> insert(Connection conn, List<Pending> batch) throws SQLException {
        var at = Instant.now(clock).truncatedTo(ChronoUnit.MILLIS);
        var counts = new LinkedHashMap<String, Integer>();
        for (var p : batch) {
            counts.merge(p.event().room(), 1, Integer::sum);
        }
        var next = reserve(conn, counts, at);
        var events = new ArrayList<Event>(batch.size());
        try (var ps = conn.prepareStatement("INSERT INTO events (room, seq, type, at, from_name, from_kind, text, "
                + "user_name, user_kind, reason, target) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (var p : batch) {
                var e = p.event();
                long seq = next.merge(e.room(), 1L, Long::sum) - 1;
                var event = new Event(e.type(), e.room(), seq, at, e.from(), e.text(), e.user(), e.reason(),
                        e.target(), null);
                events.add(event);
                ps.setString(1, event.room());
                ps.setLong(2, event.seq());
                ps.setString(3, event.type());
                ps.setLong(4, at.toEpochMilli());
                ps.setString(5, event.from().name());
                ps.setString(6, event.from().kind().wireName());
                ps.setString(7, event.text());
                ps.setString(8, e.user() == null ? null : e.user().name());
                ps.setString(9, e.user() == null ? null : e.user().kind().wireName());
                ps.setString(10, e.reason());
                if (e.target() == null) {
                    ps.setNull(11, Types.BIGINT);
                } else {
                    ps.setLong(11, e.target());
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
        removeDeletedTexts(conn, batch);
        return events;
    }

    /** A delete event takes its target message's text out of storage, in the transaction that stores it. */
    private static void removeDeletedTexts(Connection conn, List<Pending> batch) throws SQLException {
        var deletes = batch.stream().map(Pending::event)
                .filter(e -> e.type() == EventType.DELETE && e.target() != null).toList();
        if (deletes.isEmpty()) {
            return;
        }
        try (var ps = conn.prepareStatement(
                "UPDATE events SET text = NULL, deleted = TRUE WHERE room = ? AND seq = ? AND type = 'message'")) {
            for (var e : deletes) {
                ps.setString(1, e.room());
                ps.setLong(2, e.target());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * Raises each room's {@code last_seq} by its count in the batch, creating the row if needed, and returns
     * each room's first new sequence number. The row stays locked until the commit, so another writer (another
     * process, with PostgreSQL) waits for it and then continues from the committed value.
     */
    private static Map<String, Long> reserve(Connection conn, Map<String, Integer> counts, Instant at)
            throws SQLException {
        var first = new LinkedHashMap<String, Long>();
        try (var ps = conn.prepareStatement("INSERT INTO rooms (name, last_seq, last_activity) VALUES (?, ?, ?) "
                + "ON CONFLICT (name) DO UPDATE SET last_seq = rooms.last_seq + excluded.last_seq, "
                + "last_activity = excluded.last_activity RETURNING last_seq")) {
            for (var entry : counts.entrySet()) {
                ps.setString(1, entry.getKey());
                ps.setLong(2, entry.getValue());
                ps.setLong(3, at.toEpochMilli());
                try (var rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new SQLException("the room row of " + entry.getKey() + " returned no sequence");
                    }
                    first.put(entry.getKey(), rs.getLong(1) - entry.getValue() + 1);
                }
            }
        }
        return first;
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
