package io.consolechat.server.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real server in a child JVM on the test's class path, so that a test can kill it with SIGKILL
 * ({@link Process#destroyForcibly()}) and start another on the same data directory.
 */
public final class ServerProcess implements AutoCloseable {
    private static final Duration START_DEADLINE = Duration.ofSeconds(60);

    private final Process process;
    private final URI uri;

    private ServerProcess(Process process, URI uri) {
        this.process = process;
        this.uri = uri;
    }

    /** Starts a server on {@code dataDir}; its log goes to {@code log} (appended). */
    public static ServerProcess start(Path dataDir, Path log) {
        return launch(List.of(ChildServer.class.getName(), dataDir.toString()), log, ChildServer.READY);
    }

    /**
     * Starts a server on the PostgreSQL database {@code database} with the given presence grace period and
     * lease; {@code dataDir} holds nothing but must exist.
     */
    public static ServerProcess start(Path dataDir, String database, Duration grace, Duration lease, Path log) {
        return launch(List.of(ChildServer.class.getName(), dataDir.toString(), database,
                Long.toString(grace.toMillis()), Long.toString(lease.toMillis())), log, ChildServer.READY);
    }

    /**
     * Runs {@code mainClassAndArgs} on the test's class path and waits for the line starting with
     * {@code readyPrefix}, whose next word is the server's URL.
     */
    public static ServerProcess launch(List<String> mainClassAndArgs, Path log, String readyPrefix) {
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var command = new java.util.ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path")));
        command.addAll(mainClassAndArgs);
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the server process", e);
        }
        var ready = new CompletableFuture<URI>();
        Thread.ofVirtual().start(() -> {
            try (var out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith(readyPrefix)) {
                        ready.complete(URI.create(line.substring(readyPrefix.length()).strip().split("\\s+")[0]));
                    }
                }
            } catch (IOException e) {
                // The process died; the future below says so.
            } finally {
                ready.completeExceptionally(new IllegalStateException("the server process ended before it listened"));
            }
        });
        try {
            return new ServerProcess(process, ready.get(START_DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
        } catch (ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            throw new AssertionError("the server did not start within " + START_DEADLINE + "; see " + log, e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public URI uri() {
        return uri;
    }

    /** SIGKILL: no shutdown hook, no graceful close, no end lines; waits until the process is gone. */
    public void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError("the server process did not die");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGTERM, as an operator's Ctrl-C or service manager sends it; returns the exit code. */
    public int terminate() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError("the server process did not stop after SIGTERM");
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }
}
