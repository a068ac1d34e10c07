package io.consolechat.client;

import io.consolechat.protocol.Tokens.TokenResponse;
import io.consolechat.protocol.User;
import java.time.Instant;

/** A token kept on disk for one server, with whom it belongs to and until when it is valid. */
public record SavedLogin(String token, User user, Instant expiresAt) {
    public static SavedLogin of(TokenResponse response) {
        return new SavedLogin(response.token(), response.user(), response.expiresAt());
    }

    public boolean isExpired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }
}
