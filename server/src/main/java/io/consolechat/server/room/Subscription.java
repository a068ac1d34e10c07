package io.consolechat.server.room;

import io.consolechat.protocol.Event;
import io.consolechat.server.auth.Session;
import io.consolechat.server.bus.EventBus;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One open stream's view of a room: a bounded buffer between the fan-out and the stream writer. The
 * fan-out never waits on it; a reader that falls {@code capacity} events behind is cut off and can
 * resume with {@code since}.
 */
final class Subscription implements EventBus.Subscriber {
    /** Why a subscription stopped taking events. */
    enum Closed { NOT, OVERFLOW, LEFT, REMOVED, LOGGED_OUT, SHUTDOWN, GONE }

    /**
     * Takes delivered events straight from the fan-out when the stream is live and nothing is waiting in the
     * buffer; called under the subscription's lock, so deliveries reach it one at a time.
     */
    interface Direct {
        /** Whether the event was dealt with (queued to write, or dropped as overlap); false to buffer it. */
        boolean accept(Event event);

        /** Starts writing what {@link #accept} queued: once per delivery, however many events it held. */
        void flush();
    }

    private final String room;
    private final Session session;
    private final int capacity;
    private final ArrayDeque<Event> buffer = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private Closed closed = Closed.NOT;
    /** The last seq the stream is owed once closed (see {@link #close(Closed, long)}); 0 when none is. */
    private long endsAt;
    private Direct direct;
    /** The stream's turn is writing what it took from the buffer: deliveries wait in the buffer. */
    private boolean busy;
    /** Poked when an event is buffered and on closing, so that the stream takes a turn; null for none. */
    private volatile StreamSignal signal;

    Subscription(String room, Session session, int capacity) {
        this.room = room;
        this.session = session;
        this.capacity = capacity;
    }

    String room() {
        return room;
    }

    /** Whose stream this is, and the token it was opened with. */
    Session session() {
        return session;
    }

    /** Pokes {@code signal} whenever an event is buffered, and on closing. */
    void wake(StreamSignal signal) {
        this.signal = signal;
    }

    private void pokeSignal() {
        var s = signal;
        if (s != null) {
            s.poke();
        }
    }

    /** Called by the bus; never blocks for long. */
    @Override
    public void deliver(Event event) {
        deliverAll(List.of(event));
    }

    /**
     * Called by the bus. While the stream is live and keeps up, the events are written by the calling thread
     * and the stream is not woken; the rest waits in the buffer for the stream's next turn.
     */
    @Override
    public void deliverAll(List<Event> events) {
        boolean buffered = false;
        lock.lock();
        try {
            boolean written = false;
            for (var event : events) {
                if (closed != Closed.NOT) {
                    break;
                }
                if (direct != null && !busy && buffer.isEmpty() && direct.accept(event)) {
                    written = true;
                } else if (buffer.size() >= capacity) {
                    closed = Closed.OVERFLOW;
                    buffered = true;
                } else {
                    buffer.addLast(event);
                    buffered = true;
                }
            }
            if (written) {
                direct.flush();
            }
        } finally {
            lock.unlock();
        }
        if (buffered) {
            pokeSignal();
        }
    }

    /**
     * From now on deliveries go to {@code direct} while the buffer is empty and the stream's turn is not
     * writing; others are buffered for its turn ({@link #pollToWrite}). Null stops it; once this returns,
     * no direct delivery is under way.
     */
    void direct(Direct direct) {
        lock.lock();
        try {
            this.direct = direct;
        } finally {
            lock.unlock();
        }
    }

    /**
     * For a direct subscription: the next buffered event, after which the stream's turn counts as writing
     * (deliveries wait in the buffer behind it) until this finds the buffer empty; the fan-out may then write
     * directly again.
     */
    Event pollToWrite() {
        lock.lock();
        try {
            var event = buffer.pollFirst();
            busy = event != null;
            return event;
        } finally {
            lock.unlock();
        }
    }

    /** Stops taking events; what is buffered can still be taken. */
    void close(Closed reason) {
        close(reason, 0);
    }

    /**
     * As {@link #close(Closed)}, owing the stream every event up to {@code endsAt}: what was committed before
     * it ended (the leave or kick that ended it among them), which the fan-out may still be bringing.
     */
    void close(Closed reason, long endsAt) {
        lock.lock();
        try {
            if (closed == Closed.NOT) {
                closed = reason;
                this.endsAt = endsAt;
            }
        } finally {
            lock.unlock();
        }
        pokeSignal();
    }

    /** The next buffered event without waiting, or null. */
    Event poll() {
        lock.lock();
        try {
            return buffer.pollFirst();
        } finally {
            lock.unlock();
        }
    }

    /** The last seq the stream is owed now that it is closed; 0 when none is. */
    long endsAt() {
        lock.lock();
        try {
            return endsAt;
        } finally {
            lock.unlock();
        }
    }

    Closed closed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }
}
