package io.consolechat.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/** Bodies of the token endpoints, {@code POST /session} and {@code POST /login}. */
public final class Tokens {
    private Tokens() {
    }

    /** {@code POST /login} body; both fields are optional. */
    public record LoginRequest(String username, String password) {
    }

    /** The answer to a successful {@code /session} or {@code /login}; {@code created} only when an account was made. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TokenResponse(String token, User user, Instant expiresAt, Boolean created) {
    }
}
