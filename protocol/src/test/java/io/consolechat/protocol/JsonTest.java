package io.consolechat.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class JsonTest {
    private final Json json = new Json();

    @Test
    void eventsUseTheWireFormat() throws Exception {
        var event = new Event(EventType.MESSAGE, "lobby", 17, Instant.parse("2026-01-02T03:04:05Z"),
                new User("Bob", UserKind.REGISTERED), "hi");
        var text = json.write(event);
        assertThat(text).isEqualTo("{\"type\":\"message\",\"room\":\"lobby\",\"seq\":17,"
                + "\"at\":\"2026-01-02T03:04:05.000Z\",\"from\":{\"name\":\"Bob\",\"kind\":\"registered\"},\"text\":\"hi\"}");
        assertThat(json.readStreamItem(text)).isEqualTo(event);
    }

    @Test
    void lineAndParagraphSeparatorsAreWrittenEscaped() throws Exception {
        var text = "one\u2028two\u2029three \u00e9\n\"\u0001\ud83d\ude00";
        var event = new Event(EventType.MESSAGE, "lobby", 1, Instant.parse("2026-01-02T03:04:05Z"),
                new User("Bob", UserKind.REGISTERED), text);
        var written = json.write(event);
        var bytes = new String(json.writeBytes(event), java.nio.charset.StandardCharsets.UTF_8);
        for (var line : new String[] {written, bytes}) {
            assertThat(line).doesNotContain("\u2028", "\u2029")
                    .contains("\"text\":\"one\\u2028two\\u2029three \u00e9\\n\\\"\\u0001");
            assertThat(json.readStreamItem(line)).isEqualTo(event);
        }
    }

    @Test
    void actionsCarryTheFlagAndPlainMessagesDoNot() throws Exception {
        var at = Instant.parse("2026-01-02T03:04:05Z");
        var bob = new User("Bob", UserKind.REGISTERED);
        var action = new Event(EventType.MESSAGE, "lobby", 3, at, bob, "waves", true);
        assertThat(json.write(action)).endsWith(",\"text\":\"waves\",\"action\":true}");
        assertThat(json.readStreamItem(json.write(action))).isEqualTo(action);
        assertThat(new Event(EventType.MESSAGE, "lobby", 3, at, bob, "hi", false).action()).isNull();
        assertThat(json.write(new Event(EventType.MESSAGE, "lobby", 3, at, bob, "hi", false))).doesNotContain("action");
        assertThat(json.write(new Rooms.SendRequest("hi"))).isEqualTo("{\"text\":\"hi\"}");
        assertThat(json.write(new Rooms.SendRequest("waves", true))).isEqualTo("{\"text\":\"waves\",\"action\":true}");
    }

    @Test
    void actionsCarryTheFlagAndOtherMessagesDoNot() throws Exception {
        var at = Instant.parse("2026-01-02T03:04:05Z");
        var bob = new User("Bob", UserKind.REGISTERED);
        var action = new Event(EventType.MESSAGE, "lobby", 3, at, bob, "waves", true);
        assertThat(json.write(action)).endsWith("\"text\":\"waves\",\"action\":true}");
        assertThat(json.readStreamItem(json.write(action))).isEqualTo(action);
        assertThat(json.write(new Event(EventType.MESSAGE, "lobby", 3, at, bob, "hi", false))).doesNotContain("action");
        assertThat(json.read("{\"text\":\"waves\",\"action\":true}", Rooms.SendRequest.class).action()).isTrue();
    }

    @Test
    void personalItemsAndTheEndOfSeveralRooms() throws Exception {
        var item = new PersonalEvent(PersonalEvent.Kind.MENTION, 4, "lobby", 9L, Instant.parse("2026-01-02T03:04:05Z"),
                new User("Ann", UserKind.TEMPORARY), "@bob hi", null);
        var text = json.write(item);
        assertThat(text).isEqualTo("{\"type\":\"mention\",\"id\":4,\"room\":\"lobby\",\"seq\":9,"
                + "\"at\":\"2026-01-02T03:04:05.000Z\",\"from\":{\"name\":\"Ann\",\"kind\":\"temporary\"},\"text\":\"@bob hi\"}");
        assertThat(json.readStreamItem(text)).isEqualTo(item);

        var since = new java.util.LinkedHashMap<String, Long>();
        since.put("lobby", 20L);
        since.put("dev", 7L);
        var end = new StreamItem.RoomsEnd(since, 45L);
        assertThat(json.write(end)).isEqualTo("{\"type\":\"end\",\"since\":{\"lobby\":20,\"dev\":7},\"me\":45}");
        assertThat(json.readStreamItem(json.write(end))).isEqualTo(end);
        assertThat(json.write(new StreamItem.RoomsEnd(since, null))).doesNotContain("me");
    }

    @Test
    void joinsCarryNoText() {
        var join = new Event(EventType.JOIN, "lobby", 1, Instant.parse("2026-01-02T03:04:05.123Z"),
                new User("anon-x1", UserKind.ANONYMOUS), null);
        assertThat(json.write(join)).doesNotContain("text").contains("\"type\":\"join\"").contains(".123Z");
    }

    @Test
    void moderationEventsCarryTheirFieldsInOrder() throws Exception {
        var at = Instant.parse("2026-01-02T03:04:05Z");
        var mod = new User("Olivia", UserKind.REGISTERED);
        var ban = new Event(EventType.BAN, "lobby", 3, at, mod, null, new User("anon-x1", UserKind.ANONYMOUS),
                "spam", null, null);
        var text = json.write(ban);
        assertThat(text).isEqualTo("{\"type\":\"ban\",\"room\":\"lobby\",\"seq\":3,\"at\":\"2026-01-02T03:04:05.000Z\","
                + "\"from\":{\"name\":\"Olivia\",\"kind\":\"registered\"},"
                + "\"user\":{\"name\":\"anon-x1\",\"kind\":\"anonymous\"},\"reason\":\"spam\"}");
        assertThat(json.readStreamItem(text)).isEqualTo(ban);
        var deleted = new Event(EventType.MESSAGE, "lobby", 2, at, mod, null, null, null, null, true);
        assertThat(json.write(deleted)).endsWith("\"from\":{\"name\":\"Olivia\",\"kind\":\"registered\"},\"deleted\":true}");
        var delete = new Event(EventType.DELETE, "lobby", 4, at, mod, null, null, null, 2L, null);
        assertThat(json.write(delete)).endsWith("\"target\":2}");
    }

    @Test
    void eventTypesThisVersionDoesNotKnowAreSkipped() throws Exception {
        assertThat(json.readStreamItem("{\"type\":\"reaction\",\"room\":\"lobby\",\"seq\":5}")).isNull();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> json.readStreamItem("{\"type\":5}"))
                .isInstanceOf(Exception.class);
    }

    @Test
    void endAndKeepaliveLines() throws Exception {
        assertThat(json.write(new StreamItem.End(42))).isEqualTo("{\"type\":\"end\",\"since\":42}");
        assertThat(json.write(new StreamItem.Keepalive())).isEqualTo("{\"type\":\"keepalive\"}");
        assertThat(json.readStreamItem("{\"type\":\"end\",\"since\":42}")).isEqualTo(new StreamItem.End(42));
        assertThat(json.readStreamItem("{\"type\":\"keepalive\"}")).isInstanceOf(StreamItem.Keepalive.class);
    }

    @Test
    void wrongTypesAndDuplicateKeysAreRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> json.read("{\"text\": 5}", Rooms.SendRequest.class))
                .isInstanceOf(com.fasterxml.jackson.core.JacksonException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> json.read("{\"text\": \"a\", \"text\": \"b\"}", Rooms.SendRequest.class))
                .isInstanceOf(com.fasterxml.jackson.core.JacksonException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> json.read("{\"text\": \"a\"} x", Rooms.SendRequest.class))
                .isInstanceOf(com.fasterxml.jackson.core.JacksonException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> json.read("\"a bare string\"", Rooms.SendRequest.class))
                .isInstanceOf(com.fasterxml.jackson.core.JacksonException.class);
    }

    @Test
    void errorBodies() {
        assertThat(json.write(ErrorBody.of(ErrorCode.INVALID_ROOM, "no")))
                .isEqualTo("{\"error\":\"invalid_room\",\"message\":\"no\"}");
    }
}
