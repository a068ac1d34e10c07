package io.consolechat.server.error;

import io.consolechat.protocol.ErrorCode;

/**
 * The domain's no to a request: what was asked breaks a rule (a wrong password, a full limit, bad input).
 * It carries the shared error code; the HTTP layer turns it into its status and {@code {"error", "message"}}
 * body in one place. No stack trace is taken: a refusal is an answer, not a fault.
 */
public class Refused extends RuntimeException {
    private final ErrorCode code;
    private final long retryAfterSeconds;

    public Refused(ErrorCode code, String message) {
        this(code, message, 0);
    }

    public Refused(ErrorCode code, String message, long retryAfterSeconds) {
        super(message, null, false, false);
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public ErrorCode code() {
        return code;
    }

    /** Seconds for a {@code Retry-After} header; 0 for none. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
