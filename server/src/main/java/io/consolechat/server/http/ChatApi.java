package io.consolechat.server.http;

import com.fasterxml.jackson.core.JacksonException;
import io.consolechat.protocol.ErrorCode;
import io.consolechat.protocol.Json;
import io.consolechat.protocol.MessageText;
import io.consolechat.protocol.Rooms.BlockRequest;
import io.consolechat.protocol.Rooms.BanRequest;
import io.consolechat.protocol.Rooms.Health;
import io.consolechat.protocol.Rooms.JoinRequest;
import io.consolechat.protocol.Rooms.KickRequest;
import io.consolechat.protocol.Rooms.Ok;
import io.consolechat.protocol.Rooms.RoomRequest;
import io.consolechat.protocol.Rooms.SendRequest;
import io.consolechat.protocol.Rooms.UserRequest;
import io.consolechat.protocol.Tokens.LoginRequest;
import io.consolechat.server.auth.Accounts;
import io.consolechat.server.auth.BearerTokens;
import io.consolechat.server.auth.StreamTickets;
import io.consolechat.server.error.Refused;
import io.consolechat.server.room.Conversations;
import io.consolechat.server.room.PersonalEvents;
import io.consolechat.server.room.Moderation;
import io.consolechat.server.room.RoomAccess;
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
    private final RoomAccess access;
    private final Moderation moderation;
    private final Accounts accounts;
    private final Authenticator auth;
    private final BearerTokens tokens;
    private final RoomStream stream;
    private final CombinedStream combined;
    private final Conversations conversations;
    private final PersonalEvents personal;
    private final StreamTickets tickets;
    private final Guards guards;
    private final WholeAnswers wholeAnswers;

    public ChatApi(Json json, RoomService rooms, RoomAccess access, Moderation moderation, Conversations conversations,
                   PersonalEvents personal, Accounts accounts, BearerTokens tokens, StreamTickets tickets, Clock clock,
                   StreamWriters writers, Guards guards) {
        this.json = json;
        this.rooms = rooms;
        this.access = access;
        this.moderation = moderation;
        this.conversations = conversations;
        this.personal = personal;
        this.accounts = accounts;
        this.auth = new Authenticator(tokens, tickets, clock);
        this.tokens = tokens;
        this.tickets = tickets;
        this.stream = new RoomStream(rooms, json, writers);
        this.combined = new CombinedStream(rooms, personal, json, writers);
        this.guards = guards;
        this.wholeAnswers = new WholeAnswers(json, guards.responses());
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
        routes.get("/dm/{user}", this::streamConversation);
        routes.post("/dm/{user}", this::sendDirect);
        routes.get("/dm/{user}/messages", this::conversationHistory);
        routes.post("/me/blocks", this::block);
        routes.delete("/me/blocks/{user}", this::unblock);
        routes.get("/me/events", ctx -> streamCombined(ctx, combined.parsePersonal(ctx)));
        routes.get("/stream", ctx -> streamCombined(ctx, combined.parseRooms(ctx)));
        routes.post("/stream-ticket", this::streamTicket);
        routes.put("/room/{room}", this::configure);
        routes.get("/room/{room}/info", ctx -> send(ctx, 200, access.info(Requests.room(ctx), user(ctx))));
        routes.post("/room/{room}/join", ctx -> {
            var user = user(ctx);
            var room = Requests.room(ctx);
            var key = optionalBody(ctx, JoinRequest.class, new JoinRequest(null)).key();
            if (key != null) {
                // Checking a key costs an Argon2 hash, like a password login: it counts against the same limit.
                guards.newToken(ctx);
            }
            access.join(room, user, key);
            send(ctx, 200, Ok.OK);
        });
        routes.post("/room/{room}/invites", ctx -> {
            var user = user(ctx);
            access.invite(Requests.room(ctx), user, named(ctx));
            send(ctx, 200, Ok.OK);
        });
        routes.delete("/room/{room}/invites/{user}", ctx -> {
            rooms.uninvite(Requests.room(ctx), user(ctx), ctx.pathParam("user"));
            send(ctx, 200, Ok.OK);
        });
        routes.post("/room/{room}/operators", ctx -> {
            var user = user(ctx);
            access.addOperator(Requests.room(ctx), user, named(ctx));
            send(ctx, 200, Ok.OK);
        });
        routes.delete("/room/{room}/operators/{user}", ctx -> {
            access.removeOperator(Requests.room(ctx), user(ctx), ctx.pathParam("user"));
            send(ctx, 200, Ok.OK);
        });
        routes.post("/room/{room}/kick", ctx -> {
            var user = user(ctx);
            var request = parse(Requests.body(ctx), KickRequest.class);
            send(ctx, 200, moderation.kick(Requests.room(ctx), user, request.user(), request.reason()));
        });
        routes.post("/room/{room}/bans", ctx -> {
            var user = user(ctx);
            var request = parse(Requests.body(ctx), BanRequest.class);
            send(ctx, 200, moderation.ban(Requests.room(ctx), user, request.user(), request.minutes(),
                    request.reason()));
        });
        routes.get("/room/{room}/bans", ctx -> send(ctx, 200, moderation.bans(Requests.room(ctx), user(ctx))));
        routes.delete("/room/{room}/bans/{user}", ctx -> {
            moderation.unban(Requests.room(ctx), user(ctx), ctx.pathParam("user"));
            send(ctx, 200, Ok.OK);
        });
        routes.delete("/room/{room}/messages/{seq}", ctx -> {
            var user = user(ctx);
            var room = Requests.room(ctx);
            long seq = Requests.number(ctx.pathParam("seq"), "seq", 1, Long.MAX_VALUE - 1);
            send(ctx, 200, moderation.delete(room, user, seq));
        });
    }

    private io.consolechat.protocol.User user(Context ctx) {
        return auth.require(ctx).user();
    }

    private void configure(Context ctx) {
        var user = user(ctx);
        var room = Requests.room(ctx);
        var request = optionalBody(ctx, RoomRequest.class, new RoomRequest(null, null, null));
        if (request.key() != null) {
            guards.newToken(ctx);
        }
        var configured = access.configure(room, user, request.access(), request.key(), request.topic());
        send(ctx, configured.claimed() ? 201 : 200, configured.room());
    }

    /** The {@code "user"} a body names. */
    private String named(Context ctx) {
        var request = parse(Requests.body(ctx), UserRequest.class);
        if (request.user() == null) {
            throw new Refused(ErrorCode.INVALID_REQUEST, "the body needs a \"user\" field");
        }
        return request.user();
    }

    /** The body as {@code type}; {@code empty} when there is none. */
    private <T> T optionalBody(Context ctx, Class<T> type, T empty) {
        var body = Requests.body(ctx);
        return body.length == 0 || isBlank(body) ? empty : parse(body, type);
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
        personal.endStreamsOfToken(session.tokenHash());
        ctx.status(204);
    }

    private void listRooms(Context ctx) {
        var user = auth.require(ctx).user();
        int limit = (int) Requests.number(ctx, "limit", DEFAULT_ROOMS, 1, MAX_ROOMS);
        var after = RoomCursors.parse(ctx.queryParam("after"));
        wholeAnswers.send(ctx, limit * WholeAnswers.ROOM_BYTES, () -> {
            var page = rooms.rooms(user, limit, after);
            if (page.next() != null) {
                // The array stays the body, as before paging; the next page is a link, as in RFC 8288.
                ctx.header("Link", "</rooms?limit=" + limit + "&after=" + RoomCursors.format(page.next())
                        + ">; rel=\"next\"");
            }
            return page.rooms();
        });
    }

    private void streamRoom(Context ctx) throws InterruptedException {
        var user = auth.requireForStream(ctx);
        var request = stream.parse(ctx, Requests.room(ctx));
        var slot = guards.openStream(ctx, user);
        stream.serve(ctx, request, user, slot::close);
    }

    private void streamConversation(Context ctx) throws InterruptedException {
        var user = auth.requireForStream(ctx);
        var other = ctx.pathParam("user");
        var request = stream.parse(ctx, Conversations.conversation(user.user().name(), other));
        var slot = guards.openStream(ctx, user);
        stream.serve(ctx, request, user, (backlog, signal) -> conversations.listen(user, other, backlog, signal),
                slot::close);
    }

    /** One stream slot for the whole stream, however many rooms it follows. */
    private void streamCombined(Context ctx, CombinedStream.Request request) throws InterruptedException {
        var user = auth.requireForStream(ctx);
        var slot = guards.openStream(ctx, user);
        combined.serve(ctx, request, user, slot::close);
    }

    private void streamTicket(Context ctx) {
        var session = auth.require(ctx);
        guards.newToken(ctx);
        send(ctx, 201, tickets.issue(session));
    }

    private void sendMessage(Context ctx) {
        var session = auth.require(ctx);
        guards.send(session.user());
        var room = Requests.room(ctx);
        var message = message(ctx);
        send(ctx, 201, rooms.post(room, session.user(), message.text(), message.action(), idempotencyKey(ctx)));
    }

    private void sendDirect(Context ctx) {
        var session = auth.require(ctx);
        guards.send(session.user());
        var message = message(ctx);
        send(ctx, 201, conversations.send(session.user(), ctx.pathParam("user"), message.text(), message.action()));
    }

    private void block(Context ctx) {
        var session = auth.require(ctx);
        var request = parse(Requests.body(ctx), BlockRequest.class);
        if (request.user() == null) {
            throw new Refused(ErrorCode.INVALID_REQUEST, "the body needs a \"user\" field");
        }
        conversations.block(session.user(), request.user());
        send(ctx, 200, Ok.OK);
    }

    private void unblock(Context ctx) {
        var session = auth.require(ctx);
        conversations.unblock(session.user(), ctx.pathParam("user"));
        send(ctx, 200, Ok.OK);
    }

    /** A message's checked text, and whether it is an action. */
    private record Message(String text, boolean action) {
    }

    private Message message(Context ctx) {
        var raw = messageText(ctx);
        var text = MessageText.normalize(raw.text());
        MessageText.problem(text).ifPresent(problem -> {
            throw new Refused(problem, switch (problem) {
                case EMPTY_MESSAGE -> "the message is empty";
                case MESSAGE_TOO_LONG -> "messages are at most " + MessageText.MAX_LENGTH + " characters";
                default -> "the message holds control characters (only newline and tab are allowed)";
            });
        });
        return new Message(text, raw.action());
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

    private Message messageText(Context ctx) {
        // The raw header: the servlet's getContentType() throws on a malformed charset parameter.
        var type = mediaType(ctx.header("Content-Type"));
        var body = Requests.body(ctx);
        return switch (type) {
            case "text/plain" -> new Message(Requests.plainText(body), false);
            case "", "application/json" -> {
                var request = parse(body, SendRequest.class);
                if (request.text() == null) {
                    throw new Refused(ErrorCode.INVALID_REQUEST, "the body needs a \"text\" field");
                }
                yield new Message(request.text(), Boolean.TRUE.equals(request.action()));
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
        var user = user(ctx);
        send(ctx, 200, rooms.members(Requests.room(ctx), user, MAX_MEMBERS));
    }

    private void messages(Context ctx) {
        var user = user(ctx);
        var room = Requests.room(ctx);
        long before = Requests.number(ctx, "before", Long.MAX_VALUE, 1, Long.MAX_VALUE);
        int limit = (int) Requests.number(ctx, "limit", 50, 0, 500);
        wholeAnswers.send(ctx, limit * WholeAnswers.EVENT_BYTES, () -> rooms.history(room, user, before, limit));
    }

    private void conversationHistory(Context ctx) {
        var user = user(ctx);
        var other = ctx.pathParam("user");
        long before = Requests.number(ctx, "before", Long.MAX_VALUE, 1, Long.MAX_VALUE);
        int limit = (int) Requests.number(ctx, "limit", 50, 0, 500);
        wholeAnswers.send(ctx, limit * WholeAnswers.EVENT_BYTES,
                () -> conversations.history(user, other, before, limit));
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
