package io.consolechat.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.consolechat.protocol.testing.Gen;
import io.consolechat.protocol.testing.Seed;
import io.consolechat.protocol.testing.Tries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

class NamesTest {
    /** Any text, and text close to a valid name, so that both answers come up often. */
    private static final Gen<String> NAMES = Gen.oneOf(Gen.strings(0, 255),
            Gen.strings(Gen.chars("abcXYZ019_-"), 0, 70));

    @ParameterizedTest
    @Tries(1000)
    void everyUserNameGetsADecision(Seed seed) {
        var name = NAMES.next(seed.random());
        var valid = Names.isValidUserName(name);
        if (valid) {
            assertThat(name).matches("[A-Za-z0-9_-]{2,32}");
            assertThat(name.toLowerCase()).doesNotStartWith("anon-");
        }
    }

    @ParameterizedTest
    @Tries(1000)
    void everyRoomNameGetsADecision(Seed seed) {
        var raw = NAMES.next(seed.random());
        Names.roomName(raw).ifPresent(room -> {
            assertThat(room).matches("[a-z0-9][a-z0-9_-]{0,63}");
            assertThat(room).isEqualToIgnoringCase(raw);
        });
    }

    @Test
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

    @Test
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
