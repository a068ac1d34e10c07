package io.consolechat.client.console;

import org.jline.utils.AttributedString;

/** Where the console reads its input and shows lines: a terminal, or a plain pipe. */
public interface Screen extends AutoCloseable {

    /** Thrown by {@link #readLine} when the user pressed Ctrl-C on an empty line. */
    final class Interrupted extends RuntimeException {
        public Interrupted() {
            super("interrupted", null, false, false);
        }
    }

    /** The next line typed, or null at the end of the input (Ctrl-D). */
    String readLine(String prompt);

    /** A line read without showing what is typed; null at the end of the input. */
    String readSecret(String prompt);

    /** Shows a line above the one being typed, from any thread. */
    void show(ScreenLine line);

    /** Rings the terminal's bell, where there is one and it is wanted. */
    void bell();

    /** Replaces the status line, where there is one. */
    void status(AttributedString line);

    /** Gives the terminal back as it was: no status line left, the cursor on a clean line. Safe to call twice. */
    @Override
    void close();
}
