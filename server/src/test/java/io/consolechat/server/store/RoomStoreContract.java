package io.consolechat.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.consolechat.protocol.EventType;
import io.consolechat.protocol.Rooms.Access;
import io.consolechat.protocol.User;
import io.consolechat.protocol.UserKind;
import io.consolechat.server.store.RoomStore.Role;
import io.consolechat.server.store.RoomStore.RoomBan;
import io.consolechat.server.store.RoomStore.RoomSettings;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link RoomStore} must do, whatever the database behind it. */
public abstract class RoomStoreContract {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final User OWNER = new User("Olivia", UserKind.REGISTERED);
    private static final User PAT = new User("pat", UserKind.REGISTERED);
    private static final User GUEST = new User("anon-xyzxyz", UserKind.ANONYMOUS);

    /** Opens the room store on a fresh database of this test's. */
    protected abstract RoomStore open();

    /** The event log on the same database. */
    protected abstract EventLog events();

    protected abstract void closeStorage();

    protected RoomStore store;

    @BeforeEach
    void openStore() {
        store = open();
    }

    @AfterEach
    void close() {
        closeStorage();
    }

    private static RoomSettings settings(String room, Access access) {
        return new RoomSettings(room, access, access.needsKey() ? "hash" : null, "topic", OWNER);
    }

    @Test
    void aRoomIsClaimedOnceAndOnlyWithoutEventsUnlessForced() {
        assertThat(store.settings("r")).isEmpty();
        assertThat(store.claim(settings("r", Access.KEY), NOW, false)).isTrue();
        assertThat(store.settings("r")).contains(settings("r", Access.KEY));
        assertThat(store.claim(new RoomSettings("r", Access.OPEN, null, null, PAT), NOW, true)).isFalse();

        events().append(new EventLog.NewEvent("busy", EventType.MESSAGE, GUEST, "hi")).join();
        assertThat(store.claim(settings("busy", Access.OPEN), NOW, false)).isFalse();
        assertThat(store.claim(settings("busy", Access.OPEN), NOW, true)).isTrue();

        var changed = new RoomSettings("r", Access.INVITE, null, null, OWNER);
        store.update(changed);
        assertThat(store.settings("r")).contains(changed);
    }

    @Test
    void rolesAreAddedOnceAndRemovedByCaseFoldedName() {
        store.claim(settings("r", Access.INVITE), NOW, false);
        assertThat(store.add("r", Role.INVITED, PAT)).isTrue();
        assertThat(store.add("r", Role.INVITED, PAT)).isFalse();
        assertThat(store.add("r", Role.MEMBER, PAT)).isTrue();
        assertThat(store.add("r", Role.OPERATOR, PAT)).isTrue();
        assertThat(store.roles("r", "PAT")).containsExactlyInAnyOrder(Role.INVITED, Role.MEMBER, Role.OPERATOR);
        assertThat(store.people("r", Role.OPERATOR)).containsExactly(PAT);
        assertThat(store.roomsOf("Pat")).containsExactly("r");
        assertThat(store.roomsOf("olivia")).containsExactly("r");
        assertThat(store.remove("r", Role.OPERATOR, "Pat")).isTrue();
        assertThat(store.remove("r", Role.OPERATOR, "pat")).isFalse();
        assertThat(store.roles("r", "pat")).containsExactlyInAnyOrder(Role.INVITED, Role.MEMBER);
        assertThat(store.roles("other", "pat")).isEmpty();
    }

    @Test
    void privateRoomsAreThoseNotOpen() {
        store.claim(settings("open", Access.OPEN), NOW, false);
        store.claim(settings("keyed", Access.KEY), NOW, false);
        store.claim(settings("invited", Access.INVITE_AND_KEY), NOW, false);
        assertThat(store.privateRooms()).containsExactlyInAnyOrder("keyed", "invited");
    }

    @Test
    void bansLastUntilTheyEndOrAreLiftedAndEndMembership() {
        store.claim(settings("r", Access.KEY), NOW, false);
        store.add("r", Role.MEMBER, GUEST);
        var until = NOW.plus(Duration.ofMinutes(10));
        var ban = new RoomBan("r", GUEST, OWNER, NOW, until, "spam");
        store.ban(ban);
        assertThat(store.roles("r", GUEST.name())).isEmpty();
        assertThat(store.ban("r", "ANON-XYZXYZ", NOW)).contains(ban);
        assertThat(store.bans("r", NOW)).containsExactly(ban);
        assertThat(store.ban("r", GUEST.name(), until)).isEmpty();
        assertThat(store.bans("r", until)).isEmpty();
        assertThat(store.unban("r", GUEST.name(), until)).isFalse();

        var forever = new RoomBan("unclaimed", PAT, OWNER, NOW, null, null);
        store.ban(forever);
        assertThat(store.ban("unclaimed", "pat", NOW.plus(Duration.ofDays(100_000)))).contains(forever);
        assertThat(store.unban("unclaimed", "pat", NOW)).isTrue();
        assertThat(store.ban("unclaimed", "pat", NOW)).isEmpty();
    }
}
