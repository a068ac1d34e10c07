package io.consolechat.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.consolechat.protocol.PersonalEvent;
import io.consolechat.protocol.User;
import io.consolechat.protocol.UserKind;
import io.consolechat.server.bus.LocalBus;
import io.consolechat.server.testing.PostgresExtension;
import io.consolechat.server.testing.PostgresExtension.Postgres;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class PostgresPersonalLogTest extends PersonalLogContract {
    private final String url;
    private Database database;

    PostgresPersonalLogTest(Postgres postgres) {
        this.url = postgres.newDatabase();
    }

    @Override
    protected Stores open() {
        database = openDatabase();
        return new Stores(database.personal(), database.blocks());
    }

    @Override
    protected void closeStorage() {
        database.close();
    }

    private Database openDatabase() {
        return Database.openPostgres(PostgresUrl.parse(url, null), new LocalBus(), Clock.systemUTC());
    }

    private record Heard(String userKey, long id) {
    }

    /**
     * Each of two servers' logs hears of the item the other stored, and not of its own: one that stored an
     * item has handed it to its own feeds already.
     */
    @Test
    void anItemStoredThroughOneDatabaseIsHeardOfByAnotherOnTheSameOne() {
        try (var other = openDatabase()) {
            var heardHere = new CopyOnWriteArrayList<Heard>();
            var heardThere = new CopyOnWriteArrayList<Heard>();
            database.personal().onStoredElsewhere((user, id) -> heardHere.add(new Heard(user, id)));
            other.personal().onStoredElsewhere((user, id) -> heardThere.add(new Heard(user, id)));
            var from = new User("alice", UserKind.REGISTERED);

            database.personal().append("bob", PersonalEvent.concerning(PersonalEvent.Kind.INVITE, "lobby", from,
                    Instant.now()));
            other.personal().append("bob", PersonalEvent.concerning(PersonalEvent.Kind.KICK, "lobby", from,
                    Instant.now()));

            await().atMost(Duration.ofSeconds(10)).until(() -> !heardHere.isEmpty() && !heardThere.isEmpty());
            assertThat(heardThere).containsExactly(new Heard("bob", 1));
            // Notices arrive in commit order: had this log heard of its own item 1, it would have before item 2.
            assertThat(heardHere).containsExactly(new Heard("bob", 2));
        }
    }
}
