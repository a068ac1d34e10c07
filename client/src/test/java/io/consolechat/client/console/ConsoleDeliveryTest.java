package io.consolechat.client.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.consolechat.client.Backoff;
import io.consolechat.client.RoomFollow;
import io.consolechat.server.config.Rate;
import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console when the server goes away or asks it to slow down: nothing typed is lost or sent twice. */
class ConsoleDeliveryTest {

    @TempDir
    Path config;

    private static List<String> texts(Api api, String room) {
        var texts = new ArrayList<String>();
        api.get("/room/" + room + "/messages?limit=100", api.anonymousToken()).json().forEach(event -> {
            if (event.path("type").asText().equals("message")) {
                texts.add(event.path("text").asText());
            }
        });
        return texts;
    }

    @Test
    void aLineTypedWhileTheServerIsDownIsKeptAndSentOnceItIsBack() throws Exception {
        try (var server = TestServer.start()) {
            var api = new Api(server);
            try (var console = DumbConsole.start(server.uri(), config, DumbConsole.quickSettings())) {
                console.type("/join outage");
                console.awaitScreen("joined outage");
                server.stop();
                // A poll reopened while the server shuts down may wait for its 30 s request timeout before it
                // fails: allow for that, as a person at the console would wait.
                console.awaitScreen("connection lost", java.time.Duration.ofSeconds(45));

                console.type("typed while away");
                console.awaitScreen("-- pending, sent when the server takes it");
                assertThat(console.screen()).containsPattern("-- pending, .*: typed while away");

                server.startAgain();
                console.awaitScreen("reconnected");
                await().atMost(DumbConsole.WAIT).until(() -> texts(api, "outage").contains("typed while away"));
                var shown = Pattern.compile("\\d\\d:\\d\\d anon-\\S+: typed while away");
                await().atMost(DumbConsole.WAIT).until(() -> shown.matcher(console.screen()).find());
                // Sent once, shown once (besides the pending note).
                assertThat(texts(api, "outage")).containsExactly("typed while away");
                assertThat(shown.matcher(console.screen()).results().count()).isEqualTo(1);
                console.quit();
            }
        }
    }

    @Test
    void linesRefusedByTheRateLimitAreSentAfterRetryAfterInOrder() throws Exception {
        try (var server = TestServer.start(c -> c.limits.send = Rate.perSecond(1, 3))) {
            var api = new Api(server);
            try (var console = DumbConsole.start(server.uri(), config, DumbConsole.quickSettings())) {
                console.type("/join paced");
                console.awaitScreen("joined paced");
                var lines = IntStream.rangeClosed(1, 6).mapToObj(i -> "paced line " + i).toList();
                lines.forEach(console::type);
                console.awaitScreen("-- pending, sent when the server takes it");
                await().atMost(Duration.ofSeconds(20)).until(() -> texts(api, "paced").size() >= lines.size());
                assertThat(texts(api, "paced")).isEqualTo(lines);
                assertThat(console.screen()).doesNotContain("not sent");
                console.quit();
            }
        }
    }

    @Test
    void reconnectedIsSaidAfterTheMessagesThatCameWhileAway() throws Exception {
        // A slow first retry leaves time to post while the console is away.
        var settings = new RoomFollow.Settings(30, Duration.ofSeconds(40),
                () -> new Backoff(Duration.ofSeconds(4), Duration.ofSeconds(4)));
        try (var server = TestServer.start()) {
            var api = new Api(server);
            try (var console = DumbConsole.start(server.uri(), config, settings)) {
                console.type("/join away");
                console.awaitScreen("joined away");
                server.stop();
                // A poll reopened while the server shuts down can wait for its answer up to the request timeout.
                console.awaitScreen("connection lost", Duration.ofSeconds(40));
                server.startAgain();
                var token = api.anonymousToken();
                for (int i = 1; i <= 3; i++) {
                    api.sendText("away", token, "while away " + i);
                }
                console.awaitScreen("-- reconnected");
                var screen = console.screen();
                assertThat(screen.indexOf(": while away 3")).as(screen).isPositive()
                        .isLessThan(screen.indexOf("-- reconnected"));
                assertThat(screen).containsPattern("-- reconnected; the \\d+ events above came while away; nothing was missed");
                console.quit();
            }
        }
    }
}
