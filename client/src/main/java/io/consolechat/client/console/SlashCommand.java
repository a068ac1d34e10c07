package io.consolechat.client.console;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The commands of the interactive console, as completed and listed by {@code /help}. */
enum SlashCommand {
    JOIN("ROOM", "join a room (leaving the current one)"),
    LEAVE("", "leave the current room"),
    ROOMS("", "list rooms: members and last activity"),
    WHO("", "who is in the current room"),
    HISTORY("[N]", "show N older messages of the current room"),
    LOGIN("NAME", "log in; an empty password makes a temporary user, a new name with a password an account"),
    LOGOUT("", "log out and continue anonymously"),
    ME("TEXT", "send an action, shown as * you TEXT"),
    WHOAMI("", "who you are"),
    IGNORE("[NAME]", "hide NAME's messages (without NAME: list who is ignored)"),
    UNIGNORE("NAME", "show NAME's messages again"),
    HELP("", "this list"),
    QUIT("", "leave and quit (Ctrl-D too)");

    private final String arguments;
    private final String help;

    SlashCommand(String arguments, String help) {
        this.arguments = arguments;
        this.help = help;
    }

    String word() {
        return "/" + name().toLowerCase(Locale.ROOT);
    }

    String usage() {
        return arguments.isEmpty() ? word() : word() + " " + arguments;
    }

    String help() {
        return help;
    }

    static Optional<SlashCommand> of(String word) {
        return Arrays.stream(values()).filter(c -> c.word().equalsIgnoreCase(word)).findFirst();
    }
}
