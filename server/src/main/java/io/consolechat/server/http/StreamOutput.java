package io.consolechat.server.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import org.eclipse.jetty.ee10.servlet.HttpOutput;

/**
 * The lines of one stream on their way to the connection: the lines ready at the same time go out in one
 * write, and a single line, the usual case, as the very array the encoder shared among all streams.
 *
 * <p>Lines are handed to Jetty as a {@link ByteBuffer}, which it writes straight to the connection. A
 * servlet {@code write(byte[])} would copy them into a response buffer that Jetty takes from its pool
 * at the first write and holds until the response ends: 32 KiB per stream, so ten thousand idle
 * streams held 312 MiB, the first post to them spent its time allocating and zeroing that memory, and
 * each later acquisition from the pool scanned past the buffers held.
 */
final class StreamOutput {
    private final OutputStream out;
    private byte[] first;
    private ByteArrayOutputStream joined;

    StreamOutput(OutputStream out) {
        this.out = out;
    }

    void add(byte[] line) {
        if (first == null) {
            first = line;
            return;
        }
        if (joined == null) {
            joined = new ByteArrayOutputStream(first.length * 4);
            joined.writeBytes(first);
        }
        joined.writeBytes(line);
    }

    /** Writes the lines added since the last send, if any. */
    void send() throws IOException {
        if (first == null) {
            return;
        }
        var bytes = joined == null ? first : joined.toByteArray();
        first = null;
        joined = null;
        if (out instanceof HttpOutput jetty) {
            jetty.write(ByteBuffer.wrap(bytes));
        } else {
            out.write(bytes);
            out.flush();
        }
    }

    /**
     * Sends what is left and completes the response (the last chunk) now, while the stream still counts
     * as open: shutdown waits for open streams, and must not cut a response short after its end line.
     */
    void finish() throws IOException {
        send();
        out.close();
    }

    /** Sends the response head if no line has, so that the client knows the stream is open. */
    void open() throws IOException {
        out.flush();
    }
}
