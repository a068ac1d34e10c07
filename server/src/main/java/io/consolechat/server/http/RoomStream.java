package io.consolechat.server.http;

import io.consolechat.protocol.Event;
import io.consolechat.protocol.Json;
import io.consolechat.protocol.StreamItem;
import io.consolechat.protocol.User;
import io.consolechat.server.room.Rooms;
import io.consolechat.server.room.Subscription;
import io.consolechat.server.store.Store;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /room/{room}}: the backlog, then live events, then the end line at the timeout. The
 * subscription opens before the backlog is read, so no event can fall between the two; events at or
 * below the last sequence number sent are dropped, which removes the overlap.
 */
final class RoomStream {
    private static final Logger log = LoggerFactory.getLogger(RoomStream.class);
    static final int MAX_TIMEOUT_SECONDS = 3600;
    static final int DEFAULT_TIMEOUT_SECONDS = 30;
    static final int DEFAULT_HISTORY = 20;
    static final int MAX_HISTORY = 500;
    private static final int BACKLOG_PAGE = 500;

    /** What the client asked for, validated. {@code since} is null when history mode applies. */
    record Request(String room, int timeoutSeconds, Long since, int history, StreamFormat format) {
    }

    private final Store store;
    private final Rooms rooms;
    private final Json json;
    private final Duration keepalive;
    private final EncodedEvents encoded = new EncodedEvents();

    RoomStream(Store store, Rooms rooms, Json json, Duration keepalive) {
        this.store = store;
        this.rooms = rooms;
        this.json = json;
        this.keepalive = keepalive;
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
        return new Request(room, timeout, since, history, format);
    }

    void serve(Context ctx, Request request, User user) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(request.timeoutSeconds());
        var subscription = rooms.open(request.room(), user);
        try {
            ctx.status(200);
            ctx.res().setContentType(request.format().contentType());
            ctx.res().setHeader("Cache-Control", "no-cache");
            // Tells nginx and similar proxies not to buffer the stream.
            ctx.res().setHeader("X-Accel-Buffering", "no");
            var out = new StreamOutput(ctx.res().getOutputStream());
            long last = sendBacklog(out, request);
            last = sendLive(out, request.format(), subscription, last, deadline);
            out.add(request.format().encode(new StreamItem.End(last)));
            out.finish();
        } catch (IOException e) {
            // The client went away (or a write timed out): nobody is left to tell.
            log.debug("stream on {} ended early: {}", request.room(), e.toString());
        } finally {
            rooms.close(subscription);
        }
    }

    /** Writes the backlog; returns the sequence number it reached. */
    private long sendBacklog(StreamOutput out, Request request) throws IOException {
        long last;
        if (request.since() != null) {
            // A cursor from the future (another server, a reset database) would hide new events: clamp it.
            last = Math.min(request.since(), store.lastSeq(request.room()));
            List<Event> page;
            do {
                page = store.eventsAfter(request.room(), last, BACKLOG_PAGE);
                for (var event : page) {
                    out.add(request.format().encode(event));
                    last = event.seq();
                }
                out.send();
            } while (page.size() == BACKLOG_PAGE);
        } else if (request.history() == 0) {
            last = store.lastSeq(request.room());
        } else {
            var recent = store.eventsBefore(request.room(), Long.MAX_VALUE, request.history());
            for (var event : recent) {
                out.add(request.format().encode(event));
            }
            out.send();
            last = recent.isEmpty() ? store.lastSeq(request.room()) : recent.getLast().seq();
        }
        out.open();
        return last;
    }

    private long sendLive(StreamOutput out, StreamFormat format, Subscription subscription, long last,
                          long deadline) throws IOException, InterruptedException {
        long keepaliveNanos = keepalive.toNanos();
        long nextKeepalive = System.nanoTime() + keepaliveNanos;
        while (System.nanoTime() < deadline) {
            var event = subscription.take(Math.min(deadline, nextKeepalive));
            if (event == null) {
                if (subscription.closed() != Subscription.Closed.NOT) {
                    break;
                }
                if (System.nanoTime() >= nextKeepalive) {
                    out.add(format.encode(new StreamItem.Keepalive()));
                    out.send();
                    nextKeepalive = System.nanoTime() + keepaliveNanos;
                }
                continue;
            }
            // Everything already waiting goes out in one write.
            while (event != null) {
                if (event.seq() > last) {
                    out.add(encoded.encode(format, event));
                    last = event.seq();
                }
                event = subscription.poll();
            }
            out.send();
            nextKeepalive = System.nanoTime() + keepaliveNanos;
        }
        return last;
    }
}
