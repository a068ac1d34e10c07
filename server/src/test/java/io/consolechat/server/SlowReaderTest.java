package io.consolechat.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.consolechat.protocol.Json;
import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Listeners that stop reading must not slow the room: while two of them hold their connections without
 * reading, five others receive 5,000 messages on time and the senders are never held up. The server cuts
 * the stalled streams off once their buffers overflow; their readers resume with {@code since}.
 */
class SlowReaderTest {
    private static final String ROOM = "busy";
    private static final int MESSAGES = 5_000;
    private static final int SENDERS = 25;
    private static final int LISTENERS = 5;
    private static final int BUFFER = 200;
    /**
     * Long texts, so that the flood (about 10 MB per stream) outgrows what the kernel buffers for a stalled
     * socket on loopback (up to 4 MB of send buffer): the server's writer for it must block.
     */
    private static final String PADDING = " " + "x".repeat(2000);
    /** Generous on a shared 2-core machine; a listener blocked behind a stalled one would wait forever. */
    private static final Duration PER_LINE = Duration.ofSeconds(10);
    private static final Duration PER_POST = Duration.ofSeconds(10);

    private final Json json = new Json();

    @Test
    void stalledListenersDoNotSlowTheRoomAndAreCutOff() throws Exception {
        // A short idle timeout ends the sleeper's blocked write sooner; keepalives keep the readers' streams busy.
        // It must still outlast the flood and the readers: the laggard's write blocks too until it reads, and on
        // a loaded machine the flood alone took 13.6 s once, and 5 s were not enough.
        try (var server = TestServer.start(config -> {
            config.streams.buffer = BUFFER;
            config.streams.keepalive = Duration.ofSeconds(1);
            config.network.idleTimeout = Duration.ofSeconds(30);
        });
             var workers = Executors.newVirtualThreadPerTaskExecutor()) {
            var api = new Api(server);
            var laggard = api.login("laggard", null);
            var sleeper = api.login("sleeper", null);
            // The laggard reads after the flood; the sleeper never does, and the server must end it alone.
            try (var laggardSocket = stalledStream(server, laggard);
                 var sleeperSocket = stalledStream(server, sleeper)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> members(api, laggard).containsAll(
                        List.of("laggard", "sleeper")));

                var listeners = new ArrayList<Api.Stream>();
                for (int i = 0; i < LISTENERS; i++) {
                    var stream = api.stream("/room/" + ROOM + "?timeout=3600&history=0", api.login("reader" + i, null));
                    assertThat(stream.status()).isEqualTo(200);
                    listeners.add(stream);
                }
                var received = new ArrayList<Future<List<JsonNode>>>();
                for (var stream : listeners) {
                    received.add(workers.submit(() -> readMessages(stream, MESSAGES)));
                }

                var acked = flood(api, workers);
                assertThat(acked).hasSize(MESSAGES);
                var ackedSeqs = acked.keySet().stream().sorted().toList();
                for (var future : received) {
                    var messages = future.get(PER_LINE.toSeconds() * 2, TimeUnit.SECONDS);
                    assertThat(messages).hasSize(MESSAGES);
                    assertThat(messages.stream().map(m -> m.path("seq").asLong()).toList())
                            .as("every message, in order").isEqualTo(ackedSeqs);
                    for (var m : messages) {
                        assertThat(m.path("text").asText()).isEqualTo(acked.get(m.path("seq").asLong()));
                    }
                }
                listeners.forEach(Api.Stream::close);
                long lastSeq = ackedSeqs.getLast();

                // The laggard starts reading: what was buffered, then the end line its overflow caused.
                var laggardItems = readStream(laggardSocket, null);
                var end = laggardItems.getLast();
                assertThat(end.path("type").asText()).as("the laggard's stream ends with the end line").isEqualTo("end");
                long since = end.path("since").asLong();
                assertThat(since).as("cut off before the end of the flood").isLessThan(lastSeq);
                var laggardEvents = laggardItems.subList(0, laggardItems.size() - 1);
                assertThat(laggardEvents.getLast().path("seq").asLong()).isEqualTo(since);
                assertResumeGetsTheRest(api, laggard, laggardEvents, since);

                // The sleeper's writer is stuck in a socket write; the server still ends the stream (its idle
                // timeout fails the write), which shows as the sleeper leaving the room.
                long start = System.nanoTime();
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                        .until(() -> !members(api, laggard).contains("sleeper"));
                System.out.printf("slow readers: the stalled stream was ended %d ms after the flood%n",
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                // Jetty keeps the connection itself open for another idle period after the failed write; what
                // the kernel had buffered is all there is to read.
                var sleeperItems = readStream(sleeperSocket, Duration.ofSeconds(3));
                var sleeperEvents = sleeperItems.stream().filter(i -> i.has("seq")).toList();
                long sleeperSince = sleeperEvents.isEmpty() ? 0 : sleeperEvents.getLast().path("seq").asLong();
                assertThat(sleeperSince).isLessThan(lastSeq);
                assertResumeGetsTheRest(api, sleeper, sleeperEvents, sleeperSince);
            }
        }
    }

    /** Posts {@value #MESSAGES} messages from {@value #SENDERS} senders; returns seq -> text of the 201s. */
    private ConcurrentHashMap<Long, String> flood(Api api, ExecutorService workers) throws Exception {
        var acked = new ConcurrentHashMap<Long, String>();
        var slowest = new AtomicLong();
        var failures = new ConcurrentLinkedQueue<String>();
        var senders = new ArrayList<Future<?>>();
        long start = System.nanoTime();
        for (int s = 0; s < SENDERS; s++) {
            var token = api.login("sender" + s, null);
            var prefix = "s" + s + "-";
            senders.add(workers.submit(() -> {
                for (int n = 0; n < MESSAGES / SENDERS; n++) {
                    long before = System.nanoTime();
                    var reply = api.sendText(ROOM, token, prefix + n + PADDING);
                    slowest.accumulateAndGet(System.nanoTime() - before, Math::max);
                    if (reply.status() != 201) {
                        failures.add(reply.toString());
                    } else {
                        acked.put(reply.json().path("seq").asLong(), prefix + n + PADDING);
                    }
                }
            }));
        }
        for (var sender : senders) {
            sender.get(120, TimeUnit.SECONDS);
        }
        System.out.printf("slow readers: %d posts in %d ms, slowest post %d ms%n", MESSAGES,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), TimeUnit.NANOSECONDS.toMillis(slowest.get()));
        assertThat(failures).isEmpty();
        assertThat(Duration.ofNanos(slowest.get())).as("the slowest post").isLessThan(PER_POST);
        return acked;
    }

    /** The next {@code count} messages of a stream, each of which must come within {@link #PER_LINE}. */
    private List<JsonNode> readMessages(Api.Stream stream, int count) throws Exception {
        var messages = new ArrayList<JsonNode>();
        while (messages.size() < count) {
            var line = stream.nextLine(PER_LINE);
            assertThat(line).as("the stream ended after %d messages", messages.size()).isNotNull();
            var item = json.mapper().readTree(line);
            if (item.path("type").asText().equals("message")) {
                messages.add(item);
            }
        }
        return messages;
    }

    /** Resuming from {@code since} yields the rest of the room: together with what came before, all of it once. */
    private void assertResumeGetsTheRest(Api api, String token, List<JsonNode> before, long since) throws Exception {
        var resumed = new ArrayList<JsonNode>();
        try (var stream = api.stream("/room/" + ROOM + "?timeout=0&since=" + since, token)) {
            for (var line : stream.readToEnd(Duration.ofSeconds(30))) {
                resumed.add(json.mapper().readTree(line));
            }
        }
        var end = resumed.removeLast();
        assertThat(end.path("type").asText()).isEqualTo("end");
        var seqs = new ArrayList<Long>();
        before.forEach(e -> seqs.add(e.path("seq").asLong()));
        resumed.forEach(e -> seqs.add(e.path("seq").asLong()));
        long first = seqs.getFirst();
        var expected = new ArrayList<Long>();
        for (long seq = first; seq <= end.path("since").asLong(); seq++) {
            expected.add(seq);
        }
        assertThat(seqs).as("every event from the stalled stream's first on, once, in order").isEqualTo(expected);
    }

    private List<String> members(Api api, String token) {
        var names = new ArrayList<String>();
        api.get("/room/" + ROOM + "/members", token).json().forEach(u -> names.add(u.path("name").asText()));
        return names;
    }

    /** A stream request on a socket with a small receive buffer that nobody reads from. */
    private static Socket stalledStream(TestServer server, String token) throws IOException {
        var socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
        socket.getOutputStream().write(("GET /room/" + ROOM + "?timeout=3600&history=0 HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\nAuthorization: Bearer " + token + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return socket;
    }

    /**
     * Reads a stalled stream and returns its complete JSON lines: to the end of the connection, which must come
     * within 30 s, or, given {@code quiet}, until nothing more arrives for that long.
     */
    private List<JsonNode> readStream(Socket socket, Duration quiet) throws IOException {
        var bytes = readAll(socket, Duration.ofSeconds(30), quiet);
        var text = new String(bytes, StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\r\n\r\n");
        assertThat(headEnd).as("a response head").isPositive();
        assertThat(text).startsWith("HTTP/1.1 200");
        // With "Connection: close" Jetty may send the body as is, up to the close, rather than chunked.
        var chunked = text.substring(0, headEnd).toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked");
        var body = chunked ? dechunk(bytes, headEnd + 4) : java.util.Arrays.copyOfRange(bytes, headEnd + 4, bytes.length);
        var items = new ArrayList<JsonNode>();
        var lines = new String(body, StandardCharsets.UTF_8).split("\n", -1);
        // The last piece is what followed the last newline: empty, or a line the server never finished.
        for (int i = 0; i < lines.length - 1; i++) {
            items.add(json.mapper().readTree(lines[i]));
        }
        return items;
    }

    private static byte[] readAll(Socket socket, Duration deadline, Duration quiet) throws IOException {
        long end = System.nanoTime() + deadline.toNanos();
        var out = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        var buffer = new byte[65536];
        while (true) {
            long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
            assertThat(left).as("the server did not close the stalled stream in time").isPositive();
            socket.setSoTimeout((int) (quiet == null ? left : Math.min(left, quiet.toMillis())));
            int n;
            try {
                n = in.read(buffer);
            } catch (SocketTimeoutException e) {
                if (quiet != null) {
                    return out.toByteArray();
                }
                continue;
            } catch (IOException e) {
                return out.toByteArray(); // reset after an aborted write: what arrived is what counts
            }
            if (n < 0) {
                return out.toByteArray();
            }
            out.write(buffer, 0, n);
        }
    }

    /** The payload of the complete chunks of a chunked body (a stream cut off mid-chunk keeps what it got). */
    private static byte[] dechunk(byte[] bytes, int pos) {
        var body = new ByteArrayOutputStream();
        while (true) {
            int lineEnd = indexOfCrLf(bytes, pos);
            if (lineEnd < 0) {
                return body.toByteArray();
            }
            var sizeText = new String(bytes, pos, lineEnd - pos, StandardCharsets.US_ASCII).strip();
            int size = Integer.parseInt(sizeText.split(";")[0], 16);
            pos = lineEnd + 2;
            if (size == 0) {
                return body.toByteArray();
            }
            int available = Math.min(size, bytes.length - pos);
            body.write(bytes, pos, available);
            if (available < size) {
                return body.toByteArray();
            }
            pos += size + 2;
        }
    }

    private static int indexOfCrLf(byte[] bytes, int from) {
        for (int i = from; i + 1 < bytes.length; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
