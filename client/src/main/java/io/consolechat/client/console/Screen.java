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

    /** The keys that move between windows and through a window's history, told on the reading thread. */
    interface Keys {
        /** Alt-1 to Alt-9: window {@code number}. */
        void window(int number);

        /** Alt-Left (-1) and Alt-Right (+1): the window before or after. */
        void step(int direction);

        /** PageUp (-1) and PageDown (+1). */
        void page(int direction);
    }

    /** Where the keys for windows and scrolling go; a screen without such keys ignores it. */
    default void keys(Keys keys) {
    }

    /**
     * Runs {@code change} with nothing else drawn meanwhile: the lines of a window and what the screen shows
     * stay in step. Reentrant; also held while a key of {@link Keys} is handled.
     */
    void atomically(Runnable change);

    /**
     * Shows {@code lines} instead of what is on screen (another window, or the same one scrolled): as many
     * of the last ones as fit, ending {@code scrolled} rows above the newest. A screen that cannot draw
     * again (a pipe) does nothing.
     */
    default void redraw(java.util.List<ScreenLine> lines, int scrolled) {
    }

    /** Changes the prompt of the line being typed (another window was chosen while typing). */
    default void prompt(String prompt) {
    }

    /** Whether this screen shows one window at a time and draws another on a switch (a pipe shows every line). */
    default boolean showsOneWindow() {
        return false;
    }

    /** The rows one page of scrolling moves; 0 where there is no scrolling. */
    default int pageRows() {
        return 0;
    }

    /** How many rows {@code lines} take on this screen. */
    default int rows(java.util.List<ScreenLine> lines) {
        return lines.size();
    }

    /** Replaces the status line, where there is one. */
    void status(AttributedString line);

    /** Gives the terminal back as it was: no status line left, the cursor on a clean line. Safe to call twice. */
    @Override
    void close();
}
