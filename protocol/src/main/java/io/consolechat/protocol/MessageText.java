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

    /** The error a text would get, or empty when it can be sent as it is. */
    public static Optional<ErrorCode> problem(String text) {
        if (text == null || text.isBlank()) {
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

    /** C0 controls but newline and tab, DEL, and the C1 controls: whatever could steer a terminal. */
    static boolean isForbiddenControl(int cp) {
        if (cp == '\n' || cp == '\t') {
            return false;
        }
        return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
    }
}
