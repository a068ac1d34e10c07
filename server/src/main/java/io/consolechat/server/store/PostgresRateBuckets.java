package io.consolechat.server.store;

import io.consolechat.server.config.Rate;
import io.consolechat.server.error.StoreException;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * {@link RateBuckets} in the {@code rate_buckets} table, through Bucket4j's PostgreSQL support: each take
 * locks the bucket's row ({@code SELECT ... FOR UPDATE}), so takes on several servers at once are counted
 * one after the other. A row's expiry is the moment its bucket would be full again, when a new one is the
 * same; {@link #forgetFull()} deletes those.
 */
final class PostgresRateBuckets implements RateBuckets {
    private static final int FORGET_BATCH = 1_000;

    private final PostgreSQLSelectForUpdateBasedProxyManager<String> buckets;
    private final FaultLog faults = new FaultLog("rate check");

    /** {@code dataSource}: connections of their own, so that checks cannot take the event log's. */
    PostgresRateBuckets(DataSource dataSource, Clock clock) {
        this.buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table("rate_buckets")
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ZERO))
                .clientClock(new BucketTime(clock))
                .build();
    }

    @Override
    public long take(String id, Rate rate) {
        try {
            var probe = buckets.getProxy(id, () -> configuration(rate)).tryConsumeAndReturnRemaining(1);
            faults.succeeded();
            return probe.isConsumed() ? 0 : Math.max(1, probe.getNanosToWaitForRefill());
        } catch (RuntimeException e) {
            // Bucket4j wraps the driver's SQLException (a gone database, a timed-out row lock) in its own.
            faults.failed("check a rate limit", e);
            throw new StoreException("could not check a rate limit", e);
        }
    }

    @Override
    public int forgetFull() {
        try {
            int forgotten = 0;
            int batch;
            do {
                batch = buckets.removeExpired(FORGET_BATCH);
                forgotten += batch;
            } while (batch == FORGET_BATCH);
            return forgotten;
        } catch (RuntimeException e) {
            throw new StoreException("could not forget full rate buckets", e);
        }
    }

    private static BucketConfiguration configuration(Rate rate) {
        return BucketConfiguration.builder()
                .addLimit(RateBandwidth.of(rate))
                .build();
    }
}
