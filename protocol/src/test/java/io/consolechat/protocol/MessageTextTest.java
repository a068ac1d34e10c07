package io.consolechat.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.consolechat.protocol.testing.Gen;
import io.consolechat.protocol.testing.Seed;
import io.consolechat.protocol.testing.Tries;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessageTextTest {
    private static final Gen<String> TEXTS = Gen.strings(0, 255);
    /** Characters that show nothing, as a terminal or a browser draws them. */
    private static final String INVISIBLE = "\u00a0\u00ad\u034f\u061c\u115f\u1160\u180e\u2000\u2007\u200a\u200b"
            + "\u200c\u200d\u200e\u200f\u2028\u2029\u202a\u202e\u202f\u205f\u2060\u2063\u2066\u2069\u2800\u3000"
            + "\u3164\ufe0f\ufeff\uffa0 \t\n" + "\udb40\udc20" + "\udb40\udd00";
    /** Texts of those characters; the tags' surrogates that do not pair up are left out. */
    private static final Gen<String> INVISIBLE_TEXTS = Gen.strings(Gen.chars(INVISIBLE), 1, 40)
            .map(text -> text.codePoints().filter(cp -> cp > 0xFFFF || !Character.isSurrogate((char) cp))
                    .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString());

    @ParameterizedTest
    @Tries(1000)
    void everyTextGetsADecision(Seed seed) {
        var text = TEXTS.next(seed.random());
        var problem = MessageText.problem(text);
        if (problem.isEmpty()) {
            assertThat(text).isNotBlank();
            assertThat(text.codePoints()).noneMatch(MessageText::isForbiddenControl);
            assertThat(text.codePoints()).anyMatch(cp -> INVISIBLE.indexOf(cp) < 0 && !Character.isSpaceChar(cp));
        }
    }

    @ParameterizedTest
    @Tries(1000)
    void textsOfInvisibleCharactersAreEmpty(Seed seed) {
        var random = seed.random();
        var text = INVISIBLE_TEXTS.next(random);
        assertThat(MessageText.problem(text)).as("%s", codePoints(text)).contains(ErrorCode.EMPTY_MESSAGE);
        // One visible character among them is a message, whatever surrounds it.
        var at = text.offsetByCodePoints(0, random.nextInt(text.codePointCount(0, text.length()) + 1));
        var withLetter = text.substring(0, at) + "x" + text.substring(at);
        assertThat(MessageText.problem(withLetter)).as("%s", codePoints(withLetter)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u00a0", "\u200b", "\ufeff", "\u2060", "\u3000", "\u2028\u2029", "\u00a0\u200b\ufeff",
            " \u200b\n\u00a0\t", "\u3164", "\u115f\u1160", "\u2800", "\u180e", "\u200d\u200c", "\u202e\u2066",
            "\ufe0f", "\udb40\udc41\udb40\udc7f", "\u00ad"})
    void invisibleTextsAreEmpty(String text) {
        assertThat(MessageText.problem(text)).as("%s", codePoints(text)).contains(ErrorCode.EMPTY_MESSAGE);
    }

    @Test
    void everySpaceSeparatorIsInvisible() {
        var spaces = IntStream.rangeClosed(0, Character.MAX_CODE_POINT)
                .filter(cp -> Character.getType(cp) == Character.SPACE_SEPARATOR).toArray();
        assertThat(spaces).hasSizeGreaterThan(15);
        for (int cp : spaces) {
            assertThat(MessageText.problem(Character.toString(cp))).as("U+%04X", cp)
                    .contains(ErrorCode.EMPTY_MESSAGE);
        }
    }

    @Test
    void invisibleCharactersBesideVisibleOnesAreKept() {
        assertThat(MessageText.problem("\u200bhi\ufeff")).isEmpty();
        // Emoji sequences are made with joiners and variation selectors.
        assertThat(MessageText.problem("\uD83D\uDC69\u200D\uD83D\uDCBB")).isEmpty();
        assertThat(MessageText.problem("\u2764\ufe0f")).isEmpty();
        // A lone combining accent or a prepended Arabic sign is drawn, so it is a message.
        assertThat(MessageText.problem("\u0301")).isEmpty();
        assertThat(MessageText.problem("\u0600")).isEmpty();
    }

    @Test
    void rules() {
        assertThat(MessageText.problem("hi")).isEmpty();
        assertThat(MessageText.problem("two\nlines\tand tab")).isEmpty();
        assertThat(MessageText.problem(" \n\t")).contains(ErrorCode.EMPTY_MESSAGE);
        assertThat(MessageText.problem("")).contains(ErrorCode.EMPTY_MESSAGE);
        assertThat(MessageText.problem("x".repeat(4000))).isEmpty();
        assertThat(MessageText.problem("x".repeat(4001))).contains(ErrorCode.MESSAGE_TOO_LONG);
        // 4000 emoji are 8000 UTF-16 units but 4000 characters.
        assertThat(MessageText.problem("\uD83D\uDE00".repeat(4000))).isEmpty();
        assertThat(MessageText.problem("red \u001b[31m")).contains(ErrorCode.INVALID_TEXT);
        assertThat(MessageText.problem("\u200b\u001b[31m")).contains(ErrorCode.INVALID_TEXT);
        assertThat(MessageText.problem("c1 \u009b")).contains(ErrorCode.INVALID_TEXT);
        assertThat(MessageText.problem("cr \r")).contains(ErrorCode.INVALID_TEXT);
        assertThat(MessageText.problem(MessageText.normalize("a\r\nb"))).isEmpty();
    }

    private static String codePoints(String text) {
        return text.codePoints().mapToObj(cp -> String.format("U+%04X", cp)).toList().toString();
    }
}
