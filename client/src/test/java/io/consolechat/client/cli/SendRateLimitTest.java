package io.consolechat.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.consolechat.server.config.ServerConfig;
import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.TestServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pipe longer than the server's burst: {@code send} waits out each 429 and loses no line. */
class SendRateLimitTest {

    @TempDir
    Path config;

    @Test
    void linesPastTheBurstAreSentAfterTheServersRetryAfter() {
        try (var server = TestServer.start(c -> c.limits = new ServerConfig.Limits())) {
            var lines = IntStream.rangeClosed(1, 40).mapToObj(i -> "line " + i).toList();
            var run = CommandRun.of(Map.of("XDG_CONFIG_HOME", config.toString()), String.join("\n", lines),
                    "send", "--server", server.uri().toString(), "paced");
            assertThat(run.exit()).as(run.err()).isZero();

            var api = new Api(server);
            var texts = new ArrayList<String>();
            api.get("/room/paced/messages?limit=100", api.anonymousToken()).json().forEach(event -> {
                if (event.path("type").asText().equals("message")) {
                    texts.add(event.path("text").asText());
                }
            });
            assertThat(texts).as(texts.stream().collect(Collectors.joining(", "))).isEqualTo(lines);
        }
    }
}
