package io.consolechat.protocol;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Every error the API reports, with its HTTP status. The wire code is the lower-case name. */
public enum ErrorCode {
    INVALID_REQUEST(400),
    INVALID_USERNAME(400),
    WEAK_PASSWORD(400),
    INVALID_ROOM(400),
    EMPTY_MESSAGE(400),
    MESSAGE_TOO_LONG(400),
    INVALID_TEXT(400),
    NOT_REGISTERED(400),
    UNAUTHORIZED(401),
    INVALID_CREDENTIALS(401),
    BLOCKED(403),
    FORBIDDEN(403),
    REGISTRATION_REQUIRED(403),
    WRONG_KEY(403),
    BANNED(403),
    NOT_FOUND(404),
    NO_SUCH_USER(404),
    METHOD_NOT_ALLOWED(405),
    ROOM_TAKEN(409),
    REQUEST_TIMEOUT(408),
    TOO_LARGE(413),
    URI_TOO_LONG(414),
    UNSUPPORTED_MEDIA_TYPE(415),
    RATE_LIMITED(429),
    HEADERS_TOO_LARGE(431),
    UNAVAILABLE(503),
    HTTP_VERSION_NOT_SUPPORTED(505),
    INTERNAL(500);

    private final int status;

    ErrorCode(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }

    @JsonValue
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ErrorCode> fromCode(String code) {
        return Arrays.stream(values()).filter(c -> c.code().equals(code)).findFirst();
    }
}
