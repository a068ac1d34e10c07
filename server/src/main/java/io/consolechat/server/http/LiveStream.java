package io.consolechat.server.http;

import io.javalin.http.Context;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stream past its backlog. The fan-out writes a room's live events to the connection itself (see
 * {@link StreamWriter}); whatever else the stream has to do runs here, in turns on a short-lived virtual
 * thread started only when there is something to do: events its sources could not hand to the connection
 * directly (a gap to read from the log, events that came while a turn wrote), a keepalive once it has been
 * quiet, and its end (the timeout, a source that ended, a failed connection). Between turns it holds no
 * thread: an idle stream is a few objects and one timer entry, not a parked thread's stack.
 *
 * <p>One turn at a time: a {@link #wake} during a turn makes it go round once more, so none is lost.
 */
final class LiveStream {
    private static final Logger log = LoggerFactory.getLogger(LiveStream.class);

    /** What a turn does for the stream. */
    interface Source {
        /** Writes what the sources hold now, without waiting for more; false once the stream is to end. */
        boolean writeWaiting();

        /** Writes the end line and completes the response; runs once, unless the connection was lost first. */
        void writeEnd();

        /** Gives back what the stream holds (its feeds, its writer, its slot); runs once, last. */
        void release();
    }

    private final StreamWriter out;
    private final Source source;
    private final long deadline;
    private final long keepaliveNanos;
    private final StreamLine keepalive;
    private final Executor turns;
    private final ScheduledExecutorService timer;
    /**
     * Wake-ups asked for and not yet taken. It starts at one, held back: turns begin only once the response
     * is the stream's ({@link #takeOver}), however early its sources poke it.
     */
    private final AtomicInteger wakes = new AtomicInteger(1);
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    /** Jetty found the connection failed: the response is no longer the stream's to write or complete. */
    private volatile boolean lost;
    /**
     * Held while {@link #ended} completes, which runs Javalin's completion of the response. Jetty reports a
     * failed connection in {@code onError} and takes the response back once that returns: it waits here for a
     * completion under way, so that Javalin never works on a request Jetty has recycled (Javalin then loops
     * on the exceptions that throws).
     */
    private final ReentrantLock completing = new ReentrantLock();
    // Touched in turns only, one at a time.
    private ScheduledFuture<?> alarm;
    private long alarmAt;
    private boolean done;

    LiveStream(StreamWriter out, Source source, long deadlineNanos, long keepaliveNanos, StreamLine keepalive,
               Executor turns, ScheduledExecutorService timer) {
        this.out = out;
        this.source = source;
        this.deadline = deadlineNanos;
        this.keepaliveNanos = keepaliveNanos;
        this.keepalive = keepalive;
        this.turns = turns;
        this.timer = timer;
    }

    /**
     * Hands the response over to the stream: the request's thread returns, and the response completes once
     * the stream has ended. Javalin completes it when {@link #ended} does; a failure Jetty sees on the
     * connection meanwhile ends the stream at once, in Jetty's own callback, while the request is still
     * valid: after that callback Jetty recycles the request, which the stream must then leave alone.
     */
    void takeOver(Context ctx) {
        var async = ctx.req().startAsync();
        // The stream keeps its own time.
        async.setTimeout(0);
        async.addListener(new AsyncListener() {
            @Override
            public void onError(AsyncEvent event) {
                lost = true;
                complete();
                wake();
            }

            @Override
            public void onComplete(AsyncEvent event) {
            }

            @Override
            public void onTimeout(AsyncEvent event) {
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
            }
        });
        ctx.future(() -> ended);
        // The first turn, held back until now: it writes whatever came meanwhile.
        startTurns();
    }

    /** Asks for a turn: now, or once the turn under way is over. Never blocks. */
    void wake() {
        if (wakes.getAndIncrement() == 0) {
            startTurns();
        }
    }

    private void startTurns() {
        try {
            turns.execute(this::takeTurns);
        } catch (RejectedExecutionException e) {
            // The server has stopped: its streams have ended already.
            wakes.set(0);
        }
    }

    private void takeTurns() {
        int asked = wakes.get();
        do {
            try {
                turn();
            } catch (RuntimeException e) {
                // Releasing what an ended stream held failed: nothing is left to run for it, and the next
                // wake-ups must still find the count at zero.
                log.warn("a stream's turn failed: {}", e.toString());
            }
            asked = wakes.addAndGet(-asked);
        } while (asked != 0);
    }

    private void turn() {
        if (done) {
            return;
        }
        boolean going;
        try {
            going = !lost && System.nanoTime() - deadline < 0 && !out.broken() && source.writeWaiting();
            if (going && System.nanoTime() - out.lastQueued() >= keepaliveNanos) {
                going = out.add(keepalive);
                out.flush();
            }
        } catch (RuntimeException e) {
            // The log could not be read (a gap, what an ended stream is owed): the end line tells the client
            // where to resume once the server can read it again.
            log.debug("live stream ends early: {}", e.toString());
            going = false;
        }
        if (going) {
            setAlarm(Math.min(deadline, out.lastQueued() + keepaliveNanos));
            return;
        }
        done = true;
        if (alarm != null) {
            alarm.cancel(false);
        }
        try {
            if (!lost) {
                source.writeEnd();
            }
        } catch (RuntimeException e) {
            // Jetty failed the connection while the end was written, and took the response back.
            log.debug("stream end not written: {}", e.toString());
        } finally {
            try {
                source.release();
            } finally {
                complete();
            }
        }
    }

    private void complete() {
        completing.lock();
        try {
            ended.complete(null);
        } finally {
            completing.unlock();
        }
    }

    /** Makes sure a turn comes by {@code at} ({@link System#nanoTime()}): the timeout or the next keepalive. */
    private void setAlarm(long at) {
        if (alarm != null) {
            // An alarm whose time has come may still be running (it is what woke this turn): it counts as gone.
            if (alarmAt - System.nanoTime() > 0 && alarmAt - at <= 0) {
                // One that comes earlier is set: that turn sets the next.
                return;
            }
            alarm.cancel(false);
        }
        alarmAt = at;
        try {
            alarm = timer.schedule(this::wake, Math.max(0, at - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // Stopped: shutdown ends every stream itself.
            alarm = null;
        }
    }
}
