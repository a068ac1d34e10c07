package io.consolechat.client.console;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import org.jline.utils.AttributedString;

/** No terminal (a pipe, a script): lines are read from the input and shown as plain text, no prompts. */
public final class PlainScreen implements Screen {
    private final BufferedReader in;
    private final PrintWriter out;

    public PlainScreen(BufferedReader in, PrintWriter out) {
        this.in = in;
        this.out = out;
    }

    @Override
    public String readLine(String prompt) {
        try {
            return in.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String readSecret(String prompt) {
        return readLine(prompt);
    }

    @Override
    public synchronized void show(ScreenLine line) {
        out.println(line.toString());
        out.flush();
    }

    @Override
    public synchronized void atomically(Runnable change) {
        change.run();
    }

    @Override
    public void bell() {
        // A pipe has no bell; the line itself says who was mentioned.
    }

    @Override
    public void status(AttributedString line) {
        // No status line in a pipe; state changes are shown as lines.
    }

    @Override
    public void close() {
        out.flush();
    }
}
