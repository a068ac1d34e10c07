package io.consolechat.protocol;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The kinds of event a room stores. All share the room's sequence. Clients skip types they do not know, so
 * new ones can be added without breaking them.
 */
public enum EventType {
    MESSAGE, JOIN, LEAVE, TOPIC, KICK, BAN, UNBAN, DELETE;

    /** The type with this wire name, if there is one. */
    public static java.util.Optional<EventType> of(String wireName) {
        return java.util.Arrays.stream(values()).filter(t -> t.wireName().equals(wireName)).findFirst();
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
