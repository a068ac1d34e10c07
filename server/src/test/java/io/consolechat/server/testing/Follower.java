package io.consolechat.server.testing;

import io.consolechat.protocol.Event;
import io.consolechat.protocol.PersonalEvent;
import io.consolechat.protocol.StreamItem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Follows a room the way a client does: one stream after another, each resumed with {@code since} from the
 * end line (or the last event seen) of the one before, until the events collected satisfy a condition.
 */
public final class Follower {
    private final Api api;
    private final String room;
    private final String token;
    private int streamTimeoutSeconds = 5;
    private int disconnectAfter;

    public Follower(Api api, String room, String token) {
        this.api = api;
        this.room = room;
        this.token = token;
    }

    /** The {@code timeout} each stream asks for. */
    public Follower streamTimeout(int seconds) {
        this.streamTimeoutSeconds = seconds;
        return this;
    }

    /** Drops each connection after this many events, as a client on a bad network would; 0 never does. */
    public Follower disconnectAfter(int events) {
        this.disconnectAfter = events;
        return this;
    }

    /** What a follow collected, and over how many streams. */
    public record Followed(List<Event> events, int streams) {
        public List<Long> seqs() {
            return events.stream().map(Event::seq).toList();
        }

        public List<Event> messages() {
            return events.stream().filter(e -> e.type().equals("message")).toList();
        }
    }

    /** Follows from {@code since} until {@code done} holds for the events so far; fails after {@code within}. */
    public Followed follow(long since, Predicate<List<Event>> done, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        var events = new ArrayList<Event>();
        long cursor = since;
        int streams = 0;
        while (!done.test(events)) {
            var path = "/room/" + room + "?since=" + cursor + "&timeout=" + streamTimeoutSeconds;
            try (var stream = api.stream(path, token)) {
                streams++;
                if (stream.status() != 200) {
                    throw new AssertionError("GET " + path + " answered " + stream.status());
                }
                int taken = 0;
                boolean more = true;
                while (more && !done.test(events) && (disconnectAfter == 0 || taken < disconnectAfter)) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new AssertionError("not done within " + within + " after " + streams + " streams; got "
                                + events.size() + " events up to seq " + cursor);
                    }
                    var item = stream.nextItem(Duration.ofNanos(left));
                    switch (item) {
                        case null -> throw new AssertionError(path + " closed without its end line");
                        case Event event -> {
                            events.add(event);
                            cursor = event.seq();
                            taken++;
                        }
                        case StreamItem.End end -> {
                            cursor = end.since();
                            more = false;
                        }
                        case StreamItem.Keepalive keepalive -> {
                            // Nothing to collect.
                        }
                        case PersonalEvent personal -> throw new AssertionError("a personal item on a room stream");
                        case StreamItem.RoomsEnd end -> throw new AssertionError("a multi-room end on a room stream");
                    }
                }
            }
        }
        return new Followed(List.copyOf(events), streams);
    }
}
