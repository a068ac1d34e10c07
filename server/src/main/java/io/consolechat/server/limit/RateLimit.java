package io.consolechat.server.limit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.consolechat.protocol.ErrorCode;
import io.consolechat.server.config.Rate;
import io.consolechat.server.error.Refused;
import io.consolechat.server.store.BucketTime;
import io.consolechat.server.store.RateBandwidth;
import io.consolechat.server.store.RateBuckets;
import io.github.bucket4j.Bucket;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One token bucket per key (a user, a client address). Buckets live in a bounded map and are dropped
 * once unused for longer than it takes them to fill up again, when a new bucket would be the same.
 *
 * <p>Servers that share a database also take each token from a bucket there ({@link RateBuckets}), so
 * that together they allow what one allows. The bucket in memory comes first and keeps only the tokens
 * the shared one gave: it never holds fewer tokens than the shared one, so when it refuses, the shared
 * one would too, and a client past the limit through this server is refused without a database round trip.
 */
public final class RateLimit {
    private static final long MAX_KEYS = 100_000;

    private final Rate rate;
    private final String what;
    private final BucketTime time;
    private final Cache<String, Bucket> buckets;
    /** Names this limit's rows among the shared buckets, with its rate, so that servers with another rate use others. */
    private final String sharedPrefix;
    private final RateBuckets shared;

    /**
     * {@code what} names the limited action in the refusal, e.g. "messages". The limit is counted in
     * {@code shared} as well when other servers use the same database; {@code name} tells this limit's
     * buckets there from the others' (e.g. "send").
     */
    RateLimit(String name, Rate rate, String what, Optional<RateBuckets> shared, Clock clock) {
        this.rate = rate;
        this.what = what;
        this.time = new BucketTime(clock);
        long refillsToFull = (rate.burst() + rate.refill() - 1) / rate.refill();
        this.buckets = Caffeine.newBuilder()
                .maximumSize(MAX_KEYS)
                .expireAfterAccess(rate.period().multipliedBy(refillsToFull))
                .ticker(time::currentTimeNanos)
                .build();
        this.sharedPrefix = name + " " + rate.burst() + "/" + rate.refill() + "/" + rate.period().toMillis() + "ms ";
        this.shared = shared.orElse(null);
    }

    /**
     * Takes one token for {@code key}, or refuses with 429 and the seconds until one is back. With shared
     * buckets it throws {@link io.consolechat.server.error.StoreException} (a 503) if the database cannot answer.
     */
    public void take(String key) {
        var local = buckets.get(key, k -> newBucket());
        var probe = local.tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            throw refused(probe.getNanosToWaitForRefill());
        }
        if (shared == null) {
            return;
        }
        long wait;
        try {
            wait = shared.take(sharedPrefix + key, rate);
        } catch (RuntimeException e) {
            local.addTokens(1);
            throw e;
        }
        if (wait > 0) {
            local.addTokens(1);
            throw refused(wait);
        }
    }

    private Refused refused(long nanosToWait) {
        long seconds = Math.max(1, (nanosToWait + TimeUnit.SECONDS.toNanos(1) - 1) / TimeUnit.SECONDS.toNanos(1));
        return new Refused(ErrorCode.RATE_LIMITED, "too many " + what + "; the limit is " + rate.refill()
                + " per " + rate.period().toSeconds() + " s (bursts of " + rate.burst() + "); try again in "
                + seconds + " s", seconds);
    }

    private Bucket newBucket() {
        return Bucket.builder()
                .addLimit(RateBandwidth.of(rate))
                .withCustomTimePrecision(time)
                .build();
    }
}
