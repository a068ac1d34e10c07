package io.consolechat.server.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * HTTP/1.1 over a plain socket, for requests that {@link java.net.http.HttpClient} refuses to send: broken
 * request lines, raw bytes in paths and headers, contradictory framing. The request is written as given,
 * then the socket's output is shut so that the server never waits for more; the first response is parsed.
 */
final class RawHttp {
    private final int port;

    RawHttp(int port) {
        this.port = port;
    }

    /** What the server did: a first response, or closed the connection without one. */
    record Outcome(Optional<Reply> reply, byte[] raw) {
    }

    /** Sends {@code request}; fails if neither a whole response nor the end of the connection comes in time. */
    Outcome exchange(byte[] request, boolean headRequest, Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) deadline.toMillis());
            try {
                socket.getOutputStream().write(request);
                socket.getOutputStream().flush();
                socket.shutdownOutput();
            } catch (IOException e) {
                // The server may answer and close before reading everything (a 431, say): read what it sent.
            }
            var in = socket.getInputStream();
            var received = new ByteArrayOutputStream();
            var chunk = new byte[8192];
            while (true) {
                var reply = parse(received.toByteArray(), headRequest);
                if (reply.isPresent()) {
                    return new Outcome(reply, received.toByteArray());
                }
                long left = end - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no response within " + deadline + "; got so far: "
                            + printable(received.toByteArray()));
                }
                socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
                int n;
                try {
                    n = in.read(chunk);
                } catch (SocketTimeoutException e) {
                    continue;
                } catch (IOException e) {
                    n = -1; // reset by the server: same as a close for our purposes
                }
                if (n < 0) {
                    return new Outcome(parseUntilClose(received.toByteArray()), received.toByteArray());
                }
                received.write(chunk, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("connecting to the server failed", e);
        }
    }

    /** The first response if it is complete; a 200 stream counts as complete once its head has arrived. */
    static Optional<Reply> parse(byte[] bytes, boolean headRequest) {
        var head = Head.of(bytes);
        if (head.isEmpty()) {
            return Optional.empty();
        }
        var h = head.get();
        int bodyStart = h.length();
        if (h.status() / 100 == 1 || h.status() == 204 || h.status() == 304 || headRequest) {
            return Optional.of(new Reply(h.status(), h.headers(), new byte[0], false));
        }
        var type = first(h.headers(), "content-type");
        if (h.status() == 200 && Reply.isStreamType(type == null ? null : type.toLowerCase(Locale.ROOT))) {
            return Optional.of(new Reply(h.status(), h.headers(), new byte[0], true));
        }
        var encoding = first(h.headers(), "transfer-encoding");
        if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
            return dechunk(bytes, bodyStart).map(body -> new Reply(h.status(), h.headers(), body, false));
        }
        var length = first(h.headers(), "content-length");
        if (length != null) {
            int n = Integer.parseInt(length.strip());
            if (bytes.length - bodyStart < n) {
                return Optional.empty();
            }
            var body = java.util.Arrays.copyOfRange(bytes, bodyStart, bodyStart + n);
            return Optional.of(new Reply(h.status(), h.headers(), body, false));
        }
        return Optional.empty(); // the body runs to the end of the connection
    }

    private static Optional<Reply> parseUntilClose(byte[] bytes) {
        var complete = parse(bytes, false);
        if (complete.isPresent()) {
            return complete;
        }
        return Head.of(bytes).map(h -> new Reply(h.status(), h.headers(),
                java.util.Arrays.copyOfRange(bytes, h.length(), bytes.length), false));
    }

    private record Head(int status, Map<String, List<String>> headers, int length) {
        static Optional<Head> of(byte[] bytes) {
            int end = indexOf(bytes, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0);
            if (end < 0) {
                return Optional.empty();
            }
            var lines = new String(bytes, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
            var statusLine = lines[0].split(" ", 3);
            if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
                throw new AssertionError("not an HTTP/1.x response: " + lines[0]);
            }
            var headers = new LinkedHashMap<String, List<String>>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.computeIfAbsent(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
                            k -> new ArrayList<>()).add(lines[i].substring(colon + 1).strip());
                }
            }
            return Optional.of(new Head(Integer.parseInt(statusLine[1]), headers, end + 4));
        }
    }

    private static Optional<byte[]> dechunk(byte[] bytes, int start) {
        var body = new ByteArrayOutputStream();
        int pos = start;
        while (true) {
            int lineEnd = indexOf(bytes, new byte[] {'\r', '\n'}, pos);
            if (lineEnd < 0) {
                return Optional.empty();
            }
            var sizeText = new String(bytes, pos, lineEnd - pos, StandardCharsets.US_ASCII);
            int semicolon = sizeText.indexOf(';');
            int size = Integer.parseInt((semicolon < 0 ? sizeText : sizeText.substring(0, semicolon)).strip(), 16);
            pos = lineEnd + 2;
            if (size == 0) {
                return Optional.of(body.toByteArray());
            }
            if (bytes.length < pos + size + 2) {
                return Optional.empty();
            }
            body.write(bytes, pos, size);
            pos += size + 2;
        }
    }

    private static String first(Map<String, List<String>> headers, String name) {
        var values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    private static int indexOf(byte[] bytes, byte[] pattern, int from) {
        outer:
        for (int i = from; i <= bytes.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (bytes[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static String printable(byte[] bytes) {
        var text = new StringBuilder();
        for (int i = 0; i < Math.min(bytes.length, 400); i++) {
            int b = bytes[i] & 0xff;
            if (b >= 0x20 && b < 0x7f) {
                text.append((char) b);
            } else if (b == '\r') {
                text.append("\\r");
            } else if (b == '\n') {
                text.append("\\n");
            } else {
                text.append(String.format("\\x%02x", b));
            }
        }
        return bytes.length > 400 ? text + "...(" + bytes.length + " bytes)" : text.toString();
    }
}
