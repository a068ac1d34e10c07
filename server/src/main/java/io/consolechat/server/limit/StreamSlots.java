package io.consolechat.server.limit;

import io.consolechat.protocol.ErrorCode;
import io.consolechat.server.error.Refused;
import io.consolechat.server.store.StreamCountStore;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts open streams per user and per client address, so neither can hold more than its share of
 * connections. Entries exist only while streams are open, so the maps stay as small as the load.
 *
 * <p>Servers that share a database add up each other's streams, as presence does with leases: each server
 * counts its own streams here, publishes the counts that changed about once a second under a lease it
 * renews at the same time, and a new stream is let in only if this server's streams and those the other
 * live servers published stay within the limit. The counts of a server that dies stop counting when its
 * lease runs out. Streams opened on other servers within the last second are not seen yet, so together
 * the servers may briefly let in that many more.
 */
public final class StreamSlots implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StreamSlots.class);
    private static final Duration PUBLISH_EVERY = Duration.ofSeconds(1);
    private static final Duration FORGET_STOPPED_EVERY = Duration.ofMinutes(1);

    private final int perUser;
    private final int perAddress;
    private final Map<String, Integer> byUser = new ConcurrentHashMap<>();
    private final Map<String, Integer> byAddress = new ConcurrentHashMap<>();
    /** Null when no other server shares the database. */
    private final StreamCountStore shared;
    private final String instance = UUID.randomUUID().toString();
    private final Duration lease;
    private final Clock clock;
    /** Users and addresses whose count changed since it was last published. */
    private final Set<String> changedUsers = ConcurrentHashMap.newKeySet();
    private final Set<String> changedAddresses = ConcurrentHashMap.newKeySet();
    /** A publication failed: the next one sends every count. Only the publishing thread uses it. */
    private boolean republishAll;
    private final ScheduledExecutorService publisher;

    /**
     * Without {@code shared} the counts are this server's alone. With it, the counts of every server on the database add up; {@code lease} is how long this
     * server's published counts outlive their last renewal.
     */
    public StreamSlots(int perUser, int perAddress, Optional<StreamCountStore> shared, Duration lease, Clock clock) {
        this.perUser = perUser;
        this.perAddress = perAddress;
        this.shared = shared.orElse(null);
        this.lease = lease;
        this.clock = clock;
        if (this.shared == null) {
            this.publisher = null;
            return;
        }
        this.publisher = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("stream-counts").daemon(true).factory());
        // Renewed at least three times per lease, so that one late renewal does not drop the counts.
        long every = Math.max(50, Math.min(PUBLISH_EVERY.toMillis(), lease.toMillis() / 3));
        publisher.scheduleWithFixedDelay(this::publish, 0, every, TimeUnit.MILLISECONDS);
        publisher.scheduleWithFixedDelay(this::forgetStopped, FORGET_STOPPED_EVERY.toMillis(),
                FORGET_STOPPED_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * A slot held until {@link Slot#close()}; refused with 429 when the user or the address is full. With
     * a shared database it throws {@link io.consolechat.server.error.StoreException} (a 503) if the
     * database cannot answer.
     */
    public Slot open(String userId, String address) {
        int users = acquire(byUser, userId, perUser);
        if (users == 0) {
            throw full(userFull());
        }
        int addresses = acquire(byAddress, address, perAddress);
        if (addresses == 0) {
            release(byUser, userId);
            throw full(addressFull());
        }
        var slot = new Slot(this, userId, address);
        if (shared != null) {
            changedUsers.add(userId);
            changedAddresses.add(address);
            StreamCountStore.Counts others;
            try {
                others = shared.others(instance, userId, address, clock.instant());
            } catch (RuntimeException e) {
                slot.close();
                throw e;
            }
            if (users + others.user() > perUser) {
                slot.close();
                throw full(userFull());
            }
            if (addresses + others.address() > perAddress) {
                slot.close();
                throw full(addressFull());
            }
        }
        return slot;
    }

    /** An open stream's place in the counts. */
    public record Slot(StreamSlots slots, String userId, String address) implements AutoCloseable {
        @Override
        public void close() {
            slots.release(slots.byUser, userId);
            slots.release(slots.byAddress, address);
            if (slots.shared != null) {
                slots.changedUsers.add(userId);
                slots.changedAddresses.add(address);
            }
        }
    }

    /** Stops publishing and takes this server's counts out of the database; used at shutdown, after the streams ended. */
    @Override
    public void close() {
        if (shared == null) {
            return;
        }
        publisher.shutdownNow();
        try {
            publisher.awaitTermination(5, TimeUnit.SECONDS);
            shared.withdraw(instance);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // Stopping anyway; the lease runs out on its own.
            log.warn("could not withdraw the open stream counts: {}", e.getMessage());
        }
    }

    /**
     * Publishes the counts that changed and renews the lease; what fails to go out is tried again next time.
     * After a failure, every count goes out again: while this server could not renew its lease, another may
     * have found it lapsed and forgotten all of this server's counts, those that did not change among them.
     */
    private void publish() {
        if (republishAll) {
            republishAll = false;
            changedUsers.addAll(byUser.keySet());
            changedAddresses.addAll(byAddress.keySet());
        }
        var users = current(changedUsers, byUser);
        var addresses = current(changedAddresses, byAddress);
        try {
            shared.publish(instance, users, addresses, clock.instant().plus(lease));
        } catch (RuntimeException e) {
            changedUsers.addAll(users.keySet());
            changedAddresses.addAll(addresses.keySet());
            republishAll = true;
            log.warn("could not publish the open stream counts: {}", e.getMessage());
        }
    }

    /** The counts of the changed keys as they are now; each key leaves the set before its count is read. */
    private static Map<String, Integer> current(Set<String> changed, Map<String, Integer> counts) {
        var now = new HashMap<String, Integer>();
        for (var key : changed) {
            changed.remove(key);
            now.put(key, counts.getOrDefault(key, 0));
        }
        return now;
    }

    private void forgetStopped() {
        try {
            shared.forgetExpired(clock.instant().minus(lease));
        } catch (RuntimeException e) {
            log.warn("could not forget the stream counts of stopped servers: {}", e.getMessage());
        }
    }

    /** The key's count with this stream, or 0 if it is full. */
    private static int acquire(Map<String, Integer> counts, String key, int max) {
        var taken = new int[1];
        counts.compute(key, (k, n) -> {
            int open = n == null ? 0 : n;
            if (open >= max) {
                return n;
            }
            taken[0] = open + 1;
            return taken[0];
        });
        return taken[0];
    }

    private void release(Map<String, Integer> counts, String key) {
        counts.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
    }

    private String userFull() {
        return "you have " + perUser + " streams open already; close one first";
    }

    private String addressFull() {
        return "your address has " + perAddress + " streams open already; close one first";
    }

    /** When a slot frees up is not known; a few seconds is a fair pause before trying again. */
    private static final long RETRY_AFTER_SECONDS = 5;

    private static Refused full(String message) {
        return new Refused(ErrorCode.RATE_LIMITED, message, RETRY_AFTER_SECONDS);
    }
}
