package io.consolechat.server.bus;

import io.consolechat.protocol.Event;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bus within one process: a set of subscribers per room. A room's entry exists only while it has
 * subscribers, so that many room names cannot pile up in memory.
 */
public final class LocalBus implements EventBus {
    private final Map<String, Set<Subscriber>> rooms = new ConcurrentHashMap<>();

    @Override
    public Registration subscribe(String room, Subscriber subscriber) {
        // Created and added in one step, so that a concurrent last unsubscribe cannot drop the new set.
        rooms.compute(room, (name, subscribers) -> {
            var live = subscribers == null ? ConcurrentHashMap.<Subscriber>newKeySet() : subscribers;
            live.add(subscriber);
            return live;
        });
        return () -> rooms.computeIfPresent(room, (name, subscribers) -> {
            subscribers.remove(subscriber);
            return subscribers.isEmpty() ? null : subscribers;
        });
    }

    @Override
    public boolean hasSubscribers(String room) {
        return rooms.containsKey(room);
    }

    /** Delivers in the caller's thread; events of one room may come from several threads (see {@link EventBus}). */
    @Override
    public void publish(List<Event> events) {
        for (var event : events) {
            var subscribers = rooms.get(event.room());
            if (subscribers != null) {
                for (var subscriber : subscribers) {
                    subscriber.deliver(event);
                }
            }
        }
    }
}
