package io.consolechat.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.consolechat.server.testing.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Many clients connecting at once (streams coming back after a restart, a burst of scripts) must find room
 * in the listening socket's queue: when it overflows the kernel drops their SYNs, and each of them, a
 * health check among them, waits a whole second before its connection is retried.
 */
class AcceptQueueTest {
    @Test
    void theListeningSocketQueuesHundredsOfConnections() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/ss")) || Files.isExecutable(Path.of("/bin/ss")),
                "needs ss (iproute2) to read the listening socket's backlog");
        try (var server = TestServer.start()) {
            // For a listening socket, ss reports the backlog it was given in the Send-Q column.
            var ss = new ProcessBuilder("ss", "-ltnH", "sport = :" + server.port()).redirectErrorStream(true).start();
            String out;
            try (var in = ss.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            }
            assertThat(ss.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(out).as("ss output").isNotEmpty();
            int backlog = Integer.parseInt(out.lines().findFirst().orElseThrow().trim().split("\\s+")[2]);
            assertThat(backlog).isGreaterThanOrEqualTo(Math.min(1024, somaxconn()));
        }
    }

    /** The kernel's cap on any listening socket's backlog. */
    private static int somaxconn() throws IOException {
        // readAllLines: /proc files report a size of 0, and readString returned only the first digit here.
        return Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/core/somaxconn")).getFirst().strip());
    }
}
