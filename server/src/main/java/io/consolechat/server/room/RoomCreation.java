package io.consolechat.server.room;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.consolechat.protocol.Names;
import io.consolechat.protocol.User;
import io.consolechat.server.limit.RateLimit;
import io.consolechat.server.store.EventLog;

/**
 * Limits how many rooms one user may bring into being. A room exists from its first event, so a post or a
 * stream to a room without events takes from the user's budget; rooms known to exist cost nothing, and the
 * names of recent ones are remembered so that a busy room is not looked up on every post.
 */
final class RoomCreation {
    private static final int KNOWN_ROOMS = 100_000;

    private final EventLog log;
    private final RateLimit newRooms;
    private final Cache<String, Boolean> known = Caffeine.newBuilder().maximumSize(KNOWN_ROOMS).build();

    RoomCreation(EventLog log, RateLimit newRooms) {
        this.log = log;
        this.newRooms = newRooms;
    }

    /** Refuses with 429 if {@code room} is new and {@code user} has created too many rooms lately. */
    void check(String room, User user) {
        if (known.getIfPresent(room) != null) {
            return;
        }
        if (log.lastSeq(room) > 0) {
            known.put(room, Boolean.TRUE);
            return;
        }
        newRooms.take(Names.userKey(user.name()));
    }
}
