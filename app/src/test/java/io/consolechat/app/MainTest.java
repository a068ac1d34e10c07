package io.consolechat.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class MainTest {

    private record Run(int exitCode, String err) {
    }

    private static Run run(String... args) {
        var err = new StringWriter();
        var command = Main.commandLine();
        command.setErr(new PrintWriter(err, true));
        command.setOut(new PrintWriter(new StringWriter(), true));
        int code = command.execute(args);
        return new Run(code, err.toString());
    }

    @Test
    void aUsageErrorIsOneLineAndExitCodeOne() {
        var run = run("server", "--port", "x");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().lines().toList())
                .containsExactly("console-chat: Invalid value for option '--port': 'x' is not an int",
                        "see: console-chat server --help");
    }

    @Test
    void aSettingTheServerCannotUseIsAUsageErrorToo() {
        var run = run("server", "--send-rate", "0");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("console-chat: invalid setting:").doesNotContain("Exception")
                .hasLineCount(2);
    }

    @Test
    void anUnknownCommandSuggestsTheNearestOnes() {
        var run = run("logn");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("console-chat: Unmatched argument at index 0: 'logn'")
                .contains("login").endsWith("see: console-chat --help" + System.lineSeparator());
    }

    @Test
    void everySubcommandIsListed() {
        var names = Main.commandLine().getSubcommands().keySet();
        assertThat(names).contains("server", "chat", "send", "listen", "login", "logout", "rooms", "who",
                "history", "bench", "admin");
    }
}
