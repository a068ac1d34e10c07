package io.consolechat.client;

import io.consolechat.protocol.Event;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The lines typed in the console on their way to the server, in order, on a thread of their own. A line
 * that cannot be posted for now (the server is unreachable, restarting, or answers 429 to too fast a
 * sender) is kept and tried again: after the server's {@code Retry-After}, after a backoff, or at once
 * when {@link #retryNow()} says the connection is back. Every attempt at one line carries the same
 * {@code Idempotency-Key}, so a server that keeps keys stores the line at most once even when an answer
 * was lost on the way. A line the server refuses for good (too long, not allowed) is dropped and reported.
 */
public final class Outbox implements AutoCloseable {

    /**
     * One line to post, as the user who typed it: to a room, or, with a {@code room} of {@code @name}, a
     * direct message to that user (no room name starts with {@code @}).
     */
    public record Post(UUID key, String token, String room, String text, boolean action) {
        public static Post of(String token, String room, String text, boolean action) {
            return new Post(UUID.randomUUID(), token, room, text, action);
        }

        /** A direct message to {@code user}. */
        public static Post direct(String token, String user, String text, boolean action) {
            return new Post(UUID.randomUUID(), token, "@" + user, text, action);
        }

        public boolean isDirect() {
            return room.startsWith("@");
        }
    }

    /** What becomes of the posts, told on the outbox's thread. */
    public interface Listener {
        /** The first attempt at {@code post} failed and it will be tried again; told once per post. */
        void pending(Post post, String reason);

        /** The server stored the post. */
        void sent(Post post, Event event);

        /** The server refused the post for good; it is dropped. */
        void refused(Post post, ApiError error);
    }

    private final ChatClient client;
    private final Listener listener;
    private final Supplier<Backoff> backoff;
    private final LinkedBlockingQueue<Post> queue = new LinkedBlockingQueue<>();
    private final Thread sender;
    private int unsent;
    private boolean waiting;
    private volatile boolean closed;

    public Outbox(ChatClient client, Listener listener, Supplier<Backoff> backoff) {
        this.client = client;
        this.listener = listener;
        this.backoff = backoff;
        this.sender = Thread.ofVirtual().name("outbox").start(this::run);
    }

    public synchronized void add(Post post) {
        if (closed) {
            throw new IllegalStateException("the outbox is closed");
        }
        unsent++;
        queue.add(post);
    }

    /** Lines not posted yet, the one being posted included. */
    public synchronized int unsent() {
        return unsent;
    }

    /** Tries a waiting line now rather than at the end of its backoff: the server is back. */
    public void retryNow() {
        LockSupport.unpark(sender);
    }

    /**
     * Waits up to {@code limit} for the lines already given to be posted, unless one is waiting for the
     * server to come back, then stops. Returns how many lines were left unsent.
     */
    public int finish(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        synchronized (this) {
            try {
                while (unsent > 0 && !waiting) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    wait(Math.max(1, left / 1_000_000));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        close();
        return unsent();
    }

    @Override
    public void close() {
        closed = true;
        sender.interrupt();
    }

    private void run() {
        while (!closed) {
            Post post;
            try {
                post = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (!deliver(post)) {
                return;
            }
        }
    }

    /** Posts until sent or refused; false when closed first. */
    private boolean deliver(Post post) {
        var delays = backoff.get();
        boolean told = false;
        while (!closed) {
            Duration delay;
            String reason;
            try {
                var event = post.isDirect()
                        ? client.sendDirect(post.token(), post.room().substring(1), post.text(), post.action(), post.key())
                        : client.send(post.token(), post.room(), post.text(), post.action(), post.key());
                done();
                listener.sent(post, event);
                return true;
            } catch (Unreachable e) {
                reason = e.getMessage();
                delay = delays.next();
            } catch (ApiError e) {
                if (!e.isTransient()) {
                    done();
                    listener.refused(post, e);
                    return true;
                }
                reason = e.getMessage();
                delay = e.retryAfter().filter(d -> !d.isZero()).orElseGet(delays::next);
            }
            if (closed) {
                return false;
            }
            setWaiting(true);
            if (!told) {
                listener.pending(post, reason);
                told = true;
            }
            // Wakes early on retryNow() (or spuriously: one attempt too many is harmless).
            LockSupport.parkNanos(delay.toNanos());
        }
        return false;
    }

    private synchronized void setWaiting(boolean waiting) {
        this.waiting = waiting;
        notifyAll();
    }

    /** The post at the head is sent or refused: counted out before the listener hears of it. */
    private synchronized void done() {
        unsent--;
        waiting = false;
        notifyAll();
    }
}
