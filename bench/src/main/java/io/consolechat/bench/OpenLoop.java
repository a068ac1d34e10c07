package io.consolechat.bench;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop sending schedule: {@code perSecond} messages a second in total, evenly interleaved across
 * {@code senders}, for a duration that starts 50 ms after the schedule is made. A late sender catches up
 * rather than skipping; each message carries its scheduled time, so latency includes any time it waited
 * behind a slow send (no coordinated omission).
 */
record OpenLoop(long startNanos, long endNanos, long gapNanos, int senders) {
    static OpenLoop of(double perSecond, Duration duration, int senders) {
        long start = System.nanoTime() + 50_000_000;
        return new OpenLoop(start, start + duration.toNanos(), (long) (1e9 / perSecond), senders);
    }

    /**
     * Waits until the scheduled time of {@code sender}'s message {@code n} and returns it (a
     * {@link System#nanoTime()}); -1, at once, when that time falls after the end.
     */
    long awaitTurn(int sender, int n) {
        long due = startNanos + (n * (long) senders + sender) * gapNanos;
        if (due >= endNanos) {
            return -1;
        }
        long wait = due - System.nanoTime();
        if (wait > 0) {
            LockSupport.parkNanos(wait);
        }
        return due;
    }
}
