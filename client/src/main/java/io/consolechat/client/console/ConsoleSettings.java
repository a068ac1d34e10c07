package io.consolechat.client.console;

import java.util.List;
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
