package io.consolechat.server.store;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs a database fault once, when it starts, with its cause; while it lasts, each further failure is
 * only counted (a full disk would otherwise write a stack trace per request); and once, when the
 * database works again, how many calls failed meanwhile.
 */
final class FaultLog {
    private static final Logger log = LoggerFactory.getLogger(FaultLog.class);

    private final String kind;
    private final AtomicLong failures = new AtomicLong();

    /** {@code kind} names the calls this log watches in its lines, e.g. "write". */
    FaultLog(String kind) {
        this.kind = kind;
    }

    void failed(String what, Exception e) {
        if (failures.getAndIncrement() == 0) {
            log.error("the database failed to {}; further {} failures are counted until it recovers", what, kind, e);
        } else {
            log.debug("the database failed again to {}: {}", what, e.toString());
        }
    }

    void succeeded() {
        if (failures.get() != 0) {
            long failed = failures.getAndSet(0);
            if (failed != 0) {
                log.warn("the database takes {}s again after {} failed calls", kind, failed);
            }
        }
    }
}
