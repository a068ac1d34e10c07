package io.consolechat.client.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** One run of the client commands as a user types them, with stdin and the environment given by the test. */
record CommandRun(int exit, String out, String err) {

    @Command(name = "console-chat", subcommands = {ChatCommand.class, SendCommand.class, ListenCommand.class,
            LoginCommand.class, LogoutCommand.class, RoomsCommand.class, WhoCommand.class, HistoryCommand.class})
    static final class Root {
    }

    /** The client commands as a process of their own (see {@link ClientProcess}), on the real stdin and stdout. */
    public static void main(String[] args) {
        System.exit(new CommandLine(Root.class).execute(args));
    }

    static CommandRun of(Map<String, String> environment, String stdin, String... args) {
        var out = new StringWriter();
        var run = of(environment, stdin, out, args);
        return new CommandRun(run.exit(), out.toString(), run.err());
    }

    /** A run whose standard output goes to {@code out} ({@link #out()} is then empty). */
    static CommandRun of(Map<String, String> environment, String stdin, Writer out, String... args) {
        var client = new ClientEnvironment(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                environment, false);
        var err = new StringWriter();
        int exit = new CommandLine(Root.class, ClientCommands.factory(client))
                .setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(args);
        return new CommandRun(exit, "", err.toString());
    }
}
