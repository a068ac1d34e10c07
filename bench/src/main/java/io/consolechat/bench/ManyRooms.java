package io.consolechat.bench;

import io.consolechat.protocol.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What it costs the server that clients follow many rooms: C clients, each in the same K rooms, follow them
 * either with one {@code GET /room/{room}} per room ({@code --mode single}: C*K connections) or with one
 * {@code GET /stream?rooms=...} each ({@code --mode multi}: C connections). The streams are held idle, then
 * messages are posted to the rooms at a steady rate; the server's RSS and CPU are reported for both phases.
 * Each stream is a plain socket read on a virtual thread that counts the message lines it sees. Raise the
 * server's send rate ({@code --server-arg=--send-rate=1000000}): one user posts all the messages.
 */
@Command(name = "rooms", mixinStandardHelpOptions = true,
        description = "C clients in K rooms each: one stream per room, or one multi-room stream per client.")
final class ManyRooms extends WorkloadCommand {
    private static final long MIB = 1024 * 1024;
    private static final byte[] MESSAGE = "\"type\":\"message\"".getBytes(StandardCharsets.US_ASCII);

    enum Mode { SINGLE, MULTI }

    @Option(names = "--mode", description = "single (a stream per room) or multi (one /stream) (default ${DEFAULT-VALUE}).")
    Mode mode = Mode.MULTI;

    @Option(names = {"-C", "--clients"}, description = "Clients (default ${DEFAULT-VALUE}).")
    int clients = 50;

    @Option(names = {"-K", "--rooms"}, description = "Rooms each client follows (default ${DEFAULT-VALUE}).")
    int rooms = 20;

    @Option(names = "--hold", description = "Seconds the streams are held idle (default ${DEFAULT-VALUE}).")
    int hold = 10;

    @Option(names = {"-R", "--rate"}, description = "Messages per second, over all rooms (default ${DEFAULT-VALUE}).")
    int rate = 20;

    @Option(names = {"-D", "--duration"}, description = "Seconds of sending (default ${DEFAULT-VALUE}).")
    int duration = 20;

    @Override
    public List<Result> run(ServerUnderTest server, CommonOptions options) throws Exception {
        var json = new Json();
        var base = Workload.freshRoom(name());
        var roomNames = IntStream.range(0, rooms).mapToObj(i -> base + "-" + i).toList();
        int connections = mode == Mode.SINGLE ? clients * rooms : clients;
        var sources = options.sources(server, connections);
        var tokens = new Users(server.address(), sources, json).anonymous(clients + 1);
        var senderToken = tokens.get(clients);
        var seen = new AtomicLong();
        var opened = new CountDownLatch(connections);
        var sockets = new ArrayList<Socket>();
        var figures = new LinkedHashMap<String, Object>();
        figures.put("connections", connections);
        Result.Usage idleUse;
        Result.Usage sendUse;
        Result.Usage loadUse;
        long sent = 0;
        long failed = 0;
        try (var calls = new ChatCalls(server.address(), sources.roundRobin(0), json)) {
            for (int c = 0; c < clients; c++) {
                List<String> paths = mode == Mode.SINGLE
                        ? roomNames.stream().map(r -> "/room/" + r + "?history=0&timeout=3600").toList()
                        : List.of("/stream?history=0&timeout=3600&rooms=" + String.join(",", roomNames));
                for (var path : paths) {
                    var socket = new Socket();
                    var local = sources.forConnection(sockets.size(), connections);
                    if (local != null) {
                        socket.bind(new InetSocketAddress(local, 0));
                    }
                    socket.connect(server.address());
                    sockets.add(socket);
                    var token = tokens.get(c);
                    Thread.ofVirtual().start(() -> read(socket, path, token, server, opened, seen));
                }
            }
            if (!opened.await(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException(opened.getCount() + " of " + connections + " streams did not open");
            }
            // Let the join events settle before measuring.
            Thread.sleep(2000);
            seen.set(0);
            var idle = UsageMeter.start(server);
            Thread.sleep(Duration.ofSeconds(hold));
            idleUse = idle.server();
            figures.put("serverRssIdleMiB", server.stats().map(s -> s.rssBytes() / MIB).orElse(null));

            var sending = UsageMeter.start(server);
            long start = System.nanoTime();
            long total = (long) rate * duration;
            for (long m = 0; m < total; m++) {
                long due = start + m * 1_000_000_000L / rate;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(Duration.ofNanos(wait));
                }
                var response = calls.send(roomNames.get((int) (m % rooms)), senderToken, "bench " + m);
                if (response.status() == 201) {
                    sent++;
                } else {
                    failed++;
                }
            }
            long expected = sent * clients;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (seen.get() < expected && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            sendUse = sending.server();
            loadUse = sending.load();
            figures.put("serverRssAfterSendingMiB", server.stats().map(s -> s.rssBytes() / MIB).orElse(null));
            figures.put("messagesSent", sent);
            figures.put("messagesRefused", failed);
            figures.put("deliveriesExpected", expected);
            figures.put("deliveriesSeen", seen.get());
        } finally {
            for (var socket : sockets) {
                socket.close();
            }
        }
        if (idleUse != null) {
            figures.put("serverCpuPercentIdle", idleUse.cpuPercentOfCore());
            figures.put("serverCpuPercentSending", sendUse.cpuPercentOfCore());
        }
        var targets = List.of(new Result.Target("every delivery seen", figures.get("deliveriesSeen") + " of "
                + figures.get("deliveriesExpected"), figures.get("deliveriesSeen").equals(figures.get("deliveriesExpected"))));
        return List.of(new Result(name(), "mode=" + mode.name().toLowerCase(Locale.ROOT) + " C=" + clients + " K="
                + rooms + " R=" + rate + " D=" + duration, String.format(Locale.ROOT, "%d connections", connections),
                null, null, sendUse, loadUse, targets, figures));
    }

    /** Sends the request, waits for the head, then counts the message lines until the socket closes. */
    private static void read(Socket socket, String path, String token, ServerUnderTest server, CountDownLatch opened,
                             AtomicLong seen) {
        try (socket) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + server.address().getHostString() + "\r\nAuthorization: Bearer "
                    + token + "\r\nAccept: application/x-ndjson\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            var buffer = new byte[16 * 1024];
            boolean head = false;
            int matched = 0;
            int n;
            var start = new StringBuilder();
            while ((n = in.read(buffer)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (!head) {
                        start.append((char) buffer[i]);
                        if (start.length() >= 12 && start.indexOf("\r\n\r\n") >= 0) {
                            if (!start.substring(9, 12).equals("200")) {
                                System.err.println("stream refused: " + start.toString().lines().findFirst().orElse(""));
                                return;
                            }
                            head = true;
                            opened.countDown();
                        }
                        continue;
                    }
                    // Counts each message line once; chunk framing never falls inside this short pattern.
                    matched = buffer[i] == MESSAGE[matched] ? matched + 1 : (buffer[i] == MESSAGE[0] ? 1 : 0);
                    if (matched == MESSAGE.length) {
                        seen.incrementAndGet();
                        matched = 0;
                    }
                }
            }
        } catch (IOException e) {
            // Closed at the end of the run.
        }
    }
}
