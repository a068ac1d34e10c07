package io.consolechat.protocol;

import com.fasterxml.jackson.annotation.JsonValue;

/** The kinds of event a room stores. All share the room's sequence. */
public enum EventType {
    MESSAGE, JOIN, LEAVE;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
