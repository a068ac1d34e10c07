package io.consolechat.server.http;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes all open streams hold that their clients have not taken yet (queued, or in a write that has not
 * completed), against one total. A stream that cannot reserve what it needs is cut off, and while the total
 * is nearly spent (less than a stream's cap left) new streams are refused, so that readers who stop reading can never fill the heap.
 */
public final class StreamBudget {
    private final long total;
    private final AtomicLong held = new AtomicLong();
    /** The most one stream ever held at once, for tests and operators to see the per-stream cap at work. */
    private final AtomicLong mostByOne = new AtomicLong();

    public StreamBudget(long total) {
        this.total = total;
    }

    /** Takes {@code bytes} from the total; false, taking nothing, when that would exceed it. */
    boolean reserve(long bytes) {
        while (true) {
            long now = held.get();
            if (now + bytes > total) {
                return false;
            }
            if (held.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    /** Takes {@code bytes} whatever the total: the few bytes of an end line, which every stream is owed. */
    void force(long bytes) {
        held.addAndGet(bytes);
    }

    void release(long bytes) {
        held.addAndGet(-bytes);
    }

    void noteStream(long bytes) {
        // Read first: on the delivery path a new most is rare, and a write to the shared counter is not free.
        if (bytes > mostByOne.get()) {
            mostByOne.accumulateAndGet(bytes, Math::max);
        }
    }

    /**
     * Whether what is left of the total is less than {@code bytes} (one stream's cap): new streams are refused
     * until more is released, rather than opened to be cut off.
     */
    boolean lessThanLeft(long bytes) {
        return held.get() + bytes > total;
    }

    /** The bytes held across all streams now. */
    public long held() {
        return held.get();
    }

    /** The most bytes one stream has held at once since the server started. */
    public long mostHeldByOneStream() {
        return mostByOne.get();
    }

    public long total() {
        return total;
    }
}
