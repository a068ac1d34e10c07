package io.consolechat.server.dm;

import static io.consolechat.server.testing.ErrorReplies.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.consolechat.protocol.ErrorCode;
import io.consolechat.protocol.PersonalEvent;
import io.consolechat.protocol.PersonalEvent.Kind;
import io.consolechat.protocol.StreamItem;
import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.TestServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code GET /me/events}: a durable stream per user, with its own gap-free ids. */
class PersonalStreamTest {
    private static final Duration SOON = Duration.ofSeconds(10);

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

    @Test
    void aUserWhoWasAwayGetsDirectMessagesAndMentionsInOrderOnceAcrossARestart() throws InterruptedException {
        var away = api.login("Away", "away-password");
        var alice = api.login("alice2", null);
        var carol = api.login("carol2", null);

        var first = api.sendDirectMessage("away", alice, "are you there?");
        var mention = api.sendMessage("lobby", carol, "has anyone seen @away today?");
        var second = api.sendDirectMessage("AWAY", carol, "ping");
        server.restart();

        var items = api.personalAfter(away, 0);
        assertThat(items).extracting(PersonalEvent::id).containsExactly(1L, 2L, 3L);
        assertThat(items).extracting(PersonalEvent::kind).containsExactly(Kind.DM, Kind.MENTION, Kind.DM);
        assertThat(items).extracting(PersonalEvent::text)
                .containsExactly(first.text(), mention.text(), second.text());
        assertThat(items.get(1).room()).isEqualTo("lobby");
        assertThat(items.get(1).seq()).isEqualTo(mention.seq());
        assertThat(items.get(2).room()).isEqualTo("dm:away:carol2");

        // Resuming from a cursor gives what follows, once; the end line carries the cursor.
        assertThat(api.personalAfter(away, 1)).extracting(PersonalEvent::id).containsExactly(2L, 3L);
        try (var stream = api.stream("/me/events?since=3&timeout=0", away)) {
            assertThat(stream.itemsToEnd(SOON)).containsExactly(new StreamItem.End(3));
        }
        // Without since: the recent items.
        try (var stream = api.stream("/me/events?history=2&timeout=0", away)) {
            assertThat(stream.itemsToEnd(SOON)).extracting(StreamItem::type).containsExactly("mention", "dm", "end");
        }
        // Each user has a stream of their own.
        assertThat(api.personalAfter(alice, 0)).isEmpty();
    }

    @Test
    void aLiveItemArrivesOnAnOpenPersonalStream() throws InterruptedException {
        var dora = api.login("dora", null);
        var eve = api.login("eve2", null);
        try (var stream = api.stream("/me/events?history=0&timeout=20", dora)) {
            api.sendMessage("general", eve, "@Dora look");
            var item = (PersonalEvent) stream.nextItem(SOON);
            assertThat(item.kind()).isEqualTo(Kind.MENTION);
            assertThat(item.from().name()).isEqualTo("eve2");
            assertThat(item.id()).isEqualTo(1);
        }
    }

    @Test
    void mentionsFireOnTheNameAsAWordAndNotInsideAnother() throws InterruptedException {
        var named = api.login("bob3", null);
        var other = api.login("bob3x", null);
        var writer = api.login("writer", null);
        String[] mentions = {"@bob3", "hi @BOB3!", "(@bob3)", "@bob3, @bob3: twice", "cc: @Bob3."};
        String[] notMentions = {"@bob3x is someone else", "mail bob3@example.com", "@bob3_x", "@bob3-x",
                "bob3", "@@bob3x", "x@bob3"};
        for (var text : notMentions) {
            api.sendMessage("mentions", writer, text);
        }
        for (var text : mentions) {
            api.sendMessage("mentions", writer, text);
        }
        assertThat(api.personalAfter(named, 0)).extracting(PersonalEvent::text).containsExactly(mentions);
        assertThat(api.personalAfter(other, 0)).extracting(PersonalEvent::text)
                .containsExactly("@bob3x is someone else");
        // Naming yourself, or a name nobody has, tells nobody.
        api.sendMessage("mentions", named, "I am @bob3 and this is @nobody-here");
        assertThat(api.personalAfter(named, 0)).hasSize(mentions.length);
    }

    @Test
    void badParametersAreRefused() {
        var token = api.login("params", null);
        assertError(api.get("/me/events?since=-1", token), ErrorCode.INVALID_REQUEST);
        assertError(api.get("/me/events?timeout=x", token), ErrorCode.INVALID_REQUEST);
        assertError(api.get("/me/events?timeout=0", null), ErrorCode.UNAUTHORIZED);
    }
}
