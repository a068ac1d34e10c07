package io.consolechat.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.consolechat.protocol.Event;
import io.consolechat.protocol.EventType;
import io.consolechat.protocol.StreamItem;
import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.ListeningBackends;
import io.consolechat.server.testing.PostgresExtension;
import io.consolechat.server.testing.PostgresExtension.Postgres;
import io.consolechat.server.testing.TestServer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two servers on one PostgreSQL database, and server B does not listen while A revokes a token: A's
 * announcement never reaches B, and nothing in the events table stands for it. Once B listens again it must
 * act as if it had heard it: the token is refused on B and its streams there end with their end line, within
 * a deadline, while the streams of others go on.
 *
 * <p>B is made deaf as in {@link NotificationLossTest}: its listening backend is ended and the database takes
 * no new connections while A acts; the connections B's pool holds go on working.
 */
@ExtendWith(PostgresExtension.class)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class MissedAnnouncementsTest {
    private static final Duration SOON = Duration.ofSeconds(10);
    /** B tries to listen again each second; then it checks what it missed. */
    private static final Duration AFTER_LISTENING_AGAIN = Duration.ofSeconds(15);

    /** Two servers A and B on a new database, with the backends to make B deaf. */
    private interface TwoServers {
        void run(ListeningBackends backends, long listeningB, Set<Long> others, Api apiA, Api apiB)
                throws Exception;
    }

    private static void withTwoServers(Postgres postgres, TwoServers test) throws Exception {
        var database = postgres.newDatabase();
        try (var backends = ListeningBackends.of(database);
             var a = TestServer.start(c -> c.storage.database = database)) {
            long listeningA = backends.listeningOf(Set.of());
            try (var b = TestServer.start(c -> c.storage.database = database)) {
                long listeningB = backends.listeningOf(Set.of(listeningA));
                test.run(backends, listeningB, Set.of(listeningA), new Api(a), new Api(b));
            }
        }
    }

    @Test
    void aTokenRevokedWhileBWasDeafIsRefusedOnBAndItsStreamsThereEnd(Postgres postgres) throws Exception {
        withTwoServers(postgres, (backends, listeningB, others, apiA, apiB) -> {
            var leaver = apiA.login("leaver", null);
            var stayer = apiA.login("stayer", null);
            try (var leaving = apiB.stream("/room/lobby?timeout=120", leaver);
                 var staying = apiB.stream("/room/lobby?timeout=120", stayer)) {
                assertThat(leaving.nextEvent(SOON).kind()).isEqualTo(EventType.JOIN);
                assertThat(staying.nextEvent(SOON).kind()).isEqualTo(EventType.JOIN);

                backends.whileDeaf(listeningB, others, () -> {
                    assertThat(apiA.post("/logout", leaver, null).status()).isEqualTo(204);
                    // B did not hear of it, and still honours the token it has cached.
                    assertThat(apiB.get("/me", leaver).status()).as("the revoked token on deaf B").isEqualTo(200);
                    return null;
                });

                var items = leaving.itemsToEnd(AFTER_LISTENING_AGAIN);
                assertThat(items).as("the revoked token's stream on B").last().isInstanceOf(StreamItem.End.class);
                assertThat(apiB.get("/me", leaver).status()).as("the revoked token on B").isEqualTo(401);
                assertThat(apiB.get("/me", stayer).status()).isEqualTo(200);
                var next = apiA.sendMessage("lobby", stayer, "still here");
                assertThat(nextMessage(staying)).as("the stream of a token still valid").isEqualTo(next);
            }
        });
    }

    /** The next message of the stream, past other events (the others' joins and leaves). */
    private static Event nextMessage(Api.Stream stream) throws InterruptedException {
        long deadline = System.nanoTime() + SOON.toNanos();
        while (true) {
            var event = stream.nextEvent(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (event.kind() == EventType.MESSAGE) {
                return event;
            }
        }
    }
}
