package io.consolechat.server.store;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/** The event log's commits as meters: the events this server appended, and each group commit's latency. */
final class CommitMeters implements CommitObserver {
    private final Counter appended;
    private final Timer commits;

    CommitMeters(MeterRegistry registry) {
        this.appended = Counter.builder("chat.events.appended")
                .description("Events this server stored in the event log").register(registry);
        this.commits = Timer.builder("chat.commit")
                .description("Time to write and commit one batch of events (group commit)")
                .publishPercentileHistogram().register(registry);
    }

    @Override
    public void committed(int events, long nanos) {
        appended.increment(events);
        commits.record(nanos, TimeUnit.NANOSECONDS);
    }
}
