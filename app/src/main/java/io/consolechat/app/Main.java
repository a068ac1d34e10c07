package io.consolechat.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code console-chat}: one jar, one subcommand per job. */
@Command(name = "console-chat",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "A chat system for the terminal.",
        subcommands = {ServerCommand.class,
                io.consolechat.client.cli.ChatCommand.class,
                io.consolechat.client.cli.SendCommand.class,
                io.consolechat.client.cli.ListenCommand.class,
                io.consolechat.client.cli.LoginCommand.class,
                io.consolechat.client.cli.LogoutCommand.class,
                io.consolechat.client.cli.RoomsCommand.class,
                io.consolechat.client.cli.WhoCommand.class,
                io.consolechat.client.cli.HistoryCommand.class,
                io.consolechat.bench.BenchCommand.class,
                AdminCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return new CommandLine(new Main())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setParameterExceptionHandler(Main::usageError);
    }

    /** Every subcommand's exit code for a usage error. */
    static final int USAGE = 1;

    /** A usage error is one line naming the command's --help, not the whole help text. */
    private static int usageError(CommandLine.ParameterException e, String[] args) {
        var command = e.getCommandLine();
        var err = command.getErr();
        err.println("console-chat: " + e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println("see: " + command.getCommandSpec().qualifiedName() + " --help");
        return USAGE;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
