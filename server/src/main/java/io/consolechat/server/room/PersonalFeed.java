package io.consolechat.server.room;

import io.consolechat.protocol.PersonalEvent;
import io.consolechat.server.store.PersonalLog;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One stream's view of a user's personal stream, as {@link Feed} is of a room: it listens before the backlog
 * is read, hands out the backlog a page at a time, then the live items; an item at or below the last id
 * handed out is dropped (the overlap), and one beyond the next expected id makes it read the missing ones
 * from the log first. Its buffer is bounded: a reader that falls too far behind is ended, and resumes with
 * {@code since}. It never blocks: an arrival pokes its {@link StreamSignal}, and the stream takes a turn.
 */
public final class PersonalFeed implements AutoCloseable {
    private final PersonalLog log;
    private final String userKey;
    /** The token the stream was opened with: its revocation ends the stream. */
    private final String tokenHash;
    private final int capacity;
    private final StreamSignal signal;
    private final Consumer<PersonalFeed> onClose;
    private final ArrayDeque<PersonalEvent> buffer = new ArrayDeque<>();
    private boolean ended;
    private final Long since;
    private final int history;
    private boolean backlogDone;
    private boolean backlogStarted;
    private long last;

    PersonalFeed(PersonalLog log, String userKey, String tokenHash, Long since, int history, int capacity,
                 StreamSignal signal, Consumer<PersonalFeed> onClose) {
        this.log = log;
        this.userKey = userKey;
        this.tokenHash = tokenHash;
        this.since = since;
        this.history = history;
        this.capacity = capacity;
        this.signal = signal;
        this.onClose = onClose;
    }

    String userKey() {
        return userKey;
    }

    String tokenHash() {
        return tokenHash;
    }

    void deliver(PersonalEvent item) {
        synchronized (this) {
            if (ended) {
                return;
            }
            if (buffer.size() >= capacity) {
                ended = true;
            } else {
                buffer.addLast(item);
            }
        }
        signal.poke();
    }

    void end() {
        synchronized (this) {
            ended = true;
        }
        signal.poke();
    }

    /** Whether the backlog is all handed out. */
    public boolean live() {
        return backlogDone;
    }

    /**
     * The next items without waiting: a page of the backlog, then what arrived; empty when there is nothing,
     * null once the feed has ended (shutdown, or the reader fell too far behind) and is drained.
     */
    public List<PersonalEvent> next() {
        if (!backlogDone) {
            return readBacklog();
        }
        var items = new ArrayList<PersonalEvent>();
        PersonalEvent item;
        boolean drainedAndEnded;
        synchronized (this) {
            drainedAndEnded = buffer.isEmpty() && ended;
        }
        if (drainedAndEnded) {
            return null;
        }
        while ((item = poll()) != null) {
            // A page at a time, until the gap is filled or the log has nothing more before this item.
            while (item.id() > last + 1) {
                var missing = log.after(userKey, last, (int) Math.min(Feed.PAGE, item.id() - last - 1));
                if (missing.isEmpty()) {
                    break;
                }
                items.addAll(missing);
                last = missing.getLast().id();
            }
            if (item.id() > last) {
                items.add(item);
                last = item.id();
            }
        }
        return items;
    }

    private synchronized PersonalEvent poll() {
        return buffer.pollFirst();
    }

    private List<PersonalEvent> readBacklog() {
        if (since == null) {
            backlogDone = true;
            if (history == 0) {
                last = log.lastId(userKey);
                return List.of();
            }
            var page = log.last(userKey, history);
            last = page.isEmpty() ? 0 : page.getLast().id();
            return page;
        }
        if (!backlogStarted) {
            // A cursor from the future (a reset database) would hide new items: clamp it.
            last = Math.min(since, log.lastId(userKey));
            backlogStarted = true;
        }
        var page = log.after(userKey, last, Feed.PAGE);
        if (page.size() < Feed.PAGE) {
            backlogDone = true;
        }
        if (!page.isEmpty()) {
            last = page.getLast().id();
        }
        return page;
    }

    /** The last id handed out: the cursor to resume from. */
    public long lastId() {
        return last;
    }

    @Override
    public void close() {
        onClose.accept(this);
    }
}
