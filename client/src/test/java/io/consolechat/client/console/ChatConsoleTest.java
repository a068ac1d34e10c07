package io.consolechat.client.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.consolechat.client.Backoff;
import io.consolechat.client.ChatClient;
import io.consolechat.client.RoomFollow;
import io.consolechat.client.Sanitizer;
import io.consolechat.client.ServerAddress;
import io.consolechat.client.TokenStore;
import io.consolechat.protocol.Json;
import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The interactive client on a dumb JLine terminal over pipes, against a real server. */
class ChatConsoleTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static TestServer server;
    private static Api api;

    @TempDir
    Path config;

    private PipedOutputStream keyboard;
    private final ByteArrayOutputStream screenBytes = new ByteArrayOutputStream();
    private CompletableFuture<Void> session;

    @BeforeAll
    static void startServer() {
        server = TestServer.start();
        api = new Api(server);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void startConsole() throws IOException {
        keyboard = new PipedOutputStream();
        var in = new PipedInputStream(keyboard, 1 << 16);
        var terminal = new DumbTerminal("test", "dumb", in, screenBytes, StandardCharsets.UTF_8);
        var client = ChatClient.create(ServerAddress.parse(server.uri().toString()), false);
        var settings = new RoomFollow.Settings(30, Duration.ofSeconds(40),
                () -> new Backoff(Duration.ofMillis(50), Duration.ofMillis(500)));
        var console = new ChatConsole(client, new TokenStore(config, new Json()),
                new EventView(new Sanitizer(), ZoneOffset.UTC, true), settings, Clock.systemUTC());
        var screen = new TerminalScreen(terminal, console.completer());
        session = CompletableFuture.runAsync(() -> {
            try (screen) {
                console.run(screen, Optional.empty());
            }
        }, Executors.newVirtualThreadPerTaskExecutor());
        awaitScreen("connected to " + server.uri());
    }

    @AfterEach
    void closeKeyboard() throws IOException {
        keyboard.close();
    }

    @Test
    void logInJoinChatWhoLeaveAndQuit() throws Exception {
        type("/login alice");
        type("correct horse battery");
        awaitScreen("account alice created");
        assertThat(screen()).doesNotContain("correct horse battery");

        var bob = api.login("bob", null);
        type("/join lobby");
        awaitScreen("--> alice joined lobby");
        try (var bobStream = api.stream("/room/lobby?timeout=30&history=0", bob)) {
            awaitScreen("--> ~bob joined lobby");

            api.sendText("lobby", bob, "hello alice");
            awaitScreen("~bob: hello alice");

            type("hi bob");
            String line;
            do {
                line = bobStream.nextLine(WAIT);
            } while (line != null && !line.contains("hi bob"));
            assertThat(line).contains("\"name\":\"alice\"");

            // After bob's next message is on screen, alice's own line must be there exactly once.
            api.sendText("lobby", bob, "got it");
            awaitScreen("~bob: got it");
            assertThat(occurrences(screen(), "alice: hi bob")).isEqualTo(1);

            type("/who");
            awaitScreen("in lobby (2): ");
            var who = screen().substring(screen().lastIndexOf("in lobby (2): "));
            assertThat(who.lines().findFirst().orElseThrow()).contains("alice").contains("~bob");

            type("/leave");
            awaitScreen("you left lobby");
            do {
                line = bobStream.nextLine(WAIT);
            } while (line != null && !(line.contains("\"leave\"") && line.contains("alice")));
            assertThat(line).as("bob sees alice leave").isNotNull();
        }

        type("/quit");
        session.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void refusedLoginLeavesYouWhoYouWere() throws Exception {
        api.login("carol", "carols password");
        type("/me");
        awaitScreen("(anonymous)");
        type("/login carol");
        type("not her password");
        awaitScreen("login refused: ");
        assertThat(screen()).contains("you are still anon-");

        type("/login carol");
        type("");
        awaitScreen("login refused: ");

        type("/login dave");
        type("");
        awaitScreen("you are ~dave (temporary)");
        type("/quit");
        session.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void hostileTextIsShownEscapedAndHistoryPagesBackwards() throws Exception {
        var mallory = api.anonymousToken();
        for (int i = 1; i <= 25; i++) {
            api.sendText("old", mallory, "old message " + i);
        }
        api.sendText("old", mallory, "file\u202Etxt.exe");
        type("/join old");
        awaitScreen("file\\u202etxt.exe");
        // On joining: the last 20 events, that is messages 8 to 25, the hostile one and the join.
        assertThat(screen()).doesNotContain("\u202E").contains(": old message 8").doesNotContain(": old message 7");

        type("/history 5");
        awaitScreen("end of the earlier events");
        assertThat(screen()).contains(": old message 3").contains(": old message 7");
        assertThat(screen().lines()).noneMatch(line -> line.endsWith(": old message 2"));

        type("//help is literal");
        awaitScreen(": /help is literal");
        type("/nonsense");
        awaitScreen("unknown command /nonsense");
        type("/quit");
        session.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void endOfInputQuitsAndLeavesTheRoom() throws Exception {
        var watcher = api.anonymousToken();
        type("/join eof");
        awaitScreen("joined eof");
        try (var stream = api.stream("/room/eof?timeout=30&history=0", watcher)) {
            keyboard.close();
            session.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            String line;
            do {
                line = stream.nextLine(WAIT);
            } while (line != null && !line.contains("\"leave\""));
            assertThat(line).as("the leave is written at quit, not after the grace period").isNotNull();
        }
    }

    private void type(String line) throws IOException {
        keyboard.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        keyboard.flush();
    }

    private String screen() {
        synchronized (screenBytes) {
            return screenBytes.toString(StandardCharsets.UTF_8);
        }
    }

    private void awaitScreen(String text) {
        await().atMost(WAIT).until(() -> screen().contains(text));
    }

    private static int occurrences(String haystack, String needle) {
        int count = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
            count++;
        }
        return count;
    }
}
