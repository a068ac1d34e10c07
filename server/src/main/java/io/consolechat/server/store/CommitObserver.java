package io.consolechat.server.store;

/** Hears of each group commit of the event log: how many events it stored and how long it took. */
@FunctionalInterface
public interface CommitObserver {
    CommitObserver NONE = (events, nanos) -> { };

    /** Called on the writer thread after a commit that stored {@code events} new events in {@code nanos}. */
    void committed(int events, long nanos);
}
