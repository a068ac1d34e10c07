package io.consolechat.server.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

/**
 * How the event writer learns what became of a batch whose commit got no answer: each batch's transaction
 * leaves a mark, and after a lost answer the writer asks the database for it. An embedded database (SQLite)
 * knows the outcome of every commit, so it needs none of this: {@link #NONE} marks nothing.
 */
interface CommitOutcomes {
    CommitOutcomes NONE = new CommitOutcomes() {
        @Override
        public Mark mark(Connection conn, Instant at) {
            return null;
        }

        @Override
        public Outcome outcome(Mark mark) {
            throw new IllegalStateException("an embedded database's commits are never in doubt");
        }

        @Override
        public void forget(Connection conn, Instant before) {
        }
    };

    /**
     * A batch's transaction: the number it was marked with, and the database session (backend process and
     * transaction id) that ran it, to know when that session is done with it.
     */
    record Mark(long batch, int backendPid, long transactionId) {
    }

    /** What a look at the database tells of a marked transaction. */
    enum Outcome {
        /** It committed: its batch is stored. */
        STORED,
        /** It is over and did not commit: nothing of its batch is stored. */
        NOT_STORED,
        /** It may still commit: its session still holds it open. Ask again shortly. */
        UNSETTLED
    }

    /** Called inside a batch's transaction: marks it, so that it can be found if the commit goes unanswered. */
    Mark mark(Connection conn, Instant at) throws SQLException;

    /**
     * Asks the database what became of the transaction {@code mark} names; throws when the database cannot be
     * asked (then nothing is known).
     */
    Outcome outcome(Mark mark) throws SQLException;

    /** Deletes the marks of servers that have committed nothing since {@code before}: gone, most likely. */
    void forget(Connection conn, Instant before) throws SQLException;
}
