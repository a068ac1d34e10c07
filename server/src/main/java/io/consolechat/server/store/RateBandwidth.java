package io.consolechat.server.store;

import io.consolechat.server.config.Rate;
import io.github.bucket4j.Bandwidth;

/**
 * A rate as Bucket4j's bandwidth, defined once for the buckets in memory and those in PostgreSQL: a key's
 * bucket in memory must never hold fewer tokens than its shared bucket, so the two must fill and refill
 * alike.
 */
public final class RateBandwidth {
    private RateBandwidth() {
    }

    public static Bandwidth of(Rate rate) {
        return Bandwidth.builder().capacity(rate.burst()).refillGreedy(rate.refill(), rate.period()).build();
    }
}
