package io.consolechat.server.http;

import io.consolechat.protocol.Event;
import io.consolechat.protocol.Json;
import io.consolechat.protocol.StreamItem;
import io.consolechat.server.auth.Session;
import io.consolechat.server.room.Backlog;
import io.consolechat.server.room.Feed;
import io.consolechat.server.room.RoomService;
import io.consolechat.server.room.StreamSignal;
import io.javalin.http.Context;
import java.util.function.BiFunction;
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

    /** Serves the room's stream; {@code done} runs once it has ended, now or, for a live stream, later. */
    void serve(Context ctx, Request request, Session user, Runnable done) throws InterruptedException {
        serve(ctx, request, user, (backlog, signal) -> rooms.listen(request.room(), user, backlog, signal), done);
    }

    /**
     * As above, with the feed opened by {@code open} (a direct conversation checks who may read it). The
     * backlog is written on the request's thread; then, unless the stream ends at once, it goes on as a
     * {@link LiveStream}, the request's thread returns, and the response completes when the stream ends.
     */
    void serve(Context ctx, Request request, Session user, BiFunction<Backlog, StreamSignal, Feed> open,
               Runnable done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(request.timeoutSeconds());
        var signal = new StreamSignal();
        StreamWriter out = null;
        Feed feed = null;
        boolean live = false;
        try {
            out = writers.open(ctx);
            feed = open.apply(request.backlog(), signal);
            ctx.status(200);
            ctx.res().setContentType(request.format().contentType());
            ctx.res().setHeader("Cache-Control", "no-cache");
            // Tells nginx and similar proxies not to buffer the stream.
            ctx.res().setHeader("X-Accel-Buffering", "no");
            var cursor = new long[] {feed.lastSeq()};
            if (writers.writeBacklog(out, feed, request.format(), seq -> cursor[0] = seq)
                    && System.nanoTime() - deadline < 0) {
                goLive(ctx, request.format(), out, feed, signal, deadline, done);
                live = true;
            } else {
                writers.end(ctx, out, request.format().line(new StreamItem.End(cursor[0])));
            }
        } finally {
            if (!live) {
                close(feed, out, done);
            }
        }
    }

    /**
     * From here the fan-out writes each next event itself, and a {@link LiveStream} does the rest (a gap to read
     * from the log, events that came while it wrote, the keepalive, the end) in turns, woken by the feed.
     */
    private void goLive(Context ctx, StreamFormat format, StreamWriter out, Feed feed, StreamSignal signal,
                       long deadline, Runnable done) {
        // The head, if no backlog carried it, so that the client knows the stream is open. Until here a
        // failing read can still be answered with a 503.
        out.open();
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
        var stream = writers.live(out, deadline, format.line(new StreamItem.Keepalive()), new LiveStream.Source() {
            @Override
            public boolean writeWaiting() {
                return feed.pump(sink);
            }

            @Override
            public void writeEnd() {
                feed.stopLive();
                writers.end(ctx, out, format.line(new StreamItem.End(feed.lastSeq())));
            }

            @Override
            public void release() {
                feed.stopLive();
                close(feed, out, done);
            }
        });
        // A failed connection ends the feed at once, rather than at the next line it would write.
        out.onBroken(feed::end);
        feed.writeLive(sink);
        signal.onPoke(stream::wake);
        stream.takeOver(ctx);
    }

    private void close(Feed feed, StreamWriter out, Runnable done) {
        try {
            if (feed != null) {
                feed.close();
            }
        } finally {
            if (out != null) {
                writers.close(out);
            }
            done.run();
        }
    }
}
