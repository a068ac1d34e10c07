package io.consolechat.bench;

import java.util.Optional;

/** Samples CPU time of the server and of this process at the start of a phase and reports the difference. */
final class UsageMeter {
    private final ServerUnderTest server;
    private final long startNanos;
    private final Optional<ProcessStats> serverAtStart;
    private final ProcessStats selfAtStart;

    private UsageMeter(ServerUnderTest server) {
        this.server = server;
        this.startNanos = System.nanoTime();
        this.serverAtStart = server.stats();
        this.selfAtStart = ProcessStats.self();
    }

    static UsageMeter start(ServerUnderTest server) {
        return new UsageMeter(server);
    }

    /** The server's use since the start; null when the server is not ours to measure. */
    Result.Usage server() {
        return serverAtStart.map(start -> {
            var now = server.stats().orElseThrow();
            return usage(start, now, now.peakRssBytes() / (1024 * 1024));
        }).orElse(null);
    }

    Result.Usage load() {
        return usage(selfAtStart, ProcessStats.self(), null);
    }

    private Result.Usage usage(ProcessStats start, ProcessStats end, Long peakMiB) {
        double seconds = end.cpu().minus(start.cpu()).toMillis() / 1000.0;
        double wall = (System.nanoTime() - startNanos) / 1e9;
        return new Result.Usage(seconds, Math.round(1000 * seconds / wall) / 10.0, peakMiB);
    }
}
