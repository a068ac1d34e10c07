package io.consolechat.server;

import io.consolechat.server.auth.Accounts.Lifetimes;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything the server can be told. {@link #defaults()} gives the documented defaults; tests and the
 * command line change single fields with the {@code with...} methods.
 */
public record ServerConfig(
        String host,
        int port,
        Path dataDir,
        Duration presenceGrace,
        Duration keepalive,
        Lifetimes lifetimes,
        int subscriptionBuffer) {

    public static ServerConfig defaults() {
        return new ServerConfig("0.0.0.0", 8080, Path.of("data"), Duration.ofSeconds(15), Duration.ofSeconds(20),
                Lifetimes.defaults(), 1000);
    }

    public ServerConfig withHost(String host) {
        return new ServerConfig(host, port, dataDir, presenceGrace, keepalive, lifetimes, subscriptionBuffer);
    }

    public ServerConfig withPort(int port) {
        return new ServerConfig(host, port, dataDir, presenceGrace, keepalive, lifetimes, subscriptionBuffer);
    }

    public ServerConfig withDataDir(Path dataDir) {
        return new ServerConfig(host, port, dataDir, presenceGrace, keepalive, lifetimes, subscriptionBuffer);
    }

    public ServerConfig withPresenceGrace(Duration presenceGrace) {
        return new ServerConfig(host, port, dataDir, presenceGrace, keepalive, lifetimes, subscriptionBuffer);
    }

    public ServerConfig withKeepalive(Duration keepalive) {
        return new ServerConfig(host, port, dataDir, presenceGrace, keepalive, lifetimes, subscriptionBuffer);
    }

    public ServerConfig withLifetimes(Lifetimes lifetimes) {
        return new ServerConfig(host, port, dataDir, presenceGrace, keepalive, lifetimes, subscriptionBuffer);
    }

    public ServerConfig withSubscriptionBuffer(int subscriptionBuffer) {
        return new ServerConfig(host, port, dataDir, presenceGrace, keepalive, lifetimes, subscriptionBuffer);
    }
}
