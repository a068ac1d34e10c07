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

    private final String room;
    private final Session session;
    private final int capacity;
    private final ArrayDeque<Event> buffer = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private Closed closed = Closed.NOT;
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
