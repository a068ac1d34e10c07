package io.consolechat.server.store;

import io.consolechat.server.bus.LocalBus;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.io.TempDir;

class SqliteRoomStoreTest extends RoomStoreContract {
    @TempDir
    Path dir;
    private Database database;

    @Override
    protected RoomStore open() {
        database = Database.openSqlite(dir, new LocalBus(), Clock.systemUTC());
        return database.rooms();
    }

    @Override
    protected EventLog events() {
        return database.events();
    }

    @Override
    protected void closeStorage() {
        database.close();
    }
}
