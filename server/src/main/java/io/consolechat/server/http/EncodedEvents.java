package io.consolechat.server.http;

import io.consolechat.protocol.Event;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The encoded stream lines of recent events, shared by all streams. The fan-out hands the same Event
 * instance to every subscription of a room, so a thousand listeners would otherwise serialize the same
 * event a thousand times; with this each event is encoded about once per format. A direct-mapped table:
 * a collision just encodes again, and a lookup never blocks.
 *
 * <p>Only live events belong here (backlog events are each stream's own copies). An entry holds its event
 * and its line, up to about 32 KB for the longest message, so the table holds at most about 32 MB; all
 * listeners of a room ask for an event within moments of its delivery, so a thousand slots are plenty.
 */
final class EncodedEvents {
    private static final int SLOTS = 1024;

    private record Entry(Event event, Class<?> format, StreamLine line) {
    }

    private final AtomicReferenceArray<Entry> slots = new AtomicReferenceArray<>(SLOTS);

    StreamLine encode(StreamFormat format, Event event) {
        int slot = (System.identityHashCode(event) ^ format.getClass().hashCode()) & (SLOTS - 1);
        var entry = slots.get(slot);
        // Identity, not equals: only the very instance the fan-out published is known to be the same event.
        if (entry != null && entry.event() == event && entry.format() == format.getClass()) {
            return entry.line();
        }
        var line = format.line(event);
        slots.set(slot, new Entry(event, format.getClass(), line));
        return line;
    }
}
