package io.consolechat.server.http;

import io.consolechat.protocol.ErrorCode;
import io.consolechat.protocol.Event;
import io.consolechat.server.config.ServerConfig;
import io.consolechat.server.error.Refused;
import io.consolechat.server.room.Feed;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpVersion;

/**
 * Makes the {@link StreamWriter} of each stream, with the stream limits of the configuration, and the
 * {@link LiveStream} that runs it once its backlog is written. One timer serves all of them: it aborts writes
 * that have not completed within the write timeout, and wakes live streams for their keepalives and
 * timeouts. No thread per stream waits for either.
 */
public final class StreamWriters implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StreamWriters.class);
    /** When bytes will be free again is not known; a few seconds is a fair pause before trying again. */
    private static final long RETRY_AFTER_SECONDS = 5;

    private final ServerConfig.Streams config;
    private final StreamBudget budget;
    private final Set<StreamWriter> open = ConcurrentHashMap.newKeySet();
    private final ScheduledThreadPoolExecutor timer;
    /** The turns of live streams: a virtual thread each, only while a stream has something to do. */
    private final ExecutorService turns = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("stream-turn").factory());
    private volatile boolean stopping;
    /**
     * Backlog pages read from the store at once. Streams run on virtual threads, which share as many carrier
     * threads as there are cores: two hundred streams opening together, each reading pages of long messages,
     * would hold every carrier and leave {@code /health} and every other request waiting for seconds. Half
     * the cores (at least one) read; the others wait without holding a carrier.
     */
    private final Semaphore backlogReads = new Semaphore(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));

    public StreamWriters(ServerConfig.Streams config) {
        this.config = config;
        this.budget = new StreamBudget(config.totalBytes);
        this.timer = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().name("stream-timer").daemon(true).factory());
        // A stream that ends takes its pending wake-up out of the queue rather than leaving it there until due.
        timer.setRemoveOnCancelPolicy(true);
        long sweep = Math.max(10, Math.min(1000, config.writeTimeout.toMillis() / 4));
        timer.scheduleWithFixedDelay(this::abortStuckWrites, sweep, sweep, TimeUnit.MILLISECONDS);
    }

    /**
     * Runs {@code out}'s stream from now on, in turns (see {@link LiveStream}), until {@code deadlineNanos}
     * or until {@code source} ends it; {@code keepalive} is written whenever the stream has been quiet for the
     * keepalive interval. Its turns begin once {@link LiveStream#takeOver} hands it the response.
     */
    LiveStream live(StreamWriter out, long deadlineNanos, StreamLine keepalive, LiveStream.Source source) {
        return new LiveStream(out, source, deadlineNanos, config.keepalive.toNanos(), keepalive, turns, timer);
    }

    /**
     * A writer for the stream of this request, or 503 when the bytes held across all streams leave less than
     * one stream's cap of their total: another stream could soon only be cut off.
     */
    StreamWriter open(Context ctx) {
        if (budget.lessThanLeft(config.maxBytesPerStream)) {
            throw new Refused(ErrorCode.UNAVAILABLE, "the server holds as much unread stream data as it may;"
                    + " try again shortly", RETRY_AFTER_SECONDS);
        }
        var request = ServletContextRequest.getServletContextRequest(ctx.req());
        var response = request.getServletContextResponse();
        // The writer frames HTTP/1.1 lines as chunks itself: asked for, Jetty's generator chunks the response
        // even when the client sent Connection: close, when it would otherwise send the body up to the close.
        boolean chunked = HttpVersion.HTTP_1_1.is(ctx.req().getProtocol());
        if (chunked) {
            response.getHeaders().put(HttpHeader.TRANSFER_ENCODING, HttpHeaderValue.CHUNKED.asString());
        }
        var writer = new StreamWriter(response, request.getServletChannel().getEndPoint(), chunked, budget,
                config.maxBytesPerStream);
        open.add(writer);
        return writer;
    }

    /**
     * Waits until what {@code writer} queued is written; false when its connection failed first. The timer
     * aborts a write that takes too long, so this wait is bounded by the write timeout.
     */
    boolean awaitWritten(StreamWriter writer) throws InterruptedException {
        return writer.awaitWritten(System.nanoTime() + config.writeTimeout.toNanos() * 2);
    }

    /** A page of backlog events and their lines, in the same order. */
    record BacklogPage(List<Event> events, List<StreamLine> lines) {
    }

    /**
     * The next page of {@code feed}'s backlog, read and encoded when a turn to read one is free. Encoding
     * takes the turn too: a virtual thread that encodes long messages keeps its carrier until it blocks,
     * and two hundred streams encoding their backlogs at once would hold every carrier for a second.
     * Encoded here, not through the shared cache: a backlog event is this stream's own copy, which no other
     * stream will ask for; cached, long ones would crowd out live events.
     */
    BacklogPage nextBacklogPage(Feed feed, StreamFormat format) throws InterruptedException {
        backlogReads.acquire();
        try {
            var events = feed.next();
            var lines = new ArrayList<StreamLine>(events.size());
            for (var event : events) {
                lines.add(format.line(event));
            }
            return new BacklogPage(events, lines);
        } finally {
            backlogReads.release();
        }
    }

    /** Queues a backlog line once there is room for it; see {@link StreamWriter#addWhenRoom}. */
    boolean addWhenRoom(StreamWriter writer, StreamLine line) throws InterruptedException {
        return writer.addWhenRoom(line, System.nanoTime() + config.writeTimeout.toNanos() * 2);
    }

    /**
     * Writes the backlog of {@code feed}, whatever the timeout, a page at a time, each read once the one before
     * is written and each line queued once the writes leave room for it under the cap; {@code cursor} gets
     * the seq after which the client resumes as lines are queued. False when the cap, the write timeout or a
     * failed connection stopped it.
     */
    boolean writeBacklog(StreamWriter writer, Feed feed, StreamFormat format, LongConsumer cursor)
            throws InterruptedException {
        while (!feed.live()) {
            var page = nextBacklogPage(feed, format);
            for (int i = 0; i < page.events().size(); i++) {
                if (!addWhenRoom(writer, page.lines().get(i))) {
                    return false;
                }
                cursor.accept(page.events().get(i).seq());
            }
            cursor.accept(feed.lastSeq());
            if (!awaitWritten(writer)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Queues the end line and writes what is queued, then completes the response (the last chunk) now, while
     * the stream still counts as open: shutdown waits for open streams, and must not cut a response short.
     */
    void end(Context ctx, StreamWriter writer, StreamLine endLine) {
        writer.addLast(endLine);
        try {
            if (awaitWritten(writer)) {
                ctx.res().getOutputStream().close();
                if (stopping) {
                    // A client reconnects at once after the end line, and would send its next request on this
                    // connection, kept alive, to a server that no longer answers it: it would wait for its own
                    // timeout. Closed, the connection makes it open a new one, which the stopping server refuses.
                    writer.closeConnection();
                }
            }
        } catch (IOException e) {
            // The client went away: nobody is left to tell.
            log.debug("stream ended early: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The server is stopping: each stream that ends from now on closes its connection after its response. */
    public void stopping() {
        stopping = true;
    }

    /** The stream of {@code writer} has ended. */
    void close(StreamWriter writer) {
        open.remove(writer);
        writer.release();
    }

    private void abortStuckWrites() {
        long startedBefore = System.nanoTime() - config.writeTimeout.toNanos();
        for (var writer : open) {
            if (writer.stuckSince(startedBefore)) {
                writer.abort();
            }
        }
    }

    /** The bytes held by streams, for tests and operators. */
    public StreamBudget budget() {
        return budget;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        turns.shutdown();
    }
}
