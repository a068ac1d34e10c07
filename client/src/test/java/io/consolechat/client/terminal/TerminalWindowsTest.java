package io.consolechat.client.terminal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.consolechat.client.cli.ClientProcess;
import io.consolechat.client.ChatClient;
import io.consolechat.client.SavedLogin;
import io.consolechat.client.ServerAddress;
import io.consolechat.client.TokenStore;
import io.consolechat.protocol.Json;
import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Windows in a real terminal (tmux), against a real server: several rooms open at once, activity in the
 * status line, the bell on a mention, a direct message opening a window, and PageUp fetching history.
 */
class TerminalWindowsTest {
    private static final Pattern ME = Pattern.compile("(anon-[a-z0-9]+) \\(anonymous\\)");
    private static TestServer server;
    private static Api api;

    @TempDir
    Path config;

    private Tmux tmux;

    @BeforeAll
    static void startServer() {
        assumeTrue(Tmux.available(), "tmux is not installed: the real-terminal tests are skipped (apt-get install tmux)");
        server = TestServer.start();
        api = new Api(server);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void closeTerminal() {
        if (tmux != null) {
            tmux.close();
        }
    }

    private void chat(String room) {
        tmux = Tmux.start(100, 30, Map.of("XDG_CONFIG_HOME", config.toString()));
        tmux.runScript(ClientProcess.command("chat", "--server", server.uri().toString(), room));
        awaitStatus(room);
    }

    private void awaitStatus(String room) {
        // With the prompt of that window: keys typed before it shows could land on the previous prompt.
        tmux.awaitScreen("the status line of " + room, screen -> statusLine().contains("| " + room + " | connected")
                && screen.contains(room + ">"));
    }

    private String statusLine() {
        return tmux.rows().getLast();
    }

    /** The console's own user name, as its status line shows it. */
    private String me() {
        var matcher = ME.matcher(statusLine());
        assertThat(matcher.find()).as(statusLine()).isTrue();
        return matcher.group(1);
    }

    private void quit() {
        tmux.type("/quit");
        tmux.awaitScreen("the shell's prompt", screen -> {
            var rows = tmux.rows().stream().filter(row -> !row.isBlank()).toList();
            return !rows.isEmpty() && rows.getLast().equals(Tmux.PROMPT);
        });
        assertThat(tmux.screen()).doesNotContain("| connected");
    }

    @Test
    void twoWindowsKeepTheirOwnLinesAndShowActivityUntilLookedAt() {
        var other = api.anonymousToken();
        chat("first");
        tmux.type("/join second");
        awaitStatus("second");
        api.sendText("second", other, "seen in second");
        tmux.awaitText("seen in second");

        api.sendText("first", other, "news for first");
        tmux.awaitScreen("activity of window 2", screen -> statusLine().contains("[2:first]"));
        assertThat(tmux.screen()).doesNotContain("news for first");

        tmux.keys("M-2");
        awaitStatus("first");
        tmux.awaitText("news for first");
        var screen = tmux.screen();
        assertThat(screen).contains("---- new since you last looked ----").doesNotContain("seen in second");
        assertThat(screen.indexOf("---- new since")).isLessThan(screen.indexOf("news for first"));
        assertThat(statusLine()).doesNotContain("[2:first]");

        tmux.type("/window 3");
        awaitStatus("second");
        tmux.awaitText("seen in second");
        assertThat(tmux.screen()).doesNotContain("news for first");

        tmux.type("/windows");
        tmux.awaitScreen("the list of windows", s -> s.contains(" 1 home") && s.contains(" 2 first")
                && s.contains(" 3 second"));

        tmux.keys("M-Left");
        awaitStatus("first");
        tmux.keys("M-Right");
        awaitStatus("second");

        tmux.type("/part");
        awaitStatus("first");
        assertThat(statusLine()).doesNotContain("second");
        quit();
    }

    @Test
    void aMentionElsewhereRingsTheBellAndIsMarkedInTheStatusLine() {
        var other = api.anonymousToken();
        chat("quietroom");
        tmux.type("/join busyroom");
        awaitStatus("busyroom");
        assertThat(tmux.bellRang()).as("no bell before the mention").isFalse();

        api.sendText("quietroom", other, "@" + me() + " look here");
        tmux.awaitScreen("the highlight of window 2", screen -> statusLine().contains("[2:quietroom!]"));
        await().atMost(Duration.ofSeconds(10)).until(tmux::bellRang);
        quit();
    }

    @Test
    void aDirectMessageFromSomeoneElseOpensAWindow() {
        var bob = api.login("bobdm", null);
        chat("dmroom");
        var me = me();
        assertThat(api.sendDirect(me, bob, "psst, a word").status()).isEqualTo(201);
        tmux.awaitScreen("the conversation's window", screen -> statusLine().contains("3:@bobdm!"));
        tmux.keys("M-3");
        awaitStatus("@bobdm");
        tmux.awaitText("psst, a word");

        tmux.type("hi bob");
        tmux.awaitScreen("the answer in the conversation", screen -> screen.matches("(?s).*anon-\\S+: hi bob.*"));
        assertThat(api.get("/dm/" + me + "?timeout=0&history=5", bob).body()).contains("hi bob");
        quit();
    }

    @Test
    void queryShowsTheConversationSoFarAndPageUpReadsFurtherBack() throws Exception {
        var carla = api.login("carladm", null);
        // The console starts as dana, saved as `console-chat login` saves her, and has never seen the
        // conversation: only the server has it.
        var address = ServerAddress.parse(server.uri().toString());
        var dana = ChatClient.create(address, false).login("danadm", null);
        new TokenStore(config.resolve("console-chat"), new Json()).save(address, SavedLogin.of(dana));
        for (int i = 1; i <= 40; i++) {
            assertThat(api.sendDirect("danadm", carla, String.format("earlier-%02d", i)).status()).isEqualTo(201);
        }
        chat("queryroom");
        assertThat(statusLine()).contains("danadm");
        assertThat(tmux.screen()).doesNotContain("earlier-");
        tmux.type("/query carladm");
        awaitStatus("@carladm");
        tmux.awaitText("earlier-40");
        assertThat(tmux.screen()).doesNotContain("earlier-01");

        for (int i = 0; i < 4 && !tmux.screen().contains("earlier-01"); i++) {
            tmux.keys("PPage");
            tmux.awaitScreen("the page drawn", screen -> statusLine().contains("scrolled back"));
        }
        tmux.awaitText("earlier-01");
        quit();
    }

    @Test
    void theSettingsFileJoinsRoomsAndAddsHighlightWords() throws Exception {
        var dir = java.nio.file.Files.createDirectories(config.resolve("console-chat"));
        java.nio.file.Files.writeString(dir.resolve("config.toml"), """
                rooms = ["alpha", "beta"]
                highlight = ["deploy"]
                time_format = "HH:mm:ss"
                """);
        var other = api.anonymousToken();
        tmux = Tmux.start(100, 30, Map.of("XDG_CONFIG_HOME", config.toString()));
        tmux.runScript(ClientProcess.command("chat", "--server", server.uri().toString()));
        awaitStatus("beta");

        api.sendText("alpha", other, "the deploy starts now");
        tmux.awaitScreen("the highlight of window 2", screen -> statusLine().contains("[2:alpha!]"));
        tmux.keys("M-2");
        awaitStatus("alpha");
        tmux.awaitScreen("the time with seconds", screen -> screen.matches("(?s).*\\d\\d:\\d\\d:\\d\\d anon-\\S+: the deploy starts now.*"));
        quit();
    }

    @Test
    void pageUpFetchesEarlierHistoryFromTheServer() {
        var other = api.anonymousToken();
        for (int i = 1; i <= 60; i++) {
            api.sendText("longago", other, String.format("old-%02d", i));
        }
        chat("longago");
        tmux.awaitText("old-60");
        assertThat(tmux.screen()).doesNotContain("old-30").doesNotContain("old-01");

        tmux.keys("PPage");
        tmux.awaitScreen("earlier messages", screen -> screen.contains("old-30"));
        assertThat(statusLine()).contains("scrolled back");
        for (int i = 0; i < 3 && !tmux.screen().contains("old-01"); i++) {
            tmux.keys("PPage");
            tmux.awaitScreen("the page drawn", screen -> statusLine().contains("scrolled back"));
        }
        tmux.awaitText("old-01");

        for (int i = 0; i < 5; i++) {
            tmux.keys("NPage");
        }
        tmux.awaitScreen("the newest lines again", screen -> screen.contains("old-60")
                && !statusLine().contains("scrolled back"));
        quit();
    }
}
