package io.consolechat.server.testing;

import io.consolechat.server.ChatServer;
import io.consolechat.server.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.UnaryOperator;

/**
 * A real server on a free port with its own temporary data directory. {@link #restart()} stops it and
 * starts a new one on the same directory (and, when possible, the same port).
 */
public final class TestServer implements AutoCloseable {
    private final ServerConfig config;
    private ChatServer server;
    private int stoppedPort;
    private final boolean ownsDataDir;

    private TestServer(ServerConfig config, boolean ownsDataDir) {
        this.config = config;
        this.ownsDataDir = ownsDataDir;
        this.server = ChatServer.start(config);
    }

    /** Defaults for tests: loopback, port 0, a short presence grace. */
    public static TestServer start() {
        return start(c -> c);
    }

    public static TestServer start(UnaryOperator<ServerConfig> customize) {
        try {
            var dir = Files.createTempDirectory("console-chat-test");
            var config = ServerConfig.defaults().withHost("127.0.0.1").withPort(0).withDataDir(dir)
                    .withPresenceGrace(Duration.ofMillis(300));
            return new TestServer(customize.apply(config), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI uri() {
        return server.uri();
    }

    public int port() {
        return server.port();
    }

    public Path dataDir() {
        return config.dataDir();
    }

    public ServerConfig config() {
        return config;
    }

    /** Stops the server (as on SIGTERM) and starts a new one on the same data directory and port. */
    public void restart() {
        int port = server.port();
        server.close();
        server = ChatServer.start(config.withPort(port));
    }

    /** Stops the server without removing its data. */
    public void stop() {
        // Read before closing: a stopped Jetty no longer reports the port it had.
        stoppedPort = server.port();
        server.close();
    }

    /** Starts again after {@link #stop()}, on the same data directory and port. */
    public void startAgain() {
        server = ChatServer.start(config.withPort(stoppedPort));
    }

    @Override
    public void close() {
        server.close();
        if (ownsDataDir) {
            try (var paths = Files.walk(config.dataDir())) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // A leftover temp directory is harmless.
            }
        }
    }
}
