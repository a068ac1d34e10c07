package io.consolechat.protocol;

import java.util.Optional;

/** The rules for the text of a message, shared so that clients can check before sending. */
public final class MessageText {
    /** Longest message, in Unicode code points. */
    public static final int MAX_LENGTH = 4000;

    private MessageText() {
    }

    /** Windows line ends become plain newlines, so that a CR-LF paste is not refused as a control character. */
    public static String normalize(String text) {
        return text.replace("\r\n", "\n");
    }

    /**
     * Unicode's default-ignorable code points (DerivedCoreProperties.txt, Default_Ignorable_Code_Point, which
     * java.lang.Character does not offer): zero-width spaces and joiners, the soft hyphen, the byte order mark,
     * bidirectional controls, variation selectors, the Hangul fillers, tags. Pairs of first and last.
     */
    private static final int[][] DEFAULT_IGNORABLE = {
            {0x00AD, 0x00AD}, {0x034F, 0x034F}, {0x061C, 0x061C}, {0x115F, 0x1160}, {0x17B4, 0x17B5},
            {0x180B, 0x180F}, {0x200B, 0x200F}, {0x202A, 0x202E}, {0x2060, 0x206F}, {0x3164, 0x3164},
            {0xFE00, 0xFE0F}, {0xFEFF, 0xFEFF}, {0xFFA0, 0xFFA0}, {0xFFF0, 0xFFF8}, {0x1BCA0, 0x1BCA3},
            {0x1D173, 0x1D17A}, {0xE0000, 0xE0FFF}};
    /** Renders as an empty cell, like a space; a favourite for messages that look like none. */
    private static final int BRAILLE_BLANK = 0x2800;

    /** The error a text would get, or empty when it can be sent as it is. */
    public static Optional<ErrorCode> problem(String text) {
        if (text == null || text.codePoints().allMatch(MessageText::isInvisible)) {
            return Optional.of(ErrorCode.EMPTY_MESSAGE);
        }
        if (text.codePointCount(0, text.length()) > MAX_LENGTH) {
            return Optional.of(ErrorCode.MESSAGE_TOO_LONG);
        }
        if (text.codePoints().anyMatch(MessageText::isForbiddenControl)) {
            return Optional.of(ErrorCode.INVALID_TEXT);
        }
        return Optional.empty();
    }

    /**
     * Whether a code point shows nothing: white space of every kind (also the no-break spaces, U+2028 and
     * U+2029), the default-ignorable code points and the Braille blank. A text of only these would be an empty
     * line on screen. Controls do not count here: those are refused as {@link ErrorCode#INVALID_TEXT}.
     */
    static boolean isInvisible(int cp) {
        if (Character.isWhitespace(cp) || Character.isSpaceChar(cp) || cp == BRAILLE_BLANK) {
            return true;
        }
        for (var range : DEFAULT_IGNORABLE) {
            if (cp >= range[0] && cp <= range[1]) {
                return true;
            }
        }
        return false;
    }

    /** C0 controls but newline and tab, DEL, and the C1 controls: whatever could steer a terminal. */
    static boolean isForbiddenControl(int cp) {
        if (cp == '\n' || cp == '\t') {
            return false;
        }
        return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
    }
}
