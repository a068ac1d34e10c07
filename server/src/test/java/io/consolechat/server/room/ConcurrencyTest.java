package io.consolechat.server.room;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.consolechat.protocol.Event;
import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.Follower;
import io.consolechat.server.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Many listeners and senders on one room: everyone gets everything, once, in order, without gaps. */
class ConcurrencyTest {
    private static final int LISTENERS = 50;
    private static final int SENDERS = 10;
    private static final int MESSAGES = 500;
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @Test
    void fiftyListenersGetAllFiveHundredMessagesOfTenSendersInOrder() throws Exception {
        try (var server = TestServer.start(); var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            var api = new Api(server);
            var listenerTokens = IntStream.range(0, LISTENERS).mapToObj(i -> api.anonymousToken()).toList();
            var senderTokens = IntStream.range(0, SENDERS).mapToObj(i -> api.anonymousToken()).toList();
            var observer = api.anonymousToken();

            var listeners = new ArrayList<Future<Follower.Followed>>();
            for (var token : listenerTokens) {
                listeners.add(threads.submit(() -> new Follower(api, "busy", token).streamTimeout(20)
                        .follow(0, events -> messages(events).size() >= MESSAGES, DEADLINE)));
            }
            // Everyone is listening live before the first message.
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> api.get("/room/busy/members", observer).users().size() == LISTENERS);

            var senders = new ArrayList<Future<List<Event>>>();
            for (int s = 0; s < SENDERS; s++) {
                var sender = s;
                senders.add(threads.submit(() -> IntStream.range(0, MESSAGES / SENDERS)
                        .mapToObj(m -> api.sendMessage("busy", senderTokens.get(sender), sender + ":" + m))
                        .toList()));
            }
            var sent = new ArrayList<Event>();
            for (var sender : senders) {
                sent.addAll(get(sender));
            }
            assertThat(sent).extracting(Event::seq).doesNotHaveDuplicates();

            var stored = storedEvents(api, observer);
            assertThat(stored).extracting(Event::seq)
                    .isEqualTo(LongStream.rangeClosed(1, stored.size()).boxed().toList());
            var storedMessages = messages(stored);
            assertThat(storedMessages).containsExactlyInAnyOrderElementsOf(sent);

            for (var listener : listeners) {
                var followed = get(listener);
                var seen = followed.events();
                // No gaps and no duplicates: the seqs are exactly 1..n.
                assertThat(followed.seqs()).isEqualTo(LongStream.rangeClosed(1, seen.size()).boxed().toList());
                // The same events the store holds, in its order.
                assertThat(seen).isEqualTo(stored.subList(0, seen.size()));
                assertThat(messages(seen)).hasSize(MESSAGES).isEqualTo(storedMessages);
                assertThat(new HashSet<>(messages(seen).stream().map(Event::text).toList())).hasSize(MESSAGES);
                assertSenderOrder(messages(seen));
            }
        }
    }

    private static List<Event> messages(List<Event> events) {
        return events.stream().filter(e -> e.type().equals("message")).toList();
    }

    /** Each sender posts one message after another, so its messages must keep that order. */
    private static void assertSenderOrder(List<Event> messages) {
        var next = new int[SENDERS];
        for (var message : messages) {
            var parts = message.text().split(":");
            int sender = Integer.parseInt(parts[0]);
            assertThat(Integer.parseInt(parts[1])).as("message of sender %d", sender).isEqualTo(next[sender]);
            next[sender]++;
        }
    }

    /** Every stored event of the room, over as many pages of {@code /messages} as it takes. */
    private static List<Event> storedEvents(Api api, String token) {
        var all = new ArrayList<Event>();
        var query = "";
        while (true) {
            var page = api.get("/room/busy/messages?limit=500" + query, token).events();
            all.addAll(page);
            if (page.size() < 500) {
                break;
            }
            query = "&before=" + page.getFirst().seq();
        }
        all.sort(Comparator.comparingLong(Event::seq));
        return all;
    }

    private static <T> T get(Future<T> future) throws InterruptedException, ExecutionException {
        try {
            return future.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("not done within " + DEADLINE, e);
        }
    }
}
