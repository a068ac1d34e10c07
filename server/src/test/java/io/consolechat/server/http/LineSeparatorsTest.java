package io.consolechat.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.consolechat.protocol.Event;
import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.TestServer;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * U+2028 and U+2029 in a message leave the server escaped in every format, so that no line splitter that
 * ends lines there can cut a stream line in two, and they decode to the same text.
 */
class LineSeparatorsTest {
    private static final Duration SOON = Duration.ofSeconds(5);
    private static final String TEXT = "one\u2028two\u2029three";
    private static final String ESCAPED = "one\\u2028two\\u2029three";

    private static TestServer server;
    private static Api api;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        api = new Api(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void assertEscaped(String json) {
        assertThat(json).doesNotContain("\u2028", "\u2029").contains("\"text\":\"" + ESCAPED + "\"");
    }

    @Test
    void aLiveNdjsonLineCarriesThemEscaped() throws Exception {
        var token = api.anonymousToken();
        try (var stream = api.stream("/room/separators-live?timeout=30&history=0", token)) {
            assertThat(stream.status()).isEqualTo(200);
            var posted = api.sendText("separators-live", token, TEXT);
            assertThat(posted.status()).isEqualTo(201);
            assertEscaped(posted.body());
            // The stream's own join may come first.
            var line = stream.nextLine(SOON);
            while (line != null && !line.contains("\"type\":\"message\"")) {
                line = stream.nextLine(SOON);
            }
            assertThat(line).as("the message line").isNotNull();
            assertEscaped(line);
            assertThat(((Event) Api.item(line)).text()).isEqualTo(TEXT);
        }
    }

    @Test
    void theBacklogAndTheHistoryCarryThemEscaped() {
        var token = api.anonymousToken();
        api.sendMessage("separators", token, TEXT);

        var backlog = api.get("/room/separators?timeout=0", token);
        assertThat(backlog.status()).isEqualTo(200);
        var lines = Arrays.asList(backlog.body().split("\n"));
        var messageLines = lines.stream().filter(line -> line.contains("\"type\":\"message\"")).toList();
        assertThat(messageLines).hasSize(1);
        assertEscaped(messageLines.getFirst());
        assertThat(((Event) Api.item(messageLines.getFirst())).text()).isEqualTo(TEXT);

        var history = api.get("/room/separators/messages", token);
        assertThat(history.status()).isEqualTo(200);
        assertEscaped(history.body());
        assertThat(history.events()).filteredOn(event -> event.type().equals("message"))
                .extracting(Event::text).containsExactly(TEXT);
    }

    @Test
    void serverSentEventsCarryThemEscaped() throws Exception {
        var token = api.anonymousToken();
        api.sendMessage("separators-sse", token, TEXT);
        try (var stream = api.stream("/room/separators-sse?timeout=0", token, "Accept", "text/event-stream")) {
            var data = stream.readToEnd(SOON).stream()
                    .filter(line -> line.startsWith("data: ") && line.contains("\"type\":\"message\"")).toList();
            assertThat(data).hasSize(1);
            assertEscaped(data.getFirst());
        }
    }
}
