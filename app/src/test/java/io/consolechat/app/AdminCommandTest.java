package io.consolechat.app;

import static io.consolechat.server.testing.ErrorReplies.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.consolechat.protocol.ErrorCode;
import io.consolechat.protocol.StreamItem;
import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.TestServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code console-chat admin} as an operator runs it: on the data directory of a server that is running. */
class AdminCommandTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String PASSWORD = "a long enough password";

    private TestServer server;
    private Api api;

    private record Run(int exitCode, String out, String err) {
    }

    @BeforeEach
    void start() {
        server = TestServer.start();
        api = new Api(server);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Run admin(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var command = Main.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        var all = new String[args.length + 3];
        all[0] = "admin";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--data-dir";
        all[args.length + 2] = server.dataDir().toString();
        int code = command.execute(all);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void grantAndRevokeMakeAndUnmakeAServerAdminOnTheRunningServer() {
        var alice = api.login("alice", PASSWORD);
        api.sendMessage("busy", api.anonymousToken(), "someone was here");
        assertError(api.put("/room/busy", alice, "{}"), ErrorCode.ROOM_TAKEN);

        var granted = admin("grant", "alice");
        assertThat(granted.exitCode()).as(granted.err()).isZero();
        assertThat(granted.out()).contains("granted server admin to alice");
        assertThat(api.put("/room/busy", alice, "{\"access\": \"invite\"}").status()).isEqualTo(201);
        assertThat(admin("list").out()).containsPattern("alice\\s+registered\\s+yes");

        assertThat(admin("revoke", "alice").exitCode()).isZero();
        api.sendMessage("busy-too", api.anonymousToken(), "here as well");
        assertError(api.put("/room/busy-too", alice, "{}"), ErrorCode.ROOM_TAKEN);
        assertThat(admin("list").out()).containsPattern("alice\\s+registered\\s+no");
    }

    @Test
    void anUnknownUserIsAnErrorWithItsOwnExitCode() {
        api.login("guestname", null);
        for (var args : new String[][] {{"grant", "nobody"}, {"grant", "guestname"}, {"ban", "nobody"},
                {"unban", "nobody"}, {"delete-user", "nobody"}, {"revoke", "nobody"}}) {
            var run = admin(args);
            assertThat(run.exitCode()).as(String.join(" ", args)).isEqualTo(AdminCommand.NOT_FOUND);
            assertThat(run.err()).contains("no user");
        }
        assertThat(admin("ban", "guestname", "--minutes", "0").exitCode()).isEqualTo(Main.USAGE);
    }

    @Test
    void aServerBanEndsTheUsersStreamsAndSessionsAtOnceAndRefusesLoginUntilLifted() throws InterruptedException {
        var spammer = api.login("spammer", PASSWORD);
        api.get("/me", spammer);
        try (var stream = api.stream("/room/lobby?history=0&timeout=120", spammer)) {
            assertThat(stream.status()).isEqualTo(200);
            var banned = admin("ban", "spammer", "--reason", "spam");
            assertThat(banned.exitCode()).as(banned.err()).isZero();
            assertThat(stream.itemsToEnd(WAIT)).last().isInstanceOf(StreamItem.End.class);
        }
        await().atMost(WAIT).until(() -> api.get("/me", spammer).status() == 401);
        assertError(api.loginReply("spammer", PASSWORD), ErrorCode.BANNED);
        assertThat(admin("list").out()).containsPattern("spammer\\s+registered\\s+no\\s+.*until lifted");

        assertThat(admin("unban", "spammer").exitCode()).isZero();
        var back = api.login("spammer", PASSWORD);
        assertThat(api.sendText("lobby", back, "sorry").status()).isEqualTo(201);

        assertThat(admin("ban", "spammer", "--minutes", "60").exitCode()).isZero();
        assertError(api.loginReply("spammer", PASSWORD), ErrorCode.BANNED);
    }

    @Test
    void deletingAUserRemovesTheAccountButKeepsTheirMessages() {
        var carol = api.login("carol", PASSWORD);
        api.sendMessage("history", carol, "carol's words");
        var deleted = admin("delete-user", "carol");
        assertThat(deleted.exitCode()).as(deleted.err()).isZero();
        assertThat(admin("list").out()).doesNotContain("carol");
        // The name is free again: logging in creates a new account.
        var created = api.loginReply("carol", "another password here");
        assertThat(created.status()).isEqualTo(201);
        var history = api.get("/room/history/messages", created.json().path("token").asText()).events();
        assertThat(history).anySatisfy(e -> {
            assertThat(e.text()).isEqualTo("carol's words");
            assertThat(e.from().name()).isEqualTo("carol");
        });
    }
}
