package io.consolechat.server.store;

import io.consolechat.server.config.Rate;

/**
 * Token buckets kept in the database, so that every server on it draws from the same ones: a limit holds
 * across servers as it does on one.
 */
public interface RateBuckets {

    /**
     * Takes one token from the bucket {@code id}, created full for {@code rate} on first use. Returns 0 if it
     * was taken, else the nanoseconds until one is back. Throws {@link io.consolechat.server.error.StoreException}
     * if the database cannot answer.
     */
    long take(String id, Rate rate);

    /** Deletes buckets that have been full long enough to be the same as new ones; returns how many. */
    int forgetFull();
}
