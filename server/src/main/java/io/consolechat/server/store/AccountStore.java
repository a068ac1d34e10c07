package io.consolechat.server.store;

import io.consolechat.protocol.User;
import io.consolechat.protocol.UserKind;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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

    /**
     * Calls {@code missed} each time this server listens again to the others on the same database after it
     * could not: the revocations they announced meanwhile never reached {@link #onRevokedElsewhere} listeners.
     * Called after listening is in place, so a revocation is either announced or already stored by then.
     */
    void onRevocationsMissed(Runnable missed);

    /**
     * Of {@code tokenHashes}, those whose tokens are stored: not revoked, and not removed since they lapsed.
     * One query per few hundred hashes.
     */
    Set<String> existingTokens(Collection<String> tokenHashes);

    /** Removes lapsed tokens, and the temporary and anonymous users left without any; returns the tokens removed. */
    int deleteExpiredTokens(Instant now);

    /**
     * A user as the {@code admin list} command shows it; {@code lastSeen} is when their newest live token was
     * issued (null without one), {@code bannedUntil} null when not banned server-wide.
     */
    record UserRow(User user, boolean admin, Instant createdAt, Instant lastSeen, Instant bannedUntil) {
    }

    /** Whether the user is a server admin. */
    boolean isAdmin(String name);

    /** Grants or revokes server admin; returns false when there is no such user. */
    boolean setAdmin(String name, boolean admin);

    /** Every user, by name. */
    List<UserRow> users();

    /**
     * Bans the user server-wide until {@code until} ({@link Instant#MAX} for no end) and removes their tokens,
     * in one transaction; returns false when there is no such user.
     */
    boolean banUser(String name, Instant until, String reason);

    /** Lifts a server-wide ban; returns whether there was one. */
    boolean unbanUser(String name);

    /** The end of the user's server-wide ban if one is in force at {@code now}. */
    Optional<Instant> bannedUntil(String name, Instant now);

    /** The names of the users banned server-wide at {@code now}. */
    List<String> bannedUsers(Instant now);

    /** Removes the user and their tokens; returns false when there is no such user. */
    boolean deleteUser(String name);
}
