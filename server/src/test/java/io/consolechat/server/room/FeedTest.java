package io.consolechat.server.room;

import static org.assertj.core.api.Assertions.assertThat;

import io.consolechat.protocol.Event;
import io.consolechat.protocol.EventType;
import io.consolechat.protocol.User;
import io.consolechat.protocol.UserKind;
import io.consolechat.server.auth.Session;
import io.consolechat.server.bus.LocalBus;
import io.consolechat.server.store.Database;
import io.consolechat.server.store.EventLog;
import io.consolechat.server.store.EventLog.NewEvent;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One stream's feed, on a real event log. A stream holds the backlog page it read until its client takes it:
 * pages are sized by the text they hold, so that a room of the longest messages does not make every stream
 * hold hundreds of KB outside its cap. A live stream that the room ends (a leave, a kick) is owed every event
 * committed before its end, the one that ended it among them, whether or not the fan-out brought them and
 * whatever waited in its buffer.
 */
class FeedTest {
    private static final User ALICE = new User("alice", UserKind.REGISTERED);
    private static final Session READER = new Session("id-bob", new User("bob", UserKind.REGISTERED), "hash");
    /** 4,000 emoji: the longest message, 8,000 chars in a Java string. */
    private static final String LONGEST = "\uD83D\uDE00".repeat(4000);

    @TempDir
    Path dir;
    private Database database;
    private EventLog log;

    @BeforeEach
    void open() {
        database = Database.openSqlite(dir, new LocalBus(), Clock.systemUTC());
        log = database.events();
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void pagesOfTheLongestMessagesHoldAFewDozenKbAndTheWholeBacklogInOrder() throws InterruptedException {
        append("big", LONGEST, 200);
        var pages = backlogPages("big", new Backlog.Since(0));

        assertThat(pages.stream().flatMap(List::stream).map(Event::seq))
                .containsExactlyElementsOf(seqs(1, 200));
        // The first page is read before the messages' size is known: a few events.
        assertThat(pages.getFirst()).hasSize(Feed.FIRST_PAGE);
        for (var page : pages.subList(1, pages.size())) {
            assertThat(chars(page)).as("chars in a page of %d events", page.size())
                    .isLessThanOrEqualTo(Feed.PAGE_CHARS + LONGEST.length());
        }
    }

    @Test
    void shortMessagesStillComeFiftyToAPage() throws InterruptedException {
        append("chat", "hello there", 120);
        var pages = backlogPages("chat", new Backlog.Recent(120));

        assertThat(pages.stream().flatMap(List::stream).map(Event::seq))
                .containsExactlyElementsOf(seqs(1, 120));
        // The first page is small, before the messages' size is known; the others are full.
        assertThat(pages.subList(1, pages.size() - 1)).allSatisfy(page -> assertThat(page).hasSize(Feed.PAGE));
        assertThat(pages.size()).isLessThanOrEqualTo(4);
    }

    @Test
    void anEndedStreamWritesWhatWasBufferedAndThenWhatItIsOwed() {
        var first = append("room");
        var subscription = new Subscription("room", READER, 100);
        var written = new ArrayList<Event>();
        try (var feed = new Feed(log, subscription, new Backlog.Since(first.seq()), () -> { })) {
            assertThat(feed.next()).isEmpty();
            assertThat(feed.live()).isTrue();
            feed.writeLive(sink(written));

            // Three more are committed; the fan-out brings only the second (a notice came late, another was
            // lost), which is beyond the next expected seq and so waits in the buffer.
            var missed = append("room");
            var late = append("room");
            var ending = append("room");
            subscription.deliver(late);
            assertThat(written).isEmpty();
            // The room ends the stream after the last of them: it is owed up to there.
            subscription.close(Subscription.Closed.LEFT, ending.seq());

            assertThat(feed.pump(sink(written))).isFalse();
            assertThat(written).extracting(Event::seq).containsExactly(missed.seq(), late.seq(), ending.seq());
            assertThat(feed.lastSeq()).isEqualTo(ending.seq());
        }
    }

    private List<List<Event>> backlogPages(String room, Backlog backlog) throws InterruptedException {
        var subscription = new Subscription(room, READER, 100);
        var pages = new ArrayList<List<Event>>();
        try (var feed = new Feed(log, subscription, backlog, () -> { })) {
            while (!feed.live()) {
                var page = feed.next();
                if (!page.isEmpty()) {
                    pages.add(page);
                }
            }
        }
        return pages;
    }

    private void append(String room, String text, int count) {
        for (int i = 0; i < count; i++) {
            log.append(new NewEvent(room, EventType.MESSAGE, ALICE, text)).join();
        }
    }

    private static long chars(List<Event> page) {
        return page.stream().mapToLong(event -> event.text().length()).sum();
    }

    private static List<Long> seqs(long first, long last) {
        return LongStream.rangeClosed(first, last).boxed().toList();
    }

    private Event append(String room) {
        return log.append(new NewEvent(room, EventType.MESSAGE, ALICE, "hello")).join();
    }

    private static Feed.Sink sink(List<Event> written) {
        return new Feed.Sink() {
            @Override
            public boolean write(Event event) {
                return written.add(event);
            }

            @Override
            public void flush() {
            }
        };
    }
}
