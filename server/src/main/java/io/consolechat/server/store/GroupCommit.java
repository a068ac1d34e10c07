package io.consolechat.server.store;

import io.consolechat.protocol.Event;
import io.consolechat.protocol.EventType;
import io.consolechat.protocol.Names;
import io.consolechat.server.bus.EventBus;
import io.consolechat.server.error.StoreException;
import io.consolechat.server.error.UnknownOutcome;
import io.consolechat.server.store.EventLog.NewEvent;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
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
 *
 * <p>A commit sent over a network can fail with its outcome unknown: applied, but the answer lost. Then the
 * writer asks the database ({@link CommitOutcomes}) before anyone hears back, and takes no other batch
 * meanwhile: the next batch's sequence numbers and its place on the bus depend on whether this one was
 * stored. A 503 thus means "not stored"; only a database that cannot be asked within {@code inDoubtLimit}
 * leaves the senders with {@link UnknownOutcome}.
 */
final class GroupCommit implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);
    private static final int MAX_BATCH = 1000;
    /** Between two looks at the outcome of a commit in doubt: a session that lost its client ends within this. */
    private static final long RECHECK_MILLIS = 100;

    private record Pending(NewEvent event, CompletableFuture<Event> done) {
    }

    private final Transactions transactions;
    private final CommitOutcomes outcomes;
    private final Duration inDoubtLimit;
    private final CommitNotice notice;
    private final EventBus bus;
    private final Clock clock;
    private final BlockingQueue<Pending> queue;
    private final Thread thread;
    private volatile boolean closing;
    private volatile CommitObserver observer = CommitObserver.NONE;

    /**
     * {@code outcomes}: how to learn what became of a commit without an answer ({@link CommitOutcomes#NONE} for
     * a database whose commits always answer); {@code inDoubtLimit}: how long to try before the senders are
     * told that the outcome is unknown.
     */
    GroupCommit(Transactions transactions, CommitOutcomes outcomes, Duration inDoubtLimit, EventBus bus,
                CommitNotice notice, Clock clock, int queueCapacity) {
        this.transactions = transactions;
        this.outcomes = outcomes;
        this.inDoubtLimit = inDoubtLimit;
        this.notice = notice;
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

    void observe(CommitObserver observer) {
        this.observer = observer;
    }

    private void write(List<Pending> batch) {
        Stored stored;
        long start = System.nanoTime();
        var what = "store " + batch.size() + " events";
        try {
            stored = outcomes == CommitOutcomes.NONE ? transactions.write(what, conn -> insert(conn, batch))
                    : switch (transactions.writeOrDoubt(what, conn -> insert(conn, batch))) {
                        case Transactions.Written.Committed<Stored> committed -> committed.result();
                        case Transactions.Written.InDoubt<Stored> doubt -> settle(doubt, batch.size());
                    };
        } catch (StoreException e) {
            batch.forEach(p -> p.done().completeExceptionally(e));
            return;
        }
        observer.committed(stored.added().size(), System.nanoTime() - start);
        try {
            bus.publish(stored.added());
        } catch (RuntimeException e) {
            log.error("delivering events failed", e);
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).done().complete(stored.results().get(i));
        }
    }

    /**
     * Learns whether the batch whose commit got no answer was stored: returns what it stored, or throws
     * (not stored: the commit's failure; not known in time: {@link UnknownOutcome}). Appends that come
     * meanwhile wait while the database answers; while it cannot be asked they are refused unattempted, so
     * certainly not stored, rather than held for a database that is gone.
     */
    private Stored settle(Transactions.Written.InDoubt<Stored> doubt, int events) {
        var cause = doubt.failure().getCause();
        log.warn("the database did not answer the commit of {} events ({}); asking it whether they were stored",
                events, String.valueOf(cause));
        long deadline = System.nanoTime() + inDoubtLimit.toNanos();
        while (true) {
            var outcome = ask(doubt.result().mark());
            if (outcome == CommitOutcomes.Outcome.STORED) {
                log.info("the commit of {} events without an answer was applied: answered as stored", events);
                return doubt.result();
            }
            if (outcome == CommitOutcomes.Outcome.NOT_STORED) {
                log.info("the commit of {} events without an answer was not applied: refused", events);
                throw doubt.failure();
            }
            if (outcome == null) {
                refuseWaiting();
            }
            if (closing || System.nanoTime() - deadline > 0) {
                log.warn("could not learn within {}s whether {} events were stored: their senders are told so",
                        inDoubtLimit.toSeconds(), events);
                throw new UnknownOutcome("could not learn whether " + events + " events were stored", cause);
            }
            try {
                Thread.sleep(RECHECK_MILLIS);
            } catch (InterruptedException e) {
                closing = true;
            }
        }
    }

    /** The outcome the database tells, or null when it cannot be asked now. */
    private CommitOutcomes.Outcome ask(CommitOutcomes.Mark mark) {
        try {
            return outcomes.outcome(mark);
        } catch (SQLException | RuntimeException e) {
            log.debug("cannot ask the database about a commit in doubt: {}", e.toString());
            return null;
        }
    }

    /** Refuses every append waiting in the queue, none of which was sent to the database. */
    private void refuseWaiting() {
        var waiting = new ArrayList<Pending>();
        queue.drainTo(waiting);
        if (!waiting.isEmpty()) {
            var refused = new StoreException("the database cannot be reached");
            waiting.forEach(p -> p.done().completeExceptionally(refused));
        }
    }

    /**
     * What a batch stored: each append's event, in batch order, the events that are new, to publish, and the
     * transaction's mark (null without {@link CommitOutcomes}).
     */
    private record Stored(List<Event> results, List<Event> added, CommitOutcomes.Mark mark) {
    }

    /**
     * Finds the appends that repeat an idempotency key (stored before, or earlier in this batch), takes each
     * room's sequence numbers for the rest, and inserts those with their keys.
     */
    private Stored insert(Connection conn, List<Pending> batch) throws SQLException {
        var at = Instant.now(clock).truncatedTo(ChronoUnit.MILLIS);
        var mark = outcomes.mark(conn, at);
        var results = new Event[batch.size()];
        var fresh = new ArrayList<Integer>(batch.size());
        var firstWithKey = new HashMap<String, Integer>();
        var repeats = new HashMap<Integer, Integer>();
        for (int i = 0; i < batch.size(); i++) {
            var e = batch.get(i).event();
            if (e.key() == null) {
                fresh.add(i);
                continue;
            }
            var id = Names.userKey(e.from().name()) + "\n" + e.key();
            var first = firstWithKey.get(id);
            if (first != null) {
                repeats.put(i, first);
                continue;
            }
            var earlier = storedWithKey(conn, e);
            if (earlier != null) {
                results[i] = earlier;
            } else {
                firstWithKey.put(id, i);
                fresh.add(i);
            }
        }
        var counts = new LinkedHashMap<String, Integer>();
        for (int i : fresh) {
            counts.merge(batch.get(i).event().room(), 1, Integer::sum);
        }
        var next = reserve(conn, counts, at);
        for (var room : counts.entrySet()) {
            long first = next.get(room.getKey());
            notice.added(conn, room.getKey(), first, first + room.getValue() - 1);
        }
        var added = new ArrayList<Event>(fresh.size());
        try (var events = conn.prepareStatement("INSERT INTO events (room, seq, type, at, from_name, from_kind, "
                + "text, action, user_name, user_kind, reason, target) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
             var keys = conn.prepareStatement(
                "INSERT INTO post_keys (user_key, idem_key, room, seq, created_at) VALUES (?, ?, ?, ?, ?)")) {
            for (int i : fresh) {
                var e = batch.get(i).event();
                long seq = next.merge(e.room(), 1L, Long::sum) - 1;
                var event = new Event(e.type(), e.room(), seq, at, e.from(), e.text(), e.action(), e.user(),
                        e.reason(), e.target(), null);
                results[i] = event;
                added.add(event);
                events.setString(1, event.room());
                events.setLong(2, event.seq());
                events.setString(3, event.type());
                events.setLong(4, at.toEpochMilli());
                events.setString(5, event.from().name());
                events.setString(6, event.from().kind().wireName());
                events.setString(7, event.text());
                events.setBoolean(8, event.action() != null);
                events.setString(9, e.user() == null ? null : e.user().name());
                events.setString(10, e.user() == null ? null : e.user().kind().wireName());
                events.setString(11, e.reason());
                if (e.target() == null) {
                    events.setNull(12, Types.BIGINT);
                } else {
                    events.setLong(12, e.target());
                }
                events.addBatch();
                if (e.key() != null) {
                    keys.setString(1, Names.userKey(e.from().name()));
                    keys.setString(2, e.key());
                    keys.setString(3, event.room());
                    keys.setLong(4, event.seq());
                    keys.setLong(5, at.toEpochMilli());
                    keys.addBatch();
                }
            }
            events.executeBatch();
            if (!firstWithKey.isEmpty()) {
                keys.executeBatch();
            }
        }
        removeDeletedTexts(conn, batch);
        repeats.forEach((i, first) -> results[i] = results[first]);
        return new Stored(List.of(results), added, mark);
    }

    /** The event the same user stored earlier with this append's idempotency key, or null. */
    private static Event storedWithKey(Connection conn, NewEvent event) throws SQLException {
        try (var ps = conn.prepareStatement("SELECT " + SqlEventLog.EVENT_COLUMNS.replaceAll("(\\w+)", "e.$1")
                + " FROM post_keys k JOIN events e ON e.room = k.room AND e.seq = k.seq "
                + "WHERE k.user_key = ? AND k.idem_key = ?")) {
            ps.setString(1, Names.userKey(event.from().name()));
            ps.setString(2, event.key());
            var found = SqlEventLog.events(ps.executeQuery());
            return found.isEmpty() ? null : found.getFirst();
        }
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
