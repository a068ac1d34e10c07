package io.consolechat.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * One listener: a {@code GET /room/{room}} whose chunked NDJSON response is parsed as it arrives, and
 * which polls again with {@code since} when the response ends. Driven by {@link StreamListeners}' loop
 * thread only, so nothing here is synchronized.
 */
final class StreamListener {
    enum State { IDLE, CONNECTING, HEAD, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILER, PLAIN_BODY }

    final int id;
    final String token;
    final String room;
    final InetAddress local;
    final ReceivedMessages received;

    State state = State.IDLE;
    SocketChannel channel;
    ByteBuffer pendingWrite;
    boolean opened;
    long retryAtNanos;
    /** The last sequence number seen, -1 before the first; the {@code since} of the next poll. */
    long lastSeq = -1;
    long seqRegressions;
    long polls;
    long errors;

    private final byte[] head = new byte[4096];
    private int headLength;
    private int status;
    private boolean closeAfter;
    private boolean chunked;
    private long remaining;
    private final StringBuilder sizeLine = new StringBuilder();
    private byte[] line = new byte[512];
    private int lineLength;

    StreamListener(int id, String token, String room, InetAddress local, int senders) {
        this.id = id;
        this.token = token;
        this.room = room;
        this.local = local;
        this.received = new ReceivedMessages(senders);
    }

    ByteBuffer request(String hostHeader, int timeoutSeconds) {
        var query = "timeout=" + timeoutSeconds + (lastSeq < 0 ? "&history=0" : "&since=" + lastSeq);
        var text = "GET /room/" + room + "?" + query + " HTTP/1.1\r\nHost: " + hostHeader
                + "\r\nAuthorization: Bearer " + token + "\r\nAccept: application/x-ndjson\r\n\r\n";
        state = State.HEAD;
        headLength = 0;
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    }

    /** What the bytes just read completed, for the loop to act on. */
    enum Progress { MORE, HEADERS_OK, HEADERS_FAILED, RESPONSE_DONE }

    interface Lines {
        void line(StreamListener listener, byte[] bytes, int offset, int length, long nowNanos);
    }

    /**
     * Consumes {@code length} bytes; stops early at the end of the status/headers or of the response and
     * returns how many bytes were used in {@code used[0]}.
     */
    Progress feed(byte[] bytes, int offset, int length, long nowNanos, Lines lines, int[] used) throws IOException {
        int i = offset;
        int end = offset + length;
        try {
            while (i < end) {
                switch (state) {
                    case HEAD -> {
                        if (headLength == head.length) {
                            throw new IOException("response head too long");
                        }
                        head[headLength++] = bytes[i++];
                        if (headLength >= 4 && head[headLength - 1] == '\n' && head[headLength - 2] == '\r'
                                && head[headLength - 3] == '\n' && head[headLength - 4] == '\r') {
                            return parseHead() ? Progress.HEADERS_OK : Progress.HEADERS_FAILED;
                        }
                    }
                    case CHUNK_SIZE -> {
                        byte c = bytes[i++];
                        if (c == '\n') {
                            var text = sizeLine.toString();
                            int semicolon = text.indexOf(';');
                            remaining = Long.parseLong((semicolon < 0 ? text : text.substring(0, semicolon)).strip(), 16);
                            sizeLine.setLength(0);
                            state = remaining == 0 ? State.TRAILER : State.CHUNK_DATA;
                        } else if (c != '\r') {
                            sizeLine.append((char) c);
                        }
                    }
                    case CHUNK_DATA -> {
                        int n = (int) Math.min(remaining, end - i);
                        body(bytes, i, n, nowNanos, lines);
                        i += n;
                        remaining -= n;
                        if (remaining == 0) {
                            state = State.CHUNK_END;
                        }
                    }
                    case CHUNK_END -> {
                        if (bytes[i++] == '\n') {
                            state = State.CHUNK_SIZE;
                        }
                    }
                    case TRAILER -> {
                        byte c = bytes[i++];
                        if (c == '\n') {
                            if (sizeLine.isEmpty()) {
                                state = State.IDLE;
                                return Progress.RESPONSE_DONE;
                            }
                            sizeLine.setLength(0);
                        } else if (c != '\r') {
                            sizeLine.append((char) c);
                        }
                    }
                    case PLAIN_BODY -> {
                        int n = (int) Math.min(remaining, end - i);
                        i += n;
                        remaining -= n;
                        if (remaining == 0) {
                            state = State.IDLE;
                            return Progress.RESPONSE_DONE;
                        }
                    }
                    case IDLE, CONNECTING -> throw new IOException("unexpected bytes from the server");
                }
            }
            return Progress.MORE;
        } finally {
            used[0] = i - offset;
        }
    }

    /** The last response asked to close the connection, or could only end with it. */
    boolean closeAfterResponse() {
        return closeAfter;
    }

    int status() {
        return status;
    }

    private boolean parseHead() throws IOException {
        var text = new String(head, 0, headLength, StandardCharsets.ISO_8859_1);
        var lines = text.split("\r\n");
        var statusParts = lines[0].split(" ", 3);
        if (statusParts.length < 2) {
            throw new IOException("bad status line: " + lines[0]);
        }
        status = Integer.parseInt(statusParts[1]);
        chunked = false;
        closeAfter = false;
        long length = -1;
        for (int k = 1; k < lines.length; k++) {
            int colon = lines[k].indexOf(':');
            if (colon < 0) {
                continue;
            }
            var name = lines[k].substring(0, colon).strip().toLowerCase(Locale.ROOT);
            var value = lines[k].substring(colon + 1).strip().toLowerCase(Locale.ROOT);
            switch (name) {
                case "transfer-encoding" -> chunked = value.contains("chunked");
                case "content-length" -> length = Long.parseLong(value);
                case "connection" -> closeAfter = value.equals("close");
                default -> { }
            }
        }
        lineLength = 0;
        if (chunked) {
            state = State.CHUNK_SIZE;
        } else if (length >= 0) {
            state = State.PLAIN_BODY;
            remaining = length;
        } else {
            // Read until the server closes: treated as a failed poll, the connection is not reused.
            state = State.PLAIN_BODY;
            remaining = Long.MAX_VALUE;
            closeAfter = true;
        }
        return status == 200;
    }

    /** Whether the response just headed has an empty body, so it is already complete. */
    boolean bodyComplete() {
        return state == State.PLAIN_BODY && remaining == 0;
    }

    private void body(byte[] bytes, int offset, int length, long nowNanos, Lines lines) {
        if (status != 200) {
            return;
        }
        int start = offset;
        int end = offset + length;
        for (int k = offset; k < end; k++) {
            if (bytes[k] == '\n') {
                if (lineLength == 0) {
                    lines.line(this, bytes, start, k - start, nowNanos);
                } else {
                    append(bytes, start, k - start);
                    lines.line(this, line, 0, lineLength, nowNanos);
                    lineLength = 0;
                }
                start = k + 1;
            }
        }
        append(bytes, start, end - start);
    }

    private void append(byte[] bytes, int offset, int length) {
        if (lineLength + length > line.length) {
            line = Arrays.copyOf(line, Math.max(line.length * 2, lineLength + length));
        }
        System.arraycopy(bytes, offset, line, lineLength, length);
        lineLength += length;
    }

    /** Forgets a half-read response, after the connection broke. */
    void reset() {
        state = State.IDLE;
        headLength = 0;
        lineLength = 0;
        sizeLine.setLength(0);
        pendingWrite = null;
    }
}
