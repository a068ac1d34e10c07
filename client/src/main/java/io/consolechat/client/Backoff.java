package io.consolechat.client;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Delays between reconnection attempts: doubling from {@code initial} up to {@code max}, with jitter
 * so that many clients cut off by one server restart do not all come back in the same instant.
 */
public final class Backoff {
    private final Duration initial;
    private final Duration max;
    private int failures;

    public Backoff(Duration initial, Duration max) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need 0 < initial <= max");
        }
        this.initial = initial;
        this.max = max;
    }

    public static Backoff standard() {
        return new Backoff(Duration.ofMillis(500), Duration.ofSeconds(15));
    }

    /** The delay before the next attempt. */
    public Duration next() {
        long base = initial.toMillis() << Math.min(failures, 20);
        failures++;
        long capped = Math.min(base, max.toMillis());
        // Between 75% and 100% of the step.
        long jittered = capped - ThreadLocalRandom.current().nextLong(capped / 4 + 1);
        return Duration.ofMillis(Math.max(1, jittered));
    }

    public void reset() {
        failures = 0;
    }
}
