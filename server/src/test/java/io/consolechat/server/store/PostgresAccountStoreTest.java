package io.consolechat.server.store;

import io.consolechat.server.bus.LocalBus;
import io.consolechat.server.testing.PostgresExtension;
import io.consolechat.server.testing.PostgresExtension.Postgres;
import java.time.Clock;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class PostgresAccountStoreTest extends AccountStoreContract {
    private final String url;
    private Database database;

    PostgresAccountStoreTest(Postgres postgres) {
        this.url = postgres.newDatabase();
    }

    @Override
    protected AccountStore open() {
        database = Database.openPostgres(PostgresUrl.parse(url, null), new LocalBus(), Clock.systemUTC());
        return database.accounts();
    }

    @Override
    protected void closeStorage() {
        database.close();
    }
}
