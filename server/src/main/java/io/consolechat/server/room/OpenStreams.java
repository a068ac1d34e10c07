package io.consolechat.server.room;

import io.consolechat.protocol.Names;
import io.consolechat.protocol.User;
import io.consolechat.server.error.StoreException;
import io.consolechat.server.store.EventLog;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open streams of every room, kept to end them: a user's streams on a room when they leave it, a
 * token's streams when it is revoked, all of them at shutdown. A room's entry exists only while it has
 * streams.
 *
 * <p>A stream ended by a leave, a kick or a ban ends after the room's last event at that moment, which is
 * the leave or the kick itself: the fan-out may not have brought it yet, and the feed then reads it from the
 * log before its end line.
 */
final class OpenStreams {
    private final Map<String, Set<Subscription>> rooms = new ConcurrentHashMap<>();
    private final EventLog log;

    OpenStreams(EventLog log) {
        this.log = log;
    }

    /** The room's last seq, which the streams ending now still get; 0 (none owed) when the log fails. */
    private long lastSeq(String room) {
        try {
            return log.lastSeq(room);
        } catch (StoreException e) {
            return 0;
        }
    }

    void add(Subscription subscription) {
        rooms.compute(subscription.room(), (name, subscriptions) -> {
            var live = subscriptions == null ? ConcurrentHashMap.<Subscription>newKeySet() : subscriptions;
            live.add(subscription);
            return live;
        });
    }

    void remove(Subscription subscription) {
        rooms.computeIfPresent(subscription.room(), (name, subscriptions) -> {
            subscriptions.remove(subscription);
            return subscriptions.isEmpty() ? null : subscriptions;
        });
    }

    /** Ends the streams of one user (by id) on one room, after an explicit leave. */
    void closeStreamsOf(String room, String userId) {
        var subscriptions = rooms.get(room);
        if (subscriptions == null) {
            return;
        }
        long endsAt = lastSeq(room);
        for (var subscription : subscriptions) {
            if (subscription.session().userId().equals(userId)) {
                subscription.close(Subscription.Closed.LEFT, endsAt);
            }
        }
    }

    /**
     * Ends the streams of the user of that name on one room, after a kick, ban or withdrawn invitation
     * ({@code REMOVED}); each gets its end line.
     */
    void closeStreamsNamed(String room, String userName, Subscription.Closed reason) {
        var subscriptions = rooms.get(room);
        if (subscriptions == null) {
            return;
        }
        var key = Names.userKey(userName);
        long endsAt = -1;
        for (var subscription : subscriptions) {
            if (Names.userKey(subscription.session().user().name()).equals(key)) {
                if (endsAt < 0) {
                    endsAt = lastSeq(room);
                }
                subscription.close(reason, endsAt);
            }
        }
    }

    /** Ends the streams of the user of that name on every room (a server-wide ban). */
    void closeStreamsNamed(String userName, Subscription.Closed reason) {
        rooms.keySet().forEach(room -> closeStreamsNamed(room, userName, reason));
    }

    /** Ends every stream opened with the token, on every room: it was revoked. */
    void closeStreamsOfToken(String tokenHash) {
        for (var subscriptions : rooms.values()) {
            for (var subscription : subscriptions) {
                if (subscription.session().tokenHash().equals(tokenHash)) {
                    subscription.close(Subscription.Closed.LOGGED_OUT);
                }
            }
        }
    }

    /** The hashes of the tokens the open streams were opened with. */
    Set<String> tokens() {
        var tokens = new HashSet<String>();
        rooms.values().forEach(subscriptions -> subscriptions.forEach(s -> tokens.add(s.session().tokenHash())));
        return tokens;
    }

    /** Who streams which room now: the users of the open streams, by room. */
    Map<String, Set<User>> streamers() {
        var streamers = new HashMap<String, Set<User>>();
        rooms.forEach((room, subscriptions) -> subscriptions.forEach(s ->
                streamers.computeIfAbsent(room, r -> new HashSet<>()).add(s.session().user())));
        return streamers;
    }

    void closeAll() {
        rooms.values().forEach(subscriptions -> subscriptions.forEach(s -> s.close(Subscription.Closed.SHUTDOWN)));
    }

    int count() {
        return rooms.values().stream().mapToInt(Set::size).sum();
    }
}
