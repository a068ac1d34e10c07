package io.consolechat.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * HTTP/1.1 over a plain socket, for requests that {@link java.net.http.HttpClient} refuses to send: broken
 * request lines, raw bytes in paths and headers, contradictory framing, requests that stall halfway. Either one
 * request per connection ({@link #exchange}), or a connection kept open to send bytes and watch how the server
 * reacts ({@link #connect}).
 */
public final class RawHttp implements AutoCloseable {
    private static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(10);
    private static final byte[] END_OF_HEAD = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END_OF_LINE = "\r\n".getBytes(StandardCharsets.US_ASCII);

    private final Socket socket;

    private RawHttp(Socket socket) {
        this.socket = socket;
    }

    /** A connection to the server on {@code port} that stays open until closed. */
    public static RawHttp connect(int port) throws IOException {
        return connect(port, DEFAULT_DEADLINE);
    }

    private static RawHttp connect(int port, Duration deadline) throws IOException {
        var socket = new Socket();
        try {
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) deadline.toMillis());
            socket.setSoTimeout((int) deadline.toMillis());
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        return new RawHttp(socket);
    }

    /** What a response carries; {@code streaming} marks a 200 stream whose body was not read, header names are lower case. */
    public record Reply(int status, Map<String, List<String>> headers, byte[] body, boolean streaming) {

        public String header(String name) {
            var values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.getFirst();
        }

        public String contentType() {
            var type = header("content-type");
            return type == null ? "" : type.toLowerCase(Locale.ROOT);
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public static boolean isStreamType(String contentType) {
            return contentType != null && (contentType.startsWith("application/x-ndjson")
                    || contentType.startsWith("text/event-stream"));
        }

        @Override
        public String toString() {
            var text = text();
            return status + " " + contentType() + " " + (text.length() > 300 ? text.substring(0, 300) + "..." : text);
        }
    }

    /** What the server did: a first response, or closed the connection without one. */
    public record Outcome(Optional<Reply> reply, byte[] raw) {
    }

    /**
     * Sends {@code requestHead} (request line and headers, without the blank line) with a Host header and
     * {@code Connection: close}, and reads the answer.
     */
    public static Api.Reply exchange(TestServer server, String requestHead) {
        var head = requestHead + "\r\nHost: " + server.uri().getAuthority() + "\r\nConnection: close\r\n\r\n";
        var outcome = exchange(server.port(), head.getBytes(StandardCharsets.ISO_8859_1), false, DEFAULT_DEADLINE);
        var reply = outcome.reply().orElseThrow(
                () -> new AssertionError("closed without a response: " + printable(outcome.raw())));
        return new Api.Reply(reply.status(), HttpHeaders.of(reply.headers(), (name, value) -> true), reply.text());
    }

    /**
     * Sends {@code request} as given on a new connection, then shuts the output so that the server never waits
     * for more; fails if neither a whole first response nor the end of the connection comes within
     * {@code deadline}.
     */
    public static Outcome exchange(int port, byte[] request, boolean headRequest, Duration deadline) {
        try (var connection = connect(port, deadline)) {
            try {
                connection.socket.getOutputStream().write(request);
                connection.socket.getOutputStream().flush();
                connection.socket.shutdownOutput();
            } catch (IOException e) {
                // The server may answer and close before reading everything (a 431, say): read what it sent.
            }
            return connection.outcome(headRequest, deadline);
        } catch (IOException e) {
            throw new UncheckedIOException("connecting to the server failed", e);
        }
    }

    public RawHttp send(String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        return this;
    }

    /** The next response on this connection; fails if the server closes it without one. */
    public Reply response() throws IOException {
        var outcome = outcome(false, DEFAULT_DEADLINE);
        return outcome.reply().orElseThrow(() -> new IOException("closed after " + printable(outcome.raw())));
    }

    /** How long until the server closes the connection (reads return end of stream), at most {@code limit}. */
    public Duration timeUntilClosed(Duration limit) throws IOException {
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
    public boolean closedWithin(Duration wait) throws IOException {
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

    /** Reads until a whole first response has arrived or the connection ends, within {@code deadline}. */
    private Outcome outcome(boolean headRequest, Duration deadline) throws IOException {
        long end = System.nanoTime() + deadline.toNanos();
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
    }

    /** The first response if it is complete; a 200 stream counts as complete once its head has arrived. */
    private static Optional<Reply> parse(byte[] bytes, boolean headRequest) {
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
            var body = Arrays.copyOfRange(bytes, bodyStart, bodyStart + n);
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
                Arrays.copyOfRange(bytes, h.length(), bytes.length), false));
    }

    private record Head(int status, Map<String, List<String>> headers, int length) {
        static Optional<Head> of(byte[] bytes) {
            int end = indexOf(bytes, END_OF_HEAD, 0);
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
            int lineEnd = indexOf(bytes, END_OF_LINE, pos);
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

    /** Bytes for a failure message: printable ASCII as is, the rest escaped, at most 400 of them. */
    public static String printable(byte[] bytes) {
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
