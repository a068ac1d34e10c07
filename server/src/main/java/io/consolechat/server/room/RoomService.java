package io.consolechat.server.room;

import io.consolechat.protocol.ErrorCode;
import io.consolechat.protocol.Event;
import io.consolechat.protocol.EventType;
import io.consolechat.protocol.Rooms.RoomSummary;
import io.consolechat.protocol.User;
import io.consolechat.server.bus.EventBus;
import io.consolechat.server.error.Refused;
import io.consolechat.server.error.StoreException;
import io.consolechat.server.store.EventLog.NewEvent;
import io.consolechat.server.store.EventLog;
import java.util.List;
import java.util.concurrent.CompletionException;

/**
 * What can be done in a room: post, listen (backlog, then live), page through history, see who is there,
 * leave, and list the rooms. Events are stored by the event log and reach listeners through the bus.
 */
public final class RoomService implements AutoCloseable {
    private final EventLog log;
    private final EventBus bus;
    private final Presence presence;
    private final RoomAccess access;
    private final int bufferCapacity;
    private final OpenStreams streams = new OpenStreams();
    private volatile boolean closing;

    /** {@code bufferCapacity}: events a stream may fall behind before it is cut off. */
    public RoomService(EventLog log, EventBus bus, Presence presence, RoomAccess access, int bufferCapacity) {
        this.log = log;
        this.bus = bus;
        this.presence = presence;
        this.access = access;
        this.bufferCapacity = bufferCapacity;
    }

    /** Stores a message; returns it once it is durable. Refused to the banned, and to outsiders of private rooms. */
    public Event post(String room, User from, String text) {
        access.checkEnter(room, from);
        return join(log.append(new NewEvent(room, EventType.MESSAGE, from, text)));
    }

    /** The stored event of an append, once durable. */
    static Event join(java.util.concurrent.CompletableFuture<Event> append) {
        try {
            return append.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof StoreException se ? se : new StoreException("could not store the event", e);
        }
    }

    /**
     * Opens a stream of the room for {@code user}: subscribes first, then enters the user into the room (which
     * may write the join event); the feed reads the backlog after that. Refused once shutdown has begun, so
     * that no stream can open after the others were ended.
     */
    public Feed listen(String room, User user, Backlog backlog) {
        if (closing) {
            throw shuttingDown();
        }
        access.checkEnter(room, user);
        var subscription = new Subscription(room, user, bufferCapacity);
        streams.add(subscription);
        var registration = bus.subscribe(room, subscription);
        try {
            presence.streamOpened(room, user);
        } catch (RuntimeException e) {
            registration.close();
            streams.remove(subscription);
            throw e;
        }
        if (closing) {
            // Shutdown began meanwhile and may have missed this stream: it ends at once, with its end line.
            subscription.close(Subscription.Closed.SHUTDOWN);
        }
        return new Feed(log, subscription, backlog, () -> {
            registration.close();
            streams.remove(subscription);
            presence.streamClosed(room, user);
        });
    }

    /** Up to {@code limit} events before {@code before}, ascending. */
    public List<Event> history(String room, User user, long before, int limit) {
        access.checkEnter(room, user);
        return log.before(room, before, limit);
    }

    public List<User> members(String room, User user, int limit) {
        access.checkEnter(room, user);
        return presence.members(room, limit);
    }

    /** Writes the leave event (if the user was present) and ends the user's streams on the room. */
    public void leave(String room, User user) {
        access.checkMember(room, user);
        presence.leave(room, user);
        streams.closeStreamsOf(room, user.name(), Subscription.Closed.LEFT);
    }

    /** Ends the user's streams on the room: kicked, banned, or no longer invited. */
    void endStreams(String room, String userName) {
        streams.closeStreamsOf(room, userName, Subscription.Closed.REMOVED);
    }

    /** Ends the user's streams on every room: banned from the server. */
    public void endStreams(String userName) {
        streams.closeStreamsOf(userName, Subscription.Closed.REMOVED);
    }

    /** {@code DELETE /room/{room}/invites/{user}}: withdraws the invitation, ends membership and streams. */
    public void uninvite(String room, User by, String name) {
        access.uninvite(room, by, name);
        endStreams(room, name);
    }

    /**
     * Rooms that have events, most recently active first, with who is in them now: the open ones, and the
     * private ones {@code user} may enter.
     */
    public List<RoomSummary> rooms(User user) {
        var visible = access.visibleTo(user);
        return log.rooms().stream()
                .filter(r -> visible.test(r.name()))
                .map(r -> new RoomSummary(r.name(), presence.count(r.name()), r.lastSeq(), r.lastActivity()))
                .toList();
    }

    /** Ends every open stream (each gets its end line) and refuses new ones. */
    public void endAllStreams() {
        closing = true;
        streams.closeAll();
    }

    public int openStreams() {
        return streams.count();
    }

    private static Refused shuttingDown() {
        return new Refused(ErrorCode.UNAVAILABLE, "the server is shutting down; try again shortly");
    }

    /** Ends the streams, then writes the leave event of everyone still present. */
    @Override
    public void close() {
        endAllStreams();
        presence.close();
    }
}
