package io.consolechat.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.flywaydb.core.Flyway;

/** Opens the embedded SQLite database in the data directory, migrated to the current schema. */
public final class Database implements AutoCloseable {
    private final HikariDataSource dataSource;
    private final SqlStore store;

    private Database(HikariDataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.store = new SqlStore(dataSource, clock);
    }

    public static Database openSqlite(Path dataDir, Clock clock) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new StoreException("cannot create the data directory " + dataDir, e);
        }
        var file = dataDir.resolve("console-chat.db").toAbsolutePath();
        var config = new HikariConfig();
        // WAL lets readers run beside the writer; synchronous=FULL makes each commit durable before it returns;
        // IMMEDIATE transactions take the write lock up front, so a read-then-write never fails half-way.
        config.setJdbcUrl("jdbc:sqlite:" + file
                + "?journal_mode=WAL&synchronous=FULL&busy_timeout=10000&foreign_keys=true&transaction_mode=IMMEDIATE");
        config.setPoolName("console-chat-db");
        config.setMaximumPoolSize(8);
        config.setMinimumIdle(2);
        var dataSource = new HikariDataSource(config);
        try {
            Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        } catch (RuntimeException e) {
            dataSource.close();
            throw new StoreException("cannot migrate the database " + file, e);
        }
        return new Database(dataSource, clock);
    }

    public Store store() {
        return store;
    }

    @Override
    public void close() {
        store.close();
        dataSource.close();
    }
}
