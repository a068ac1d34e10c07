package io.consolechat.server.room;

import io.consolechat.protocol.ErrorCode;
import io.consolechat.protocol.EventType;
import io.consolechat.protocol.MessageText;
import io.consolechat.protocol.Names;
import io.consolechat.protocol.Rooms.Access;
import io.consolechat.protocol.Rooms.RoomInfo;
import io.consolechat.protocol.PersonalEvent;
import io.consolechat.protocol.User;
import io.consolechat.protocol.UserKind;
import io.consolechat.server.error.Refused;
import io.consolechat.server.store.AccountStore;
import io.consolechat.server.store.EventLog;
import io.consolechat.server.store.RoomStore;
import io.consolechat.server.store.RoomStore.Role;
import io.consolechat.server.store.RoomStore.RoomSettings;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may enter a room and who may run it. A room nobody has claimed is open to every token, as rooms were
 * before they could be owned; a claimed room has an owner, operators, and an access level; bans apply to
 * any room. Server admins may do what an owner may, everywhere.
 */
public final class RoomAccess {
    private static final Logger audit = LoggerFactory.getLogger(RoomAccess.class);
    public static final int MAX_KEY_LENGTH = 128;

    /** What a user is in a room, from outsider up. */
    enum Standing {
        OUTSIDER, MEMBER, OPERATOR, OWNER, ADMIN;

        boolean moderates() {
            return this == OPERATOR || this == OWNER || this == ADMIN;
        }
    }

    private final RoomStore store;
    private final AccountStore accounts;
    private final EventLog log;
    private final PersonalEvents personal;
    private final Clock clock;
    private final RoomKeys keys = new RoomKeys();
    /**
     * Each room's settings and bans, read on every post and stream open: kept for a short while so that a busy
     * room costs no query per message. Changes made here drop the room's entry at once; changes by another
     * instance on the same database are seen within {@link #CACHE_TIME}.
     */
    private final Cache<String, Cached> cache = Caffeine.newBuilder()
            .maximumSize(10_000)
            .expireAfterWrite(CACHE_TIME)
            .build();

    private static final Duration CACHE_TIME = Duration.ofSeconds(2);

    private record Cached(Optional<RoomSettings> settings, List<RoomStore.RoomBan> bans) {
    }

    public RoomAccess(RoomStore store, AccountStore accounts, EventLog log, PersonalEvents personal, Clock clock) {
        this.store = store;
        this.accounts = accounts;
        this.log = log;
        this.personal = personal;
        this.clock = clock;
    }

    /**
     * Refuses a user who may not stream, post or read in the room: 403 {@code banned} while a ban is in force,
     * 403 {@code forbidden} in a room that is not open to someone who is not a member, operator, owner or admin.
     */
    void checkEnter(String room, User user) {
        checkEnter(room, user, cached(room));
    }

    private void checkEnter(String room, User user, Cached access) {
        if (!isOwner(access.settings(), user)) {
            checkNotBanned(room, user, access.bans());
        }
        checkMember(room, user, access.settings());
    }

    /**
     * Of {@code users}, those {@link #checkEnter} refuses now, judged on the room's settings and bans read from
     * the store rather than the cache (a read that overlapped a {@link #forgetAll} may have cached older ones).
     */
    List<User> refused(String room, Collection<User> users) {
        var access = load(room);
        var refused = new ArrayList<User>();
        for (var user : users) {
            try {
                checkEnter(room, user, access);
            } catch (Refused e) {
                refused.add(user);
            }
        }
        return refused;
    }

    /** Refuses only outsiders of a room that is not open (leaving needs no standing, but reveals presence). */
    void checkMember(String room, User user) {
        checkMember(room, user, settings(room));
    }

    private void checkMember(String room, User user, Optional<RoomSettings> settings) {
        if (settings.isPresent() && settings.get().access() != Access.OPEN
                && standing(room, user, settings) == Standing.OUTSIDER) {
            throw new Refused(ErrorCode.FORBIDDEN, "room " + room + " is private; join it first");
        }
    }

    private Optional<RoomSettings> settings(String room) {
        return cached(room).settings();
    }

    private Cached cached(String room) {
        return cache.get(room, this::load);
    }

    private Cached load(String room) {
        // Every ban ever written for the room (lifted ones are deleted); whether one is in force is decided
        // against the clock at each check.
        return new Cached(store.settings(room), store.bans(room, Instant.EPOCH));
    }

    /** Forgets what is cached of the room after a change to its settings or bans. */
    void changed(String room) {
        cache.invalidate(room);
    }

    /** Forgets what is cached of every room: changes by other instances may have gone unannounced. */
    void forgetAll() {
        cache.invalidateAll();
    }

    void checkNotBanned(String room, User user) {
        checkNotBanned(room, user, cached(room).bans());
    }

    private void checkNotBanned(String room, User user, List<RoomStore.RoomBan> bans) {
        var key = Names.userKey(user.name());
        var now = clock.instant();
        bans.stream()
                .filter(b -> Names.userKey(b.user().name()).equals(key) && b.activeAt(now))
                .findFirst().ifPresent(ban -> {
            throw new Refused(ErrorCode.BANNED, "you are banned from room " + room
                    + (ban.until() == null ? "" : " until " + ban.until()));
        });
    }

    Standing standing(String room, User user) {
        return standing(room, user, settings(room));
    }

    private Standing standing(String room, User user, Optional<RoomSettings> settings) {
        if (isOwner(settings, user)) {
            return Standing.OWNER;
        }
        // Roles exist in claimed rooms only.
        var roles = settings.isEmpty() ? java.util.Set.<Role>of() : store.roles(room, user.name());
        if (roles.contains(Role.OPERATOR) && user.kind() == UserKind.REGISTERED) {
            return Standing.OPERATOR;
        }
        if (user.kind() == UserKind.REGISTERED && accounts.isAdmin(user.name())) {
            return Standing.ADMIN;
        }
        // In an invite room the invitation alone makes a member; with a key as well, joining does.
        boolean invitedIn = roles.contains(Role.INVITED) && settings.get().access() == Access.INVITE;
        return roles.contains(Role.MEMBER) || invitedIn ? Standing.MEMBER : Standing.OUTSIDER;
    }

    private static boolean isOwner(Optional<RoomSettings> settings, User user) {
        return user.kind() == UserKind.REGISTERED && settings.isPresent()
                && Names.userKey(settings.get().owner().name()).equals(Names.userKey(user.name()));
    }

    /** The outcome of {@link #configure}: the room, and whether the call claimed it. */
    public record Configured(RoomInfo room, boolean claimed) {
    }

    /**
     * {@code PUT /room/{room}}: claims an unclaimed room without events (a server admin may claim one with
     * events), or lets its owner, an operator or an admin change it. A new topic writes a {@code topic} event.
     */
    public Configured configure(String room, User user, Access access, String key, String topic) {
        if (user.kind() != UserKind.REGISTERED) {
            throw new Refused(ErrorCode.REGISTRATION_REQUIRED, "only registered users can own or change rooms");
        }
        if (key != null && (key.isEmpty() || key.length() > MAX_KEY_LENGTH)) {
            throw new Refused(ErrorCode.INVALID_REQUEST, "a key is 1 to " + MAX_KEY_LENGTH + " characters");
        }
        var cleanTopic = topic == null ? null : checkedTopic(topic);
        var existing = settings(room);
        boolean claimed = existing.isEmpty();
        RoomSettings updated;
        if (claimed) {
            var chosen = access == null ? Access.OPEN : access;
            requireKey(chosen, key, null);
            updated = new RoomSettings(room, chosen, key == null || !chosen.needsKey() ? null : keys.hash(key),
                    cleanTopic == null || cleanTopic.isEmpty() ? null : cleanTopic, user);
            boolean admin = accounts.isAdmin(user.name());
            boolean won = store.claim(updated, clock.instant(), admin);
            changed(room);
            if (!won) {
                throw roomTaken(room);
            }
            logAdmin(admin && log.lastSeq(room) > 0, user, "claimed room " + room);
        } else {
            var current = existing.get();
            var standing = standing(room, user, existing);
            if (!standing.moderates()) {
                throw roomTaken(room);
            }
            var chosen = access == null ? current.access() : access;
            requireKey(chosen, key, current.keyHash());
            var keyHash = !chosen.needsKey() ? null : key != null ? keys.hash(key) : current.keyHash();
            var newTopic = cleanTopic == null ? current.topic() : cleanTopic.isEmpty() ? null : cleanTopic;
            updated = new RoomSettings(room, chosen, keyHash, newTopic, current.owner());
            store.update(updated);
            changed(room);
            logAdmin(standing == Standing.ADMIN, user, "changed room " + room);
        }
        var before = existing.map(RoomSettings::topic).orElse(null);
        if (cleanTopic != null && !Objects.equals(before, updated.topic())) {
            append(new EventLog.NewEvent(room, EventType.TOPIC, user, cleanTopic));
        }
        return new Configured(info(room, updated), claimed);
    }

    private static void requireKey(Access access, String key, String currentHash) {
        if (access.needsKey() && key == null && currentHash == null) {
            throw new Refused(ErrorCode.INVALID_REQUEST, "access " + access.wireName() + " needs a \"key\"");
        }
    }

    private static String checkedTopic(String topic) {
        var normalized = MessageText.normalize(topic).strip();
        if (normalized.isEmpty()) {
            return "";
        }
        MessageText.problem(normalized).ifPresent(problem -> {
            throw new Refused(problem == ErrorCode.MESSAGE_TOO_LONG ? ErrorCode.INVALID_REQUEST : problem,
                    "a topic is at most " + MessageText.MAX_LENGTH + " characters, without control characters");
        });
        return normalized;
    }

    private static Refused roomTaken(String room) {
        return new Refused(ErrorCode.ROOM_TAKEN, "room " + room + " is already in use or owned by someone else");
    }

    /** {@code GET /room/{room}/info}, for those who may enter. */
    public RoomInfo info(String room, User user) {
        checkEnter(room, user);
        return settings(room).map(s -> info(room, s))
                .orElseGet(() -> new RoomInfo(room, Access.OPEN, null, null, java.util.List.of(), log.lastSeq(room)));
    }

    private RoomInfo info(String room, RoomSettings settings) {
        return new RoomInfo(room, settings.access(), settings.topic(), settings.owner(),
                store.people(room, Role.OPERATOR), log.lastSeq(room));
    }

    /**
     * {@code POST /room/{room}/join}: membership of a key room for the right key, of an invite room for an
     * invitation, of an invite-and-key room for both. Open rooms need nothing.
     */
    public void join(String room, User user, String key) {
        var settings = settings(room);
        if (!isOwner(settings, user)) {
            checkNotBanned(room, user);
        }
        if (settings.isEmpty() || settings.get().access() == Access.OPEN
                || standing(room, user, settings) != Standing.OUTSIDER) {
            return;
        }
        var access = settings.get().access();
        if (access.needsInvitation() && !store.roles(room, user.name()).contains(Role.INVITED)) {
            throw new Refused(ErrorCode.FORBIDDEN, "room " + room + " is by invitation only");
        }
        if (access.needsKey() && !keys.matches(key, settings.get().keyHash())) {
            throw new Refused(ErrorCode.WRONG_KEY, "that is not the key of room " + room);
        }
        store.add(room, Role.MEMBER, user);
    }

    /** Refuses anyone but the owner, an operator or a server admin; returns what the user is. */
    Standing requireModerator(String room, User user) {
        var standing = standing(room, user);
        if (!standing.moderates()) {
            throw new Refused(ErrorCode.FORBIDDEN, "only the owner and operators of room " + room + " can do that");
        }
        return standing;
    }

    /** A registered user named in a request (invitations, operators), or 400 {@code not_registered}. */
    User registered(String name) {
        return Optional.ofNullable(name).filter(Names::isValidUserName).flatMap(accounts::userByName)
                .map(AccountStore.StoredUser::user).filter(u -> u.kind() == UserKind.REGISTERED)
                .orElseThrow(() -> new Refused(ErrorCode.NOT_REGISTERED, "there is no registered user " + name));
    }

    /** The user named in a kick or ban: any known user, or 404 {@code not_found}. */
    User known(String name) {
        if (name == null) {
            throw new Refused(ErrorCode.INVALID_REQUEST, "the body needs a \"user\" field");
        }
        return accounts.userByName(name).map(AccountStore.StoredUser::user)
                .orElseThrow(() -> new Refused(ErrorCode.NOT_FOUND, "there is no user " + name));
    }

    /** {@code POST /room/{room}/invites}. */
    public void invite(String room, User by, String name) {
        var standing = requireModerator(room, by);
        requireClaimed(room);
        var invited = registered(name);
        store.add(room, Role.INVITED, invited);
        personal.tell(invited.name(), PersonalEvent.Kind.INVITE, room, by, clock.instant());
        logAdmin(standing == Standing.ADMIN, by, "invited " + name + " to room " + room);
    }

    /** {@code DELETE /room/{room}/invites/{user}}: withdraws the invitation and ends membership. */
    void uninvite(String room, User by, String name) {
        var standing = requireModerator(room, by);
        requireClaimed(room);
        store.remove(room, Role.INVITED, name);
        store.remove(room, Role.MEMBER, name);
        logAdmin(standing == Standing.ADMIN, by, "withdrew the invitation of " + name + " to room " + room);
    }

    /** {@code POST /room/{room}/operators}: the owner (or an admin) only. */
    public void addOperator(String room, User by, String name) {
        var standing = requireOwner(room, by);
        store.add(room, Role.OPERATOR, registered(name));
        logAdmin(standing == Standing.ADMIN, by, "made " + name + " an operator of room " + room);
    }

    /** {@code DELETE /room/{room}/operators/{user}}: the owner (or an admin) only. */
    public void removeOperator(String room, User by, String name) {
        var standing = requireOwner(room, by);
        store.remove(room, Role.OPERATOR, name);
        logAdmin(standing == Standing.ADMIN, by, "removed " + name + " as an operator of room " + room);
    }

    private Standing requireOwner(String room, User user) {
        requireClaimed(room);
        var standing = standing(room, user);
        if (standing != Standing.OWNER && standing != Standing.ADMIN) {
            throw new Refused(ErrorCode.FORBIDDEN, "only the owner of room " + room + " can do that");
        }
        return standing;
    }

    private void requireClaimed(String room) {
        if (settings(room).isEmpty()) {
            throw new Refused(ErrorCode.NOT_FOUND, "room " + room + " has no owner; claim it with PUT /room/" + room);
        }
    }

    /** Whether {@code name} owns the room. */
    boolean isOwner(String room, String name) {
        return settings(room).map(s -> Names.userKey(s.owner().name()).equals(Names.userKey(name)))
                .orElse(false);
    }

    /** Whether the room appears in the user's {@code /rooms}: open rooms, and private ones they may enter. */
    java.util.function.Predicate<String> visibleTo(User user) {
        var privateRooms = store.privateRooms();
        if (privateRooms.isEmpty()) {
            return room -> true;
        }
        if (user.kind() == UserKind.REGISTERED && accounts.isAdmin(user.name())) {
            return room -> true;
        }
        var own = store.roomsOf(user.name());
        return room -> !privateRooms.contains(room) || own.contains(room);
    }

    RoomStore store() {
        return store;
    }

    Clock clock() {
        return clock;
    }

    private void append(EventLog.NewEvent event) {
        RoomService.join(log.append(event));
    }

    /** Server admins act on rooms that are not theirs: each such action goes to the log with who and what. */
    static void logAdmin(boolean byAdmin, User admin, String what) {
        if (byAdmin) {
            audit.info("server admin {} {}", admin.name(), what);
        }
    }
}
