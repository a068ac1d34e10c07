package io.consolechat.server.store;

/** The store could not do what was asked (disk full, database locked for too long, closed). */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
