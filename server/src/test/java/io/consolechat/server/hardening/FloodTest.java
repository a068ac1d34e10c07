package io.consolechat.server.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import io.consolechat.server.config.Rate;
import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** One token cannot flood the server with presence events or rooms, and no answer grows with the server. */
class FloodTest {
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>; rel=\"next\"");

    @Test
    void joinsBeyondTheUsersBudgetAreRefusedAndNeverWritten() throws Exception {
        try (var server = TestServer.start(c -> c.limits.joins = new Rate(3, 3, Duration.ofMinutes(1)))) {
            var api = new Api(server);
            var token = api.anonymousToken();
            for (int i = 0; i < 3; i++) {
                try (var stream = api.stream("/room/churn-" + i + "?timeout=0", token)) {
                    assertThat(stream.status()).isEqualTo(200);
                    stream.readToEnd(Duration.ofSeconds(10));
                }
            }
            try (var refused = api.stream("/room/churn-3?timeout=0", token)) {
                assertThat(refused.status()).isEqualTo(429);
                assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            }
            assertThat(api.get("/room/churn-3/messages", token).events()).isEmpty();
            // Streams in rooms the user is still present in (the grace period) write no join and cost nothing.
            try (var again = api.stream("/room/churn-0?timeout=0", token)) {
                assertThat(again.status()).isEqualTo(200);
            }
        }
    }

    @Test
    void newRoomsBeyondTheUsersBudgetAreRefusedWhileExistingRoomsStayOpen() {
        try (var server = TestServer.start(c -> c.limits.newRooms = new Rate(2, 2, Duration.ofHours(1)))) {
            var api = new Api(server);
            var token = api.anonymousToken();
            assertThat(api.sendText("first", token, "hi").status()).isEqualTo(201);
            assertThat(api.sendText("second", token, "hi").status()).isEqualTo(201);
            var refused = api.sendText("third", token, "hi");
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(api.get("/room/third/messages", token).events()).isEmpty();
            assertThat(api.sendText("first", token, "still fine").status()).isEqualTo(201);
            try (var stream = api.stream("/room/fourth?timeout=0", token)) {
                assertThat(stream.status()).isEqualTo(429);
            }
            assertThat(api.sendText("third", api.anonymousToken(), "another user").status()).isEqualTo(201);
        }
    }

    @Test
    void roomsArePagedWithALinkToTheNextPage() {
        try (var server = TestServer.start()) {
            var api = new Api(server);
            var token = api.anonymousToken();
            for (int i = 0; i < 120; i++) {
                api.sendMessage("paged-" + i, token, "x");
            }
            var first = api.get("/rooms", token);
            assertThat(first.json()).hasSize(100);
            assertThat(first.headers().firstValue("Link")).isPresent();

            var seen = new ArrayList<String>();
            var path = "/rooms?limit=7";
            while (path != null) {
                var page = api.get(path, token);
                assertThat(page.status()).isEqualTo(200);
                assertThat(page.json().size()).isLessThanOrEqualTo(7);
                page.json().forEach(room -> seen.add(room.path("name").asText()));
                path = page.headers().firstValue("Link").map(link -> {
                    var matcher = NEXT.matcher(link);
                    assertThat(matcher.find()).as(link).isTrue();
                    return matcher.group(1);
                }).orElse(null);
            }
            assertThat(seen).hasSize(120);
            assertThat(new HashSet<>(seen)).hasSize(120);

            for (var bad : new String[] {"limit=0", "limit=501", "after=bm90LWEtY3Vyc29y", "after=%25"}) {
                var reply = api.get("/rooms?" + bad, token);
                assertThat(reply.status()).as(bad).isEqualTo(400);
                assertThat(reply.error()).isEqualTo("invalid_request");
            }
        }
    }
}
