package io.consolechat.server.http;

import static io.consolechat.server.testing.ErrorReplies.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.consolechat.protocol.ErrorCode;
import io.consolechat.protocol.Event;
import io.consolechat.protocol.StreamItem;
import io.consolechat.protocol.User;
import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.Follower;
import io.consolechat.server.testing.ServerSentEvent;
import io.consolechat.server.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code GET /room/{room}}: backlog, live events, the end line, resuming, SSE and keepalives. */
class StreamTest {
    private static final Duration SOON = Duration.ofSeconds(5);

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

    private static List<Event> events(List<StreamItem> items) {
        return items.stream().filter(Event.class::isInstance).map(Event.class::cast).toList();
    }

    private static StreamItem.End endOf(List<StreamItem> items) {
        assertThat(items).as("stream lines").last().isInstanceOf(StreamItem.End.class);
        return (StreamItem.End) items.getLast();
    }

    @Test
    void aListenerReceivesAnotherUsersMessageWithinASecond() throws Exception {
        var listener = api.anonymousToken();
        var sender = api.login("Speaker", null);
        try (var stream = api.stream("/room/live?timeout=30", listener)) {
            assertThat(stream.status()).isEqualTo(200);
            var join = stream.nextEvent(SOON);
            assertThat(join.type()).isEqualTo("join");
            for (int i = 0; i < 3; i++) {
                var sent = api.sendMessage("live", sender, "hello " + i);
                var received = stream.nextEvent(Duration.ofSeconds(1));
                assertThat(received).isEqualTo(sent);
                assertThat(received.from()).isEqualTo(new User("Speaker", io.consolechat.protocol.UserKind.TEMPORARY));
                assertThat(received.seq()).isEqualTo(join.seq() + 1 + i);
            }
        }
    }

    @Test
    void theStreamEndsAtItsTimeoutWithTheEndLine() throws Exception {
        var sender = api.anonymousToken();
        api.sendMessage("timed", sender, "one");
        api.sendMessage("timed", sender, "two");
        long started = System.nanoTime();
        try (var stream = api.stream("/room/timed?timeout=1", api.anonymousToken())) {
            var lines = stream.readToEnd(SOON);
            long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
            assertThat(elapsedMillis).isBetween(900L, 5000L);
            var items = lines.stream().map(Api::item).toList();
            assertThat(events(items)).extracting(Event::type).containsExactly("message", "message", "join");
            assertThat(events(items)).extracting(Event::seq).containsExactly(1L, 2L, 3L);
            assertThat(lines.getLast()).isEqualTo("{\"type\":\"end\",\"since\":3}");
        }
    }

    @Test
    void theEndLineCarriesTheLastSeqAlsoAfterLiveEvents() throws Exception {
        var listener = api.anonymousToken();
        var sender = api.anonymousToken();
        try (var stream = api.stream("/room/ending?timeout=1", listener)) {
            stream.nextEvent(SOON);
            var sent = api.sendMessage("ending", sender, "last words");
            var rest = stream.itemsToEnd(SOON);
            assertThat(events(rest)).containsExactly(sent);
            assertThat(endOf(rest).since()).isEqualTo(sent.seq());
        }
    }

    @Test
    void timeoutZeroSendsTheBacklogAndEndsAtOnce() throws Exception {
        var sender = api.anonymousToken();
        var sent = List.of(api.sendMessage("backlog", sender, "a"), api.sendMessage("backlog", sender, "b"),
                api.sendMessage("backlog", sender, "c"));
        try (var stream = api.stream("/room/backlog?timeout=0", sender)) {
            var items = stream.itemsToEnd(Duration.ofSeconds(2));
            var events = events(items);
            assertThat(events.subList(0, 3)).isEqualTo(sent);
            assertThat(events.get(3).type()).isEqualTo("join");
            assertThat(events).hasSize(4);
            assertThat(endOf(items).since()).isEqualTo(4);
        }
    }

    @Test
    void sinceStartsAfterTheGivenSeq() throws Exception {
        var sender = api.anonymousToken();
        for (int i = 1; i <= 5; i++) {
            api.sendMessage("after", sender, "m" + i);
        }
        try (var stream = api.stream("/room/after?since=3&timeout=0", sender)) {
            var items = stream.itemsToEnd(SOON);
            assertThat(events(items)).extracting(Event::seq).containsExactly(4L, 5L, 6L);
            assertThat(events(items)).extracting(Event::text).containsExactly("m4", "m5", null);
            assertThat(endOf(items).since()).isEqualTo(6);
        }
        // The largest cursor allowed is read, not refused; nothing lies beyond it.
        try (var stream = api.stream("/room/after?timeout=0&since=" + (Long.MAX_VALUE - 1), sender)) {
            assertThat(stream.status()).isEqualTo(200);
            var items = stream.itemsToEnd(SOON);
            assertThat(items.getLast()).isInstanceOf(StreamItem.End.class);
        }
    }

    @Test
    void resumingWithSinceGetsEveryEventExactlyOnceInOrder() throws Exception {
        int count = 60;
        var reader = api.login("Resumer", null);
        var sender = api.anonymousToken();
        var failure = new AtomicReference<Throwable>();
        var sending = Thread.ofVirtual().start(() -> {
            try {
                for (int i = 0; i < count; i++) {
                    api.sendMessage("resume", sender, "m" + i);
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        // Dropping the connection after every few events and polling with a 1 s timeout exercises both ways
        // a stream ends while messages keep arriving.
        var followed = new Follower(api, "resume", reader).streamTimeout(1).disconnectAfter(7)
                .follow(0, events -> events.stream().anyMatch(e -> ("m" + (count - 1)).equals(e.text())),
                        Duration.ofSeconds(30));
        sending.join(Duration.ofSeconds(30));
        assertThat(failure.get()).isNull();

        assertThat(followed.streams()).isGreaterThan(count / 7);
        assertThat(followed.seqs()).isEqualTo(LongStream.rangeClosed(1, followed.events().size()).boxed().toList());
        assertThat(followed.messages()).extracting(Event::text)
                .isEqualTo(LongStream.range(0, count).mapToObj(i -> "m" + i).toList());
        var stored = api.get("/room/resume/messages?limit=500", reader).events();
        assertThat(followed.events()).isEqualTo(stored.subList(0, followed.events().size()));
    }

    @Test
    void historyChoosesHowManyRecentEventsComeFirst() throws Exception {
        var listener = api.anonymousToken();
        var sender = api.anonymousToken();
        // An open stream keeps the listener present, so the streams below write no join of their own.
        try (var present = api.stream("/room/recent?timeout=30", listener)) {
            assertThat(present.nextEvent(SOON).seq()).isEqualTo(1);
            for (int i = 2; i <= 26; i++) {
                api.sendMessage("recent", sender, "m" + i);
            }
            assertThat(seqsOf("/room/recent?history=3&timeout=0", listener)).containsExactly(24L, 25L, 26L);
            assertThat(seqsOf("/room/recent?timeout=0", listener))
                    .isEqualTo(LongStream.rangeClosed(7, 26).boxed().toList());
            assertThat(seqsOf("/room/recent?history=500&timeout=0", listener))
                    .isEqualTo(LongStream.rangeClosed(1, 26).boxed().toList());
            try (var stream = api.stream("/room/recent?history=0&timeout=0", listener)) {
                assertThat(stream.itemsToEnd(SOON)).containsExactly(new StreamItem.End(26));
            }
        }
    }

    private static List<Long> seqsOf(String path, String token) throws InterruptedException {
        try (var stream = api.stream(path, token)) {
            var items = stream.itemsToEnd(SOON);
            var seqs = events(items).stream().map(Event::seq).toList();
            assertThat(endOf(items).since()).isEqualTo(seqs.getLast());
            return seqs;
        }
    }

    @Test
    void serverSentEventsCarryIdEventAndDataAndResumeFromLastEventId() throws Exception {
        var sender = api.anonymousToken();
        var first = api.sendMessage("sse", sender, "first");
        var second = api.sendMessage("sse", sender, "second");
        try (var stream = api.stream("/room/sse?timeout=0", sender, "Accept", "text/event-stream",
                "Last-Event-ID", Long.toString(first.seq()))) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
            var events = ServerSentEvent.parse(stream.readToEnd(SOON));
            assertThat(events).hasSize(3);
            assertThat(events.get(0)).isEqualTo(new ServerSentEvent("2", "message", new io.consolechat.protocol.Json()
                    .write(second)));
            assertThat(events.get(1).id()).isEqualTo("3");
            assertThat(events.get(1).event()).isEqualTo("join");
            assertThat(Api.item(events.get(1).data())).isInstanceOfSatisfying(Event.class,
                    join -> assertThat(join.seq()).isEqualTo(3));
            assertThat(events.get(2)).isEqualTo(new ServerSentEvent(null, "end", "{\"type\":\"end\",\"since\":3}"));
        }
    }

    @Test
    void serverSentEventsDeliverLiveEvents() throws Exception {
        var listener = api.anonymousToken();
        var sender = api.anonymousToken();
        try (var stream = api.stream("/room/sse-live?timeout=1", listener, "Accept", "text/event-stream")) {
            var lines = new ArrayList<String>();
            // The join: id, event, data and the blank line that ends it.
            for (int i = 0; i < 4; i++) {
                lines.add(stream.nextLine(SOON));
            }
            var sent = api.sendMessage("sse-live", sender, "live over SSE");
            lines.addAll(stream.readToEnd(SOON));
            var events = ServerSentEvent.parse(lines);
            assertThat(events).extracting(ServerSentEvent::event).containsExactly("join", "message", "end");
            assertThat(Api.item(events.get(1).data())).isEqualTo(sent);
            assertThat(events.get(1).id()).isEqualTo(Long.toString(sent.seq()));
            assertThat(Api.item(events.get(2).data())).isEqualTo(new StreamItem.End(sent.seq()));
        }
    }

    @Test
    void quietStreamsGetKeepaliveLines() throws Exception {
        try (var quick = TestServer.start(c -> c.streams.keepalive = Duration.ofMillis(200))) {
            var quickApi = new Api(quick);
            var token = quickApi.anonymousToken();
            try (var stream = quickApi.stream("/room/quiet?timeout=2", token)) {
                var items = stream.itemsToEnd(SOON);
                assertThat(items.getFirst()).isInstanceOf(Event.class);
                assertThat(items.subList(1, items.size() - 1)).hasSizeGreaterThanOrEqualTo(3)
                        .allMatch(StreamItem.Keepalive.class::isInstance);
                assertThat(items.getLast()).isEqualTo(new StreamItem.End(1));
            }
            try (var stream = quickApi.stream("/room/quiet-sse?timeout=1", token, "Accept", "text/event-stream")) {
                var events = ServerSentEvent.parse(stream.readToEnd(SOON));
                assertThat(events).extracting(ServerSentEvent::event).startsWith("join").endsWith("end");
                assertThat(events.subList(1, events.size() - 1)).hasSizeGreaterThanOrEqualTo(2)
                        .allMatch(e -> e.equals(new ServerSentEvent(null, "keepalive", "{\"type\":\"keepalive\"}")));
            }
        }
    }

    @Test
    void contentTypesFollowTheAcceptHeader() throws Exception {
        var token = api.anonymousToken();
        try (var stream = api.stream("/room/types?timeout=0", token)) {
            assertThat(stream.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("application/x-ndjson"));
            stream.readToEnd(SOON);
        }
        try (var stream = api.stream("/room/types?timeout=0", token, "Accept", "application/json")) {
            assertThat(stream.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("application/x-ndjson"));
            stream.readToEnd(SOON);
        }
        try (var stream = api.stream("/room/types?timeout=0", token, "Accept", "text/event-stream")) {
            assertThat(stream.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
            stream.readToEnd(SOON);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"timeout=-1", "timeout=3601", "timeout=abc", "timeout=1.5", "timeout=", "timeout=1e2",
            "timeout=99999999999999999999", "since=-1", "since=x", "since=", "since=1e3", "since=9223372036854775807",
            "since=9999999999999999999", "history=501", "history=-1", "history=ten", "history=2.0"})
    void badParametersAreInvalidRequests(String query) {
        var token = api.anonymousToken();
        assertError(api.get("/room/params?" + query, token), ErrorCode.INVALID_REQUEST);
    }

    @Test
    void aBadLastEventIdIsAnInvalidRequest() {
        var token = api.anonymousToken();
        var request = api.request("/room/params?timeout=0", token).header("Accept", "text/event-stream")
                .header("Last-Event-ID", "abc").GET().build();
        assertError(api.send(request), ErrorCode.INVALID_REQUEST);
    }
}
