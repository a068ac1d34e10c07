package io.consolechat.bench;

import io.consolechat.protocol.Json;
import io.consolechat.protocol.Tokens.LoginRequest;
import io.consolechat.protocol.Tokens.TokenResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The API calls the workloads make, over one keep-alive connection. */
final class ChatCalls implements AutoCloseable {
    private final HttpConnection http;
    private final Json json;

    ChatCalls(InetSocketAddress server, InetAddress local, Json json) {
        this.http = new HttpConnection(server, local);
        this.json = json;
    }

    /** {@code POST /session}: the response, with the token on 200. */
    HttpConnection.Response session() throws IOException {
        return http.post("/session", null, null, new byte[0]);
    }

    HttpConnection.Response login(String username, String password) throws IOException {
        return http.post("/login", null, "application/json", json.writeBytes(new LoginRequest(username, password)));
    }

    /** {@code POST /room/{room}} with a text/plain body; 201 once the event is durable. */
    HttpConnection.Response send(String room, String token, String text) throws IOException {
        return http.post("/room/" + URLEncoder.encode(room, StandardCharsets.UTF_8), token,
                "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    String token(HttpConnection.Response response) throws IOException {
        return json.read(response.body(), TokenResponse.class).token();
    }

    @Override
    public void close() {
        http.close();
    }
}
