package io.consolechat.client.console;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * One window of the console: a room, a direct conversation with one user, or the home window for what
 * concerns no room. Keeps its own lines (at most {@code capacity}, the oldest dropped first), how many
 * arrived while it was not looked at, whether one of those was a highlight, and where the reader left
 * off (the unread marker). All access goes through the console's lock.
 */
final class Window {
    /** What a window shows. */
    enum Kind { HOME, ROOM, DIRECT }

    private final Kind kind;
    private final String name;
    private final int capacity;
    private final Deque<ScreenLine> lines = new ArrayDeque<>();
    /** Who is in the room, by name as shown; for nickname completion. */
    private final ConcurrentSkipListSet<String> present = new ConcurrentSkipListSet<>(String.CASE_INSENSITIVE_ORDER);
    private int unread;
    private boolean highlight;
    /** How many of the lines at the end are new since the window was last looked at; -1 for no marker. */
    private int markerFromEnd = -1;
    /** Rows scrolled up from the newest (0: following the newest lines). */
    private int scrolled;
    /** The oldest sequence number shown, for fetching earlier history; {@link Long#MAX_VALUE} for none. */
    private long oldestSeq = Long.MAX_VALUE;
    private boolean historyExhausted;

    Window(Kind kind, String name, int capacity) {
        this.kind = kind;
        this.name = name;
        this.capacity = capacity;
    }

    static Window home(int capacity) {
        return new Window(Kind.HOME, "home", capacity);
    }

    static Window room(String room, int capacity) {
        return new Window(Kind.ROOM, room, capacity);
    }

    /** The window of the conversation with {@code user}, named {@code @user}. */
    static Window direct(String user, int capacity) {
        return new Window(Kind.DIRECT, "@" + user, capacity);
    }

    Kind kind() {
        return kind;
    }

    /** As shown: the room's name, or {@code @user}. */
    String name() {
        return name;
    }

    /** The room to post to and stream; {@code @user} for a direct conversation. */
    String target() {
        return name;
    }

    /** The other user of a direct conversation. */
    String peer() {
        return kind == Kind.DIRECT ? name.substring(1) : null;
    }

    /** Whether this is the window of room {@code name}, or of the conversation with user {@code name} (any case). */
    boolean is(Kind kind, String name) {
        var own = kind == Kind.DIRECT ? peer() : this.name;
        return this.kind == kind && own.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT));
    }

    ConcurrentSkipListSet<String> present() {
        return present;
    }

    void add(ScreenLine line) {
        lines.addLast(line);
        if (lines.size() > capacity) {
            lines.removeFirst();
        }
    }

    /** Puts earlier lines (oldest first) before the ones kept, as far as the capacity allows. */
    void prepend(List<ScreenLine> earlier) {
        for (int i = earlier.size() - 1; i >= 0 && lines.size() < capacity; i--) {
            lines.addFirst(earlier.get(i));
        }
    }

    /** The lines as shown, oldest first, with the unread marker line where the reader left off. */
    List<ScreenLine> lines(ScreenLine marker) {
        var out = new ArrayList<ScreenLine>(lines);
        if (markerFromEnd > 0 && markerFromEnd <= out.size()) {
            out.add(out.size() - markerFromEnd, marker);
        }
        return out;
    }

    /** Something of {@code rows} lines arrived while the window was not looked at. */
    void unseen(int rows, boolean highlighted) {
        unread++;
        highlight |= highlighted;
        markerFromEnd = Math.min(Math.max(0, markerFromEnd) + rows, lines.size());
    }

    /** The window is looked at: nothing in it is unread any more (the marker stays until it is left). */
    void looked() {
        unread = 0;
        highlight = false;
    }

    /** The marker goes once the reader has seen the window and moved on. */
    void clearMarker() {
        markerFromEnd = -1;
    }

    /** Lines added to a window being looked at go below its marker. */
    void followMarker(int rows) {
        if (markerFromEnd >= 0) {
            markerFromEnd += rows;
        }
    }

    int unread() {
        return unread;
    }

    boolean highlight() {
        return highlight;
    }

    int scrolled() {
        return scrolled;
    }

    void scrolled(int rows) {
        scrolled = Math.max(0, rows);
    }

    long oldestSeq() {
        return oldestSeq;
    }

    void seen(long seq) {
        oldestSeq = Math.min(oldestSeq, seq);
    }

    boolean historyExhausted() {
        return historyExhausted;
    }

    void historyExhausted(boolean exhausted) {
        historyExhausted = exhausted;
    }
}
