package io.consolechat.protocol;

/** Every error response: {@code {"error": "<code>", "message": "<text for humans>"}}. */
public record ErrorBody(String error, String message) {
    public static ErrorBody of(ErrorCode code, String message) {
        return new ErrorBody(code.code(), message);
    }
}
