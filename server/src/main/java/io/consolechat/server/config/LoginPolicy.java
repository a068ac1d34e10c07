package io.consolechat.server.config;

import java.time.Duration;

/**
 * How failed password logins slow down one key (a client address or an account).
 *
 * @param freeFailures failures that cost nothing (typos)
 * @param firstDelay   the wait after the first failure past the free ones; each further one doubles it
 * @param maxDelay     the longest wait before the lock
 * @param lockAfter    failures in a row that lock the key
 * @param lockFor      how long the lock lasts; a count with no new failure for twice that
 *                     (plus {@code maxDelay}) is forgotten
 */
public record LoginPolicy(int freeFailures, Duration firstDelay, Duration maxDelay, int lockAfter, Duration lockFor) {
    public LoginPolicy {
        if (freeFailures < 0 || lockAfter < 1 || firstDelay.isNegative() || maxDelay.isNegative()
                || lockFor.isNegative()) {
            throw new IllegalArgumentException("invalid login throttle policy");
        }
    }

    /** How long a key must wait after its {@code failures}-th failure in a row. */
    public Duration waitAfter(int failures) {
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
