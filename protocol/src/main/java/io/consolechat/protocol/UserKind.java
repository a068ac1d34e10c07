package io.consolechat.protocol;

import com.fasterxml.jackson.annotation.JsonValue;

/** How a user came to be: by {@code POST /session}, by a name alone, or by name and password. */
public enum UserKind {
    ANONYMOUS, TEMPORARY, REGISTERED;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
