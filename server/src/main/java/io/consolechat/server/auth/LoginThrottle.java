package io.consolechat.server.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.consolechat.protocol.ErrorCode;
import io.consolechat.protocol.Names;
import io.consolechat.server.ApiException;
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
public final class LoginThrottle {
    /** Bounds the memory an attacker with many addresses can make us spend; the oldest entries go first. */
    private static final long MAX_TRACKED = 100_000;

    /**
     * @param freeFailures failures that cost nothing (typos)
     * @param firstDelay   the wait after the first failure past the free ones; each further one doubles it
     * @param maxDelay     the longest wait before the lock
     * @param lockAfter    failures in a row that lock the key
     * @param lockFor      how long the lock lasts; a count with no new failure for twice that
     *                     (plus {@code maxDelay}) is forgotten
     */
    public record Policy(int freeFailures, Duration firstDelay, Duration maxDelay, int lockAfter, Duration lockFor) {
        public Policy {
            if (freeFailures < 0 || lockAfter < 1 || firstDelay.isNegative() || maxDelay.isNegative()
                    || lockFor.isNegative()) {
                throw new IllegalArgumentException("invalid login throttle policy");
            }
        }

        /** How long a key must wait after its {@code failures}-th failure in a row. */
        Duration waitAfter(int failures) {
            if (failures >= lockAfter) {
                return lockFor;
            }
            int paid = failures - freeFailures;
            if (paid <= 0) {
                return Duration.ZERO;
            }
            // Doubling past 2^20 only overflows; the cap has long applied by then.
            var delay = firstDelay.multipliedBy(1L << Math.min(paid - 1, 20));
            return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
        }
    }

    /** Failures in a row for one key, and when the key may try again. */
    private record Failures(int count, Instant blockedUntil) {
    }

    private final Policy addressPolicy;
    private final Policy accountPolicy;
    private final Clock clock;
    private final Cache<String, Failures> byAddress;
    private final Cache<String, Failures> byAccount;

    public LoginThrottle(Policy addressPolicy, Policy accountPolicy, Clock clock) {
        this.addressPolicy = addressPolicy;
        this.accountPolicy = accountPolicy;
        this.clock = clock;
        this.byAddress = cache(addressPolicy, clock);
        this.byAccount = cache(accountPolicy, clock);
    }

    private static Cache<String, Failures> cache(Policy policy, Clock clock) {
        return Caffeine.newBuilder()
                .maximumSize(MAX_TRACKED)
                .expireAfterWrite(policy.lockFor().multipliedBy(2).plus(policy.maxDelay()))
                .ticker(() -> clock.millis() * 1_000_000L)
                .build();
    }

    /** Refuses with 429 if the address or the account must still wait; never looks at a password. */
    public void check(String address, String username) {
        var now = clock.instant();
        var wait = later(remaining(byAddress.getIfPresent(address), now),
                remaining(byAccount.getIfPresent(Names.userKey(username)), now));
        if (!wait.isZero()) {
            long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
            throw new ApiException(ErrorCode.RATE_LIMITED,
                    "too many failed logins; try again in " + seconds + " s", seconds);
        }
    }

    /** Counts a wrong password against the address and the account. */
    public void failed(String address, String username) {
        var now = clock.instant();
        byAddress.asMap().compute(address, (key, old) -> next(old, addressPolicy, now));
        byAccount.asMap().compute(Names.userKey(username), (key, old) -> next(old, accountPolicy, now));
    }

    /**
     * A correct password ends the account's run of failures. The address's run goes on until it lapses:
     * otherwise an attacker could reset it by logging in to an account of their own between guesses.
     */
    public void succeeded(String username) {
        byAccount.invalidate(Names.userKey(username));
    }

    private static Failures next(Failures old, Policy policy, Instant now) {
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
