package io.consolechat.server.store;

import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * Bucket4j's time read from the server's clock, for the buckets in memory and those in PostgreSQL alike, so
 * that both refill by the same time and tests can move it.
 */
public record BucketTime(Clock clock) implements TimeMeter {
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
