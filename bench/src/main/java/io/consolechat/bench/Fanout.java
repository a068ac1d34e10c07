package io.consolechat.bench;

import io.consolechat.protocol.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** L listeners on one room; senders post R messages a second in total for D seconds. */
@Command(name = "fanout", mixinStandardHelpOptions = true,
        description = "L listeners on one room, senders posting R messages/s in total for D seconds.")
final class Fanout extends WorkloadCommand {

    @Option(names = {"-L", "--listeners"}, description = "Open streams on the room (default ${DEFAULT-VALUE}).")
    int listeners = 1000;

    @Option(names = {"-R", "--rate"}, description = "Messages per second, all senders together (default ${DEFAULT-VALUE}).")
    double rate = 100;

    @Option(names = {"-D", "--duration"}, description = "Seconds of sending (default ${DEFAULT-VALUE}).")
    int duration = 30;

    @Option(names = "--senders", description = "Sending users; 0 = one per 5 messages/s, which stays under a "
            + "per-user limit of 10/s (default ${DEFAULT-VALUE}).")
    int senders = 0;

    @Option(names = "--streams-per-user", description = "Listeners sharing one user (default ${DEFAULT-VALUE}).")
    int streamsPerUser = 20;

    /**
     * Thirty seconds: at R=400 with five, the server's C2 compiler was still compiling the path of a post
     * (Jetty's, the commit's) and recompiling the fan-out's for 3.1 to 4.7 s of the 15 s measured, on the
     * cores the fan-out needs; with thirty, 0.4 s (docs/BENCHMARKS.md).
     */
    @Option(names = "--warmup", description = "Seconds of sending at the same rate before measuring, "
            + "so the server's JIT has compiled the hot path (default ${DEFAULT-VALUE}).")
    int warmup = 30;

    @Option(names = "--p99-target-ms", hidden = true)
    double p99TargetMs = 50;

    @Override
    public List<Result> run(ServerUnderTest server, CommonOptions options) throws Exception {
        var json = new Json();
        var room = Workload.freshRoom(name());
        int senderCount = senders > 0 ? senders : (int) Math.max(1, Math.ceil(rate / 5));
        int listenerUsers = (listeners + streamsPerUser - 1) / streamsPerUser;
        var sources = options.sources(server, listeners);
        var tokens = new Users(server.address(), sources, json).anonymous(listenerUsers + senderCount);
        var sending = new Senders(server.addresses(), sources, json, room, tokens.subList(listenerUsers, tokens.size()));

        Senders.Outcome outcome;
        Result.Correctness correctness;
        Result.Latency latency;
        Result.Usage serverUse;
        Result.Usage loadUse;
        boolean drained;
        try (var streams = new StreamListeners(server.addresses(), Math.min(3600, duration + 120), 200)) {
            for (int i = 0; i < listeners; i++) {
                streams.add(new StreamListener(i, tokens.get(i % listenerUsers), room,
                        sources.forConnection(i, listeners), senderCount));
            }
            if (!streams.awaitOpen(listeners, Duration.ofSeconds(120))) {
                throw new IllegalStateException("only " + streams.open() + " of " + listeners
                        + " streams opened; last error: " + streams.lastError());
            }
            if (warmup > 0) {
                sending.warmUp().atRate(rate, Duration.ofSeconds(warmup));
            }
            streams.takeLatencies();
            var meter = UsageMeter.start(server);
            outcome = sending.atRate(rate, Duration.ofSeconds(duration));
            drained = streams.awaitDeliveries(outcome.confirmedCount() * listeners, Duration.ofSeconds(10));
            serverUse = meter.server();
            loadUse = meter.load();
            latency = Result.Latency.ofMicros("from the scheduled send to the line read by each listener",
                    streams.takeLatencies());
            streams.close();
            correctness = streams.tally(outcome.confirmed());
        }
        double sentPerSecond = outcome.confirmedCount() / (double) duration;
        var figures = new LinkedHashMap<String, Object>();
        figures.put("room", room);
        figures.put("warmupSeconds", warmup);
        figures.put("senders", senderCount);
        figures.put("listenerUsers", listenerUsers);
        figures.put("sourceAddresses", sources.size());
        figures.put("messagesConfirmed", outcome.confirmedCount());
        figures.put("messagesFailed", outcome.failed());
        figures.put("messagesPerSecond", Report.round(sentPerSecond));
        figures.put("deliveriesPerSecond", Report.round(correctness.deliveries() / (double) duration));
        figures.put("drainedWithin10s", drained);
        figures.put("postLatency", Result.Latency.ofMicros("from the scheduled send to the 201", outcome.ackMicros()));
        if (outcome.lastError() != null) {
            figures.put("lastSendError", outcome.lastError());
        }
        var targets = new ArrayList<Result.Target>();
        targets.add(new Result.Target("0 lost, duplicated, reordered",
                correctness.lost() + "/" + correctness.duplicated() + "/" + correctness.reordered(),
                correctness.clean()));
        targets.add(new Result.Target("p99 <= " + Report.number(p99TargetMs) + " ms", Report.number(latency.p99()) + " ms",
                latency.p99() <= p99TargetMs));
        targets.add(new Result.Target("rate held (" + Report.number(rate) + "/s)", Report.number(Report.round(sentPerSecond)) + "/s, "
                + outcome.failed() + " failed", sentPerSecond >= rate * 0.99 && outcome.failed() == 0));
        return List.of(new Result(name(), "L=" + listeners + " R=" + Report.number(rate) + " D=" + duration,
                String.format(Locale.ROOT, "%.0f msg/s -> %.0f deliveries/s", sentPerSecond,
                        correctness.deliveries() / (double) duration),
                latency, correctness, serverUse, loadUse, targets, figures));
    }

}
