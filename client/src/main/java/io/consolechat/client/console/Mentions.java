package io.consolechat.client.console;

import java.util.regex.Pattern;

/**
 * Whether a message names someone as {@code @name}: case-insensitive, as user names are, and on word
 * boundaries, so {@code @bobby} and {@code me@bob.org} do not mention bob.
 */
final class Mentions {
    private Mentions() {
    }

    static boolean names(String text, String name) {
        if (text == null || name == null || name.isEmpty()) {
            return false;
        }
        var mention = Pattern.compile("(?<![\\w@.-])@" + Pattern.quote(name) + "(?![\\w-])",
                Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        return mention.matcher(text).find();
    }
}
