package io.consolechat.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Requests written byte by byte on a socket, for what {@link java.net.http.HttpClient} refuses to send
 * (a malformed URI, for one). Each request closes its connection.
 */
public final class RawHttp {
    private static final int READ_TIMEOUT_MILLIS = 10_000;

    private RawHttp() {
    }

    /** Sends {@code requestHead} (request line and headers, without the blank line) and reads the answer. */
    public static Api.Reply exchange(TestServer server, String requestHead) {
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress(server.uri().getHost(), server.port()), READ_TIMEOUT_MILLIS);
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            var head = requestHead + "\r\nHost: " + server.uri().getAuthority() + "\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            // Latin-1 maps each byte to one char, so chunk sizes count right; the body is decoded as UTF-8 after.
            return parse(new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Api.Reply parse(String response) {
        int endOfHead = response.indexOf("\r\n\r\n");
        if (endOfHead < 0) {
            throw new AssertionError("not an HTTP response: " + response);
        }
        var lines = response.substring(0, endOfHead).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        var headers = new TreeMap<String, List<String>>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.computeIfAbsent(lines[i].substring(0, colon).strip(), k -> new ArrayList<>())
                    .add(lines[i].substring(colon + 1).strip());
        }
        var body = response.substring(endOfHead + 4);
        if (headers.getOrDefault("Transfer-Encoding", List.of()).contains("chunked")) {
            body = unchunk(body);
        }
        body = new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        return new Api.Reply(status, HttpHeaders.of(headers, (name, value) -> true), body);
    }

    private static String unchunk(String chunked) {
        var body = new StringBuilder();
        int at = 0;
        while (true) {
            int lineEnd = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, lineEnd).split(";")[0].strip(), 16);
            if (size == 0) {
                return body.toString();
            }
            body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
    }
}
