package io.consolechat.bench;

import io.consolechat.protocol.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** P senders posting as fast as they can for D seconds; a listener checks that every message arrives. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = "P senders posting as fast as they can (closed loop) for D seconds.")
final class Ingest extends WorkloadCommand {

    @Option(names = {"-P", "--senders"}, description = "Concurrent senders, one user each (default ${DEFAULT-VALUE}).")
    int senders = 32;

    @Option(names = {"-D", "--duration"}, description = "Seconds of sending (default ${DEFAULT-VALUE}).")
    int duration = 20;

    @Option(names = "--listeners", description = "Streams checking delivery (default ${DEFAULT-VALUE}).")
    int listeners = 1;

    @Option(names = "--warmup", description = "Seconds of sending before measuring, so the server's JIT "
            + "has compiled the hot path (default ${DEFAULT-VALUE}).")
    int warmup = 5;

    @Override
    public List<Result> run(ServerUnderTest server, CommonOptions options) throws Exception {
        var json = new Json();
        var room = Workload.freshRoom(name());
        var sources = options.sources(server, listeners + senders);
        var tokens = new Users(server.address(), sources, json).anonymous(listeners + senders);
        var sending = new Senders(server.addresses(), sources, json, room, tokens.subList(listeners, tokens.size()));

        Senders.Outcome outcome;
        Result.Correctness correctness;
        Result.Latency delivery;
        Result.Usage serverUse;
        Result.Usage loadUse;
        boolean drained;
        try (var streams = new StreamListeners(server.addresses(), Math.min(3600, duration + 120), 50)) {
            for (int i = 0; i < listeners; i++) {
                streams.add(new StreamListener(i, tokens.get(i), room, sources.forConnection(i, listeners), senders));
            }
            if (!streams.awaitOpen(listeners, Duration.ofSeconds(60))) {
                throw new IllegalStateException("streams did not open: " + streams.lastError());
            }
            if (warmup > 0) {
                sending.warmUp().asFastAsPossible(Duration.ofSeconds(warmup));
            }
            streams.takeLatencies();
            var meter = UsageMeter.start(server);
            outcome = sending.asFastAsPossible(Duration.ofSeconds(duration));
            serverUse = meter.server();
            loadUse = meter.load();
            drained = streams.awaitDeliveries(outcome.confirmedCount() * listeners, Duration.ofSeconds(10));
            delivery = Result.Latency.ofMicros("from the send to the line read", streams.takeLatencies());
            streams.close();
            correctness = streams.tally(outcome.confirmed());
        }
        double perSecond = outcome.confirmedCount() / (double) duration;
        var latency = Result.Latency.ofMicros("from the send to the 201 (durable)", outcome.ackMicros());
        var figures = new LinkedHashMap<String, Object>();
        figures.put("room", room);
        figures.put("warmupSeconds", warmup);
        figures.put("messagesConfirmed", outcome.confirmedCount());
        figures.put("messagesFailed", outcome.failed());
        figures.put("durableMessagesPerSecond", Report.round(perSecond));
        figures.put("drainedWithin10s", drained);
        figures.put("deliveryLatency", delivery);
        if (outcome.lastError() != null) {
            figures.put("lastSendError", outcome.lastError());
        }
        var targets = new ArrayList<Result.Target>();
        targets.add(new Result.Target("0 lost, duplicated, reordered",
                correctness.lost() + "/" + correctness.duplicated() + "/" + correctness.reordered(),
                correctness.clean()));
        targets.add(new Result.Target(">= 10000 durable msg/s", String.format(Locale.ROOT, "%.0f msg/s", perSecond),
                perSecond >= 10_000));
        targets.add(new Result.Target("p99 <= 50 ms", Report.number(latency.p99()) + " ms", latency.p99() <= 50));
        return List.of(new Result(name(), "P=" + senders + " D=" + duration,
                String.format(Locale.ROOT, "%.0f durable msg/s", perSecond),
                latency, correctness, serverUse, loadUse, targets, figures));
    }
}
