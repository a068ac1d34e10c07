package io.consolechat.server.http;

import io.consolechat.protocol.ErrorCode;
import io.consolechat.protocol.Names;
import io.consolechat.server.error.Refused;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** Reading what a request carries: bounded bodies, strict numeric parameters, the room name. */
final class Requests {
    static final int MAX_BODY_BYTES = 64 * 1024;
    /** Bodies up to this size are read to the end before a 413, so that the client gets to read it. */
    private static final int DRAIN_LIMIT = 1024 * 1024;
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,19}");

    private Requests() {
    }

    /** The body, refusing with 413 past 64 KiB without reading more than that. */
    static byte[] body(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        try {
            var in = ctx.req().getInputStream();
            if (declared > MAX_BODY_BYTES) {
                throw tooLarge(in, declared);
            }
            var bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                throw tooLarge(in, declared);
            }
            if (declared >= 0 && bytes.length < declared) {
                throw truncated();
            }
            return bytes;
        } catch (IOException e) {
            // The client stopped sending (or closed) before the body was whole: its mistake, not a fault of ours.
            throw truncated();
        }
    }

    /**
     * A client that is still sending when the 413 goes out may see a broken pipe instead of the answer; so a
     * body that is not much too large is read and dropped first. A huge one is not: the connection closes.
     */
    private static Refused tooLarge(java.io.InputStream in, long declared) throws IOException {
        if (declared <= DRAIN_LIMIT) {
            long left = DRAIN_LIMIT;
            long skipped;
            while (left > 0 && (skipped = in.skip(left)) > 0) {
                left -= skipped;
            }
        }
        return tooLarge();
    }

    private static Refused truncated() {
        return new Refused(ErrorCode.INVALID_REQUEST, "the body ended before its Content-Length");
    }

    private static Refused tooLarge() {
        return new Refused(ErrorCode.TOO_LARGE, "the body is larger than " + MAX_BODY_BYTES / 1024 + " KiB");
    }

    static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new Refused(ErrorCode.INVALID_REQUEST, "the body is not valid UTF-8");
        }
    }

    /**
     * The message in a {@code text/plain} body, without the line end that {@code echo} or a file leaves. Only
     * spaces, tabs and line ends go: {@link String#stripTrailing()} would also drop control characters such as
     * U+001F, which must be refused instead.
     */
    static String plainText(byte[] body) {
        var text = utf8(body);
        int end = text.length();
        while (end > 0 && " \t\r\n".indexOf(text.charAt(end - 1)) >= 0) {
            end--;
        }
        return text.substring(0, end);
    }

    /** A whole-number query parameter within {@code [min, max]}, or the default when absent. */
    static long number(Context ctx, String name, long fallback, long min, long max) {
        var raw = ctx.queryParam(name);
        return raw == null ? fallback : number(raw, name, min, max);
    }

    static long number(String raw, String name, long min, long max) {
        if (!DIGITS.matcher(raw).matches()) {
            throw new Refused(ErrorCode.INVALID_REQUEST, name + " must be a whole number from " + min + " to " + max);
        }
        long value;
        try {
            value = Long.parseLong(raw);
        } catch (NumberFormatException e) {
            // Nineteen digits can exceed a long; that is simply out of range.
            throw outOfRange(name, min, max);
        }
        if (value < min || value > max) {
            throw outOfRange(name, min, max);
        }
        return value;
    }

    private static Refused outOfRange(String name, long min, long max) {
        return new Refused(ErrorCode.INVALID_REQUEST, name + " must be from " + min + " to " + max);
    }

    static String room(Context ctx) {
        return Names.roomName(ctx.pathParam("room")).orElseThrow(() -> new Refused(ErrorCode.INVALID_ROOM,
                "room names are 1 to 64 characters of a-z 0-9 _ - and start with a letter or digit"));
    }
}
