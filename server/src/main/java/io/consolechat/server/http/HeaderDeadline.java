package io.consolechat.server.http;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Drops connections whose request headers trickle in (slowloris). The idle timeout alone cannot do it:
 * a client that sends one byte a minute is never idle for long. Every deadline each HTTP/1 connection
 * is looked at; one found twice in a row in the middle of the same request's line or headers has spent
 * at least the deadline on it, and is closed: so a request gets between one and two deadlines. Connections waiting for a next request
 * without having sent any of it are left to the idle timeout.
 */
final class HeaderDeadline implements Connection.Listener {
    private final Duration deadline;
    private final Scheduler scheduler;

    HeaderDeadline(Duration deadline, Scheduler scheduler) {
        this.deadline = deadline;
        this.scheduler = scheduler;
    }

    @Override
    public void onOpened(Connection connection) {
        if (connection instanceof HttpConnection http) {
            new Watch(http).schedule();
        }
    }

    /** The checks of one connection; each runs on the scheduler and schedules the next. */
    private final class Watch implements Runnable {
        private final HttpConnection connection;
        private long partialRequestAt = -1;

        Watch(HttpConnection connection) {
            this.connection = connection;
        }

        void schedule() {
            scheduler.schedule(this, Math.max(1, deadline.toMillis()), TimeUnit.MILLISECONDS);
        }

        @Override
        public void run() {
            if (!connection.getEndPoint().isOpen()) {
                return;
            }
            var parser = connection.getParser();
            boolean partial = parser.inHeaderState() && !parser.isStart();
            long requests = connection.getMessagesIn();
            if (partial && partialRequestAt == requests) {
                connection.getEndPoint().close();
                return;
            }
            partialRequestAt = partial ? requests : -1;
            schedule();
        }
    }
}
