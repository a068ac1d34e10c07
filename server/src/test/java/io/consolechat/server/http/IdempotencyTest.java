package io.consolechat.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.consolechat.protocol.Event;
import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.TestServer;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A post retried with the same Idempotency-Key is stored once, so a client can resend without a duplicate. */
class IdempotencyTest {
    private static TestServer server;
    private static Api api;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        api = new Api(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Api.Reply post(String room, String token, String key, String text) {
        return api.send(api.request("/room/" + room, token).header("Content-Type", "text/plain")
                .header("Idempotency-Key", key).POST(HttpRequest.BodyPublishers.ofString(text)).build());
    }

    @Test
    void aRetryWithTheSameKeyGetsTheStoredEventBack() {
        var token = api.anonymousToken();
        var first = post("retry", token, "3f1c9a6e-0b1d-4a57-9a55-1d2c3b4a5e6f", "sent once");
        var again = post("retry", token, "3f1c9a6e-0b1d-4a57-9a55-1d2c3b4a5e6f", "sent once");
        assertThat(first.status()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.event()).isEqualTo(first.event());
        assertThat(post("retry", token, "another-key", "sent once").event().seq()).isEqualTo(first.event().seq() + 1);
        assertThat(api.get("/room/retry/messages", token).events()).extracting(Event::text)
                .containsExactly("sent once", "sent once");
    }

    @Test
    void concurrentRetriesStoreOneEvent() throws Exception {
        var token = api.anonymousToken();
        var start = new CountDownLatch(1);
        var replies = new ArrayList<Future<Api.Reply>>();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 10; i++) {
                replies.add(threads.submit(() -> {
                    start.await();
                    return post("race", token, "same-key", "only one");
                }));
            }
            start.countDown();
            var seqs = new ArrayList<Long>();
            for (var reply : replies) {
                assertThat(reply.get().status()).isEqualTo(201);
                seqs.add(reply.get().event().seq());
            }
            assertThat(seqs).containsOnly(seqs.getFirst());
        }
        assertThat(api.get("/room/race/messages", token).events()).hasSize(1);
    }

    @Test
    void keysAreTheSendersOwn() {
        var key = "shared-by-accident";
        var alice = post("keys", api.anonymousToken(), key, "from one");
        var bob = post("keys", api.anonymousToken(), key, "from another");
        assertThat(bob.event().seq()).isEqualTo(alice.event().seq() + 1);
    }

    @Test
    void aMalformedKeyIsRefused() {
        var token = api.anonymousToken();
        for (var key : new String[] {"", "has space", "x".repeat(65), "ümlaut"}) {
            var reply = post("bad-keys", token, key, "x");
            assertThat(reply.status()).as("key '%s'", key).isEqualTo(400);
            assertThat(reply.error()).isEqualTo("invalid_request");
        }
    }
}
