package io.consolechat.server.testing;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A stream request on a plain socket whose receive buffer is small, read only when the test chooses: a
 * client that stops reading, or one reading line by line with little memory (a thousand of them fit in a
 * test). The body is decoded from chunks as it is read.
 */
public final class RawStream implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private int status;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private BufferedReader body;

    private RawStream(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 1024);
    }

    /** Sends {@code GET pathAndQuery} with the token; the receive buffer is {@code receiveBuffer} bytes. */
    public static RawStream open(TestServer server, String pathAndQuery, String token, int receiveBuffer)
            throws IOException {
        var socket = new Socket();
        socket.setReceiveBufferSize(receiveBuffer);
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
        socket.getOutputStream().write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: Bearer " + token + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return new RawStream(socket);
    }

    /** Reads the response head (waiting up to {@code timeoutMillis}); returns the status. */
    public int readHead(int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        var head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before the end of the response head");
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        var lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        status = Integer.parseInt(lines[0].split(" ")[1]);
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
            }
        }
        boolean chunked = "chunked".equalsIgnoreCase(headers.get("transfer-encoding"));
        InputStream content = chunked ? new Chunks(in) : in;
        if (headers.containsKey("content-length")) {
            content = new BoundedInput(in, Long.parseLong(headers.get("content-length")));
        }
        body = new BufferedReader(new InputStreamReader(content, StandardCharsets.UTF_8), 1024);
        return status;
    }

    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** The next line of the body, or null at its end; waits up to {@code timeoutMillis} (0: for ever). */
    public String nextLine(int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        return body.readLine();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** A chunked body, decoded as it is read; ends at the last chunk. */
    private static final class Chunks extends InputStream {
        private final InputStream in;
        private long left;
        private boolean done;

        Chunks(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            var one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (left == 0) {
                var size = line();
                if (size.isEmpty()) {
                    size = line(); // the CRLF after the previous chunk
                }
                left = Long.parseLong(size.split(";")[0].strip(), 16);
                if (left == 0) {
                    done = true;
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                done = true;
                return -1;
            }
            left -= n;
            return n;
        }

        private String line() throws IOException {
            var text = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0 && c != '\n') {
                if (c != '\r') {
                    text.append((char) c);
                }
            }
            if (c < 0) {
                throw new IOException("the connection ended inside the chunked body");
            }
            return text.toString();
        }
    }

    private static final class BoundedInput extends InputStream {
        private final InputStream in;
        private long left;

        BoundedInput(InputStream in, long length) {
            this.in = in;
            this.left = length;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = in.read();
            left--;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }
}
