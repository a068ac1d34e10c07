package io.consolechat.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One blocking HTTP/1.1 keep-alive connection, bound to a chosen local address. java.net.http cannot pick
 * the source address, and per-address limits on the server make that matter; this is also lighter.
 * Not thread-safe: one caller at a time (each sender owns one).
 */
final class HttpConnection implements AutoCloseable {
    record Response(int status, byte[] body, String retryAfter) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final InetSocketAddress server;
    private final InetAddress local;
    private final String hostHeader;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    HttpConnection(InetSocketAddress server, InetAddress local) {
        this.server = server;
        this.local = local;
        this.hostHeader = server.getHostString() + ":" + server.getPort();
    }

    Response post(String path, String token, String contentType, byte[] body) throws IOException {
        return request("POST", path, token, contentType, body);
    }

    Response get(String path, String token) throws IOException {
        return request("GET", path, token, null, new byte[0]);
    }

    /** Sends the request; a keep-alive connection the server closed meanwhile is reopened once. */
    Response request(String method, String path, String token, String contentType, byte[] body) throws IOException {
        boolean reused = socket != null;
        try {
            return exchange(method, path, token, contentType, body);
        } catch (IOException e) {
            close();
            if (!reused) {
                throw e;
            }
            return exchange(method, path, token, contentType, body);
        }
    }

    private Response exchange(String method, String path, String token, String contentType, byte[] body)
            throws IOException {
        if (socket == null) {
            connect();
        }
        var head = new StringBuilder(256)
                .append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(hostHeader).append("\r\n");
        if (token != null) {
            head.append("Authorization: Bearer ").append(token).append("\r\n");
        }
        if (contentType != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        if (body.length > 0 || method.equals("POST")) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        return readResponse();
    }

    private void connect() throws IOException {
        var s = new Socket();
        s.setTcpNoDelay(true);
        s.bind(new InetSocketAddress(local, 0));
        s.connect(server, 10_000);
        s.setSoTimeout(60_000);
        socket = s;
        in = new BufferedInputStream(s.getInputStream(), 8192);
        out = s.getOutputStream();
    }

    private Response readResponse() throws IOException {
        var status = readLine();
        if (status.isEmpty()) {
            throw new EOFException("the server closed the connection");
        }
        int code = Integer.parseInt(status.split(" ", 3)[1]);
        long length = -1;
        boolean chunked = false;
        boolean close = false;
        String retryAfter = null;
        for (var line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            var name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            var value = line.substring(colon + 1).strip();
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> close = value.equalsIgnoreCase("close");
                case "retry-after" -> retryAfter = value;
                default -> { }
            }
        }
        byte[] body;
        if (chunked) {
            body = readChunked();
        } else if (length >= 0) {
            body = in.readNBytes((int) length);
        } else {
            body = in.readAllBytes();
            close = true;
        }
        if (close) {
            close();
        }
        return new Response(code, body, retryAfter);
    }

    private byte[] readChunked() throws IOException {
        var body = new ByteArrayOutputStream();
        while (true) {
            var sizeLine = readLine();
            int semicolon = sizeLine.indexOf(';');
            int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).strip(), 16);
            if (size == 0) {
                while (!readLine().isEmpty()) {
                    // trailers, ignored
                }
                return body.toByteArray();
            }
            body.write(in.readNBytes(size));
            readLine();
        }
    }

    private String readLine() throws IOException {
        var line = new StringBuilder();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        if (b == -1 && line.isEmpty()) {
            return "";
        }
        return line.toString();
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
            socket = null;
        }
    }
}
