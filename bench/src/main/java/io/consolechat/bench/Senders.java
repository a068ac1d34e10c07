package io.consolechat.bench;

import io.consolechat.protocol.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Senders posting benchmark messages to one room, one user and one keep-alive connection each, on
 * virtual threads. A message counts as confirmed when its 201 (sent once it is durable) arrived.
 */
final class Senders {
    /** What the senders did: which messages each had confirmed, and how long confirmation took. */
    record Outcome(BitSet[] confirmed, long confirmedCount, long failed, long attempted, Histogram ackMicros,
                   String lastError) {
    }

    /** The servers to post to; sender {@code i} posts to server {@code i % size}. */
    private final List<InetSocketAddress> servers;
    private final SourceAddresses sources;
    private final Json json;
    private final String room;
    private final List<String> tokens;
    private final int firstId;

    Senders(List<InetSocketAddress> servers, SourceAddresses sources, Json json, String room, List<String> tokens) {
        this(servers, sources, json, room, tokens, 0);
    }

    /**
     * Senders whose messages carry the ids {@code firstId...}; listeners expecting ids below it ignore them,
     * which is how a warm-up phase shares the room without counting.
     */
    Senders(List<InetSocketAddress> servers, SourceAddresses sources, Json json, String room, List<String> tokens,
            int firstId) {
        this.servers = List.copyOf(servers);
        this.sources = sources;
        this.json = json;
        this.room = room;
        this.tokens = tokens;
        this.firstId = firstId;
    }

    /** The same users sending as other ids, for a warm-up whose messages listeners ignore. */
    Senders warmUp() {
        return new Senders(servers, sources, json, room, tokens, firstId + tokens.size());
    }

    int count() {
        return tokens.size();
    }

    /** Open loop ({@link OpenLoop}): {@code perSecond} messages a second in total for {@code duration}. */
    Outcome atRate(double perSecond, Duration duration) throws InterruptedException {
        var schedule = OpenLoop.of(perSecond, duration, tokens.size());
        return run((sender, calls, state) -> {
            for (int n = 0; ; n++) {
                long due = schedule.awaitTurn(sender, n);
                if (due < 0) {
                    return;
                }
                state.send(calls, sender, n, due);
            }
        });
    }

    /** Closed loop: each sender posts its next message as soon as the previous one is confirmed. */
    Outcome asFastAsPossible(Duration duration) throws InterruptedException {
        long end = System.nanoTime() + duration.toNanos();
        return run((sender, calls, state) -> {
            for (int n = 0; System.nanoTime() < end; n++) {
                state.send(calls, sender, n, System.nanoTime());
            }
        });
    }

    private interface Plan {
        void run(int sender, ChatCalls calls, State state) throws IOException;
    }

    private final class State {
        final BitSet[] confirmed = new BitSet[tokens.size()];
        final AtomicLong failed = new AtomicLong();
        final AtomicLong attempted = new AtomicLong();
        final Recorder ackMicros = new Recorder(3);
        volatile String lastError;

        void send(ChatCalls calls, int sender, int n, long sentNanos) throws IOException {
            attempted.incrementAndGet();
            var response = calls.send(room, tokens.get(sender), new BenchMessage(firstId + sender, n, sentNanos).text());
            if (response.status() == 201) {
                ackMicros.recordValue(Math.max(0, (System.nanoTime() - sentNanos) / 1000));
                synchronized (confirmed[sender]) {
                    confirmed[sender].set(n);
                }
            } else {
                failed.incrementAndGet();
                lastError = "POST /room answered " + response.status() + ": " + response.text();
            }
        }
    }

    private Outcome run(Plan plan) throws InterruptedException {
        var state = new State();
        for (int s = 0; s < tokens.size(); s++) {
            state.confirmed[s] = new BitSet();
        }
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int s = 0; s < tokens.size(); s++) {
                int sender = s;
                pool.submit(() -> {
                    try (var calls = new ChatCalls(servers.get(sender % servers.size()), sources.roundRobin(sender), json)) {
                        plan.run(sender, calls, state);
                    } catch (IOException | RuntimeException e) {
                        state.failed.incrementAndGet();
                        state.lastError = "sender " + sender + " stopped: " + e;
                    }
                });
            }
        }
        long confirmedCount = 0;
        for (var set : state.confirmed) {
            synchronized (set) {
                confirmedCount += set.cardinality();
            }
        }
        return new Outcome(state.confirmed, confirmedCount, state.failed.get(), state.attempted.get(),
                state.ackMicros.getIntervalHistogram(), state.lastError);
    }
}
