package io.consolechat.client;

/** Why a call to the server did not succeed: the server said no, or it could not be reached. */
public abstract sealed class ClientException extends RuntimeException permits ApiError, Unreachable {
    protected ClientException(String message, Throwable cause) {
        super(message, cause);
    }
}
