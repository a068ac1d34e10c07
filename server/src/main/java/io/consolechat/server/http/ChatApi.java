package io.consolechat.server.http;

import com.fasterxml.jackson.core.JacksonException;
import io.consolechat.protocol.ErrorCode;
import io.consolechat.protocol.EventType;
import io.consolechat.protocol.Json;
import io.consolechat.protocol.MessageText;
import io.consolechat.protocol.Rooms.Health;
import io.consolechat.protocol.Rooms.Ok;
import io.consolechat.protocol.Rooms.RoomSummary;
import io.consolechat.protocol.Rooms.SendRequest;
import io.consolechat.protocol.Tokens.LoginRequest;
import io.consolechat.server.ApiException;
import io.consolechat.server.auth.Accounts;
import io.consolechat.server.room.Rooms;
import io.consolechat.server.store.Store;
import io.consolechat.server.store.StoreException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.CompletionException;

/** The routes of the HTTP API; each handler reads the request, calls the domain, writes JSON. */
public final class ChatApi {
    private static final int MAX_MEMBERS = 1000;

    private final Json json;
    private final Store store;
    private final Rooms rooms;
    private final Accounts accounts;
    private final Authenticator auth;
    private final RoomStream stream;

    public ChatApi(Json json, Store store, Rooms rooms, Accounts accounts, io.consolechat.server.auth.Tokens tokens,
                   java.time.Clock clock, java.time.Duration keepalive) {
        this.json = json;
        this.store = store;
        this.rooms = rooms;
        this.accounts = accounts;
        this.auth = new Authenticator(tokens, clock);
        this.stream = new RoomStream(store, rooms, json, keepalive);
    }

    public void register(RoutesConfig routes) {
        routes.get("/health", ctx -> send(ctx, 200, new Health("ok")));
        routes.post("/session", ctx -> send(ctx, 200, accounts.anonymous()));
        routes.post("/login", this::login);
        routes.post("/logout", this::logout);
        routes.get("/me", ctx -> send(ctx, 200, auth.require(ctx).user()));
        routes.get("/rooms", this::listRooms);
        routes.get("/room/{room}", this::streamRoom);
        routes.post("/room/{room}", this::sendMessage);
        routes.post("/room/{room}/leave", this::leave);
        routes.get("/room/{room}/members", this::members);
        routes.get("/room/{room}/messages", this::messages);
    }

    private void login(Context ctx) {
        var body = Requests.body(ctx);
        var request = body.length == 0 || isBlank(body) ? new LoginRequest(null, null) : parse(body, LoginRequest.class);
        var response = accounts.login(request.username(), request.password());
        send(ctx, Boolean.TRUE.equals(response.created()) ? 201 : 200, response);
    }

    private void logout(Context ctx) {
        var session = auth.require(ctx);
        store.deleteToken(session.tokenHash());
        ctx.status(204);
    }

    private void listRooms(Context ctx) {
        auth.require(ctx);
        var summaries = store.rooms().stream()
                .map(r -> new RoomSummary(r.name(), rooms.memberCount(r.name()), r.lastSeq(), r.lastActivity()))
                .toList();
        send(ctx, 200, summaries);
    }

    private void streamRoom(Context ctx) throws IOException, InterruptedException {
        var session = auth.require(ctx);
        var request = stream.parse(ctx, Requests.room(ctx));
        stream.serve(ctx, request, session.user());
    }

    private void sendMessage(Context ctx) {
        var session = auth.require(ctx);
        var room = Requests.room(ctx);
        var text = MessageText.normalize(messageText(ctx));
        MessageText.problem(text).ifPresent(problem -> {
            throw new ApiException(problem, switch (problem) {
                case EMPTY_MESSAGE -> "the message is empty";
                case MESSAGE_TOO_LONG -> "messages are at most " + MessageText.MAX_LENGTH + " characters";
                default -> "the message holds control characters (only newline and tab are allowed)";
            });
        });
        try {
            var event = store.append(room, EventType.MESSAGE, session.user(), text).join();
            send(ctx, 201, event);
        } catch (CompletionException e) {
            throw e.getCause() instanceof StoreException se ? se : e;
        }
    }

    private String messageText(Context ctx) {
        // The raw header: the servlet's getContentType() throws on a malformed charset parameter.
        var type = mediaType(ctx.header("Content-Type"));
        var body = Requests.body(ctx);
        return switch (type) {
            case "text/plain" -> Requests.utf8(body).stripTrailing();
            case "", "application/json" -> {
                var request = parse(body, SendRequest.class);
                if (request.text() == null) {
                    throw new ApiException(ErrorCode.INVALID_REQUEST, "the body needs a \"text\" field");
                }
                yield request.text();
            }
            default -> throw new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "send application/json ({\"text\": \"...\"}) or text/plain");
        };
    }

    private void leave(Context ctx) {
        var session = auth.require(ctx);
        rooms.leave(Requests.room(ctx), session.user());
        send(ctx, 200, Ok.OK);
    }

    private void members(Context ctx) {
        auth.require(ctx);
        send(ctx, 200, rooms.members(Requests.room(ctx), MAX_MEMBERS));
    }

    private void messages(Context ctx) {
        auth.require(ctx);
        var room = Requests.room(ctx);
        long before = Requests.number(ctx, "before", Long.MAX_VALUE, 1, Long.MAX_VALUE);
        int limit = (int) Requests.number(ctx, "limit", 50, 0, 500);
        send(ctx, 200, store.eventsBefore(room, before, limit));
    }

    private <T> T parse(byte[] body, Class<T> type) {
        try {
            var value = json.read(body, type);
            if (value == null) {
                throw new ApiException(ErrorCode.INVALID_REQUEST, "the body must be a JSON object");
            }
            return value;
        } catch (JacksonException e) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "the body is not the JSON this endpoint takes");
        } catch (IOException e) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "the body could not be read");
        }
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }

    private static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        var type = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
        return type.strip().toLowerCase(Locale.ROOT);
    }

    private void send(Context ctx, int status, Object body) {
        ctx.status(status).contentType("application/json").result(json.writeBytes(body));
    }
}
