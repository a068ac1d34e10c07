package io.consolechat.client.cli;

import io.consolechat.client.SavedLogin;
import io.consolechat.protocol.Names;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code console-chat login NAME}: logs in and saves the token for this server. */
@Command(name = "login", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = ExitCode.USAGE,
        description = {"Log in and save the token for this server (in $XDG_CONFIG_HOME/console-chat/, "
                + "else ~/.config/console-chat/, readable by you only); the other commands then use it.",
                "An empty password logs in as a temporary user of that name; a free name with a password "
                        + "creates an account."})
public final class LoginCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "Your user name.")
    String name;

    @Option(names = "--password-stdin", description = "Read the password from the first line of standard input.")
    boolean passwordFromStdin;

    public LoginCommand() {
        this(ClientEnvironment.system());
    }

    public LoginCommand(ClientEnvironment environment) {
        super(environment);
    }

    @Override
    int execute() {
        if (!Names.isValidUserName(name)) {
            throw new UsageError("not a user name: '" + name + "' (2 to 32 of A-Z a-z 0-9 _ -, not starting with anon-)");
        }
        var client = client();
        var response = client.login(name, password());
        tokens().save(client.server(), SavedLogin.of(response));
        if (Boolean.TRUE.equals(response.created())) {
            print("account " + response.user().name() + " created");
        }
        print("logged in to " + client.server() + " as " + response.user().name()
                + " (" + response.user().kind().wireName() + ")");
        return ExitCode.OK;
    }

    private String password() {
        if (passwordFromStdin) {
            try {
                var line = new BufferedReader(new InputStreamReader(environment.stdin(), StandardCharsets.UTF_8))
                        .readLine();
                return line == null ? "" : line;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the password: " + e.getMessage(), e);
            }
        }
        var console = System.console();
        if (!environment.terminal() || console == null) {
            throw new UsageError("no terminal to ask for the password: use --password-stdin");
        }
        var typed = console.readPassword("password for %s (empty: temporary user): ", name);
        return typed == null ? "" : new String(typed);
    }
}
