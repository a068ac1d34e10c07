package io.consolechat.server.http;

import io.consolechat.protocol.ErrorCode;
import io.consolechat.server.error.Refused;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts open streams per user and per client address, so neither can hold more than its share of
 * connections. Entries exist only while streams are open, so the maps stay as small as the load.
 */
final class StreamSlots {
    private final int perUser;
    private final int perAddress;
    private final Map<String, Integer> byUser = new ConcurrentHashMap<>();
    private final Map<String, Integer> byAddress = new ConcurrentHashMap<>();

    StreamSlots(int perUser, int perAddress) {
        this.perUser = perUser;
        this.perAddress = perAddress;
    }

    /** A slot held until {@link Slot#close()}; refused with 429 when the user or the address is full. */
    Slot open(String userId, String address) {
        if (!acquire(byUser, userId, perUser)) {
            throw full("you have " + perUser + " streams open already; close one first");
        }
        if (!acquire(byAddress, address, perAddress)) {
            release(byUser, userId);
            throw full("your address has " + perAddress + " streams open already; close one first");
        }
        return new Slot(this, userId, address);
    }

    /** An open stream's place in the counts. */
    record Slot(StreamSlots slots, String userId, String address) implements AutoCloseable {
        @Override
        public void close() {
            slots.release(slots.byUser, userId);
            slots.release(slots.byAddress, address);
        }
    }

    private static boolean acquire(Map<String, Integer> counts, String key, int max) {
        var taken = new boolean[1];
        counts.compute(key, (k, n) -> {
            int open = n == null ? 0 : n;
            taken[0] = open < max;
            return taken[0] ? open + 1 : (n == null ? null : n);
        });
        return taken[0];
    }

    private void release(Map<String, Integer> counts, String key) {
        counts.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
    }

    /** When a slot frees up is not known; a few seconds is a fair pause before trying again. */
    private static final long RETRY_AFTER_SECONDS = 5;

    private static Refused full(String message) {
        return new Refused(ErrorCode.RATE_LIMITED, message, RETRY_AFTER_SECONDS);
    }
}
