package io.consolechat.server.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.consolechat.protocol.ErrorCode;
import io.consolechat.protocol.Names;
import io.consolechat.server.config.LoginPolicy;
import io.consolechat.server.error.Refused;
import io.consolechat.server.store.LoginFailureStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Slows down password guessing. Failed password logins are counted per client address and per account;
 * past a few free failures each one makes that key wait twice as long as the last, and after
 * {@code lockAfter} failures in a row the key is locked for {@code lockFor}. While a key waits, a login
 * is refused with 429 before the password is even looked at.
 *
 * <p>The address limit is the tight one. The account limit is set much higher, so that one attacker
 * guessing at an account locks out the attacker's address long before the account itself is touched,
 * and its owner can still log in from elsewhere.
 *
 * <p>Servers that share a database count in it, so that tries spread over them count as tries against one.
 */
final class LoginThrottle {
    /** Bounds the memory an attacker with many addresses can make us spend; the oldest entries go first. */
    private static final long MAX_TRACKED = 100_000;

    /** Failed logins in a row per key, and when each key may try again. */
    private interface Counts {
        /** The key's failures, or null if none are remembered. */
        Failures get(String key, Instant now);

        void failed(String key, Instant now);

        void clear(String key);
    }

    private final Counts byAddress;
    private final Counts byAccount;
    private final Clock clock;

    /** Counts kept in this server's memory: the database is not shared. */
    LoginThrottle(LoginPolicy addressPolicy, LoginPolicy accountPolicy, Clock clock) {
        this(addressPolicy, accountPolicy, Optional.empty(), clock);
    }

    /** Counts kept in {@code shared} when other servers use the same database, else in memory. */
    LoginThrottle(LoginPolicy addressPolicy, LoginPolicy accountPolicy, Optional<LoginFailureStore> shared,
                  Clock clock) {
        this.clock = clock;
        this.byAddress = shared.<Counts>map(store -> new SharedCounts(store, "address", addressPolicy))
                .orElseGet(() -> new LocalCounts(addressPolicy, clock));
        this.byAccount = shared.<Counts>map(store -> new SharedCounts(store, "account", accountPolicy))
                .orElseGet(() -> new LocalCounts(accountPolicy, clock));
    }

    /** A count is forgotten once the key has had no new failure for this long. */
    private static Duration memory(LoginPolicy policy) {
        return policy.lockFor().multipliedBy(2).plus(policy.maxDelay());
    }

    private static final class LocalCounts implements Counts {
        private final LoginPolicy policy;
        private final Cache<String, Failures> counts;

        LocalCounts(LoginPolicy policy, Clock clock) {
            this.policy = policy;
            this.counts = Caffeine.newBuilder()
                    .maximumSize(MAX_TRACKED)
                    .expireAfterWrite(memory(policy))
                    .ticker(() -> clock.millis() * 1_000_000L)
                    .build();
        }

        @Override
        public Failures get(String key, Instant now) {
            return counts.getIfPresent(key);
        }

        @Override
        public void failed(String key, Instant now) {
            counts.asMap().compute(key, (k, old) -> {
                int count = old == null ? 1 : old.count() + 1;
                return new Failures(count, now.plus(policy.waitAfter(count)));
            });
        }

        @Override
        public void clear(String key) {
            counts.invalidate(key);
        }
    }

    /** Counts in the shared database: every server sees, and adds to, the same counts. */
    private record SharedCounts(LoginFailureStore store, String scope, LoginPolicy policy) implements Counts {
        @Override
        public Failures get(String key, Instant now) {
            var failures = store.get(scope, key, now);
            return failures == null ? null : new Failures(failures.count(), failures.blockedUntil());
        }

        @Override
        public void failed(String key, Instant now) {
            store.failed(scope, key, now, count -> now.plus(policy.waitAfter(count)), now.plus(memory(policy)));
        }

        @Override
        public void clear(String key) {
            store.clear(scope, key);
        }
    }

    /**
     * Refuses with 429 if the address or the account must still wait; never looks at a password.
     * {@code username} is null when the login named no valid account: then only the address counts.
     */
    void check(String address, String username) {
        var now = clock.instant();
        var accountWait = username == null ? Duration.ZERO
                : remaining(byAccount.get(Names.userKey(username), now), now);
        var wait = later(remaining(byAddress.get(address, now), now), accountWait);
        if (!wait.isZero()) {
            long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
            throw new Refused(ErrorCode.RATE_LIMITED,
                    "too many failed logins; try again in " + seconds + " s", seconds);
        }
    }

    /** Counts a refused password login against the address and, if it named one, the account. */
    void failed(String address, String username) {
        var now = clock.instant();
        byAddress.failed(address, now);
        if (username != null) {
            byAccount.failed(Names.userKey(username), now);
        }
    }

    /**
     * A correct password ends the account's run of failures. The address's run goes on until it lapses:
     * otherwise an attacker could reset it by logging in to an account of their own between guesses.
     */
    void succeeded(String username) {
        if (username != null) {
            byAccount.clear(Names.userKey(username));
        }
    }

    /** Failures in a row for one key, and when the key may try again. */
    private record Failures(int count, Instant blockedUntil) {
    }

    private static Duration remaining(Failures failures, Instant now) {
        if (failures == null || !failures.blockedUntil().isAfter(now)) {
            return Duration.ZERO;
        }
        return Duration.between(now, failures.blockedUntil());
    }

    private static Duration later(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
