package io.consolechat.server.dm;

import static io.consolechat.server.testing.ErrorReplies.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.consolechat.protocol.ErrorCode;
import io.consolechat.protocol.Event;
import io.consolechat.protocol.EventType;
import io.consolechat.protocol.PersonalEvent;
import io.consolechat.protocol.StreamItem;
import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.TestServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code /dm/{user}} and {@code /me/blocks}: who can write, who can read, what the recipient is told. */
class DirectMessagesTest {
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

    /** The messages of a stream that ends at once. */
    private static List<Event> messages(String path, String token) throws InterruptedException {
        try (var stream = api.stream(path, token)) {
            return stream.itemsToEnd(SOON).stream()
                    .filter(item -> item instanceof Event e && e.kind() == EventType.MESSAGE)
                    .map(Event.class::cast).toList();
        }
    }

    @Test
    void aDirectMessageReachesTheConversationAndThePersonalStreamAndNoOneElse() throws InterruptedException {
        var alice = api.login("Alice", "alice-password");
        var bob = api.login("bob", null);
        var carol = api.login("carol", null);
        try (var conversation = api.stream("/dm/alice?history=0&timeout=20", bob);
             var personal = api.stream("/me/events?history=0&timeout=20", bob)) {
            // Both are subscribed once their heads have arrived.
            assertThat(conversation.status()).isEqualTo(200);
            assertThat(personal.status()).isEqualTo(200);

            var sent = api.sendDirectMessage("BOB", alice, "hello Bob");
            assertThat(sent.room()).isEqualTo("dm:alice:bob");
            assertThat(sent.from().name()).isEqualTo("Alice");

            assertThat(conversation.nextEvent(SOON)).isEqualTo(sent);
            var item = (PersonalEvent) personal.nextItem(SOON);
            assertThat(item.kind()).isEqualTo(PersonalEvent.Kind.DM);
            assertThat(item.id()).isEqualTo(1);
            assertThat(item.room()).isEqualTo("dm:alice:bob");
            assertThat(item.seq()).isEqualTo(sent.seq());
            assertThat(item.from()).isEqualTo(sent.from());
            assertThat(item.text()).isEqualTo("hello Bob");

            // Bob answers; Alice reads both directions in the same conversation.
            var answer = api.sendDirectMessage("alice", bob, "hi Alice");
            assertThat(answer.room()).isEqualTo("dm:alice:bob");
            assertThat(messages("/dm/bob?timeout=0", alice)).containsExactly(sent, answer);
        }
        // Carol reaches only her own conversation with each of them, and cannot name theirs as a room.
        assertThat(messages("/dm/alice?timeout=0", carol)).isEmpty();
        assertThat(messages("/dm/bob?timeout=0", carol)).isEmpty();
        assertError(api.get("/room/dm:alice:bob?timeout=0", carol), ErrorCode.INVALID_ROOM);
        assertError(api.get("/room/dm:alice:bob/messages", carol), ErrorCode.INVALID_ROOM);
        // Read as room "dm" with the cursor "alice:bob", which is no number.
        assertError(api.get("/stream?rooms=dm:alice:bob&timeout=0", carol), ErrorCode.INVALID_REQUEST);
        assertThat(api.personalAfter(carol, 0)).isEmpty();
        // Conversations are not rooms: /rooms does not list them.
        assertThat(api.get("/rooms", carol).json().findValuesAsText("name")).noneMatch(n -> n.startsWith("dm:"));
    }

    @Test
    void directMessagesToUsersWhoDoNotExistAreRefused() {
        var dave = api.login("dave", null);
        assertError(api.sendDirect("nobody-here", dave, "hello?"), ErrorCode.NO_SUCH_USER);
        assertError(api.get("/dm/nobody-here?timeout=0", dave), ErrorCode.NO_SUCH_USER);
        assertError(api.sendDirect("x", dave, "too short a name"), ErrorCode.NO_SUCH_USER);
        assertError(api.sendDirect("dm:a:b", dave, "not a name at all"), ErrorCode.NO_SUCH_USER);

        // A temporary user exists while their token lives: after logout the name is nobody's.
        var erin = api.login("erin", null);
        assertThat(api.sendDirect("erin", dave, "still there?").status()).isEqualTo(201);
        assertThat(api.post("/logout", erin, null).status()).isEqualTo(204);
        assertError(api.sendDirect("erin", dave, "gone?"), ErrorCode.NO_SUCH_USER);

        // An anonymous user can be written to by name.
        var anonymous = api.anonymousToken();
        var anonymousName = api.get("/me", anonymous).user().name();
        assertThat(api.sendDirect(anonymousName, dave, "hi stranger").status()).isEqualTo(201);
    }

    @Test
    void aBlockedUsersDirectMessagesAreRefusedAndNeverArrive() throws InterruptedException {
        var frank = api.login("frank", null);
        var grace = api.login("grace", null);
        api.sendDirectMessage("grace", frank, "before the block");

        assertThat(api.post("/me/blocks", grace, "{\"user\":\"Frank\"}").status()).isEqualTo(200);
        assertError(api.sendDirect("grace", frank, "after the block"), ErrorCode.BLOCKED);
        // Blocking is one way: Grace can still write to Frank.
        assertThat(api.sendDirect("frank", grace, "I can still write").status()).isEqualTo(201);

        assertThat(messages("/dm/frank?timeout=0", grace)).extracting(Event::text)
                .containsExactly("before the block", "I can still write");
        assertThat(api.personalAfter(grace, 0)).extracting(PersonalEvent::text).containsExactly("before the block");

        var lifted = api.send(api.request("/me/blocks/FRANK", grace).DELETE().build());
        assertThat(lifted.status()).isEqualTo(200);
        assertThat(api.sendDirect("grace", frank, "after the unblock").status()).isEqualTo(201);
        assertThat(api.personalAfter(grace, 1)).extracting(PersonalEvent::text).containsExactly("after the unblock");

        assertError(api.post("/me/blocks", grace, "{\"user\":\"nobody-at-all\"}"), ErrorCode.NO_SUCH_USER);
        assertError(api.post("/me/blocks", grace, "{}"), ErrorCode.INVALID_REQUEST);
        assertError(api.post("/me/blocks", grace, "[1]"), ErrorCode.INVALID_REQUEST);
        assertError(api.post("/me/blocks", null, "{\"user\":\"frank\"}"), ErrorCode.UNAUTHORIZED);
    }

    @Test
    void actionsRoundTripInRoomsAndConversations() throws InterruptedException {
        var henry = api.login("henry", null);
        var ida = api.login("ida", null);
        var action = api.post("/room/actions", henry, "{\"text\":\"waves\",\"action\":true}");
        assertThat(action.status()).isEqualTo(201);
        assertThat(action.json().path("action").asBoolean()).isTrue();
        var plain = api.post("/room/actions", henry, "{\"text\":\"hello\",\"action\":false}");
        assertThat(Api.fieldNames(plain.json())).doesNotContain("action");

        try (var stream = api.stream("/room/actions?timeout=0", ida)) {
            var lines = stream.readToEnd(SOON);
            assertThat(lines).anyMatch(line -> line.contains("\"text\":\"waves\",\"action\":true}"));
            assertThat(lines).anyMatch(line -> line.endsWith("\"text\":\"hello\"}"));
        }
        assertThat(api.get("/room/actions/messages", ida).events()).filteredOn(e -> e.kind() == EventType.MESSAGE)
                .extracting(Event::action).containsExactly(true, null);

        var direct = api.post("/dm/ida", henry, "{\"text\":\"nods\",\"action\":true}");
        assertThat(direct.status()).isEqualTo(201);
        assertThat(direct.event().action()).isTrue();
        assertThat(api.personalAfter(ida, 0)).singleElement()
                .satisfies(item -> assertThat(item.action()).isTrue());
        assertError(api.post("/room/actions", henry, "{\"text\":\"x\",\"action\":\"yes\"}"), ErrorCode.INVALID_REQUEST);
    }

    @Test
    void theEndLineOfAConversationCarriesItsCursor() throws InterruptedException {
        var jack = api.login("jack", null);
        var kate = api.login("kate", null);
        var sent = api.sendDirectMessage("kate", jack, "one");
        try (var stream = api.stream("/dm/jack?timeout=0", kate)) {
            var items = stream.itemsToEnd(SOON);
            // The message, then Kate's join to the conversation, then the end line after both.
            assertThat(items.get(0)).isEqualTo(sent);
            assertThat(items).hasSize(3);
            assertThat(items.getLast()).isEqualTo(new StreamItem.End(sent.seq() + 1));
        }
    }

    @Test
    void aConversationsHistoryIsReadByItsTwoUsersOnlyAndWithoutJoiningIt() {
        var lena = api.login("lena", null);
        var mike = api.login("mike", null);
        var nora = api.login("nora", null);
        var first = api.sendDirectMessage("mike", lena, "one");
        var second = api.sendDirectMessage("lena", mike, "two");
        var third = api.sendDirectMessage("mike", lena, "three");

        assertThat(api.get("/dm/mike/messages", lena).events()).containsExactly(first, second, third);
        assertThat(api.get("/dm/LENA/messages?before=" + third.seq() + "&limit=1", mike).events())
                .containsExactly(second);
        // Reading wrote nothing: no join or leave came after the last message.
        assertThat(api.get("/dm/lena/messages", mike).events()).last().isEqualTo(third);
        // Nora naming either of them reads her own (empty) conversation with that one, never theirs.
        assertThat(api.get("/dm/mike/messages", nora).events()).isEmpty();
        assertError(api.get("/dm/nobody-here/messages", lena), ErrorCode.NO_SUCH_USER);
        assertError(api.get("/dm/mike/messages?limit=501", lena), ErrorCode.INVALID_REQUEST);
    }
}
