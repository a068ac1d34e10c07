package io.consolechat.server.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the server keeps on disk is readable by its own user only, whatever the umask. */
class DataDirectoryTest {

    @TempDir
    Path parent;

    @Test
    void theDataDirectoryIs0700AndTheDatabaseFiles0600() throws Exception {
        // A directory the server creates itself: a temporary directory would be 0700 from the start.
        try (var server = TestServer.start(c -> c.storage.dataDir = parent.resolve("data"))) {
            var api = new Api(server);
            api.sendMessage("lobby", api.anonymousToken(), "written to the WAL");
            var dir = server.dataDir();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
            try (var files = Files.list(dir)) {
                var database = files.filter(f -> f.getFileName().toString().startsWith("console-chat.db")).toList();
                assertThat(database).extracting(f -> f.getFileName().toString())
                        .contains("console-chat.db", "console-chat.db-wal");
                for (var file : database) {
                    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                            .as(file.toString()).isEqualTo("rw-------");
                }
            }
        }
    }
}
