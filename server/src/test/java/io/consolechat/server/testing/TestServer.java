package io.consolechat.server.testing;

import io.consolechat.server.ChatServer;
import io.consolechat.server.config.LoginPolicy;
import io.consolechat.server.config.Rate;
import io.consolechat.server.config.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.Consumer;

/**
 * A real server on a free port with its own temporary data directory. {@link #restart()} stops it and
 * starts a new one on the same directory (and, when possible, the same port).
 */
public final class TestServer implements AutoCloseable {
    private final ServerConfig config;
    private final Clock clock;
    private ChatServer server;
    private int port;
    private final boolean ownsDataDir;

    private TestServer(ServerConfig config, Clock clock, boolean ownsDataDir) {
        this.config = config;
        this.clock = clock;
        this.ownsDataDir = ownsDataDir;
        this.server = ChatServer.start(config, clock);
        this.port = server.port();
    }

    /**
     * Defaults for tests: loopback, port 0, a short presence grace, and sending, login, failed-login, new-room
     * and join limits high enough that tests of other things, which make many users, messages, rooms and
     * wrong passwords from one address, are not throttled. Tests of the limits set them on {@code config.limits}.
     */
    public static TestServer start() {
        return start(c -> { });
    }

    public static TestServer start(Consumer<ServerConfig> customize) {
        return start(customize, Clock.systemUTC());
    }

    /** A server that reads the time from {@code clock} (token expiry, event times), e.g. a {@link ManualClock}. */
    public static TestServer start(Consumer<ServerConfig> customize, Clock clock) {
        try {
            var config = testConfig(Files.createTempDirectory("console-chat-test"));
            customize.accept(config);
            return new TestServer(config, clock, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The test defaults above, on the data directory {@code dataDir}. */
    public static ServerConfig testConfig(Path dataDir) {
        var config = new ServerConfig();
        config.network.host = "127.0.0.1";
        config.network.port = 0;
        config.storage.dataDir = dataDir;
        config.presence.grace = Duration.ofMillis(300);
        relaxLimits(config.limits);
        return config;
    }

    /** Moves sending, token creation, failed logins, new rooms and joins out of the way. */
    public static void relaxLimits(ServerConfig.Limits limits) {
        var noThrottle = new LoginPolicy(100_000, Duration.ZERO, Duration.ZERO, 100_000, Duration.ZERO);
        limits.send = Rate.perSecond(100_000, 100_000);
        limits.tokens = new Rate(100_000, 100_000, Duration.ofSeconds(1));
        limits.addressLogins = noThrottle;
        limits.accountLogins = noThrottle;
        limits.newRooms = Rate.perSecond(100_000, 100_000);
        limits.joins = Rate.perSecond(100_000, 100_000);
    }

    /** The bytes the server's open streams hold that their clients have not taken yet. */
    public io.consolechat.server.http.StreamBudget streamBytes() {
        return server.streamBytes();
    }

    public URI uri() {
        return server.uri();
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return config.storage.dataDir;
    }

    public ServerConfig config() {
        return config;
    }

    /** Stops the server (as on SIGTERM) and starts a new one on the same data directory and port. */
    public void restart() {
        server.close();
        config.network.port = port;
        server = ChatServer.start(config, clock);
    }

    /** Stops the server without removing its data. */
    public void stop() {
        // Read before closing: a stopped Jetty no longer reports the port it had.
        port = server.port();
        server.close();
    }

    /** Starts again after {@link #stop()}, on the same data directory and port. */
    public void startAgain() {
        config.network.port = port;
        server = ChatServer.start(config, clock);
    }

    @Override
    public void close() {
        server.close();
        if (ownsDataDir) {
            try (var paths = Files.walk(config.storage.dataDir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // A leftover temp directory is harmless.
            }
        }
    }
}
