package io.consolechat.app;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code console-chat}: one jar, one subcommand per job. */
@Command(name = "console-chat",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "A chat system for the terminal.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ok", "1:usage error",
                "2:server unreachable (client commands)", "3:authentication refused (client commands)",
                "4:request refused (client commands; the server's message on stderr)"})
public final class Main implements Callable<Integer> {

    /** Every subcommand's exit code for a usage error. */
    static final int USAGE = 1;

    /**
     * The subcommands, in the order --help lists them. Picocli creates a command object for each one it
     * registers, and a client command builds its JSON codec as it is created: registering all of them
     * costs a short command more than its own work, so {@link #commandLine(String...)} registers only
     * those the arguments need. (A method, not a constant: naming a class loads it.)
     */
    static List<Class<?>> allSubcommands() {
        return List.of(ServerCommand.class,
                io.consolechat.client.cli.ChatCommand.class,
                io.consolechat.client.cli.SendCommand.class,
                io.consolechat.client.cli.ListenCommand.class,
                io.consolechat.client.cli.LoginCommand.class,
                io.consolechat.client.cli.LogoutCommand.class,
                io.consolechat.client.cli.RoomsCommand.class,
                io.consolechat.client.cli.WhoCommand.class,
                io.consolechat.client.cli.HistoryCommand.class,
                io.consolechat.bench.BenchCommand.class,
                StartupTraining.class,
                AdminCommand.class,
                MigrateCommand.class,
                CommandLine.HelpCommand.class);
    }

    /**
     * The subcommand called {@code name}, found without loading the others (reading their annotations
     * would load the classes those name, the bench's workloads for one). MainTest keeps it in step with
     * {@link #allSubcommands()}. {@code help} is not here: it needs its siblings.
     */
    static Optional<Class<?>> subcommandNamed(String name) {
        return Optional.ofNullable(switch (name) {
            case "server" -> ServerCommand.class;
            case "chat" -> io.consolechat.client.cli.ChatCommand.class;
            case "send" -> io.consolechat.client.cli.SendCommand.class;
            case "listen" -> io.consolechat.client.cli.ListenCommand.class;
            case "login" -> io.consolechat.client.cli.LoginCommand.class;
            case "logout" -> io.consolechat.client.cli.LogoutCommand.class;
            case "rooms" -> io.consolechat.client.cli.RoomsCommand.class;
            case "who" -> io.consolechat.client.cli.WhoCommand.class;
            case "history" -> io.consolechat.client.cli.HistoryCommand.class;
            case "bench" -> io.consolechat.bench.BenchCommand.class;
            case "startup-training" -> StartupTraining.class;
            case "admin" -> AdminCommand.class;
            case "migrate" -> MigrateCommand.class;
            default -> null;
        });
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine(args).execute(args));
    }

    /** The whole command tree, every subcommand registered. */
    public static CommandLine commandLine() {
        return configure(new CommandLine(new Main()), allSubcommands());
    }

    /** The command tree for running {@code args}: the subcommand they name, or all when the output may list them. */
    public static CommandLine commandLine(String... args) {
        return configure(new CommandLine(new Main()), subcommandsFor(args));
    }

    /** As {@link #commandLine(String...)}, with the commands created by {@code factory}. */
    static CommandLine commandLine(CommandLine.IFactory factory, String... args) {
        return configure(new CommandLine(new Main(), factory), subcommandsFor(args));
    }

    static List<Class<?>> subcommandsFor(String... args) {
        if (args.length == 1 && (args[0].equals("-V") || args[0].equals("--version"))) {
            return List.of();
        }
        // No command, an option, `help NAME` or an unknown name (for the suggestions): all of them.
        var named = args.length == 0 ? Optional.<Class<?>>empty() : subcommandNamed(args[0]);
        return named.isPresent() ? List.of(named.get()) : allSubcommands();
    }

    private static CommandLine configure(CommandLine line, List<Class<?>> subcommands) {
        for (var subcommand : subcommands) {
            line.addSubcommand(subcommand);
        }
        // After the subcommands: these settings reach only the subcommands present when they are set.
        return line.setCaseInsensitiveEnumValuesAllowed(true)
                .setParameterExceptionHandler(Main::usageError);
    }

    /** A usage error is one line naming the command's --help, not the whole help text. */
    private static int usageError(CommandLine.ParameterException e, String[] args) {
        var command = e.getCommandLine();
        var err = command.getErr();
        err.println("console-chat: " + e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println("see: " + command.getCommandSpec().qualifiedName() + " --help");
        return USAGE;
    }

    /** No command given: a usage error, with the list of commands to choose from. */
    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        err.println("console-chat: missing command");
        spec.commandLine().usage(err);
        return USAGE;
    }
}
