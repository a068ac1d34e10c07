package io.consolechat.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.consolechat.protocol.Event;
import io.consolechat.protocol.EventType;
import io.consolechat.protocol.Json;
import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.TestServer;
import java.io.IOException;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client commands as a user runs them: arguments, stdin, stdout, stderr and exit code. */
class ClientCommandsTest {
    private static TestServer server;
    private static Api api;
    private static final Json JSON = new Json();

    @TempDir
    Path config;

    @BeforeAll
    static void startServer() {
        server = TestServer.start();
        api = new Api(server);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private CommandRun run(String stdin, String... args) {
        return run(Map.of(), stdin, args);
    }

    private CommandRun run(Map<String, String> extraVariables, String stdin, String... args) {
        var variables = new HashMap<String, String>();
        variables.put("CONSOLE_CHAT_SERVER", server.uri().toString());
        variables.put("XDG_CONFIG_HOME", config.toString());
        variables.putAll(extraVariables);
        return CommandRun.of(variables, stdin, args);
    }

    private static List<String> texts(String room) {
        var token = api.anonymousToken();
        var texts = new ArrayList<String>();
        api.get("/room/" + room + "/messages?limit=500", token).json()
                .forEach(event -> {
                    if (event.path("type").asText().equals("message")) {
                        texts.add(event.path("text").asText());
                    }
                });
        return texts;
    }

    @Test
    void sendPostsEachLineOfStdinAndPrintsNothing() {
        var result = run("first line\n\nsecond line\n", "send", "piped");
        assertThat(result.exit()).isZero();
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEmpty();
        assertThat(texts("piped")).containsExactly("first line", "second line");
    }

    @Test
    void sendPostsItsArgumentsAsOneMessage() {
        var result = run("", "send", "args", "hello", "from", "arguments");
        assertThat(result.exit()).isZero();
        assertThat(texts("args")).containsExactly("hello from arguments");
    }

    @Test
    void listenJsonPrintsOneParsableEventPerLineAsTheyArrive() throws Exception {
        var token = api.anonymousToken();
        api.sendText("listened", token, "one");
        api.sendText("listened", token, "two");
        var listening = CompletableFuture.supplyAsync(
                () -> run("", "listen", "listened", "--since", "0", "--json", "--count", "5"),
                Executors.newVirtualThreadPerTaskExecutor());
        // The listener's own join is the third event; then two more messages arrive live.
        await().atMost(Duration.ofSeconds(10)).until(() ->
                api.get("/room/listened/members", token).json().size() == 1);
        api.sendText("listened", token, "three");
        api.sendText("listened", token, "four");

        var result = listening.get(10, TimeUnit.SECONDS);
        assertThat(result.exit()).isZero();
        var events = new ArrayList<Event>();
        for (var line : result.out().lines().toList()) {
            events.add((Event) JSON.readStreamItem(line));
        }
        assertThat(events).extracting(Event::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(events).extracting(Event::kind).containsExactly(
                EventType.MESSAGE, EventType.MESSAGE, EventType.JOIN, EventType.MESSAGE, EventType.MESSAGE);
        assertThat(events).filteredOn(e -> e.kind() == EventType.MESSAGE).extracting(Event::text)
                .containsExactly("one", "two", "three", "four");
    }

    @Test
    void listenWithoutJsonPrintsReadableLines() {
        var token = api.login("Reader", null);
        api.sendText("readable", token, "line one\nline two");
        var result = run("", "listen", "readable", "--since", "0", "--count", "1");
        assertThat(result.exit()).isZero();
        assertThat(result.out()).matches("(?s)\\d\\d:\\d\\d ~Reader: line one\\R {15}line two\\R");
    }

    @Test
    void anUnreachableServerExitsWithTwoAndOneLine() throws Exception {
        int closedPort;
        try (var socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        var nowhere = "http://127.0.0.1:" + closedPort;
        for (var args : List.of(List.of("send", "--server", nowhere, "lobby", "hi"),
                List.of("listen", "--server", nowhere, "lobby"),
                List.of("rooms", "--server", nowhere))) {
            var result = run("", args.toArray(String[]::new));
            assertThat(result.exit()).as("%s", args).isEqualTo(ExitCode.UNREACHABLE);
            assertThat(result.err()).as("%s", args).contains("connection refused").hasLineCount(1);
        }
        var fromEnvironment = run(Map.of("CONSOLE_CHAT_SERVER", nowhere), "", "send", "lobby", "hi");
        assertThat(fromEnvironment.exit()).isEqualTo(ExitCode.UNREACHABLE);
    }

    @Test
    void refusedCredentialsExitWithThree() {
        api.login("Registered", "the right password");
        var result = run("the wrong password\n", "login", "Registered", "--password-stdin");
        assertThat(result.exit()).isEqualTo(ExitCode.AUTHENTICATION_REFUSED);
        assertThat(result.err()).contains("invalid_credentials").hasLineCount(1);
        assertThat(config.resolve("console-chat/tokens.json")).doesNotExist();
    }

    @Test
    void refusedRequestsExitWithFourAndTheServersMessage() {
        var result = run("", "send", "refused", "x".repeat(4001));
        assertThat(result.exit()).isEqualTo(ExitCode.REQUEST_REFUSED);
        assertThat(result.err()).contains("4000").contains("message_too_long").hasLineCount(1);

        var weak = run("short\n", "login", "newcomer", "--password-stdin");
        assertThat(weak.exit()).isEqualTo(ExitCode.REQUEST_REFUSED);
        assertThat(weak.err()).contains("weak_password");
    }

    @Test
    void usageErrorsExitWithOne() {
        assertThat(run("", "send", "Not A Room!", "hi").exit()).isEqualTo(ExitCode.USAGE);
        assertThat(run("", "send").exit()).isEqualTo(ExitCode.USAGE);
        assertThat(run("", "listen", "lobby", "--since", "minus").exit()).isEqualTo(ExitCode.USAGE);
        assertThat(run("", "login", "x").exit()).isEqualTo(ExitCode.USAGE);
        var noTerminal = run("", "login", "someone");
        assertThat(noTerminal.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(noTerminal.err()).contains("--password-stdin").hasLineCount(1);
        assertThat(run("", "send", "--server", "ftp://example.org", "lobby", "hi").exit()).isEqualTo(ExitCode.USAGE);
    }

    @Test
    void loginSavesAPrivateTokenThatTheOtherCommandsUseUntilLogout() throws Exception {
        var login = run("a long enough password\n", "login", "Writer", "--password-stdin");
        assertThat(login.exit()).isZero();
        assertThat(login.out()).contains("account Writer created").contains("as Writer (registered)");
        var tokens = config.resolve("console-chat/tokens.json");
        assertThat(Files.getPosixFilePermissions(tokens)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(tokens)).contains(server.uri().toString());

        assertThat(run("", "send", "signed", "as the writer").exit()).isZero();
        var history = run("", "history", "signed", "--json");
        assertThat(history.out()).contains("\"name\":\"Writer\"").contains("as the writer");

        var again = run("a long enough password\n", "login", "writer", "--password-stdin");
        assertThat(again.out()).doesNotContain("created").contains("as Writer (registered)");

        var logout = run("", "logout");
        assertThat(logout.exit()).isZero();
        assertThat(logout.out()).contains("logged out");
        assertThat(Files.readString(tokens)).doesNotContain(server.uri().toString());
        assertThat(run("", "send", "signed", "anonymous now").exit()).isZero();
        var later = run("", "history", "signed", "--json", "--limit", "1");
        assertThat(later.out()).contains("\"kind\":\"anonymous\"");
    }

    @Test
    void roomsWhoAndHistoryPrintWhatTheServerHas() throws Exception {
        var token = api.login("Present", null);
        api.sendText("listing", token, "visible");
        try (var stream = api.stream("/room/listing?timeout=30&history=0", token)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> run("", "who", "listing").out().contains("~Present"));
            var rooms = run("", "rooms").out();
            assertThat(rooms.lines().findFirst()).hasValueSatisfying(header ->
                    assertThat(header).matches("ROOM\\s+MEMBERS\\s+LAST-SEQ\\s+LAST-ACTIVE"));
            assertThat(rooms).containsPattern("(?m)^listing\\s+1\\s+\\d+\\s+\\d{4}-");
            assertThat(run("", "history", "listing").out()).contains("~Present: visible");
        }
    }

    @Test
    void chatInAPipeReadsLinesAndPrintsPlainLines() {
        var result = run(Map.of("NO_COLOR", "1"), "/join piping\nhello from a pipe\n/who\n/quit\n", "chat");
        assertThat(result.exit()).isZero();
        assertThat(result.out()).contains("connected to").contains("you are in piping").contains("in piping (")
                .doesNotContain("\u001b");
        assertThat(texts("piping")).containsExactly("hello from a pipe");
    }

    @Test
    void aMistakeInTheSettingsFileStopsChatWithAUsageError() throws Exception {
        var dir = java.nio.file.Files.createDirectories(config.resolve("console-chat"));
        java.nio.file.Files.writeString(dir.resolve("config.toml"), "bell = \"loud\"\n");
        var result = run("/quit\n", "chat");
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).contains("config.toml").contains("bell is true or false");
    }

    @Test
    void chatInAPipeJoinsTheRoomsOfTheSettingsFile() throws Exception {
        var dir = java.nio.file.Files.createDirectories(config.resolve("console-chat"));
        java.nio.file.Files.writeString(dir.resolve("config.toml"), "rooms = [\"pipe-one\", \"pipe-two\"]\n");
        var result = run(Map.of("NO_COLOR", "1"), "hello two\n/window 2\nhello one\n/quit\n", "chat");
        assertThat(result.exit()).isZero();
        assertThat(texts("pipe-two")).containsExactly("hello two");
        assertThat(texts("pipe-one")).containsExactly("hello one");
    }

    @Test
    void everyCommandsHelpListsTheExitCodes() {
        for (var command : List.of("chat", "send", "listen", "login", "logout", "rooms", "who", "history")) {
            var help = run("", command, "--help");
            assertThat(help.exit()).isZero();
            assertThat(help.out()).as(command).contains("Exit codes:")
                    .containsPattern("(?m)^\\s+0\\s+done").containsPattern("(?m)^\\s+1\\s+usage error")
                    .containsPattern("(?m)^\\s+2\\s+server unreachable")
                    .containsPattern("(?m)^\\s+3\\s+authentication refused")
                    .containsPattern("(?m)^\\s+4\\s+request refused");
        }
    }

    @Test
    void listenPipedIntoHeadEndsOnceHeadHasQuit() throws Exception {
        var token = api.anonymousToken();
        var listen = ClientProcess.command("listen", "headed", "--json").stream()
                .map(word -> "'" + word + "'").collect(Collectors.joining(" "));
        // pipefail: the pipeline's status is listen's, unless listen succeeded.
        var builder = new ProcessBuilder("bash", "-c", "set -o pipefail; " + listen + " | head -1")
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("CONSOLE_CHAT_SERVER", server.uri().toString());
        builder.environment().put("XDG_CONFIG_HOME", config.toString());
        var process = builder.start();
        try {
            // Messages keep arriving: each is a write to the pipe that head no longer reads.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() -> {
                api.sendText("headed", token, "tick");
                return !process.isAlive();
            });
            assertThat(process.exitValue()).isIn(0, 141);
            var printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(printed.lines().toList()).hasSize(1).allSatisfy(line -> assertThat(line).startsWith("{\"type\":"));
        } finally {
            // The JVM too, not only the shell around it, when the pipeline did not end.
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    @Test
    void historyStopsAtTheFirstWriteToAClosedOutput() {
        var token = api.anonymousToken();
        for (int i = 1; i <= 10; i++) {
            api.sendText("closing", token, "line " + i);
        }
        var writes = new AtomicInteger();
        var closed = new Writer() {
            @Override
            public void write(char[] buffer, int offset, int length) throws IOException {
                writes.incrementAndGet();
                throw new IOException("Broken pipe");
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        var variables = Map.of("CONSOLE_CHAT_SERVER", server.uri().toString(), "XDG_CONFIG_HOME", config.toString());
        var run = CommandRun.of(variables, "", closed, "history", "closing");
        assertThat(run.exit()).isZero();
        assertThat(run.err()).isEmpty();
        // The first line's text and its line end; not the nine lines after them.
        assertThat(writes).hasValueLessThanOrEqualTo(2);
    }
}
