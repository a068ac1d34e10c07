package io.consolechat.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.consolechat.protocol.PersonalEvent;
import io.consolechat.protocol.PersonalEvent.Kind;
import io.consolechat.protocol.User;
import io.consolechat.protocol.UserKind;
import io.consolechat.server.testing.ManualClock;
import java.util.ArrayList;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link PersonalLog} and {@link BlockList} must do, whatever the database behind them. A subclass
 * opens them on its database; the same storage must be found again by a second {@link #open}.
 */
public abstract class PersonalLogContract {
    private static final User ALICE = new User("Alice", UserKind.REGISTERED);

    /** The two stores on this test's database. */
    protected record Stores(PersonalLog personal, BlockList blocks) {
    }

    protected abstract Stores open();

    protected abstract void closeStorage();

    private final ManualClock clock = new ManualClock();
    private Stores stores;

    @BeforeEach
    void openStores() {
        stores = open();
    }

    @AfterEach
    void closeStores() {
        closeStorage();
    }

    private PersonalEvent item(Kind kind, String text) {
        if (kind == Kind.INVITE) {
            return PersonalEvent.concerning(kind, "lobby", ALICE, clock.instant());
        }
        return new PersonalEvent(kind, 1, kind == Kind.DM ? "dm:alice:bob" : "lobby", 7L, clock.instant(), ALICE, text,
                kind == Kind.DM ? Boolean.TRUE : null);
    }

    @Test
    void eachUserHasAGapFreeSequenceFromOne() {
        var log = stores.personal();
        assertThat(log.append("bob", item(Kind.DM, "one")).id()).isEqualTo(1);
        assertThat(log.append("carol", item(Kind.MENTION, "other user")).id()).isEqualTo(1);
        assertThat(log.append("bob", item(Kind.MENTION, "two")).id()).isEqualTo(2);
        assertThat(log.append("bob", item(Kind.INVITE, null)).id()).isEqualTo(3);
        assertThat(log.lastId("bob")).isEqualTo(3);
        assertThat(log.lastId("nobody")).isZero();
    }

    @Test
    void itemsReadBackAsAppendedAndPage() {
        var log = stores.personal();
        var stored = new ArrayList<PersonalEvent>();
        stored.add(log.append("bob", item(Kind.DM, "a direct message")));
        stored.add(log.append("bob", item(Kind.MENTION, "a mention")));
        stored.add(log.append("bob", item(Kind.INVITE, null)));
        assertThat(log.after("bob", 0, 10)).containsExactlyElementsOf(stored);
        assertThat(log.after("bob", 1, 1)).containsExactly(stored.get(1));
        assertThat(log.last("bob", 2)).containsExactlyElementsOf(stored.subList(1, 3));
        assertThat(log.after("carol", 0, 10)).isEmpty();
        assertThat(stored.get(0).action()).isTrue();
        assertThat(stored.get(2).seq()).isNull();
        assertThat(stored.get(2).text()).isNull();

        closeStorage();
        stores = open();
        assertThat(stores.personal().after("bob", 0, 10)).containsExactlyElementsOf(stored);
    }

    @Test
    void concurrentAppendsForOneUserTakeEveryIdOnce() throws Exception {
        var log = stores.personal();
        var futures = new ArrayList<Future<PersonalEvent>>();
        try (var pool = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 200; i++) {
                var text = "m" + i;
                futures.add(pool.submit((Callable<PersonalEvent>) () -> log.append("busy", item(Kind.DM, text))));
            }
        }
        var ids = new ArrayList<Long>();
        for (var future : futures) {
            ids.add(future.get().id());
        }
        assertThat(ids).containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, 200).mapToObj(i -> (long) i).toList());
        assertThat(log.after("busy", 0, 500)).extracting(PersonalEvent::id)
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 200).mapToObj(i -> (long) i).toList());
    }

    @Test
    void blocksAreOneWayAndCanBeLifted() {
        var blocks = stores.blocks();
        assertThat(blocks.blocks("bob", "alice")).isFalse();
        blocks.block("bob", "alice");
        blocks.block("bob", "alice");
        assertThat(blocks.blocks("bob", "alice")).isTrue();
        assertThat(blocks.blocks("alice", "bob")).isFalse();
        assertThat(blocks.unblock("bob", "alice")).isTrue();
        assertThat(blocks.unblock("bob", "alice")).isFalse();
        assertThat(blocks.blocks("bob", "alice")).isFalse();
    }
}
