package io.consolechat.client;

/** The server could not be reached, or the connection broke. */
public final class Unreachable extends ClientException {
    public Unreachable(String message, Throwable cause) {
        super(message, cause);
    }
}
