package io.consolechat.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.consolechat.protocol.Json;
import io.consolechat.protocol.StreamItem;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code console-chat server} as an operator runs it: its own process, a printed URL, SIGTERM to stop. */
class ServerProcessTest {
    private static final Json JSON = new Json();
    private final HttpClient http = HttpClient.newHttpClient();
    private Process process;

    @TempDir
    Path dataDir;

    @AfterEach
    void killLeftovers() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
    }

    private URI start() throws IOException {
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        process = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(),
                "server", "--host", "127.0.0.1", "--port", "0", "--data-dir", dataDir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        var out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        var line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return null;
            }
        });
        var first = line.orTimeout(60, TimeUnit.SECONDS).join();
        assertThat(first).startsWith("console-chat server listening on http://127.0.0.1:");
        return URI.create(first.replaceAll(".* on (http://\\S+).*", "$1"));
    }

    private String post(URI base, String path, String token, String body) throws Exception {
        var request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void sigtermEndsOpenStreamsWithTheirEndLineAndKeepsTheData() throws Exception {
        var base = start();
        var token = JSON.mapper().readTree(post(base, "/session", null, null)).path("token").asText();
        var stream = http.send(HttpRequest.newBuilder(base.resolve("/room/lobby?timeout=600"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofLines());
        var lines = stream.body().iterator();
        assertThat(JSON.readStreamItem(lines.next()).type()).isEqualTo("join");
        post(base, "/room/lobby", token, "{\"text\":\"before the stop\"}");
        assertThat(JSON.readStreamItem(lines.next()).type()).isEqualTo("message");

        process.destroy(); // SIGTERM
        var rest = new ArrayList<StreamItem>();
        lines.forEachRemaining(line -> rest.add(read(line)));
        assertThat(rest).last().isEqualTo(new StreamItem.End(2));
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isIn(0, 143);

        var again = start();
        var history = JSON.mapper().readTree(http.send(HttpRequest.newBuilder(again.resolve("/room/lobby/messages"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString()).body());
        List<String> types = new ArrayList<>();
        history.forEach(event -> types.add(event.path("type").asText()));
        assertThat(types).containsExactly("join", "message", "leave");
        assertThat(Files.exists(dataDir.resolve("console-chat.db"))).isTrue();
        process.destroy();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    private static StreamItem read(String line) {
        try {
            return JSON.readStreamItem(line);
        } catch (IOException e) {
            throw new AssertionError("not a stream line: " + line, e);
        }
    }
}
