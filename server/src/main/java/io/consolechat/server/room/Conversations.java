package io.consolechat.server.room;

import io.consolechat.protocol.ErrorCode;
import io.consolechat.protocol.Event;
import io.consolechat.protocol.Names;
import io.consolechat.protocol.PersonalEvent;
import io.consolechat.protocol.User;
import io.consolechat.protocol.UserKind;
import io.consolechat.server.auth.Session;
import io.consolechat.server.error.Refused;
import io.consolechat.server.error.StoreException;
import io.consolechat.server.store.AccountStore;
import io.consolechat.server.store.BlockList;
import java.time.Clock;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Direct messages. The conversation of two users is a room of its own, named {@code dm:<a>:<b>} (their
 * case-folded names, sorted): it has a sequence, a stream and history like any room, and no room name a
 * client sends can take it, because room names never contain {@code ':'}. Only the two users can reach it,
 * since each reaches it by naming the other. Each message also goes to the recipient's personal stream,
 * unless the recipient blocks the sender, in which case it is refused and not stored.
 */
public final class Conversations {
    private static final Logger log = LoggerFactory.getLogger(Conversations.class);
    private static final String PREFIX = "dm:";
    /** Any name a user can have, anonymous ones included. */
    private static final Pattern ADDRESSABLE = Pattern.compile("[A-Za-z0-9_-]{2,32}");

    private final RoomService rooms;
    private final AccountStore accounts;
    private final BlockList blocks;
    private final PersonalEvents personal;
    private final Clock clock;

    public Conversations(RoomService rooms, AccountStore accounts, BlockList blocks, PersonalEvents personal,
                         Clock clock) {
        this.rooms = rooms;
        this.accounts = accounts;
        this.blocks = blocks;
        this.personal = personal;
        this.clock = clock;
    }

    /** Whether {@code room} is a direct conversation rather than a room. */
    public static boolean isConversation(String room) {
        return room.startsWith(PREFIX);
    }

    /** The conversation's room name: {@code dm:} and the two case-folded names in order. */
    public static String conversation(String a, String b) {
        var x = Names.userKey(a);
        var y = Names.userKey(b);
        return x.compareTo(y) <= 0 ? PREFIX + x + ":" + y : PREFIX + y + ":" + x;
    }

    /** Sends a direct message; returns it once durable, after the recipient's personal stream has it. */
    public Event send(User from, String to, String text, boolean action) {
        var recipient = existing(to);
        if (blocks.blocks(Names.userKey(recipient.name()), Names.userKey(from.name()))) {
            throw new Refused(ErrorCode.BLOCKED, recipient.name() + " does not take your messages");
        }
        var message = rooms.post(conversation(from.name(), recipient.name()), from, text, action);
        if (!Names.userKey(recipient.name()).equals(Names.userKey(from.name()))) {
            try {
                personal.notify(recipient.name(), PersonalEvent.about(PersonalEvent.Kind.DM, message));
            } catch (StoreException e) {
                // The message is stored and in the conversation; refusing now would make the sender send it twice.
                log.warn("a direct message is stored, but not in {}'s personal stream: {}", recipient.name(),
                        e.getMessage());
            }
        }
        return message;
    }

    /** Opens the caller's conversation with {@code other}, as a room stream. */
    public Feed listen(Session user, String other, Backlog backlog, StreamSignal signal) {
        var them = existing(other);
        return rooms.listen(conversation(user.user().name(), them.name()), user, backlog, signal);
    }

    /**
     * Up to {@code limit} events of the caller's conversation with {@code other} before {@code before},
     * ascending: its history, read without entering it (no join or leave is written).
     */
    public List<Event> history(User user, String other, long before, int limit) {
        var them = existing(other);
        return rooms.history(conversation(user.name(), them.name()), user, before, limit);
    }

    /** {@code user} blocks {@code other}: their direct messages are refused from now on. */
    public void block(User user, String other) {
        var them = existing(other);
        blocks.block(Names.userKey(user.name()), Names.userKey(them.name()));
    }

    /** Lifts a block; unknown names are fine (the user may be gone), a malformed one is not. */
    public void unblock(User user, String other) {
        if (other == null || !ADDRESSABLE.matcher(other).matches()) {
            throw noSuchUser(other);
        }
        blocks.unblock(Names.userKey(user.name()), Names.userKey(other));
    }

    /** A user who exists now: a registered account, or a temporary or anonymous user with a live token. */
    private User existing(String name) {
        if (name == null || !ADDRESSABLE.matcher(name).matches()) {
            throw noSuchUser(name);
        }
        var stored = accounts.userByName(name).orElseThrow(() -> noSuchUser(name));
        if (stored.kind() != UserKind.REGISTERED && !accounts.hasLiveToken(stored.id(), clock.instant())) {
            throw noSuchUser(name);
        }
        return stored.user();
    }

    private static Refused noSuchUser(String name) {
        return new Refused(ErrorCode.NO_SUCH_USER, "there is no user named " + (name == null ? "" : name));
    }
}
