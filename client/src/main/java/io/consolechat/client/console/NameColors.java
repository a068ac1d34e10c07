package io.consolechat.client.console;

import io.consolechat.protocol.Names;
import org.jline.utils.AttributedStyle;

/** A stable color per user name: the same name gets the same color in every session and terminal. */
final class NameColors {
    // Readable on dark and light backgrounds alike; black and white are left out.
    private static final int[] PALETTE = {
        AttributedStyle.RED, AttributedStyle.GREEN, AttributedStyle.YELLOW,
        AttributedStyle.BLUE, AttributedStyle.MAGENTA, AttributedStyle.CYAN,
        AttributedStyle.BRIGHT + AttributedStyle.RED, AttributedStyle.BRIGHT + AttributedStyle.GREEN,
        AttributedStyle.BRIGHT + AttributedStyle.YELLOW, AttributedStyle.BRIGHT + AttributedStyle.BLUE,
        AttributedStyle.BRIGHT + AttributedStyle.MAGENTA, AttributedStyle.BRIGHT + AttributedStyle.CYAN,
    };

    private NameColors() {
    }

    /** String.hashCode is specified, so the choice does not change between runs or machines. */
    static int of(String name) {
        return PALETTE[Math.floorMod(Names.userKey(name).hashCode(), PALETTE.length)];
    }
}
