package io.consolechat.server.store;

import io.consolechat.protocol.Event;
import io.consolechat.protocol.EventType;
import io.consolechat.protocol.User;
import io.consolechat.protocol.UserKind;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Everything the server keeps: users, tokens and the events of every room. Implementations must make
 * {@link #append} durable before its future completes and must hand appended events to the listener
 * in sequence order, per room.
 */
public interface Store extends AutoCloseable {

    /** A stored user; {@code passwordHash} is null for anonymous and temporary users. */
    record StoredUser(String id, String name, UserKind kind, String passwordHash) {
        public User user() {
            return new User(name, kind);
        }
    }

    /** A live token's owner and expiry. */
    record TokenOwner(StoredUser user, Instant expiresAt) {
    }

    /** One room of {@code GET /rooms}. */
    record RoomRow(String name, long lastSeq, Instant lastActivity) {
    }

    /** What {@link #claimName} found. */
    enum Claim { CLAIMED, TAKEN }

    // --- users and tokens

    Optional<StoredUser> userByName(String name);

    /** Whether the user holds a token that is neither expired nor revoked at {@code now}. */
    boolean hasLiveToken(String userId, Instant now);

    /** A token to store: only its hash is kept. */
    record NewToken(String hash, Instant createdAt, Instant expiresAt) {
    }

    /**
     * Creates the user with its first token if the name is free: unknown, or held by a temporary user whose
     * tokens have all lapsed (that user is removed). Check and inserts happen in one transaction.
     */
    Claim claimName(StoredUser user, NewToken token);

    void insertToken(String userId, NewToken token);

    Optional<TokenOwner> tokenOwner(String tokenHash, Instant now);

    /** Removes the token; returns whether it existed. */
    boolean deleteToken(String tokenHash);

    /** Removes lapsed tokens, and the temporary and anonymous users left without any; returns the tokens removed. */
    int deleteExpiredTokens(Instant now);

    // --- events

    /** Appends an event to a room with the room's next sequence number; completes once it is durable. */
    CompletableFuture<Event> append(String room, EventType type, User from, String text);

    /** Called after each durable commit with the events it holds, in sequence order, on one thread. */
    void onAppended(Consumer<List<Event>> listener);

    /** Up to {@code limit} events with {@code seq > after}, ascending. */
    List<Event> eventsAfter(String room, long after, int limit);

    /** The last {@code limit} events with {@code seq < before}, ascending. */
    List<Event> eventsBefore(String room, long before, int limit);

    /** The room's last sequence number, 0 for a room without events. */
    long lastSeq(String room);

    /** Rooms that have events, most recently active first. */
    List<RoomRow> rooms();

    @Override
    void close();
}
