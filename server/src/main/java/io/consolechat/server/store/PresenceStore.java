package io.consolechat.server.store;

import io.consolechat.protocol.User;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Who is present in which room, and which server instances hold them there: a lease per instance, user and
 * room, renewed while the instance has a stream open and left to run out for the grace period after the
 * last one. With one database shared by several instances, a user is present once across all of them.
 */
public interface PresenceStore {

    /** A user in a room. */
    record Held(String room, String userId, User user) {
    }

    /** Whether the user is present in the room (a join written, no leave yet). */
    boolean isPresent(String room, String userId);

    /**
     * Records that {@code instance} holds the user in the room until {@code expires}; if the user was not
     * present, marks them present and runs {@code onJoin} (which writes the join event) in the same step:
     * if it throws, nothing is recorded. Returns whether the user joined.
     */
    boolean hold(String instance, Held held, Instant expires, Runnable onJoin);

    /** Moves the expiry of the instance's leases on these users to {@code expires}. */
    void renew(String instance, Collection<Held> held, Instant expires);

    /** The instance's last stream of the user in the room ended: its lease runs out at {@code until}. */
    void release(String instance, String room, String userId, Instant until);

    /** The instance lets go of the user in the room at once (it is stopping). */
    void drop(String instance, String room, String userId);

    /**
     * If no instance holds the user in the room at {@code now}, marks them absent and runs {@code onLeave}
     * (which writes the leave event) in the same step. Returns whether the user left.
     */
    boolean leaveIfUnheld(Held held, Instant now, Runnable onLeave);

    /** Marks the user absent whoever holds them, and runs {@code onLeave} if they were present. */
    boolean leave(Held held, Runnable onLeave);

    /** Up to {@code limit} present users that no instance holds any longer at {@code now}. */
    List<Held> unheld(Instant now, int limit);

    /** Up to {@code limit} users present in the room, by name. */
    List<User> members(String room, int limit);

    /** How many users are present in each of {@code rooms} (rooms nobody is in are left out). */
    Map<String, Integer> counts(Collection<String> rooms);

    /** Forgets leases that ran out before {@code before}. */
    int forgetExpired(Instant before);
}
