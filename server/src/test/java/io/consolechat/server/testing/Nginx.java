package io.consolechat.server.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real nginx in front of test servers, running the configuration the documentation gives
 * ({@code docs/nginx/console-chat.conf}) with the test's ports in place of the documented ones.
 */
public final class Nginx implements AutoCloseable {
    /** The configuration file the documentation and this test share, relative to the repository. */
    public static final Path CONFIGURATION = Path.of("docs", "nginx", "console-chat.conf");
    private static final List<String> DOCUMENTED_UPSTREAMS = List.of("127.0.0.1:8081", "127.0.0.1:8082");

    private final Process process;
    private final Path dir;
    private final int port;

    private Nginx(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /** The nginx binary, if one is installed. */
    public static Optional<Path> binary() {
        for (var candidate : List.of("/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Optional.of(Path.of(candidate));
            }
        }
        return Optional.empty();
    }

    /** Starts nginx on a free loopback port in front of the servers on {@code upstreamPorts} (two of them). */
    public static Nginx start(int... upstreamPorts) {
        try {
            var dir = Files.createTempDirectory("console-chat-nginx");
            int port = freePort();
            var site = Files.readString(repositoryFile(CONFIGURATION));
            site = replaceOnce(site, "listen 80;", "listen 127.0.0.1:" + port + ";");
            for (int i = 0; i < DOCUMENTED_UPSTREAMS.size(); i++) {
                site = replaceOnce(site, "server " + DOCUMENTED_UPSTREAMS.get(i), "server 127.0.0.1:" + upstreamPorts[i]);
            }
            Files.writeString(dir.resolve("console-chat.conf"), site);
            var root = "root".equals(System.getProperty("user.name"));
            Files.writeString(dir.resolve("nginx.conf"), String.join("\n",
                    root ? "user root;" : "",
                    "worker_processes 1;",
                    "pid " + dir.resolve("nginx.pid") + ";",
                    "error_log " + dir.resolve("error.log") + " warn;",
                    "events { worker_connections 256; }",
                    "http {",
                    "  access_log " + dir.resolve("access.log") + ";",
                    "  client_body_temp_path " + dir.resolve("body") + ";",
                    "  proxy_temp_path " + dir.resolve("proxy") + ";",
                    "  include " + dir.resolve("console-chat.conf") + ";",
                    "}", ""));
            var process = new ProcessBuilder(binary().orElseThrow().toString(), "-p", dir.toString(),
                    "-e", dir.resolve("error.log").toString(), "-c", dir.resolve("nginx.conf").toString(),
                    "-g", "daemon off;")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
            var nginx = new Nginx(process, dir, port);
            nginx.awaitReady();
            return nginx;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady() {
        var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError("nginx exited: " + Files.readString(dir.resolve("nginx.out"))
                        + Files.readString(dir.resolve("error.log")));
            }
            var health = http.send(HttpRequest.newBuilder(uri().resolve("/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            return health.statusCode() == 200;
        });
    }

    private static String replaceOnce(String text, String documented, String replacement) {
        if (!text.contains(documented)) {
            throw new IllegalStateException(CONFIGURATION + " no longer contains '" + documented + "'");
        }
        return text.replace(documented, replacement);
    }

    private static Path repositoryFile(Path relative) {
        for (var dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve(relative))) {
                return dir.resolve(relative);
            }
        }
        throw new IllegalStateException("cannot find " + relative + " above " + Path.of("").toAbsolutePath());
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
