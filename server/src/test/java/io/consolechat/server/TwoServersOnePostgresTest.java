package io.consolechat.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.consolechat.protocol.Event;
import io.consolechat.protocol.EventType;
import io.consolechat.protocol.StreamItem;
import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.PostgresExtension;
import io.consolechat.server.testing.PostgresExtension.Postgres;
import io.consolechat.server.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two servers on one PostgreSQL database: a message posted on either reaches the streams on both, in
 * sequence order, each once, with one gap-free sequence per room; a logout on one ends the token on both.
 */
@ExtendWith(PostgresExtension.class)
class TwoServersOnePostgresTest {
    private static final String ROOM = "shared";
    private static final int SENDERS = 4;
    private static final int PER_SENDER = 50;

    @Test
    void messagesPostedOnEitherServerReachTheStreamsOnBoth(Postgres postgres) throws Exception {
        var database = postgres.newDatabase();
        try (var a = TestServer.start(c -> c.storage.database = database);
             var b = TestServer.start(c -> c.storage.database = database);
             var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            var apiA = new Api(a);
            var apiB = new Api(b);
            // A token minted on one server works on the other: they share the accounts.
            var listener = apiA.login("listener", null);
            assertThat(apiB.get("/me", listener).status()).isEqualTo(200);

            try (var onA = apiA.stream("/room/" + ROOM + "?timeout=120&history=0", listener);
                 var onB = apiB.stream("/room/" + ROOM + "?timeout=120&history=0", apiB.login("other", null))) {
                var acked = ConcurrentHashMap.<Long>newKeySet();
                var senders = new ArrayList<Future<?>>();
                for (int s = 0; s < SENDERS; s++) {
                    var api = s % 2 == 0 ? apiA : apiB;
                    var token = api.anonymousToken();
                    int sender = s;
                    senders.add(threads.submit(() -> {
                        for (int i = 0; i < PER_SENDER; i++) {
                            acked.add(api.sendMessage(ROOM, token, sender + ":" + i).seq());
                        }
                    }));
                }
                for (var sender : senders) {
                    sender.get(2, TimeUnit.MINUTES);
                }
                var expected = acked.stream().sorted().toList();
                assertThat(messages(onA, expected.size())).extracting(Event::seq).containsExactlyElementsOf(expected);
                assertThat(messages(onB, expected.size())).extracting(Event::seq).containsExactlyElementsOf(expected);
            }
            var stored = apiB.get("/room/" + ROOM + "/messages?limit=500", listener).events();
            for (int i = 0; i < stored.size(); i++) {
                assertThat(stored.get(i).seq()).isEqualTo(i + 1L);
            }
        }
    }

    @Test
    void aLogoutOnOneServerEndsTheTokenOnTheOtherWithinASecond(Postgres postgres) throws Exception {
        var database = postgres.newDatabase();
        try (var a = TestServer.start(c -> c.storage.database = database);
             var b = TestServer.start(c -> c.storage.database = database)) {
            var apiA = new Api(a);
            var apiB = new Api(b);
            var token = apiA.login("roamer", null);
            // B has the token in its cache now.
            assertThat(apiB.get("/me", token).status()).isEqualTo(200);
            try (var onB = apiB.stream("/room/" + ROOM + "?timeout=120", token)) {
                assertThat(onB.nextEvent(Duration.ofSeconds(10)).kind()).isEqualTo(EventType.JOIN);
                assertThat(apiA.post("/logout", token, null).status()).isEqualTo(204);
                assertThat(onB.itemsToEnd(Duration.ofSeconds(1)).getLast()).isInstanceOf(StreamItem.End.class);
            }
            await().atMost(Duration.ofSeconds(1)).until(() -> apiB.get("/me", token).status() == 401);
        }
    }

    private static List<Event> messages(Api.Stream stream, int count) throws InterruptedException {
        var messages = new ArrayList<Event>();
        while (messages.size() < count) {
            var event = stream.nextEvent(Duration.ofSeconds(20));
            if (event.kind() == EventType.MESSAGE) {
                messages.add(event);
            }
        }
        return messages;
    }
}
