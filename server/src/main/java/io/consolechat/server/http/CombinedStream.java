package io.consolechat.server.http;

import io.consolechat.protocol.ErrorCode;
import io.consolechat.protocol.Event;
import io.consolechat.protocol.Json;
import io.consolechat.protocol.Names;
import io.consolechat.protocol.PersonalEvent;
import io.consolechat.protocol.StreamItem;
import io.consolechat.protocol.User;
import io.consolechat.server.error.Refused;
import io.consolechat.server.auth.Session;
import io.consolechat.server.room.Backlog;
import io.consolechat.server.room.Feed;
import io.consolechat.server.room.PersonalEvents;
import io.consolechat.server.room.PersonalFeed;
import io.consolechat.server.room.RoomService;
import io.consolechat.server.room.StreamSignal;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streams that follow more than one room's sequence: {@code GET /stream} (several rooms, and the personal
 * stream with {@code me}) and {@code GET /me/events} (the personal stream alone). Each room is a {@link Feed}
 * of its own, exactly as a room stream would open it (presence included); all of them, and the personal
 * feed, poke one {@link StreamSignal}, which makes the stream take a turn: no thread per room, and none per
 * stream between turns.
 */
final class CombinedStream {
    private static final Logger log = LoggerFactory.getLogger(CombinedStream.class);
    static final int MAX_ROOMS = 50;

    /**
     * What the client asked for: each room with its backlog, and the personal stream's backlog ({@code null}
     * for none). {@code roomsEnd}: the end line names every cursor ({@code /stream}) rather than only the
     * personal one ({@code /me/events}).
     */
    record Request(Map<String, Backlog> rooms, Backlog personal, int timeoutSeconds, StreamFormat format,
                   boolean roomsEnd) {
    }

    private final RoomService rooms;
    private final PersonalEvents personal;
    private final Json json;
    private final StreamWriters writers;
    private final EncodedEvents encoded = new EncodedEvents();

    CombinedStream(RoomService rooms, PersonalEvents personal, Json json, StreamWriters writers) {
        this.rooms = rooms;
        this.personal = personal;
        this.json = json;
        this.writers = writers;
    }

    /** {@code GET /stream?rooms=lobby:17,dev&me=42&timeout=&history=}. */
    Request parseRooms(Context ctx) {
        var format = StreamFormat.of(ctx.header("Accept"), json);
        int timeout = (int) Requests.number(ctx, "timeout", RoomStream.DEFAULT_TIMEOUT_SECONDS, 0,
                RoomStream.MAX_TIMEOUT_SECONDS);
        int history = (int) Requests.number(ctx, "history", RoomStream.DEFAULT_HISTORY, 0, RoomStream.MAX_HISTORY);
        var listed = ctx.queryParam("rooms");
        var me = ctx.queryParam("me") == null ? null : Requests.number(ctx, "me", 0, 0, Long.MAX_VALUE - 1);
        var roomBacklogs = new LinkedHashMap<String, Backlog>();
        if (listed != null && !listed.isEmpty()) {
            var entries = listed.split(",", -1);
            if (entries.length > MAX_ROOMS) {
                throw new Refused(ErrorCode.INVALID_REQUEST, "a stream follows at most " + MAX_ROOMS + " rooms");
            }
            for (var entry : entries) {
                int colon = entry.indexOf(':');
                var rawName = colon < 0 ? entry : entry.substring(0, colon);
                var room = Names.roomName(rawName).orElseThrow(() -> new Refused(ErrorCode.INVALID_ROOM,
                        "room names are 1 to 64 characters of a-z 0-9 _ - and start with a letter or digit"));
                Backlog backlog = colon < 0 ? new Backlog.Recent(history)
                        : new Backlog.Since(Requests.number(entry.substring(colon + 1), "the cursor of " + room, 0,
                                Long.MAX_VALUE - 1));
                if (roomBacklogs.putIfAbsent(room, backlog) != null) {
                    throw new Refused(ErrorCode.INVALID_REQUEST, room + " is listed twice");
                }
            }
        }
        if (roomBacklogs.isEmpty() && me == null) {
            throw new Refused(ErrorCode.INVALID_REQUEST, "list rooms=name[:seq],... and/or me=<id>");
        }
        return new Request(roomBacklogs, me == null ? null : new Backlog.Since(me), timeout, format, true);
    }

    /** {@code GET /me/events?since=&history=&timeout=}. */
    Request parsePersonal(Context ctx) {
        var format = StreamFormat.of(ctx.header("Accept"), json);
        int timeout = (int) Requests.number(ctx, "timeout", RoomStream.DEFAULT_TIMEOUT_SECONDS, 0,
                RoomStream.MAX_TIMEOUT_SECONDS);
        int history = (int) Requests.number(ctx, "history", RoomStream.DEFAULT_HISTORY, 0, RoomStream.MAX_HISTORY);
        var since = ctx.queryParam("since") == null ? null : Requests.number(ctx, "since", 0, 0, Long.MAX_VALUE - 1);
        Backlog backlog = since == null ? new Backlog.Recent(history) : new Backlog.Since(since);
        return new Request(Map.of(), backlog, timeout, format, false);
    }

    /**
     * Serves the stream; {@code done} runs once it has ended, now or, for a live stream, later. The backlogs
     * are written on the request's thread; then, unless the stream ends at once, it goes on as a
     * {@link LiveStream}, the request's thread returns, and the response completes when the stream ends.
     */
    void serve(Context ctx, Request request, Session user, Runnable done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(request.timeoutSeconds());
        var signal = new StreamSignal();
        var sources = new Sources();
        var cursors = new Cursors();
        if (request.personal() instanceof Backlog.Since since) {
            cursors.personal = since.seq();
        }
        StreamWriter out = null;
        boolean live = false;
        try {
            out = writers.open(ctx);
            for (var room : request.rooms().entrySet()) {
                sources.feeds.put(room.getKey(), rooms.listen(room.getKey(), user, room.getValue(), signal));
            }
            if (request.personal() != null) {
                sources.mine = switch (request.personal()) {
                    case Backlog.Since since -> personal.listen(user, since.seq(), 0, signal);
                    case Backlog.Recent recent -> personal.listen(user, null, recent.count(), signal);
                };
            }
            ctx.status(200);
            ctx.res().setContentType(request.format().contentType());
            ctx.res().setHeader("Cache-Control", "no-cache");
            ctx.res().setHeader("X-Accel-Buffering", "no");
            sources.feeds.forEach((room, feed) -> cursors.rooms.put(room, feed.lastSeq()));
            if (writeBacklogs(out, request.format(), sources, cursors) && System.nanoTime() - deadline < 0) {
                goLive(ctx, request, out, sources, signal, cursors, deadline, done);
                live = true;
            } else {
                writers.end(ctx, out, request.format().line(end(request, cursors)));
            }
        } finally {
            if (!live) {
                close(sources, out, done);
            }
        }
    }

    /** What one stream follows: a feed per room, and the personal feed ({@code null} for none). */
    private static final class Sources {
        final Map<String, Feed> feeds = new LinkedHashMap<>();
        PersonalFeed mine;
    }

    /**
     * From here a {@link LiveStream} takes a turn whenever a feed pokes the signal, and writes what every
     * feed holds, until the deadline, until one feed ends (the user left a room, fell too far behind,
     * shutdown), or until the writer's cap is reached or its connection fails: the end line then tells where
     * to resume.
     */
    private void goLive(Context ctx, Request request, StreamWriter out, Sources sources, StreamSignal signal,
                        Cursors cursors, long deadline, Runnable done) {
        out.open();
        var format = request.format();
        var stream = writers.live(out, deadline, format.line(new StreamItem.Keepalive()), new LiveStream.Source() {
            @Override
            public boolean writeWaiting() {
                return writeArrived(out, format, sources, cursors);
            }

            @Override
            public void writeEnd() {
                writers.end(ctx, out, request.format().line(end(request, cursors)));
            }

            @Override
            public void release() {
                close(sources, out, done);
            }
        });
        out.onBroken(stream::wake);
        signal.onPoke(stream::wake);
        stream.takeOver(ctx);
    }

    private void close(Sources sources, StreamWriter out, Runnable done) {
        try {
            sources.feeds.values().forEach(Feed::close);
            if (sources.mine != null) {
                sources.mine.close();
            }
        } finally {
            if (out != null) {
                writers.close(out);
            }
            done.run();
        }
    }

    /** Where each feed's client resumes: after the last event of it that was queued for writing. */
    private static final class Cursors {
        final Map<String, Long> rooms = new LinkedHashMap<>();
        long personal;
    }

    private static StreamItem end(Request request, Cursors cursors) {
        if (!request.roomsEnd()) {
            return new StreamItem.End(cursors.personal);
        }
        return new StreamItem.RoomsEnd(new LinkedHashMap<>(cursors.rooms),
                request.personal() == null ? null : cursors.personal);
    }

    /** Writes every feed's backlog; false when the writer's cap or a failed connection stopped it. */
    private boolean writeBacklogs(StreamWriter out, StreamFormat format, Sources sources, Cursors cursors)
            throws InterruptedException {
        for (var entry : sources.feeds.entrySet()) {
            if (!writers.writeBacklog(out, entry.getValue(), format, seq -> cursors.rooms.put(entry.getKey(), seq))) {
                return false;
            }
        }
        var mine = sources.mine;
        while (mine != null && !mine.live()) {
            for (var item : mine.next()) {
                if (!writers.addWhenRoom(out, format.line(item))) {
                    return false;
                }
                cursors.personal = item.id();
            }
            cursors.personal = mine.lastId();
            if (!writers.awaitWritten(out)) {
                return false;
            }
        }
        if (mine != null) {
            cursors.personal = mine.lastId();
        }
        return true;
    }

    /**
     * Writes what arrived in any feed since the last turn, polling them all again until none has more (a
     * feed that ended hands out what it is owed, a page at a time, before it says so); false once a feed has
     * ended, or the writer's cap stopped a line (the cursors are at the last line queued).
     */
    private boolean writeArrived(StreamWriter out, StreamFormat format, Sources sources, Cursors cursors) {
        while (true) {
            switch (writeRound(out, format, sources, cursors)) {
                case WROTE -> { }
                case NOTHING -> {
                    return true;
                }
                case END -> {
                    return false;
                }
            }
        }
    }

    /** What one poll of every feed came to. */
    private enum Round { WROTE, NOTHING, END }

    private Round writeRound(StreamWriter out, StreamFormat format, Sources sources, Cursors cursors) {
        boolean ended = false;
        boolean wrote = false;
        for (var entry : sources.feeds.entrySet()) {
            var feed = entry.getValue();
            var events = feed.next();
            if (events == null) {
                ended = true;
            } else if (!events.isEmpty()) {
                if (!sendEvents(out, format, entry.getKey(), feed, events, cursors)) {
                    return Round.END;
                }
                wrote = true;
            }
        }
        var mine = sources.mine;
        if (mine != null) {
            var items = mine.next();
            if (items == null) {
                ended = true;
            } else if (!items.isEmpty()) {
                if (!sendPersonal(out, format, mine, items, cursors)) {
                    return Round.END;
                }
                wrote = true;
            }
        }
        if (wrote) {
            out.flush();
        }
        return ended ? Round.END : wrote ? Round.WROTE : Round.NOTHING;
    }

    /** Queues the events' lines; false when the writer's cap stopped them (the cursor is at the last queued). */
    private boolean sendEvents(StreamWriter out, StreamFormat format, String room, Feed feed, List<Event> events,
                               Cursors cursors) {
        for (var event : events) {
            if (!out.add(encoded.encode(format, event))) {
                return false;
            }
            cursors.rooms.put(room, event.seq());
        }
        cursors.rooms.put(room, feed.lastSeq());
        return true;
    }

    private static boolean sendPersonal(StreamWriter out, StreamFormat format, PersonalFeed mine,
                                        List<PersonalEvent> items, Cursors cursors) {
        for (var item : items) {
            if (!out.add(format.line(item))) {
                return false;
            }
            cursors.personal = item.id();
        }
        cursors.personal = mine.lastId();
        return true;
    }
}
