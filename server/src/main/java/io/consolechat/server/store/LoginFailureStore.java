package io.consolechat.server.store;

import java.time.Instant;
import java.util.function.IntFunction;

/**
 * Failed password logins in a row per key (a client address, an account) in a scope, kept in the database
 * so that every server on it counts the same tries.
 */
public interface LoginFailureStore {

    /** A key's failures in a row and when it may try again. */
    record Failures(int count, Instant blockedUntil) {
    }

    /** The key's failures, or null if it has none (or they were forgotten at {@code now}). */
    Failures get(String scope, String key, Instant now);

    /**
     * Counts one more failure for the key, atomically across servers; {@code waitAfter} gives the wait after
     * the n-th failure in a row. The count is forgotten at {@code forgetAt} unless another failure comes.
     */
    Failures failed(String scope, String key, Instant now, IntFunction<Instant> blockedUntil, Instant forgetAt);

    /** Forgets the key's failures. */
    void clear(String scope, String key);

    /** Forgets every count due to be forgotten before {@code now}. */
    int forgetOld(Instant now);
}
