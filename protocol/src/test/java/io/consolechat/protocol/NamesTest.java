package io.consolechat.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

class NamesTest {

    @Property
    void everyUserNameGetsADecision(@ForAll String name) {
        var valid = Names.isValidUserName(name);
        if (valid) {
            assertThat(name).matches("[A-Za-z0-9_-]{2,32}");
            assertThat(name.toLowerCase()).doesNotStartWith("anon-");
        }
    }

    @Property
    void everyRoomNameGetsADecision(@ForAll String raw) {
        Names.roomName(raw).ifPresent(room -> {
            assertThat(room).matches("[a-z0-9][a-z0-9_-]{0,63}");
            assertThat(room).isEqualToIgnoringCase(raw);
        });
    }

    @Example
    void userNames() {
        assertThat(Names.isValidUserName("Bob")).isTrue();
        assertThat(Names.isValidUserName("b")).isFalse();
        assertThat(Names.isValidUserName("a".repeat(33))).isFalse();
        assertThat(Names.isValidUserName("a".repeat(32))).isTrue();
        assertThat(Names.isValidUserName("ANON-x")).isFalse();
        assertThat(Names.isValidUserName("anonymous")).isTrue();
        assertThat(Names.isValidUserName("bö")).isFalse();
        assertThat(Names.isValidUserName(null)).isFalse();
    }

    @Example
    void roomNames() {
        assertThat(Names.roomName("Lobby")).contains("lobby");
        assertThat(Names.roomName("_x")).isEmpty();
        assertThat(Names.roomName("a".repeat(64))).isPresent();
        assertThat(Names.roomName("a".repeat(65))).isEmpty();
        assertThat(Names.roomName("a/b")).isEmpty();
        assertThat(Names.roomName("")).isEmpty();
        // Locale-independent lower-casing: a dotted capital I never sneaks in.
        assertThat(Names.roomName("İ")).isEmpty();
        assertThat(Names.roomName("\u212Aitchen")).isEmpty();
    }
}
