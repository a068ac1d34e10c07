package io.consolechat.client.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class WindowListTest {
    private final WindowList windows = new WindowList(Window.home(100));
    private final Window dev = windows.add(Window.room("dev", 100));
    private final Window bob = windows.add(Window.direct("Bob", 100));

    @Test
    void activityNamesTheWindowsWithSomethingNewAndMarksHighlights() {
        assertThat(windows.activity()).isEmpty();
        dev.add(ScreenLine.of("a"));
        dev.unseen(1, false);
        bob.add(ScreenLine.of("b"));
        bob.unseen(1, true);
        assertThat(windows.activity()).isEqualTo("[2:dev 3:@Bob!]");

        windows.select(bob);
        assertThat(windows.activity()).isEqualTo("[2:dev]");
        windows.select(dev);
        assertThat(windows.activity()).isEmpty();
    }

    @Test
    void theUnreadMarkerSitsAboveWhatCameWhileAwayUntilTheWindowIsLeft() {
        var marker = ScreenLine.of("----");
        dev.add(ScreenLine.of("old"));
        dev.add(ScreenLine.of("new 1"));
        dev.unseen(1, false);
        dev.add(ScreenLine.of("new 2"));
        dev.unseen(1, false);
        windows.select(dev);
        assertThat(texts(dev.lines(marker))).containsExactly("old", "----", "new 1", "new 2");

        dev.add(ScreenLine.of("while looking"));
        dev.followMarker(1);
        assertThat(texts(dev.lines(marker))).containsExactly("old", "----", "new 1", "new 2", "while looking");

        windows.select(bob);
        assertThat(texts(dev.lines(marker))).doesNotContain("----");
    }

    @Test
    void windowsAreFoundByRoomOrPeerInAnyCaseAndTheHomeWindowStays() {
        assertThat(windows.find(Window.Kind.DIRECT, "bob")).containsSame(bob);
        assertThat(windows.find(Window.Kind.ROOM, "DEV")).containsSame(dev);
        assertThat(windows.find(Window.Kind.ROOM, "bob")).isEmpty();

        windows.select(bob);
        windows.remove(windows.get(1).orElseThrow());
        assertThat(windows.all()).hasSize(3);
        windows.remove(bob);
        assertThat(windows.current()).isSameAs(dev);
        assertThat(windows.neighbour(1).name()).isEqualTo("home");
    }

    private static List<String> texts(List<ScreenLine> lines) {
        return lines.stream().map(line -> line.text().toString()).toList();
    }
}
