package io.consolechat.server.room;

import io.consolechat.protocol.ErrorCode;
import io.consolechat.protocol.Event;
import io.consolechat.protocol.EventType;
import io.consolechat.protocol.Names;
import io.consolechat.protocol.Rooms.Ban;
import io.consolechat.protocol.PersonalEvent;
import io.consolechat.protocol.User;
import io.consolechat.server.error.Refused;
import io.consolechat.server.store.EventLog;
import io.consolechat.server.store.EventLog.NewEvent;
import io.consolechat.server.store.RoomStore.RoomBan;
import java.time.Duration;
import java.util.List;

/**
 * What the owner, the operators and server admins can do against people in a room: kick, ban, lift a ban,
 * delete messages (which their authors can do too). Each writes an event in the room's sequence; a kick or
 * ban ends the user's streams on the room, each with its end line, after the event reached them.
 */
public final class Moderation {
    public static final int MAX_REASON_LENGTH = 500;
    /** Ten years: longer is "until lifted". */
    public static final long MAX_BAN_MINUTES = 10L * 366 * 24 * 60;

    private final RoomService rooms;
    private final RoomAccess access;
    private final EventLog log;
    private final PersonalEvents personal;

    public Moderation(RoomService rooms, RoomAccess access, EventLog log, PersonalEvents personal) {
        this.rooms = rooms;
        this.access = access;
        this.log = log;
        this.personal = personal;
    }

    /** {@code POST /room/{room}/kick}: ends the user's streams there and writes a {@code kick} event. */
    public Event kick(String room, User by, String name, String reason) {
        var standing = access.requireModerator(room, by);
        var target = target(room, by, standing, name);
        var event = append(new NewEvent(room, EventType.KICK, by, null, target, checkedReason(reason), null));
        // A kicked member of a private room has to join again.
        access.store().remove(room, io.consolechat.server.store.RoomStore.Role.MEMBER, target.name());
        rooms.endStreams(room, target.name());
        personal.tell(target.name(), PersonalEvent.Kind.KICK, room, by, event.at());
        RoomAccess.logAdmin(standing == RoomAccess.Standing.ADMIN, by, "kicked " + target.name() + " from " + room);
        return event;
    }

    /**
     * {@code POST /room/{room}/bans}: the user can no longer stream, post or join there, for {@code minutes}
     * or (null) until lifted; their streams there end, and a {@code ban} event is written.
     */
    public Event ban(String room, User by, String name, Long minutes, String reason) {
        var standing = access.requireModerator(room, by);
        if (minutes != null && (minutes < 1 || minutes > MAX_BAN_MINUTES)) {
            throw new Refused(ErrorCode.INVALID_REQUEST, "minutes must be from 1 to " + MAX_BAN_MINUTES
                    + "; leave it out for a ban until lifted");
        }
        var target = target(room, by, standing, name);
        var why = checkedReason(reason);
        var now = access.clock().instant();
        var until = minutes == null ? null : now.plus(Duration.ofMinutes(minutes));
        access.store().ban(new RoomBan(room, target, by, now, until, why));
        access.changed(room);
        var event = append(new NewEvent(room, EventType.BAN, by, null, target, why, null));
        rooms.endStreams(room, target.name());
        personal.tell(target.name(), PersonalEvent.Kind.BAN, room, by, event.at());
        RoomAccess.logAdmin(standing == RoomAccess.Standing.ADMIN, by, "banned " + target.name() + " from " + room);
        return event;
    }

    /** {@code DELETE /room/{room}/bans/{user}}: lifts the ban; an {@code unban} event if there was one. */
    public void unban(String room, User by, String name) {
        var standing = access.requireModerator(room, by);
        var ban = access.store().ban(room, name, access.clock().instant());
        boolean lifted = access.store().unban(room, name, access.clock().instant());
        access.changed(room);
        if (lifted && ban.isPresent()) {
            append(new NewEvent(room, EventType.UNBAN, by, null, ban.get().user(), null, null));
            RoomAccess.logAdmin(standing == RoomAccess.Standing.ADMIN, by, "lifted the ban of " + name + " from " + room);
        }
    }

    /** {@code GET /room/{room}/bans}: the bans in force. */
    public List<Ban> bans(String room, User by) {
        access.requireModerator(room, by);
        return access.store().bans(room, access.clock().instant()).stream()
                .map(b -> new Ban(b.user(), b.by(), b.at(), b.until(), b.reason()))
                .toList();
    }

    /**
     * {@code DELETE /room/{room}/messages/{seq}}, by the message's author or a moderator: writes a {@code delete}
     * event naming it; the log removes the message's text in the same transaction.
     */
    public Event delete(String room, User by, long seq) {
        access.checkEnter(room, by);
        var found = log.after(room, seq - 1, 1);
        if (found.isEmpty() || found.getFirst().seq() != seq || found.getFirst().kind() != EventType.MESSAGE
                || Boolean.TRUE.equals(found.getFirst().deleted())) {
            throw new Refused(ErrorCode.NOT_FOUND, "room " + room + " has no message " + seq);
        }
        var message = found.getFirst();
        boolean author = message.from().kind() == by.kind()
                && Names.userKey(message.from().name()).equals(Names.userKey(by.name()));
        if (!author) {
            var standing = access.requireModerator(room, by);
            RoomAccess.logAdmin(standing == RoomAccess.Standing.ADMIN, by, "deleted message " + seq + " in " + room);
        }
        return append(new NewEvent(room, EventType.DELETE, by, null, null, null, seq));
    }

    /** The user a kick or ban names; the owner is out of reach of anyone but a server admin. */
    private User target(String room, User by, RoomAccess.Standing standing, String name) {
        var target = access.known(name);
        if (standing != RoomAccess.Standing.ADMIN && access.isOwner(room, target.name())) {
            throw new Refused(ErrorCode.FORBIDDEN, "the owner of room " + room + " cannot be kicked or banned");
        }
        if (Names.userKey(target.name()).equals(Names.userKey(by.name()))) {
            throw new Refused(ErrorCode.INVALID_REQUEST, "you cannot kick or ban yourself");
        }
        return target;
    }

    private static String checkedReason(String reason) {
        if (reason == null || reason.isBlank()) {
            return null;
        }
        var text = io.consolechat.protocol.MessageText.normalize(reason).strip();
        if (text.length() > MAX_REASON_LENGTH
                || io.consolechat.protocol.MessageText.problem(text).isPresent()) {
            throw new Refused(ErrorCode.INVALID_REQUEST,
                    "a reason is at most " + MAX_REASON_LENGTH + " characters, without control characters");
        }
        return text;
    }

    private Event append(NewEvent event) {
        return RoomService.join(log.append(event));
    }
}
