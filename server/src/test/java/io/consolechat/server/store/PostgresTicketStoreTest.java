package io.consolechat.server.store;

import io.consolechat.server.bus.LocalBus;
import io.consolechat.server.testing.PostgresExtension;
import io.consolechat.server.testing.PostgresExtension.Postgres;
import java.time.Clock;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class PostgresTicketStoreTest extends TicketStoreContract {
    private final String url;
    private Database database;

    PostgresTicketStoreTest(Postgres postgres) {
        this.url = postgres.newDatabase();
    }

    @Override
    protected TicketStore open() {
        database = Database.openPostgres(PostgresUrl.parse(url, null), new LocalBus(), Clock.systemUTC());
        return database.tickets();
    }

    @Override
    protected void closeStorage() {
        database.close();
    }
}
