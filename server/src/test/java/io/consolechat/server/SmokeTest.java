package io.consolechat.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.TestServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SmokeTest {

    @Test
    void aListenerReceivesAMessageAndTheEndLine() throws Exception {
        try (var server = TestServer.start()) {
            var api = new Api(server);
            var alice = api.login("alice", null);
            var bob = api.anonymousToken();
            try (var stream = api.stream("/room/lobby?timeout=2", alice)) {
                assertThat(stream.status()).isEqualTo(200);
                assertThat(stream.nextLine(Duration.ofSeconds(5))).contains("\"type\":\"join\"");
                assertThat(api.sendText("lobby", bob, "hi").status()).isEqualTo(201);
                assertThat(stream.nextLine(Duration.ofSeconds(1))).contains("\"text\":\"hi\"");
                assertThat(stream.nextLine(Duration.ofSeconds(5))).isEqualTo("{\"type\":\"end\",\"since\":2}");
                assertThat(stream.nextLine(Duration.ofSeconds(1))).isNull();
            }
        }
    }
}
