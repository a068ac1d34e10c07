package io.consolechat.server.room;

/**
 * The one wake-up of a live stream, whatever it follows (a room, several rooms, the personal stream): each
 * source pokes it when it has something the fan-out did not write itself (events left in its buffer, a gap,
 * its end), and the poke runs the stream's wake-up action. No thread waits for it: a live stream that has
 * nothing to do holds no thread at all.
 */
public final class StreamSignal {
    private volatile Runnable wake = () -> { };

    /** Called by the sources; runs the wake-up action, which must not block. */
    void poke() {
        wake.run();
    }

    /**
     * From now on every poke runs {@code action}. Pokes before this are not kept: the stream looks at every
     * source once after setting it.
     */
    public void onPoke(Runnable action) {
        this.wake = action;
    }
}
