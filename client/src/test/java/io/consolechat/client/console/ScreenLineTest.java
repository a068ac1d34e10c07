package io.consolechat.client.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.consolechat.client.Sanitizer;
import io.consolechat.protocol.Event;
import io.consolechat.protocol.EventType;
import io.consolechat.protocol.User;
import io.consolechat.protocol.UserKind;
import io.consolechat.protocol.testing.Gen;
import io.consolechat.protocol.testing.Seed;
import io.consolechat.protocol.testing.Tries;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

class ScreenLineTest {

    private static List<String> rows(String text, int indent, int width) {
        return new ScreenLine(new AttributedString(text), indent).rows(width).stream().map(Object::toString).toList();
    }

    @Test
    void breaksAtTheLastSpaceThatFitsAndIndentsFurtherRows() {
        assertThat(rows("12:00 bob: the quick brown fox jumps", 11, 24))
                .containsExactly("12:00 bob: the quick", "           brown fox", "           jumps");
    }

    @Test
    void aWordWiderThanARowIsCutAndShortLinesStayWhole() {
        assertThat(rows("abcdefghij", 0, 4)).containsExactly("abcd", "efgh", "ij");
        assertThat(rows("short", 2, 40)).containsExactly("short");
        assertThat(rows("no width known", 0, 0)).containsExactly("no width known");
    }

    @Test
    void theLeadingIndentOfAFurtherMessageLineIsNoPlaceToBreak() {
        assertThat(rows("     abcdefgh", 5, 10)).containsExactly("     abcde", "     fgh");
    }

    @Test
    void wideCharactersCountTwoColumns() {
        assertThat(rows("你好 世界", 0, 4)).containsExactly("你好", "世界");
    }

    @ParameterizedTest
    @Tries(500)
    void rowsFitAndKeepEveryWord(Seed seed) {
        var random = seed.random();
        var text = Gen.strings(Gen.chars("abcdefghijklmnopqrstuvwxyz    "), 0, 300).next(random);
        int width = Gen.ints(1, 120).next(random);
        int indent = Gen.ints(0, 40).next(random);
        var rows = rows(text, indent, width);
        assertThat(rows).allSatisfy(row -> assertThat(new AttributedString(row).columnLength()).isLessThanOrEqualTo(width));
        assertThat(String.join("", rows).replace(" ", "")).isEqualTo(text.replace(" ", ""));
    }

    @Test
    void mentionsAreFoundOnWordBoundariesWhateverTheCase() {
        assertThat(Mentions.names("lunch, @HANA?", "hana")).isTrue();
        assertThat(Mentions.names("@hana: hi", "Hana")).isTrue();
        assertThat(Mentions.names("@hanako", "hana")).isFalse();
        assertThat(Mentions.names("hana@example.org", "hana")).isFalse();
        assertThat(Mentions.names("hana, no at sign", "hana")).isFalse();
        assertThat(Mentions.names("@hana-b", "hana")).isFalse();
    }

    @Test
    void aMentionIsHighlightedWithAndWithoutColor() {
        var at = Instant.parse("2026-01-01T12:00:00Z");
        var event = new Event(EventType.MESSAGE, "lobby", 1, at, new User("bob", UserKind.REGISTERED), "@ann hi");
        for (boolean color : new boolean[] {true, false}) {
            var line = new EventView(new Sanitizer(), ZoneOffset.UTC, color).render(event, false, true).getFirst().text();
            int text = line.toString().indexOf("@ann");
            assertThat(line.styleAt(text).getStyle()).as("color %s", color).isNotEqualTo(AttributedStyle.DEFAULT.getStyle());
            var plain = new EventView(new Sanitizer(), ZoneOffset.UTC, color).render(event, false, false).getFirst().text();
            assertThat(plain.styleAt(text).getStyle()).isEqualTo(AttributedStyle.DEFAULT.getStyle());
        }
    }

    @Test
    void actionsShowAsStarNameText() {
        var view = new EventView(new Sanitizer(), ZoneOffset.UTC, false);
        var bob = new User("bob", UserKind.REGISTERED);
        var at = Instant.parse("2026-01-01T12:00:00Z");
        assertThat(view.render(new Event(EventType.MESSAGE, "lobby", 1, at, bob, "waves", true)))
                .extracting(Object::toString).containsExactly("12:00 * bob waves");
        assertThat(view.render(new Event(EventType.MESSAGE, "lobby", 2, at, bob, "hi")))
                .extracting(Object::toString).containsExactly("12:00 bob: hi");
        assertThat(view.render(new Event(EventType.MESSAGE, "lobby", 3, at, bob, "hi"), true))
                .extracting(Object::toString).containsExactly("12:00 * bob hi");
    }
}
