package io.consolechat.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.consolechat.protocol.testing.Gen;
import io.consolechat.protocol.testing.Seed;
import io.consolechat.protocol.testing.Tries;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SanitizerTest {
    private final Sanitizer sanitizer = new Sanitizer();

    static Stream<Arguments> hostileInputs() {
        return Stream.of(
                Arguments.of("clear screen", "a\u001b[2Jb", "a\\e[2Jb"),
                Arguments.of("cursor home", "\u001b[H", "\\e[H"),
                Arguments.of("window title (OSC, BEL)", "\u001b]0;owned\u0007", "\\e]0;owned\\x07"),
                Arguments.of("OSC 8 hyperlink", "\u001b]8;;http://evil\u001b\\x\u001b]8;;\u001b\\",
                        "\\e]8;;http://evil\\e\\x\\e]8;;\\e\\"),
                Arguments.of("hidden text (SGR 8)", "\u001b[8msecret", "\\e[8msecret"),
                Arguments.of("carriage return overwrite", "innocent\rEVIL", "innocent\\rEVIL"),
                Arguments.of("backspaces", "abc\b\b\bxyz", "abc\\x08\\x08\\x08xyz"),
                Arguments.of("NUL", "a\u0000b", "a\\x00b"),
                Arguments.of("DEL", "a\u007fb", "a\\x7fb"),
                Arguments.of("C1 CSI", "a\u009b2Jb", "a\\x9b2Jb"),
                Arguments.of("C1 OSC and ST", "\u009d0;t\u009c", "\\x9d0;t\\x9c"),
                Arguments.of("newline in a one-line field", "a\nb", "a\\nb"),
                Arguments.of("tab in a one-line field", "a\tb", "a\\tb"),
                Arguments.of("right-to-left override", "abc\u202Etxt.exe", "abc\\u202etxt.exe"),
                Arguments.of("embeddings and pop", "\u202A\u202B\u202C\u202D", "\\u202a\\u202b\\u202c\\u202d"),
                Arguments.of("isolates", "\u2066\u2067\u2068\u2069", "\\u2066\\u2067\\u2068\\u2069"),
                Arguments.of("marks", "\u200E\u200F\u061C", "\\u200e\\u200f\\u061c"),
                Arguments.of("line and paragraph separators", "a\u2028b\u2029c", "a\\u2028b\\u2029c"),
                Arguments.of("lone surrogate", "a\uD800b", "a\\ud800b"),
                Arguments.of("plain text stays", "héllo wörld ✓ 你好", "héllo wörld ✓ 你好"),
                Arguments.of("emoji with joiner stays", "👩‍💻", "👩‍💻"),
                Arguments.of("backslash stays", "C:\\path", "C:\\path"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileInputs")
    void hostileInputIsShownEscaped(String what, String input, String shown) {
        assertThat(sanitizer.line(input)).isEqualTo(shown);
    }

    @Test
    void absurdlyLongLinesAreCutWithANote() {
        var line = sanitizer.line("x".repeat(100_000));
        assertThat(line).hasSizeLessThan(Sanitizer.DEFAULT_MAX_LINE + 40);
        assertThat(line).startsWith("xxxx").endsWith("… (99000 more characters)");
    }

    @Test
    void escapesCountTowardsTheLimit() {
        var line = sanitizer.line("\u001b".repeat(10_000));
        assertThat(line.length()).isLessThan(Sanitizer.DEFAULT_MAX_LINE + 40);
        assertThat(line).doesNotContain("\u001b");
    }

    @Test
    void messageLinesSplitAtNewlinesExpandTabsAndAreWhole() {
        assertThat(sanitizer.lines("one\n\ttwo\u001b[1m")).containsExactly("one", "    two\\e[1m");
        assertThat(sanitizer.lines("x\n".repeat(100))).hasSize(101);
        var longest = "word ".repeat(800).strip();
        assertThat(sanitizer.lines(longest)).containsExactly(longest);
    }

    @ParameterizedTest
    @Tries(2000)
    void outputNeverHoldsAControlOrBidiCharacter(Seed seed) {
        var input = Gen.strings(0, 255).next(seed.random());
        assertSafe(sanitizer.line(input));
        sanitizer.lines(input).forEach(SanitizerTest::assertSafe);
    }

    @ParameterizedTest
    @Tries(500)
    void outputOfCodePointSoupIsSafeAndBounded(Seed seed) {
        // Up to 1,500 code points, so that some lines must be cut.
        List<Integer> codePoints = Gen.ints(Integer.MIN_VALUE, Integer.MAX_VALUE).list(0, 1500).next(seed.random());
        var text = new StringBuilder();
        for (int cp : codePoints) {
            text.appendCodePoint(Math.floorMod(cp, Character.MAX_CODE_POINT + 1));
        }
        var line = sanitizer.line(text.toString());
        assertSafe(line);
        assertThat(line.length()).isLessThanOrEqualTo(Sanitizer.DEFAULT_MAX_LINE + 40);
    }

    private static void assertSafe(String shown) {
        for (int i = 0; i < shown.length(); i++) {
            char c = shown.charAt(i);
            assertThat(Character.getType(c)).as("control at %d in %s", i, shown).isNotEqualTo((int) Character.CONTROL);
            assertThat(Sanitizer.isBidiControl(c)).as("bidi control at %d", i).isFalse();
            assertThat(c == '\u2028' || c == '\u2029').isFalse();
        }
        assertThat(shown.codePoints().anyMatch(cp -> cp <= 0xFFFF && Character.isSurrogate((char) cp)))
                .as("lone surrogate").isFalse();
    }
}
