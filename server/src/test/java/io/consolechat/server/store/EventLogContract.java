package io.consolechat.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.consolechat.protocol.Event;
import io.consolechat.protocol.EventType;
import io.consolechat.protocol.User;
import io.consolechat.protocol.UserKind;
import io.consolechat.server.bus.EventBus;
import io.consolechat.server.bus.LocalBus;
import io.consolechat.server.store.EventLog.NewEvent;
import io.consolechat.server.testing.ManualClock;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link EventLog} must do, whatever the database behind it. A subclass opens the log on its
 * database; the same storage must be found again by a second {@link #open} after {@link EventLog#close}.
 */
public abstract class EventLogContract {
    private static final User ALICE = new User("alice", UserKind.REGISTERED);
    private static final User BOB = new User("bob", UserKind.TEMPORARY);

    /**
     * Opens the log on this test's database (the same one on every call), publishing to {@code bus} and
     * taking event times from {@code clock}.
     */
    protected abstract EventLog open(EventBus bus, Clock clock);

    /** Closes what {@link #open} opened. */
    protected abstract void closeStorage();

    protected final ManualClock clock = new ManualClock();
    protected LocalBus bus;
    protected EventLog log;

    @BeforeEach
    void openLog() {
        bus = new LocalBus();
        log = open(bus, clock);
    }

    @AfterEach
    void closeLog() {
        closeStorage();
    }

    private Event append(String room, EventType type, User from, String text) {
        return log.append(new NewEvent(room, type, from, text)).join();
    }

    private Event say(String room, String text) {
        return append(room, EventType.MESSAGE, ALICE, text);
    }

    @Test
    void eachRoomHasItsOwnSequenceFromOne() {
        assertThat(say("a", "one").seq()).isEqualTo(1);
        assertThat(append("a", EventType.JOIN, BOB, null).seq()).isEqualTo(2);
        assertThat(say("b", "other room").seq()).isEqualTo(1);
        assertThat(say("a", "three").seq()).isEqualTo(3);
        assertThat(log.lastSeq("a")).isEqualTo(3);
        assertThat(log.lastSeq("b")).isEqualTo(1);
        assertThat(log.lastSeq("never")).isZero();
    }

    @Test
    void storedEventsReadBackAsAppended() {
        var message = say("room", "hello");
        var join = append("room", EventType.JOIN, BOB, null);
        assertThat(log.after("room", 0, 10)).containsExactly(message, join);
        assertThat(message.from()).isEqualTo(ALICE);
        assertThat(join.text()).isNull();
    }

    @Test
    void moderationEventsKeepTheirUserReasonAndTarget() {
        var kick = log.append(new NewEvent("mod", EventType.KICK, ALICE, null, BOB, "too loud", null)).join();
        var ban = log.append(new NewEvent("mod", EventType.BAN, ALICE, null, BOB, null, null)).join();
        var topic = append("mod", EventType.TOPIC, ALICE, "plans");
        assertThat(log.after("mod", 0, 10)).containsExactly(kick, ban, topic);
        assertThat(kick.user()).isEqualTo(BOB);
        assertThat(kick.reason()).isEqualTo("too loud");
        assertThat(ban.reason()).isNull();
    }

    @Test
    void aDeleteEventRemovesItsTargetsTextInTheSameAppend() {
        var message = say("del", "regrettable");
        var other = say("del", "fine");
        var delete = log.append(new NewEvent("del", EventType.DELETE, ALICE, null, null, null, message.seq())).join();
        assertThat(delete.target()).isEqualTo(message.seq());
        var stored = log.after("del", 0, 10);
        assertThat(stored).hasSize(3);
        assertThat(stored.getFirst().text()).isNull();
        assertThat(stored.getFirst().deleted()).isTrue();
        assertThat(stored.getFirst().from()).isEqualTo(ALICE);
        assertThat(stored.get(1)).isEqualTo(other);
        assertThat(stored.get(2)).isEqualTo(delete);
        assertThat(log.before("del", Long.MAX_VALUE, 10).getFirst().deleted()).isTrue();
    }

    @Test
    void afterAndBeforePageInAscendingOrder() {
        var all = IntStream.rangeClosed(1, 10).mapToObj(i -> say("paged", "m" + i)).toList();
        assertThat(log.after("paged", 0, 3)).containsExactlyElementsOf(all.subList(0, 3));
        assertThat(log.after("paged", 7, 100)).containsExactlyElementsOf(all.subList(7, 10));
        assertThat(log.after("paged", 10, 100)).isEmpty();
        assertThat(log.before("paged", Long.MAX_VALUE, 3)).containsExactlyElementsOf(all.subList(7, 10));
        assertThat(log.before("paged", 5, 2)).containsExactlyElementsOf(all.subList(2, 4));
        assertThat(log.before("paged", 1, 10)).isEmpty();
        assertThat(log.after("other", 0, 10)).isEmpty();
    }

    @Test
    void roomsAreListedMostRecentlyActiveFirst() {
        say("first", "x");
        clock.advance(Duration.ofSeconds(1));
        say("second", "x");
        assertThat(log.rooms(10, null)).extracting(EventLog.RoomRow::name).containsExactly("second", "first");
        clock.advance(Duration.ofSeconds(1));
        say("first", "y");
        var rooms = log.rooms(10, null);
        assertThat(rooms).extracting(EventLog.RoomRow::name).containsExactly("first", "second");
        assertThat(rooms.getFirst().lastSeq()).isEqualTo(2);
        assertThat(rooms.getFirst().lastActivity()).isEqualTo(clock.instant());
    }

    @Test
    void roomsArePagedAfterTheLastRowOfThePreviousPage() {
        for (int i = 0; i < 5; i++) {
            say("room-" + i, "x");
        }
        // room-0..4 share one time: the name orders them, so a page boundary inside a tie is still exact.
        clock.advance(Duration.ofSeconds(1));
        say("late", "x");
        var first = log.rooms(2, null);
        var second = log.rooms(2, first.getLast());
        var third = log.rooms(2, second.getLast());
        var fourth = log.rooms(2, third.getLast());
        assertThat(first).extracting(EventLog.RoomRow::name).containsExactly("late", "room-0");
        assertThat(second).extracting(EventLog.RoomRow::name).containsExactly("room-1", "room-2");
        assertThat(third).extracting(EventLog.RoomRow::name).containsExactly("room-3", "room-4");
        assertThat(fourth).isEmpty();
    }

    @Test
    void committedEventsReachTheBusInOrderBeforeTheAppendCompletes() {
        closeStorage();
        var published = Collections.synchronizedList(new ArrayList<Event>());
        log = open(new PublishedEvents(bus, published), clock);
        var completedBeforePublishing = new ConcurrentHashMap<Long, Boolean>();
        var futures = new ArrayList<CompletableFuture<Event>>();
        for (int i = 0; i < 200; i++) {
            futures.add(log.append(new NewEvent("busy", EventType.MESSAGE, ALICE, "m" + i)));
        }
        for (var future : futures) {
            var event = future.join();
            if (!published.contains(event)) {
                completedBeforePublishing.put(event.seq(), true);
            }
        }
        assertThat(completedBeforePublishing).as("appends that completed before the bus had them").isEmpty();
        assertThat(published).extracting(Event::seq).containsExactlyElementsOf(
                IntStream.rangeClosed(1, 200).mapToObj(Long::valueOf).toList());
    }

    @Test
    void subscribersGetCommittedEventsInOrder() {
        var seen = Collections.synchronizedList(new ArrayList<Event>());
        try (var registration = bus.subscribe("busy", seen::add)) {
            for (int i = 0; i < 200; i++) {
                log.append(new NewEvent("busy", EventType.MESSAGE, ALICE, "m" + i));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() >= 200);
        }
        assertThat(seen).extracting(Event::seq).containsExactlyElementsOf(
                IntStream.rangeClosed(1, 200).mapToObj(Long::valueOf).toList());
    }

    /** A bus that notes what is published to it, as it is published, and passes it on. */
    private record PublishedEvents(EventBus bus, List<Event> published) implements EventBus {
        @Override
        public Registration subscribe(String room, Subscriber subscriber) {
            return bus.subscribe(room, subscriber);
        }

        @Override
        public boolean hasSubscribers(String room) {
            return bus.hasSubscribers(room);
        }

        @Override
        public void publish(List<Event> events) {
            published.addAll(events);
            bus.publish(events);
        }

        @Override
        public Map<String, Long> followed() {
            return bus.followed();
        }
    }

    @Test
    void concurrentAppendsGetEverySequenceNumberOnce() throws InterruptedException {
        var seqs = ConcurrentHashMap.<Long>newKeySet();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < 16; t++) {
                int sender = t;
                threads.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        assertThat(seqs.add(say("crowded", sender + ":" + i).seq())).isTrue();
                    }
                });
            }
            threads.shutdown();
            assertThat(threads.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
        }
        assertThat(seqs).hasSize(800).allMatch(seq -> seq >= 1 && seq <= 800);
        assertThat(log.after("crowded", 0, 1000)).hasSize(800);
    }

    @Test
    void anAppendWithAKeyAlreadyStoredReturnsTheStoredEvent() {
        var first = log.append(new NewEvent("keyed", EventType.MESSAGE, ALICE, "once", false, "k1")).join();
        var again = log.append(new NewEvent("keyed", EventType.MESSAGE, ALICE, "once", false, "k1")).join();
        var bobs = log.append(new NewEvent("keyed", EventType.MESSAGE, BOB, "his own", false, "k1")).join();
        assertThat(again).isEqualTo(first);
        assertThat(bobs.seq()).isEqualTo(2);
        assertThat(log.after("keyed", 0, 10)).containsExactly(first, bobs);
        // Keys are forgotten after a while; then the same key stores anew.
        clock.advance(Duration.ofSeconds(1));
        assertThat(log.forgetKeys(clock.instant())).isEqualTo(2);
        assertThat(log.append(new NewEvent("keyed", EventType.MESSAGE, ALICE, "once", false, "k1")).join().seq()).isEqualTo(3);
    }

    @Test
    void theSequenceGoesOnAfterReopening() {
        say("kept", "one");
        say("kept", "two");
        closeStorage();
        bus = new LocalBus();
        log = open(bus, clock);
        assertThat(log.lastSeq("kept")).isEqualTo(2);
        assertThat(say("kept", "three").seq()).isEqualTo(3);
        assertThat(log.after("kept", 0, 10)).extracting(Event::text).containsExactly("one", "two", "three");
    }

    /** Appends waiting when the log closes are stored, and later ones refused, never left hanging. */
    @Test
    void closingStoresWhatWasAccepted() {
        List<CompletableFuture<Event>> futures = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            futures.add(log.append(new NewEvent("closing", EventType.MESSAGE, ALICE, "m" + i)));
        }
        log.close();
        futures.forEach(CompletableFuture::join);
        assertThat(log.append(new NewEvent("closing", EventType.MESSAGE, ALICE, "late")))
                .isCompletedExceptionally();
        closeStorage();
        bus = new LocalBus();
        log = open(bus, clock);
        assertThat(log.lastSeq("closing")).isEqualTo(100);
    }
}
