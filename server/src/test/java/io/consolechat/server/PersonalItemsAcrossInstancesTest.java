package io.consolechat.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.consolechat.protocol.Event;
import io.consolechat.protocol.PersonalEvent;
import io.consolechat.protocol.StreamItem;
import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.ListeningBackends;
import io.consolechat.server.testing.PostgresExtension;
import io.consolechat.server.testing.PostgresExtension.Postgres;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two servers on one PostgreSQL database: a direct message sent through A reaches the recipient's personal
 * stream open on B within seconds, once, whether the stream is {@code /me/events} or {@code /stream} with
 * {@code me}, and also when B did not listen while A stored it. The streams run for an hour: what reaches
 * them came from the other server's notice, not from a re-poll.
 *
 * <p>B is made deaf as in {@link NotificationLossTest}: its listening backend is ended and the database takes
 * no new connections while A acts; the connections B's pool holds go on working.
 */
@ExtendWith(PostgresExtension.class)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class PersonalItemsAcrossInstancesTest {
    /** Far more than a notice takes to cross, far less than a stream's timeout. */
    private static final Duration SOON = Duration.ofSeconds(5);
    /** B tries to listen again each second; then it reads what it missed. */
    private static final Duration AFTER_LISTENING_AGAIN = Duration.ofSeconds(15);

    @Test
    void aDirectMessageSentThroughAReachesThePersonalStreamOnB(Postgres postgres) throws Exception {
        ListeningBackends.withTwoServers(postgres, (backends, listeningB, others, apiA, apiB) -> {
            var reader = apiA.login("reader", null);
            var sender = apiA.login("sender", null);
            try (var onB = apiB.stream("/me/events?history=0&timeout=3600", reader)) {
                receivesOnce(onB, apiA, apiB, sender);
            }
        });
    }

    @Test
    void aDirectMessageSentThroughAReachesACombinedStreamOnB(Postgres postgres) throws Exception {
        ListeningBackends.withTwoServers(postgres, (backends, listeningB, others, apiA, apiB) -> {
            var reader = apiA.login("reader", null);
            var sender = apiA.login("sender", null);
            try (var onB = apiB.stream("/stream?rooms=lobby&history=0&me=0&timeout=3600", reader)) {
                receivesOnce(onB, apiA, apiB, sender);
            }
        });
    }

    /**
     * Nothing follows the message: the room of the conversation has no stream on B, and no later item shows
     * B's stream what it lacks. B must read it itself once it listens again.
     */
    @Test
    void aDirectMessageSentWhileBWasDeafReachesThePersonalStreamOnBOnceItListensAgain(Postgres postgres)
            throws Exception {
        ListeningBackends.withTwoServers(postgres, (backends, listeningB, others, apiA, apiB) -> {
            var reader = apiA.login("reader", null);
            var sender = apiA.login("sender", null);
            try (var onB = apiB.stream("/me/events?history=0&timeout=3600", reader)) {
                var local = apiB.sendDirectMessage("reader", sender, "through B");
                assertThat(nextPersonal(onB, SOON).seq()).as("the live stream on B").isEqualTo(local.seq());

                var missed = backends.whileDeaf(listeningB, others,
                        () -> apiA.sendDirectMessage("reader", sender, "while B was deaf"));

                var item = nextPersonal(onB, AFTER_LISTENING_AGAIN);
                assertThat(item.text()).isEqualTo(missed.text());
                assertThat(item.seq()).isEqualTo(missed.seq());
                assertThat(item.id()).isEqualTo(2);
                var next = apiB.sendDirectMessage("reader", sender, "after");
                assertThat(nextPersonal(onB, SOON)).as("none twice").extracting(PersonalEvent::id, PersonalEvent::seq)
                        .containsExactly(3L, next.seq());
            }
        });
    }

    /**
     * A direct message through B shows the stream is live; one through A must follow within {@link #SOON}
     * (the stream runs for an hour, so no re-poll brings it), and then the next one through B, nothing twice.
     */
    private static void receivesOnce(Api.Stream onB, Api apiA, Api apiB, String sender) throws InterruptedException {
        var local = apiB.sendDirectMessage("reader", sender, "through B");
        assertThat(nextPersonal(onB, SOON).seq()).as("the live stream on B").isEqualTo(local.seq());

        var remote = apiA.sendDirectMessage("reader", sender, "through A");
        var item = nextPersonal(onB, SOON);
        assertThat(item.kind()).isEqualTo(PersonalEvent.Kind.DM);
        assertThat(item.id()).isEqualTo(2);
        assertThat(item.text()).isEqualTo(remote.text());
        assertThat(item.seq()).isEqualTo(remote.seq());

        var next = apiB.sendDirectMessage("reader", sender, "through B again");
        assertThat(nextPersonal(onB, SOON)).as("none twice").extracting(PersonalEvent::id, PersonalEvent::seq)
                .containsExactly(3L, next.seq());
    }

    /** The next personal item of the stream, past keepalives and room events, within {@code timeout}. */
    private static PersonalEvent nextPersonal(Api.Stream stream, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no personal item within " + timeout);
            }
            var item = stream.nextItem(Duration.ofNanos(left));
            if (item instanceof PersonalEvent personal) {
                return personal;
            }
            if (!(item instanceof Event) && !(item instanceof StreamItem.Keepalive)) {
                throw new AssertionError("expected a personal item, got " + item);
            }
        }
    }
}
