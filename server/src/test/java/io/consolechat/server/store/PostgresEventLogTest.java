package io.consolechat.server.store;

import io.consolechat.server.bus.EventBus;
import io.consolechat.server.testing.PostgresExtension;
import io.consolechat.server.testing.PostgresExtension.Postgres;
import java.time.Clock;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class PostgresEventLogTest extends EventLogContract {
    private final String url;
    private Database database;

    PostgresEventLogTest(Postgres postgres) {
        this.url = postgres.newDatabase();
    }

    @Override
    protected EventLog open(EventBus bus, Clock clock) {
        database = Database.openPostgres(PostgresUrl.parse(url, null), bus, clock);
        return database.events();
    }

    @Override
    protected void closeStorage() {
        database.close();
    }
}
