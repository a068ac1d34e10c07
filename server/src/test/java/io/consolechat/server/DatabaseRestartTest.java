package io.consolechat.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.consolechat.protocol.Event;
import io.consolechat.protocol.EventType;
import io.consolechat.protocol.StreamItem;
import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.TestServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL stopped and started again under load: while it is down posts get 503 with a JSON body and are
 * not stored, {@code /health} answers 503, and an open stream stays open with keepalives; once it is back
 * everything works again by itself, every message acknowledged with 201 is stored once at the sequence
 * number its answer gave and was streamed, and no message refused with 503 is stored.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DatabaseRestartTest {
    private static final String ROOM = "weather";
    private static final Duration SOON = Duration.ofSeconds(30);

    @Test
    void postsGet503WhileTheDatabaseIsDownAndEverythingRecoversByItself(@TempDir Path dir) throws Exception {
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        var data = dir.resolve("pgdata");
        var postgres = start(data, port);
        var sending = new AtomicBoolean(true);
        try (var server = TestServer.start(c -> {
                c.storage.database = "postgresql://postgres@localhost:" + port + "/postgres";
                c.streams.keepalive = Duration.ofMillis(500);
            });
             var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            var api = new Api(server);
            var sender = api.anonymousToken();
            var listener = api.anonymousToken();
            var stream = api.stream("/room/" + ROOM + "?timeout=600", listener);
            assertThat(stream.nextEvent(SOON).kind()).isEqualTo(EventType.JOIN);
            var items = new CopyOnWriteArrayList<StreamItem>();
            threads.submit(() -> {
                String line;
                while ((line = stream.nextLine(Duration.ofMinutes(3))) != null) {
                    items.add(Api.item(line));
                }
                return null;
            });

            var acked = new ConcurrentHashMap<String, Long>();
            var refused = new AtomicInteger();
            var unknownTexts = new CopyOnWriteArrayList<String>();
            var badRefusals = new CopyOnWriteArrayList<String>();
            var posts = threads.submit(() -> {
                for (int i = 0; sending.get(); i++) {
                    var text = "m" + i;
                    var reply = post(api, sender, text);
                    if (reply.status() == 201) {
                        acked.put(text, reply.event().seq());
                    } else if (reply.status() == 503 && reply.json().has("error")) {
                        refused.incrementAndGet();
                        if (reply.json().path("message").asText().contains("Idempotency-Key")) {
                            unknownTexts.add(text);
                        }
                    } else {
                        badRefusals.add(reply.status() + " " + reply.body());
                    }
                }
                return null;
            });
            await().atMost(SOON).until(() -> acked.size() >= 20);

            postgres.close();
            // A commit that the stop leaves in doubt holds its post for the server's 10 s of asking, and each
            // refusal after it waits up to 5 s for a connection.
            await("posts refused with 503").atMost(Duration.ofMinutes(1)).until(() -> refused.get() >= 3);
            await("/health 503").atMost(SOON).until(() -> api.get("/health", null).status() == 503);
            assertThat(api.get("/health", null).json().path("error").asText()).isEqualTo("unavailable");
            // The stream stays open: keepalives go on, and no end line.
            int seen = items.size();
            await("keepalives while the database is down").atMost(SOON).until(() -> items.size() >= seen + 2);
            assertThat(items).noneMatch(item -> item instanceof StreamItem.End);

            postgres = start(data, port);
            int before = acked.size();
            await("posts stored again").atMost(SOON).until(() -> acked.size() >= before + 20);
            await("/health 200").atMost(SOON).until(() -> api.get("/health", null).status() == 200);
            sending.set(false);
            posts.get(SOON.toSeconds(), TimeUnit.SECONDS);
            assertThat(badRefusals).isEmpty();
            // A commit cut by the stop can have been applied with its answer lost. The server asks the database
            // before it answers; while the database stays down longer than it tries, the answer says the outcome
            // is unknown, and the client sends the message again with its key, as the console does: the key
            // returns the message if the first try stored it, and stores it otherwise.
            for (var text : unknownTexts) {
                var reply = post(api, sender, text);
                assertThat(reply.status()).as("%s sent again", text).isEqualTo(201);
                acked.put(text, reply.event().seq());
            }

            // Every 201 is stored once, at its seq; no other 503 is stored; the stream got every stored message,
            // in order.
            var messages = allEvents(api, listener).stream().filter(e -> e.kind() == EventType.MESSAGE).toList();
            var stored = messages.stream().map(Event::text).toList();
            assertThat(stored).doesNotHaveDuplicates();
            assertThat(messages.stream().collect(Collectors.toMap(Event::text, Event::seq))).isEqualTo(acked);
            await("the stream caught up").atMost(SOON).until(() -> streamedTexts(items).size() >= stored.size());
            assertThat(streamedTexts(items)).containsExactlyElementsOf(stored);
            stream.close();
        } finally {
            sending.set(false);
            postgres.close();
        }
    }

    /** Posts {@code text} with an Idempotency-Key of its own, the same each time it is sent. */
    private static Api.Reply post(Api api, String token, String text) {
        return api.send(api.request("/room/" + ROOM, token).header("Content-Type", "application/json")
                .header("Idempotency-Key", "key-" + text)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"text\":\"" + text + "\"}")).build());
    }

    /** The room's whole history, read backwards a page at a time. */
    private static List<Event> allEvents(Api api, String token) {
        var events = new ArrayList<Event>();
        var page = api.get("/room/" + ROOM + "/messages?limit=500", token).events();
        while (!page.isEmpty()) {
            events.addAll(0, page);
            page = api.get("/room/" + ROOM + "/messages?limit=500&before=" + page.getFirst().seq(), token).events();
        }
        return events;
    }

    private static List<String> streamedTexts(List<StreamItem> items) {
        var texts = new ArrayList<String>();
        for (var item : items) {
            if (item instanceof Event e && e.kind() == EventType.MESSAGE) {
                texts.add(e.text());
            }
        }
        return texts;
    }

    private static EmbeddedPostgres start(Path data, int port) throws IOException {
        return EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port).start();
    }
}
