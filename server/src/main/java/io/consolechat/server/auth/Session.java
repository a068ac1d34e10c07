package io.consolechat.server.auth;

import io.consolechat.protocol.User;

/**
 * An authenticated request's user: their stored id (a temporary name can pass to someone else after
 * logout, the id never does), how others see them, and the hash of the token it came with (to revoke it,
 * and to end the streams opened with it).
 */
public record Session(String userId, User user, String tokenHash) {
}
