package io.consolechat.server.http;

import io.consolechat.protocol.ErrorCode;
import io.consolechat.server.error.Refused;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The memory that whole answers (history pages, room lists) may hold at once, shared by all of them. An
 * answer reserves its worst case before it is built, keeps only its real size once built, and gives that
 * back when its client has taken the last byte or the connection is cut (a client that stops reading is cut
 * at the idle timeout). When the budget is spent, a request waits a little for room and is then refused
 * with 503 and {@code Retry-After}, so that clients that never read cannot fill the heap.
 */
final class ResponseBudget {
    private static final int KIB = 1024;
    /** Answers are written in well under a second to a client that reads; a few seconds is a fair pause. */
    private static final long RETRY_AFTER_SECONDS = 5;

    /** Counted in KiB, so that a budget of several GiB still fits a semaphore's int. */
    private final Semaphore kib;
    private final int totalKib;
    private final Duration wait;

    ResponseBudget(long bytes, Duration wait) {
        if (bytes < KIB) {
            throw new IllegalArgumentException("the response budget must be at least 1 KiB");
        }
        this.totalKib = (int) Math.min(Integer.MAX_VALUE, bytes / KIB);
        // Fair: a large answer is not starved by a stream of small ones that keep the budget just short of it.
        this.kib = new Semaphore(totalKib, true);
        this.wait = wait;
    }

    /** Takes {@code bytes} (at most the whole budget), waiting for room up to the configured time. */
    Reservation reserve(long bytes) {
        int wanted = toKib(bytes);
        try {
            if (kib.tryAcquire(wanted, wait.toMillis(), TimeUnit.MILLISECONDS)) {
                return new Reservation(wanted);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new Refused(ErrorCode.UNAVAILABLE,
                "the server is busy sending other answers; try again in a few seconds", RETRY_AFTER_SECONDS);
    }

    private int toKib(long bytes) {
        return (int) Math.clamp(Math.ceilDiv(Math.max(bytes, 1), KIB), 1, totalKib);
    }

    /** Budget held by one answer until {@link #close()}. */
    final class Reservation implements AutoCloseable {
        private int held;

        private Reservation(int held) {
            this.held = held;
        }

        /** Keeps only what the built answer really takes; never more than was reserved. */
        void shrinkTo(long bytes) {
            int keep = Math.min(held, toKib(bytes));
            kib.release(held - keep);
            held = keep;
        }

        @Override
        public void close() {
            kib.release(held);
            held = 0;
        }
    }
}
