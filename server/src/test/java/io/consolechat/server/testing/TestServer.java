package io.consolechat.server.testing;

import io.consolechat.server.ChatServer;
import io.consolechat.server.Limits;
import io.consolechat.server.ServerConfig;
import io.consolechat.server.auth.LoginThrottle;
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
     * Defaults for tests: loopback, port 0, a short presence grace, and sending, login and failed-login
     * limits high enough that tests of other things, which make many users, messages and wrong passwords
     * from one address, are not throttled. Tests of the limits set them with {@code config.withLimits(...)}.
     */
    public static TestServer start() {
        return start(c -> c);
    }

    public static TestServer start(UnaryOperator<ServerConfig> customize) {
        return start(customize, Clock.systemUTC());
    }

    /** A server that reads the time from {@code clock} (token expiry, event times), e.g. a {@link ManualClock}. */
    public static TestServer start(UnaryOperator<ServerConfig> customize, Clock clock) {
        try {
            var dir = Files.createTempDirectory("console-chat-test");
            var config = ServerConfig.defaults().withHost("127.0.0.1").withPort(0).withDataDir(dir)
                    .withPresenceGrace(Duration.ofMillis(300))
                    .withLimits(relaxedLimits());
            return new TestServer(customize.apply(config), clock, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The default limits with sending, token creation and failed logins out of the way. */
    public static Limits relaxedLimits() {
        var limits = Limits.defaults();
        var noThrottle = new LoginThrottle.Policy(100_000, Duration.ZERO, Duration.ZERO, 100_000, Duration.ZERO);
        return limits.withSend(Limits.Rate.perSecond(100_000, 100_000))
                .withTokens(new Limits.Rate(100_000, 100_000, Duration.ofSeconds(1)))
                .withAddressLogins(noThrottle)
                .withAccountLogins(noThrottle);
    }

    public URI uri() {
        return server.uri();
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return config.dataDir();
    }

    public ServerConfig config() {
        return config;
    }

    /** Stops the server (as on SIGTERM) and starts a new one on the same data directory and port. */
    public void restart() {
        server.close();
        server = ChatServer.start(config.withPort(port), clock);
    }

    /** Stops the server without removing its data. */
    public void stop() {
        // Read before closing: a stopped Jetty no longer reports the port it had.
        port = server.port();
        server.close();
    }

    /** Starts again after {@link #stop()}, on the same data directory and port. */
    public void startAgain() {
        server = ChatServer.start(config.withPort(port), clock);
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
