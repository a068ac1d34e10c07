package io.consolechat.server.room;

import io.consolechat.protocol.ErrorCode;
import io.consolechat.protocol.Names;
import io.consolechat.protocol.PersonalEvent;
import io.consolechat.protocol.User;
import io.consolechat.server.auth.Session;
import io.consolechat.server.error.Refused;
import io.consolechat.server.error.StoreException;
import io.consolechat.server.store.PersonalLog;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each user's personal stream: what concerns them (direct messages, mentions, and whatever else a room wants
 * to tell a user, such as an invitation) is stored with the user's next id and handed to the user's open
 * personal feeds. The log is the truth: a feed that sees a gap reads it from there. With other servers on the
 * same database, the items they store reach the feeds here through {@link #storedElsewhere}.
 */
public final class PersonalEvents {
    private static final Logger LOG = LoggerFactory.getLogger(PersonalEvents.class);

    private final PersonalLog log;
    private final int bufferCapacity;
    private final Map<String, Set<PersonalFeed>> listeners = new ConcurrentHashMap<>();
    private volatile boolean closing;

    public PersonalEvents(PersonalLog log, int bufferCapacity) {
        this.log = log;
        this.bufferCapacity = bufferCapacity;
    }

    /**
     * Stores {@code item} in {@code user}'s personal stream (its id is assigned there) and delivers it to the
     * user's open feeds; returns it once durable. This is the one call for anything that concerns a user.
     */
    public PersonalEvent notify(String userName, PersonalEvent item) {
        var key = Names.userKey(userName);
        var stored = log.append(key, item);
        deliver(key, stored);
        return stored;
    }

    /**
     * Another server stored the item {@code id} for the user {@code userKey}: if the user has feeds open here,
     * reads it from the log (committed by now: the notice comes with the commit) and hands it to them.
     */
    public void storedElsewhere(String userKey, long id) {
        if (closing || !listeners.containsKey(userKey)) {
            return;
        }
        var items = log.after(userKey, id - 1, 1);
        if (!items.isEmpty()) {
            deliver(userKey, items.getFirst());
        }
    }

    /**
     * This server could not hear of the items other servers stored for a while, and now can again: hands
     * each user with feeds open here their latest item. A feed that has it drops it; one that lacks items
     * before it reads them from the log, so a quiet user gets what they missed without waiting for their next
     * item. One read per user: the last item is all it takes to show a feed what it lacks.
     */
    public void catchUp() {
        for (var userKey : listeners.keySet()) {
            if (closing) {
                return;
            }
            var latest = log.last(userKey, 1);
            if (!latest.isEmpty()) {
                deliver(userKey, latest.getFirst());
            }
        }
    }

    private void deliver(String userKey, PersonalEvent item) {
        var feeds = listeners.get(userKey);
        if (feeds != null) {
            feeds.forEach(feed -> feed.deliver(item));
        }
    }

    /**
     * Tells {@code userName} that {@code from} did something concerning them in {@code room} (an invitation, a
     * kick, a ban). The action itself is already stored; if the personal item cannot be, the failure is
     * logged rather than undoing it.
     */
    public void tell(String userName, PersonalEvent.Kind kind, String room, User from, Instant at) {
        try {
            notify(userName, PersonalEvent.concerning(kind, room, from, at));
        } catch (StoreException e) {
            LOG.warn("{} in {} is stored, but not in {}'s personal stream: {}", kind, room, userName, e.getMessage());
        }
    }

    /**
     * Opens the personal stream of {@code session}'s user: every item after {@code since}, or (null) the last
     * {@code history} items, then live ones; every arrival pokes {@code signal}.
     */
    public PersonalFeed listen(Session session, Long since, int history, StreamSignal signal) {
        if (closing) {
            throw new Refused(ErrorCode.UNAVAILABLE, "the server is shutting down; try again shortly");
        }
        var key = Names.userKey(session.user().name());
        var feed = new PersonalFeed(log, key, session.tokenHash(), since, history, bufferCapacity, signal,
                this::remove);
        listeners.compute(key, (k, feeds) -> {
            var live = feeds == null ? ConcurrentHashMap.<PersonalFeed>newKeySet() : feeds;
            live.add(feed);
            return live;
        });
        if (closing) {
            feed.end();
        }
        return feed;
    }

    private void remove(PersonalFeed feed) {
        listeners.computeIfPresent(feed.userKey(), (k, feeds) -> {
            feeds.remove(feed);
            return feeds.isEmpty() ? null : feeds;
        });
    }

    /** Ends every personal feed opened with the token, which was just revoked (each stream gets its end line). */
    public void endStreamsOfToken(String tokenHash) {
        listeners.values().forEach(feeds -> feeds.stream().filter(feed -> feed.tokenHash().equals(tokenHash))
                .forEach(PersonalFeed::end));
    }

    /** Ends the personal feeds of the user of that name, whatever their tokens: banned from the server. */
    public void endStreamsOf(String userName) {
        var feeds = listeners.get(Names.userKey(userName));
        if (feeds != null) {
            feeds.forEach(PersonalFeed::end);
        }
    }

    /** The tokens of the open personal feeds. */
    public Set<String> streamingTokens() {
        var tokens = new HashSet<String>();
        listeners.values().forEach(feeds -> feeds.forEach(feed -> tokens.add(feed.tokenHash())));
        return tokens;
    }

    /** Ends every open personal feed (each stream writes its end line) and refuses new ones. */
    public void endAllStreams() {
        closing = true;
        listeners.values().forEach(feeds -> feeds.forEach(PersonalFeed::end));
    }

    public int openStreams() {
        return listeners.values().stream().mapToInt(Set::size).sum();
    }
}
