package io.consolechat.server.store;

import io.consolechat.protocol.User;
import io.consolechat.protocol.UserKind;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/** Users and the hashes of their tokens. Each call is one transaction: all of it is stored, or none. */
public interface AccountStore {

    /** A stored user; {@code passwordHash} is null for anonymous and temporary users. */
    record StoredUser(String id, String name, UserKind kind, String passwordHash) {
        public User user() {
            return new User(name, kind);
        }
    }

    /** A live token's owner and expiry. */
    record TokenOwner(StoredUser user, Instant expiresAt) {
    }

    /** A token to store: only its hash is kept. */
    record NewToken(String hash, Instant createdAt, Instant expiresAt) {
    }

    /** What {@link #claimName} found. */
    enum Claim { CLAIMED, TAKEN }

    Optional<StoredUser> userByName(String name);

    /** Whether the user holds a token that is neither expired nor revoked at {@code now}. */
    boolean hasLiveToken(String userId, Instant now);

    /**
     * Creates the user with its first token if the name is free: unknown, or held by a temporary user whose
     * tokens have all lapsed (that user is removed).
     */
    Claim claimName(StoredUser user, NewToken token);

    void insertToken(String userId, NewToken token);

    Optional<TokenOwner> tokenOwner(String tokenHash, Instant now);

    /** Removes the token; returns whether it existed. Other servers on the same database are told. */
    boolean deleteToken(String tokenHash);

    /** Calls {@code revoked} with the hash of each token another server on the same database revokes. */
    void onRevokedElsewhere(Consumer<String> revoked);

    /** Removes lapsed tokens, and the temporary and anonymous users left without any; returns the tokens removed. */
    int deleteExpiredTokens(Instant now);
}
