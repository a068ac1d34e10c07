package io.consolechat.server.store;

import java.time.Instant;
import java.util.Map;

/**
 * How many streams each server holds open per user and per client address, kept in the database so that
 * servers sharing it can add up each other's. A server's counts count while its lease is renewed.
 */
public interface StreamCountStore {

    /** Open streams of one user and of one address. */
    record Counts(int user, int address) {
    }

    /** The streams that servers other than {@code instance}, with a lease live at {@code now}, hold open. */
    Counts others(String instance, String userId, String address, Instant now);

    /**
     * Sets the instance's counts for these users and addresses (0 removes one) and renews its lease until
     * {@code expires}; counts not named stay as they were.
     */
    void publish(String instance, Map<String, Integer> users, Map<String, Integer> addresses, Instant expires);

    /** Removes the instance's counts and lease (it stops). */
    void withdraw(String instance);

    /** Forgets the counts of instances whose lease ran out before {@code before}; returns how many instances. */
    int forgetExpired(Instant before);
}
