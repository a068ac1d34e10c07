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
}
