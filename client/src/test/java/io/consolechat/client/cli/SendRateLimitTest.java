package io.consolechat.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.consolechat.server.Limits;
import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** A pipe longer than the server's burst: {@code send} waits out each 429 and loses no line. */
class SendRateLimitTest {

    @TempDir
    Path config;

    @Command(name = "console-chat", subcommands = {SendCommand.class})
    static final class Root {
    }

    @Test
    void linesPastTheBurstAreSentAfterTheServersRetryAfter() {
        try (var server = TestServer.start(c -> c.withLimits(Limits.defaults()))) {
            var lines = IntStream.rangeClosed(1, 40).mapToObj(i -> "line " + i).toList();
            var environment = new ClientEnvironment(
                    new ByteArrayInputStream(String.join("\n", lines).getBytes(StandardCharsets.UTF_8)),
                    Map.of("XDG_CONFIG_HOME", config.toString()), false);
            var err = new StringWriter();
            int exit = new CommandLine(Root.class, ClientCommands.factory(environment))
                    .setOut(new PrintWriter(new StringWriter(), true)).setErr(new PrintWriter(err, true))
                    .execute("send", "--server", server.uri().toString(), "paced");
            assertThat(exit).as(err.toString()).isZero();

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
