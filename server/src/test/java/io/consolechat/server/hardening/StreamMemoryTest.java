package io.consolechat.server.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.RawStream;
import io.consolechat.server.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The stream memory attack: two hundred streams from one address ask for the last 500 of the longest
 * messages and never read. The server holds at most a stream's cap for each and the configured total for
 * all of them, refuses streams beyond it with 503 and {@code Retry-After}, answers nothing with 500, and
 * {@code /health} stays quick.
 */
class StreamMemoryTest {
    private static final int STREAMS = 200;
    private static final long CAP = 1024 * 1024;
    private static final long TOTAL = 48L * 1024 * 1024;
    private static final String LONG = "\uD83D\uDE00".repeat(4000);

    @Test
    void streamsThatNeverReadHoldNoMoreThanTheCaps() throws Exception {
        try (var server = TestServer.start(config -> {
            config.streams.maxBytesPerStream = CAP;
            config.streams.totalBytes = TOTAL;
            config.streams.writeTimeout = Duration.ofSeconds(60);
        });
             var workers = Executors.newVirtualThreadPerTaskExecutor();
             var sampler = Executors.newSingleThreadScheduledExecutor()) {
            var api = new Api(server);
            var sender = api.login("sender", null);
            var posts = new ArrayList<Future<?>>();
            for (int p = 0; p < 8; p++) {
                posts.add(workers.submit(() -> {
                    for (int i = 0; i < 500 / 8 + 1; i++) {
                        assertThat(api.sendText("big", sender, LONG).status()).isEqualTo(201);
                    }
                    return null;
                }));
            }
            for (var post : posts) {
                post.get(120, TimeUnit.SECONDS);
            }

            var slowestHealth = new AtomicLong();
            var mostHeld = new AtomicLong();
            var healthFailures = new ConcurrentHashMap<Integer, Integer>();
            sampler.scheduleWithFixedDelay(() -> {
                mostHeld.accumulateAndGet(server.streamBytes().held(), Math::max);
                long start = System.nanoTime();
                int status = api.get("/health", null).status();
                slowestHealth.accumulateAndGet(System.nanoTime() - start, Math::max);
                if (status != 200) {
                    healthFailures.merge(status, 1, Integer::sum);
                }
            }, 0, 100, TimeUnit.MILLISECONDS);

            // Ten users, twenty streams each (the per-user limit): the per-address limit of 200.
            var streams = new ArrayList<RawStream>();
            var statuses = new TreeMap<Integer, Integer>();
            try {
                for (int u = 0; u < STREAMS / 20; u++) {
                    var token = api.login("reader" + u, null);
                    for (int i = 0; i < 20; i++) {
                        var stream = RawStream.open(server, "/room/big?timeout=3600&history=500", token, 4096);
                        streams.add(stream);
                        int status = stream.readHead(30_000);
                        statuses.merge(status, 1, Integer::sum);
                        if (status == 503) {
                            assertThat(stream.header("Retry-After")).as("a 503 says when to retry").isNotNull();
                            assertThat(stream.nextLine(5_000)).contains("\"unavailable\"");
                        } else {
                            assertThat(status).isEqualTo(200);
                        }
                    }
                }
                // The open streams' writes stall on sockets nobody reads.
                await().atMost(Duration.ofSeconds(30)).until(() -> server.streamBytes().held() > 0);
                mostHeld.accumulateAndGet(server.streamBytes().held(), Math::max);
            } finally {
                sampler.shutdown();
                sampler.awaitTermination(10, TimeUnit.SECONDS);
                for (var stream : streams) {
                    stream.close();
                }
            }
            System.out.printf("stream memory: answers %s; held at most %d bytes in all (total %d), %d by one stream"
                            + " (cap %d); slowest /health %d ms%n", statuses, mostHeld.get(), TOTAL,
                    server.streamBytes().mostHeldByOneStream(), CAP,
                    TimeUnit.NANOSECONDS.toMillis(slowestHealth.get()));
            assertThat(statuses.keySet()).as("every stream answered 200 or 503").isSubsetOf(List.of(200, 503));
            assertThat(healthFailures).isEqualTo(Map.of());
            assertThat(Duration.ofNanos(slowestHealth.get())).as("the slowest /health").isLessThan(Duration.ofSeconds(1));
            assertThat(server.streamBytes().mostHeldByOneStream()).isLessThanOrEqualTo(CAP);
            // End lines are queued whatever the total (a few bytes each, for the streams the total cut off).
            assertThat(mostHeld.get()).isLessThanOrEqualTo(TOTAL + STREAMS * 8 * 1024);
        }
    }

    @Test
    void newStreamsAreRefusedWith503WhileTheTotalIsHeld() throws Exception {
        try (var server = TestServer.start(config -> {
            config.streams.maxBytesPerStream = CAP;
            config.streams.totalBytes = 2 * CAP;
        });
             var workers = Executors.newVirtualThreadPerTaskExecutor()) {
            var api = new Api(server);
            var sender = api.login("sender", null);
            var posts = new ArrayList<Future<?>>();
            for (int p = 0; p < 4; p++) {
                posts.add(workers.submit(() -> {
                    for (int i = 0; i < 100; i++) {
                        assertThat(api.sendText("big", sender, LONG).status()).isEqualTo(201);
                    }
                    return null;
                }));
            }
            for (var post : posts) {
                post.get(120, TimeUnit.SECONDS);
            }
            var token = api.login("reader", null);
            var streams = new ArrayList<RawStream>();
            try {
                // Each stalled stream holds up to its cap; the total is spent after a few of them.
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    var stream = RawStream.open(server, "/room/big?timeout=3600&history=400", token, 4096);
                    streams.add(stream);
                    if (stream.readHead(30_000) != 503) {
                        return false;
                    }
                    assertThat(stream.header("Retry-After")).isNotNull();
                    assertThat(stream.header("Content-Type")).startsWith("application/json");
                    assertThat(stream.nextLine(5_000)).contains("\"error\":\"unavailable\"");
                    return true;
                });
                System.out.printf("stream memory: refused with 503 after %d streams, %d bytes held%n",
                        streams.size() - 1, server.streamBytes().held());
            } finally {
                for (var stream : streams) {
                    stream.close();
                }
            }
        }
    }
}
