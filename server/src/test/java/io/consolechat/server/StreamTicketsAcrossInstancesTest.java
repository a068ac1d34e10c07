package io.consolechat.server;

import static io.consolechat.server.testing.ErrorReplies.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.consolechat.protocol.ErrorCode;
import io.consolechat.protocol.EventType;
import io.consolechat.protocol.StreamItem;
import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.PostgresExtension;
import io.consolechat.server.testing.PostgresExtension.Postgres;
import io.consolechat.server.testing.TestServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Stream tickets are kept in the shared PostgreSQL database: behind a load balancer, a browser that gets its
 * ticket from one server may open its stream on another, once, and a ticket is only as good as the token it
 * was issued for, wherever that token is revoked.
 */
@ExtendWith(PostgresExtension.class)
class StreamTicketsAcrossInstancesTest {
    private static final Duration SOON = Duration.ofSeconds(10);
    /** What a used ticket gets, on the server that took it and on every other. */
    private static final String USED = "the ticket is unknown, used or expired";

    private static TestServer start(String database) {
        return TestServer.start(c -> c.storage.database = database);
    }

    private static String ticket(Api api, String token) {
        var reply = api.post("/stream-ticket", token, null);
        assertThat(reply.status()).as("%s", reply).isEqualTo(201);
        return reply.json().path("ticket").asText();
    }

    @Test
    void aTicketFromOneServerOpensOneStreamOnAnother(Postgres postgres) throws InterruptedException {
        var database = postgres.newDatabase();
        try (var a = start(database); var b = start(database)) {
            var onA = new Api(a);
            var onB = new Api(b);
            var token = onA.login("roaming", null);
            var sent = onA.sendMessage("tickets", token, "hello from A");
            var ticket = ticket(onA, token);
            try (var stream = onB.stream("/room/tickets?timeout=0&ticket=" + ticket, null)) {
                assertThat(stream.status()).isEqualTo(200);
                var items = stream.itemsToEnd(SOON);
                assertThat(items).contains(sent);
                assertThat(items.getLast()).isInstanceOf(StreamItem.End.class);
            }
            for (var api : new Api[] {onB, onA}) {
                var again = api.get("/room/tickets?timeout=0&ticket=" + ticket, null);
                assertError(again, ErrorCode.UNAUTHORIZED);
                assertThat(again.json().path("message").asText()).isEqualTo(USED);
            }
        }
    }

    @Test
    void aTicketWhoseTokenWasRevokedOnAnotherServerIsRefused(Postgres postgres) {
        var database = postgres.newDatabase();
        try (var a = start(database); var b = start(database)) {
            var onA = new Api(a);
            var onB = new Api(b);
            var token = onA.login("revoked", null);
            var ticket = ticket(onA, token);
            assertThat(onB.post("/logout", token, null).status()).isEqualTo(204);
            // A issued the ticket and still has the token in its cache until B's notice arrives: the ticket
            // is refused all the same, because redeeming it reads the token from the database.
            var reply = onA.get("/room/tickets?timeout=0&ticket=" + ticket, null);
            assertError(reply, ErrorCode.UNAUTHORIZED);
            assertThat(reply.json().path("message").asText()).isEqualTo(USED);
        }
    }

    @Test
    void aStreamOpenedWithATicketEndsWhenItsTokenIsRevokedOnAnotherServer(Postgres postgres)
            throws InterruptedException {
        var database = postgres.newDatabase();
        try (var a = start(database); var b = start(database)) {
            var onA = new Api(a);
            var onB = new Api(b);
            var token = onA.login("watched", null);
            try (var stream = onB.stream("/room/tickets?timeout=3600&ticket=" + ticket(onA, token), null)) {
                assertThat(stream.status()).isEqualTo(200);
                assertThat(stream.nextEvent(SOON).kind()).isEqualTo(EventType.JOIN);
                assertThat(onA.post("/logout", token, null).status()).isEqualTo(204);
                assertThat(stream.itemsToEnd(SOON).getLast()).isInstanceOf(StreamItem.End.class);
            }
        }
    }
}
