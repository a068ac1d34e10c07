package io.consolechat.client.console;

import java.util.ArrayList;
import java.util.List;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.WCWidth;

/**
 * One line to show, whole: a terminal wraps it to its width at word boundaries, and its further rows are
 * indented by {@code indent} columns (so a long message continues under its text, not under the time).
 */
public record ScreenLine(AttributedString text, int indent) {

    public ScreenLine {
        if (indent < 0) {
            throw new IllegalArgumentException("indent is not negative");
        }
    }

    public static ScreenLine of(AttributedString text) {
        return new ScreenLine(text, 0);
    }

    public static ScreenLine of(String text) {
        return of(new AttributedString(text));
    }

    /**
     * The rows of this line on a screen {@code width} columns wide: broken after the last space that
     * fits, or inside a word only when the word alone is wider than a row. A width of 0 or less (a dumb
     * terminal that does not know its size) gives the line as one row.
     */
    public List<AttributedString> rows(int width) {
        if (width <= 0 || text.columnLength() <= width) {
            return List.of(text);
        }
        // A hanging indent that leaves too little room is dropped rather than squeezing the text.
        int hang = indent <= width / 2 ? indent : 0;
        var rows = new ArrayList<AttributedString>();
        int start = 0;
        int length = text.length();
        boolean first = true;
        while (start < length) {
            int room = first ? width : width - hang;
            int fit = fittingEnd(start, room);
            int end = fit;
            int next = fit;
            if (fit < length) {
                int space = lastBreak(start, fit);
                if (space > start) {
                    end = space;
                    next = space;
                }
                while (next < length && text.charAt(next) == ' ') {
                    next++;
                }
            }
            var row = text.subSequence(start, trimEnd(start, end));
            rows.add(first || hang == 0 ? row
                    : new AttributedStringBuilder().append(" ".repeat(hang)).append(row).toAttributedString());
            first = false;
            start = next;
        }
        return rows;
    }

    /** The end (exclusive) of the longest run from {@code start} that fits {@code columns}; at least one char. */
    private int fittingEnd(int start, int columns) {
        int used = 0;
        int i = start;
        while (i < text.length()) {
            int cp = Character.codePointAt(text, i);
            int width = Math.max(0, WCWidth.wcwidth(cp));
            if (used + width > columns && i > start) {
                break;
            }
            used += width;
            i += Character.charCount(cp);
        }
        return i;
    }

    /**
     * Where to break a row that must end by {@code fit}: at the space at {@code fit} or the last one before
     * it, not counting the spaces that open the row (the indent of a message's further lines); else -1.
     */
    private int lastBreak(int start, int fit) {
        int firstWord = start;
        while (firstWord < fit && text.charAt(firstWord) == ' ') {
            firstWord++;
        }
        for (int i = fit; i > firstWord; i--) {
            if (text.charAt(i) == ' ') {
                return i;
            }
        }
        return -1;
    }

    private int trimEnd(int start, int end) {
        while (end > start && text.charAt(end - 1) == ' ') {
            end--;
        }
        return end;
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
