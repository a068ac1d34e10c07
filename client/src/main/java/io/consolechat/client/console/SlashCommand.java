package io.consolechat.client.console;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The commands of the interactive console, as completed and listed by {@code /help}. */
enum SlashCommand {
    JOIN("ROOM [KEY]", "open a window on a room (KEY for a room that has one); the other windows stay"),
    PART("", "close the current window, leaving its room"),
    LEAVE("", "the same as /part"),
    WINDOW("N", "go to window N (Alt-1..9, Alt-Left/Right too)"),
    WINDOWS("", "list the windows and what is new in them"),
    MSG("NAME TEXT", "send a direct message to NAME (in NAME's window)"),
    QUERY("NAME", "open the window of the direct conversation with NAME"),
    ROOMS("", "list rooms: members and last activity"),
    WHO("", "who is in the current room"),
    HISTORY("[N]", "show N older messages of the current room (PageUp pages back too)"),
    TOPIC("[TEXT]", "show the room's topic, or set it (the owner or an operator)"),
    INVITE("NAME", "invite a registered user to this room (the owner or an operator)"),
    KICK("NAME [REASON]", "remove NAME from this room (the owner or an operator)"),
    BAN("NAME [MINUTES] [REASON]", "ban NAME from this room, for MINUTES or until lifted"),
    KEY("KEY|off", "set or remove the key needed to join this room (the owner or an operator)"),
    OP("NAME", "make a registered user an operator of this room (the owner)"),
    DEOP("NAME", "take NAME's operator rights back (the owner)"),
    DELETE("[SEQ]", "delete your last message here, or message SEQ (its author or a moderator)"),
    LOGIN("NAME", "log in; an empty password makes a temporary user, a new name with a password an account"),
    LOGOUT("", "log out and continue anonymously"),
    ME("TEXT", "send an action, shown as * you TEXT"),
    WHOAMI("", "who you are"),
    IGNORE("[NAME]", "hide NAME's messages in every window (without NAME: list who is ignored)"),
    UNIGNORE("NAME", "show NAME's messages again"),
    HELP("", "this list"),
    QUIT("", "leave every room and quit (Ctrl-D too)");

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
