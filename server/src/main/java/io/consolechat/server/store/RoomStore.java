package io.consolechat.server.store;

import io.consolechat.protocol.Rooms.Access;
import io.consolechat.protocol.User;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Who may do what in a room: the settings of claimed rooms (access, hashed key, topic, owner), their
 * operators, invitations and members, and the bans of any room. Users are matched by their case-folded
 * name. Each call is one transaction.
 */
public interface RoomStore {

    /** A claimed room. {@code keyHash} is null when the room has no key. */
    record RoomSettings(String name, Access access, String keyHash, String topic, User owner) {
    }

    /** What a user can be in a claimed room besides its owner. */
    enum Role { OPERATOR, INVITED, MEMBER }

    /** A ban from one room; {@code until} null: until lifted. */
    record RoomBan(String room, User user, User by, Instant at, Instant until, String reason) {
        public boolean activeAt(Instant now) {
            return until == null || until.isAfter(now);
        }
    }

    Optional<RoomSettings> settings(String room);

    /**
     * Claims the room if nobody owns it and, unless {@code evenWithEvents}, it has no events yet; returns
     * whether it did. Two claims at once cannot both succeed.
     */
    boolean claim(RoomSettings settings, Instant at, boolean evenWithEvents);

    /** Replaces the access, key hash and topic of a claimed room. */
    void update(RoomSettings settings);

    /** Adds the role; returns false if the user had it already. */
    boolean add(String room, Role role, User user);

    /** Removes the role; returns whether the user had it. */
    boolean remove(String room, Role role, String userName);

    Set<Role> roles(String room, String userName);

    /** The users with the role in the room, by name. */
    List<User> people(String room, Role role);

    /** Bans (or bans again, replacing the earlier ban) and ends the user's membership. */
    void ban(RoomBan ban);

    /** Lifts the ban; returns whether there was one in force at {@code now}. */
    boolean unban(String room, String userName, Instant now);

    /** The ban in force at {@code now}, if any. */
    Optional<RoomBan> ban(String room, String userName, Instant now);

    /** The bans in force at {@code now}, by user name. */
    List<RoomBan> bans(String room, Instant now);

    /** Claimed rooms whose access is not open. */
    Set<String> privateRooms();

    /** The claimed rooms the user owns or has any role in. */
    Set<String> roomsOf(String userName);
}
