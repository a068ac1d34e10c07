package io.consolechat.client;

import io.consolechat.protocol.Event;
import io.consolechat.protocol.PersonalEvent;
import io.consolechat.protocol.StreamItem;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Keeps a room's stream open for as long as it is wanted: polls again with {@code since} whenever a
 * stream ends, reconnects with backoff after a network error or a server restart, and hands every
 * event to the listener exactly once, in sequence order (the sequence number is the only cursor).
 * Runs on its own virtual thread; {@link #close()} stops it from any thread.
 */
public final class RoomFollow implements AutoCloseable {

    /**
     * @param pollSeconds  how long each stream lasts before the server ends it
     * @param silenceLimit a stream silent for longer (no event, no keepalive) is taken as dead and reopened
     * @param backoff      the delays between reconnection attempts
     */
    public record Settings(int pollSeconds, Duration silenceLimit, Supplier<Backoff> backoff) {
        /** Streams of five minutes; the server sends a keepalive at least every 20 s of silence. */
        public static Settings standard() {
            return new Settings(300, Duration.ofSeconds(50), Backoff::standard);
        }
    }

    private final ChatClient client;
    private final Supplier<String> token;
    private final String room;
    private final RoomListener listener;
    private final Settings settings;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Thread follower;
    private final Thread watchdog;

    private Cursor cursor;
    private volatile long lastSeq;
    private volatile long lastHeard = System.nanoTime();
    private volatile EventStream current;
    private final java.util.concurrent.atomic.AtomicLong streamsOpened = new java.util.concurrent.atomic.AtomicLong();

    private RoomFollow(ChatClient client, Supplier<String> token, String room, Cursor from, RoomListener listener,
                       Settings settings) {
        this.client = client;
        this.token = token;
        this.room = room;
        this.listener = listener;
        this.settings = settings;
        this.cursor = from;
        this.lastSeq = from instanceof Cursor.After after ? after.seq() : 0;
        this.follower = Thread.ofVirtual().name("follow-" + room).unstarted(this::run);
        this.watchdog = Thread.ofVirtual().name("follow-watchdog-" + room).unstarted(this::watchSilence);
    }

    /** Starts following {@code room} from {@code from}; {@code token} is asked for before each poll. */
    public static RoomFollow start(ChatClient client, Supplier<String> token, String room, Cursor from,
                                   RoomListener listener, Settings settings) {
        var follow = new RoomFollow(client, token, room, from, listener, settings);
        follow.follower.start();
        follow.watchdog.start();
        return follow;
    }

    public String room() {
        return room;
    }

    /** The sequence number of the last event handed over (or the start cursor). */
    public long lastSeq() {
        return lastSeq;
    }

    /** How many streams were opened so far: one per poll and per reconnection. */
    public long streamsOpened() {
        return streamsOpened.get();
    }

    private boolean isClosed() {
        return closed.getCount() == 0;
    }

    private void run() {
        var backoff = settings.backoff().get();
        boolean connected = false;
        while (!isClosed()) {
            try {
                anchorEmptyHistory();
            } catch (Unreachable | ApiError e) {
                // The stream below meets the same problem and handles it.
            }
            // Known before the stream opens: the events up to here are what was missed (or the history).
            long catchUpTo = connected ? 0 : newestSeq();
            try (var stream = client.stream(token.get(), room, cursor, settings.pollSeconds())) {
                current = stream;
                streamsOpened.incrementAndGet();
                lastHeard = System.nanoTime();
                if (isClosed()) {
                    return;
                }
                backoff.reset();
                readUntilEnd(stream, connected ? -1 : catchUpTo);
                connected = true;
            } catch (Unreachable e) {
                connected = false;
                if (isClosed() || !pause(backoff.next(), ChatClient.describe(e))) {
                    return;
                }
            } catch (ApiError e) {
                if (isClosed()) {
                    return;
                }
                if (!e.isTransient()) {
                    listener.onState(new ConnectionState.Offline(e));
                    return;
                }
                connected = false;
                if (!pause(backoff.next(), e.getMessage())) {
                    return;
                }
            } finally {
                current = null;
            }
        }
    }

    /** The room's newest sequence number now; 0 when it has none or the server cannot say. */
    private long newestSeq() {
        try {
            var newest = client.messages(token.get(), room, java.util.OptionalLong.empty(), 1);
            return newest.isEmpty() ? 0 : newest.getLast().seq();
        } catch (Unreachable | ApiError e) {
            return 0;
        }
    }

    /**
     * A start without history has no cursor until a line arrives; if the first stream broke before any
     * did, asking for "no history" again would skip what was sent meanwhile. Anchoring the start at the
     * room's newest event turns it into a cursor at once.
     */
    private void anchorEmptyHistory() {
        if (cursor instanceof Cursor.Recent recent && recent.history() == 0) {
            var newest = client.messages(token.get(), room, java.util.OptionalLong.empty(), 1);
            lastSeq = newest.isEmpty() ? 0 : newest.getLast().seq();
            cursor = Cursor.after(lastSeq);
        }
    }

    /**
     * Hands over the stream's events; returns at its end line, throws when it ends without one. With
     * {@code catchUpTo} 0 or more, the stream is a new connection: it is reported as connected once the
     * events up to {@code catchUpTo} are handed over (those that came while away, or the history), so
     * that "connected" follows them rather than coming before them.
     */
    private void readUntilEnd(EventStream stream, long catchUpTo) {
        boolean told = catchUpTo < 0;
        if (!told && lastSeq >= catchUpTo) {
            told = tellConnected();
        }
        StreamItem item;
        while ((item = stream.next()) != null) {
            lastHeard = System.nanoTime();
            switch (item) {
                case Event event -> {
                    // Sequence numbers only grow: anything at or below the last one was already handed over.
                    if (event.seq() > lastSeq) {
                        lastSeq = event.seq();
                        cursor = Cursor.after(lastSeq);
                        if (!isClosed()) {
                            listener.onEvent(event);
                        }
                    }
                }
                case StreamItem.End end -> {
                    lastSeq = Math.max(lastSeq, end.since());
                    cursor = Cursor.after(lastSeq);
                    if (!told) {
                        tellConnected();
                    }
                    return;
                }
                // Not on a room stream.
                case PersonalEvent personal -> {
                }
                case StreamItem.RoomsEnd end -> {
                }
                // A keepalive comes after the backlog: whatever is missing was not there to send.
                case StreamItem.Keepalive keepalive -> told = told || tellConnected();
            }
            if (!told && lastSeq >= catchUpTo) {
                told = tellConnected();
            }
        }
        throw new Unreachable("the stream broke off", null);
    }

    private boolean tellConnected() {
        if (!isClosed()) {
            listener.onState(new ConnectionState.Connected());
        }
        return true;
    }

    /** Waits before the next attempt; false when closed meanwhile. */
    private boolean pause(Duration delay, String reason) {
        listener.onState(new ConnectionState.Reconnecting(delay, reason));
        try {
            return !closed.await(delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A connection can die without a word (a laptop lid, a dropped NAT entry): drop a silent one. */
    private void watchSilence() {
        long period = Math.max(100, settings.silenceLimit().toMillis() / 4);
        try {
            while (!closed.await(period, TimeUnit.MILLISECONDS)) {
                var stream = current;
                if (stream != null && System.nanoTime() - lastHeard > settings.silenceLimit().toNanos()) {
                    stream.close();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops following; no event is handed over after this returns, except one already being handed. */
    @Override
    public void close() {
        closed.countDown();
        var stream = current;
        if (stream != null) {
            stream.close();
        }
        if (Thread.currentThread() == follower) {
            return;
        }
        follower.interrupt();
        try {
            follower.join(Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
