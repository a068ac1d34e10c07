package io.consolechat.bench;

import io.consolechat.protocol.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** N open streams that re-poll at their timeout; then one message, timed to its arrival at all of them. */
@Command(name = "idle", mixinStandardHelpOptions = true,
        description = "Hold N open streams (re-polling at their timeout), post a message, time its arrival at all.")
final class Idle extends WorkloadCommand {
    private static final long MIB = 1024 * 1024;
    /** The sender id of the warm-up messages: the listeners check and time sender 0's only. */
    private static final int WARMUP_SENDER = 1;

    @Option(names = {"-N", "--streams"}, description = "Open streams (default ${DEFAULT-VALUE}).")
    int streams = 10_000;

    @Option(names = "--poll-timeout", description = "Each stream's timeout in seconds; it polls again "
            + "with since= when it ends (default ${DEFAULT-VALUE}).")
    int pollTimeout = 30;

    @Option(names = "--hold", description = "Seconds to hold the streams open before posting (default ${DEFAULT-VALUE}).")
    int hold = 10;

    @Option(names = "--messages", description = "Messages to post, one a second (default ${DEFAULT-VALUE}).")
    int messages = 1;

    @Option(names = "--streams-per-user", description = "Streams sharing one user (default ${DEFAULT-VALUE}).")
    int streamsPerUser = 20;

    @Option(names = "--warmup-messages", description = "Messages posted once the streams are open, before the "
            + "hold, that every stream reads but nobody times: the JIT of the server and of this load generator "
            + "compiles the delivery to every stream and the reading of it then, not while a timed message is on "
            + "its way (default ${DEFAULT-VALUE}).")
    int warmupMessages = 5;

    /**
     * Posts the warm-up messages as a sender the listeners do not check, each once the one before reached
     * every stream; the number that reached all of them.
     */
    private int warmUp(StreamListeners listeners, ChatCalls calls, String room, String token)
            throws java.io.IOException, InterruptedException {
        int read = 0;
        for (int m = 0; m < warmupMessages; m++) {
            var text = new BenchMessage(WARMUP_SENDER, m, System.nanoTime()).text();
            if (calls.send(room, token, text).status() != 201
                    || !listeners.awaitUncounted((long) streams * (m + 1), Duration.ofSeconds(10))) {
                break;
            }
            read++;
        }
        return read;
    }

    @Override
    public List<Result> run(ServerUnderTest server, CommonOptions options) throws Exception {
        var json = new Json();
        var room = Workload.freshRoom(name());
        int users = (streams + streamsPerUser - 1) / streamsPerUser;
        var sources = options.sources(server, streams);
        var tokens = new Users(server.address(), sources, json).anonymous(users + 1);
        var senderToken = tokens.get(users);

        var figures = new LinkedHashMap<String, Object>();
        Result.Correctness correctness;
        Result.Latency latency;
        Result.Usage serverUse;
        Result.Usage loadUse;
        long confirmed = 0;
        long failed = 0;
        try (var listeners = new StreamListeners(server.address(), pollTimeout, 200);
             var calls = new ChatCalls(server.address(), sources.roundRobin(0), json)) {
            long openStart = System.nanoTime();
            // Stream i belongs to user i % users: every user's first stream (and join event) comes first,
            // while few streams are open to receive the joins; the rest open without presence changes.
            for (int i = 0; i < streams; i++) {
                listeners.add(new StreamListener(i, tokens.get(i % users), room, sources.forConnection(i, streams), 1));
            }
            if (!listeners.awaitOpen(streams, Duration.ofSeconds(300))) {
                throw new IllegalStateException("only " + listeners.open() + " of " + streams
                        + " streams opened; last error: " + listeners.lastError());
            }
            double openSeconds = (System.nanoTime() - openStart) / 1e9;
            figures.put("room", room);
            figures.put("users", users);
            figures.put("sourceAddresses", sources.size());
            figures.put("secondsToOpenAll", Report.round(openSeconds));
            figures.put("warmupMessagesRead", warmUp(listeners, calls, room, senderToken));
            var meter = UsageMeter.start(server);
            Thread.sleep(Duration.ofSeconds(hold));
            var held = meter.server();
            figures.put("serverRssAfterHoldMiB", server.stats().map(s -> s.rssBytes() / MIB).orElse(null));
            if (held != null) {
                figures.put("serverCpuPercentWhileHolding", held.cpuPercentOfCore());
            }
            figures.put("loadCpuPercentWhileHolding", meter.load().cpuPercentOfCore());
            listeners.takeLatencies();
            var allSent = new java.util.BitSet[] {new java.util.BitSet()};
            boolean delivered = true;
            for (int m = 0; m < messages; m++) {
                var response = calls.send(room, senderToken, new BenchMessage(0, m, System.nanoTime()).text());
                if (response.status() == 201) {
                    confirmed++;
                    allSent[0].set(m);
                } else {
                    failed++;
                    figures.put("lastSendError", response.status() + " " + response.text());
                }
                delivered &= listeners.awaitDeliveries((long) streams * confirmed, Duration.ofSeconds(10));
                if (m + 1 < messages) {
                    Thread.sleep(1000);
                }
            }
            serverUse = meter.server();
            loadUse = meter.load();
            figures.put("allDeliveredWithin10s", delivered);
            figures.put("repolls", listeners.repolls());
            figures.put("streamErrors", listeners.errors());
            latency = Result.Latency.ofMicros("from the post to the line read by each stream", listeners.takeLatencies());
            listeners.close();
            correctness = listeners.tally(allSent);
        }
        figures.put("messagesConfirmed", confirmed);
        figures.put("messagesFailed", failed);
        var targets = new ArrayList<Result.Target>();
        targets.add(new Result.Target("0 lost, duplicated, reordered",
                correctness.lost() + "/" + correctness.duplicated() + "/" + correctness.reordered(),
                correctness.clean() && confirmed == messages));
        if (serverUse != null) {
            targets.add(new Result.Target("server RSS <= 1024 MiB", serverUse.peakRssMiB() + " MiB (peak)",
                    serverUse.peakRssMiB() <= 1024));
        }
        targets.add(new Result.Target("last delivery <= 500 ms", Report.number(latency.max()) + " ms",
                latency.max() <= 500 && correctness.lost() == 0));
        return List.of(new Result(name(), "N=" + streams + " timeout=" + pollTimeout + "s hold=" + hold + "s",
                String.format(Locale.ROOT, "%d streams held", streams),
                latency, correctness, serverUse, loadUse, targets, figures));
    }
}
