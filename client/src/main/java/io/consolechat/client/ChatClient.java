package io.consolechat.client;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.consolechat.protocol.ErrorBody;
import io.consolechat.protocol.Event;
import io.consolechat.protocol.Json;
import io.consolechat.protocol.Rooms.Access;
import io.consolechat.protocol.Rooms.BanRequest;
import io.consolechat.protocol.Rooms.JoinRequest;
import io.consolechat.protocol.Rooms.KickRequest;
import io.consolechat.protocol.Rooms.RoomInfo;
import io.consolechat.protocol.Rooms.RoomRequest;
import io.consolechat.protocol.Rooms.RoomSummary;
import io.consolechat.protocol.Rooms.UserRequest;
import io.consolechat.protocol.StreamItem;
import io.consolechat.protocol.Rooms.SendRequest;
import io.consolechat.protocol.Tokens.LoginRequest;
import io.consolechat.protocol.Tokens.TokenResponse;
import io.consolechat.protocol.User;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;

/**
 * The HTTP API of a console-chat server, one method per endpoint. Stateless about who is logged in:
 * every authenticated call takes the token. Errors come out as {@link ApiError} (the server said no)
 * or {@link Unreachable} (no answer).
 */
public final class ChatClient {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final ServerAddress server;
    private final HttpClient http;
    private final Json json;
    /** Which of the address's servers requests go to first: the one that answered last. */
    private final AtomicInteger current = new AtomicInteger();

    public ChatClient(ServerAddress server, HttpClient http, Json json) {
        this.server = server;
        this.http = http;
        this.json = json;
    }

    /** A client for {@code server}; with {@code insecure}, any TLS certificate and host name is accepted. */
    public static ChatClient create(ServerAddress server, boolean insecure) {
        return create(server, insecure, new Json());
    }

    /** As {@link #create(ServerAddress, boolean)}, sharing a codec (building one costs start-up time). */
    public static ChatClient create(ServerAddress server, boolean insecure, Json json) {
        var builder = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                // HTTP/1.1: no h2c upgrade round trip, and a stream is one plain chunked response.
                .version(HttpClient.Version.HTTP_1_1);
        if (insecure) {
            builder.sslContext(TrustEverything.sslContext());
        }
        return new ChatClient(server, builder.build(), json);
    }

    public ServerAddress server() {
        return server;
    }

    public Json json() {
        return json;
    }

    /** {@code POST /session}: a new anonymous user. */
    public TokenResponse session() {
        return call(request("session", null).POST(HttpRequest.BodyPublishers.noBody()), TokenResponse.class);
    }

    /**
     * {@code POST /login}: a name alone is a temporary user, a name and a password a registered one
     * (created when the name is free; then {@code created} is true).
     */
    public TokenResponse login(String username, String password) {
        var body = json.writeBytes(new LoginRequest(username, password == null || password.isEmpty() ? null : password));
        return call(jsonRequest("login", null, body), TokenResponse.class);
    }

    /** {@code POST /logout}: revokes the token at once. */
    public void logout(String token) {
        call(request("logout", token).POST(HttpRequest.BodyPublishers.noBody()), Void.class);
    }

    public User me(String token) {
        return call(request("me", token).GET(), User.class);
    }

    /** {@code POST /room/{room}}: returns once the message is stored, with its sequence number. */
    public Event send(String token, String room, String text) {
        return send(token, room, text, false, UUID.randomUUID());
    }

    /**
     * {@code POST /room/{room}} of a message or an action ({@code /me}), with an {@code Idempotency-Key}:
     * send every retry of one line with the same key, so that a server that keeps keys stores it once.
     */
    public Event send(String token, String room, String text, boolean action, UUID key) {
        var body = json.writeBytes(new SendRequest(text, action ? Boolean.TRUE : null));
        return call(jsonRequest(roomPath(room), token, body).header("Idempotency-Key", key.toString()), Event.class);
    }

    public void leave(String token, String room) {
        call(request(roomPath(room) + "/leave", token).POST(HttpRequest.BodyPublishers.noBody()), Void.class);
    }

    public List<User> members(String token, String room) {
        return call(request(roomPath(room) + "/members", token).GET(), new TypeReference<List<User>>() { });
    }

    /** {@code GET /room/{room}/messages}: the last {@code limit} events before {@code before} (else the newest). */
    public List<Event> messages(String token, String room, OptionalLong before, int limit) {
        var query = "?limit=" + limit + (before.isPresent() ? "&before=" + before.getAsLong() : "");
        return call(request(roomPath(room) + "/messages" + query, token).GET(), new TypeReference<List<Event>>() { });
    }

    /**
     * {@code GET /dm/{user}/messages}: the last {@code limit} events of the caller's conversation with
     * {@code user} before {@code before} (else the newest).
     */
    public List<Event> conversationMessages(String token, String user, OptionalLong before, int limit) {
        var query = "?limit=" + limit + (before.isPresent() ? "&before=" + before.getAsLong() : "");
        return call(request("dm/" + pathSegment(user) + "/messages" + query, token).GET(),
                new TypeReference<List<Event>>() { });
    }

    public List<RoomSummary> rooms(String token) {
        return call(request("rooms", token).GET(), new TypeReference<List<RoomSummary>>() { });
    }

    /**
     * Opens {@code GET /room/{room}}: events from {@code cursor} on, then live ones, until the server
     * ends the response after {@code timeoutSeconds} with its end line.
     */
    public EventStream stream(String token, String room, Cursor cursor, int timeoutSeconds) {
        // The request timeout covers the wait for the headers only; the body may last the whole poll.
        return open(request(roomPath(room) + "?timeout=" + timeoutSeconds + "&" + cursor.query(), token)
                .timeout(REQUEST_TIMEOUT));
    }

    /**
     * Sends the request to the server that answered last; when that one cannot be connected to or answers
     * 503 (nothing was stored), to the next of the address's servers, once each. A request that reached a
     * server and then failed is not sent elsewhere: it may have been stored there.
     */
    private <T> HttpResponse<T> sendToAnyServer(HttpRequest.Builder request, HttpResponse.BodyHandler<T> body)
            throws IOException, InterruptedException {
        var bases = server.bases();
        var uri = request.build().uri();
        int first = 0;
        while (first < bases.size() - 1 && !uri.toString().startsWith(bases.get(first).toString())) {
            first++;
        }
        var path = bases.get(first).relativize(uri).toString();
        IOException failure = null;
        for (int i = 0; i < bases.size(); i++) {
            int index = (first + i) % bases.size();
            HttpResponse<T> response;
            try {
                response = http.send(request.uri(bases.get(index).resolve(path)).build(), body);
            } catch (IOException e) {
                if (!notConnected(e)) {
                    throw e;
                }
                failure = e;
                continue;
            }
            if (response.statusCode() == 503 && i + 1 < bases.size()) {
                if (response.body() instanceof AutoCloseable open) {
                    closeQuietly(open);
                }
                continue;
            }
            current.set(index);
            return response;
        }
        throw failure;
    }

    /** A failure before the request reached a server: sending it to another one cannot store it twice. */
    private static boolean notConnected(IOException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException || cause instanceof HttpConnectTimeoutException
                    || cause instanceof UnresolvedAddressException || cause instanceof UnknownHostException) {
                return true;
            }
        }
        return false;
    }

    private static void closeQuietly(AutoCloseable open) {
        try {
            open.close();
        } catch (Exception e) {
            // A 503's body that we do not read.
        }
    }

    /**
     * {@code POST /dm/{user}}: a direct message or action to {@code user}, with an {@code Idempotency-Key}
     * as for a room. The answer is the stored event, whose room is the conversation ({@code dm:a:b}).
     */
    public Event sendDirect(String token, String user, String text, boolean action, UUID key) {
        var body = json.writeBytes(new SendRequest(text, action ? Boolean.TRUE : null));
        return call(jsonRequest("dm/" + pathSegment(user), token, body).header("Idempotency-Key", key.toString()),
                Event.class);
    }

    /**
     * The cursor of the caller's personal stream now (the id of its newest item, 0 for none): a stream
     * opened from it brings only what comes next.
     */
    public long personalCursor(String token) {
        try (var stream = personalEvents(token)) {
            StreamItem item;
            while ((item = stream.next()) != null) {
                if (item instanceof StreamItem.End end) {
                    return end.since();
                }
            }
            throw new Unreachable("the personal stream broke off", null);
        }
    }

    private EventStream personalEvents(String token) {
        return open(request("me/events?timeout=0&history=0", token));
    }

    /**
     * Opens {@code GET /stream}: each room of {@code rooms} from its cursor (a negative one: its last
     * {@code history} events), and the personal stream after {@code me}, until the server ends the response
     * after {@code timeoutSeconds} with the end line that carries every cursor.
     */
    public EventStream streamAll(String token, java.util.Map<String, Long> rooms, long me, int history,
                                 int timeoutSeconds) {
        var listed = new StringBuilder();
        rooms.forEach((room, seq) -> {
            listed.append(listed.isEmpty() ? "" : ",").append(pathSegment(room));
            if (seq >= 0) {
                listed.append(':').append(seq);
            }
        });
        var query = "stream?timeout=" + timeoutSeconds + "&history=" + history + "&me=" + me
                + (listed.isEmpty() ? "" : "&rooms=" + listed);
        return open(request(query, token));
    }

    /** {@code GET /room/{room}/info}: owner, operators, access, topic. */
    public RoomInfo info(String token, String room) {
        return call(request(roomPath(room) + "/info", token).GET(), RoomInfo.class);
    }

    /** {@code PUT /room/{room}}: claims the room, or changes what is given (null fields stay as they are). */
    public RoomInfo configure(String token, String room, Access access, String key, String topic) {
        var body = json.writeBytes(new RoomRequest(access, key, topic));
        return call(request(roomPath(room), token).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)), RoomInfo.class);
    }

    /** {@code POST /room/{room}/join}: membership of a room that needs a key or an invitation. */
    public void join(String token, String room, String key) {
        call(jsonRequest(roomPath(room) + "/join", token, json.writeBytes(new JoinRequest(key))), Void.class);
    }

    /** {@code POST /room/{room}/invites}. */
    public void invite(String token, String room, String user) {
        call(jsonRequest(roomPath(room) + "/invites", token, json.writeBytes(new UserRequest(user))), Void.class);
    }

    /** {@code POST /room/{room}/operators}. */
    public void addOperator(String token, String room, String user) {
        call(jsonRequest(roomPath(room) + "/operators", token, json.writeBytes(new UserRequest(user))), Void.class);
    }

    /** {@code DELETE /room/{room}/operators/{user}}. */
    public void removeOperator(String token, String room, String user) {
        call(request(roomPath(room) + "/operators/" + pathSegment(user), token).DELETE(), Void.class);
    }

    /** {@code POST /room/{room}/kick}: the kick event. */
    public Event kick(String token, String room, String user, String reason) {
        return call(jsonRequest(roomPath(room) + "/kick", token, json.writeBytes(new KickRequest(user, reason))),
                Event.class);
    }

    /** {@code POST /room/{room}/bans}; no {@code minutes}: until lifted. The ban event. */
    public Event ban(String token, String room, String user, Long minutes, String reason) {
        return call(jsonRequest(roomPath(room) + "/bans", token, json.writeBytes(new BanRequest(user, minutes, reason))),
                Event.class);
    }

    /** {@code DELETE /room/{room}/messages/{seq}}: the delete event. */
    public Event delete(String token, String room, long seq) {
        return call(request(roomPath(room) + "/messages/" + seq, token).DELETE(), Event.class);
    }

    /** Sends a streaming request; the open stream on 200, the server's error otherwise. */
    private EventStream open(HttpRequest.Builder builder) {
        var request = builder.header("Accept", "application/x-ndjson").GET();
        HttpResponse<InputStream> response;
        try {
            response = sendToAnyServer(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable("interrupted", e);
        }
        if (response.statusCode() != 200) {
            try (var body = response.body()) {
                throw error(response.statusCode(), response.headers(), body.readNBytes(64 * 1024));
            } catch (IOException e) {
                throw unreachable(e);
            }
        }
        return new EventStream(response.body(), json);
    }

    /** A user or room name as one path segment: anything but name characters is percent-encoded. */
    static String pathSegment(String name) {
        return roomPath(name).substring("room/".length());
    }

    private HttpRequest.Builder request(String path, String token) {
        var builder = HttpRequest.newBuilder(server.bases().get(current.get()).resolve(path)).timeout(REQUEST_TIMEOUT);
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private HttpRequest.Builder jsonRequest(String path, String token, byte[] body) {
        return request(path, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    }

    private <T> T call(HttpRequest.Builder request, Class<T> type) {
        var body = exchange(request);
        if (type == Void.class) {
            return null;
        }
        try {
            return json.read(body, type);
        } catch (IOException | RuntimeException e) {
            throw badResponse();
        }
    }

    private <T> T call(HttpRequest.Builder request, TypeReference<T> type) {
        var body = exchange(request);
        try {
            return json.mapper().readValue(body, type);
        } catch (IOException | RuntimeException e) {
            throw badResponse();
        }
    }

    /** Sends the request; returns the body of a 2xx answer, throws the server's error otherwise. */
    private byte[] exchange(HttpRequest.Builder request) {
        try {
            var response = sendToAnyServer(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() / 100 != 2) {
                throw error(response.statusCode(), response.headers(), response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable("interrupted", e);
        }
    }

    private ApiError error(int status, java.net.http.HttpHeaders headers, byte[] body) {
        var retryAfter = headers.firstValue("Retry-After")
                .filter(value -> value.matches("[0-9]{1,6}"))
                .map(value -> java.time.Duration.ofSeconds(Long.parseLong(value)))
                .orElse(null);
        try {
            var error = json.read(body, ErrorBody.class);
            if (error != null && error.error() != null) {
                var message = error.message() == null || error.message().isBlank() ? error.error() : error.message();
                return new ApiError(status, error.error(), message, retryAfter);
            }
        } catch (JacksonException e) {
            // Not our JSON: a proxy's error page, or not a console-chat server at all.
        } catch (IOException e) {
            // Same.
        }
        return new ApiError(status, ApiError.BAD_RESPONSE,
                "HTTP " + status + " from " + server + " without a console-chat error (is this a console-chat server?)");
    }

    private ApiError badResponse() {
        return new ApiError(200, ApiError.BAD_RESPONSE,
                "the answer of " + server + " is not what the console-chat API sends (is this a console-chat server?)");
    }

    private Unreachable unreachable(IOException e) {
        return new Unreachable("cannot reach " + server + ": " + describe(e), e);
    }

    /** A short reason for a network failure; the JDK's exceptions often carry no message at all. */
    static String describe(Throwable e) {
        for (var cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof HttpConnectTimeoutException) {
                return "connection timed out";
            }
            if (cause instanceof HttpTimeoutException) {
                return "no answer in time";
            }
            if (cause instanceof UnresolvedAddressException || cause instanceof UnknownHostException) {
                return "unknown host";
            }
            if (cause instanceof SSLException) {
                return "TLS failed (" + cause.getMessage() + "); --insecure accepts a self-signed certificate";
            }
            if (cause instanceof ConnectException) {
                return "connection refused";
            }
        }
        return e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** A room name as one path segment: anything but the room-name characters is percent-encoded. */
    static String roomPath(String room) {
        var out = new StringBuilder("room/");
        for (byte b : room.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
                out.append((char) c);
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }
}
