package io.consolechat.client;

/**
 * Makes text from the server safe to write to a terminal. Whatever could steer the terminal (C0 and
 * C1 controls, ESC and so every escape sequence, DEL) or reorder what the reader sees (bidi overrides,
 * embeddings, isolates and marks, line and paragraph separators, lone surrogates) is shown escaped,
 * visibly ({@code \e}, {@code \x9b}, {@code \u202e}), so that a hostile server or user can neither move
 * the cursor, change the title, nor hide or disguise text. Absurdly long lines are cut.
 */
public final class Sanitizer {
    /** Longest line shown, in code points after escaping; the rest is summarised. */
    public static final int DEFAULT_MAX_LINE = 1000;

    private final int maxLine;

    public Sanitizer() {
        this(DEFAULT_MAX_LINE);
    }

    public Sanitizer(int maxLine) {
        if (maxLine < 16) {
            throw new IllegalArgumentException("maxLine must leave room for the summary");
        }
        this.maxLine = maxLine;
    }

    /** One line: every newline and tab is escaped as well, so the result always stays on one line. */
    public String line(String text) {
        return escaped(text, maxLine);
    }

    private static String escaped(String text, int maxLine) {
        if (text == null) {
            return "";
        }
        var out = new StringBuilder(Math.min(text.length(), Math.min(maxLine, 1 << 16)) + 16);
        int shown = 0;
        int i = 0;
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            int width = Character.charCount(cp);
            // A lone surrogate is not a code point pair: escape the single char.
            if (Character.isSurrogate(text.charAt(i)) && width == 1) {
                cp = text.charAt(i);
            }
            var piece = escape(cp);
            if (shown + piece.length() > maxLine) {
                int rest = text.codePointCount(i, text.length());
                out.append("… (").append(rest).append(" more characters)");
                return out.toString();
            }
            out.append(piece);
            shown += piece.length();
            i += width;
        }
        return out.toString();
    }

    /**
     * A message's text as display lines, whole: split at newlines, tabs as spaces, each line made safe
     * but not cut (the server caps a message's length, so the whole of it is bounded).
     */
    public java.util.List<String> lines(String text) {
        var raw = (text == null ? "" : text).split("\n", -1);
        var out = new java.util.ArrayList<String>(raw.length);
        for (var line : raw) {
            out.add(escaped(line.replace("\t", "    "), Integer.MAX_VALUE));
        }
        return out;
    }

    /** Whether a code point is shown escaped rather than as itself. */
    public static boolean isUnsafe(int cp) {
        return Character.getType(cp) == Character.CONTROL      // C0, DEL, C1
                || Character.isSurrogate((char) cp) && cp <= 0xFFFF
                || isBidiControl(cp)
                || cp == 0x2028 || cp == 0x2029;               // line and paragraph separators
    }

    static boolean isBidiControl(int cp) {
        return (cp >= 0x202A && cp <= 0x202E)   // LRE RLE PDF LRO RLO
                || (cp >= 0x2066 && cp <= 0x2069) // LRI RLI FSI PDI
                || cp == 0x200E || cp == 0x200F  // LRM RLM
                || cp == 0x061C;                 // ALM
    }

    private static String escape(int cp) {
        if (!isUnsafe(cp)) {
            return Character.toString(cp);
        }
        return switch (cp) {
            case 0x1B -> "\\e";
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            default -> cp <= 0xFF ? String.format("\\x%02x", cp) : String.format("\\u%04x", cp);
        };
    }
}
