package io.consolechat.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.consolechat.protocol.Json;
import io.consolechat.protocol.StreamItem;
import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.ServerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code console-chat server} as an operator runs it: its own process, a printed URL, SIGTERM to stop. */
class ServerProcessTest {
    private static final Json JSON = new Json();
    private static final Duration LINE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private ServerProcess start() {
        return ServerProcess.launch(List.of(Main.class.getName(), "server", "--host", "127.0.0.1", "--port", "0",
                        "--data-dir", dir.resolve("data").toString()),
                dir.resolve("server.log"), "console-chat server listening on ");
    }

    @Test
    void sigtermEndsOpenStreamsWithTheirEndLineAndKeepsTheData() throws Exception {
        String token;
        try (var server = start()) {
            assertThat(server.uri().toString()).startsWith("http://127.0.0.1:");
            var api = new Api(server.uri());
            token = api.anonymousToken();
            try (var stream = api.stream("/room/lobby?timeout=600", token)) {
                assertThat(read(stream.nextLine(LINE)).type()).isEqualTo("join");
                assertThat(api.sendText("lobby", token, "before the stop").status()).isEqualTo(201);
                assertThat(read(stream.nextLine(LINE)).type()).isEqualTo("message");

                assertThat(server.terminate()).isIn(0, 143);
                var rest = new ArrayList<StreamItem>();
                for (var line : stream.readToEnd(LINE)) {
                    rest.add(read(line));
                }
                assertThat(rest).last().isEqualTo(new StreamItem.End(2));
                assertThat(stream.endedCleanly()).as("the response completed, not cut off").isTrue();
            }
        }

        try (var server = start()) {
            var api = new Api(server.uri());
            var types = new ArrayList<String>();
            api.get("/room/lobby/messages", token).json().forEach(event -> types.add(event.path("type").asText()));
            assertThat(types).containsExactly("join", "message", "leave");
            assertThat(Files.exists(dir.resolve("data").resolve("console-chat.db"))).isTrue();
            assertThat(server.terminate()).isIn(0, 143);
        }
    }

    private static StreamItem read(String line) {
        try {
            return JSON.readStreamItem(line);
        } catch (IOException e) {
            throw new AssertionError("not a stream line: " + line, e);
        }
    }
}
