package io.consolechat.server.room;

import io.consolechat.protocol.Event;
import io.consolechat.protocol.Names;
import io.consolechat.protocol.User;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A room's open subscriptions; the fan-out hands each new event to all of them. */
public final class Room {
    private final String name;
    private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();

    Room(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    Subscription subscribe(User user, int capacity) {
        var subscription = new Subscription(name, user, capacity);
        subscriptions.add(subscription);
        return subscription;
    }

    void unsubscribe(Subscription subscription) {
        subscriptions.remove(subscription);
    }

    void publish(Event event) {
        for (var subscription : subscriptions) {
            subscription.offer(event);
        }
    }

    /** Ends the streams of one user, after an explicit leave. */
    void closeStreamsOf(User user) {
        var key = Names.userKey(user.name());
        for (var subscription : subscriptions) {
            if (Names.userKey(subscription.user().name()).equals(key)) {
                subscription.close(Subscription.Closed.LEFT);
            }
        }
    }

    void closeAll() {
        subscriptions.forEach(s -> s.close(Subscription.Closed.SHUTDOWN));
    }

    int streamCount() {
        return subscriptions.size();
    }
}
