package io.consolechat.server.config;

import java.time.Duration;

/** A token bucket: {@code burst} at once, refilled at {@code refill} per {@code period}. */
public record Rate(int burst, int refill, Duration period) {
    public Rate {
        if (burst < 1 || refill < 1 || period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("a rate needs a burst and refill of at least 1 and a period");
        }
    }

    public static Rate perSecond(int refill, int burst) {
        return new Rate(burst, refill, Duration.ofSeconds(1));
    }

    public static Rate perMinute(int refill) {
        return new Rate(refill, refill, Duration.ofMinutes(1));
    }
}
