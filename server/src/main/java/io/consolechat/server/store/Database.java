package io.consolechat.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.consolechat.server.bus.EventBus;
import io.consolechat.server.error.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/** The database of one server: the embedded SQLite file in the data directory, migrated to the current schema. */
public final class Database implements AutoCloseable {
    private final HikariDataSource pool;
    private final SqlEventLog events;
    private final SqlAccountStore accounts;
    private final SqlRoomStore rooms;

    private Database(HikariDataSource pool, EventBus bus, Clock clock) {
        this.pool = pool;
        var transactions = new Transactions(pool, pool::evictConnection);
        this.events = new SqlEventLog(transactions, bus, clock);
        this.accounts = new SqlAccountStore(transactions);
        this.rooms = new SqlRoomStore(transactions);
    }

    /** Opens (creating if needed) {@code console-chat.db} in {@code dataDir}; committed events go to {@code bus}. */
    public static Database openSqlite(Path dataDir, EventBus bus, Clock clock) {
        return openSqlite(dataDir, bus, clock, UnaryOperator.identity());
    }

    /**
     * As {@link #openSqlite(Path, EventBus, Clock)}, with the driver's data source wrapped beneath the
     * connection pool by {@code underPool}: that is where fault tests make chosen commits fail.
     */
    public static Database openSqlite(Path dataDir, EventBus bus, Clock clock, UnaryOperator<DataSource> underPool) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new StoreException("cannot create the data directory " + dataDir, e);
        }
        var file = dataDir.resolve("console-chat.db").toAbsolutePath();
        var settings = new SQLiteConfig();
        // WAL lets readers run beside the writer; synchronous=FULL makes each commit durable before it returns;
        // IMMEDIATE transactions take the write lock up front, so a read-then-write never fails half-way.
        settings.setJournalMode(SQLiteConfig.JournalMode.WAL);
        settings.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        settings.setBusyTimeout(10_000);
        settings.enforceForeignKeys(true);
        settings.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        var sqlite = new SQLiteDataSource(settings);
        sqlite.setUrl("jdbc:sqlite:" + file);
        var config = new HikariConfig();
        config.setDataSource(underPool.apply(sqlite));
        config.setPoolName("console-chat-db");
        config.setMaximumPoolSize(8);
        config.setMinimumIdle(2);
        var pool = new HikariDataSource(config);
        try {
            Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw new StoreException("cannot migrate the database " + file, e);
        }
        return new Database(pool, bus, clock);
    }

    public EventLog events() {
        return events;
    }

    public AccountStore accounts() {
        return accounts;
    }

    public RoomStore rooms() {
        return rooms;
    }

    /** Stores what the event log has accepted, then closes the connections. */
    @Override
    public void close() {
        events.close();
        pool.close();
    }
}
