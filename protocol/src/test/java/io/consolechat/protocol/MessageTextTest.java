package io.consolechat.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.consolechat.protocol.testing.Gen;
import io.consolechat.protocol.testing.Seed;
import io.consolechat.protocol.testing.Tries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

class MessageTextTest {
    private static final Gen<String> TEXTS = Gen.strings(0, 255);

    @ParameterizedTest
    @Tries(1000)
    void everyTextGetsADecision(Seed seed) {
        var text = TEXTS.next(seed.random());
        var problem = MessageText.problem(text);
        if (problem.isEmpty()) {
            assertThat(text).isNotBlank();
            assertThat(text.codePoints()).noneMatch(MessageText::isForbiddenControl);
        }
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
        assertThat(MessageText.problem("c1 \u009b")).contains(ErrorCode.INVALID_TEXT);
        assertThat(MessageText.problem("cr \r")).contains(ErrorCode.INVALID_TEXT);
        assertThat(MessageText.problem(MessageText.normalize("a\r\nb"))).isEmpty();
    }
}
