package io.consolechat.server.http;

import io.consolechat.protocol.Event;
import io.consolechat.protocol.Json;
import io.consolechat.protocol.StreamItem;
import io.consolechat.server.auth.Session;
import io.consolechat.server.room.Backlog;
import io.consolechat.server.room.Feed;
import io.consolechat.server.room.RoomService;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.List;
import java.util.function.Function;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /room/{room}}: parses the request, writes what the room's feed yields (the backlog, then live
 * events), a keepalive line when the room is quiet, and the end line with the cursor at the timeout.
 */
final class RoomStream {
    private static final Logger log = LoggerFactory.getLogger(RoomStream.class);
    static final int MAX_TIMEOUT_SECONDS = 3600;
    static final int DEFAULT_TIMEOUT_SECONDS = 30;
    static final int DEFAULT_HISTORY = 20;
    static final int MAX_HISTORY = 500;

    /** What the client asked for, validated. */
    record Request(String room, int timeoutSeconds, Backlog backlog, StreamFormat format) {
    }

    private final RoomService rooms;
    private final Json json;
    private final StreamWriters writers;
    private final EncodedEvents encoded = new EncodedEvents();

    RoomStream(RoomService rooms, Json json, StreamWriters writers) {
        this.rooms = rooms;
        this.json = json;
        this.writers = writers;
    }

    Request parse(Context ctx, String room) {
        var format = StreamFormat.of(ctx.header("Accept"), json);
        int timeout = (int) Requests.number(ctx, "timeout", DEFAULT_TIMEOUT_SECONDS, 0, MAX_TIMEOUT_SECONDS);
        int history = (int) Requests.number(ctx, "history", DEFAULT_HISTORY, 0, MAX_HISTORY);
        Long since = ctx.queryParam("since") == null ? null
                : Requests.number(ctx, "since", 0, 0, Long.MAX_VALUE - 1);
        var lastEventId = ctx.header("Last-Event-ID");
        if (since == null && lastEventId != null && format instanceof StreamFormat.Sse) {
            since = Requests.number(lastEventId.strip(), "Last-Event-ID", 0, Long.MAX_VALUE - 1);
        }
        Backlog backlog = since == null ? new Backlog.Recent(history) : new Backlog.Since(since);
        return new Request(room, timeout, backlog, format);
    }

    void serve(Context ctx, Request request, Session user) throws InterruptedException {
        serve(ctx, request, user, backlog -> rooms.listen(request.room(), user, backlog));
    }

    /** As above, with the feed opened by {@code open} (a direct conversation checks who may read it). */
    void serve(Context ctx, Request request, Session user, Function<Backlog, Feed> open) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(request.timeoutSeconds());
        var out = writers.open(ctx);
        try (var feed = open.apply(request.backlog())) {
            ctx.status(200);
            ctx.res().setContentType(request.format().contentType());
            ctx.res().setHeader("Cache-Control", "no-cache");
            // Tells nginx and similar proxies not to buffer the stream.
            ctx.res().setHeader("X-Accel-Buffering", "no");
            long cursor = write(out, request.format(), feed, deadline);
            out.addLast(request.format().line(new StreamItem.End(cursor)));
            writers.finish(ctx, out);
        } catch (IOException e) {
            // The client went away: nobody is left to tell.
            log.debug("stream on {} ended early: {}", request.room(), e.toString());
        } finally {
            writers.close(out);
        }
    }

    /**
     * Writes the feed's events until the deadline, the feed's end, the writer's cap or a failed connection,
     * with keepalives in quiet times; returns the cursor after the last event written.
     */
    private long write(StreamWriter out, StreamFormat format, Feed feed, long deadline) throws InterruptedException {
        long keepaliveNanos = writers.keepalive().toNanos();
        long cursor = feed.lastSeq();
        // The backlog goes out whatever the timeout, a page at a time, each read once the one before is
        // written, and each line queued once the writes leave room for it under the cap.
        while (!feed.live()) {
            var page = writers.nextBacklogPage(feed, format);
            for (int i = 0; i < page.events().size(); i++) {
                if (!writers.addWhenRoom(out, page.lines().get(i))) {
                    return cursor;
                }
                cursor = page.events().get(i).seq();
            }
            cursor = feed.lastSeq();
            if (!writers.awaitWritten(out)) {
                return cursor;
            }
        }
        // Then the head, if no backlog carried it, so that the client knows the stream is open. Until here a
        // failing read can still be answered with a 503.
        out.open();
        // A failed connection ends the feed at once, rather than at the next line it would write.
        out.onBroken(feed::end);
        // Live: the fan-out writes each next event itself; this thread wakes only for what it left behind (a gap
        // to read from the log, events that came while this thread wrote), the keepalive, and the end.
        var sink = new Feed.Sink() {
            @Override
            public boolean write(Event event) {
                return out.add(encoded.encode(format, event));
            }

            @Override
            public void flush() {
                out.flush();
            }
        };
        feed.writeLive(sink);
        try {
            while (System.nanoTime() < deadline && !out.broken()) {
                if (!feed.pump(Math.min(deadline, out.lastQueued() + keepaliveNanos), sink)) {
                    break;
                }
                if (System.nanoTime() - out.lastQueued() >= keepaliveNanos) {
                    if (!out.add(format.line(new StreamItem.Keepalive()))) {
                        break;
                    }
                    out.flush();
                }
            }
        } finally {
            feed.stopLive();
        }
        return feed.lastSeq();
    }
}
