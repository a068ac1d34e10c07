package io.consolechat.server.store;

import io.consolechat.server.bus.LocalBus;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.io.TempDir;

class SqlitePersonalLogTest extends PersonalLogContract {
    @TempDir
    Path dir;
    private Database database;

    @Override
    protected Stores open() {
        database = Database.openSqlite(dir, new LocalBus(), Clock.systemUTC());
        return new Stores(database.personal(), database.blocks());
    }

    @Override
    protected void closeStorage() {
        database.close();
    }
}
