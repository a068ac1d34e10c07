package io.consolechat.server.error;

/**
 * The store could not do what was asked (disk full, database gone or locked for too long, closed).
 * Nothing of the failed request was stored; the client gets a 503 and may try again.
 */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
