package io.consolechat.server.room;

import io.consolechat.protocol.ErrorCode;
import io.consolechat.protocol.Event;
import io.consolechat.protocol.User;
import io.consolechat.server.ApiException;
import io.consolechat.server.store.Store;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The live side of all rooms: subscriptions, fan-out of stored events, and presence. */
public final class Rooms implements AutoCloseable {
    private final Map<String, Room> rooms = new ConcurrentHashMap<>();
    private final Presence presence;
    private final int bufferCapacity;
    private volatile boolean closing;

    public Rooms(Store store, Presence presence, int bufferCapacity) {
        this.presence = presence;
        this.bufferCapacity = bufferCapacity;
        store.onAppended(this::publish);
    }

    /**
     * Opens a subscription, then enters the user into the room (which may write the join event). Refused
     * once shutdown has begun, so that no stream can open after the others were ended.
     */
    public Subscription open(String roomName, User user) {
        if (closing) {
            throw new ApiException(ErrorCode.UNAVAILABLE, "the server is shutting down; try again shortly");
        }
        var subscription = new Subscription[1];
        // Created and subscribed in one step, so that close() cannot remove the room in between.
        rooms.compute(roomName, (name, room) -> {
            var live = room == null ? new Room(name) : room;
            subscription[0] = live.subscribe(user, bufferCapacity);
            return live;
        });
        try {
            presence.streamOpened(roomName, user);
        } catch (RuntimeException e) {
            unsubscribe(subscription[0]);
            throw e;
        }
        return subscription[0];
    }

    public void close(Subscription subscription) {
        unsubscribe(subscription);
        presence.streamClosed(subscription.room(), subscription.user());
    }

    /** Rooms without streams are forgotten, so that many room names cannot pile up in memory. */
    private void unsubscribe(Subscription subscription) {
        rooms.computeIfPresent(subscription.room(), (name, room) -> {
            room.unsubscribe(subscription);
            return room.streamCount() == 0 ? null : room;
        });
    }

    /** Writes the leave event (if the user was present) and ends the user's streams on the room. */
    public void leave(String roomName, User user) {
        presence.leave(roomName, user);
        var room = rooms.get(roomName);
        if (room != null) {
            room.closeStreamsOf(user);
        }
    }

    public List<User> members(String roomName, int limit) {
        return presence.members(roomName, limit);
    }

    public int memberCount(String roomName) {
        return presence.count(roomName);
    }

    /** Ends every open stream (each gets its end line) and refuses new ones; presence is closed after. */
    public void endAllStreams() {
        closing = true;
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

    @Override
    public void close() {
        endAllStreams();
        presence.close();
    }
}
