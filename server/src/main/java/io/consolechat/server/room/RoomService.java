package io.consolechat.server.room;

import io.consolechat.protocol.ErrorCode;
import io.consolechat.protocol.Event;
import io.consolechat.protocol.EventType;
import io.consolechat.protocol.Rooms.RoomSummary;
import io.consolechat.protocol.User;
import io.consolechat.server.auth.Session;
import io.consolechat.server.bus.EventBus;
import io.consolechat.server.error.Refused;
import io.consolechat.server.error.StoreException;
import io.consolechat.server.limit.RateLimit;
import io.consolechat.server.store.EventLog;
import io.consolechat.server.store.EventLog.NewEvent;
import io.consolechat.server.store.StreamEnds;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What can be done in a room: post, listen (backlog, then live), page through history, see who is there,
 * leave, and list the rooms. Events are stored by the event log and reach listeners through the bus.
 */
public final class RoomService implements AutoCloseable {
    private static final Duration KEY_LIFETIME = Duration.ofDays(1);

    private static final Logger LOG = LoggerFactory.getLogger(RoomService.class);
    private final EventLog log;
    private final EventBus bus;
    private final Presence presence;
    private final RoomAccess access;
    private final int bufferCapacity;
    private final RoomCreation creation;
    private final Mentions mentions;
    private final OpenStreams streams;
    private final StreamEnds ends;
    private volatile boolean closing;

    /**
     * {@code access}: who may enter which room; {@code bufferCapacity}: events a stream may fall behind before
     * it is cut off; {@code newRooms}: how many rooms one user may create (by a first post or stream) per
     * period; {@code mentions}: who is told of being named; {@code ends}: how other server instances learn
     * of streams ended here, and this one of theirs.
     */
    public RoomService(EventLog log, EventBus bus, Presence presence, RoomAccess access, int bufferCapacity,
                       RateLimit newRooms, Mentions mentions, StreamEnds ends) {
        this.log = log;
        this.streams = new OpenStreams(log);
        this.ends = ends;
        ends.onAnnounced(this::endedElsewhere);
        ends.onAnnouncementsMissed(this::recheckStreams);
        this.mentions = mentions;
        this.bus = bus;
        this.presence = presence;
        this.access = access;
        this.bufferCapacity = bufferCapacity;
        this.creation = new RoomCreation(log, newRooms);
    }

    /**
     * Stores a message ({@code action}: an IRC-style {@code /me}); returns it once it is durable, after the
     * users it names as {@code @name} have been told (in a room, not in a direct conversation). Refused to the
     * banned, and to outsiders of private rooms. With an idempotency {@code key} (null for none), a message
     * the same user already stored with that key is returned instead of storing it again.
     */
    public Event post(String room, User from, String text, boolean action, String key) {
        access.checkEnter(room, from);
        creation.check(room, from);
        var event = join(log.append(new NewEvent(room, EventType.MESSAGE, from, text, action, key)));
        if (!Conversations.isConversation(room)) {
            mentions.notice(event);
        }
        return event;
    }

    /** As {@link #post(String, User, String, boolean, String)} without an idempotency key. */
    public Event post(String room, User from, String text, boolean action) {
        return post(room, from, text, action, null);
    }

    /** Forgets idempotency keys older than a day: a client retries within seconds or minutes, not days. */
    public int forgetOldKeys(Instant now) {
        return log.forgetKeys(now.minus(KEY_LIFETIME));
    }

    /** The stored event of an append, once durable. */
    static Event join(java.util.concurrent.CompletableFuture<Event> append) {
        try {
            return append.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof StoreException se ? se : new StoreException("could not store the event", e);
        }
    }

    /**
     * Opens a stream of the room for {@code user}: subscribes first, then enters the user into the room (which
     * may write the join event); the feed reads the backlog after that. Refused once shutdown has begun, so
     * that no stream can open after the others were ended.
     */
    public Feed listen(String room, Session user, Backlog backlog) {
        return listen(room, user, backlog, null);
    }

    /**
     * As {@link #listen(String, Session, Backlog)}, and {@code signal} (if not null) is poked whenever the feed
     * has something for the stream's next turn: an event the fan-out did not write itself, or its end.
     */
    public Feed listen(String room, Session user, Backlog backlog, StreamSignal signal) {
        if (closing) {
            throw shuttingDown();
        }
        access.checkEnter(room, user.user());
        creation.check(room, user.user());
        var subscription = new Subscription(room, user, bufferCapacity);
        if (signal != null) {
            subscription.wake(signal);
        }
        streams.add(subscription);
        var registration = bus.subscribe(room, subscription);
        try {
            presence.streamOpened(room, user);
        } catch (RuntimeException e) {
            registration.close();
            streams.remove(subscription);
            throw e;
        }
        if (closing) {
            // Shutdown began meanwhile and may have missed this stream: it ends at once, with its end line.
            subscription.close(Subscription.Closed.SHUTDOWN);
        }
        return new Feed(log, subscription, backlog, () -> {
            registration.close();
            streams.remove(subscription);
            presence.streamClosed(room, user);
        });
    }

    /** Up to {@code limit} events before {@code before}, ascending. */
    public List<Event> history(String room, User user, long before, int limit) {
        access.checkEnter(room, user);
        return log.before(room, before, limit);
    }

    public List<User> members(String room, User user, int limit) {
        access.checkEnter(room, user);
        return presence.members(room, limit);
    }

    /** Writes the leave event (if the user was present) and ends the user's streams on the room. */
    public void leave(String room, Session user) {
        access.checkMember(room, user.user());
        presence.leave(room, user);
        streams.closeStreamsOf(room, user.userId());
        announce(new StreamEnds.Ended(room, user.userId(), false));
    }

    /** Ends the user's streams on the room, on every instance: kicked, banned, or no longer invited. */
    void endStreams(String room, String userName) {
        streams.closeStreamsNamed(room, userName, Subscription.Closed.REMOVED);
        announce(new StreamEnds.Ended(room, userName, true));
    }

    private void announce(StreamEnds.Ended ended) {
        try {
            ends.announce(ended);
        } catch (RuntimeException e) {
            // The decision is stored; the other instances' streams end at their next check of access instead.
            LOG.warn("could not tell the other servers to end streams on {}: {}", ended.room(), e.getMessage());
        }
    }

    /**
     * Another instance ended a user's streams on a room: so does this one. A kick, ban or withdrawn invitation
     * changed who may enter, so what this one cached of the room's access goes too.
     */
    private void endedElsewhere(StreamEnds.Ended ended) {
        if (ended.byName()) {
            access.changed(ended.room());
            streams.closeStreamsNamed(ended.room(), ended.who(), Subscription.Closed.REMOVED);
        } else {
            streams.closeStreamsOf(ended.room(), ended.who());
        }
    }

    /**
     * This instance did not hear the others for a while, so may have missed kicks, bans and withdrawn
     * invitations decided there: it forgets what it cached of every room's access, and ends the streams of each
     * user who may no longer enter the room they stream, as the announcement would have.
     *
     * <p>Two kinds are not made up; their streams end at their timeout. A kick that leaves the user free to
     * enter (from an open room, or an invitation that stands) stores nothing that refuses them: they could open
     * the stream again at once. A leave is the user's own and takes no right away either, and the presence
     * table cannot tell of it: a user's row also goes when another instance writes their leave because this
     * one's leases ran out (it lost the database for longer than a lease, often the very reason it stopped
     * listening), so ending the streams of users absent from it would end those of users who never left.
     */
    private void recheckStreams() {
        access.forgetAll();
        int ended = 0;
        for (var room : streams.streamers().entrySet()) {
            for (var user : access.refused(room.getKey(), room.getValue())) {
                streams.closeStreamsNamed(room.getKey(), user.name(), Subscription.Closed.REMOVED);
                ended++;
            }
        }
        if (ended > 0) {
            LOG.info("ended the streams of {} users in rooms other servers shut them out of while this one was not"
                    + " listening", ended);
        }
    }

    /** The hashes of the tokens of the open streams, to see which were revoked while this instance was deaf. */
    public Set<String> streamingTokens() {
        return streams.tokens();
    }

    /** Ends the user's streams on every room: banned from the server. */
    public void endStreams(String userName) {
        streams.closeStreamsNamed(userName, Subscription.Closed.REMOVED);
    }

    /** Ends every stream opened with a token that was just revoked (each gets its end line). */
    public void endStreamsOfToken(String tokenHash) {
        streams.closeStreamsOfToken(tokenHash);
    }

    /** {@code DELETE /room/{room}/invites/{user}}: withdraws the invitation, ends membership and streams. */
    public void uninvite(String room, User by, String name) {
        access.uninvite(room, by, name);
        endStreams(room, name);
    }

    /** One page of {@link #rooms}: the rooms, and where the next page starts (null after the last). */
    public record RoomPage(List<RoomSummary> rooms, RoomCursor next) {
    }

    /** Where a page of rooms starts: after the room of that name and last activity. */
    public record RoomCursor(String name, Instant lastActivity) {
    }

    /**
     * Up to {@code limit} rooms that have events, most recently active first, with who is in them now: the
     * open ones and the private ones {@code user} may enter, direct conversations aside (so a page may hold
     * fewer), starting after {@code after} (null for the first page).
     */
    public RoomPage rooms(User user, int limit, RoomCursor after) {
        var visible = access.visibleTo(user);
        var rows = log.rooms(limit, after == null ? null : new EventLog.RoomRow(after.name(), 0, after.lastActivity()));
        var shown = rows.stream()
                .filter(r -> !Conversations.isConversation(r.name()) && visible.test(r.name()))
                .toList();
        var members = presence.counts(shown.stream().map(EventLog.RoomRow::name).toList());
        var rooms = shown.stream()
                .map(r -> new RoomSummary(r.name(), members.getOrDefault(r.name(), 0), r.lastSeq(), r.lastActivity()))
                .toList();
        var next = rows.size() < limit ? null
                : new RoomCursor(rows.getLast().name(), rows.getLast().lastActivity());
        return new RoomPage(rooms, next);
    }

    /** Ends every open stream (each gets its end line) and refuses new ones. */
    public void endAllStreams() {
        closing = true;
        streams.closeAll();
    }

    public int openStreams() {
        return streams.count();
    }

    private static Refused shuttingDown() {
        return new Refused(ErrorCode.UNAVAILABLE, "the server is shutting down; try again shortly");
    }

    /** Ends the streams, then writes the leave event of everyone still present. */
    @Override
    public void close() {
        endAllStreams();
        presence.close();
    }
}
