package io.consolechat.server.limit;

import io.consolechat.server.config.Rate;
import io.consolechat.server.store.RateBuckets;
import java.time.Clock;
import java.util.Optional;

/** Makes the server's rate limits: kept in memory, and also in the database when other servers share it. */
public final class RateLimits {
    private final Optional<RateBuckets> shared;
    private final Clock clock;

    /** {@code shared}: the database's buckets when other servers may use it too, else empty. */
    public RateLimits(Optional<RateBuckets> shared, Clock clock) {
        this.shared = shared;
        this.clock = clock;
    }

    /**
     * A limit of {@code rate} per key. {@code name} is short and stable (it names the limit's buckets in the
     * database); {@code what} names the limited action in the refusal, e.g. "messages".
     */
    public RateLimit limit(String name, Rate rate, String what) {
        return new RateLimit(name, rate, what, shared, clock);
    }
}
