package io.consolechat.server.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One encoded line of a stream, kept framed as an HTTP/1.1 chunk ({@code <hex length>\r\n<line>\r\n}), so
 * that the line of a live event, shared by every stream that writes it, is framed once and not once per
 * stream. A stream to an HTTP/1.0 client, which has no chunks, writes the line alone from the same array.
 */
final class StreamLine {
    private final byte[] chunk;
    private final int head;
    private final int length;

    StreamLine(byte[] line) {
        var size = (Integer.toHexString(line.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        this.head = size.length;
        this.length = line.length;
        this.chunk = new byte[head + length + 2];
        System.arraycopy(size, 0, chunk, 0, head);
        System.arraycopy(line, 0, chunk, head, length);
        chunk[head + length] = '\r';
        chunk[head + length + 1] = '\n';
    }

    /** The bytes this line takes on the wire: framed as a chunk, or alone. */
    int size(boolean chunked) {
        return chunked ? chunk.length : length;
    }

    /** A buffer of its own over the shared bytes, ready to write. */
    ByteBuffer buffer(boolean chunked) {
        return chunked ? ByteBuffer.wrap(chunk) : ByteBuffer.wrap(chunk, head, length);
    }

    /** The line itself, without the framing. */
    byte[] bytes() {
        var line = new byte[length];
        System.arraycopy(chunk, head, line, 0, length);
        return line;
    }
}
