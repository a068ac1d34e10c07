package io.consolechat.server.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

class LimitsStreamsTest {

    @Test
    void aUserPastTheirStreamLimitGets429UntilOneCloses() throws Exception {
        // The server notices a reader has gone at its next write: a short keepalive makes that soon.
        try (var server = TestServer.start(c -> {
            c.streams.keepalive = Duration.ofMillis(200);
            c.limits.streamsPerUser = 2;
            c.limits.streamsPerAddress = 10;
        })) {
            var api = new Api(server);
            var alice = api.login("alice", null);
            var first = api.stream("/room/lobby?timeout=60", alice);
            var second = api.stream("/room/other?timeout=60", alice);
            assertThat(first.status()).isEqualTo(200);
            assertThat(second.status()).isEqualTo(200);

            var refused = api.get("/room/lobby?timeout=60", alice);
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.error()).isEqualTo("rate_limited");
            // Another user still gets in.
            try (var bobs = api.stream("/room/lobby?timeout=0", api.login("bob", null))) {
                assertThat(bobs.status()).isEqualTo(200);
            }

            first.close();
            second.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                try (var again = api.stream("/room/lobby?timeout=0", alice)) {
                    return again.status() == 200;
                }
            });
        }
    }

    @Test
    void oneAddressPastItsStreamLimitGets429() throws Exception {
        try (var server = TestServer.start(c -> c.limits.streamsPerAddress = 3)) {
            var api = new Api(server);
            var open = new ArrayList<Api.Stream>();
            try {
                for (int i = 0; i < 3; i++) {
                    var stream = api.stream("/room/lobby?timeout=60", api.login("user" + i, null));
                    assertThat(stream.status()).isEqualTo(200);
                    open.add(stream);
                }
                var refused = api.get("/room/lobby?timeout=60", api.login("user3", null));
                assertThat(refused.status()).isEqualTo(429);
                assertThat(refused.error()).isEqualTo("rate_limited");
            } finally {
                open.forEach(Api.Stream::close);
            }
        }
    }

    @Test
    void streamsThatEndGiveTheirSlotBack() throws Exception {
        try (var server = TestServer.start(c -> {
            c.limits.streamsPerUser = 1;
            c.limits.streamsPerAddress = 1;
        })) {
            var api = new Api(server);
            var alice = api.login("alice", null);
            for (int i = 0; i < 5; i++) {
                try (var stream = api.stream("/room/lobby?timeout=0", alice)) {
                    assertThat(stream.status()).isEqualTo(200);
                    assertThat(stream.readToEnd(Duration.ofSeconds(5)).getLast()).startsWith("{\"type\":\"end\"");
                }
            }
        }
    }
}
