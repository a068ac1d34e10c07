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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live stream that the room ends (a leave, a kick) is owed every event committed before its end, the one
 * that ended it among them, whether or not the fan-out brought them and whatever waited in its buffer.
 */
class FeedEndTest {
    private static final User ALICE = new User("alice", UserKind.REGISTERED);
    private static final Session READER = new Session("id-bob", new User("bob", UserKind.REGISTERED), "hash");

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
