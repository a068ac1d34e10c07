package io.consolechat.app;

import io.consolechat.client.cli.ClientCommands;
import io.consolechat.client.cli.ClientEnvironment;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code console-chat startup-training}: the training run from which the launcher builds the JVM's
 * ahead-of-time cache (JDK 25+). It runs the short client commands against a throwaway server, so the
 * cache holds what they load: picocli, Jackson, the HTTP client and the client's classes. The server
 * runs in a JVM of its own: every class the training loads is loaded again at each start from the
 * cache, and the server's thousands would slow every client command down.
 * Everything goes to a temporary directory, saved logins included; only errors are printed.
 */
@Command(name = "startup-training", hidden = true,
        description = "Run the client commands once against a throwaway server (for the launcher's start-up cache).")
final class StartupTraining implements Callable<Integer> {
    private static final String ROOM = "training";
    private static final String READY = "console-chat server listening on ";

    @Override
    public Integer call() throws IOException, InterruptedException {
        var dir = Files.createTempDirectory("console-chat-training");
        var server = startServer(dir.resolve("data"));
        try {
            var url = awaitUrl(server);
            var environment = new ClientEnvironment(InputStream.nullInputStream(),
                    Map.of("XDG_CONFIG_HOME", dir.resolve("config").toString()), false);
            int failures = 0;
            for (var args : List.of(
                    List.of("--version"),
                    List.of("send", "--help"),
                    List.of("send", ROOM, "hello", "--server", url),
                    List.of("history", ROOM, "--server", url),
                    List.of("history", ROOM, "--json", "--server", url),
                    List.of("listen", ROOM, "--since", "0", "--count", "1", "--server", url),
                    List.of("listen", ROOM, "--since", "0", "--count", "1", "--json", "--server", url),
                    List.of("who", ROOM, "--server", url),
                    List.of("rooms", "--server", url))) {
                failures += run(environment, args) == 0 ? 0 : 1;
            }
            return failures == 0 ? 0 : 1;
        } finally {
            server.destroy();
            server.waitFor();
            delete(dir);
        }
    }

    /** {@code console-chat server} on loopback and a free port, with this JVM's java and class path. */
    private static Process startServer(Path dataDir) throws IOException {
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "server", "--host", "127.0.0.1", "--port", "0", "--data-dir", dataDir.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    /** The URL the server prints once it listens; it prints nothing else on stdout. */
    private static String awaitUrl(Process server) throws IOException {
        var out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        for (var line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith(READY)) {
                return line.substring(READY.length()).split(" ", 2)[0];
            }
        }
        throw new IOException("the training server did not start");
    }

    /** Runs one command as {@link Main} would, on {@code environment}; its output is thrown away, not its errors. */
    private static int run(ClientEnvironment environment, List<String> args) {
        var argv = args.toArray(String[]::new);
        var line = Main.commandLine(ClientCommands.factory(environment), argv);
        line.setOut(new PrintWriter(Writer.nullWriter()));
        int code = line.execute(argv);
        if (code != 0) {
            System.err.println("startup-training: console-chat " + String.join(" ", args) + " exited with " + code);
        }
        return code;
    }

    private static void delete(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
