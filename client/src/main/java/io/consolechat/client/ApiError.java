package io.consolechat.client;

import io.consolechat.protocol.ErrorCode;
import java.time.Duration;
import java.util.Optional;

/**
 * The server answered with an error. {@code code} is the wire code ({@code invalid_credentials}, ...),
 * or {@code bad_response} when the answer was not the API's JSON at all.
 */
public final class ApiError extends ClientException {
    public static final String BAD_RESPONSE = "bad_response";

    private final int status;
    private final String code;
    private final Duration retryAfter;

    public ApiError(int status, String code, String message) {
        this(status, code, message, null);
    }

    public ApiError(int status, String code, String message, Duration retryAfter) {
        super(message, null);
        this.status = status;
        this.code = code;
        this.retryAfter = retryAfter;
    }

    /** The server's {@code Retry-After}, when it gave one (with 429 and 503). */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Optional<ErrorCode> errorCode() {
        return ErrorCode.fromCode(code);
    }

    /** 401: the credentials or the token were refused. */
    public boolean isAuthentication() {
        return status == 401;
    }

    /**
     * Worth trying again later: the server is overloaded, restarting, or answered garbage. A 500 counts too:
     * a server that is stopping can fail a request it was handed at that moment, and a client that follows a
     * room should come back when the server does rather than give up.
     */
    public boolean isTransient() {
        return status == 429 || status >= 500 && status <= 504 || BAD_RESPONSE.equals(code);
    }
}
