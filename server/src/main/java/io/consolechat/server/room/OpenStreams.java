package io.consolechat.server.room;

import io.consolechat.protocol.Names;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open streams of every room, kept to end them: a user's streams on a room when they leave it, all of
 * them at shutdown. A room's entry exists only while it has streams.
 */
final class OpenStreams {
    private final Map<String, Set<Subscription>> rooms = new ConcurrentHashMap<>();

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

    /**
     * Ends the streams of one user on one room, after an explicit leave ({@code LEFT}), or a kick, ban or
     * withdrawn invitation ({@code REMOVED}); each gets its end line.
     */
    void closeStreamsOf(String room, String userName, Subscription.Closed reason) {
        var subscriptions = rooms.get(room);
        if (subscriptions == null) {
            return;
        }
        var key = Names.userKey(userName);
        for (var subscription : subscriptions) {
            if (Names.userKey(subscription.user().name()).equals(key)) {
                subscription.close(reason);
            }
        }
    }

    /** Ends the user's streams on every room (a server-wide ban). */
    void closeStreamsOf(String userName, Subscription.Closed reason) {
        rooms.keySet().forEach(room -> closeStreamsOf(room, userName, reason));
    }

    void closeAll() {
        rooms.values().forEach(subscriptions -> subscriptions.forEach(s -> s.close(Subscription.Closed.SHUTDOWN)));
    }

    int count() {
        return rooms.values().stream().mapToInt(Set::size).sum();
    }
}
