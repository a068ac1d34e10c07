package io.consolechat.server.http;

import com.fasterxml.jackson.core.JacksonException;
import io.consolechat.protocol.ErrorCode;
import io.consolechat.protocol.Json;
import io.consolechat.protocol.MessageText;
import io.consolechat.protocol.Rooms.Health;
import io.consolechat.protocol.Rooms.Ok;
import io.consolechat.protocol.Rooms.SendRequest;
import io.consolechat.protocol.Tokens.LoginRequest;
import io.consolechat.server.auth.Accounts;
import io.consolechat.server.auth.BearerTokens;
import io.consolechat.server.error.Refused;
import io.consolechat.server.room.RoomService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

/** The routes of the HTTP API; each handler reads the request, calls the domain, writes JSON. */
public final class ChatApi {
    private static final int MAX_MEMBERS = 1000;
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final int DEFAULT_ROOMS = 100;
    private static final int MAX_ROOMS = 500;

    private final Json json;
    private final RoomService rooms;
    private final Accounts accounts;
    private final Authenticator auth;
    private final BearerTokens tokens;
    private final RoomStream stream;
    private final Guards guards;

    public ChatApi(Json json, RoomService rooms, Accounts accounts, BearerTokens tokens, Clock clock,
                   Duration keepalive, Guards guards) {
        this.json = json;
        this.rooms = rooms;
        this.accounts = accounts;
        this.auth = new Authenticator(tokens, clock);
        this.tokens = tokens;
        this.stream = new RoomStream(rooms, json, keepalive);
        this.guards = guards;
    }

    public void register(RoutesConfig routes) {
        routes.get("/health", ctx -> send(ctx, 200, new Health("ok")));
        routes.post("/session", ctx -> {
            guards.newToken(ctx);
            send(ctx, 200, accounts.anonymous());
        });
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
        // Every login may mint a token, and a password login costs an Argon2 hash: all count.
        guards.newToken(ctx);
        var response = accounts.login(request.username(), request.password(), guards.address(ctx));
        send(ctx, Boolean.TRUE.equals(response.created()) ? 201 : 200, response);
    }

    private void logout(Context ctx) {
        var session = auth.require(ctx);
        tokens.revoke(session.tokenHash());
        rooms.endStreamsOfToken(session.tokenHash());
        ctx.status(204);
    }

    private void listRooms(Context ctx) {
        auth.require(ctx);
        int limit = (int) Requests.number(ctx, "limit", DEFAULT_ROOMS, 1, MAX_ROOMS);
        var page = rooms.rooms(limit, RoomCursors.parse(ctx.queryParam("after")));
        if (page.next() != null) {
            // The array stays the body, as before paging; the next page is a link, as in RFC 8288.
            ctx.header("Link", "</rooms?limit=" + limit + "&after=" + RoomCursors.format(page.next()) + ">; rel=\"next\"");
        }
        send(ctx, 200, page.rooms());
    }

    private void streamRoom(Context ctx) throws InterruptedException {
        var session = auth.require(ctx);
        var request = stream.parse(ctx, Requests.room(ctx));
        var slot = guards.openStream(ctx, session);
        try {
            stream.serve(ctx, request, session);
        } finally {
            slot.close();
        }
    }

    private void sendMessage(Context ctx) {
        var session = auth.require(ctx);
        guards.send(session.user());
        var room = Requests.room(ctx);
        var text = MessageText.normalize(messageText(ctx));
        MessageText.problem(text).ifPresent(problem -> {
            throw new Refused(problem, switch (problem) {
                case EMPTY_MESSAGE -> "the message is empty";
                case MESSAGE_TOO_LONG -> "messages are at most " + MessageText.MAX_LENGTH + " characters";
                default -> "the message holds control characters (only newline and tab are allowed)";
            });
        });
        send(ctx, 201, rooms.post(room, session.user(), text, idempotencyKey(ctx)));
    }

    /** The client's {@code Idempotency-Key}: a retry with the same one stores nothing twice. */
    private static String idempotencyKey(Context ctx) {
        var key = ctx.header("Idempotency-Key");
        if (key == null) {
            return null;
        }
        if (!IDEMPOTENCY_KEY.matcher(key).matches()) {
            throw new Refused(ErrorCode.INVALID_REQUEST,
                    "Idempotency-Key must be 1 to 64 characters of A-Z a-z 0-9 _ - (a UUID fits)");
        }
        return key;
    }

    private String messageText(Context ctx) {
        // The raw header: the servlet's getContentType() throws on a malformed charset parameter.
        var type = mediaType(ctx.header("Content-Type"));
        var body = Requests.body(ctx);
        return switch (type) {
            case "text/plain" -> Requests.plainText(body);
            case "", "application/json" -> {
                var request = parse(body, SendRequest.class);
                if (request.text() == null) {
                    throw new Refused(ErrorCode.INVALID_REQUEST, "the body needs a \"text\" field");
                }
                yield request.text();
            }
            default -> throw new Refused(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "send application/json ({\"text\": \"...\"}) or text/plain");
        };
    }

    private void leave(Context ctx) {
        var session = auth.require(ctx);
        rooms.leave(Requests.room(ctx), session);
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
        send(ctx, 200, rooms.history(room, before, limit));
    }

    private <T> T parse(byte[] body, Class<T> type) {
        try {
            var value = json.read(body, type);
            if (value == null) {
                throw new Refused(ErrorCode.INVALID_REQUEST, "the body must be a JSON object");
            }
            return value;
        } catch (JacksonException e) {
            throw new Refused(ErrorCode.INVALID_REQUEST, "the body is not the JSON this endpoint takes");
        } catch (IOException e) {
            throw new Refused(ErrorCode.INVALID_REQUEST, "the body could not be read");
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
