package io.consolechat.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Samples CPU time of the server and of this process at the start of a phase and reports the difference, in all
 * and by thread.
 */
final class UsageMeter {
    private final Supplier<Optional<ProcessStats>> serverStats;
    private final long startNanos;
    private final Optional<ProcessStats> serverAtStart;
    private final ProcessStats selfAtStart;

    private UsageMeter(Supplier<Optional<ProcessStats>> serverStats) {
        this.serverStats = serverStats;
        this.startNanos = System.nanoTime();
        this.serverAtStart = serverStats.get();
        this.selfAtStart = ProcessStats.self();
    }

    static UsageMeter start(ServerUnderTest server) {
        return start(server::stats);
    }

    /** Measures the server whose stats {@code serverStats} reads (empty when it is not ours to measure). */
    static UsageMeter start(Supplier<Optional<ProcessStats>> serverStats) {
        return new UsageMeter(serverStats);
    }

    /** The server's use since the start; null when the server is not ours to measure. */
    Result.Usage server() {
        return serverAtStart.map(start -> {
            var now = serverStats.get().orElseThrow();
            return usage(start, now, now.peakRssBytes() / (1024 * 1024));
        }).orElse(null);
    }

    Result.Usage load() {
        return usage(selfAtStart, ProcessStats.self(), null);
    }

    private Result.Usage usage(ProcessStats start, ProcessStats end, Long peakMiB) {
        double seconds = end.cpu().minus(start.cpu()).toMillis() / 1000.0;
        double wall = (System.nanoTime() - startNanos) / 1e9;
        var byThread = new LinkedHashMap<String, Double>();
        end.threadsSince(start).entrySet().stream()
                .sorted(Map.Entry.<String, Duration>comparingByValue().reversed())
                .forEach(spent -> byThread.put(spent.getKey(), spent.getValue().toMillis() / 1000.0));
        return new Result.Usage(seconds, Math.round(1000 * seconds / wall) / 10.0, peakMiB, byThread);
    }
}
