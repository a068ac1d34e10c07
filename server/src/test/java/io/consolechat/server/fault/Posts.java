package io.consolechat.server.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.consolechat.protocol.Event;
import io.consolechat.protocol.EventType;
import io.consolechat.server.testing.Api;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;

/**
 * What several senders posted to one room during a fault, answer by answer: the texts that got a 201 with
 * the sequence number it named, and the texts that got a 503. Anything else is a failure of its own.
 */
final class Posts {
    final Map<String, Long> accepted = new ConcurrentHashMap<>();
    final Set<String> refused = ConcurrentHashMap.newKeySet();
    final List<String> unexpected = new ArrayList<>();
    private final AtomicInteger count = new AtomicInteger();
    private final IntConsumer beforePost;

    /** {@code beforePost} is told the number of each post (from 1) before it is sent: to start or end a fault. */
    Posts(IntConsumer beforePost) {
        this.beforePost = beforePost;
    }

    Posts() {
        this(n -> { });
    }

    /**
     * {@code senders} threads, one token each, post unique texts to {@code room} until each has posted
     * {@code perSender} or {@code stop} says so.
     */
    void send(Api api, List<String> tokens, String room, int perSender, BooleanSupplier stop)
            throws InterruptedException {
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int s = 0; s < tokens.size(); s++) {
                int sender = s;
                threads.submit(() -> {
                    for (int i = 0; i < perSender && !stop.getAsBoolean(); i++) {
                        post(api, tokens.get(sender), room, "sender " + sender + " message " + i);
                    }
                });
            }
            threads.shutdown();
            assertThat(threads.awaitTermination(2, TimeUnit.MINUTES)).as("senders finished").isTrue();
        }
    }

    /** Posts one text and records the answer; returns the status. */
    int post(Api api, String token, String room, String text) {
        beforePost.accept(count.incrementAndGet());
        var reply = api.sendText(room, token, text);
        switch (reply.status()) {
            case 201 -> accepted.put(text, reply.event().seq());
            case 503 -> {
                assertThat(reply.error()).isEqualTo("unavailable");
                refused.add(text);
            }
            default -> {
                synchronized (unexpected) {
                    unexpected.add(reply.status() + " " + reply.body());
                }
            }
        }
        return reply.status();
    }

    /**
     * The room as stored: its sequence runs from 1 without a gap, every accepted text is there exactly once
     * at the sequence number its 201 named, and no refused text is there at all.
     */
    void assertStoredExactly(Api api, String token, String room) throws InterruptedException {
        assertThat(unexpected).as("answers other than 201 and 503").isEmpty();
        List<Event> events;
        try (var stream = api.stream("/room/" + room + "?since=0&timeout=0", token)) {
            assertThat(stream.status()).isEqualTo(200);
            events = stream.itemsToEnd(Duration.ofSeconds(30)).stream()
                    .filter(Event.class::isInstance).map(Event.class::cast).toList();
        }
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).seq()).as("seq of event %d", i).isEqualTo(i + 1L);
        }
        var stored = new HashMap<String, Long>();
        for (var event : events) {
            if (event.kind() == EventType.MESSAGE) {
                assertThat(stored.put(event.text(), event.seq())).as("stored twice: %s", event.text()).isNull();
            }
        }
        assertThat(stored).as("stored messages and their seqs").isEqualTo(Map.copyOf(accepted));
        assertThat(refused).as("refused texts").doesNotContainAnyElementsOf(stored.keySet());
    }
}
