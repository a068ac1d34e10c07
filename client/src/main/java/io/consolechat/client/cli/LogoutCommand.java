package io.consolechat.client.cli;

import io.consolechat.client.ApiError;
import picocli.CommandLine.Command;

/** {@code console-chat logout}: revokes the saved token and forgets it. */
@Command(name = "logout", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = ExitCode.USAGE,
        description = "Log out: revoke the saved token for this server and forget it.")
public final class LogoutCommand extends ClientCommand {

    public LogoutCommand() {
        this(ClientEnvironment.system());
    }

    public LogoutCommand(ClientEnvironment environment) {
        super(environment);
    }

    @Override
    int execute() {
        var client = client();
        var tokens = tokens();
        var saved = tokens.load(client.server());
        if (saved.isEmpty()) {
            print("not logged in to " + client.server());
            return ExitCode.OK;
        }
        try {
            client.logout(saved.get().token());
        } catch (ApiError e) {
            if (!e.isAuthentication()) {
                throw e;
            }
            // Expired or revoked already: logged out either way.
        }
        tokens.remove(client.server());
        print("logged out of " + client.server());
        return ExitCode.OK;
    }
}
