package io.consolechat.server.store;

import io.consolechat.server.bus.LocalBus;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.io.TempDir;

class SqliteTicketStoreTest extends TicketStoreContract {
    @TempDir
    Path dir;
    private Database database;

    @Override
    protected TicketStore open() {
        database = Database.openSqlite(dir, new LocalBus(), Clock.systemUTC());
        return database.tickets();
    }

    @Override
    protected void closeStorage() {
        database.close();
    }
}
