package io.consolechat.server.room;

/** What a new stream gets before the live events: everything after a cursor, or the most recent events. */
public sealed interface Backlog {

    /** Every event after {@code seq}: a client resuming where it left off. */
    record Since(long seq) implements Backlog {
    }

    /** The last {@code count} events (none for 0): a client joining the conversation. */
    record Recent(int count) implements Backlog {
    }
}
