package io.consolechat.client.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jline.reader.Completer;
import org.jline.reader.EndOfFileException;
import org.jline.keymap.KeyMap;
import org.jline.reader.LineReader;
import org.jline.reader.Reference;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.terminal.Terminal;
import org.jline.terminal.Terminal.Signal;
import org.jline.utils.AttributedString;
import org.jline.utils.InfoCmp.Capability;
import org.jline.utils.Status;

/**
 * A JLine terminal: line editing with history and completion, incoming lines printed above the line
 * being typed and wrapped to the width at word boundaries, and a status line at the bottom (on
 * terminals that can keep one). When the window changes size, the screen is drawn again from the
 * lines shown so far, wrapped to the new width. An accepted input line is erased: what it did shows
 * up as its result (a message comes back from the room's stream), so nothing shows twice.
 */
public final class TerminalScreen implements Screen {
    /** JLine's mask that shows nothing at all, and keeps the line out of the history. */
    private static final Character NO_ECHO = (char) 0;
    /** Lines kept to draw the screen again after a resize; more than any window shows. */
    private static final int KEPT_LINES = 1000;

    private final Terminal terminal;
    private final ChatLineReader reader;
    private final Status status;
    private final Deque<ScreenLine> shown = new ArrayDeque<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final boolean bell;
    private final Thread restoreAtExit = new Thread(this::close, "restore-terminal");
    private volatile List<AttributedString> statusLines = List.of();
    /** Rows the screen is scrolled up from the newest line. */
    private int scrolled;

    public TerminalScreen(Terminal terminal, Completer completer) {
        this(terminal, completer, true);
    }

    /** @param bell whether {@link #bell()} rings (a setting of its own: NO_COLOR does not turn it off) */
    public TerminalScreen(Terminal terminal, Completer completer, boolean bell) {
        this.terminal = terminal;
        this.bell = bell;
        this.reader = new ChatLineReader(terminal);
        reader.setCompleter(completer);
        // Chat lines are not shell commands: no quotes, escapes or !history expansion, so that
        // "don't" or "wow!" are sent as typed instead of waiting for a closing quote.
        reader.setParser(new DefaultParser().quoteChars(new char[0]).escapeChars(new char[0]));
        reader.setVariable(LineReader.HISTORY_SIZE, 1000);
        reader.option(LineReader.Option.DISABLE_EVENT_EXPANSION, true);
        reader.option(LineReader.Option.HISTORY_IGNORE_SPACE, true);
        reader.option(LineReader.Option.ERASE_LINE_ON_FINISH, true);
        this.status = Status.getStatus(terminal);
        // SIGTERM, a closed window (SIGHUP) or a Ctrl-C outside the line editor end the JVM without
        // passing through close(): give the terminal back on the way out all the same.
        Runtime.getRuntime().addShutdownHook(restoreAtExit);
    }

    @Override
    public String readLine(String prompt) {
        try {
            return reader.readLine(prompt);
        } catch (EndOfFileException e) {
            return null;
        } catch (UserInterruptException e) {
            if (e.getPartialLine() == null || e.getPartialLine().isEmpty()) {
                throw new Interrupted();
            }
            return "";
        }
    }

    @Override
    public String readSecret(String prompt) {
        try {
            return reader.readLine(prompt, NO_ECHO);
        } catch (EndOfFileException | UserInterruptException e) {
            return null;
        }
    }

    @Override
    public void show(ScreenLine line) {
        reader.show(line);
    }

    @Override
    public void keys(Keys keys) {
        reader.bindKeys(keys);
    }

    @Override
    public void atomically(Runnable change) {
        reader.atomically(change);
    }

    @Override
    public void redraw(List<ScreenLine> lines, int scrolledRows) {
        reader.atomically(() -> {
            shown.clear();
            lines.stream().skip(Math.max(0, lines.size() - KEPT_LINES)).forEach(shown::addLast);
            scrolled = scrolledRows;
            if (!closed.get()) {
                reader.redraw();
            }
        });
    }

    @Override
    public void prompt(String prompt) {
        reader.atomically(() -> reader.setPrompt(prompt));
    }

    @Override
    public boolean showsOneWindow() {
        return true;
    }

    @Override
    public int pageRows() {
        return Math.max(1, terminal.getHeight() - statusLines.size() - 2);
    }

    @Override
    public int rows(List<ScreenLine> lines) {
        int width = terminal.getWidth();
        return lines.stream().mapToInt(line -> line.rows(width).size()).sum();
    }

    @Override
    public void bell() {
        if (bell && !closed.get()) {
            // BEL itself rather than the terminfo entry: a dumb terminal's entry may lack it, the byte works.
            terminal.writer().print('\u0007');
            terminal.flush();
        }
    }

    @Override
    public void status(AttributedString line) {
        statusLines = List.of(line);
        if (status != null && !closed.get()) {
            status.update(statusLines);
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (Thread.currentThread() != restoreAtExit) {
            try {
                Runtime.getRuntime().removeShutdownHook(restoreAtExit);
            } catch (IllegalStateException e) {
                // Already shutting down: the hook is running or about to, and finds the work done.
            }
        }
        try {
            if (status != null) {
                // Erase the status line and give its row back to the scrolling region.
                status.update(List.of());
                status.close();
            }
            terminal.flush();
            terminal.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** JLine's line reader, which also draws the screen again when the window changes size. */
    private final class ChatLineReader extends LineReaderImpl {
        ChatLineReader(Terminal terminal) {
            super(terminal, "console-chat", new HashMap<>());
        }

        void atomically(Runnable change) {
            lock.lock();
            try {
                change.run();
            } finally {
                lock.unlock();
            }
        }

        /** Alt-1..9, Alt-Left/Right (as xterm and tmux send them, and as ESC before the arrow), PageUp/PageDown. */
        void bindKeys(Keys keys) {
            var map = getKeyMaps().get(LineReader.MAIN);
            for (int n = 1; n <= 9; n++) {
                int number = n;
                map.bind(widget("window-" + n, () -> keys.window(number)), KeyMap.alt((char) ('0' + n)));
            }
            var left = widget("window-previous", () -> keys.step(-1));
            var right = widget("window-next", () -> keys.step(1));
            map.bind(left, "\u001b[1;3D", "\u001b\u001b[D", "\u001b\u001bOD");
            map.bind(right, "\u001b[1;3C", "\u001b\u001b[C", "\u001b\u001bOC");
            var up = widget("page-up", () -> keys.page(-1));
            var down = widget("page-down", () -> keys.page(1));
            map.bind(up, "\u001b[5~");
            map.bind(down, "\u001b[6~");
            var ppage = KeyMap.key(terminal, Capability.key_ppage);
            var npage = KeyMap.key(terminal, Capability.key_npage);
            if (ppage != null && !ppage.isEmpty()) {
                map.bind(up, ppage);
            }
            if (npage != null && !npage.isEmpty()) {
                map.bind(down, npage);
            }
        }

        private Reference widget(String name, Runnable action) {
            getWidgets().put(name, () -> {
                action.run();
                return true;
            });
            return new Reference(name);
        }

        void show(ScreenLine line) {
            lock.lock();
            try {
                shown.addLast(line);
                if (shown.size() > KEPT_LINES) {
                    shown.removeFirst();
                }
                if (scrolled == 0) {
                    printAbove(String.join("\n", ansi(line.rows(terminal.getWidth()))));
                }
            } finally {
                lock.unlock();
            }
        }

        @Override
        protected void handleSignal(Signal signal) {
            super.handleSignal(signal);
            if (signal == Signal.WINCH) {
                redraw();
            }
        }

        /** Clears the screen, then shows the status line and as many of the last lines as fit, rewrapped. */
        void redraw() {
            lock.lock();
            try {
                terminal.puts(Capability.clear_screen);
                if (status != null) {
                    status.reset();
                    status.update(statusLines);
                }
                var writer = terminal.writer();
                for (var row : ansi(lastRows(terminal.getWidth(), terminal.getHeight() - statusLines.size() - 1, scrolled))) {
                    writer.println(row);
                }
                if (isReading()) {
                    // Between two lines (a command running) there is no line to draw: the next prompt comes.
                    redrawLine();
                    redisplay(true);
                }
            } finally {
                lock.unlock();
            }
        }

        /** The rows of the last lines shown, at most {@code height} of them, ending {@code skip} rows above the newest. */
        private List<AttributedString> lastRows(int width, int height, int skip) {
            var rows = new ArrayDeque<AttributedString>();
            var lines = shown.descendingIterator();
            int skipped = 0;
            while (lines.hasNext() && rows.size() < height) {
                var lineRows = lines.next().rows(width);
                for (int i = lineRows.size() - 1; i >= 0 && rows.size() < height; i--) {
                    if (skipped < skip) {
                        skipped++;
                    } else {
                        rows.addFirst(lineRows.get(i));
                    }
                }
            }
            return new ArrayList<>(rows);
        }

        private List<String> ansi(List<AttributedString> rows) {
            return rows.stream().map(row -> row.toAnsi(terminal)).toList();
        }
    }
}
