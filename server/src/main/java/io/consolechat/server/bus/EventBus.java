package io.consolechat.server.bus;

import io.consolechat.protocol.Event;
import java.util.List;
import java.util.Map;

/**
 * Carries committed events from the event log to whoever follows a room. The event log publishes each
 * committed batch once, in sequence order per room, before the senders hear back; any number of
 * subscribers may follow a room. This is the seam where notifications between several server instances
 * plug in: the events table stays the truth, and a subscriber that sees a gap reads it from there.
 * {@link #followed()} tells what the bus has published per followed room, so that events whose notice
 * never came (a lost connection to the other instances) can be read from the table and published late; such
 * a catch-up may publish again an event that was published meanwhile, and subscribers drop what they have.
 */
public interface EventBus {

    /** Something that follows a room. Deliveries run on the bus's threads and must not block. */
    @FunctionalInterface
    interface Subscriber {
        void deliver(Event event);

        /** Several events of the room at once, in order: a stream may write them together. */
        default void deliverAll(List<Event> events) {
            for (var event : events) {
                deliver(event);
            }
        }
    }

    /** A subscriber's place on the bus; closing it stops the deliveries. */
    interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    Registration subscribe(String room, Subscriber subscriber);

    /** Whether anyone here follows {@code room}: events of other rooms need not even be read. */
    boolean hasSubscribers(String room);

    /** Hands committed events to the subscribers of their rooms. */
    void publish(List<Event> events);

    /**
     * The rooms someone here follows, each with the highest sequence number published for it since it got
     * its first subscriber, or 0 if none was: a snapshot. Every subscriber has seen the room up to that
     * number or reads the gap itself once it sees it, so what a room may be missing comes after it.
     */
    Map<String, Long> followed();
}
