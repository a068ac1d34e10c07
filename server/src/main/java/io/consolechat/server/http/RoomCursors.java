package io.consolechat.server.http;

import io.consolechat.protocol.ErrorCode;
import io.consolechat.protocol.Names;
import io.consolechat.server.error.Refused;
import io.consolechat.server.room.RoomService.RoomCursor;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * The {@code after} cursor of {@code GET /rooms}: the last activity (epoch milliseconds) and the name of the
 * last room of the previous page, base64url-encoded, so that clients pass it back without reading it.
 */
final class RoomCursors {
    private RoomCursors() {
    }

    static String format(RoomCursor cursor) {
        var raw = cursor.lastActivity().toEpochMilli() + ":" + cursor.name();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor a client passed back, or null for none; anything else is a 400. */
    static RoomCursor parse(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            var raw = new String(Base64.getUrlDecoder().decode(value), StandardCharsets.UTF_8);
            int colon = raw.indexOf(':');
            long millis = Long.parseLong(raw.substring(0, colon));
            var name = Names.roomName(raw.substring(colon + 1)).orElseThrow(IllegalArgumentException::new);
            return new RoomCursor(name, Instant.ofEpochMilli(millis));
        } catch (RuntimeException e) {
            throw new Refused(ErrorCode.INVALID_REQUEST, "after must be a cursor from the Link header of /rooms");
        }
    }
}
