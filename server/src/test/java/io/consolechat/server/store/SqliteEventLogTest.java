package io.consolechat.server.store;

import io.consolechat.server.bus.EventBus;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.io.TempDir;

class SqliteEventLogTest extends EventLogContract {
    @TempDir
    Path dir;
    private Database database;

    @Override
    protected EventLog open(EventBus bus, Clock clock) {
        database = Database.openSqlite(dir, bus, clock);
        return database.events();
    }

    @Override
    protected void closeStorage() {
        database.close();
    }
}
