package io.consolechat.server.limits;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Bytes over a plain socket, for requests no HTTP client would send. */
final class RawHttp implements AutoCloseable {
    private final Socket socket;

    RawHttp(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
    }

    RawHttp send(String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        return this;
    }

    /** One response: status line and headers, then a body of its Content-Length. */
    Response response() throws IOException {
        var in = socket.getInputStream();
        var head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after " + head);
            }
            head.write(b);
        }
        var headers = head.toString(StandardCharsets.ISO_8859_1);
        int status = Integer.parseInt(headers.substring(9, 12));
        int length = 0;
        for (var line : headers.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        var body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
        return new Response(status, headers, body);
    }

    record Response(int status, String headers, String body) {
    }

    /** How long until the server closes the connection (reads return end of stream), at most {@code limit}. */
    Duration timeUntilClosed(Duration limit) throws IOException {
        long start = System.nanoTime();
        socket.setSoTimeout((int) limit.toMillis());
        InputStream in = socket.getInputStream();
        try {
            while (in.read() >= 0) {
                // Anything the server says before it closes does not matter here.
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server kept the connection open for " + limit);
        } catch (IOException e) {
            // A reset is a close too.
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** Whether the server closes the connection within {@code wait}; waiting is also the caller's pacing. */
    boolean closedWithin(Duration wait) throws IOException {
        socket.setSoTimeout((int) Math.max(1, wait.toMillis()));
        try {
            return socket.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
