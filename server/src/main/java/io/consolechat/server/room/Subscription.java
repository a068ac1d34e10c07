package io.consolechat.server.room;

import io.consolechat.protocol.Event;
import io.consolechat.server.auth.Session;
import io.consolechat.server.bus.EventBus;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
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
     * Takes a delivered event straight from the fan-out when the stream is live and nothing is waiting in the
     * buffer; called under the subscription's lock, so deliveries reach it one at a time.
     */
    interface Direct {
        /** Whether the event was dealt with (written, or dropped as overlap); false to buffer it instead. */
        boolean accept(Event event);
    }

    private final String room;
    private final Session session;
    private final int capacity;
    private final ArrayDeque<Event> buffer = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private Closed closed = Closed.NOT;
    private Direct direct;
    /** The stream's own thread is writing what it took from the buffer: deliveries wait in the buffer. */
    private boolean busy;
    /** Woken as well on every change, when one stream follows several rooms; null otherwise. */
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

    /** Pokes {@code signal} on every delivery and on closing, besides waking {@link #take}. */
    void alsoWake(StreamSignal signal) {
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
        lock.lock();
        try {
            if (closed != Closed.NOT) {
                return;
            }
            if (direct != null && !busy && buffer.isEmpty() && direct.accept(event)) {
                // Written by this thread, the fan-out's: no wake-up of the stream's thread.
                return;
            }
            if (buffer.size() >= capacity) {
                closed = Closed.OVERFLOW;
            } else {
                buffer.addLast(event);
            }
            changed.signal();
        } finally {
            lock.unlock();
        }
        pokeSignal();
    }

    /**
     * From now on deliveries go to {@code direct} while the buffer is empty and the stream's thread is not
     * writing; others are buffered for that thread ({@link #takeToWrite}).
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
     * As {@link #take}, for a direct subscription: a buffered event, after which the stream's thread counts as
     * writing until {@link #pollToWrite} finds the buffer empty.
     */
    Event takeToWrite(long deadlineNanos) throws InterruptedException {
        lock.lock();
        try {
            var event = take(deadlineNanos);
            busy = event != null;
            return event;
        } finally {
            lock.unlock();
        }
    }

    /** The next buffered event; when there is none, the fan-out may write directly again. */
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
        lock.lock();
        try {
            if (closed == Closed.NOT) {
                closed = reason;
            }
            changed.signal();
        } finally {
            lock.unlock();
        }
        pokeSignal();
    }

    /**
     * The next event, waiting until {@code deadlineNanos} (a {@link System#nanoTime()} value); null when the
     * deadline passed or the subscription is closed and drained.
     */
    Event take(long deadlineNanos) throws InterruptedException {
        lock.lock();
        try {
            while (buffer.isEmpty() && closed == Closed.NOT) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                changed.awaitNanos(left);
            }
            return buffer.pollFirst();
        } finally {
            lock.unlock();
        }
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

    Closed closed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }
}
