package io.consolechat.client.terminal;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real terminal: a detached tmux session of a fixed size running a plain bash, on a tmux server of
 * its own whose socket lives in a temporary directory (so a test never touches anyone's sessions, and
 * leaves nothing behind). Keys go in with {@code send-keys}, the screen
 * comes out with {@code capture-pane}.
 */
final class Tmux implements AutoCloseable {
    /** The shell's prompt, bare, so a test can see that nothing was left on its line. */
    static final String PROMPT = "PROMPT$";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final AtomicInteger SESSIONS = new AtomicInteger();

    private final Path dir;

    private Tmux(Path dir) {
        this.dir = dir;
    }

    /** Whether tmux can be run here. */
    static boolean available() {
        try {
            var process = new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A {@code columns} x {@code rows} terminal with bash at its prompt, the variables set in its environment. */
    static Tmux start(int columns, int rows, Map<String, String> variables) {
        try {
            var dir = Files.createTempDirectory("console-chat-tmux");
            var tmux = new Tmux(dir);
            var command = new ArrayList<>(List.of("-f", "/dev/null", "new-session", "-d", "-s", "t",
                    "-x", String.valueOf(columns), "-y", String.valueOf(rows)));
            variables.forEach((name, value) -> command.addAll(List.of("-e", name + "=" + value)));
            command.addAll(List.of("-e", "PS1=" + PROMPT + " ", "bash", "--norc", "--noprofile"));
            tmux.run(command);
            // tmux's own status bar would take a row from the terminal.
            tmux.run(List.of("set-option", "-t", "t", "status", "off"));
            tmux.resize(columns, rows);
            tmux.awaitScreen("the shell's prompt", screen -> screen.contains(PROMPT));
            return tmux;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a script that runs {@code command}, and types its name: long command lines stay off the screen. */
    void runScript(List<String> command) {
        try {
            var script = dir.resolve("run-" + SESSIONS.incrementAndGet() + ".sh");
            var text = new StringBuilder("#!/bin/sh\nexec");
            for (var word : command) {
                text.append(" '").append(word.replace("'", "'\\''")).append("'");
            }
            Files.writeString(script, text.append('\n'), StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
            type(script.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Types {@code text} literally, then Enter. */
    void type(String text) {
        run(List.of("send-keys", "-t", "t", "-l", text));
        keys("Enter");
    }

    /** Sends keys by tmux's names: {@code C-c}, {@code C-d}, {@code Enter}. */
    void keys(String... keys) {
        var command = new ArrayList<>(List.of("send-keys", "-t", "t"));
        command.addAll(List.of(keys));
        run(command);
    }

    void resize(int columns, int rows) {
        run(List.of("resize-window", "-t", "t", "-x", String.valueOf(columns), "-y", String.valueOf(rows)));
    }

    /** The visible screen, one string per row, trailing spaces removed. */
    List<String> rows() {
        return run(List.of("capture-pane", "-p", "-t", "t")).lines().map(String::stripTrailing).toList();
    }

    /** Whether the terminal bell rang since the session started (tmux flags the window). */
    boolean bellRang() {
        return run(List.of("display-message", "-p", "-t", "t", "#{window_bell_flag}")).strip().equals("1");
    }

    String screen() {
        return String.join("\n", rows());
    }

    void awaitScreen(String what, Predicate<String> condition) {
        awaitScreen(what, condition, WAIT);
    }

    void awaitScreen(String what, Predicate<String> condition, Duration wait) {
        try {
            await().atMost(wait).pollInterval(Duration.ofMillis(100)).until(() -> condition.test(screen()));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("no " + what + " on the screen after " + wait + "; it shows:\n" + screen(), e);
        }
    }

    void awaitText(String text) {
        awaitText(text, WAIT);
    }

    void awaitText(String text, Duration wait) {
        awaitScreen("'" + text + "'", screen -> screen.contains(text), wait);
    }

    String run(String... arguments) {
        return run(List.of(arguments));
    }

    private String run(List<String> arguments) {
        var command = new ArrayList<>(List.of("tmux", "-S", dir.resolve("socket").toString()));
        command.addAll(arguments);
        try {
            var process = new ProcessBuilder(command).redirectErrorStream(true).start();
            var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", arguments) + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        try {
            run(List.of("kill-server"));
        } catch (IllegalStateException e) {
            // Already gone.
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A leftover temp directory is harmless.
        }
    }
}
