package io.consolechat.server.http;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;

/**
 * The lines of one stream on their way to the connection, written without blocking the caller. Lines wait in
 * a queue bounded in bytes; when no write is in flight, adding lines and {@link #flush flushing} starts an
 * asynchronous write, and what accumulated meanwhile goes out, coalesced, in the next write when that one
 * completes. Each line is written from the array the encoder shared among all streams, already framed
 * (see {@link StreamLine}); several go out in one gathering write.
 *
 * <p>The bytes held (queued plus in flight) never exceed the stream's cap: a line that would pass it (less
 * the room kept for the end line) is refused and the stream counts as {@link #overflowed}, to be ended. They are also taken from the server's
 * {@link StreamBudget}. A write that does not complete in time is {@link #abort aborted} by
 * {@link StreamWriters}, which closes the connection and so fails the write: a stalled client never holds
 * memory for long.
 *
 * <p>The first write goes through Jetty's response: it sends the response head, and only the head, so that
 * Jetty's HTTP/1.1 generator is left between chunks. From then on, until the stream ends, the writer owns the
 * connection's output: lines go to the {@link EndPoint} as whole chunks (or bare, to an HTTP/1.0 client),
 * which spares each delivery the layers of Jetty's response and channel state, and costs one non-blocking
 * socket write. Once the last of these writes has completed, completing the response through Jetty
 * writes the terminating chunk. A servlet {@code write(byte[])} would also copy every line into a 32 KiB
 * response buffer held by every stream until it ends.
 */
final class StreamWriter {
    /** The most lines in one gathering write. */
    private static final int MOST_PER_WRITE = 64;
    /**
     * Kept free under the cap for the end line, which is queued whatever the cap says: the end line of a
     * stream of fifty rooms with long names is about 5 KB.
     */
    static final long END_LINE_ROOM = 8 * 1024;

    private final Response response;
    private final EndPoint endPoint;
    /** Whether the response is chunked (HTTP/1.1): lines then go out framed as chunks. */
    private final boolean chunked;
    private final StreamBudget budget;
    private final long cap;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when a write completes or fails. */
    private final Condition idle = lock.newCondition();
    private final ArrayDeque<StreamLine> queue = new ArrayDeque<>();
    private long queued;
    private long inFlight;
    private boolean writing;
    /** The head's write has started. */
    private boolean started;
    /** The head's write has completed: from now on lines go to the connection itself. */
    private boolean committed;
    private boolean overflowed;
    private boolean broken;
    /** When a line was last queued ({@link System#nanoTime()}): a quiet stream is owed a keepalive. */
    private volatile long lastQueued = System.nanoTime();
    private volatile Runnable onBroken = () -> { };
    /** When the write in flight started ({@link System#nanoTime()}), 0 when none is. */
    private volatile long writeStarted;
    private final Callback written = Callback.from(Invocable.InvocationType.NON_BLOCKING, this::written,
            this::failed);

    StreamWriter(Response response, EndPoint endPoint, boolean chunked, StreamBudget budget, long cap) {
        this.response = response;
        this.endPoint = endPoint;
        this.chunked = chunked;
        this.budget = budget;
        this.cap = Math.max(0, cap - END_LINE_ROOM);
    }

    /**
     * Queues a line; false, queuing nothing, when the stream is over its cap (or the server's total is spent)
     * or its connection failed: the stream is then to end.
     */
    boolean add(StreamLine line) {
        int size = line.size(chunked);
        lock.lock();
        try {
            if (broken || overflowed) {
                return false;
            }
            if (queued + inFlight + size > cap || !budget.reserve(size)) {
                overflowed = true;
                return false;
            }
            enqueue(line);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queues a line of the backlog, waiting (until {@code deadlineNanos}) for writes to make room under the
     * cap: the backlog is read only as fast as the client takes it. False when the connection failed, the
     * wait ran out, or the line cannot fit even with nothing held (the stream is then to end).
     */
    boolean addWhenRoom(StreamLine line, long deadlineNanos) throws InterruptedException {
        int size = line.size(chunked);
        lock.lock();
        try {
            while (true) {
                if (broken || overflowed) {
                    return false;
                }
                if (queued + inFlight + size <= cap && budget.reserve(size)) {
                    enqueue(line);
                    return true;
                }
                if (queued + inFlight == 0) {
                    overflowed = true;
                    return false;
                }
                if (!writing) {
                    // Queued but not flushed: flush now rather than wait for nobody.
                    flushHoldingLock();
                    continue;
                }
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                idle.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Queues the end line whatever the cap: a few bytes every stream is owed. */
    void addLast(StreamLine line) {
        lock.lock();
        try {
            if (!broken) {
                budget.force(line.size(chunked));
                enqueue(line);
            }
        } finally {
            lock.unlock();
        }
    }

    private void enqueue(StreamLine line) {
        lastQueued = System.nanoTime();
        queue.addLast(line);
        queued += line.size(chunked);
        budget.noteStream(queued + inFlight);
    }

    /** Starts writing what is queued, unless a write is in flight (its completion writes it then). */
    void flush() {
        ByteBuffer[] next;
        lock.lock();
        try {
            next = writing || broken ? null : take();
        } finally {
            lock.unlock();
        }
        write(next);
    }

    /** Sends the response head now if nothing was written yet, so that the client knows the stream is open. */
    void open() {
        flush();
    }

    /** Called with the lock held: flushes with it released (a write may complete at once and take it). */
    private void flushHoldingLock() {
        lock.unlock();
        try {
            flush();
        } finally {
            lock.lock();
        }
    }

    /**
     * Under the lock: the next write, now in flight: the head alone if it has not gone out, else the queued
     * lines (up to {@link #MOST_PER_WRITE}); null when there is nothing to write.
     */
    private ByteBuffer[] take() {
        ByteBuffer[] next;
        if (!started) {
            started = true;
            next = new ByteBuffer[] {ByteBuffer.allocate(0)};
        } else if (queue.isEmpty()) {
            return null;
        } else {
            next = new ByteBuffer[Math.min(queue.size(), MOST_PER_WRITE)];
            for (int i = 0; i < next.length; i++) {
                var line = queue.pollFirst();
                int size = line.size(chunked);
                queued -= size;
                inFlight += size;
                next[i] = line.buffer(chunked);
            }
        }
        writing = true;
        writeStarted = System.nanoTime();
        return next;
    }

    private void write(ByteBuffer[] next) {
        if (next == null) {
            return;
        }
        if (committed) {
            endPoint.write(written, next);
        } else {
            response.write(false, next[0], written);
        }
    }

    /** A write completed: the next one takes what accumulated meanwhile. */
    private void written() {
        ByteBuffer[] next;
        lock.lock();
        try {
            budget.release(inFlight);
            inFlight = 0;
            writing = false;
            committed = true;
            writeStarted = 0;
            next = broken ? null : take();
            idle.signalAll();
        } finally {
            lock.unlock();
        }
        write(next);
    }

    private void failed(Throwable cause) {
        lock.lock();
        try {
            broken = true;
            budget.release(inFlight + queued);
            inFlight = 0;
            queued = 0;
            queue.clear();
            writing = false;
            writeStarted = 0;
            idle.signalAll();
        } finally {
            lock.unlock();
        }
        onBroken.run();
    }

    /** Runs {@code action} when the connection fails, to end the stream without waiting for its next line. */
    void onBroken(Runnable action) {
        this.onBroken = action;
        if (broken()) {
            action.run();
        }
    }

    /** When a line was last queued, as a {@link System#nanoTime()}. */
    long lastQueued() {
        return lastQueued;
    }

    /**
     * Waits until everything queued is written, or the connection failed, or {@code deadlineNanos} passed;
     * true when all was written.
     */
    boolean awaitWritten(long deadlineNanos) throws InterruptedException {
        lock.lock();
        try {
            while ((writing || !queue.isEmpty()) && !broken) {
                if (!writing) {
                    // Queued but not flushed: flush now rather than wait for nobody.
                    flushHoldingLock();
                    continue;
                }
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                idle.awaitNanos(left);
            }
            return !broken;
        } finally {
            lock.unlock();
        }
    }

    /** Whether a line was refused for the cap: the stream is to end, with its end line. */
    boolean overflowed() {
        lock.lock();
        try {
            return overflowed;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the connection failed: nothing more can reach the client. */
    boolean broken() {
        lock.lock();
        try {
            return broken;
        } finally {
            lock.unlock();
        }
    }

    /** Whether a write has been in flight since before {@code startedBefore} ({@link System#nanoTime()}). */
    boolean stuckSince(long startedBefore) {
        long started = writeStarted;
        return started != 0 && started - startedBefore < 0;
    }

    /** Closes the connection, which fails the write in flight and so ends the stream. */
    void abort() {
        endPoint.close(new java.util.concurrent.TimeoutException("stream write took too long"));
    }

    /** Closes the connection once the response is complete, so that it is not used for another request. */
    void closeConnection() {
        endPoint.close();
    }

    /**
     * Gives back what the stream still holds once it has ended. A write still in flight means the stream
     * ended without its response completing (shutdown, a failure): the connection is closed, which fails
     * that write and gives back its bytes, rather than left to Jetty, which could not write beside it.
     */
    void release() {
        boolean inFlightStill;
        lock.lock();
        try {
            budget.release(queued);
            queued = 0;
            queue.clear();
            inFlightStill = writing;
        } finally {
            lock.unlock();
        }
        if (inFlightStill) {
            abort();
        }
    }
}
