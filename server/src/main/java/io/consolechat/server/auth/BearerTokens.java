package io.consolechat.server.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.consolechat.server.store.AccountStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bearer tokens: 256 random bits, so they cannot be guessed; the store keeps only their SHA-256, and a
 * token is valid while its row exists and has not expired. Nothing is signed, so there is no algorithm
 * a client could choose.
 *
 * <p>Known tokens are cached for a short while so that a busy client does not cost a database query per
 * request. A token revoked here is evicted from the cache at once; one revoked by another server on the same
 * database is evicted when its notification arrives; a user banned server-wide (by {@code console-chat admin},
 * another process) is forgotten within a second (see {@link #forget}). When this server may have missed
 * other servers' revocations (it could not listen for a while), the whole cache goes ({@link #forgetAll}).
 * Expiry is checked against the clock on every use.
 */
public final class BearerTokens {
    private static final Duration CACHE_TIME = Duration.ofMinutes(5);
    private static final int CACHE_SIZE = 100_000;

    private static final String PREFIX = "cc_";
    private static final int TOKEN_CHARS = PREFIX.length() + 43;

    private final SecureRandom random = new SecureRandom();
    private final AccountStore store;
    private final Cache<String, AccountStore.TokenOwner> known = Caffeine.newBuilder()
            .maximumSize(CACHE_SIZE)
            .expireAfterWrite(CACHE_TIME)
            .build();
    /** How many times {@link #forgetAll} ran: a read that overlapped one does not stay cached. */
    private final AtomicLong forgettings = new AtomicLong();

    public BearerTokens(AccountStore store) {
        this.store = store;
        // Another server revoked a token: stop honouring it here too, at once rather than when the cache lapses.
        store.onRevokedElsewhere(known::invalidate);
        // Revocations that never reached this server: check every token against the store again.
        store.onRevocationsMissed(this::forgetAll);
    }

    /** A new token (to hand out once) with its hash (to store). */
    public record Minted(String token, String hash) {
    }

    public Minted mint() {
        var bytes = new byte[32];
        random.nextBytes(bytes);
        var token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        return new Minted(token, hash(token));
    }

    /** The session of a token, if it is well-formed, known and not expired. */
    public Optional<Session> session(String token, Instant now) {
        if (token == null || token.length() != TOKEN_CHARS || !token.startsWith(PREFIX)) {
            return Optional.empty();
        }
        var hash = hash(token);
        var owner = known.getIfPresent(hash);
        if (owner == null) {
            long forgotten = forgettings.get();
            owner = store.tokenOwner(hash, now).orElse(null);
            if (owner == null) {
                return Optional.empty();
            }
            known.put(hash, owner);
            if (forgettings.get() != forgotten) {
                // The cache was dropped during the read, which may predate a revocation it was dropped for.
                known.invalidate(hash);
            }
        }
        if (!owner.expiresAt().isAfter(now)) {
            known.invalidate(hash);
            return Optional.empty();
        }
        return Optional.of(new Session(owner.user().id(), owner.user().user(), hash));
    }

    /** Revokes a token at once. */
    public void revoke(String tokenHash) {
        known.invalidate(tokenHash);
        store.deleteToken(tokenHash);
        // Again: a request that read the row before the delete may have cached it meanwhile.
        known.invalidate(tokenHash);
    }

    /**
     * Forgets every cached token of the user, whose tokens were removed by another process (a server-wide ban
     * by {@code console-chat admin}): their next request reads the store and is refused.
     */
    public void forget(String userName) {
        var key = io.consolechat.protocol.Names.userKey(userName);
        known.asMap().values().removeIf(owner -> io.consolechat.protocol.Names.userKey(owner.user().name()).equals(key));
    }

    /**
     * Forgets every cached token: this server may have missed revocations by others (it was not listening),
     * so each token is read from the store again at its next use.
     */
    public void forgetAll() {
        forgettings.incrementAndGet();
        known.invalidateAll();
    }

    /**
     * Whether the token with this hash is stored and unexpired at {@code now}, read from the store and not
     * the cache: a revocation on another server reaches this server's cache only when its notification
     * arrives, and the store has it as soon as it is committed.
     */
    public boolean isStored(String tokenHash, Instant now) {
        return store.tokenOwner(tokenHash, now).isPresent();
    }

    /** Of {@code tokenHashes}, those no longer stored: revoked (or lapsed and removed). */
    public Set<String> goneAmong(Set<String> tokenHashes) {
        var gone = new HashSet<>(tokenHashes);
        gone.removeAll(store.existingTokens(tokenHashes));
        return gone;
    }

    static String hash(String token) {
        try {
            var digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
