package io.consolechat.server.store;

import java.util.function.Consumer;

/**
 * Streams that must end on every server instance, not only the one that took the decision: a user kicked
 * or banned from a room, no longer invited, or leaving it. With one instance there is nobody to tell.
 */
public interface StreamEnds {

    /** The streams on {@code room} of the user {@code who}: a name when {@code byName}, else a user id. */
    record Ended(String room, String who, boolean byName) {
    }

    /** Tells the other instances; they end their matching streams within about a second. */
    void announce(Ended ended);

    /** {@code listener} hears what other instances announced. */
    void onAnnounced(Consumer<Ended> listener);

    /**
     * {@code missed} runs each time this instance listens again to the others after it could not: what they
     * announced meanwhile never reached the {@link #onAnnounced} listeners.
     */
    void onAnnouncementsMissed(Runnable missed);

    /** For a database no other instance uses. */
    StreamEnds NONE = new StreamEnds() {
        @Override
        public void announce(Ended ended) {
        }

        @Override
        public void onAnnounced(Consumer<Ended> listener) {
        }

        @Override
        public void onAnnouncementsMissed(Runnable missed) {
        }
    };
}
