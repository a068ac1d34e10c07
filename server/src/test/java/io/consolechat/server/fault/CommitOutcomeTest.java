package io.consolechat.server.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.consolechat.protocol.Event;
import io.consolechat.protocol.EventType;
import io.consolechat.server.ChatServer;
import io.consolechat.server.store.Database;
import io.consolechat.server.store.PostgresUrl;
import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.PostgresExtension;
import io.consolechat.server.testing.PostgresExtension.Postgres;
import io.consolechat.server.testing.PostgresProxy;
import io.consolechat.server.testing.PostgresProxy.Cut;
import io.consolechat.server.testing.TestServer;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A post whose transaction loses its connection on PostgreSQL, at a chosen point (a proxy between the
 * server and PostgreSQL cuts it): when PostgreSQL applied the COMMIT and only its answer was lost, the post
 * is answered 201 with its sequence number and published; when the connection broke before the COMMIT
 * reached PostgreSQL, it is answered 503 and nothing is stored. Either way the next post gets the next number.
 */
@ExtendWith(PostgresExtension.class)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class CommitOutcomeTest {
    private static final String ROOM = "ledger";
    private static final Duration SOON = Duration.ofSeconds(10);
    private static final Pattern PORT = Pattern.compile("localhost:(\\d+)/");

    private PostgresProxy proxy;
    /** The test's database, reached through the proxy. */
    private String url;

    @BeforeEach
    void proxyToANewDatabase(Postgres postgres) {
        var direct = postgres.newDatabase();
        var port = PORT.matcher(direct);
        assertThat(port.find()).as(direct).isTrue();
        proxy = new PostgresProxy(Integer.parseInt(port.group(1)));
        url = port.replaceFirst("localhost:" + proxy.port() + "/");
    }

    @AfterEach
    void closeProxy() {
        proxy.close();
    }

    @Test
    void aCommitAppliedWhoseAnswerWasLostIsAnswered201AtItsSeqAndPublished() throws Exception {
        try (var server = TestServer.start(c -> c.storage.database = url)) {
            var api = new Api(server);
            var listener = api.anonymousToken();
            var sender = api.anonymousToken();
            try (var stream = api.stream("/room/" + ROOM + "?timeout=60", listener)) {
                assertThat(stream.nextEvent(SOON).kind()).isEqualTo(EventType.JOIN);
                var before = api.sendMessage(ROOM, sender, "before the cut");
                assertThat(stream.nextEvent(SOON)).isEqualTo(before);

                proxy.cutNext(Cut.AFTER_COMMIT);
                var cut = api.sendText(ROOM, sender, "applied, answer lost");
                assertThat(proxy.cuts()).as("connections cut after the COMMIT").isEqualTo(1);
                assertThat(cut.status()).as(cut.body()).isEqualTo(201);
                assertThat(cut.event().seq()).isEqualTo(before.seq() + 1);
                assertThat(stream.nextEvent(SOON)).as("published as any commit").isEqualTo(cut.event());

                var after = api.sendMessage(ROOM, sender, "after the cut");
                assertThat(after.seq()).isEqualTo(before.seq() + 2);
                assertThat(stream.nextEvent(SOON)).isEqualTo(after);
                assertThat(messages(api, sender)).extracting(Event::seq, Event::text).containsExactly(
                        tuple(before.seq(), before.text()), tuple(cut.event().seq(), cut.event().text()),
                        tuple(after.seq(), after.text()));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Cut.class, names = {"AT_INSERT", "BEFORE_COMMIT"})
    void aPostCutBeforeItsCommitReachedTheDatabaseIsAnswered503AndNotStored(Cut where) throws Exception {
        try (var server = TestServer.start(c -> c.storage.database = url)) {
            var api = new Api(server);
            var listener = api.anonymousToken();
            var sender = api.anonymousToken();
            try (var stream = api.stream("/room/" + ROOM + "?timeout=60", listener)) {
                assertThat(stream.nextEvent(SOON).kind()).isEqualTo(EventType.JOIN);
                var before = api.sendMessage(ROOM, sender, "before the cut");
                assertThat(stream.nextEvent(SOON)).isEqualTo(before);

                proxy.cutNext(where);
                var lost = api.sendText(ROOM, sender, "never committed");
                assertThat(proxy.cuts()).as("connections cut").isEqualTo(1);
                assertThat(lost.status()).as(lost.body()).isEqualTo(503);
                assertThat(lost.error()).isEqualTo("unavailable");
                assertThat(lost.json().path("message").asText()).doesNotContain("Idempotency-Key");

                var after = api.sendMessage(ROOM, sender, "after the cut");
                assertThat(after.seq()).as("the refused post took no number").isEqualTo(before.seq() + 1);
                assertThat(stream.nextEvent(SOON)).isEqualTo(after);
                assertThat(messages(api, sender)).extracting(Event::seq, Event::text).containsExactly(
                        tuple(before.seq(), before.text()), tuple(after.seq(), after.text()));
            }
        }
    }

    /**
     * The database is gone from the moment of the cut, longer than the server tries to learn the outcome: the
     * sender is told that the outcome is unknown, and its resend with the same key, once the database is back,
     * returns the message the first try stored.
     */
    @Test
    void aCommitWhoseOutcomeCannotBeLearnedIsAnswered503UnknownAndTheKeyedResendStoresItOnce(@TempDir Path dir) {
        var clock = Clock.systemUTC();
        var config = TestServer.testConfig(dir);
        config.storage.database = url;
        try (var server = ChatServer.start(config, clock, bus -> Database.openPostgres(PostgresUrl.parse(url, null),
                bus, clock, Duration.ofSeconds(1)))) {
            var api = new Api(server.uri());
            var sender = api.anonymousToken();
            var before = api.sendMessage(ROOM, sender, "before the cut");

            proxy.cutNextThenBeUnreachable(Cut.AFTER_COMMIT);
            var unknown = post(api, sender, "outcome unknown", "key-unknown");
            assertThat(proxy.cuts()).as("connections cut after the COMMIT").isEqualTo(1);
            assertThat(unknown.status()).as(unknown.body()).isEqualTo(503);
            assertThat(unknown.error()).isEqualTo("unavailable");
            assertThat(unknown.json().path("message").asText()).contains("Idempotency-Key");

            proxy.reachable();
            var again = await("the resend stored").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> post(api, sender, "outcome unknown", "key-unknown"), reply -> reply.status() == 201);
            assertThat(again.event().seq()).as("the first try's event").isEqualTo(before.seq() + 1);
            var after = api.sendMessage(ROOM, sender, "after the cut");
            assertThat(after.seq()).isEqualTo(before.seq() + 2);
            assertThat(messages(api, sender)).extracting(Event::seq, Event::text).containsExactly(
                    tuple(before.seq(), before.text()), tuple(again.event().seq(), "outcome unknown"),
                    tuple(after.seq(), after.text()));
        }
    }

    private static Api.Reply post(Api api, String token, String text, String key) {
        return api.send(api.request("/room/" + ROOM, token).header("Content-Type", "application/json")
                .header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"" + text + "\"}")).build());
    }

    /** The room's stored messages, oldest first. */
    private static List<Event> messages(Api api, String token) {
        return api.get("/room/" + ROOM + "/messages?limit=500", token).events().stream()
                .filter(e -> e.kind() == EventType.MESSAGE).toList();
    }
}
