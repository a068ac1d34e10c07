package io.consolechat.server.store;

import io.consolechat.protocol.PersonalEvent;
import java.util.List;

/**
 * Each user's personal stream: what concerns them (direct messages, mentions, invitations), numbered per user
 * from 1 without gaps. The number is taken inside the database transaction that stores the item, never from
 * a counter in memory, so it stays right when a commit fails and when several processes write. Users are
 * named by their case-folded name ({@link io.consolechat.protocol.Names#userKey}).
 */
public interface PersonalLog {

    /** Stores the item for {@code userKey} with the user's next id; returns it with that id once durable. */
    PersonalEvent append(String userKey, PersonalEvent item);

    /** Up to {@code limit} items with {@code id > after}, ascending. */
    List<PersonalEvent> after(String userKey, long after, int limit);

    /** The last {@code limit} items, ascending. */
    List<PersonalEvent> last(String userKey, int limit);

    /** The user's last id, 0 when nothing was stored for them. */
    long lastId(String userKey);

    /** Hears of an item another server on the same database stored, once it is committed. */
    @FunctionalInterface
    interface StoredElsewhere {
        void stored(String userKey, long id);
    }

    /**
     * Calls {@code stored} for each item another server on the same database stores; never on a database that
     * only this server uses (SQLite).
     */
    void onStoredElsewhere(StoredElsewhere stored);

    /**
     * Calls {@code missed} each time this server listens again to the others on the same database after it
     * could not: the items they stored meanwhile never reached {@link #onStoredElsewhere} listeners. Called
     * after listening is in place, so an item is either announced or already stored by then.
     */
    void onNoticesMissed(Runnable missed);
}
