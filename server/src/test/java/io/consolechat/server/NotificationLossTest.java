package io.consolechat.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.consolechat.protocol.Event;
import io.consolechat.protocol.EventType;
import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.ListeningBackends;
import io.consolechat.server.testing.PostgresExtension;
import io.consolechat.server.testing.PostgresExtension.Postgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two servers on one PostgreSQL database, and server B loses the connection on which it listens for A's
 * events: the events A commits meanwhile still reach B's streams once B listens again, though the room stays
 * quiet afterwards and no later event shows the streams what they missed.
 *
 * <p>The test ends B's listening backend itself and keeps the database from taking new connections while A
 * stores the messages, so that B certainly does not listen when they are committed; the connections the
 * servers' pools hold go on working meanwhile.
 */
@ExtendWith(PostgresExtension.class)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class NotificationLossTest {
    private static final String ROOM = "quiet";
    private static final int LOST = 3;
    private static final int SENDERS = 4;
    private static final Duration SOON = Duration.ofSeconds(20);

    @Test
    void lostNotificationsAreCaughtUpAfterTheListeningConnectionIsLost(Postgres postgres) throws Exception {
        lostMessagesReachB(postgres, LOST);
    }

    /** More than the page B reads at a time (1,000): the room is read page by page to its end. */
    @Test
    void aQuietRoomThatMissedMoreThanAPageIsCaughtUpToItsEnd(Postgres postgres) throws Exception {
        lostMessagesReachB(postgres, 1_000 + 25);
    }

    /** A stream on B follows the room; A stores {@code count} messages while B does not listen. */
    private static void lostMessagesReachB(Postgres postgres, int count) throws Exception {
        // What B catches up on reaches the stream at once: room for it all, so that it is not cut off.
        ListeningBackends.withTwoServers(postgres, c -> c.streams.buffer = 2 * count,
                (backends, listeningB, others, apiA, apiB) -> {
            var sender = apiA.login("sender", null);
            try (var onB = apiB.stream("/room/" + ROOM + "?timeout=120", apiB.login("reader", null))) {
                // Written and published on B: B's bus knows the room up to here.
                assertThat(onB.nextEvent(SOON).kind()).isEqualTo(EventType.JOIN);

                var sent = backends.whileDeaf(listeningB, others, () -> post(apiA, sender, "lost", count));

                assertThat(messages(onB, count)).as("every message stored while B did not listen, in order")
                        .containsExactlyElementsOf(sent);
                // None twice: the next event is the next message.
                var next = apiB.sendMessage(ROOM, sender, "after");
                assertThat(onB.nextEvent(SOON)).isEqualTo(next);
            }
        });
    }

    /** A stream on B, opened while B did not listen, and the messages A stored meanwhile. */
    private record Opened(Api.Stream onB, List<Event> sent) {
    }

    /**
     * B's bus has published nothing for the room since its stream opened: the reader's join was written on
     * A, and the stream on B opened while B did not listen. B does not know where the stream's backlog ended,
     * so it publishes the room's latest event, and the stream, seeing it beyond the next it expects, reads
     * those before it from the table.
     */
    @Test
    void aStreamThatLearnsOfALaterEventReadsTheOnesBeforeItFromTheTable(Postgres postgres) throws Exception {
        ListeningBackends.withTwoServers(postgres, (backends, listeningB, others, apiA, apiB) -> {
            var sender = apiA.login("sender", null);
            var reader = apiA.login("reader", null);
            try (var onA = apiA.stream("/room/" + ROOM + "?timeout=120", reader)) {
                assertThat(onA.nextEvent(SOON).kind()).isEqualTo(EventType.JOIN);
                var opened = backends.whileDeaf(listeningB, others, () -> {
                    // The reader is present already: no join on B, so nothing for B's bus to publish.
                    var stream = apiB.stream("/room/" + ROOM + "?timeout=120&history=0", reader);
                    try {
                        return new Opened(stream, post(apiA, sender, "unseen", LOST));
                    } catch (RuntimeException | Error e) {
                        stream.close();
                        throw e;
                    }
                });
                try (var onB = opened.onB()) {
                    assertThat(messages(onB, LOST)).as("every message stored while B did not listen, in order")
                            .containsExactlyElementsOf(opened.sent());
                    var next = apiA.sendMessage(ROOM, sender, "after");
                    assertThat(onB.nextEvent(SOON)).isEqualTo(next);
                }
            }
        });
    }

    /** Posts {@code count} messages from a few threads at once; returns them in sequence order. */
    private static List<Event> post(Api api, String token, String text, int count) throws Exception {
        var sent = new ArrayList<Event>();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            var senders = new ArrayList<Future<List<Event>>>();
            for (int s = 0; s < SENDERS; s++) {
                int sender = s;
                senders.add(threads.submit(() -> {
                    var mine = new ArrayList<Event>();
                    for (int i = sender; i < count; i += SENDERS) {
                        mine.add(api.sendMessage(ROOM, token, text + " " + i));
                    }
                    return mine;
                }));
            }
            for (var sender : senders) {
                sent.addAll(sender.get(1, TimeUnit.MINUTES));
            }
        }
        sent.sort(Comparator.comparingLong(Event::seq));
        return sent;
    }

    /** The next {@code count} messages of the stream, skipping other events, all within {@link #SOON}. */
    private static List<Event> messages(Api.Stream stream, int count) throws InterruptedException {
        long deadline = System.nanoTime() + SOON.toNanos();
        var messages = new ArrayList<Event>();
        try {
            while (messages.size() < count) {
                var event = stream.nextEvent(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                if (event.kind() == EventType.MESSAGE) {
                    messages.add(event);
                }
            }
        } catch (AssertionError e) {
            throw new AssertionError("only " + messages.size() + " of " + count + " messages within " + SOON
                    + ": " + messages, e);
        }
        return messages;
    }
}
