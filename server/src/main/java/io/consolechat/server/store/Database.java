package io.consolechat.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.consolechat.server.bus.EventBus;
import io.consolechat.server.config.ServerConfig;
import io.consolechat.server.error.StoreException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The database of a server, migrated to the current schema: the embedded SQLite file in the data directory
 * (one server per directory), or a PostgreSQL database (which several servers may share).
 */
public final class Database implements AutoCloseable {
    /**
     * Connections for the limits shared on PostgreSQL, apart from the main pool: however many requests check
     * a limit at once, they wait for these and never for the event log's.
     */
    private static final int LIMIT_CONNECTIONS = 3;
    /** A limit check that waits longer than this on a row lock, or on a slow database, fails (503). */
    private static final int LIMIT_STATEMENT_TIMEOUT_MS = 2_000;
    /**
     * How long the event writer tries to learn whether a commit that got no answer was applied, before its
     * senders are told that the outcome is unknown. Long enough for a PostgreSQL restart or a broken
     * connection to be found out (each look waits at most the pool's 5 s for a connection, so two looks or
     * more fit); short enough that the answer comes well within a client's request timeout (the console's
     * is 30 s) and a proxy's (often 60 s). Only the senders of that batch wait so long: posts that come
     * meanwhile wait while the database answers, and are refused as usual while it cannot be reached.
     */
    private static final Duration IN_DOUBT_LIMIT = Duration.ofSeconds(10);

    private final HikariDataSource pool;
    /** Null for SQLite, whose one server keeps its limits in memory. */
    private final HikariDataSource limitsPool;
    private final DataDirectoryLock lock;
    private final PostgresNotifications notifications;
    private final SqlEventLog events;
    private final SqlAccountStore accounts;
    private final SqlPersonalLog personal;
    private final SqlBlockList blocks;
    private final SqlRoomStore rooms;
    private final SqlPresenceStore presence;
    private final SqlTicketStore tickets;
    private final SqlLoginFailureStore loginFailures;
    private final PostgresRateBuckets rateBuckets;
    private final SqlStreamCountStore streamCounts;

    private Database(HikariDataSource pool, HikariDataSource limitsPool, DataDirectoryLock lock,
                     PostgresNotifications notifications, EventBus bus, Clock clock, Duration inDoubtLimit) {
        this.pool = pool;
        this.limitsPool = limitsPool;
        this.lock = lock;
        this.notifications = notifications;
        var transactions = new Transactions(pool, pool::evictConnection);
        // A commit over a network can lose its answer; an embedded one cannot.
        var outcomes = notifications == null ? CommitOutcomes.NONE : new PostgresCommitOutcomes(pool);
        this.events = new SqlEventLog(transactions, outcomes, inDoubtLimit, bus,
                notifications == null ? CommitNotice.NONE : notifications, clock);
        this.accounts = new SqlAccountStore(transactions, notifications);
        this.personal = new SqlPersonalLog(transactions, notifications);
        this.blocks = new SqlBlockList(transactions);
        this.rooms = new SqlRoomStore(transactions);
        this.presence = new SqlPresenceStore(transactions, notifications != null);
        this.tickets = new SqlTicketStore(transactions);
        this.loginFailures = new SqlLoginFailureStore(transactions);
        this.rateBuckets = limitsPool == null ? null : new PostgresRateBuckets(limitsPool, clock);
        this.streamCounts = limitsPool == null ? null
                : new SqlStreamCountStore(new Transactions(limitsPool, limitsPool::evictConnection));
        if (notifications != null) {
            notifications.start(events, transactions);
        }
    }

    /** The database the storage settings name: PostgreSQL when a database URL is set, else SQLite in the data directory. */
    public static Database open(ServerConfig.Storage storage, EventBus bus, Clock clock) {
        return storage.database == null || storage.database.isBlank()
                ? openSqlite(storage.dataDir, bus, clock)
                : openPostgres(PostgresUrl.parse(storage.database, storage.databasePassword), bus, clock);
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
        return openSqlite(dataDir, bus, clock, underPool, true);
    }

    /**
     * Opens the SQLite database of a data directory that a server may be running on, for a tool that works
     * beside it ({@code console-chat admin}): without the server's lock. SQLite's WAL and busy timeout make
     * the two safe together.
     */
    public static Database openSqliteBeside(Path dataDir, EventBus bus, Clock clock) {
        return openSqlite(dataDir, bus, clock, UnaryOperator.identity(), false);
    }

    private static Database openSqlite(Path dataDir, EventBus bus, Clock clock, UnaryOperator<DataSource> underPool,
                                       boolean exclusive) {
        var file = dataDir.resolve("console-chat.db").toAbsolutePath();
        keepPrivate(dataDir, file);
        var lock = exclusive ? DataDirectoryLock.take(dataDir) : null;
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
        try {
            return open(config, "sqlite", file.toString(), null, lock, null, bus, clock, IN_DOUBT_LIMIT);
        } catch (StoreException e) {
            if (lock != null) {
                lock.close();
            }
            throw e;
        }
    }

    /**
     * Opens a PostgreSQL database, creating or migrating its schema; several servers may share it, and each
     * learns of the others' new events through {@link PostgresNotifications}.
     */
    public static Database openPostgres(PostgresUrl url, EventBus bus, Clock clock) {
        return openPostgres(url, bus, clock, IN_DOUBT_LIMIT);
    }

    /**
     * As {@link #openPostgres(PostgresUrl, EventBus, Clock)}, trying for {@code inDoubtLimit} to learn the
     * outcome of a commit that got no answer: fault tests make that short.
     */
    public static Database openPostgres(PostgresUrl url, EventBus bus, Clock clock, Duration inDoubtLimit) {
        return open(postgresPool(url), "postgresql", url.toString(), url, null, new PostgresNotifications(url, bus),
                bus, clock, inDoubtLimit);
    }

    /** A pool of connections to {@code url}, each borrower waiting at most 5 s for one. */
    private static HikariConfig postgresPool(PostgresUrl url) {
        var config = new HikariConfig();
        config.setJdbcUrl(url.jdbcUrl());
        config.setUsername(url.user());
        config.setPassword(url.password());
        // A request waits this long for a connection before it gets its 503: a database that is gone must not
        // hold requests for Hikari's default 30 s.
        config.setConnectionTimeout(5_000);
        return config;
    }

    /**
     * The limits' own small pool. A bucket update lost when PostgreSQL crashes gives a few tokens back, which
     * is harmless: so their commits do not wait for the disk.
     */
    private static HikariDataSource limitsPool(PostgresUrl url) {
        var config = postgresPool(url);
        config.setPoolName("console-chat-limits");
        config.setMaximumPoolSize(LIMIT_CONNECTIONS);
        config.setMinimumIdle(1);
        config.setConnectionInitSql("SELECT set_config('synchronous_commit', 'off', false),"
                + " set_config('statement_timeout', '" + LIMIT_STATEMENT_TIMEOUT_MS + "', false)");
        return new HikariDataSource(config);
    }

    /**
     * The pool and the schema, whatever the database; Flyway serialises concurrent migrations itself.
     * {@code shared} is the URL of a database other servers may share (then limits get a pool of their own),
     * null for SQLite.
     */
    private static Database open(HikariConfig config, String vendor, String where, PostgresUrl shared,
                                 DataDirectoryLock lock, PostgresNotifications notifications, EventBus bus,
                                 Clock clock, Duration inDoubtLimit) {
        config.setPoolName("console-chat-db");
        config.setMaximumPoolSize(8);
        config.setMinimumIdle(2);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreException("cannot open the database " + where + ": " + rootMessage(e), e);
        }
        HikariDataSource limits;
        try {
            // The shared migrations, and those of this kind of database alone.
            Flyway.configure().dataSource(pool).locations("classpath:db/migration", "classpath:db/vendor/" + vendor)
                    .load().migrate();
            limits = shared == null ? null : limitsPool(shared);
        } catch (RuntimeException e) {
            pool.close();
            throw new StoreException("cannot open the database " + where + ": " + rootMessage(e), e);
        }
        return new Database(pool, limits, lock, notifications, bus, clock, inDoubtLimit);
    }

    /**
     * The data directory becomes 0700 and the database file 0600, whatever the umask: they hold password and
     * token hashes and every message. SQLite gives its -wal and -shm files the database file's mode.
     */
    private static void keepPrivate(Path dataDir, Path file) {
        try {
            Files.createDirectories(dataDir);
            setMode(dataDir, "rwx------");
            if (!Files.exists(file)) {
                Files.createFile(file);
            }
            setMode(file, "rw-------");
            for (var companion : new String[] {"-wal", "-shm"}) {
                var path = file.resolveSibling(file.getFileName() + companion);
                if (Files.exists(path)) {
                    setMode(path, "rw-------");
                }
            }
        } catch (IOException e) {
            throw new StoreException("cannot use the data directory " + dataDir + ": " + describe(e), e);
        }
    }

    private static void setMode(Path path, String mode) throws IOException {
        if (Files.getFileStore(path).supportsFileAttributeView(PosixFileAttributeView.class)) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
        }
    }

    private static String describe(IOException e) {
        return switch (e) {
            case AccessDeniedException denied -> "permission denied";
            case FileAlreadyExistsException exists -> exists.getFile() + " is not a directory";
            case FileSystemException fs when fs.getReason() != null -> fs.getReason();
            default -> e.getMessage();
        };
    }

    private static String rootMessage(Throwable e) {
        while (e.getCause() != null && e.getCause() != e) {
            e = e.getCause();
        }
        return String.valueOf(e.getMessage());
    }

    public EventLog events() {
        return events;
    }

    public AccountStore accounts() {
        return accounts;
    }

    public PersonalLog personal() {
        return personal;
    }

    public BlockList blocks() {
        return blocks;
    }

    public RoomStore rooms() {
        return rooms;
    }

    /** Reports the connection pool (through HikariCP's own Micrometer support) and each commit to {@code registry}. */
    public void meterWith(io.micrometer.core.instrument.MeterRegistry registry) {
        pool.setMetricRegistry(registry);
        if (limitsPool != null) {
            limitsPool.setMetricRegistry(registry);
        }
        events.observeCommits(new CommitMeters(registry));
    }

    /** How a decision to end streams reaches the other instances on the database. */
    public StreamEnds streamEnds() {
        return notifications == null ? StreamEnds.NONE : notifications;
    }

    /**
     * Where failed logins are counted when other servers may share this database (PostgreSQL); empty for
     * SQLite, whose one server counts them in memory.
     */
    public java.util.Optional<LoginFailureStore> sharedLoginFailures() {
        return notifications == null ? java.util.Optional.empty() : java.util.Optional.of(loginFailures);
    }

    /**
     * Token buckets in the database when other servers may share it (PostgreSQL), so that they all draw from
     * the same; empty for SQLite, whose one server keeps its buckets in memory.
     */
    public java.util.Optional<RateBuckets> sharedRateBuckets() {
        return java.util.Optional.ofNullable(rateBuckets);
    }

    /**
     * Where servers that may share this database (PostgreSQL) publish how many streams they hold open; empty
     * for SQLite, whose one server counts them in memory.
     */
    public java.util.Optional<StreamCountStore> sharedStreamCounts() {
        return java.util.Optional.ofNullable(streamCounts);
    }

    public PresenceStore presence() {
        return presence;
    }

    /** Stream tickets, in the database so that any server on it can redeem a ticket another one issued. */
    public TicketStore tickets() {
        return tickets;
    }

    /** Whether a connection to the database answers a query now (waits at most the pool's connection timeout). */
    public boolean reachable() {
        try (var conn = pool.getConnection(); var statement = conn.createStatement()) {
            statement.setQueryTimeout(2);
            statement.execute("SELECT 1");
            return true;
        } catch (java.sql.SQLException | RuntimeException e) {
            return false;
        }
    }

    /** Stores what the event log has accepted, then closes the connections. */
    @Override
    public void close() {
        events.close();
        if (notifications != null) {
            notifications.close();
        }
        if (limitsPool != null) {
            limitsPool.close();
        }
        pool.close();
        if (lock != null) {
            lock.close();
        }
    }
}
