package io.consolechat.server.testing;

import io.consolechat.server.ChatServer;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The entry point of a server in a JVM of its own ({@link ServerProcess}), for tests that kill it:
 * {@code ChildServer <data-dir> [<database-url> [<grace-ms> <lease-ms>]]} listens on a free loopback port and prints {@code listening <url>}.
 */
public final class ChildServer {
    static final String READY = "listening ";

    private ChildServer() {
    }

    public static void main(String[] args) throws InterruptedException {
        var config = TestServer.testConfig(Path.of(args[0]));
        if (args.length > 1) {
            config.storage.database = args[1];
        }
        if (args.length > 3) {
            config.presence.grace = java.time.Duration.ofMillis(Long.parseLong(args[2]));
            config.presence.lease = java.time.Duration.ofMillis(Long.parseLong(args[3]));
        }
        var server = ChatServer.start(config);
        System.out.println(READY + server.uri());
        System.out.flush();
        // Runs until the test kills the process.
        new CountDownLatch(1).await();
    }
}
