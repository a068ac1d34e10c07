package io.consolechat.server.room;

import io.consolechat.protocol.Event;
import io.consolechat.protocol.User;
import io.consolechat.server.store.Store;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The live side of all rooms: subscriptions, fan-out of stored events, and presence. */
public final class Rooms implements AutoCloseable {
    private final Map<String, Room> rooms = new ConcurrentHashMap<>();
    private final Presence presence;
    private final int bufferCapacity;

    public Rooms(Store store, Presence presence, int bufferCapacity) {
        this.presence = presence;
        this.bufferCapacity = bufferCapacity;
        store.onAppended(this::publish);
    }

    /** Opens a subscription, then enters the user into the room (which may write the join event). */
    public Subscription open(String roomName, User user) {
        var room = room(roomName);
        var subscription = room.subscribe(user, bufferCapacity);
        try {
            presence.streamOpened(roomName, user);
        } catch (RuntimeException e) {
            room.unsubscribe(subscription);
            throw e;
        }
        return subscription;
    }

    public void close(Subscription subscription) {
        room(subscription.room()).unsubscribe(subscription);
        presence.streamClosed(subscription.room(), subscription.user());
    }

    /** Writes the leave event (if the user was present) and ends the user's streams on the room. */
    public void leave(String roomName, User user) {
        presence.leave(roomName, user);
        room(roomName).closeStreamsOf(user);
    }

    public List<User> members(String roomName, int limit) {
        return presence.members(roomName, limit);
    }

    public int memberCount(String roomName) {
        return presence.count(roomName);
    }

    /** Ends every open stream (each gets its end line); presence is closed separately, after the streams. */
    public void endAllStreams() {
        rooms.values().forEach(Room::closeAll);
    }

    public int openStreams() {
        return rooms.values().stream().mapToInt(Room::streamCount).sum();
    }

    private void publish(List<Event> events) {
        for (var event : events) {
            var room = rooms.get(event.room());
            if (room != null) {
                room.publish(event);
            }
        }
    }

    private Room room(String name) {
        return rooms.computeIfAbsent(name, Room::new);
    }

    @Override
    public void close() {
        endAllStreams();
        presence.close();
    }
}
