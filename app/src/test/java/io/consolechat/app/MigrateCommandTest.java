package io.consolechat.app;

import static io.consolechat.server.testing.ErrorReplies.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.consolechat.protocol.ErrorCode;
import io.consolechat.protocol.Event;
import io.consolechat.protocol.PersonalEvent;
import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.PostgresExtension;
import io.consolechat.server.testing.PostgresExtension.Postgres;
import io.consolechat.server.testing.TestServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code console-chat migrate}: a data directory filled by a real server, copied into a real PostgreSQL, and
 * a server on that PostgreSQL that carries on where the first one stopped.
 */
@ExtendWith(PostgresExtension.class)
class MigrateCommandTest {
    private static final String PASSWORD = "a long enough password";

    private final Postgres postgres;
    private TestServer sqliteServer;

    MigrateCommandTest(Postgres postgres) {
        this.postgres = postgres;
    }

    private record Run(int exitCode, String out, String err) {
    }

    @BeforeEach
    void start() {
        sqliteServer = TestServer.start();
    }

    @AfterEach
    void stop() {
        sqliteServer.close();
    }

    private Run migrate(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var all = new String[args.length + 1];
        all[0] = "migrate";
        System.arraycopy(args, 0, all, 1, args.length);
        var command = Main.commandLine(all);
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        int code = command.execute(all);
        return new Run(code, out.toString(), err.toString());
    }

    private static List<Event> history(Api api, String room, String token) {
        var reply = api.get("/room/" + room + "/messages?limit=500", token);
        assertThat(reply.status()).as("%s", reply).isEqualTo(200);
        return reply.events();
    }

    @Test
    void everythingMovesAndTheServerOnPostgresCarriesOn() {
        var api = new Api(sqliteServer);
        var alice = api.login("alice", PASSWORD);
        var guest = api.login("bob", null);
        for (int i = 0; i < 30; i++) {
            api.sendMessage("lobby", i % 2 == 0 ? alice : guest, "message " + i);
        }
        assertThat(api.put("/room/vault", alice, "{\"access\": \"key\", \"key\": \"sesame\"}").status()).isEqualTo(201);
        api.sendMessage("vault", alice, "behind the key");
        api.sendDirectMessage("alice", guest, "a direct word");
        var lobbyBefore = history(api, "lobby", alice);
        var vaultBefore = history(api, "vault", alice);

        var url = postgres.newDatabase();
        var whileRunning = migrate("--data-dir", sqliteServer.dataDir().toString(), "--to", url);
        assertThat(whileRunning.exitCode()).isEqualTo(1);
        assertThat(whileRunning.err()).contains("in use by another console-chat server");
        assertThat(whileRunning.err().lines()).hasSize(1);

        sqliteServer.stop();
        var run = migrate("--data-dir", sqliteServer.dataDir().toString(), "--to", url);
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).containsPattern("users\\s+2").containsPattern("events\\s+\\d+")
                .containsPattern("room_settings\\s+1").containsPattern("tokens\\s+2")
                .containsPattern("personal_events\\s+1");

        try (var onPostgres = TestServer.start(c -> c.storage.database = url)) {
            var moved = new Api(onPostgres);
            // The token issued by the SQLite server still works: its hash moved with it.
            assertThat(moved.get("/me", alice).json().path("name").asText()).isEqualTo("alice");
            var login = moved.loginReply("alice", PASSWORD);
            assertThat(login.status()).as("%s", login).isEqualTo(200);
            assertThat(moved.loginReply("alice", "not the password").status()).isEqualTo(401);
            var again = login.json().path("token").asText();

            assertThat(history(moved, "lobby", again)).isEqualTo(lobbyBefore);
            assertThat(history(moved, "vault", again)).isEqualTo(vaultBefore);
            var next = moved.sendMessage("lobby", again, "after the move");
            assertThat(next.seq()).isEqualTo(lobbyBefore.getLast().seq() + 1);
            assertThat(moved.personalAfter(alice, 0)).extracting(PersonalEvent::text).containsExactly("a direct word");

            var outsider = moved.anonymousToken();
            assertError(moved.sendText("vault", outsider, "let me in"), ErrorCode.FORBIDDEN);
            assertError(moved.post("/room/vault/join", outsider, "{\"key\": \"wrong\"}"), ErrorCode.WRONG_KEY);
            assertThat(moved.post("/room/vault/join", outsider, "{\"key\": \"sesame\"}").status()).isEqualTo(200);
            assertThat(moved.sendText("vault", outsider, "in now").status()).isEqualTo(201);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aDatabaseThatIsNotEmptyIsRefusedWithOneLine() {
        new Api(sqliteServer).sendMessage("lobby", new Api(sqliteServer).anonymousToken(), "hello");
        var url = postgres.newDatabase();
        sqliteServer.stop();
        assertThat(migrate("--data-dir", sqliteServer.dataDir().toString(), "--to", url).exitCode()).isZero();

        var second = migrate("--data-dir", sqliteServer.dataDir().toString(), "--to", url);
        assertThat(second.exitCode()).isEqualTo(1);
        assertThat(second.err()).startsWith("console-chat: ").contains("is not empty");
        assertThat(second.err().lines()).hasSize(1);
        assertThat(second.out()).isEmpty();
    }

    @Test
    void aDataDirectoryWithoutADatabaseIsRefused() throws Exception {
        var empty = java.nio.file.Files.createTempDirectory("console-chat-empty");
        var run = migrate("--data-dir", empty.toString(), "--to", postgres.newDatabase());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("no console-chat database");
    }
}
