package io.consolechat.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class MainTest {

    private record Run(int exitCode, String out, String err) {
    }

    /** Runs {@code args} on the command tree {@link Main#main} would build for them. */
    private static Run run(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var command = Main.commandLine(args);
        command.setErr(new PrintWriter(err, true));
        command.setOut(new PrintWriter(out, true));
        int code = command.execute(args);
        return new Run(code, out.toString(), err.toString());
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
                "history", "bench", "admin", "migrate");
    }

    @Test
    void noCommandIsAUsageErrorWithTheListOfCommandsOnStderr() {
        var run = run();
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("console-chat: missing command" + System.lineSeparator() + "Usage: console-chat")
                .contains("server", "send", "listen", "bench");
    }

    @Test
    void benchWithoutAWorkloadIsAUsageErrorToo() {
        var run = run("bench");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("console-chat bench: missing workload").contains("fanout", "suite");
    }

    @Test
    void helpListsTheExitCodes() {
        assertThat(run("--help").out()).contains("Exit codes:", "1   usage error", "2   server unreachable",
                "4   request refused");
        assertThat(run("server", "--help").out()).contains("Exit codes:", "1     usage error", "143   stopped by SIGTERM");
        assertThat(run("bench", "--help").out()).contains("Exit codes:", "0   the report was printed", "1   usage error");
        assertThat(run("bench", "fanout", "--help").out()).contains("Exit codes:", "1   usage error");
        assertThat(run("bench", "suite", "--help").out()).contains("Exit codes:", "1   usage error");
    }

    @Test
    void aCommandIsBuiltWithoutItsSiblings() {
        assertThat(Main.commandLine("send", "lobby", "hi").getSubcommands().keySet()).containsExactly("send");
        assertThat(Main.commandLine("bench", "all").getSubcommands().keySet()).containsExactly("bench");
        assertThat(Main.commandLine("--version").getSubcommands()).isEmpty();
        var run = run("send", "--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("Usage: console-chat send ");
    }

    @Test
    void helpAndUnknownNamesSeeEveryCommand() {
        for (var args : new String[][] {{}, {"--help"}, {"help", "send"}, {"logn"}, {"--version", "x"}}) {
            assertThat(Main.commandLine(args).getSubcommands().keySet()).as(String.join(" ", args))
                    .contains("server", "chat", "send", "bench", "help");
        }
        var run = run("help", "send");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("Usage: console-chat send ");
    }

    @Test
    void theVersionNeedsNoCommand() {
        var run = run("--version");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("console-chat ");
    }

    @Test
    void everyCommandIsFoundByItsNamesAlone() {
        for (var type : Main.allSubcommands()) {
            var command = type.getAnnotation(picocli.CommandLine.Command.class);
            var expected = type == picocli.CommandLine.HelpCommand.class ? java.util.Optional.empty()
                    : java.util.Optional.of(type);
            assertThat(Main.subcommandNamed(command.name())).as(command.name()).isEqualTo(expected);
            for (var alias : command.aliases()) {
                assertThat(Main.subcommandNamed(alias)).as(alias).isEqualTo(expected);
            }
        }
        assertThat(Main.subcommandNamed("logn")).isEmpty();
    }
}
