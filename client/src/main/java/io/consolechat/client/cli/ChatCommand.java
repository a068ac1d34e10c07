package io.consolechat.client.cli;

import io.consolechat.client.RoomFollow;
import io.consolechat.client.Sanitizer;
import io.consolechat.client.TokenStore;
import io.consolechat.client.console.ConsoleSettings;
import io.consolechat.client.console.ChatConsole;
import io.consolechat.client.console.EventView;
import io.consolechat.client.console.PlainScreen;
import io.consolechat.client.console.Screen;
import io.consolechat.client.console.TerminalScreen;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code console-chat chat [ROOM]}: the interactive client. */
@Command(name = "chat", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = ExitCode.USAGE,
        description = {"Chat interactively: /login, /join ROOM, then type; /help lists the commands.",
                "Without a terminal (a pipe), reads lines from standard input and prints plain lines.",
                "Honours NO_COLOR (no colors; a message that mentions you as @NAME still rings the bell).",
                "Settings (bell, time format, colors, highlight words, rooms to join): "
                        + "$XDG_CONFIG_HOME/console-chat/config.toml, see docs/CONSOLE.md."})
public final class ChatCommand extends ClientCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "ROOM", description = "A room to join at once.")
    String room;

    @Option(names = "--no-bell", description = "Do not ring the terminal bell when someone mentions you as @NAME "
            + "(or set env CONSOLE_CHAT_BELL=off).")
    boolean noBell;

    public ChatCommand() {
        this(ClientEnvironment.system());
    }

    public ChatCommand(ClientEnvironment environment) {
        super(environment);
    }

    @Override
    int execute() {
        var initialRoom = Optional.ofNullable(room).map(this::room);
        ConsoleSettings settings;
        try {
            settings = ConsoleSettings.read(TokenStore.directory(environment.variables()).resolve(ConsoleSettings.FILE));
        } catch (IllegalArgumentException e) {
            throw new UsageError("settings file " + e.getMessage());
        }
        var client = client();
        var color = settings.color().orElse(true) && !environment.noColor();
        var view = new EventView(new Sanitizer(), ZoneId.systemDefault(), color, settings.timeFormat());
        var console = new ChatConsole(client, tokens(), view, RoomFollow.Settings.standard(), Clock.systemUTC(),
                settings);
        try (var screen = screen(console, settings.bell().orElse(true))) {
            console.run(screen, initialRoom);
        }
        return ExitCode.OK;
    }

    /** The bell rings unless --no-bell, CONSOLE_CHAT_BELL=off or the settings file turn it off. */
    private boolean bell(boolean setting) {
        return setting && bell();
    }

    private boolean bell() {
        var setting = environment.variables().getOrDefault("CONSOLE_CHAT_BELL", "on");
        return !noBell && !List.of("off", "0", "false", "no").contains(setting.toLowerCase(java.util.Locale.ROOT));
    }

    private Screen screen(ChatConsole console, boolean bellSetting) {
        if (!environment.terminal()) {
            var in = new BufferedReader(new InputStreamReader(environment.stdin(), StandardCharsets.UTF_8));
            return new PlainScreen(in, out());
        }
        try {
            var terminal = TerminalBuilder.builder().system(true).name("console-chat").build();
            return new TerminalScreen(terminal, console.completer(), bell(bellSetting));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the terminal: " + e.getMessage(), e);
        }
    }
}
