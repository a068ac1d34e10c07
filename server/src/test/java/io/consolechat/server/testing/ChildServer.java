package io.consolechat.server.testing;

import io.consolechat.server.ChatServer;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The entry point of a server in a JVM of its own ({@link ServerProcess}), for tests that kill it:
 * {@code ChildServer <data-dir>} listens on a free loopback port and prints {@code listening <url>}.
 */
public final class ChildServer {
    static final String READY = "listening ";

    private ChildServer() {
    }

    public static void main(String[] args) throws InterruptedException {
        var server = ChatServer.start(TestServer.testConfig(Path.of(args[0])));
        System.out.println(READY + server.uri());
        System.out.flush();
        // Runs until the test kills the process.
        new CountDownLatch(1).await();
    }
}
