package io.consolechat.server.limit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.consolechat.protocol.ErrorCode;
import io.consolechat.server.config.Rate;
import io.consolechat.server.error.Refused;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * One token bucket per key (a user, a client address). Buckets live in a bounded map and are dropped
 * once unused for longer than it takes them to fill up again, when a new bucket would be the same.
 */
public final class RateLimit {
    private static final long MAX_KEYS = 100_000;

    private final Rate rate;
    private final String what;
    private final TimeMeter time;
    private final Cache<String, Bucket> buckets;

    /** {@code what} names the limited action in the refusal, e.g. "messages". */
    public RateLimit(Rate rate, String what, Clock clock) {
        this.rate = rate;
        this.what = what;
        this.time = new ClockTime(clock);
        long refillsToFull = (rate.burst() + rate.refill() - 1) / rate.refill();
        this.buckets = Caffeine.newBuilder()
                .maximumSize(MAX_KEYS)
                .expireAfterAccess(rate.period().multipliedBy(refillsToFull))
                .ticker(time::currentTimeNanos)
                .build();
    }

    /** Takes one token for {@code key}, or refuses with 429 and the seconds until one is back. */
    public void take(String key) {
        var probe = buckets.get(key, k -> newBucket()).tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            long seconds = Math.max(1, (probe.getNanosToWaitForRefill() + TimeUnit.SECONDS.toNanos(1) - 1)
                    / TimeUnit.SECONDS.toNanos(1));
            throw new Refused(ErrorCode.RATE_LIMITED, "too many " + what + "; the limit is " + rate.refill()
                    + " per " + rate.period().toSeconds() + " s (bursts of " + rate.burst() + "); try again in "
                    + seconds + " s", seconds);
        }
    }

    private Bucket newBucket() {
        return Bucket.builder()
                .addLimit(limit -> limit.capacity(rate.burst()).refillGreedy(rate.refill(), rate.period()))
                .withCustomTimePrecision(time)
                .build();
    }

    /** Bucket time from the server's clock, so tests can move it. */
    private record ClockTime(Clock clock) implements TimeMeter {
        @Override
        public long currentTimeNanos() {
            var now = clock.instant();
            return TimeUnit.SECONDS.toNanos(now.getEpochSecond()) + now.getNano();
        }

        @Override
        public boolean isWallClockBased() {
            return true;
        }
    }
}
