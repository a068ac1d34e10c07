package io.consolechat.server.bus;

import io.consolechat.protocol.Event;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;

/**
 * A bus that counts what passes through it: events published (this server's commits and, on PostgreSQL,
 * those other servers announced) and deliveries, one per event and following stream.
 */
public final class MeteredBus implements EventBus {
    private final EventBus bus;
    private final Counter published;
    private final Counter deliveries;

    public MeteredBus(EventBus bus, MeterRegistry registry) {
        this.bus = bus;
        this.published = Counter.builder("chat.events.published")
                .description("Committed events handed to this server's bus").register(registry);
        this.deliveries = Counter.builder("chat.deliveries")
                .description("Events delivered to following streams, one per event and stream").register(registry);
    }

    @Override
    public Registration subscribe(String room, Subscriber subscriber) {
        return bus.subscribe(room, new Subscriber() {
            @Override
            public void deliver(Event event) {
                deliveries.increment();
                subscriber.deliver(event);
            }

            @Override
            public void deliverAll(List<Event> events) {
                deliveries.increment(events.size());
                subscriber.deliverAll(events);
            }
        });
    }

    @Override
    public boolean hasSubscribers(String room) {
        return bus.hasSubscribers(room);
    }

    @Override
    public void publish(List<Event> events) {
        published.increment(events.size());
        bus.publish(events);
    }

    @Override
    public Map<String, Long> followed() {
        return bus.followed();
    }
}
