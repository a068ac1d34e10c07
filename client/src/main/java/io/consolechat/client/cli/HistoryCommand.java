package io.consolechat.client.cli;

import io.consolechat.client.Sanitizer;
import io.consolechat.client.console.EventView;
import java.time.ZoneId;
import java.util.OptionalLong;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code console-chat history ROOM}: a room's past events, oldest first. */
@Command(name = "history", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = ExitCode.USAGE,
        description = "Print a room's past events, oldest first.")
public final class HistoryCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ROOM", description = "The room.")
    String room;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50",
            description = "How many events, 1 to 500 (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--before", paramLabel = "SEQ", description = "Only events before this sequence number.")
    Long before;

    @Option(names = "--json", description = "Print each event as one line of JSON.")
    boolean json;

    public HistoryCommand() {
        this(ClientEnvironment.system());
    }

    public HistoryCommand(ClientEnvironment environment) {
        super(environment);
    }

    @Override
    int execute() {
        var target = room(room);
        if (limit < 1 || limit > 500 || before != null && before < 1) {
            throw new UsageError("--limit is 1 to 500, --before 1 or more");
        }
        var client = client();
        var view = new EventView(new Sanitizer(), ZoneId.systemDefault(), false);
        var events = client.messages(token(client), target,
                before == null ? OptionalLong.empty() : OptionalLong.of(before), limit);
        for (var event : events) {
            if (json) {
                print(client.json().write(event));
            } else {
                view.render(event).forEach(line -> print(line.toString()));
            }
        }
        return ExitCode.OK;
    }
}
