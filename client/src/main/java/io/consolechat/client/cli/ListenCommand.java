package io.consolechat.client.cli;

import io.consolechat.client.ClientException;
import io.consolechat.client.ConnectionState;
import io.consolechat.client.Cursor;
import io.consolechat.client.RoomFollow;
import io.consolechat.client.RoomListener;
import io.consolechat.client.Sanitizer;
import io.consolechat.client.console.EventView;
import io.consolechat.protocol.Event;
import java.time.ZoneId;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code console-chat listen ROOM}: prints a room's events as they arrive, until Ctrl-C. */
@Command(name = "listen", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = ExitCode.USAGE,
        description = {"Print a room's events as they arrive, until Ctrl-C (or --count events).",
                "Reconnects by itself after a network error or a server restart; nothing is lost or repeated."})
public final class ListenCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ROOM", description = "The room.")
    String room;

    @Option(names = "--since", paramLabel = "SEQ",
            description = "Start after this sequence number (the `seq` of the last event you have).")
    Long since;

    @Option(names = "--history", paramLabel = "N", defaultValue = "0",
            description = "Without --since: first print the room's last N events (default ${DEFAULT-VALUE}).")
    int history;

    @Option(names = "--json", description = "Print each event as one line of JSON, for jq and scripts.")
    boolean json;

    @Option(names = {"-n", "--count"}, paramLabel = "N", description = "Exit after N events.")
    Long count;

    public ListenCommand() {
        this(ClientEnvironment.system());
    }

    public ListenCommand(ClientEnvironment environment) {
        super(environment);
    }

    @Override
    int execute() {
        var target = room(room);
        if (since != null && since < 0 || history < 0 || history > 500 || count != null && count < 1) {
            throw new UsageError("--since must be 0 or more, --history 0 to 500, --count 1 or more");
        }
        var client = client();
        var token = token(client);
        var cursor = since != null ? Cursor.after(since) : Cursor.recent(history);
        var done = new CompletableFuture<Integer>();
        var view = new EventView(new Sanitizer(), ZoneId.systemDefault(), false);
        var printed = new AtomicLong();
        var listener = new RoomListener() {
            private ConnectionState previous;

            @Override
            public void onEvent(Event event) {
                if (done.isDone()) {
                    return;
                }
                try {
                    if (json) {
                        print(client.json().write(event));
                    } else {
                        view.render(event).forEach(line -> print(line.toString()));
                    }
                } catch (OutputClosed e) {
                    done.complete(ExitCode.OK);
                    return;
                }
                if (count != null && printed.incrementAndGet() >= count) {
                    done.complete(ExitCode.OK);
                }
            }

            @Override
            public void onState(ConnectionState state) {
                switch (state) {
                    case ConnectionState.Reconnecting r when !(previous instanceof ConnectionState.Reconnecting) ->
                            fail("connection lost (" + r.reason() + "); reconnecting");
                    case ConnectionState.Connected c when previous instanceof ConnectionState.Reconnecting ->
                            fail("reconnected");
                    case ConnectionState.Offline o -> done.completeExceptionally(o.cause());
                    default -> {
                    }
                }
                previous = state;
            }
        };
        try (var follow = RoomFollow.start(client, () -> token, target, cursor, listener, RoomFollow.Settings.standard())) {
            return done.get();
        } catch (ExecutionException e) {
            throw (ClientException) e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCode.OK;
        }
    }
}
