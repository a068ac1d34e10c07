package io.consolechat.server.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.consolechat.protocol.Event;
import io.consolechat.protocol.EventType;
import io.consolechat.protocol.User;
import io.consolechat.protocol.UserKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class LocalBusTest {
    private static final User ALICE = new User("alice", UserKind.TEMPORARY);

    private static Event event(String room, long seq) {
        return new Event(EventType.MESSAGE, room, seq, Instant.EPOCH, ALICE, "m" + seq);
    }

    /** A subscriber that notes what it receives, as the bus hands it over. */
    private static final class Seen implements EventBus.Subscriber {
        final List<Long> seqs = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public void deliver(Event event) {
            deliverAll(List.of(event));
        }

        @Override
        public void deliverAll(List<Event> events) {
            calls.incrementAndGet();
            events.forEach(e -> seqs.add(e.seq()));
        }
    }

    @Test
    void everySubscriberOnEveryLaneGetsTheRoomsEventsInOrderAndNoOtherRooms() {
        try (var bus = new LocalBus(3)) {
            var lobby = new ArrayList<Seen>();
            for (int i = 0; i < 10; i++) {
                var seen = new Seen();
                bus.subscribe("lobby", seen);
                lobby.add(seen);
            }
            var elsewhere = new Seen();
            bus.subscribe("dev", elsewhere);

            for (long seq = 1; seq <= 500; seq++) {
                bus.publish(List.of(event("lobby", seq)));
            }
            bus.publish(List.of(event("dev", 1), event("lobby", 501), event("dev", 2)));

            var expected = LongStream.rangeClosed(1, 501).boxed().toList();
            await().atMost(Duration.ofSeconds(10)).until(() -> lobby.stream().allMatch(s -> s.seqs.size() >= 501));
            for (var seen : lobby) {
                assertThat(seen.seqs).containsExactlyElementsOf(expected);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> elsewhere.seqs.size() >= 2);
            assertThat(elsewhere.seqs).containsExactly(1L, 2L);
        }
    }

    @Test
    void eventsThatPileUpWhileALaneIsBusyReachEachSubscriberTogether() throws InterruptedException {
        try (var bus = new LocalBus(1)) {
            var inFirst = new CountDownLatch(1);
            var release = new CountDownLatch(1);
            // Holds the lane inside its first delivery while more events are published.
            bus.subscribe("lobby", event -> {
                if (event.seq() == 1) {
                    inFirst.countDown();
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            var seen = new Seen();
            bus.subscribe("lobby", seen);

            bus.publish(List.of(event("lobby", 1)));
            assertThat(inFirst.await(10, TimeUnit.SECONDS)).isTrue();
            for (long seq = 2; seq <= 50; seq++) {
                bus.publish(List.of(event("lobby", seq)));
            }
            release.countDown();

            await().atMost(Duration.ofSeconds(10)).until(() -> seen.seqs.size() >= 50);
            assertThat(seen.seqs).containsExactlyElementsOf(LongStream.rangeClosed(1, 50).boxed().toList());
            assertThat(seen.calls.get()).as("deliveries: the first, then the 49 that piled up").isEqualTo(2);
        }
    }

    @Test
    void aFailingSubscriberDoesNotKeepEventsFromTheOthersAndAClosedRegistrationGetsNoMore() {
        try (var bus = new LocalBus(1)) {
            bus.subscribe("lobby", event -> {
                throw new IllegalStateException("a broken stream");
            });
            var seen = new Seen();
            bus.subscribe("lobby", seen);
            var gone = new Seen();
            var registration = bus.subscribe("lobby", gone);

            bus.publish(List.of(event("lobby", 1)));
            await().atMost(Duration.ofSeconds(10)).until(() -> seen.seqs.size() == 1 && gone.seqs.size() == 1);
            registration.close();
            bus.publish(List.of(event("lobby", 2)));
            await().atMost(Duration.ofSeconds(10)).until(() -> seen.seqs.size() == 2);

            assertThat(gone.seqs).containsExactly(1L);
            assertThat(seen.seqs).containsExactly(1L, 2L);
        }
    }

    @Test
    void aRoomIsForgottenWithItsLastSubscriber() {
        try (var bus = new LocalBus(2)) {
            var first = bus.subscribe("lobby", event -> { });
            var second = bus.subscribe("lobby", event -> { });
            first.close();
            assertThat(bus.hasSubscribers("lobby")).isTrue();
            second.close();
            assertThat(bus.hasSubscribers("lobby")).isFalse();
        }
    }

    @Test
    void followedRoomsTellTheHighestSequenceNumberPublishedSinceTheirFirstSubscriber() {
        try (var bus = new LocalBus(2)) {
            bus.publish(List.of(event("lobby", 1)));
            var first = bus.subscribe("lobby", event -> { });
            var second = bus.subscribe("lobby", event -> { });
            bus.subscribe("dev", event -> { });
            assertThat(bus.followed()).as("nothing published since they were followed")
                    .containsExactlyInAnyOrderEntriesOf(Map.of("lobby", 0L, "dev", 0L));

            // Out of order, as this server's commits and other servers' notices may come.
            bus.publish(List.of(event("lobby", 3), event("lobby", 4)));
            bus.publish(List.of(event("lobby", 2), event("elsewhere", 9)));
            assertThat(bus.followed()).containsExactlyInAnyOrderEntriesOf(Map.of("lobby", 4L, "dev", 0L));

            // A room followed again starts afresh: what its new streams have, they read from the table.
            first.close();
            second.close();
            bus.subscribe("lobby", event -> { });
            assertThat(bus.followed()).containsEntry("lobby", 0L);
        }
    }
}
