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
     * An event to store; the log gives it its room's next sequence number and the time. {@code action} marks
     * a message written as an action (IRC's {@code /me}). {@code user}, {@code reason} and {@code target} are
     * those of a moderation event; a {@code delete} event also removes the text of the message at
     * {@code target}, in the same transaction. With a {@code key} (a client's Idempotency-Key), an event the
     * same user already stored with that key is returned instead of storing a second one.
     */
    record NewEvent(String room, EventType type, User from, String text, boolean action, User user, String reason,
                    Long target, String key) {
        public NewEvent(String room, EventType type, User from, String text) {
            this(room, type, from, text, false, null, null, null, null);
        }

        public NewEvent(String room, EventType type, User from, String text, boolean action) {
            this(room, type, from, text, action, null, null, null, null);
        }

        public NewEvent(String room, EventType type, User from, String text, boolean action, String key) {
            this(room, type, from, text, action, null, null, null, key);
        }

        public NewEvent(String room, EventType type, User from, String text, User user, String reason, Long target) {
            this(room, type, from, text, false, user, reason, target, null);
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

    /**
     * Up to {@code limit} rooms that have events, most recently active first (then by name), starting after
     * {@code after} (a row of the previous page, matched by its activity and name), or from the start if null.
     */
    List<RoomRow> rooms(int limit, RoomRow after);

    /**
     * Forgets the idempotency keys of posts stored before {@code before}, and what the log kept to learn the
     * outcome of commits made then; returns how many keys.
     */
    int forgetKeys(Instant before);

    /** Stores what was accepted, then refuses further appends. */
    @Override
    void close();
}
