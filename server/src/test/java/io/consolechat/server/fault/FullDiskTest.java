package io.consolechat.server.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.consolechat.server.ChatServer;
import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data directory on a real filesystem that fills up while several senders post, as a user found it:
 * posts are refused with 503 while the disk is full, nothing refused is stored and nothing accepted is
 * lost, no user is left without a token, and once space is freed the same server process takes posts
 * again, its room's sequence without a gap.
 */
class FullDiskTest {
    private static final String ROOM = "full";

    @TempDir
    Path dir;

    @Test
    void aFullDiskRefusesPostsAndHealsOnceSpaceIsFreed() throws Exception {
        var disk = SmallDisk.mount(dir.resolve("disk"), "8m");
        Assumptions.assumeTrue(disk.isPresent(), "cannot mount a small tmpfs here (needs root): skipped");
        var data = disk.get().path().resolve("data");
        var sessionTokens = new ArrayList<String>();
        try (var mounted = disk.get(); var server = ChatServer.start(TestServer.testConfig(data))) {
            var api = new Api(server.uri());
            var tokens = List.of(api.anonymousToken(), api.anonymousToken(), api.anonymousToken(),
                    api.anonymousToken());
            var posts = new Posts();
            posts.post(api, tokens.getFirst(), ROOM, "before the fault");

            var filler = mounted.fill();
            posts.send(api, tokens, ROOM, 500, () -> posts.refused.size() >= 20);
            assertThat(posts.refused).as("posts refused while the disk is full").isNotEmpty();
            for (int i = 0; i < 5; i++) {
                var session = api.post("/session", null, null);
                assertThat(session.status()).as("a new session on a full disk").isIn(200, 503);
                if (session.status() == 200) {
                    sessionTokens.add(session.json().path("token").asText());
                }
            }

            Files.delete(filler);
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> posts.post(api, tokens.getFirst(), ROOM, "after the fault " + System.nanoTime()) == 201);
            assertThat(posts.post(api, tokens.get(1), ROOM, "and again")).isEqualTo(201);
            posts.assertStoredExactly(api, tokens.getFirst(), ROOM);
            for (var token : sessionTokens) {
                assertThat(api.get("/me", token).status()).as("a session handed out during the fault").isEqualTo(200);
            }
            server.close();
            assertThat(usersWithoutToken(data.resolve("console-chat.db"))).isZero();
        }
    }

    private static int usersWithoutToken(Path database) throws Exception {
        try (var conn = DriverManager.getConnection("jdbc:sqlite:" + database);
             var rs = conn.createStatement().executeQuery("SELECT count(*) FROM users u "
                     + "WHERE NOT EXISTS (SELECT 1 FROM tokens t WHERE t.user_id = u.id)")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
