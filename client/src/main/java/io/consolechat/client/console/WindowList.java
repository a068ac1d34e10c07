package io.consolechat.client.console;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * The console's windows, numbered from 1 in the order they were opened (1 is the home window, which
 * cannot be closed), and which one is looked at. Not thread-safe: the console guards it.
 */
final class WindowList {
    private final List<Window> windows = new ArrayList<>();
    private int current;

    WindowList(Window home) {
        windows.add(home);
    }

    Window current() {
        return windows.get(current);
    }

    /** The window's number as shown, from 1. */
    int number(Window window) {
        return windows.indexOf(window) + 1;
    }

    List<Window> all() {
        return List.copyOf(windows);
    }

    Optional<Window> find(Window.Kind kind, String name) {
        return windows.stream().filter(w -> w.is(kind, name)).findFirst();
    }

    /** Window {@code number} (from 1), if there is one. */
    Optional<Window> get(int number) {
        return number >= 1 && number <= windows.size() ? Optional.of(windows.get(number - 1)) : Optional.empty();
    }

    Window add(Window window) {
        windows.add(window);
        return window;
    }

    /** Closes {@code window}; the one before it is looked at if it was. The home window stays. */
    void remove(Window window) {
        int index = windows.indexOf(window);
        if (index <= 0) {
            return;
        }
        windows.remove(index);
        if (current >= index) {
            current = Math.max(0, current - 1);
        }
    }

    /** Looks at {@code window}: its activity is cleared, and the window left keeps no marker. */
    void select(Window window) {
        int index = windows.indexOf(window);
        if (index < 0 || index == current) {
            return;
        }
        windows.get(current).clearMarker();
        current = index;
        window.looked();
    }

    /** The window {@code step} places after the current one, going round. */
    Window neighbour(int step) {
        int size = windows.size();
        return windows.get(Math.floorMod(current + step, size));
    }

    /**
     * The windows with something new, as the status line shows them: {@code [2:dev 3:@bob!]}, a {@code !}
     * after those with a highlight (a mention, a direct message); empty when there is nothing new.
     */
    String activity() {
        var line = new StringJoiner(" ", "[", "]");
        line.setEmptyValue("");
        for (int i = 0; i < windows.size(); i++) {
            var window = windows.get(i);
            if (i != current && window.unread() > 0) {
                line.add((i + 1) + ":" + window.name() + (window.highlight() ? "!" : ""));
            }
        }
        return line.toString();
    }
}
