package io.consolechat.protocol;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** The name rules for users and rooms. Every input gets a decision; nothing here throws. */
public final class Names {
    /** Reserved for the names the server gives anonymous users. */
    public static final String ANONYMOUS_PREFIX = "anon-";

    private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9_-]{2,32}");
    private static final Pattern ROOM_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    private static final Pattern ASCII_ROOM_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private Names() {
    }

    /** Whether a name may be chosen by a user (temporary or registered): the rule, and not the anonymous prefix. */
    public static boolean isValidUserName(String name) {
        return name != null
                && USER_NAME.matcher(name).matches()
                && !userKey(name).startsWith(ANONYMOUS_PREFIX);
    }

    /** The key under which a user name is unique: {@code Bob} and {@code bob} are the same user. */
    public static String userKey(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /** The room name as the server uses it (lower-cased), or empty when it breaks the rule. */
    public static Optional<String> roomName(String raw) {
        // Only ASCII is lower-cased: Unicode case rules would turn the Kelvin sign into "k" and let
        // look-alike names reach an existing room.
        if (raw == null || !ASCII_ROOM_NAME.matcher(raw).matches()) {
            return Optional.empty();
        }
        var lower = raw.toLowerCase(Locale.ROOT);
        return ROOM_NAME.matcher(lower).matches() ? Optional.of(lower) : Optional.empty();
    }
}
