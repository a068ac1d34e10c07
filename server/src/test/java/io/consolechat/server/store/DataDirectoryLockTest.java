package io.consolechat.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.consolechat.server.ChatServer;
import io.consolechat.server.ServerStartException;
import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.ServerProcess;
import io.consolechat.server.testing.TestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One server per data directory: a second one is refused at start, until the first is gone. */
class DataDirectoryLockTest {

    @TempDir
    Path dir;

    @Test
    void aSecondServerInTheSameProcessIsRefusedUntilTheFirstStops() {
        var data = dir.resolve("data");
        var first = ChatServer.start(TestServer.testConfig(data));
        try {
            assertThatThrownBy(() -> ChatServer.start(TestServer.testConfig(data)))
                    .isInstanceOf(ServerStartException.class)
                    .hasMessageContaining("is in use by another console-chat server");
        } finally {
            first.close();
        }
        try (var second = ChatServer.start(TestServer.testConfig(data))) {
            assertThat(new Api(second.uri()).get("/health", null).status()).isEqualTo(200);
        }
    }

    @Test
    void aServerInAnotherProcessHoldsTheDirectoryUntilItIsKilled() {
        var data = dir.resolve("data");
        try (var other = ServerProcess.start(data, dir.resolve("child.log"))) {
            assertThatThrownBy(() -> ChatServer.start(TestServer.testConfig(data)))
                    .isInstanceOf(ServerStartException.class)
                    .hasMessageContaining("is in use by another console-chat server");
            other.kill();
        }
        // The operating system drops the lock with the process, however it ended.
        try (var next = ChatServer.start(TestServer.testConfig(data))) {
            assertThat(new Api(next.uri()).get("/health", null).status()).isEqualTo(200);
        }
    }
}
