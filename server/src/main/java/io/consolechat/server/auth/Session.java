package io.consolechat.server.auth;

import io.consolechat.protocol.User;

/** An authenticated request's user, and the hash of the token it came with (to revoke it). */
public record Session(User user, String tokenHash) {
}
