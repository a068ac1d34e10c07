package io.consolechat.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * The server a workload runs against: one given by URL, or a fresh one started in its own JVM on a
 * temporary data directory, so that its CPU time and memory can be read apart from the load side's.
 */
final class ServerUnderTest implements AutoCloseable {
    private static final String READY = "console-chat server listening on ";
    private static final String MAIN_CLASS = "io.consolechat.app.Main";

    /** One URI, or several of servers that share a database, which the workloads spread their load over. */
    private final List<URI> uris;
    private final Process process;
    private final Path dataDir;

    private ServerUnderTest(List<URI> uris, Process process, Path dataDir) {
        this.uris = List.copyOf(uris);
        this.process = process;
        this.dataDir = dataDir;
    }

    static ServerUnderTest external(List<URI> uris) {
        return new ServerUnderTest(uris, null, null);
    }

    /**
     * Starts {@code console-chat server} with this JVM's java and class path, on loopback, port 0 and a new
     * temporary data directory, and waits for its "listening on" line.
     */
    static ServerUnderTest start(List<String> jvmOptions, List<String> serverArgs) throws IOException {
        var dataDir = Files.createTempDirectory("console-chat-bench");
        var java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        var command = new ArrayList<String>();
        command.add(java);
        command.add("--enable-native-access=ALL-UNNAMED");
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), MAIN_CLASS,
                "server", "--host", "127.0.0.1", "--port", "0", "--data-dir", dataDir.toString()));
        command.addAll(serverArgs);
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        var ready = new CompletableFuture<URI>();
        var output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Thread.ofPlatform().name("server-output").daemon(true).start(() -> {
            try {
                for (var line = output.readLine(); line != null; line = output.readLine()) {
                    int at = line.indexOf(READY);
                    if (at >= 0 && !ready.isDone()) {
                        var rest = line.substring(at + READY.length());
                        int space = rest.indexOf(' ');
                        ready.complete(URI.create(space < 0 ? rest : rest.substring(0, space)));
                    } else if (!line.isBlank()) {
                        System.err.println("server: " + line);
                    }
                }
                ready.completeExceptionally(new IOException("the server exited with " + process.waitFor()));
            } catch (IOException | InterruptedException e) {
                ready.completeExceptionally(e);
            }
        });
        try {
            return new ServerUnderTest(List.of(ready.get(60, TimeUnit.SECONDS)), process, dataDir);
        } catch (java.util.concurrent.ExecutionException | TimeoutException | InterruptedException e) {
            process.destroyForcibly();
            deleteTree(dataDir);
            throw new IOException("the server did not start: " + e.getMessage(), e);
        }
    }

    /** The first server's URI. */
    URI uri() {
        return uris.getFirst();
    }

    /** The first server's address: workloads that do not spread their load use that one. */
    InetSocketAddress address() {
        return addresses().getFirst();
    }

    /** Every server's address, in the order given. */
    List<InetSocketAddress> addresses() {
        return uris.stream().map(uri -> new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 80 : uri.getPort()))
                .toList();
    }

    /** CPU time and memory of the server, when this started it. */
    Optional<ProcessStats> stats() {
        return process == null ? Optional.empty() : Optional.of(ProcessStats.of(process.pid()));
    }

    /** Stops a server this started, as SIGTERM would (its streams end, the database is closed), and removes its data. */
    @Override
    public void close() {
        if (process == null) {
            return;
        }
        stop(process, Duration.ofSeconds(20));
        deleteTree(dataDir);
    }

    /** Stops {@code process} as SIGTERM would, and kills it if it has not exited within {@code grace}. */
    static void stop(Process process, Duration grace) {
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("could not remove " + dir + ": " + e.getMessage());
        }
    }
}
