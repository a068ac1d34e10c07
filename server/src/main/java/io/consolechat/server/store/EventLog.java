package io.consolechat.server.store;

import io.consolechat.protocol.Event;
import io.consolechat.protocol.EventType;
import io.consolechat.protocol.User;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The events of every room, each room a gap-free sequence starting at 1. An implementation assigns the
 * sequence number inside the database transaction that stores the event, so that it stays right when a
 * commit fails and when several processes write; it completes {@link #append} only once the event is
 * durable, and publishes each committed event to the bus before that, in sequence order per room. A
 * failed append leaves nothing behind and completes with a {@link io.consolechat.server.error.StoreException}.
 */
public interface EventLog extends AutoCloseable {

    /**
     * An event to store; the log gives it its room's next sequence number and the time. A {@code delete} event
     * also removes the text of the message at {@code target}, in the same transaction.
     */
    record NewEvent(String room, EventType type, User from, String text, User user, String reason, Long target) {
        public NewEvent(String room, EventType type, User from, String text) {
            this(room, type, from, text, null, null, null);
        }
    }

    /** One room of {@code GET /rooms}. */
    record RoomRow(String name, long lastSeq, Instant lastActivity) {
    }

    CompletableFuture<Event> append(NewEvent event);

    /** Up to {@code limit} events with {@code seq > after}, ascending. */
    List<Event> after(String room, long after, int limit);

    /** The last {@code limit} events with {@code seq < before}, ascending. */
    List<Event> before(String room, long before, int limit);

    /** The room's last sequence number, 0 for a room without events. */
    long lastSeq(String room);

    /** Rooms that have events, most recently active first. */
    List<RoomRow> rooms();

    /** Stores what was accepted, then refuses further appends. */
    @Override
    void close();
}
