package io.consolechat.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.consolechat.protocol.Event;
import io.consolechat.protocol.EventType;
import io.consolechat.protocol.StreamItem;
import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.ListeningBackends;
import io.consolechat.server.testing.PostgresExtension;
import io.consolechat.server.testing.PostgresExtension.Postgres;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two servers on one PostgreSQL database, and server B does not listen while A revokes a token, bans a user
 * from a room or withdraws an invitation: A's announcements never reach B, and nothing in the events table
 * stands for them. Once B listens again it must act as if it had heard them: the token is refused on B and
 * its streams there end, and so do the streams of a user who may no longer enter the room; each with its end
 * line, within a deadline, while the streams of others go on.
 *
 * <p>B is made deaf as in {@link NotificationLossTest}: its listening backend is ended and the database takes
 * no new connections while A acts; the connections B's pool holds go on working.
 */
@ExtendWith(PostgresExtension.class)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class MissedAnnouncementsTest {
    private static final String PASSWORD = "correct horse battery";
    private static final Duration SOON = Duration.ofSeconds(10);
    /** B tries to listen again each second; then it checks what it missed. */
    private static final Duration AFTER_LISTENING_AGAIN = Duration.ofSeconds(15);

    @Test
    void aTokenRevokedWhileBWasDeafIsRefusedOnBAndItsStreamsThereEnd(Postgres postgres) throws Exception {
        ListeningBackends.withTwoServers(postgres, (backends, listeningB, others, apiA, apiB) -> {
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

    @Test
    void aUserBannedWhileBWasDeafHasTheirStreamOnBEnded(Postgres postgres) throws Exception {
        ListeningBackends.withTwoServers(postgres, (backends, listeningB, others, apiA, apiB) -> {
            var owner = apiA.login("warden", PASSWORD);
            assertThat(apiA.put("/room/yard", owner, "{}").status()).isEqualTo(201);
            var rowdy = apiA.login("rowdy", null);
            var quiet = apiA.login("quiet", null);
            try (var banned = apiB.stream("/room/yard?timeout=120", rowdy);
                 var bystander = apiB.stream("/room/yard?timeout=120", quiet)) {
                assertThat(banned.nextEvent(SOON).kind()).isEqualTo(EventType.JOIN);
                assertThat(bystander.nextEvent(SOON).kind()).isEqualTo(EventType.JOIN);

                backends.whileDeaf(listeningB, others, () -> {
                    assertThat(apiA.post("/room/yard/bans", owner, "{\"user\": \"rowdy\"}").status())
                            .isEqualTo(200);
                    return null;
                });

                var items = banned.itemsToEnd(AFTER_LISTENING_AGAIN);
                assertThat(items).as("the banned user's stream on B").last().isInstanceOf(StreamItem.End.class);
                assertThat(events(items)).contains(EventType.BAN);
                var next = apiA.sendMessage("yard", quiet, "still here");
                assertThat(nextMessage(bystander)).as("the stream of a user not banned").isEqualTo(next);
            }
        });
    }

    @Test
    void aUserWhoseInvitationWasWithdrawnWhileBWasDeafHasTheirStreamOnBEnded(Postgres postgres) throws Exception {
        ListeningBackends.withTwoServers(postgres, (backends, listeningB, others, apiA, apiB) -> {
            var owner = apiA.login("host", PASSWORD);
            assertThat(apiA.put("/room/den", owner, "{\"access\": \"invite\"}").status()).isEqualTo(201);
            var guest = apiA.login("guest", PASSWORD);
            assertThat(apiA.post("/room/den/invites", owner, "{\"user\": \"guest\"}").status()).isBetween(200, 204);
            try (var onB = apiB.stream("/room/den?timeout=120", guest)) {
                assertThat(onB.nextEvent(SOON).kind()).isEqualTo(EventType.JOIN);

                backends.whileDeaf(listeningB, others, () -> {
                    assertThat(apiA.delete("/room/den/invites/guest", owner).status()).isBetween(200, 204);
                    return null;
                });

                var items = onB.itemsToEnd(AFTER_LISTENING_AGAIN);
                assertThat(items).as("the stream on B of the user no longer invited").last()
                        .isInstanceOf(StreamItem.End.class);
            }
        });
    }

    /** The next message of the stream, past other events (the others' joins and leaves, a ban). */
    private static Event nextMessage(Api.Stream stream) throws InterruptedException {
        long deadline = System.nanoTime() + SOON.toNanos();
        while (true) {
            var event = stream.nextEvent(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (event.kind() == EventType.MESSAGE) {
                return event;
            }
        }
    }

    private static List<EventType> events(List<StreamItem> items) {
        return items.stream().filter(i -> i instanceof Event).map(i -> ((Event) i).kind()).toList();
    }
}
