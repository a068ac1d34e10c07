package io.consolechat.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Reads UTF-8 lines from a stream with a cap on their length, so a hostile server cannot exhaust memory. */
final class LineReading {
    private final InputStream in;
    private final int maxBytes;
    private final byte[] buffer = new byte[8192];
    private int position;
    private int limit;

    LineReading(InputStream in, int maxBytes) {
        this.in = in;
        this.maxBytes = maxBytes;
    }

    /** The next line without its line end, or null at the end of the stream. */
    String next() throws IOException {
        var line = new ByteArrayOutputStream(256);
        while (true) {
            if (position == limit) {
                limit = in.read(buffer);
                position = 0;
                if (limit <= 0) {
                    limit = 0;
                    return line.size() == 0 ? null : decode(line);
                }
            }
            int start = position;
            while (position < limit && buffer[position] != '\n') {
                position++;
            }
            line.write(buffer, start, position - start);
            if (line.size() > maxBytes) {
                throw new ApiError(200, ApiError.BAD_RESPONSE, "the server sent a line longer than " + maxBytes + " bytes");
            }
            if (position < limit) {
                position++; // the newline
                return decode(line);
            }
        }
    }

    private static String decode(ByteArrayOutputStream line) {
        var text = line.toString(StandardCharsets.UTF_8);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }
}
