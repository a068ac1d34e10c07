package io.consolechat.client.cli;

import io.consolechat.client.Sanitizer;
import io.consolechat.protocol.UserKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code console-chat who ROOM}: who is in a room now, one per line. */
@Command(name = "who", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = ExitCode.USAGE,
        description = "List who is in a room now, one per line (temporary users as ~name).")
public final class WhoCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ROOM", description = "The room.")
    String room;

    public WhoCommand() {
        this(ClientEnvironment.system());
    }

    public WhoCommand(ClientEnvironment environment) {
        super(environment);
    }

    @Override
    int execute() {
        var target = room(room);
        var client = client();
        var sanitizer = new Sanitizer();
        for (var user : client.members(token(client), target)) {
            print((user.kind() == UserKind.TEMPORARY ? "~" : "") + sanitizer.line(user.name()));
        }
        return ExitCode.OK;
    }
}
