package io.consolechat.server.room;

import io.consolechat.protocol.Event;
import io.consolechat.server.store.EventLog;
import java.util.ArrayList;
import java.util.List;

/**
 * One stream's events in order: the backlog read from the log a page at a time, then the live events the
 * subscription receives. The subscription opened before the backlog was read, so no event can fall between
 * the two; an event at or below the last sequence number handed out is dropped, which removes the overlap,
 * and a live event beyond the next expected one makes the feed read the missing ones from the log first, so
 * a late or lost delivery never leaves a hole.
 */
public final class Feed implements AutoCloseable {
    /** The most events read from the log at a time. */
    static final int PAGE = 50;
    /**
     * The characters of text a backlog page aims at. A page is held until the socket takes it, by every
     * stream that reads a backlog: fifty of the longest messages (4,000 emoji, 16 KB each in a Java string)
     * would be 800 KB per stream, outside any stream's cap, and two hundred streams that never read would
     * hold 160 MB in pages alone. Pages of about this many characters hold at most a few dozen KB.
     */
    static final int PAGE_CHARS = 16 * 1024;
    /** The first page, before the size of the room's messages is known: eight of the longest are 128 KB. */
    static final int FIRST_PAGE = 8;

    private final EventLog log;
    private final Subscription subscription;
    private final Runnable onClose;
    private Backlog backlog;
    private boolean backlogStarted;
    private int backlogPage = FIRST_PAGE;
    private long last;

    Feed(EventLog log, Subscription subscription, Backlog backlog, Runnable onClose) {
        this.log = log;
        this.subscription = subscription;
        this.backlog = backlog;
        this.onClose = onClose;
    }

    /**
     * The next events, in sequence order, without waiting: the backlog first, one page per call, then
     * whatever the room delivered. Empty when there was nothing to hand out; null once the subscription has
     * ended (the user left, the reader fell too far behind, shutdown) and is drained.
     */
    public List<Event> next() {
        if (backlog != null) {
            return readBacklog();
        }
        var event = subscription.poll();
        if (event == null) {
            if (subscription.closed() == Subscription.Closed.NOT) {
                return List.of();
            }
            var owed = owed();
            if (owed.isEmpty()) {
                return null;
            }
            last = owed.getLast().seq();
            return owed;
        }
        var events = new ArrayList<Event>();
        // Everything already waiting goes out together.
        while (event != null) {
            fillGapBefore(event, missing -> {
                events.add(missing);
                last = missing.seq();
            });
            if (event.seq() > last) {
                events.add(event);
                last = event.seq();
            }
            event = subscription.poll();
        }
        return events;
    }

    /**
     * Reads the events between the last one handed out and {@code event} from the log, a page at a time, and
     * hands each to {@code out}, which advances {@link #last} for those it takes.
     */
    private void fillGapBefore(Event event, java.util.function.Consumer<Event> out) {
        while (event.seq() > last + 1) {
            long before = last;
            var missing = log.after(subscription.room(), last, (int) Math.min(PAGE, event.seq() - last - 1));
            // The consumer advances last for each event it takes; one it refuses ends the filling.
            missing.forEach(out);
            if (missing.isEmpty() || last == before) {
                return;
            }
        }
    }

    /**
     * Once the subscription has ended and its buffer is drained: the events it is still owed (up to the seq
     * it ended at, see {@link Subscription#close(Subscription.Closed, long)}), read from the log, the next page
     * after {@link #last}; empty when none is.
     */
    private List<Event> owed() {
        long endsAt = subscription.endsAt();
        if (endsAt <= last) {
            return List.of();
        }
        var page = new ArrayList<Event>();
        for (var event : log.after(subscription.room(), last, (int) Math.min(PAGE, endsAt - last))) {
            if (event.seq() <= endsAt) {
                page.add(event);
            }
        }
        return page;
    }

    /** Where a live feed writes its events. */
    public interface Sink {
        /** Queues an event's line; false when the stream cannot take more (it is to end). */
        boolean write(Event event);

        /** Starts writing what is queued. */
        void flush();
    }

    /**
     * Once {@link #live()}: from now on the fan-out writes each event that is next in sequence to {@code sink}
     * itself, on its own thread, so a live stream that keeps up costs no thread hand-off. The rest (an event
     * beyond the next expected one, or events arriving while the stream's turn writes) waits in the buffer
     * for {@link #pump}. If {@code sink} refuses an event, the feed ends as if it overflowed.
     */
    public void writeLive(Sink sink) {
        subscription.direct(new Subscription.Direct() {
            @Override
            public boolean accept(Event event) {
                if (event.seq() <= last) {
                    return true;
                }
                if (event.seq() > last + 1) {
                    return false;
                }
                if (sink.write(event)) {
                    last = event.seq();
                } else {
                    subscription.close(Subscription.Closed.OVERFLOW);
                }
                return true;
            }

            @Override
            public void flush() {
                sink.flush();
            }
        });
    }

    /**
     * For a feed that {@link #writeLive writes live}: writes the events the fan-out left in the buffer to
     * {@code sink} in sequence, reading a gap's events from the log first, without waiting for more. False
     * once the feed has ended (closed and drained) or {@code sink} refused an event.
     */
    public boolean pump(Sink sink) {
        boolean[] refused = new boolean[1];
        for (var event = subscription.pollToWrite(); event != null; event = subscription.pollToWrite()) {
            fillGapBefore(event, missing -> {
                if (!refused[0] && sink.write(missing)) {
                    last = missing.seq();
                    sink.flush();
                } else {
                    refused[0] = true;
                }
            });
            if (!refused[0] && event.seq() > last) {
                if (sink.write(event)) {
                    last = event.seq();
                    sink.flush();
                } else {
                    refused[0] = true;
                }
            }
            if (refused[0]) {
                subscription.close(Subscription.Closed.OVERFLOW);
                // Lets the fan-out go back to the buffer, which is closed now.
                subscription.pollToWrite();
                return false;
            }
        }
        if (subscription.closed() == Subscription.Closed.NOT) {
            return true;
        }
        // Ended, and what was buffered is written: what it is still owed (the leave or kick that ended it,
        // which the fan-out may not have brought yet), then the end.
        for (var owed = owed(); !owed.isEmpty(); owed = owed()) {
            for (var missing : owed) {
                if (!sink.write(missing)) {
                    return false;
                }
                last = missing.seq();
            }
            sink.flush();
        }
        return false;
    }

    /** Stops the fan-out's direct writes; once this returns, none is under way and {@link #lastSeq} is final. */
    public void stopLive() {
        subscription.direct(null);
    }

    /** Ends the feed from outside the room (the stream's connection failed): it drains and ends. */
    public void end() {
        subscription.close(Subscription.Closed.GONE);
    }

    /** Reads the next page of the backlog; clears {@link #backlog} once it is all read. */
    private List<Event> readBacklog() {
        var room = subscription.room();
        switch (backlog) {
            case Backlog.Since since -> {
                if (!backlogStarted) {
                    // A cursor from the future (another server, a reset database) would hide new events: clamp it.
                    last = Math.min(since.seq(), log.lastSeq(room));
                    backlogStarted = true;
                }
                var page = log.after(room, last, backlogPage);
                if (page.size() < backlogPage) {
                    backlog = null;
                }
                if (!page.isEmpty()) {
                    last = page.getLast().seq();
                    backlogPage = pageFitting(page);
                }
                return page;
            }
            case Backlog.Recent recent -> {
                // A room's sequence has no gaps, so its last events are those after lastSeq - count: read
                // page by page like a cursor's backlog. Read after subscribing: an event committed since is in
                // the subscription as well, and dropped there as overlap.
                backlog = new Backlog.Since(Math.max(0, log.lastSeq(room) - recent.count()));
                return readBacklog();
            }
        }
    }

    /** The next page's size: as many events as {@link #PAGE_CHARS} holds, at the size of those just read. */
    private static int pageFitting(List<Event> page) {
        long chars = 0;
        for (var event : page) {
            chars += 64 + (event.text() == null ? 0 : event.text().length());
        }
        return (int) Math.clamp(PAGE_CHARS * page.size() / Math.max(1, chars), 1, PAGE);
    }

    /** Whether the backlog is all handed out, so that what follows is live. */
    public boolean live() {
        return backlog == null;
    }

    /** The last sequence number handed out: the cursor a client resumes from. */
    public long lastSeq() {
        return last;
    }

    /** Stops the subscription; the room notes the stream's end (presence). */
    @Override
    public void close() {
        onClose.run();
    }
}
