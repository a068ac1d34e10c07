package io.consolechat.client.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.consolechat.protocol.Names;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.Locale;
import java.util.Optional;

/**
 * What a user can set for the interactive console, in its settings file (see {@code docs/CONSOLE.md}):
 * the bell, how times are shown, colors, words that highlight a message like a mention of your name,
 * and the rooms to join at start. An absent setting keeps its default.
 *
 * @param bell       ring the terminal bell on a mention or a direct message
 * @param timeFormat a {@link java.time.format.DateTimeFormatter} pattern for the time before each line
 * @param color      null: as the environment says ({@code NO_COLOR}); true or false: always or never
 * @param highlights words that make a message a highlight, matched case-insensitively as whole words
 * @param rooms      rooms joined at start, each in a window of its own
 */
public record ConsoleSettings(Optional<Boolean> bell, String timeFormat, Optional<Boolean> color,
                              List<String> highlights, List<String> rooms) {

    public ConsoleSettings {
        highlights = highlights.stream().map(word -> word.toLowerCase(Locale.ROOT)).filter(w -> !w.isBlank()).toList();
        rooms = List.copyOf(rooms);
    }

    /** The settings file's name, in the configuration directory. */
    public static final String FILE = "config.toml";
    private static final Set<String> KEYS = Set.of("bell", "time_format", "color", "highlight", "rooms");

    /**
     * Reads the settings file; a missing file is the defaults.
     *
     * @throws IllegalArgumentException naming the file and what is wrong in it
     */
    public static ConsoleSettings read(Path file) {
        if (!Files.exists(file)) {
            return defaults();
        }
        JsonNode root;
        try {
            root = new TomlMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": not valid TOML: " + firstLine(e.getMessage()));
        }
        try {
            return of(root == null ? JsonNodeFactory.instance.objectNode() : root);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage());
        }
    }

    private static ConsoleSettings of(JsonNode root) {
        for (var names = root.fieldNames(); names.hasNext(); ) {
            var name = names.next();
            if (!KEYS.contains(name)) {
                throw new IllegalArgumentException("unknown setting " + name + " (known: bell, time_format, color, "
                        + "highlight, rooms)");
            }
        }
        var bell = Optional.ofNullable(root.get("bell")).map(node -> bool(node, "bell"));
        var color = Optional.ofNullable(root.get("color")).filter(node -> !node.asText().equals("auto"))
                .map(node -> bool(node, "color"));
        var timeFormat = Optional.ofNullable(root.get("time_format")).map(node -> {
            if (!node.isTextual()) {
                throw new IllegalArgumentException("time_format is a string such as \"HH:mm\"");
            }
            try {
                DateTimeFormatter.ofPattern(node.asText());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("time_format " + node.asText() + " is not a time pattern: "
                        + e.getMessage());
            }
            return node.asText();
        }).orElse("HH:mm");
        var rooms = strings(root.get("rooms"), "rooms");
        for (var room : rooms) {
            if (Names.roomName(room).isEmpty()) {
                throw new IllegalArgumentException("rooms: " + room + " is not a room name");
            }
        }
        return new ConsoleSettings(bell, timeFormat, color, strings(root.get("highlight"), "highlight"),
                rooms.stream().map(room -> Names.roomName(room).orElseThrow()).toList());
    }

    private static boolean bool(JsonNode node, String name) {
        if (!node.isBoolean()) {
            throw new IllegalArgumentException(name + " is true or false" + (name.equals("color") ? " (or \"auto\")" : ""));
        }
        return node.asBoolean();
    }

    private static List<String> strings(JsonNode node, String name) {
        if (node == null) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException(name + " is a list of strings, such as [\"a\", \"b\"]");
        }
        var out = new ArrayList<String>();
        for (var item : node) {
            if (!item.isTextual()) {
                throw new IllegalArgumentException(name + " is a list of strings, such as [\"a\", \"b\"]");
            }
            out.add(item.asText());
        }
        return out;
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }

    public static ConsoleSettings defaults() {
        return new ConsoleSettings(Optional.empty(), "HH:mm", Optional.empty(), List.of(), List.of());
    }

    /** Whether {@code text} holds one of the highlight words, as a whole word. */
    boolean highlights(String text) {
        if (highlights.isEmpty() || text == null) {
            return false;
        }
        var lower = text.toLowerCase(Locale.ROOT);
        for (var word : highlights) {
            int at = lower.indexOf(word);
            while (at >= 0) {
                boolean startsWord = at == 0 || !Character.isLetterOrDigit(lower.charAt(at - 1));
                int end = at + word.length();
                boolean endsWord = end == lower.length() || !Character.isLetterOrDigit(lower.charAt(end));
                if (startsWord && endsWord) {
                    return true;
                }
                at = lower.indexOf(word, at + 1);
            }
        }
        return false;
    }
}
