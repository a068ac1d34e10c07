package io.consolechat.bench;

import io.consolechat.protocol.Json;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Anonymous sessions per second, then registered logins per second. The second is bound by Argon2id
 * (19 MiB, 2 passes) on purpose: that cost is what makes stolen password hashes expensive to crack.
 */
@Command(name = "login", mixinStandardHelpOptions = true,
        description = "Anonymous sessions per second, then registered logins per second (Argon2id-bound).")
final class Login extends WorkloadCommand {
    private static final String PASSWORD = "bench-password-1";

    @Option(names = {"-C", "--clients"}, description = "Concurrent clients (default ${DEFAULT-VALUE}).")
    int clients = 4;

    @Option(names = {"-D", "--duration"}, description = "Seconds of each phase (default ${DEFAULT-VALUE}).")
    int duration = 10;

    @Option(names = "--accounts", description = "Registered accounts to create and log in to (default ${DEFAULT-VALUE}).")
    int accounts = 8;

    private interface Call {
        HttpConnection.Response make(ChatCalls calls, int client, long i) throws IOException;
    }

    private record Phase(long ok, long failed, double seconds, org.HdrHistogram.Histogram micros, String lastError,
                         Result.Usage server, Result.Usage load) {
    }

    @Override
    public List<Result> run(ServerUnderTest server, CommonOptions options) throws Exception {
        var json = new Json();
        var sources = options.sources(server, clients);
        var prefix = "b" + Long.toString(System.nanoTime() & 0xffffffffL, 36) + "-";

        // Warm-up: the same calls, unmeasured, so the JIT has compiled them.
        phase(server, sources, json, Duration.ofSeconds(Math.min(duration, 3)), 200, (calls, client, i) -> calls.session());
        var anonymous = phase(server, sources, json, Duration.ofSeconds(duration), 200,
                (calls, client, i) -> calls.session());
        var created = phase(server, sources, json, null, 201,
                (calls, client, i) -> i < accounts ? calls.login(prefix + i, PASSWORD) : null);
        var registered = phase(server, sources, json, Duration.ofSeconds(duration), 200,
                (calls, client, i) -> calls.login(prefix + (i % accounts), PASSWORD));

        var anonFigures = new LinkedHashMap<String, Object>();
        anonFigures.put("sessionsPerSecond", Report.round(anonymous.ok() / anonymous.seconds()));
        anonFigures.put("failed", anonymous.failed());
        var regFigures = new LinkedHashMap<String, Object>();
        regFigures.put("loginsPerSecond", Report.round(registered.ok() / registered.seconds()));
        regFigures.put("failed", registered.failed());
        regFigures.put("accountsCreated", created.ok());
        regFigures.put("accountsCreatedPerSecond", Report.round(created.ok() / created.seconds()));
        for (var phase : List.of(anonymous, created, registered)) {
            if (phase.lastError() != null) {
                (phase == anonymous ? anonFigures : regFigures).put("lastError", phase.lastError());
            }
        }
        var params = "C=" + clients + " D=" + duration;
        return List.of(
                new Result("login-anonymous", params,
                        String.format(Locale.ROOT, "%.0f sessions/s", anonymous.ok() / anonymous.seconds()),
                        Result.Latency.ofMicros("of POST /session", anonymous.micros()), null,
                        anonymous.server(), anonymous.load(),
                        List.of(new Result.Target("no failures", anonymous.failed() + " failed", anonymous.failed() == 0)),
                        anonFigures),
                new Result("login-registered", params + " accounts=" + accounts,
                        String.format(Locale.ROOT, "%.1f logins/s", registered.ok() / registered.seconds()),
                        Result.Latency.ofMicros("of POST /login with a password", registered.micros()), null,
                        registered.server(), registered.load(),
                        List.of(new Result.Target("no failures", registered.failed() + created.failed() + " failed",
                                registered.failed() + created.failed() == 0 && created.ok() == accounts)),
                        regFigures));
    }

    /**
     * Clients calling in a closed loop for {@code duration}, or, with no duration, until the call gives
     * null (a fixed amount of work, shared out by a counter).
     */
    private Phase phase(ServerUnderTest server, SourceAddresses sources, Json json, Duration duration, int expected,
                        Call call) throws InterruptedException {
        var ok = new AtomicLong();
        var failed = new AtomicLong();
        var next = new AtomicLong();
        var micros = new Recorder(3);
        var lastError = new java.util.concurrent.atomic.AtomicReference<String>();
        var meter = UsageMeter.start(server);
        long start = System.nanoTime();
        long end = duration == null ? Long.MAX_VALUE : start + duration.toNanos();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < clients; c++) {
                int client = c;
                pool.submit(() -> {
                    try (var calls = new ChatCalls(server.address(), sources.roundRobin(client), json)) {
                        while (System.nanoTime() < end) {
                            long began = System.nanoTime();
                            var response = call.make(calls, client, next.getAndIncrement());
                            if (response == null) {
                                return;
                            }
                            if (response.status() == expected) {
                                ok.incrementAndGet();
                                micros.recordValue((System.nanoTime() - began) / 1000);
                            } else {
                                failed.incrementAndGet();
                                lastError.set(response.status() + " " + response.text());
                            }
                        }
                    } catch (IOException | RuntimeException e) {
                        failed.incrementAndGet();
                        lastError.set(e.toString());
                    }
                });
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Phase(ok.get(), failed.get(), seconds, micros.getIntervalHistogram(), lastError.get(),
                meter.server(), meter.load());
    }
}
