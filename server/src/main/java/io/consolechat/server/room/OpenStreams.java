package io.consolechat.server.room;

import io.consolechat.protocol.Names;
import io.consolechat.protocol.User;
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

    /** Ends the streams of one user on one room, after an explicit leave. */
    void closeStreamsOf(String room, User user) {
        var subscriptions = rooms.get(room);
        if (subscriptions == null) {
            return;
        }
        var key = Names.userKey(user.name());
        for (var subscription : subscriptions) {
            if (Names.userKey(subscription.user().name()).equals(key)) {
                subscription.close(Subscription.Closed.LEFT);
            }
        }
    }

    void closeAll() {
        rooms.values().forEach(subscriptions -> subscriptions.forEach(s -> s.close(Subscription.Closed.SHUTDOWN)));
    }

    int count() {
        return rooms.values().stream().mapToInt(Set::size).sum();
    }
}
