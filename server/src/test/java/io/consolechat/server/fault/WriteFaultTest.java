package io.consolechat.server.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.consolechat.server.ChatServer;
import io.consolechat.server.store.Database;
import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.FailingCommits;
import io.consolechat.server.testing.TestServer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commits that fail while several senders post to one room: every 201 is stored exactly once, every 503
 * is absent, the sequence has no gap, and the room takes posts again as soon as the fault ends, on the
 * same server process.
 */
class WriteFaultTest {
    private static final String ROOM = "faulty";
    private static final int SENDERS = 8;
    private static final int PER_SENDER = 60;

    @TempDir
    Path dir;

    @Test
    void failedCommitsLeaveNothingBehindAndTheRoomGoesOn() throws Exception {
        var faults = new FailingCommits();
        var clock = Clock.systemUTC();
        var config = TestServer.testConfig(dir);
        try (var server = ChatServer.start(config, clock,
                bus -> Database.openSqlite(dir, bus, clock, faults::wrap))) {
            var api = new Api(server.uri());
            var tokens = new ArrayList<String>();
            for (int i = 0; i < SENDERS; i++) {
                tokens.add(api.anonymousToken());
            }
            // Chosen commits fail: the fault comes and goes three times while the senders post.
            var posts = new Posts(n -> faults.failing(n % 160 >= 60 && n % 160 < 100));
            posts.send(api, tokens, ROOM, PER_SENDER, () -> false);
            faults.failing(false);

            assertThat(faults.failed()).as("commits made to fail").isPositive();
            assertThat(posts.refused).as("posts answered 503").isNotEmpty();
            assertThat(posts.accepted).as("posts answered 201").isNotEmpty();
            assertThat(posts.post(api, tokens.getFirst(), ROOM, "after the fault")).isEqualTo(201);
            posts.assertStoredExactly(api, tokens.getFirst(), ROOM);
        }
    }
}
