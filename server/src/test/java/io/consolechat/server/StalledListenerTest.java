package io.consolechat.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.consolechat.protocol.Json;
import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.RawStream;
import io.consolechat.server.testing.TestServer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A listener whose socket stops reading costs the others nothing: its writes are asynchronous, the bytes it
 * holds stay under its cap, and a write it leaves unfinished is cut off after the write timeout.
 */
class StalledListenerTest {
    private static final int READERS = 999;
    private static final int MESSAGES = 30;
    private static final long CAP = 256 * 1024;
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(10);
    /** The longest message: 4,000 emoji, 16 KB of UTF-8. */
    private static final String LONG = "\uD83D\uDE00".repeat(4000);

    private final Json json = new Json();

    @Test
    void aStalledListenerIsCutOffWhileNineHundredNinetyNineOthersGetEveryMessageOnTime() throws Exception {
        try (var server = TestServer.start(config -> {
            config.limits.streamsPerUser = 2000;
            config.limits.streamsPerAddress = 2000;
            config.streams.maxBytesPerStream = CAP;
            config.streams.writeTimeout = WRITE_TIMEOUT;
        });
             var workers = Executors.newVirtualThreadPerTaskExecutor()) {
            var api = new Api(server);
            var sender = api.login("sender", null);
            // Enough backlog (about 5 MB) to fill what the kernel buffers for a socket that is not read.
            fill(api, sender, "busy", 300, workers);

            var sleeper = api.login("sleeper", null);
            var stalled = RawStream.open(server, "/room/busy?timeout=3600&history=300", sleeper, 4096);
            // Its backlog write stays in flight: the server holds its bytes and waits for the socket.
            await().atMost(Duration.ofSeconds(20)).during(Duration.ofMillis(500))
                    .until(() -> server.streamBytes().held() > 0);
            long stalledAt = System.nanoTime();

            var reader = api.login("reader", null);
            var opened = new CountDownLatch(READERS);
            var latencies = new ConcurrentLinkedQueue<Long>();
            var complete = new AtomicInteger();
            var readers = new ArrayList<Future<List<Long>>>();
            for (int i = 0; i < READERS; i++) {
                readers.add(workers.submit(() -> listen(server, reader, opened, latencies, complete)));
            }
            assertThat(opened.await(60, TimeUnit.SECONDS)).as("every reader's stream opened").isTrue();

            var sent = new ArrayList<Long>();
            for (int i = 0; i < MESSAGES; i++) {
                var reply = api.sendText("busy", sender, "at " + System.nanoTime());
                assertThat(reply.status()).isEqualTo(201);
                sent.add(reply.json().path("seq").asLong());
            }
            for (var future : readers) {
                assertThat(future.get(60, TimeUnit.SECONDS)).as("every message, in order").isEqualTo(sent);
            }
            var sorted = new ArrayList<>(latencies);
            Collections.sort(sorted);
            long p50 = sorted.get(sorted.size() / 2);
            long p99 = sorted.get((int) (sorted.size() * 0.99));
            long max = sorted.getLast();
            System.out.printf("stalled listener: %d deliveries, latency p50 %d ms, p99 %d ms, max %d ms%n",
                    sorted.size(), p50, p99, max);
            assertThat(sorted).hasSize(READERS * MESSAGES);
            // A reader held up behind the stalled socket would wait for its write timeout.
            assertThat(max).as("the slowest delivery, ms").isLessThan(WRITE_TIMEOUT.toMillis() / 2);

            // The stalled stream's write is aborted within its bound, which ends its stream (it leaves).
            await().atMost(WRITE_TIMEOUT.plusSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> !members(api, sender).contains("sleeper"));
            long cutOffAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stalledAt);
            System.out.printf("stalled listener: cut off %d ms after its write stalled (bound %d ms);"
                    + " the most one stream held: %d bytes (cap %d)%n", cutOffAfter, WRITE_TIMEOUT.toMillis(),
                    server.streamBytes().mostHeldByOneStream(), CAP);
            assertThat(server.streamBytes().mostHeldByOneStream()).isLessThanOrEqualTo(CAP);
            stalled.close();
        }
    }

    @Test
    void aStreamWritingWhenItsTimeoutFiresStillGetsItsEndLineAfterItsLastEvent() throws Exception {
        try (var server = TestServer.start();
             var workers = Executors.newVirtualThreadPerTaskExecutor()) {
            var api = new Api(server);
            var sender = api.login("sender", null);
            var slow = api.login("slow", null);
            // About 8 MB: more than the kernel buffers for a socket that is not read, so writes stay in flight.
            fill(api, sender, "slow", 500, workers);
            long openedAt = System.nanoTime();
            try (var stream = RawStream.open(server, "/room/slow?timeout=1&history=500", slow, 4096)) {
                // The stream's second is over while its writer still holds bytes it could not write.
                await().atMost(Duration.ofSeconds(30)).until(() ->
                        System.nanoTime() - openedAt > TimeUnit.MILLISECONDS.toNanos(2000)
                                && server.streamBytes().held() > 0);

                assertThat(stream.readHead(30_000)).isEqualTo(200);
                var items = new ArrayList<JsonNode>();
                String line;
                while ((line = stream.nextLine(30_000)) != null) {
                    items.add(json.mapper().readTree(line));
                }
                var end = items.getLast();
                assertThat(end.path("type").asText()).as("the last line").isEqualTo("end");
                var seqs = items.stream().filter(i -> i.has("seq")).map(i -> i.path("seq").asLong()).toList();
                assertThat(seqs).isNotEmpty();
                for (int i = 1; i < seqs.size(); i++) {
                    assertThat(seqs.get(i)).as("no gap, no duplicate").isEqualTo(seqs.get(i - 1) + 1);
                }
                assertThat(end.path("since").asLong()).as("the cursor after the last event written")
                        .isEqualTo(seqs.getLast());
                assertThat(seqs).as("the whole backlog, which goes out whatever the timeout").hasSize(500);
                System.out.printf("timeout while writing: %d events, then the end line at %d%n", seqs.size(),
                        end.path("since").asLong());
            }
        }
    }

    @Test
    void aLiveListenerThatStopsReadingIsCutOffWithoutHoldingUpTheFanOut() throws Exception {
        int readers = 50;
        int messages = 300;
        // The server closes first, which ends the readers' streams should an assertion fail.
        try (var workers = Executors.newVirtualThreadPerTaskExecutor();
             var server = TestServer.start(config -> {
            config.limits.streamsPerUser = 2000;
            config.limits.streamsPerAddress = 2000;
            config.limits.send = new io.consolechat.server.config.Rate(1_000_000, 1_000_000, Duration.ofSeconds(1));
            config.streams.maxBytesPerStream = CAP;
            config.streams.writeTimeout = WRITE_TIMEOUT;
        })) {
            var api = new Api(server);
            var sender = api.login("sender", null);
            var reader = api.login("reader", null);
            var opened = new CountDownLatch(readers);
            var latencies = new ConcurrentLinkedQueue<Long>();
            var received = new ArrayList<Future<List<Long>>>();
            for (int i = 0; i < readers; i++) {
                received.add(workers.submit(() -> readLive(server, reader, "live", messages, opened, latencies)));
            }
            assertThat(opened.await(60, TimeUnit.SECONDS)).as("every reader's stream opened").isTrue();
            // Live from the start, and never read: the fan-out writes to it until its socket is full, then its
            // lines pile up to its cap.
            var sleeper = api.login("sleeper", null);
            var stalled = RawStream.open(server, "/room/live?timeout=3600&history=0", sleeper, 4096);
            assertThat(stalled.readHead(10_000)).isEqualTo(200);

            var sent = new ArrayList<Long>();
            for (int i = 0; i < messages; i++) {
                var reply = api.sendText("live", sender, "at " + System.nanoTime() + " " + LONG.substring(64));
                assertThat(reply.status()).isEqualTo(201);
                sent.add(reply.json().path("seq").asLong());
            }
            for (var future : received) {
                assertThat(future.get(60, TimeUnit.SECONDS)).as("every message, in order").isEqualTo(sent);
            }
            var sorted = new ArrayList<>(latencies);
            Collections.sort(sorted);
            System.out.printf("stalled live listener: %d deliveries, latency p50 %d ms, p99 %d ms, max %d ms%n",
                    sorted.size(), sorted.get(sorted.size() / 2), sorted.get((int) (sorted.size() * 0.99)),
                    sorted.getLast());
            // Held up behind the stalled socket, the fan-out would have waited for its write timeout.
            assertThat(sorted.getLast()).as("the slowest delivery, ms").isLessThan(WRITE_TIMEOUT.toMillis() / 2);

            // Over its cap, the stalled stream ends; its end line cannot be written either, and the write
            // timeout closes the connection: it leaves the room.
            await().atMost(WRITE_TIMEOUT.plusSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> !memberNames(api, sender, "live").contains("sleeper"));
            assertThat(server.streamBytes().mostHeldByOneStream()).isLessThanOrEqualTo(CAP);
            stalled.close();
        }
    }

    @Test
    void aLiveStreamWhoseTimeoutFiresWhileEventsFlowEndsWithTheCursorOfItsLastEvent() throws Exception {
        // The server closes first, which ends the readers' streams should an assertion fail.
        try (var workers = Executors.newVirtualThreadPerTaskExecutor();
             var server = TestServer.start(config ->
                config.limits.send = new io.consolechat.server.config.Rate(1_000_000, 1_000_000, Duration.ofSeconds(1)))) {
            var api = new Api(server);
            var sender = api.login("sender", null);
            var listener = api.login("listener", null);
            var sending = new java.util.concurrent.atomic.AtomicBoolean(true);
            var posted = new ConcurrentLinkedQueue<Long>();
            var posting = workers.submit(() -> {
                while (sending.get()) {
                    var reply = api.sendText("flow", sender, "tick");
                    assertThat(reply.status()).isEqualTo(201);
                    posted.add(reply.json().path("seq").asLong());
                }
                return null;
            });
            try (var stream = RawStream.open(server, "/room/flow?timeout=2&history=0", listener, 65536)) {
                assertThat(stream.readHead(10_000)).isEqualTo(200);
                var items = new ArrayList<JsonNode>();
                String line;
                while ((line = stream.nextLine(10_000)) != null) {
                    items.add(json.mapper().readTree(line));
                }
                sending.set(false);
                posting.get(30, TimeUnit.SECONDS);

                var end = items.getLast();
                assertThat(end.path("type").asText()).as("the last line").isEqualTo("end");
                var seqs = items.stream().filter(i -> i.has("seq")).map(i -> i.path("seq").asLong()).toList();
                assertThat(seqs).as("live events before the timeout").hasSizeGreaterThan(10);
                for (int i = 1; i < seqs.size(); i++) {
                    assertThat(seqs.get(i)).as("no gap, no duplicate").isEqualTo(seqs.get(i - 1) + 1);
                }
                assertThat(end.path("since").asLong()).as("the cursor after the last event written")
                        .isEqualTo(seqs.getLast());
                System.out.printf("timeout while live: %d events, end line at %d%n", seqs.size(), seqs.getLast());

                // Resuming from that cursor gives exactly the messages posted after it: nothing was skipped. The
                // last post may have been answered before or after the stream ended, so one more is posted.
                var last = api.sendText("flow", sender, "after");
                assertThat(last.status()).isEqualTo(201);
                posted.add(last.json().path("seq").asLong());
                var expected = posted.stream().filter(seq -> seq > seqs.getLast()).sorted().toList();
                try (var resumed = RawStream.open(server, "/room/flow?timeout=0&since=" + seqs.getLast(), listener,
                        65536)) {
                    assertThat(resumed.readHead(10_000)).isEqualTo(200);
                    var resumedEvents = new ArrayList<JsonNode>();
                    for (line = resumed.nextLine(10_000); line != null; line = resumed.nextLine(10_000)) {
                        var item = json.mapper().readTree(line);
                        if (item.has("seq")) {
                            resumedEvents.add(item);
                        }
                    }
                    assertThat(resumedEvents).as("events after the cursor").isNotEmpty();
                    assertThat(resumedEvents.getFirst().path("seq").asLong()).as("the first event resumed")
                            .isEqualTo(seqs.getLast() + 1);
                    // Presence events of the listener may come between; the messages are exactly those posted.
                    assertThat(resumedEvents.stream().filter(e -> e.path("type").asText().equals("message"))
                            .map(e -> e.path("seq").asLong()).toList())
                            .as("the messages after the cursor").isEqualTo(expected);
                }
            }
        }
    }

    /** A live reader of {@code room}: the sequence numbers of the first {@code count} messages. */
    private List<Long> readLive(TestServer server, String token, String room, int count, CountDownLatch opened,
                                ConcurrentLinkedQueue<Long> latencies) throws IOException {
        try (var stream = RawStream.open(server, "/room/" + room + "?timeout=3600&history=0", token, 1 << 20)) {
            assertThat(stream.readHead(60_000)).isEqualTo(200);
            opened.countDown();
            var seqs = new ArrayList<Long>();
            String other = null;
            while (seqs.size() < count) {
                var line = stream.nextLine(60_000);
                assertThat(line).as("the stream ended after %d messages; its last other line: %s", seqs.size(), other)
                        .isNotNull();
                long now = System.nanoTime();
                // Fifty readers decoding 16,000 escaped emoji a line would fall behind the fan-out on two cores
                // and be cut off as readers too slow: only the seq and the sending time are read.
                if (line.contains("\"type\":\"message\"")) {
                    long sentAt = number(line, "\"text\":\"at ");
                    latencies.add(TimeUnit.NANOSECONDS.toMillis(now - sentAt));
                    seqs.add(number(line, "\"seq\":"));
                } else {
                    other = line;
                }
            }
            return seqs;
        }
    }

    /** The digits that follow the first {@code key} in {@code line}. */
    private static long number(String line, String key) {
        int start = line.indexOf(key) + key.length();
        int end = start;
        while (end < line.length() && Character.isDigit(line.charAt(end))) {
            end++;
        }
        return Long.parseLong(line.substring(start, end));
    }

    private static List<String> memberNames(Api api, String token, String room) {
        var names = new ArrayList<String>();
        api.get("/room/" + room + "/members", token).json().forEach(u -> names.add(u.path("name").asText()));
        return names;
    }

    /** Posts {@code count} of the longest messages to {@code room}, several at a time. */
    static void fill(Api api, String token, String room, int count, java.util.concurrent.ExecutorService workers)
            throws Exception {
        var posts = new ArrayList<Future<?>>();
        int parallel = 8;
        for (int p = 0; p < parallel; p++) {
            int share = count / parallel + (p < count % parallel ? 1 : 0);
            posts.add(workers.submit(() -> {
                for (int i = 0; i < share; i++) {
                    assertThat(api.sendText(room, token, LONG).status()).isEqualTo(201);
                }
                return null;
            }));
        }
        for (var post : posts) {
            post.get(120, TimeUnit.SECONDS);
        }
    }

    /** One reader: the sequence numbers of the messages it received, each one's latency noted. */
    private List<Long> listen(TestServer server, String token, CountDownLatch opened,
                              ConcurrentLinkedQueue<Long> latencies, AtomicInteger complete) throws IOException {
        try (var stream = RawStream.open(server, "/room/busy?timeout=3600&history=0", token, 65536)) {
            assertThat(stream.readHead(60_000)).isEqualTo(200);
            opened.countDown();
            var seqs = new ArrayList<Long>();
            while (seqs.size() < MESSAGES) {
                var line = stream.nextLine(60_000);
                assertThat(line).as("the stream ended after %d messages", seqs.size()).isNotNull();
                long now = System.nanoTime();
                var item = json.mapper().readTree(line);
                if (item.path("type").asText().equals("message") && item.path("text").asText().startsWith("at ")) {
                    long sentAt = Long.parseLong(item.path("text").asText().substring(3));
                    latencies.add(TimeUnit.NANOSECONDS.toMillis(now - sentAt));
                    seqs.add(item.path("seq").asLong());
                }
            }
            complete.incrementAndGet();
            return seqs;
        }
    }

    private static List<String> members(Api api, String token) {
        var names = new ArrayList<String>();
        api.get("/room/busy/members", token).json().forEach(u -> names.add(u.path("name").asText()));
        api.get("/room/slow/members", token).json().forEach(u -> names.add(u.path("name").asText()));
        return names;
    }
}
