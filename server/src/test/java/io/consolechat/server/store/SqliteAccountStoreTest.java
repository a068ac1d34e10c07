package io.consolechat.server.store;

import io.consolechat.server.bus.LocalBus;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.io.TempDir;

class SqliteAccountStoreTest extends AccountStoreContract {
    @TempDir
    Path dir;
    private Database database;

    @Override
    protected AccountStore open() {
        database = Database.openSqlite(dir, new LocalBus(), Clock.systemUTC());
        return database.accounts();
    }

    @Override
    protected void closeStorage() {
        database.close();
    }
}
