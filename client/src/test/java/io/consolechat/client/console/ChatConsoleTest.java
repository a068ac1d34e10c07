package io.consolechat.client.console;

import static io.consolechat.client.console.DumbConsole.WAIT;
import static io.consolechat.client.console.DumbConsole.occurrences;
import static org.assertj.core.api.Assertions.assertThat;

import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.TestServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The interactive client on a dumb JLine terminal over pipes, against a real server. */
class ChatConsoleTest {
    private static TestServer server;
    private static Api api;

    @TempDir
    Path config;

    private DumbConsole console;

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
    void startConsole() {
        console = DumbConsole.start(server.uri(), config, DumbConsole.quickSettings());
    }

    @AfterEach
    void closeKeyboard() throws IOException {
        console.close();
    }

    @Test
    void logInJoinChatWhoLeaveAndQuit() throws Exception {
        console.type("/login alice");
        console.type("correct horse battery");
        console.awaitScreen("new account alice: the password again");
        console.type("correct horse battery");
        console.awaitScreen("account alice created");
        assertThat(console.screen()).doesNotContain("correct horse battery");

        var bob = api.login("bob", null);
        console.type("/join lobby");
        console.awaitScreen("--> alice joined lobby");
        try (var bobStream = api.stream("/room/lobby?timeout=30&history=0", bob)) {
            console.awaitScreen("--> ~bob joined lobby");

            api.sendText("lobby", bob, "hello alice");
            console.awaitScreen("~bob: hello alice");

            console.type("hi bob");
            String line;
            do {
                line = bobStream.nextLine(WAIT);
            } while (line != null && !line.contains("hi bob"));
            assertThat(line).contains("\"name\":\"alice\"");

            // After bob's next message is on screen, alice's own line must be there exactly once.
            api.sendText("lobby", bob, "got it");
            console.awaitScreen("~bob: got it");
            assertThat(occurrences(console.screen(), "alice: hi bob")).isEqualTo(1);

            console.type("/who");
            console.awaitScreen("in lobby (2): ");
            var who = console.screen().substring(console.screen().lastIndexOf("in lobby (2): "));
            assertThat(who.lines().findFirst().orElseThrow()).contains("alice").contains("~bob");

            console.type("/leave");
            console.awaitScreen("you left lobby");
            do {
                line = bobStream.nextLine(WAIT);
            } while (line != null && !(line.contains("\"leave\"") && line.contains("alice")));
            assertThat(line).as("bob sees alice leave").isNotNull();
        }
        console.quit();
    }

    @Test
    void refusedLoginLeavesYouWhoYouWere() throws Exception {
        api.login("carol", "carols password");
        console.type("/whoami");
        console.awaitScreen("(anonymous)");
        console.type("/login carol");
        console.type("not her password");
        console.awaitScreen("login refused: ");
        assertThat(console.screen()).contains("you are still anon-");

        console.type("/login dave");
        console.type("");
        console.awaitScreen("you are ~dave (temporary)");
        console.quit();
    }

    @Test
    void anEmptyPasswordForARegisteredNameAsksForItsPassword() throws Exception {
        api.login("frank", "franks password");
        console.type("/login frank");
        console.type("");
        console.awaitScreen("frank belongs to a registered account");
        console.awaitScreen("password for frank (empty: cancel)");
        console.type("franks password");
        console.awaitScreen("you are frank (registered)");
        assertThat(console.screen()).doesNotContain("login refused").doesNotContain("franks password");

        console.type("/login frank");
        console.type("");
        console.awaitScreen("password for frank (empty: cancel)");
        console.type("");
        console.awaitScreen("login cancelled");
        console.quit();
    }

    @Test
    void aNewAccountsPasswordIsAskedForTwice() throws Exception {
        console.type("/login erin");
        console.type("erins first password");
        console.awaitScreen("new account erin: the password again");
        console.type("a different password");
        console.awaitScreen("the passwords differ; no account created");
        console.type("/whoami");
        console.awaitScreen("(anonymous) on ");

        // The name was left free: the same steps with matching passwords create the account.
        console.type("/login erin");
        console.type("erins first password");
        console.type("erins first password");
        console.awaitScreen("account erin created");
        console.awaitScreen("you are erin (registered)");
        console.quit();
    }

    @Test
    void meSendsAnActionAndWhoamiSaysWhoYouAre() throws Exception {
        console.type("/login gina");
        console.type("");
        console.awaitScreen("you are ~gina (temporary)");
        console.type("/join actions");
        console.awaitScreen("joined actions");
        console.type("/me waves");
        console.awaitScreen("* ~gina waves");
        console.type("/whoami");
        console.awaitScreen("you are ~gina (temporary) on " + server.uri());

        var texts = new ArrayList<String>();
        api.get("/room/actions/messages?limit=10", api.anonymousToken()).json().forEach(event -> {
            if (event.path("type").asText().equals("message")) {
                texts.add(event.path("text").asText());
            }
        });
        assertThat(texts).containsExactly("waves");
        assertThat(occurrences(console.screen(), "waves")).isEqualTo(1);
        console.quit();
    }

    @Test
    void aMentionRingsTheBellAndIgnoredPeopleAreHidden() throws Exception {
        console.type("/login hana");
        console.type("");
        console.awaitScreen("you are ~hana (temporary)");
        console.type("/join mentions");
        console.awaitScreen("joined mentions");
        var ivan = api.login("ivan", null);
        var judy = api.login("judy", null);
        api.sendText("mentions", ivan, "no mention here: hana, @hanako, hana@example.org");
        api.sendText("mentions", ivan, "lunch, @HANA?");
        console.awaitScreen("lunch, @HANA?");
        assertThat(occurrences(console.screen(), "\u0007")).as("one bell, for the one mention").isEqualTo(1);

        console.type("/ignore ivan");
        console.awaitScreen("ignoring ivan");
        api.sendText("mentions", ivan, "ignored @hana");
        api.sendText("mentions", judy, "after ivan's");
        console.awaitScreen("~judy: after ivan's");
        assertThat(console.screen()).doesNotContain("ignored @hana");
        assertThat(occurrences(console.screen(), "\u0007")).isEqualTo(1);
        console.type("/unignore ivan");
        console.awaitScreen("showing the messages of ivan again");
        api.sendText("mentions", ivan, "back again");
        console.awaitScreen("~ivan: back again");
        console.quit();
    }

    @Test
    void theBellCanBeTurnedOff() throws Exception {
        console.close();
        console = DumbConsole.start(server.uri(), config, DumbConsole.quickSettings(), false);
        console.type("/login kim");
        console.type("");
        console.awaitScreen("you are ~kim (temporary)");
        console.type("/join quiet");
        console.awaitScreen("joined quiet");
        api.sendText("quiet", api.anonymousToken(), "@kim hello");
        console.awaitScreen("@kim hello");
        assertThat(console.screen()).doesNotContain("\u0007");
        console.quit();
    }

    @Test
    void hostileTextIsShownEscapedAndHistoryPagesBackwards() throws Exception {
        var mallory = api.anonymousToken();
        for (int i = 1; i <= 25; i++) {
            api.sendText("old", mallory, "old message " + i);
        }
        api.sendText("old", mallory, "file\u202Etxt.exe");
        console.type("/join old");
        console.awaitScreen("file\\u202etxt.exe");
        // On joining: the last 20 events, that is messages 8 to 25, the hostile one and the join.
        assertThat(console.screen()).doesNotContain("\u202E").contains(": old message 8")
                .doesNotContain(": old message 7");

        console.type("/history 5");
        console.awaitScreen("end of the earlier events");
        assertThat(console.screen()).contains(": old message 3").contains(": old message 7");
        assertThat(console.screen().lines()).noneMatch(line -> line.endsWith(": old message 2"));

        console.type("//help is literal");
        console.awaitScreen(": /help is literal");
        console.type("/nonsense");
        console.awaitScreen("unknown command /nonsense");
        console.quit();
    }

    @Test
    void aLongMessageIsShownWhole() throws Exception {
        var words = new StringBuilder();
        for (int i = 1; words.length() < 3900; i++) {
            words.append("word").append(i).append(' ');
        }
        var text = words.toString().strip();
        api.sendText("long", api.anonymousToken(), text);
        console.type("/join long");
        console.awaitScreen("joined long");
        console.awaitScreen(text.substring(text.lastIndexOf(' ') + 1));
        // A dumb terminal does not know its width: the message is one whole line.
        assertThat(console.screen()).contains(text).doesNotContain("more characters");
        console.quit();
    }

    @Test
    void endOfInputQuitsAndLeavesTheRoom() throws Exception {
        var watcher = api.anonymousToken();
        console.type("/join eof");
        console.awaitScreen("joined eof");
        try (var stream = api.stream("/room/eof?timeout=30&history=0", watcher)) {
            console.close();
            console.awaitEnd();
            String line;
            do {
                line = stream.nextLine(WAIT);
            } while (line != null && !line.contains("\"leave\""));
            assertThat(line).as("the leave is written at quit, not after the grace period").isNotNull();
        }
    }

    @Test
    void roomCommandsActOnTheRoomAndSayWhyTheServerRefuses() throws Exception {
        var owner = api.login("olga", "olga's password");
        assertThat(api.put("/room/owned", owner, "{\"topic\":\"first topic\"}").status()).isEqualTo(201);
        console.type("/join owned");
        console.awaitScreen("joined owned");
        console.type("/topic");
        console.awaitScreen("topic of owned: first topic");
        console.type("/topic taken over");
        console.awaitScreen("topic not set: ");
        assertThat(console.screen()).contains("(/login NAME with a password first)");
        console.type("/kick olga");
        console.awaitScreen("olga not kicked: ");

        console.type("/login olga");
        console.type("olga's password");
        console.awaitScreen("you are olga (registered)");
        console.type("/topic release friday");
        console.awaitScreen("olga set the topic: release friday");
        console.type("/invite nobody-here");
        console.awaitScreen("nobody-here not invited: ");
        console.type("hello owners");
        console.awaitScreen("olga: hello owners");
        console.type("/delete");
        console.awaitScreen("deleted message");
        assertThat(api.get("/room/owned/messages?limit=10", owner).body()).doesNotContain("hello owners");

        console.type("/help");
        for (var command : SlashCommand.values()) {
            console.awaitScreen(command.usage());
        }
        console.quit();
    }
}
