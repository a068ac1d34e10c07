package io.consolechat.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.consolechat.protocol.Json;
import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.ServerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the server with SIGKILL while senders post and a listener streams, starts it again on the same data
 * directory, and checks that nothing acknowledged was lost or doubled and that the sequence goes on. Three
 * rounds by default, each killing once a random number of messages has been acknowledged (while the senders
 * keep posting, so requests are in flight at the kill); more rounds with {@code -Dcrash.rounds=N}. Counting
 * acknowledgements rather than waiting a random time keeps every round meaningful on a slow machine.
 */
class CrashRecoveryTest {
    private static final int SENDERS = 4;
    private static final String ROOM = "crash";
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private final Json json = new Json();

    @Test
    void everyAcknowledgedMessageSurvivesAKill(@TempDir Path temp) throws Exception {
        int rounds = Integer.getInteger("crash.rounds", 3);
        for (int round = 1; round <= rounds; round++) {
            var dataDir = Files.createDirectory(temp.resolve("round-" + round));
            int killAfterAcks = ThreadLocalRandom.current().nextInt(20, 401);
            var summary = crashAndRecover(dataDir, temp.resolve("round-" + round + ".log"), killAfterAcks);
            System.out.printf("crash round %d: killed after %d acknowledgements; %s%n", round, killAfterAcks, summary);
        }
    }

    /** A message a sender got a 201 for. */
    record Acked(long seq, String text) {
    }

    private String crashAndRecover(Path dataDir, Path log, int killAfterAcks) throws Exception {
        var acked = new ConcurrentHashMap<Long, Acked>();
        var problems = new ConcurrentLinkedQueue<String>();
        var seenBeforeKill = new ArrayList<JsonNode>();
        List<String> senderTokens = new ArrayList<>();
        String listenerToken;
        try (var server = ServerProcess.start(dataDir, log)) {
            var api = new Api(server.uri());
            for (int i = 0; i < SENDERS; i++) {
                senderTokens.add(api.login("sender" + i, null));
            }
            listenerToken = api.login("listener", null);
            var listener = api.stream("/room/" + ROOM + "?timeout=3600&since=0", listenerToken);
            assertThat(listener.status()).isEqualTo(200);
            var stop = new AtomicBoolean();
            var senders = new ArrayList<Thread>();
            for (int i = 0; i < SENDERS; i++) {
                var token = senderTokens.get(i);
                var prefix = "s" + i + "-";
                senders.add(Thread.ofVirtual().start(() -> send(api, token, prefix, acked, stop, problems)));
            }
            await().atMost(DEADLINE).until(() -> acked.size() >= killAfterAcks || !problems.isEmpty());
            server.kill();
            stop.set(true);
            for (var sender : senders) {
                sender.join(DEADLINE);
                assertThat(sender.isAlive()).as("a sender still running after the kill").isFalse();
            }
            // The stream breaks off without an end line; keep what arrived before.
            String line;
            while ((line = listener.nextLine(DEADLINE)) != null) {
                var item = json.mapper().readTree(line);
                assertThat(item.path("type").asText()).as("no end line from a killed server: %s", line)
                        .isNotEqualTo("end");
                seenBeforeKill.add(item);
            }
            listener.close();
        }
        assertThat(problems).isEmpty();
        assertThat(acked).as("some messages were acknowledged before the kill").isNotEmpty();

        try (var server = ServerProcess.start(dataDir, log)) {
            var api = new Api(server.uri());
            var stored = allEvents(api, listenerToken);
            assertGaplessAndSingle(stored);
            for (var ack : acked.values()) {
                var event = stored.get((int) ack.seq() - 1);
                assertThat(event.path("type").asText()).isEqualTo("message");
                assertThat(event.path("text").asText()).as("the text stored at seq %d", ack.seq()).isEqualTo(ack.text());
            }
            // Everything the listener saw live was durable, in order: a prefix of what is stored.
            assertThat(seenBeforeKill).isEqualTo(stored.subList(0, seenBeforeKill.size()));

            long last = stored.size();
            var next = api.sendText(ROOM, senderTokens.getFirst(), "after the restart");
            assertThat(next.status()).isEqualTo(201);
            // The sequence continues; the only events in between are the leaves of users the killed server
            // left present, which the restarted one writes once their presence lease has run out.
            long nextSeq = next.json().path("seq").asLong();
            assertThat(nextSeq).as("the sequence continues").isGreaterThan(last);
            var between = allEvents(api, listenerToken).subList((int) last, (int) nextSeq - 1);
            assertThat(between).allSatisfy(e -> assertThat(e.path("type").asText()).isEqualTo("leave"));

            long since = seenBeforeKill.isEmpty() ? 0 : seenBeforeKill.getLast().path("seq").asLong();
            var resumed = new ArrayList<JsonNode>();
            try (var stream = api.stream("/room/" + ROOM + "?timeout=0&since=" + since, listenerToken)) {
                for (var l : stream.readToEnd(DEADLINE)) {
                    resumed.add(json.mapper().readTree(l));
                }
            }
            assertThat(resumed.getLast().path("type").asText()).isEqualTo("end");
            var end = resumed.removeLast();
            var all = allEvents(api, listenerToken);
            var combined = new ArrayList<>(seenBeforeKill);
            combined.addAll(resumed);
            // The resumed stream wrote its own join, so the end is wherever the store is now.
            assertThat(combined).as("what the listener saw before the kill and after resuming").isEqualTo(all);
            assertThat(end.path("since").asLong()).isEqualTo(all.size());
            return "%d acknowledged, %d stored before the restart, listener saw %d before the kill and %d after"
                    .formatted(acked.size(), stored.size(), seenBeforeKill.size(), resumed.size());
        }
    }

    /** Posts until the server is gone; what a test thread cannot assert goes to {@code problems}. */
    private static void send(Api api, String token, String prefix, Map<Long, Acked> acked, AtomicBoolean stop,
                             Queue<String> problems) {
        for (int n = 0; !stop.get(); n++) {
            var text = prefix + n;
            Api.Reply reply;
            try {
                reply = api.sendText(ROOM, token, text);
            } catch (UncheckedIOException e) {
                return; // the server is gone
            }
            if (reply.status() == 201) {
                var seq = reply.json().path("seq").asLong();
                var previous = acked.put(seq, new Acked(seq, text));
                if (previous != null) {
                    problems.add("two acknowledgements for seq " + seq + ": " + previous + " and " + text);
                }
            } else if (reply.status() >= 500) {
                problems.add("a live server answered " + reply);
            }
        }
    }

    /** The room's events, oldest first, paging back with {@code before}. */
    private static List<JsonNode> allEvents(Api api, String token) {
        var events = new ArrayList<JsonNode>();
        String before = "";
        while (true) {
            var reply = api.get("/room/" + ROOM + "/messages?limit=500" + before, token);
            assertThat(reply.status()).isEqualTo(200);
            var page = new ArrayList<JsonNode>();
            reply.json().forEach(page::add);
            events.addAll(0, page);
            if (page.size() < 500) {
                return events;
            }
            before = "&before=" + page.getFirst().path("seq").asLong();
        }
    }

    private static void assertGaplessAndSingle(List<JsonNode> events) {
        var texts = new HashSet<String>();
        for (int i = 0; i < events.size(); i++) {
            var event = events.get(i);
            assertThat(event.path("seq").asLong()).as("seq at position %d", i).isEqualTo(i + 1);
            if (event.path("type").asText().equals("message")) {
                assertThat(texts.add(event.path("text").asText())).as("stored once: %s", event).isTrue();
            }
        }
    }
}
