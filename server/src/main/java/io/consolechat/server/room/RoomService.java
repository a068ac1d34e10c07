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
    private final int bufferCapacity;
    private final Mentions mentions;
    private final OpenStreams streams = new OpenStreams();
    private volatile boolean closing;

    /** {@code bufferCapacity}: events a stream may fall behind before it is cut off. */
    public RoomService(EventLog log, EventBus bus, Presence presence, int bufferCapacity, Mentions mentions) {
        this.log = log;
        this.mentions = mentions;
        this.bus = bus;
        this.presence = presence;
        this.bufferCapacity = bufferCapacity;
    }

    /** Stores a message; returns it once it is durable. */
    public Event post(String room, User from, String text) {
        return post(room, from, text, false);
    }

    /**
     * Stores a message ({@code action}: an IRC-style {@code /me}); returns it once it is durable, after the
     * users it names as {@code @name} have been told (in a room, not in a direct conversation).
     */
    public Event post(String room, User from, String text, boolean action) {
        var event = append(new NewEvent(room, EventType.MESSAGE, from, text, action));
        if (!Conversations.isConversation(room)) {
            mentions.notice(event);
        }
        return event;
    }

    private Event append(NewEvent event) {
        try {
            return log.append(event).join();
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
        return listen(room, user, backlog, null);
    }

    /**
     * As {@link #listen(String, User, Backlog)}, and every delivery pokes {@code signal} (if not null): one
     * stream that follows several rooms waits on that one signal, not on each room.
     */
    public Feed listen(String room, User user, Backlog backlog, StreamSignal signal) {
        if (closing) {
            throw shuttingDown();
        }
        var subscription = new Subscription(room, user, bufferCapacity);
        if (signal != null) {
            subscription.alsoWake(signal);
        }
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
    public List<Event> history(String room, long before, int limit) {
        return log.before(room, before, limit);
    }

    public List<User> members(String room, int limit) {
        return presence.members(room, limit);
    }

    /** Writes the leave event (if the user was present) and ends the user's streams on the room. */
    public void leave(String room, User user) {
        presence.leave(room, user);
        streams.closeStreamsOf(room, user);
    }

    /** Rooms that have events (direct conversations aside), most recently active first, with who is in them now. */
    public List<RoomSummary> rooms() {
        return log.rooms().stream()
                .filter(r -> !Conversations.isConversation(r.name()))
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
