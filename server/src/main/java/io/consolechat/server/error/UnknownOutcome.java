package io.consolechat.server.error;

/**
 * The store sent a write to the database and lost the answer, and could not learn in time whether the
 * database applied it: the request may or may not be stored. A client that resends it with the same
 * idempotency key gets it stored once either way.
 */
public class UnknownOutcome extends StoreException {
    public UnknownOutcome(String message, Throwable cause) {
        super(message, cause);
    }
}
