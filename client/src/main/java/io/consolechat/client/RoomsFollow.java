package io.consolechat.client;

import io.consolechat.protocol.Event;
import io.consolechat.protocol.PersonalEvent;
import io.consolechat.protocol.StreamItem;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Follows several rooms and the user's personal stream (direct messages, mentions, invitations) in one
 * {@code GET /stream}: polls again with every cursor of the end line, reconnects with backoff, and hands
 * each room event and personal item to the listener exactly once, in order within its room. Rooms are
 * added and removed while it runs: the stream is then reopened at once with the cursors it holds, so
 * nothing is lost in between. Runs on its own virtual thread.
 */
public final class RoomsFollow implements AutoCloseable {
    /** The history a room added without a cursor starts with. */
    private static final int HISTORY = 20;

    /** What a {@link RoomsFollow} reports, on its thread. */
    public interface Listener {
        void onEvent(Event event);

        void onPersonal(PersonalEvent item);

        void onState(ConnectionState state);

        /** The server refused to stream {@code room} (a ban, a private room): it is no longer followed. */
        void onRefused(String room, ApiError error);
    }

    private final ChatClient client;
    private final Supplier<String> token;
    private final Listener listener;
    private final RoomFollow.Settings settings;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicBoolean changed = new AtomicBoolean();
    private final Thread follower;
    private final Thread watchdog;
    /** Each followed room's last sequence number handed over; -1 before the first (the stream brings history). */
    private final Map<String, Long> rooms = new LinkedHashMap<>();
    private volatile long me;
    private volatile long lastHeard = System.nanoTime();
    private volatile EventStream current;

    private RoomsFollow(ChatClient client, Supplier<String> token, long me, Listener listener,
                        RoomFollow.Settings settings) {
        this.client = client;
        this.token = token;
        this.me = me;
        this.listener = listener;
        this.settings = settings;
        this.follower = Thread.ofVirtual().name("follow-rooms").unstarted(this::run);
        this.watchdog = Thread.ofVirtual().name("follow-rooms-watchdog").unstarted(this::watchSilence);
    }

    /** Starts following the personal stream after item {@code me}; rooms come with {@link #add}. */
    public static RoomsFollow start(ChatClient client, Supplier<String> token, long me, Listener listener,
                                    RoomFollow.Settings settings) {
        var follow = new RoomsFollow(client, token, me, listener, settings);
        follow.follower.start();
        follow.watchdog.start();
        return follow;
    }

    /** Follows {@code room} too, from its recent history ({@code after} negative) or after that sequence number. */
    public void add(String room, long after) {
        synchronized (rooms) {
            if (rooms.putIfAbsent(room, after) != null) {
                return;
            }
        }
        reopen();
    }

    /** Stops following {@code room}; its events are no longer handed over. */
    public void remove(String room) {
        synchronized (rooms) {
            if (rooms.remove(room) == null) {
                return;
            }
        }
        reopen();
    }

    /** The last sequence number handed over in {@code room}; -1 when none or not followed. */
    public long lastSeq(String room) {
        synchronized (rooms) {
            return rooms.getOrDefault(room, -1L);
        }
    }

    /** The personal stream's cursor. */
    public long personalCursor() {
        return me;
    }

    private void reopen() {
        changed.set(true);
        var stream = current;
        if (stream != null) {
            stream.close();
        }
    }

    private Map<String, Long> cursors() {
        synchronized (rooms) {
            return new LinkedHashMap<>(rooms);
        }
    }

    private boolean isClosed() {
        return closed.getCount() == 0;
    }

    private void run() {
        var backoff = settings.backoff().get();
        boolean connected = false;
        while (!isClosed()) {
            changed.set(false);
            var cursors = cursors();
            // Known before the stream opens: the events up to here are what was missed (or the history).
            var catchUp = connected ? null : newest(cursors);
            try (var stream = client.streamAll(token.get(), cursors, me, HISTORY, settings.pollSeconds())) {
                current = stream;
                lastHeard = System.nanoTime();
                if (isClosed()) {
                    return;
                }
                if (changed.get()) {
                    continue;
                }
                backoff.reset();
                readUntilEnd(stream, catchUp);
                connected = true;
            } catch (Unreachable e) {
                if (isClosed()) {
                    return;
                }
                if (changed.getAndSet(false)) {
                    // Closed on purpose to take a room in or out: reopen at once, nothing is lost.
                    continue;
                }
                connected = false;
                if (!pause(backoff.next(), ChatClient.describe(e))) {
                    return;
                }
            } catch (ApiError e) {
                if (isClosed()) {
                    return;
                }
                if (e.isAuthentication()) {
                    listener.onState(new ConnectionState.Offline(e));
                    return;
                }
                if (!e.isTransient()) {
                    if (!dropRefused(cursors)) {
                        listener.onState(new ConnectionState.Offline(e));
                        return;
                    }
                    continue;
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

    /**
     * One room refusing (a ban, a kick from a private room) refuses the whole stream: finds the rooms the
     * server no longer streams, drops them and says so. False when none of them is the cause.
     */
    private boolean dropRefused(Map<String, Long> cursors) {
        boolean dropped = false;
        for (var room : cursors.keySet()) {
            try {
                client.messages(token.get(), room, OptionalLong.empty(), 1);
            } catch (ApiError e) {
                if (!e.isTransient() && !e.isAuthentication()) {
                    synchronized (rooms) {
                        rooms.remove(room);
                    }
                    listener.onRefused(room, e);
                    dropped = true;
                }
            } catch (Unreachable e) {
                return false;
            }
        }
        return dropped;
    }

    /** Each room's newest sequence number now (0 when it has none or the server cannot say). */
    private Map<String, Long> newest(Map<String, Long> cursors) {
        var newest = new LinkedHashMap<String, Long>();
        for (var room : cursors.keySet()) {
            long seq;
            try {
                var last = client.messages(token.get(), room, OptionalLong.empty(), 1);
                seq = last.isEmpty() ? 0 : last.getLast().seq();
            } catch (Unreachable | ApiError e) {
                seq = 0;
            }
            newest.put(room, seq);
        }
        return newest;
    }

    /**
     * Hands over the stream's items; returns at its end line, throws when it ends without one. With
     * {@code catchUp}, the stream is a new connection: it is reported as connected once every room's
     * events up to there are handed over, so that "connected" follows what came while away.
     */
    private void readUntilEnd(EventStream stream, Map<String, Long> catchUp) {
        boolean told = catchUp == null || caughtUp(catchUp) && tellConnected();
        StreamItem item;
        while ((item = stream.next()) != null) {
            lastHeard = System.nanoTime();
            switch (item) {
                case Event event -> {
                    boolean fresh;
                    synchronized (rooms) {
                        Long last = rooms.get(event.room());
                        // Sequence numbers only grow: anything at or below the last one was handed over already.
                        fresh = last != null && event.seq() > last;
                        if (fresh) {
                            rooms.put(event.room(), event.seq());
                        }
                    }
                    if (fresh && !isClosed()) {
                        listener.onEvent(event);
                    }
                }
                case PersonalEvent personal -> {
                    if (personal.id() > me) {
                        me = personal.id();
                        if (!isClosed()) {
                            listener.onPersonal(personal);
                        }
                    }
                }
                case StreamItem.RoomsEnd end -> {
                    synchronized (rooms) {
                        end.since().forEach((room, seq) -> rooms.computeIfPresent(room, (r, last) -> Math.max(last, seq)));
                    }
                    if (end.me() != null) {
                        me = Math.max(me, end.me());
                    }
                    if (!told) {
                        tellConnected();
                    }
                    return;
                }
                case StreamItem.End end -> {
                    return;
                }
                // A keepalive comes after the backlog: whatever is missing was not there to send.
                case StreamItem.Keepalive keepalive -> told = told || tellConnected();
            }
            if (!told && caughtUp(catchUp)) {
                told = tellConnected();
            }
        }
        throw new Unreachable("the stream broke off", null);
    }

    private boolean caughtUp(Map<String, Long> catchUp) {
        synchronized (rooms) {
            return catchUp.entrySet().stream()
                    .allMatch(room -> rooms.getOrDefault(room.getKey(), Long.MAX_VALUE) >= room.getValue()
                            || room.getValue() == 0);
        }
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

    /** Stops following; nothing is handed over after this returns, except an item already being handed. */
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
