package io.consolechat.server.room;

import static io.consolechat.server.testing.ErrorReplies.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.consolechat.protocol.ErrorCode;
import io.consolechat.protocol.Event;
import io.consolechat.protocol.EventType;
import io.consolechat.protocol.PersonalEvent;
import io.consolechat.protocol.StreamItem;
import io.consolechat.server.bus.LocalBus;
import io.consolechat.server.store.Database;
import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.ManualClock;
import io.consolechat.server.testing.TestServer;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Rooms people own: claiming, access levels, operators, moderation and server admins, over real HTTP. */
class RoomOwnershipTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String PASSWORD = "correct horse battery";
    private static final AtomicInteger ROOMS = new AtomicInteger();

    private static final ManualClock clock = new ManualClock(Instant.now());
    private static TestServer server;
    private static Api api;

    @BeforeAll
    static void start() {
        server = TestServer.start(config -> { }, clock);
        api = new Api(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String room() {
        return "owned-" + ROOMS.incrementAndGet();
    }

    private static String registered(String name) {
        return api.login(name, PASSWORD);
    }

    private static Api.Reply put(String room, String token, String body) {
        return api.put("/room/" + room, token, body);
    }

    private static void ok(Api.Reply reply) {
        assertThat(reply.status()).as("%s", reply).isEqualTo(200);
    }

    /** A room {@code owner} claims with the given body. */
    private static String claimed(String owner, String body) {
        var room = room();
        var reply = put(room, owner, body);
        assertThat(reply.status()).as("%s", reply).isEqualTo(201);
        return room;
    }

    /** The outcome of every room endpoint an outsider might try, for {@code token}. */
    private static void assertRefusedEverywhere(String room, String token, ErrorCode code) {
        assertError(api.sendText(room, token, "hello"), code);
        assertError(api.get("/room/" + room + "?timeout=0", token), code);
        assertError(api.get("/room/" + room + "/members", token), code);
        assertError(api.get("/room/" + room + "/messages", token), code);
        assertError(api.get("/room/" + room + "/info", token), code);
    }

    @Test
    void onlyRegisteredUsersClaimRooms() {
        assertError(put(room(), api.anonymousToken(), "{}"), ErrorCode.REGISTRATION_REQUIRED);
        assertError(put(room(), api.login("tempclaimer", null), "{}"), ErrorCode.REGISTRATION_REQUIRED);
    }

    @Test
    void aFreshRoomIsClaimedOnceAndAnsweredWithItsRoomObject() {
        var owner = registered("claimer");
        var room = room();
        var reply = put(room, owner, "{\"access\": \"key\", \"key\": \"sesame\", \"topic\": \"plans\"}");
        assertThat(reply.status()).as("%s", reply).isEqualTo(201);
        var body = reply.json();
        assertThat(Api.fieldNames(body)).containsExactly("name", "access", "topic", "owner", "operators", "lastSeq");
        assertThat(body.path("name").asText()).isEqualTo(room);
        assertThat(body.path("access").asText()).isEqualTo("key");
        assertThat(body.path("topic").asText()).isEqualTo("plans");
        assertThat(body.path("owner").path("name").asText()).isEqualTo("claimer");
        assertThat(body.path("owner").path("kind").asText()).isEqualTo("registered");
        assertThat(body.path("operators").isArray()).isTrue();
        assertThat(body.path("lastSeq").asLong()).isEqualTo(1);
        assertThat(reply.body()).doesNotContain("sesame").doesNotContain("key\":");
        // The topic was written as an event; the owner reads it.
        var topic = api.get("/room/" + room + "/messages", owner).events().getLast();
        assertThat(topic.kind()).isEqualTo(EventType.TOPIC);
        assertThat(topic.text()).isEqualTo("plans");

        assertError(put(room, registered("latecomer"), "{\"topic\": \"mine\"}"), ErrorCode.ROOM_TAKEN);
        var update = put(room, owner, "{\"topic\": \"new plans\"}");
        ok(update);
        assertThat(update.json().path("access").asText()).isEqualTo("key");
        assertThat(update.json().path("lastSeq").asLong()).isEqualTo(2);
    }

    @Test
    void aRoomWithEventsCannotBeClaimedExceptByAServerAdmin() {
        var room = room();
        api.sendMessage(room, api.anonymousToken(), "I was here first");
        assertError(put(room, registered("squatter"), "{}"), ErrorCode.ROOM_TAKEN);
        var admin = registered("roomadmin");
        grantAdmin("roomadmin");
        assertThat(put(room, admin, "{\"access\": \"invite\"}").status()).isEqualTo(201);
    }

    @Test
    void keysAreRequiredWhereTheAccessNeedsOneAndBounded() {
        var owner = registered("keyowner");
        assertError(put(room(), owner, "{\"access\": \"key\"}"), ErrorCode.INVALID_REQUEST);
        assertError(put(room(), owner, "{\"access\": \"invite_and_key\"}"), ErrorCode.INVALID_REQUEST);
        assertError(put(room(), owner, "{\"access\": \"key\", \"key\": \"" + "k".repeat(129) + "\"}"),
                ErrorCode.INVALID_REQUEST);
        assertError(put(room(), owner, "{\"access\": \"secret\"}"), ErrorCode.INVALID_REQUEST);
        var room = claimed(owner, "{\"access\": \"key\", \"key\": \"" + "k".repeat(128) + "\"}");
        // Switching to invite_and_key keeps the stored key.
        ok(put(room, owner, "{\"access\": \"invite_and_key\"}"));
        assertError(put(claimed(owner, "{}"), owner, "{\"access\": \"key\"}"), ErrorCode.INVALID_REQUEST);
    }

    @Test
    void aKeyRoomLetsInWhoKnowsTheKey() throws InterruptedException {
        var owner = registered("keyholder");
        var room = claimed(owner, "{\"access\": \"key\", \"key\": \"open sesame\"}");
        var guest = api.anonymousToken();
        assertRefusedEverywhere(room, guest, ErrorCode.FORBIDDEN);
        assertError(api.post("/room/" + room + "/leave", guest, null), ErrorCode.FORBIDDEN);
        assertError(api.post("/room/" + room + "/join", guest, "{\"key\": \"wrong\"}"), ErrorCode.WRONG_KEY);
        assertError(api.post("/room/" + room + "/join", guest, null), ErrorCode.WRONG_KEY);
        ok(api.post("/room/" + room + "/join", guest, "{\"key\": \"open sesame\"}"));
        assertThat(api.sendText(room, guest, "in").status()).isEqualTo(201);
        ok(api.get("/room/" + room + "/members", guest));
        ok(api.get("/room/" + room + "/info", guest));
        try (var stream = api.stream("/room/" + room + "?timeout=0", guest)) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.itemsToEnd(WAIT)).last().isInstanceOf(StreamItem.End.class);
        }
        ok(api.post("/room/" + room + "/leave", guest, null));
    }

    @Test
    void anInviteRoomLetsInWhoIsInvitedUntilTheInvitationIsWithdrawn() throws InterruptedException {
        var owner = registered("inviter");
        var room = claimed(owner, "{\"access\": \"invite\"}");
        var friend = registered("friend");
        assertError(api.post("/room/" + room + "/join", friend, null), ErrorCode.FORBIDDEN);
        assertRefusedEverywhere(room, friend, ErrorCode.FORBIDDEN);
        api.login("tempfriend", null);
        assertError(api.post("/room/" + room + "/invites", owner, "{\"user\": \"tempfriend\"}"),
                ErrorCode.NOT_REGISTERED);
        assertError(api.post("/room/" + room + "/invites", owner, "{\"user\": \"nobody-at-all\"}"),
                ErrorCode.NOT_REGISTERED);
        assertError(api.post("/room/" + room + "/invites", friend, "{\"user\": \"friend\"}"), ErrorCode.FORBIDDEN);
        ok(api.post("/room/" + room + "/invites", owner, "{\"user\": \"friend\"}"));
        // The invitation alone lets the user in; joining as well changes nothing.
        ok(api.get("/room/" + room + "/info", friend));
        ok(api.post("/room/" + room + "/join", friend, null));
        assertThat(api.sendText(room, friend, "thanks").status()).isEqualTo(201);

        try (var stream = api.stream("/room/" + room + "?history=0&timeout=60", friend)) {
            assertThat(stream.status()).isEqualTo(200);
            ok(api.delete("/room/" + room + "/invites/friend", owner));
            assertThat(stream.itemsToEnd(WAIT)).last().isInstanceOf(StreamItem.End.class);
        }
        assertRefusedEverywhere(room, friend, ErrorCode.FORBIDDEN);
        assertError(api.post("/room/" + room + "/join", friend, null), ErrorCode.FORBIDDEN);
    }

    @Test
    void anInviteAndKeyRoomNeedsBoth() {
        var owner = registered("bothowner");
        var room = claimed(owner, "{\"access\": \"invite_and_key\", \"key\": \"k2\"}");
        var invited = registered("invitedone");
        var keyed = registered("keyedone");
        ok(api.post("/room/" + room + "/invites", owner, "{\"user\": \"invitedone\"}"));
        assertError(api.post("/room/" + room + "/join", invited, "{\"key\": \"nope\"}"), ErrorCode.WRONG_KEY);
        assertError(api.post("/room/" + room + "/join", keyed, "{\"key\": \"k2\"}"), ErrorCode.FORBIDDEN);
        ok(api.post("/room/" + room + "/join", invited, "{\"key\": \"k2\"}"));
        assertThat(api.sendText(room, invited, "both").status()).isEqualTo(201);
        assertRefusedEverywhere(room, keyed, ErrorCode.FORBIDDEN);
    }

    @Test
    void anOpenClaimedRoomIsOpenToEveryToken() {
        var owner = registered("openowner");
        var room = claimed(owner, "{\"topic\": \"anyone\"}");
        var guest = api.anonymousToken();
        ok(api.post("/room/" + room + "/join", guest, null));
        assertThat(api.sendText(room, guest, "hi").status()).isEqualTo(201);
        ok(api.get("/room/" + room + "/info", guest));
    }

    @Test
    void operatorsModerateButCannotTouchTheOwnerOrAppointOthers() throws InterruptedException {
        var owner = registered("boss");
        var room = claimed(owner, "{\"access\": \"invite\"}");
        var op = registered("helper");
        var other = registered("bystander");
        assertError(api.post("/room/" + room + "/operators", op, "{\"user\": \"helper\"}"), ErrorCode.FORBIDDEN);
        assertError(api.post("/room/" + room + "/operators", owner, "{\"user\": \"ghost-user\"}"),
                ErrorCode.NOT_REGISTERED);
        ok(api.post("/room/" + room + "/operators", owner, "{\"user\": \"helper\"}"));
        var info = api.get("/room/" + room + "/info", op);
        ok(info);
        assertThat(info.json().path("operators").get(0).path("name").asText()).isEqualTo("helper");

        ok(put(room, op, "{\"topic\": \"set by an operator\"}"));
        ok(api.post("/room/" + room + "/invites", op, "{\"user\": \"bystander\"}"));
        assertError(api.post("/room/" + room + "/operators", op, "{\"user\": \"bystander\"}"), ErrorCode.FORBIDDEN);
        assertError(api.delete("/room/" + room + "/operators/boss", op), ErrorCode.FORBIDDEN);
        assertError(api.post("/room/" + room + "/kick", op, "{\"user\": \"boss\"}"), ErrorCode.FORBIDDEN);
        assertError(api.post("/room/" + room + "/bans", op, "{\"user\": \"boss\"}"), ErrorCode.FORBIDDEN);

        ok(api.post("/room/" + room + "/join", other, null));
        assertError(api.post("/room/" + room + "/kick", other, "{\"user\": \"helper\"}"), ErrorCode.FORBIDDEN);
        assertError(api.post("/room/" + room + "/bans", other, "{\"user\": \"helper\"}"), ErrorCode.FORBIDDEN);
        assertError(api.get("/room/" + room + "/bans", other), ErrorCode.FORBIDDEN);
        assertError(put(room, other, "{\"topic\": \"mine now\"}"), ErrorCode.ROOM_TAKEN);
        assertThat(api.post("/room/" + room + "/kick", op, "{\"user\": \"bystander\"}").status()).isEqualTo(200);

        ok(api.delete("/room/" + room + "/operators/helper", owner));
        assertError(api.post("/room/" + room + "/kick", op, "{\"user\": \"bystander\"}"), ErrorCode.FORBIDDEN);
        assertError(api.sendText(room, op, "still here?"), ErrorCode.FORBIDDEN);
    }

    /** Invitations, kicks and bans reach the personal stream of the user they concern, who may be away. */
    @Test
    void invitesKicksAndBansReachThePersonalStreamOfTheUserTheyConcern() throws InterruptedException {
        var owner = registered("teller");
        var invited = registered("toldabout");
        var privateRoom = claimed(owner, "{\"access\": \"invite\"}");
        var openRoom = claimed(owner, "{}");
        ok(api.post("/room/" + privateRoom + "/invites", owner, "{\"user\": \"toldabout\"}"));
        ok(api.post("/room/" + openRoom + "/kick", owner, "{\"user\": \"toldabout\"}"));
        ok(api.post("/room/" + openRoom + "/bans", owner, "{\"user\": \"toldabout\", \"minutes\": 5}"));
        try (var mine = api.stream("/me/events?since=0&timeout=0", invited)) {
            var items = mine.itemsToEnd(WAIT).stream().filter(PersonalEvent.class::isInstance)
                    .map(PersonalEvent.class::cast).toList();
            assertThat(items).extracting(PersonalEvent::kind).containsExactly(PersonalEvent.Kind.INVITE,
                    PersonalEvent.Kind.KICK, PersonalEvent.Kind.BAN);
            assertThat(items).extracting(PersonalEvent::room).containsExactly(privateRoom, openRoom, openRoom);
            assertThat(items).allSatisfy(item -> assertThat(item.from().name()).isEqualTo("teller"));
            assertThat(items).extracting(PersonalEvent::id).containsExactly(1L, 2L, 3L);
        }
    }

    @Test
    void aKickedUsersStreamEndsWithItsEndLineAfterTheKickEvent() throws InterruptedException {
        var owner = registered("kicker");
        var room = claimed(owner, "{}");
        var victim = api.login("kickedone", null);
        try (var stream = api.stream("/room/" + room + "?history=0&timeout=60", victim)) {
            assertThat(stream.status()).isEqualTo(200);
            var kick = api.post("/room/" + room + "/kick", owner, "{\"user\": \"kickedone\", \"reason\": \"calm down\"}");
            ok(kick);
            var items = stream.itemsToEnd(WAIT);
            assertThat(items).last().isInstanceOf(StreamItem.End.class);
            var event = items.stream().filter(i -> i instanceof Event e && e.kind() == EventType.KICK)
                    .map(Event.class::cast).findFirst().orElseThrow();
            assertThat(event.from().name()).isEqualTo("kicker");
            assertThat(event.user().name()).isEqualTo("kickedone");
            assertThat(event.reason()).isEqualTo("calm down");
            assertThat(Api.fieldNames(kick.json())).containsExactly("type", "room", "seq", "at", "from", "user", "reason");
        }
        // A kick is not a ban: in an open room the user may come back.
        assertThat(api.sendText(room, victim, "back").status()).isEqualTo(201);
        assertError(api.post("/room/" + room + "/kick", owner, "{\"user\": \"no-such-user\"}"), ErrorCode.NOT_FOUND);
    }

    @Test
    void aBannedUserIsRefusedEverywhereInTheRoomUntilTheBanEnds() throws InterruptedException {
        var owner = registered("banner");
        var room = claimed(owner, "{}");
        var spammer = api.login("spammer", null);
        try (var stream = api.stream("/room/" + room + "?history=0&timeout=60", spammer)) {
            assertThat(stream.status()).isEqualTo(200);
            var ban = api.post("/room/" + room + "/bans", owner,
                    "{\"user\": \"spammer\", \"minutes\": 10, \"reason\": \"spam\"}");
            ok(ban);
            assertThat(ban.event().kind()).isEqualTo(EventType.BAN);
            assertThat(ban.event().user().name()).isEqualTo("spammer");
            assertThat(stream.itemsToEnd(WAIT)).last().isInstanceOf(StreamItem.End.class);
        }
        assertRefusedEverywhere(room, spammer, ErrorCode.BANNED);
        assertError(api.post("/room/" + room + "/join", spammer, null), ErrorCode.BANNED);
        var bans = api.get("/room/" + room + "/bans", owner);
        ok(bans);
        assertThat(bans.json().get(0).path("user").path("name").asText()).isEqualTo("spammer");
        assertThat(bans.json().get(0).path("reason").asText()).isEqualTo("spam");
        assertThat(bans.json().get(0).has("until")).isTrue();

        clock.advance(Duration.ofMinutes(9));
        assertError(api.sendText(room, spammer, "let me in"), ErrorCode.BANNED);
        clock.advance(Duration.ofMinutes(2));
        assertThat(api.sendText(room, spammer, "I am back").status()).isEqualTo(201);
        assertThat(api.get("/room/" + room + "/bans", owner).json().size()).isZero();
    }

    @Test
    void aBanUntilLiftedEndsWithAnUnbanEvent() {
        var owner = registered("lifter");
        var room = claimed(owner, "{}");
        var troll = api.login("troll", null);
        assertError(api.post("/room/" + room + "/bans", owner, "{\"user\": \"troll\", \"minutes\": 0}"),
                ErrorCode.INVALID_REQUEST);
        ok(api.post("/room/" + room + "/bans", owner, "{\"user\": \"troll\"}"));
        clock.advance(Duration.ofDays(400));
        // The old token has lapsed by now; the ban, kept by name, has not.
        var again = api.login("troll", null);
        owner = registered("lifter");
        assertError(api.sendText(room, again, "still?"), ErrorCode.BANNED);
        assertThat(api.get("/room/" + room + "/bans", owner).json().get(0).has("until")).isFalse();
        ok(api.delete("/room/" + room + "/bans/troll", owner));
        var last = api.get("/room/" + room + "/messages", owner).events().getLast();
        assertThat(last.kind()).isEqualTo(EventType.UNBAN);
        assertThat(last.user().name()).isEqualTo("troll");
        assertThat(api.sendText(room, again, "sorry").status()).isEqualTo(201);
    }

    @Test
    void bansApplyToUnclaimedRoomsByServerAdmins() {
        var room = room();
        var user = api.anonymousToken();
        var name = api.get("/me", user).user().name();
        api.sendMessage(room, user, "spam spam");
        var plain = registered("plainuser");
        assertError(api.post("/room/" + room + "/bans", plain, "{\"user\": \"" + name + "\"}"), ErrorCode.FORBIDDEN);
        var admin = registered("globaladmin");
        grantAdmin("globaladmin");
        ok(api.post("/room/" + room + "/bans", admin, "{\"user\": \"" + name + "\"}"));
        assertError(api.sendText(room, user, "more spam"), ErrorCode.BANNED);
        // An admin moderates rooms owned by others too.
        var owned = claimed(registered("someowner"), "{}");
        ok(api.post("/room/" + owned + "/bans", admin, "{\"user\": \"" + name + "\"}"));
        ok(put(owned, admin, "{\"topic\": \"admin was here\"}"));
    }

    @Test
    void aDeletedMessageIsGoneFromStorageAndShownAsDeletedEverywhere() throws Exception {
        var owner = registered("deleter");
        var room = claimed(owner, "{\"topic\": \"the first event is not a message\"}");
        var author = api.login("author", null);
        var other = api.login("otherone", null);
        var message = api.sendMessage(room, author, "a secret I regret");
        assertError(api.delete("/room/" + room + "/messages/" + message.seq(), other), ErrorCode.FORBIDDEN);
        assertError(api.delete("/room/" + room + "/messages/999", author), ErrorCode.NOT_FOUND);
        assertError(api.delete("/room/" + room + "/messages/1", author), ErrorCode.NOT_FOUND);
        try (var live = api.stream("/room/" + room + "?history=0&timeout=60", other)) {
            assertThat(live.status()).isEqualTo(200);
            var reply = api.delete("/room/" + room + "/messages/" + message.seq(), author);
            ok(reply);
            var delete = live.nextEvent(WAIT);
            assertThat(delete.kind()).isEqualTo(EventType.DELETE);
            assertThat(delete.target()).isEqualTo(message.seq());
            assertThat(delete.from().name()).isEqualTo("author");
        }
        assertError(api.delete("/room/" + room + "/messages/" + message.seq(), owner), ErrorCode.NOT_FOUND);

        var history = api.get("/room/" + room + "/messages", other);
        var shown = history.json().get((int) message.seq() - 1);
        assertThat(shown.path("type").asText()).isEqualTo("message");
        assertThat(shown.path("deleted").asBoolean()).isTrue();
        assertThat(shown.has("text")).isFalse();
        assertThat(history.body()).doesNotContain("regret");
        try (var backlog = api.stream("/room/" + room + "?since=0&timeout=0", other)) {
            var items = backlog.itemsToEnd(WAIT);
            var deleted = (Event) items.get((int) message.seq() - 1);
            assertThat(deleted.deleted()).isTrue();
            assertThat(deleted.text()).isNull();
        }
        try (var conn = DriverManager.getConnection("jdbc:sqlite:" + server.dataDir().resolve("console-chat.db"));
             var ps = conn.prepareStatement("SELECT text, deleted FROM events WHERE room = ? AND seq = ?")) {
            ps.setString(1, room);
            ps.setLong(2, message.seq());
            try (var rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isNull();
                assertThat(rs.getBoolean(2)).isTrue();
            }
        }
        // A moderator deletes others' messages.
        var spam = api.sendMessage(room, other, "buy now");
        ok(api.delete("/room/" + room + "/messages/" + spam.seq(), owner));
    }

    @Test
    void privateRoomsAreListedOnlyToThoseWhoMayEnterThem() {
        var owner = registered("lister");
        var secret = claimed(owner, "{\"access\": \"key\", \"key\": \"s\"}");
        var open = claimed(owner, "{}");
        api.sendMessage(secret, owner, "hidden");
        api.sendMessage(open, owner, "visible");
        var outsider = api.anonymousToken();
        assertThat(roomNames(outsider)).contains(open).doesNotContain(secret);
        assertThat(roomNames(owner)).contains(open, secret);
        ok(api.post("/room/" + secret + "/join", outsider, "{\"key\": \"s\"}"));
        assertThat(roomNames(outsider)).contains(secret);
    }

    @Test
    void unknownRoutesAndBadBodiesGetClearErrors() {
        var owner = registered("badbodies");
        var room = claimed(owner, "{}");
        assertError(put(room, owner, "[1, 2]"), ErrorCode.INVALID_REQUEST);
        assertError(api.post("/room/" + room + "/kick", owner, "{}"), ErrorCode.INVALID_REQUEST);
        assertError(api.post("/room/" + room + "/invites", owner, "{}"), ErrorCode.INVALID_REQUEST);
        assertError(api.delete("/room/" + room + "/messages/abc", owner), ErrorCode.INVALID_REQUEST);
        assertError(api.put("/room/" + room, null, "{}"), ErrorCode.UNAUTHORIZED);
    }

    private static List<String> roomNames(String token) {
        var reply = api.get("/rooms", token);
        ok(reply);
        var names = new java.util.ArrayList<String>();
        reply.json().forEach(r -> names.add(r.path("name").asText()));
        return names;
    }

    /** What {@code console-chat admin grant} does: a second connection to the running server's database. */
    private static void grantAdmin(String name) {
        try (var database = Database.openSqliteBeside(server.dataDir(), new LocalBus(), Clock.systemUTC())) {
            assertThat(database.accounts().setAdmin(name, true)).isTrue();
        }
    }

    @Test
    void aServerWideBanEndsTheUsersStreamsAtOnceAndRefusesLogin() throws InterruptedException {
        var room = room();
        var token = registered("serverbanned");
        try (var stream = api.stream("/room/" + room + "?history=0&timeout=120", token)) {
            assertThat(stream.status()).isEqualTo(200);
            try (var database = Database.openSqliteBeside(server.dataDir(), new LocalBus(), Clock.systemUTC())) {
                assertThat(database.accounts().banUser("serverbanned", Instant.MAX, "abuse")).isTrue();
            }
            assertThat(stream.itemsToEnd(WAIT)).last().isInstanceOf(StreamItem.End.class);
        }
        await().atMost(WAIT).until(() -> api.get("/me", token).status() == 401);
        assertError(api.loginReply("serverbanned", PASSWORD), ErrorCode.BANNED);
        assertError(api.loginReply("serverbanned", "wrong password!"), ErrorCode.INVALID_CREDENTIALS);
    }
}
