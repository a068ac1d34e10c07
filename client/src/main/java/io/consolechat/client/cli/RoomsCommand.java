package io.consolechat.client.cli;

import io.consolechat.client.Sanitizer;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import picocli.CommandLine.Command;

/** {@code console-chat rooms}: every room, most recently active first. */
@Command(name = "rooms", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = ExitCode.USAGE,
        description = "List the rooms: name, members present, last sequence number, last activity.")
public final class RoomsCommand extends ClientCommand {
    private static final String ROW = "%-24s %7s %8s  %s";
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    public RoomsCommand() {
        this(ClientEnvironment.system());
    }

    public RoomsCommand(ClientEnvironment environment) {
        super(environment);
    }

    @Override
    int execute() {
        var client = client();
        var sanitizer = new Sanitizer();
        var zone = ZoneId.systemDefault();
        var rooms = client.rooms(token(client));
        print(String.format(ROW, "ROOM", "MEMBERS", "LAST-SEQ", "LAST-ACTIVE"));
        for (var room : rooms) {
            var when = room.lastActivity() == null ? "-" : WHEN.format(room.lastActivity().atZone(zone));
            print(String.format(ROW, sanitizer.line(room.name()), room.members(), room.lastSeq(), when));
        }
        return ExitCode.OK;
    }
}
