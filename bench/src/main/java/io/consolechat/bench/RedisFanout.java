package io.consolechat.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The fan-out workload against Redis pub/sub instead of a chat server, as the yardstick the fan-out's
 * targets are set against: L subscribers of one channel, senders publishing R messages a second, measured
 * and reported as {@code bench fanout} measures and reports a chat server.
 */
@Command(name = "redis-fanout", mixinStandardHelpOptions = true,
        description = {"The fanout workload against Redis pub/sub, for comparison: L subscribers of one channel, "
                + "senders publishing R messages/s in total for D seconds.",
            "Starts its own redis-server (nothing persisted) on a free loopback port and reports its CPU and memory."},
        exitCodeListHeading = BenchCommand.EXIT_CODES, exitCodeList = {BenchCommand.OK, BenchCommand.FAILED})
final class RedisFanout implements Callable<Integer> {
    @Option(names = {"-L", "--listeners"}, description = "Subscribers (default ${DEFAULT-VALUE}).")
    int listeners = 1000;

    @Option(names = {"-R", "--rate"}, description = "Messages per second, all senders together (default ${DEFAULT-VALUE}).")
    double rate = 100;

    @Option(names = {"-D", "--duration"}, description = "Seconds of sending (default ${DEFAULT-VALUE}).")
    int duration = 30;

    @Option(names = "--warmup", description = "Seconds of sending at the same rate before measuring "
            + "(default ${DEFAULT-VALUE}).")
    int warmup = 5;

    @Option(names = "--redis-server", paramLabel = "PROGRAM",
            description = "The redis-server to start (default ${DEFAULT-VALUE}).")
    String program = "redis-server";

    @Option(names = "--json", description = "Print the result as JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        var results = List.of(run());
        if (json) {
            Report.json(results, System.out);
        } else {
            System.out.println();
            Report.table(results, System.out);
        }
        return 0;
    }

    Result run() throws Exception {
        // The same number of senders as bench fanout: one per 5 messages a second.
        int senders = (int) Math.max(1, Math.ceil(rate / 5));
        var channel = Workload.freshRoom("redis-fanout");
        try (var redis = RedisServer.start(program, listeners + 2 * senders + 100);
             var subscribers = new RedisSubscribers(redis.address(), channel, listeners, senders)) {
            if (!subscribers.awaitSubscribed(Duration.ofSeconds(60))) {
                throw new IllegalStateException("only " + subscribers.subscribedCount() + " of " + listeners
                        + " subscribed; last error: " + subscribers.lastError());
            }
            if (warmup > 0) {
                publish(redis.address(), channel, senders, senders, Duration.ofSeconds(warmup));
            }
            subscribers.takeLatencies();
            var meter = UsageMeter.start(() -> Optional.of(redis.stats()));
            var outcome = publish(redis.address(), channel, senders, 0, Duration.ofSeconds(duration));
            boolean drained = subscribers.awaitDeliveries(outcome.confirmedCount() * listeners, Duration.ofSeconds(10));
            var serverUse = meter.server();
            var loadUse = meter.load();
            var latency = Result.Latency.ofMicros("from the scheduled publish to the message read by each subscriber",
                    subscribers.takeLatencies());
            subscribers.close();
            var correctness = subscribers.tally(outcome.confirmed());

            var figures = new LinkedHashMap<String, Object>();
            figures.put("channel", channel);
            figures.put("warmupSeconds", warmup);
            figures.put("senders", senders);
            figures.put("messagesConfirmed", outcome.confirmedCount());
            figures.put("messagesFailed", outcome.failed());
            figures.put("drainedWithin10s", drained);
            if (outcome.lastError() != null) {
                figures.put("lastSendError", outcome.lastError());
            }
            double sentPerSecond = outcome.confirmedCount() / (double) duration;
            var targets = List.of(new Result.Target("0 lost, duplicated, reordered",
                    correctness.lost() + "/" + correctness.duplicated() + "/" + correctness.reordered(),
                    correctness.clean()));
            return new Result(
                    "redis-fanout",
                    "L=" + listeners + " R=" + Report.number(rate) + " D=" + duration,
                    String.format(Locale.ROOT, "%.0f msg/s -> %.0f deliveries/s", sentPerSecond,
                            correctness.deliveries() / (double) duration),
                    latency, correctness, serverUse, loadUse, targets, figures);
        }
    }

    /** What the senders had confirmed (an integer reply to PUBLISH), per sender. */
    record Outcome(BitSet[] confirmed, long confirmedCount, long failed, String lastError) {
    }

    /**
     * Publishes on {@code bench fanout}'s {@link OpenLoop} schedule. The senders' ids start at
     * {@code firstId}: subscribers expecting lower ids ignore the others.
     */
    private Outcome publish(InetSocketAddress redis, String channel, int senders, int firstId, Duration length)
            throws InterruptedException {
        var schedule = OpenLoop.of(rate, length, senders);
        var confirmed = new BitSet[senders];
        var failed = new AtomicLong();
        var lastError = new AtomicReference<String>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int s = 0; s < senders; s++) {
                int sender = s;
                confirmed[s] = new BitSet();
                pool.submit(() -> {
                    try (var connection = SocketChannel.open(redis)) {
                        connection.setOption(StandardSocketOptions.TCP_NODELAY, true);
                        var reply = ByteBuffer.allocate(64);
                        for (int n = 0; ; n++) {
                            long due = schedule.awaitTurn(sender, n);
                            if (due < 0) {
                                return;
                            }
                            var text = new BenchMessage(firstId + sender, n, due).text();
                            var request = ByteBuffer.wrap(RedisSubscribers.Resp.command("PUBLISH", channel, text));
                            while (request.hasRemaining()) {
                                connection.write(request);
                            }
                            if (readLine(connection, reply).startsWith(":")) {
                                synchronized (confirmed[sender]) {
                                    confirmed[sender].set(n);
                                }
                            } else {
                                failed.incrementAndGet();
                            }
                        }
                    } catch (IOException | RuntimeException e) {
                        failed.incrementAndGet();
                        lastError.set("sender " + sender + " stopped: " + e);
                    }
                });
            }
        }
        long count = 0;
        for (var set : confirmed) {
            synchronized (set) {
                count += set.cardinality();
            }
        }
        return new Outcome(confirmed, count, failed.get(), lastError.get());
    }

    /** Reads one reply line (up to its CRLF) of a request that was answered with exactly one line. */
    private static String readLine(SocketChannel connection, ByteBuffer buffer) throws IOException {
        buffer.clear();
        while (buffer.position() < 2 || buffer.get(buffer.position() - 2) != '\r'
                || buffer.get(buffer.position() - 1) != '\n') {
            if (!buffer.hasRemaining() || connection.read(buffer) < 0) {
                throw new IOException("no reply line from redis");
            }
        }
        return new String(buffer.array(), 0, buffer.position() - 2, StandardCharsets.US_ASCII);
    }
}
