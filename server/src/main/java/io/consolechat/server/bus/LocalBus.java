package io.consolechat.server.bus;

import io.consolechat.protocol.Event;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bus within one process: the subscribers of each room, spread over a few fan-out lanes, each with a
 * thread of its own. Publishing appends the events to each lane that has subscribers of the room and
 * returns; the lane hands them to its subscribers one after the other. A live stream that keeps up writes
 * them to its connection right there, without a write that blocks, so a message to a thousand listeners
 * costs a hand-off per lane, not a thread wake-up per listener.
 *
 * <p>A lane takes everything published since its last round at once, so when it falls behind (a burst, a
 * fast room) each subscriber gets the events that piled up in one call, and its stream writes them in one
 * write: the busier the room, the fewer writes per event, as in Redis's event loop.
 *
 * <p>A subscriber always belongs to the same lane, and a lane delivers in the order of publishing, so each
 * subscriber sees a room's events in the order they were published. A room's entry exists only while it
 * has subscribers, so that many room names cannot pile up in memory; it also holds the highest sequence
 * number published for the room meanwhile, from which a server that lost its notifications catches up
 * (see {@link #followed()}).
 */
public final class LocalBus implements EventBus, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LocalBus.class);
    private final Lane[] lanes;
    private final Map<String, Followers> rooms = new ConcurrentHashMap<>();
    private final AtomicInteger nextLane = new AtomicInteger();

    /**
     * A lane per two cores: the fan-out's socket writes share the cores with the requests, the commits and
     * the streams' turns; on two cores, two lanes writing at once spent more per write than one.
     */
    public LocalBus() {
        this(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
    }

    public LocalBus(int lanes) {
        this.lanes = new Lane[Math.max(1, lanes)];
        for (int i = 0; i < this.lanes.length; i++) {
            this.lanes[i] = new Lane(i);
        }
    }

    @Override
    public Registration subscribe(String room, Subscriber subscriber) {
        int lane = Math.floorMod(nextLane.getAndIncrement(), lanes.length);
        // Created and added in one step, so that a concurrent last unsubscribe cannot drop the new set.
        rooms.compute(room, (name, followers) -> {
            var live = followers == null ? new Followers(lanes.length) : followers;
            live.byLane[lane].add(subscriber);
            return live;
        });
        return () -> rooms.computeIfPresent(room, (name, followers) -> {
            followers.byLane[lane].remove(subscriber);
            for (var subscribers : followers.byLane) {
                if (!subscribers.isEmpty()) {
                    return followers;
                }
            }
            return null;
        });
    }

    @Override
    public boolean hasSubscribers(String room) {
        return rooms.containsKey(room);
    }

    /**
     * Hands the events to the lanes of their rooms' subscribers and returns; events of one room may come from
     * several threads (see {@link EventBus}).
     */
    @Override
    public void publish(List<Event> events) {
        for (var event : events) {
            var followers = rooms.get(event.room());
            if (followers != null) {
                followers.published(event.seq());
                for (int lane = 0; lane < lanes.length; lane++) {
                    if (!followers.byLane[lane].isEmpty()) {
                        lanes[lane].offer(event);
                    }
                }
            }
        }
    }

    @Override
    public Map<String, Long> followed() {
        var followed = new HashMap<String, Long>();
        rooms.forEach((room, followers) -> followed.put(room, followers.published.get()));
        return followed;
    }

    @Override
    public void close() {
        for (var lane : lanes) {
            lane.close();
        }
    }

    /** A followed room: its subscribers on each lane, and the highest sequence number published for it. */
    private static final class Followers {
        final Set<Subscriber>[] byLane;
        /**
         * The highest, not the latest: a room's events come from this server's commits and from other
         * servers' notices, on different threads, so they need not be published in sequence order.
         */
        final AtomicLong published = new AtomicLong();

        @SuppressWarnings({"unchecked", "rawtypes"})
        Followers(int lanes) {
            byLane = new Set[lanes];
            for (int i = 0; i < lanes; i++) {
                byLane[i] = ConcurrentHashMap.newKeySet();
            }
        }

        void published(long seq) {
            published.accumulateAndGet(seq, Math::max);
        }
    }

    /** One fan-out thread and the events published for its subscribers that it has not delivered yet. */
    private final class Lane {
        private final int index;
        private final ThreadPoolExecutor thread;
        private List<Event> pending = new ArrayList<>();
        private boolean scheduled;

        Lane(int index) {
            this.index = index;
            // The thread starts with the first delivery and ends after a quiet minute: a bus opened only to
            // reach the database (an admin command) never starts one.
            this.thread = new ThreadPoolExecutor(1, 1, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(),
                    Thread.ofPlatform().name("fan-out-" + index).daemon(true).factory());
            thread.allowCoreThreadTimeOut(true);
        }

        void offer(Event event) {
            synchronized (this) {
                pending.add(event);
                if (scheduled) {
                    return;
                }
                scheduled = true;
            }
            try {
                thread.execute(this::drain);
            } catch (RejectedExecutionException e) {
                // Closed: the server is stopping, and its streams have ended.
            }
        }

        /** Delivers rounds of pending events until none is left. */
        private void drain() {
            while (true) {
                List<Event> round;
                synchronized (this) {
                    if (pending.isEmpty()) {
                        scheduled = false;
                        return;
                    }
                    round = pending;
                    pending = new ArrayList<>();
                }
                deliver(byRoom(round));
            }
        }

        private void deliver(Map<String, List<Event>> round) {
            for (var room : round.entrySet()) {
                var followers = rooms.get(room.getKey());
                if (followers == null) {
                    continue;
                }
                for (var subscriber : followers.byLane[index]) {
                    try {
                        subscriber.deliverAll(room.getValue());
                    } catch (RuntimeException e) {
                        // One stream's failure must not keep the events from the others of the lane.
                        log.warn("delivery to a stream failed: {}", e.toString());
                    }
                }
            }
        }

        void close() {
            thread.shutdown();
        }
    }

    /** The events of a round by room, each room's in the order they were published. */
    private static Map<String, List<Event>> byRoom(List<Event> events) {
        if (events.size() == 1) {
            return Map.of(events.getFirst().room(), events);
        }
        var byRoom = new LinkedHashMap<String, List<Event>>();
        for (var event : events) {
            byRoom.computeIfAbsent(event.room(), room -> new ArrayList<>()).add(event);
        }
        return byRoom;
    }
}
