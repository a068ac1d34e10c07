package io.consolechat.server.dm;

import static io.consolechat.server.testing.ErrorReplies.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.consolechat.protocol.ErrorCode;
import io.consolechat.protocol.Event;
import io.consolechat.protocol.EventType;
import io.consolechat.protocol.PersonalEvent;
import io.consolechat.protocol.StreamItem;
import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code GET /stream?rooms=...&me=...}: several rooms and the personal stream in one connection. */
class MultiRoomStreamTest {
    private static final Duration SOON = Duration.ofSeconds(10);

    private static TestServer server;
    private static Api api;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        api = new Api(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String roomsParam(Map<String, Long> cursors) {
        return cursors.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue()).collect(Collectors.joining(","));
    }

    @Test
    void everyEventOfFiftyRoomsArrivesOnceInOrderAcrossTimeoutsAndResumes() throws Exception {
        var rooms = IntStream.range(0, 50).mapToObj(i -> "multi-" + i).toList();
        var reader = api.login("reader", null);
        var senders = IntStream.range(0, 4).mapToObj(i -> api.login("sender" + i, null)).toList();
        int perSender = 150;

        var cursors = new LinkedHashMap<String, Long>();
        rooms.forEach(room -> cursors.put(room, 0L));
        var received = new HashMap<String, List<Event>>();
        var sent = new ConcurrentLinkedQueue<Event>();
        int streams = 0;
        try (var pool = Executors.newFixedThreadPool(senders.size())) {
            var sending = new ArrayList<Future<?>>();
            for (int s = 0; s < senders.size(); s++) {
                int sender = s;
                sending.add(pool.submit(() -> {
                    for (int i = 0; i < perSender; i++) {
                        var room = rooms.get((i * 7 + sender * 13) % rooms.size());
                        sent.add(api.sendMessage(room, senders.get(sender), "s" + sender + " m" + i));
                    }
                }));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            // Short streams, so that the messages straddle several timeouts and resumes.
            while (System.nanoTime() < deadline) {
                streams++;
                try (var stream = api.stream("/stream?timeout=1&rooms=" + roomsParam(cursors), reader)) {
                    assertThat(stream.status()).isEqualTo(200);
                    var items = stream.itemsToEnd(Duration.ofSeconds(30));
                    for (var item : items.subList(0, items.size() - 1)) {
                        if (item instanceof Event event) {
                            received.computeIfAbsent(event.room(), r -> new ArrayList<>()).add(event);
                        }
                    }
                    var end = (StreamItem.RoomsEnd) items.getLast();
                    assertThat(end.since().keySet()).containsExactlyElementsOf(rooms);
                    assertThat(end.me()).isNull();
                    cursors.putAll(end.since());
                }
                // At least one resume from the end line's cursors, even when everything came in the first stream.
                if (streams >= 2 && sending.stream().allMatch(Future::isDone) && received.values().stream()
                        .mapToLong(events -> events.stream().filter(e -> e.kind() == EventType.MESSAGE).count())
                        .sum() >= (long) perSender * senders.size()) {
                    break;
                }
            }
            for (var future : sending) {
                future.get();
            }
        }
        assertThat(streams).isGreaterThan(1);
        for (var room : rooms) {
            var events = received.getOrDefault(room, List.of());
            // Every event of the room, joins and leaves included, once and in order: 1, 2, 3, ...
            assertThat(events).extracting(Event::seq)
                    .containsExactlyElementsOf(IntStream.rangeClosed(1, events.size()).mapToObj(i -> (long) i).toList());
            assertThat(cursors.get(room)).isEqualTo(events.isEmpty() ? 0 : events.getLast().seq());
        }
        var messages = received.values().stream().flatMap(List::stream)
                .filter(e -> e.kind() == EventType.MESSAGE).toList();
        assertThat(messages).containsExactlyInAnyOrderElementsOf(sent);
    }

    @Test
    void leavingOneRoomEndsTheWholeStreamAtOnceAfterItsLeave() throws InterruptedException {
        var reader = api.login("leaver", null);
        // An hour's timeout and the default keepalive: only the leave can end this stream soon.
        try (var stream = api.stream("/stream?timeout=3600&rooms=left-behind,kept-on", reader)) {
            assertThat(stream.status()).isEqualTo(200);
            var joins = new ArrayList<Event>();
            while (joins.size() < 2) {
                if (stream.nextItem(SOON) instanceof Event event) {
                    joins.add(event);
                }
            }
            assertThat(api.post("/room/left-behind/leave", reader, null).status()).isEqualTo(200);

            var rest = stream.itemsToEnd(Duration.ofSeconds(2));
            assertThat(rest.getFirst()).isInstanceOfSatisfying(Event.class, leave -> {
                assertThat(leave.kind()).isEqualTo(EventType.LEAVE);
                assertThat(leave.room()).isEqualTo("left-behind");
            });
            var end = (StreamItem.RoomsEnd) rest.getLast();
            assertThat(end.since()).containsEntry("left-behind", ((Event) rest.getFirst()).seq());
        }
    }

    @Test
    void roomsAndThePersonalStreamShareOneStreamAndOneEndLine() throws InterruptedException {
        var me = api.login("combined", null);
        var friend = api.login("friend", null);
        var old = api.sendMessage("one", friend, "before");
        api.sendMessage("two", friend, "before too");
        try (var stream = api.stream("/stream?rooms=one:" + old.seq() + ",TWO&history=2&me=0&timeout=3", me)) {
            var dm = api.sendDirectMessage("combined", friend, "psst");
            var live = api.sendMessage("one", friend, "live");
            var items = stream.itemsToEnd(SOON);
            var events = items.stream().filter(i -> i instanceof Event e && e.kind() == EventType.MESSAGE)
                    .map(Event.class::cast).toList();
            assertThat(events).extracting(Event::room, Event::text)
                    .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("two", "before too"),
                            org.assertj.core.groups.Tuple.tuple("one", "live"));
            var personal = items.stream().filter(PersonalEvent.class::isInstance).map(PersonalEvent.class::cast)
                    .toList();
            assertThat(personal).singleElement().satisfies(item -> {
                assertThat(item.kind()).isEqualTo(PersonalEvent.Kind.DM);
                assertThat(item.seq()).isEqualTo(dm.seq());
            });
            var end = (StreamItem.RoomsEnd) items.getLast();
            assertThat(end.since()).containsOnlyKeys("one", "two");
            assertThat(end.since().get("one")).isEqualTo(live.seq());
            assertThat(end.me()).isEqualTo(1);
        }
        try (var stream = api.stream("/stream?rooms=one&me=1&timeout=0", me)) {
            var lines = stream.readToEnd(SOON);
            assertThat(lines.getLast()).matches("\\{\"type\":\"end\",\"since\":\\{\"one\":\\d+},\"me\":1}");
        }
        try (var stream = api.stream("/stream?rooms=one:1000&timeout=0", me)) {
            var lines = stream.readToEnd(SOON);
            assertThat(lines.getLast()).doesNotContain("\"me\"");
        }
    }

    @Test
    void aStreamAsSseCarriesTheSameLines() throws InterruptedException {
        var me = api.login("sse-reader", null);
        var sent = api.sendMessage("sse-one", me, "hi");
        try (var stream = api.stream("/stream?rooms=sse-one:0&timeout=0", me, "Accept", "text/event-stream")) {
            assertThat(stream.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/event-stream"));
            var text = String.join("\n", stream.readToEnd(SOON));
            assertThat(text).contains("event: message\ndata: {\"type\":\"message\",\"room\":\"sse-one\"");
            // The reader's own join follows the message.
            assertThat(text).contains("event: end\ndata: {\"type\":\"end\",\"since\":{\"sse-one\":" + (sent.seq() + 1) + "}}");
        }
    }

    @Test
    void badListsAreRefused() {
        var me = api.login("lists", null);
        var fiftyOne = IntStream.range(0, 51).mapToObj(i -> "r" + i).collect(Collectors.joining(","));
        var fifty = IntStream.range(0, 50).mapToObj(i -> "r" + i).collect(Collectors.joining(","));
        assertError(api.get("/stream?timeout=0&rooms=" + fiftyOne, me), ErrorCode.INVALID_REQUEST);
        assertThat(api.get("/stream?timeout=0&rooms=" + fifty, me).status()).isEqualTo(200);
        assertError(api.get("/stream?timeout=0", me), ErrorCode.INVALID_REQUEST);
        assertError(api.get("/stream?timeout=0&rooms=", me), ErrorCode.INVALID_REQUEST);
        assertError(api.get("/stream?timeout=0&rooms=a,a", me), ErrorCode.INVALID_REQUEST);
        assertError(api.get("/stream?timeout=0&rooms=a,,b", me), ErrorCode.INVALID_ROOM);
        assertError(api.get("/stream?timeout=0&rooms=a:x", me), ErrorCode.INVALID_REQUEST);
        assertError(api.get("/stream?timeout=0&rooms=a:-1", me), ErrorCode.INVALID_REQUEST);
        assertError(api.get("/stream?timeout=0&rooms=a&me=x", me), ErrorCode.INVALID_REQUEST);
        assertError(api.get("/stream?timeout=0&rooms=bad%20name", me), ErrorCode.INVALID_ROOM);
        assertError(api.get("/stream?timeout=0&rooms=a", null), ErrorCode.UNAUTHORIZED);
    }
}
