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
        int subscriptionBuffer,
        Limits limits,
        Tls tls) {

    public static ServerConfig defaults() {
        return new ServerConfig("0.0.0.0", 8080, Path.of("data"), Duration.ofSeconds(15), Duration.ofSeconds(20),
                Lifetimes.defaults(), 1000, Limits.defaults(), Tls.off());
    }

    public ServerConfig withHost(String host) {
        return new ServerConfig(host, port, dataDir, presenceGrace, keepalive, lifetimes, subscriptionBuffer,
                limits, tls);
    }

    public ServerConfig withPort(int port) {
        return new ServerConfig(host, port, dataDir, presenceGrace, keepalive, lifetimes, subscriptionBuffer,
                limits, tls);
    }

    public ServerConfig withDataDir(Path dataDir) {
        return new ServerConfig(host, port, dataDir, presenceGrace, keepalive, lifetimes, subscriptionBuffer,
                limits, tls);
    }

    public ServerConfig withPresenceGrace(Duration presenceGrace) {
        return new ServerConfig(host, port, dataDir, presenceGrace, keepalive, lifetimes, subscriptionBuffer,
                limits, tls);
    }

    public ServerConfig withKeepalive(Duration keepalive) {
        return new ServerConfig(host, port, dataDir, presenceGrace, keepalive, lifetimes, subscriptionBuffer,
                limits, tls);
    }

    public ServerConfig withLifetimes(Lifetimes lifetimes) {
        return new ServerConfig(host, port, dataDir, presenceGrace, keepalive, lifetimes, subscriptionBuffer,
                limits, tls);
    }

    public ServerConfig withSubscriptionBuffer(int subscriptionBuffer) {
        return new ServerConfig(host, port, dataDir, presenceGrace, keepalive, lifetimes, subscriptionBuffer,
                limits, tls);
    }

    public ServerConfig withLimits(Limits limits) {
        return new ServerConfig(host, port, dataDir, presenceGrace, keepalive, lifetimes, subscriptionBuffer,
                limits, tls);
    }

    public ServerConfig withTls(Tls tls) {
        return new ServerConfig(host, port, dataDir, presenceGrace, keepalive, lifetimes, subscriptionBuffer,
                limits, tls);
    }
}
