package io.consolechat.server.room;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one wake-up of a stream that follows several sources (rooms, the personal stream): each source pokes
 * it when something arrives, and the stream's writer, after polling every source, waits on it alone. No
 * thread per source. A poke that comes between the poll and the wait is kept, so nothing is slept through.
 */
public final class StreamSignal {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition poked = lock.newCondition();
    private boolean pending;

    void poke() {
        lock.lock();
        try {
            pending = true;
            poked.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Forgets earlier pokes; call before polling the sources. */
    public void clear() {
        lock.lock();
        try {
            pending = false;
        } finally {
            lock.unlock();
        }
    }

    /** Waits for a poke since the last {@link #clear}, until {@code deadlineNanos} (a {@link System#nanoTime()}). */
    public void await(long deadlineNanos) throws InterruptedException {
        lock.lock();
        try {
            while (!pending) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                poked.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }
}
