package io.consolechat.client.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.jline.reader.Completer;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.jline.utils.Status;

/**
 * A JLine terminal: line editing with history and completion, incoming lines printed above the line
 * being typed, and a status line at the bottom (on terminals that can keep one).
 */
public final class TerminalScreen implements Screen {
    /** JLine's mask that shows nothing at all, and keeps the line out of the history. */
    private static final Character NO_ECHO = (char) 0;

    private final Terminal terminal;
    private final LineReader reader;
    private final Status status;

    public TerminalScreen(Terminal terminal, Completer completer) {
        this.terminal = terminal;
        // Chat lines are not shell commands: no quotes, escapes or !history expansion, so that
        // "don't" or "wow!" are sent as typed instead of waiting for a closing quote.
        var parser = new DefaultParser().quoteChars(new char[0]).escapeChars(new char[0]);
        this.reader = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("console-chat")
                .completer(completer)
                .parser(parser)
                .variable(LineReader.HISTORY_SIZE, 1000)
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .option(LineReader.Option.HISTORY_IGNORE_SPACE, true)
                .build();
        this.status = Status.getStatus(terminal);
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
    public void show(AttributedString line) {
        reader.printAbove(line);
    }

    @Override
    public void status(AttributedString line) {
        if (status != null) {
            status.update(List.of(line));
        }
    }

    @Override
    public void close() {
        try {
            if (status != null) {
                status.close();
            }
            terminal.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
