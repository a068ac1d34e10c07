package io.consolechat.server.dm;

import static io.consolechat.server.testing.ErrorReplies.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.consolechat.protocol.ErrorCode;
import io.consolechat.protocol.EventType;
import io.consolechat.protocol.StreamItem;
import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.ManualClock;
import io.consolechat.server.testing.TestServer;
import java.net.http.HttpRequest;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code POST /stream-ticket}: a credential for one stream, for clients that cannot send headers. */
class StreamTicketTest {
    private static final Duration SOON = Duration.ofSeconds(10);

    private static final ManualClock clock = new ManualClock();
    private static TestServer server;
    private static Api api;

    @BeforeAll
    static void start() {
        server = TestServer.start(config -> { }, clock);
        api = new Api(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String ticket(String token) {
        var reply = api.post("/stream-ticket", token, null);
        assertThat(reply.status()).as("%s", reply).isEqualTo(201);
        assertThat(Instant.parse(reply.json().path("expiresAt").asText()))
                .isEqualTo(clock.instant().plusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        return reply.json().path("ticket").asText();
    }

    @Test
    void aTicketStreamsOnceAndIsRefusedWhenReused() throws InterruptedException {
        var token = api.login("ticketed", null);
        var sent = api.sendMessage("tickets", token, "hello");
        var ticket = ticket(token);
        try (var stream = api.stream("/room/tickets?timeout=0&ticket=" + ticket, null)) {
            assertThat(stream.status()).isEqualTo(200);
            var items = stream.itemsToEnd(SOON);
            assertThat(items).contains(sent);
            assertThat(items.getLast()).isInstanceOf(StreamItem.End.class);
        }
        assertError(api.get("/room/tickets?timeout=0&ticket=" + ticket, null), ErrorCode.UNAUTHORIZED);

        // Every stream endpoint takes one.
        assertThat(api.get("/me/events?timeout=0&ticket=" + ticket(token), null).status()).isEqualTo(200);
        assertThat(api.get("/stream?rooms=tickets&timeout=0&ticket=" + ticket(token), null).status()).isEqualTo(200);
        api.login("ticket-friend", null);
        assertThat(api.get("/dm/ticket-friend?timeout=0&ticket=" + ticket(token), null).status()).isEqualTo(200);
    }

    @Test
    void aTicketCannotPostOrReadAnythingButAStream() {
        var token = api.login("readonly", null);
        var ticket = ticket(token);
        assertError(api.post("/room/tickets?ticket=" + ticket, null, "{\"text\":\"sneaky\"}"), ErrorCode.UNAUTHORIZED);
        assertError(api.post("/room/tickets", ticket, "{\"text\":\"sneaky\"}"), ErrorCode.UNAUTHORIZED);
        assertError(api.get("/me?ticket=" + ticket, null), ErrorCode.UNAUTHORIZED);
        assertError(api.post("/stream-ticket?ticket=" + ticket, null, null), ErrorCode.UNAUTHORIZED);
        assertError(api.get("/room/tickets?timeout=0", ticket), ErrorCode.UNAUTHORIZED);
        // None of that used it up.
        assertThat(api.get("/room/tickets?timeout=0&ticket=" + ticket, null).status()).isEqualTo(200);
    }

    @Test
    void aTicketExpiresAfterSixtySeconds() {
        var token = api.login("late", null);
        var fresh = ticket(token);
        var stale = ticket(token);
        clock.advance(Duration.ofSeconds(59));
        assertThat(api.get("/room/tickets?timeout=0&ticket=" + fresh, null).status()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(1));
        assertError(api.get("/room/tickets?timeout=0&ticket=" + stale, null), ErrorCode.UNAUTHORIZED);
    }

    @Test
    void aTicketWhoseTokenWasRevokedMeanwhileIsRefused() {
        var token = api.login("quitter", null);
        var ticket = ticket(token);
        assertThat(api.post("/logout", token, null).status()).isEqualTo(204);
        assertError(api.get("/room/tickets?timeout=0&ticket=" + ticket, null), ErrorCode.UNAUTHORIZED);
    }

    @Test
    void aTicketWhoseTokenLapsedMeanwhileIsRefused() {
        var ownClock = new ManualClock();
        try (var own = TestServer.start(config -> config.tokenLifetimes.temporary = Duration.ofSeconds(30), ownClock)) {
            var ownApi = new Api(own);
            var token = ownApi.login("short-lived", null);
            var ticket = ownApi.post("/stream-ticket", token, null).json().path("ticket").asText();
            ownClock.advance(Duration.ofSeconds(30));
            assertError(ownApi.get("/room/tickets?timeout=0&ticket=" + ticket, null), ErrorCode.UNAUTHORIZED);
        }
    }

    @Test
    void aStreamOpenedWithATicketEndsWhenItsTokenIsRevoked() throws InterruptedException {
        var token = api.login("ticket-holder", null);
        try (var stream = api.stream("/room/tickets?timeout=3600&ticket=" + ticket(token), null)) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.nextEvent(SOON).kind()).isEqualTo(EventType.JOIN);
            assertThat(api.post("/logout", token, null).status()).isEqualTo(204);
            assertThat(stream.itemsToEnd(SOON).getLast()).isInstanceOf(StreamItem.End.class);
        }
    }

    /** Tickets are in the database: a restart keeps them, and the housekeeping deletes those that expired. */
    @Test
    void aRestartKeepsTicketsAndTheHousekeepingDeletesExpiredOnes() throws Exception {
        var ownClock = new ManualClock();
        try (var own = TestServer.start(config -> { }, ownClock)) {
            var ownApi = new Api(own);
            var token = ownApi.login("restarted", null);
            var kept = ownApi.post("/stream-ticket", token, null).json().path("ticket").asText();
            ownApi.post("/stream-ticket", token, null);
            ownApi.post("/stream-ticket", token, null);
            assertThat(ticketRows(own)).isEqualTo(3);
            own.restart();
            assertThat(ownApi.get("/room/tickets?timeout=0&ticket=" + kept, null).status()).isEqualTo(200);
            ownClock.advance(Duration.ofSeconds(60));
            // The housekeeping runs when a server starts, and every hour from then on.
            own.restart();
            await().atMost(SOON).until(() -> ticketRows(own), rows -> rows == 0);
        }
    }

    private static long ticketRows(TestServer server) throws SQLException {
        try (var conn = DriverManager.getConnection("jdbc:sqlite:" + server.dataDir().resolve("console-chat.db"));
             var rows = conn.createStatement().executeQuery("SELECT COUNT(*) FROM stream_tickets")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    @Test
    void malformedTicketsAndMissingTokensAreRefused() {
        assertError(api.get("/room/tickets?timeout=0&ticket=", null), ErrorCode.UNAUTHORIZED);
        assertError(api.get("/room/tickets?timeout=0&ticket=st_short", null), ErrorCode.UNAUTHORIZED);
        assertError(api.post("/stream-ticket", null, null), ErrorCode.UNAUTHORIZED);
        var forged = "st_" + "A".repeat(43);
        assertError(api.get("/room/tickets?timeout=0&ticket=" + forged, null), ErrorCode.UNAUTHORIZED);
    }
}
