package io.consolechat.client.console;

import static org.awaitility.Awaitility.await;

import io.consolechat.client.Backoff;
import io.consolechat.client.ChatClient;
import io.consolechat.client.RoomFollow;
import io.consolechat.client.Sanitizer;
import io.consolechat.client.ServerAddress;
import io.consolechat.client.TokenStore;
import io.consolechat.protocol.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.jline.terminal.impl.DumbTerminal;

/** The interactive client on a dumb JLine terminal over pipes: a keyboard to type on and a screen to read. */
final class DumbConsole implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(10);

    private final PipedOutputStream keyboard;
    private final ByteArrayOutputStream screenBytes;
    private final CompletableFuture<Void> session;

    private DumbConsole(PipedOutputStream keyboard, ByteArrayOutputStream screenBytes, CompletableFuture<Void> session) {
        this.keyboard = keyboard;
        this.screenBytes = screenBytes;
        this.session = session;
    }

    /** Quick reconnection, as tests want it. */
    static RoomFollow.Settings quickSettings() {
        return new RoomFollow.Settings(30, Duration.ofSeconds(40),
                () -> new Backoff(Duration.ofMillis(50), Duration.ofMillis(500)));
    }

    /** A console connected to {@code server}; returns once it says so. */
    static DumbConsole start(URI server, Path config, RoomFollow.Settings settings) {
        return start(server, config, settings, true);
    }

    /** As {@link #start(URI, Path, RoomFollow.Settings)}, with the bell on or off. */
    static DumbConsole start(URI server, Path config, RoomFollow.Settings settings, boolean bell) {
        try {
            var keyboard = new PipedOutputStream();
            var in = new PipedInputStream(keyboard, 1 << 16);
            var screenBytes = new ByteArrayOutputStream();
            var terminal = new DumbTerminal("test", "dumb", in, screenBytes, StandardCharsets.UTF_8);
            var client = ChatClient.create(ServerAddress.parse(server.toString()), false);
            var console = new ChatConsole(client, new TokenStore(config, new Json()),
                    new EventView(new Sanitizer(), ZoneOffset.UTC, true), settings, Clock.systemUTC());
            var screen = new TerminalScreen(terminal, console.completer(), bell);
            var session = CompletableFuture.runAsync(() -> {
                try (screen) {
                    console.run(screen, Optional.empty());
                }
            }, Executors.newVirtualThreadPerTaskExecutor());
            var started = new DumbConsole(keyboard, screenBytes, session);
            started.awaitScreen("connected to " + server);
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void type(String line) {
        try {
            keyboard.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            keyboard.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String screen() {
        synchronized (screenBytes) {
            return screenBytes.toString(StandardCharsets.UTF_8);
        }
    }

    void awaitScreen(String text) {
        awaitScreen(text, WAIT);
    }

    void awaitScreen(String text, Duration wait) {
        try {
            await().atMost(wait).until(() -> screen().contains(text));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("not on the screen after " + wait + ": " + text + "\n--- screen:\n" + screen(), e);
        }
    }

    /** Types /quit and waits for the console to end. */
    void quit() throws Exception {
        type("/quit");
        awaitEnd();
    }

    void awaitEnd() throws Exception {
        session.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Ends the input, as Ctrl-D does. */
    @Override
    public void close() throws IOException {
        keyboard.close();
    }

    static int occurrences(String haystack, String needle) {
        int count = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
            count++;
        }
        return count;
    }
}
