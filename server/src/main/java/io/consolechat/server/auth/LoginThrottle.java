package io.consolechat.server.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.consolechat.protocol.ErrorCode;
import io.consolechat.protocol.Names;
import io.consolechat.server.config.LoginPolicy;
import io.consolechat.server.error.Refused;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Slows down password guessing. Failed password logins are counted per client address and per account;
 * past a few free failures each one makes that key wait twice as long as the last, and after
 * {@code lockAfter} failures in a row the key is locked for {@code lockFor}. While a key waits, a login
 * is refused with 429 before the password is even looked at.
 *
 * <p>The address limit is the tight one. The account limit is set much higher, so that one attacker
 * guessing at an account locks out the attacker's address long before the account itself is touched,
 * and its owner can still log in from elsewhere.
 */
final class LoginThrottle {
    /** Bounds the memory an attacker with many addresses can make us spend; the oldest entries go first. */
    private static final long MAX_TRACKED = 100_000;

    /** Failures in a row for one key, and when the key may try again. */
    private record Failures(int count, Instant blockedUntil) {
    }

    private final LoginPolicy addressPolicy;
    private final LoginPolicy accountPolicy;
    private final Clock clock;
    private final Cache<String, Failures> byAddress;
    private final Cache<String, Failures> byAccount;

    LoginThrottle(LoginPolicy addressPolicy, LoginPolicy accountPolicy, Clock clock) {
        this.addressPolicy = addressPolicy;
        this.accountPolicy = accountPolicy;
        this.clock = clock;
        this.byAddress = cache(addressPolicy, clock);
        this.byAccount = cache(accountPolicy, clock);
    }

    private static Cache<String, Failures> cache(LoginPolicy policy, Clock clock) {
        return Caffeine.newBuilder()
                .maximumSize(MAX_TRACKED)
                .expireAfterWrite(policy.lockFor().multipliedBy(2).plus(policy.maxDelay()))
                .ticker(() -> clock.millis() * 1_000_000L)
                .build();
    }

    /**
     * Refuses with 429 if the address or the account must still wait; never looks at a password.
     * {@code username} is null when the login named no valid account: then only the address counts.
     */
    void check(String address, String username) {
        var now = clock.instant();
        var accountWait = username == null ? Duration.ZERO
                : remaining(byAccount.getIfPresent(Names.userKey(username)), now);
        var wait = later(remaining(byAddress.getIfPresent(address), now), accountWait);
        if (!wait.isZero()) {
            long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
            throw new Refused(ErrorCode.RATE_LIMITED,
                    "too many failed logins; try again in " + seconds + " s", seconds);
        }
    }

    /** Counts a refused password login against the address and, if it named one, the account. */
    void failed(String address, String username) {
        var now = clock.instant();
        byAddress.asMap().compute(address, (key, old) -> next(old, addressPolicy, now));
        if (username != null) {
            byAccount.asMap().compute(Names.userKey(username), (key, old) -> next(old, accountPolicy, now));
        }
    }

    /**
     * A correct password ends the account's run of failures. The address's run goes on until it lapses:
     * otherwise an attacker could reset it by logging in to an account of their own between guesses.
     */
    void succeeded(String username) {
        if (username != null) {
            byAccount.invalidate(Names.userKey(username));
        }
    }

    private static Failures next(Failures old, LoginPolicy policy, Instant now) {
        int count = old == null ? 1 : old.count() + 1;
        return new Failures(count, now.plus(policy.waitAfter(count)));
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
