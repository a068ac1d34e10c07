package io.consolechat.protocol;

import java.util.Objects;

/** A user as the API shows it: {@code {"name": "...", "kind": "..."}}. */
public record User(String name, UserKind kind) {
    public User {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
    }
}
