package io.consolechat.server.testing;

import io.consolechat.server.ChatServer;
import io.consolechat.server.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.UnaryOperator;

/**
 * A real server on a free port with its own temporary data directory. {@link #restart()} stops it and
 * starts a new one on the same directory (and, when possible, the same port).
 */
public final class TestServer implements AutoCloseable {
    private final ServerConfig config;
    private final Clock clock;
    private ChatServer server;
    private final boolean ownsDataDir;

    private TestServer(ServerConfig config, Clock clock, boolean ownsDataDir) {
        this.config = config;
        this.clock = clock;
        this.ownsDataDir = ownsDataDir;
        this.server = ChatServer.start(config, clock);
    }

    /** Defaults for tests: loopback, port 0, a short presence grace. */
    public static TestServer start() {
        return start(c -> c);
    }

    public static TestServer start(UnaryOperator<ServerConfig> customize) {
        return start(customize, Clock.systemUTC());
    }

    /** A server that reads time from {@code clock} (for example a {@link TestClock}), also after restarts. */
    public static TestServer start(UnaryOperator<ServerConfig> customize, Clock clock) {
        try {
            var dir = Files.createTempDirectory("console-chat-test");
            var config = ServerConfig.defaults().withHost("127.0.0.1").withPort(0).withDataDir(dir)
                    .withPresenceGrace(Duration.ofMillis(300));
            return new TestServer(customize.apply(config), clock, true);
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
        server = ChatServer.start(config.withPort(port), clock);
    }

    /** Stops the server without removing its data. */
    public void stop() {
        server.close();
    }

    /** Starts again after {@link #stop()}, on the same data directory and port. */
    public void startAgain() {
        server = ChatServer.start(config.withPort(server.port()), clock);
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
