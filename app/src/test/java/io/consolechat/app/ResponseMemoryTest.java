package io.consolechat.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.consolechat.server.testing.Api;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that ask for large answers and never read them, against a real server in its own JVM with a
 * 512 MiB heap, as an operator would run it: the server must stay within its heap, answer each of them with
 * the data or a clear 503, and keep answering {@code /health} quickly meanwhile.
 */
class ResponseMemoryTest {
    private static final String READY = "console-chat server listening on ";
    /** What a user would wait for a health check before calling the server down. */
    private static final Duration HEALTHY = Duration.ofSeconds(1);

    @TempDir
    Path dir;

    private Process server;
    private URI uri;
    private final List<Socket> idle = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (var socket : idle) {
            socket.close();
        }
        if (server != null) {
            server.destroyForcibly();
            server.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void historyAnswersThatNoClientReadsStayWithinTheHeap() throws Exception {
        start("--idle-timeout", "5");
        var api = new Api(uri);
        var token = api.anonymousToken();
        // 500 messages of 4,000 emoji: each full page of history is about 8 MB of JSON.
        var text = "\uD83D\uDE00".repeat(4000);
        for (int i = 0; i < 500; i++) {
            assertThat(api.sendText("big", token, text).status()).isEqualTo(201);
        }

        // Without a bound, 80 such answers held at once need well over 512 MiB.
        var request = "GET /room/big/messages?limit=500 HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token
                + "\r\n\r\n";
        var health = HealthProbe.start(uri);
        for (int i = 0; i < 80; i++) {
            idle.add(sendAndNeverRead(request));
        }
        // Held while /health is asked 30 times (3 s or more): long enough for every request to be built,
        // held or refused.
        var holding = System.nanoTime();
        int before = health.checks();
        await().atMost(Duration.ofSeconds(30)).until(() -> health.checks() >= before + 30);
        var slowest = health.stop();
        var rss = residentKib();
        var statuses = statuses(idle);
        System.out.printf("history: %d clients, statuses %s, slowest /health %d ms, RSS %d KiB (peak %d KiB), held %d ms%n",
                idle.size(), count(statuses), slowest.toMillis(), rss[0], rss[1],
                Duration.ofNanos(System.nanoTime() - holding).toMillis());

        assertThat(log()).doesNotContain("OutOfMemoryError");
        assertThat(server.isAlive()).isTrue();
        assertThat(statuses).allMatch(s -> s == 200 || s == 503);
        assertThat(slowest).isLessThan(HEALTHY);

        // A writer its client does not read is cut off at the idle timeout, and what it held is free again.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(api.get("/room/big/messages?limit=500", token).status()).isEqualTo(200));
    }

    @Test
    void streamsOfLongHistoryThatNoClientReadsStayWithinTheHeap() throws Exception {
        start();
        var api = new Api(uri);
        var poster = api.anonymousToken();
        // The attack as it was found: 500 messages of 4,000 emoji, and 200 streams from one address (its limit),
        // each asking for all 500 of them, none read. Unbounded, each such stream held 16 to 24 MB.
        var text = "\uD83D\uDE00".repeat(4000);
        for (int i = 0; i < 500; i++) {
            assertThat(api.sendText("big", poster, text).status()).isEqualTo(201);
        }
        var health = HealthProbe.start(uri);
        // Twenty streams per user is the per-user limit: ten users make the 200.
        for (int user = 0; user < 10; user++) {
            var token = api.anonymousToken();
            var request = "GET /room/big?history=500&timeout=3600 HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                    + token + "\r\n\r\n";
            for (int i = 0; i < 20; i++) {
                idle.add(sendAndNeverRead(request));
            }
        }
        // Held while /health is asked 100 times (10 s or more): every stream opens and fills what it may hold.
        int before = health.checks();
        await().atMost(Duration.ofSeconds(60)).until(() -> health.checks() >= before + 100);
        var slowest = health.stop();
        var rss = residentKib();
        var statuses = statuses(idle);
        System.out.printf("streams: %d clients, statuses %s, slowest /health %d ms of %d checks, RSS %d KiB (peak %d KiB)%n",
                idle.size(), count(statuses), slowest.toMillis(), health.checks() - before, rss[0], rss[1]);

        assertThat(log()).doesNotContain("OutOfMemoryError");
        assertThat(server.isAlive()).isTrue();
        assertThat(statuses).allMatch(s -> s == 200 || s == 503);
        assertThat(slowest).isLessThan(HEALTHY);
    }

    @Test
    void roomListsThatNoClientReadsLeaveTheServerResponsive() throws Exception {
        start("--room-rate", "100000");
        var api = new Api(uri);
        var token = api.anonymousToken();
        var rooms = IntStream.range(0, 600).mapToObj(i -> "room-with-a-fairly-long-name-" + i).toList();
        for (var room : rooms) {
            assertThat(api.sendText(room, token, "hello").status()).isEqualTo(201);
        }

        var request = "GET /rooms?limit=500 HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token + "\r\n\r\n";
        var health = HealthProbe.start(uri);
        for (int i = 0; i < 300; i++) {
            idle.add(sendAndNeverRead(request));
        }
        int before = health.checks();
        await().atMost(Duration.ofSeconds(30)).until(() -> health.checks() >= before + 30);
        var slowest = health.stop();
        var rss = residentKib();
        var statuses = statuses(idle);
        System.out.printf("rooms: %d clients, statuses %s, slowest /health %d ms, RSS %d KiB (peak %d KiB)%n",
                idle.size(), count(statuses), slowest.toMillis(), rss[0], rss[1]);

        assertThat(log()).doesNotContain("OutOfMemoryError");
        assertThat(server.isAlive()).isTrue();
        assertThat(statuses).allMatch(s -> s == 200 || s == 503);
        assertThat(slowest).isLessThan(HEALTHY);
    }

    private void start(String... flags) throws Exception {
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // The launcher's settings for its default heap (./console-chat), and one more: an OutOfMemoryError the
        // server catches and turns into a 500 is not always logged, so any of them ends the process, with a
        // line saying so.
        var command = new ArrayList<>(List.of(java, "-Xmx512m", "-Xms32m", "-XX:+UseSerialGC",
                "-XX:+ExitOnOutOfMemoryError", "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "server", "--host", "127.0.0.1",
                "--port", "0", "--data-dir", dir.resolve("data").toString(), "--send-rate", "10000",
                "--send-burst", "10000"));
        command.addAll(List.of(flags));
        server = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("server.log").toFile())).start();
        await().atMost(Duration.ofSeconds(60)).until(() -> log().contains(READY) || !server.isAlive());
        var log = log();
        var line = log.lines().filter(l -> l.startsWith(READY)).findFirst()
                .orElseThrow(() -> new AssertionError("the server did not start: " + log));
        uri = URI.create(line.substring(READY.length()).strip().split("\\s+")[0]);
    }

    private String log() throws IOException {
        var file = dir.resolve("server.log");
        return Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "";
    }

    /** A client with a small window that sends its request and then reads nothing. */
    private Socket sendAndNeverRead(String request) throws IOException {
        var socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5000);
        OutputStream out = socket.getOutputStream();
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    /** The status of each answer (0 when none came), read only now, at the end. */
    private static List<Integer> statuses(List<Socket> sockets) throws IOException {
        var statuses = new ArrayList<Integer>();
        for (var socket : sockets) {
            socket.setSoTimeout(10_000);
            try {
                var line = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                        .readLine();
                statuses.add(line == null ? 0 : Integer.parseInt(line.split(" ")[1]));
            } catch (SocketTimeoutException e) {
                statuses.add(0);
            } catch (IOException e) {
                // Reset by the server: it cut the connection before a status line reached the client.
                statuses.add(-1);
            }
        }
        return statuses;
    }

    private static String count(List<Integer> statuses) {
        var counts = new java.util.TreeMap<Integer, Integer>();
        statuses.forEach(s -> counts.merge(s, 1, Integer::sum));
        return counts.toString();
    }

    /** The child's resident set now and at its peak, in KiB, from /proc (Linux). */
    private long[] residentKib() throws IOException {
        var status = Path.of("/proc", Long.toString(server.pid()), "status");
        if (!Files.exists(status)) {
            return new long[] {-1, -1};
        }
        long now = -1;
        long peak = -1;
        for (var line : Files.readAllLines(status)) {
            if (line.startsWith("VmRSS:")) {
                now = Long.parseLong(line.replaceAll("\\D", ""));
            } else if (line.startsWith("VmHWM:")) {
                peak = Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return new long[] {now, peak};
    }

    /** Asks {@code /health} over and over on its own connections and keeps the slowest answer's time. */
    private static final class HealthProbe {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong slowestNanos = new AtomicLong();
        private final AtomicInteger checks = new AtomicInteger();
        private final CompletableFuture<Void> done = new CompletableFuture<>();

        static HealthProbe start(URI uri) {
            var probe = new HealthProbe();
            Thread.ofPlatform().daemon().start(() -> probe.run(uri));
            return probe;
        }

        private void run(URI uri) {
            try {
                while (running.get()) {
                    long started = System.nanoTime();
                    try (var socket = new Socket()) {
                        socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 10_000);
                        socket.setSoTimeout(10_000);
                        socket.getOutputStream().write(
                                "GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                                        .getBytes(StandardCharsets.US_ASCII));
                        var line = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                                StandardCharsets.US_ASCII)).readLine();
                        if (line == null || !line.contains(" 200 ")) {
                            slowestNanos.set(Long.MAX_VALUE);
                        }
                    } catch (IOException e) {
                        slowestNanos.set(Long.MAX_VALUE);
                    }
                    slowestNanos.accumulateAndGet(System.nanoTime() - started, Math::max);
                    checks.incrementAndGet();
                    // The probe's own pace: one check every 100 ms is what a watchdog might do.
                    LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
                }
                done.complete(null);
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        }

        int checks() {
            return checks.get();
        }

        Duration stop() throws Exception {
            running.set(false);
            done.get(30, TimeUnit.SECONDS);
            return Duration.ofNanos(slowestNanos.get());
        }
    }
}
