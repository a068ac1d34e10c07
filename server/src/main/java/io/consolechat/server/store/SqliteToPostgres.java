package io.consolechat.server.store;

import io.consolechat.server.error.StoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Copies the SQLite database of a data directory into an empty PostgreSQL database, row for row: every table
 * the migrations create, so users keep their password hashes and tokens, rooms their owners, keys and bans,
 * and every event its seq. Both sides are first brought to the current schema by Flyway; the tables and
 * columns copied are those PostgreSQL has, and a table SQLite has that PostgreSQL lacks stops the copy.
 *
 * <p>The data directory's lock is held throughout, so no server writes the SQLite file meanwhile; the rows go
 * to PostgreSQL in one transaction, so a failed copy leaves it empty.
 */
public final class SqliteToPostgres {
    private static final String HISTORY = "flyway_schema_history";
    private static final int BATCH = 1_000;

    private final Path dataDir;
    private final PostgresUrl target;

    public SqliteToPostgres(Path dataDir, PostgresUrl target) {
        this.dataDir = dataDir;
        this.target = target;
    }

    /** Copies everything; returns the rows copied per table, in the order they were copied. */
    public Map<String, Long> copy() {
        var file = dataDir.resolve("console-chat.db").toAbsolutePath();
        if (!Files.isRegularFile(file)) {
            throw new StoreException("no console-chat database in " + dataDir.toAbsolutePath());
        }
        try (var lock = DataDirectoryLock.take(dataDir)) {
            var sqlite = sqlite(file);
            migrate(sqlite, "sqlite", file.toString());
            migratePostgres();
            try (var from = sqlite.getConnection();
                 var to = DriverManager.getConnection(target.jdbcUrl(), target.user(), target.password())) {
                from.setAutoCommit(false);
                to.setAutoCommit(false);
                var copied = copy(from, to);
                to.commit();
                from.rollback();
                return copied;
            } catch (SQLException e) {
                throw new StoreException("the copy failed, nothing was stored in " + target + ": " + e.getMessage(), e);
            }
        }
    }

    private static DataSource sqlite(Path file) {
        var settings = new SQLiteConfig();
        settings.setBusyTimeout(10_000);
        var source = new SQLiteDataSource(settings);
        source.setUrl("jdbc:sqlite:" + file);
        return source;
    }

    private static void migrate(DataSource source, String vendor, String where) {
        try {
            Flyway.configure().dataSource(source).locations("classpath:db/migration", "classpath:db/vendor/" + vendor)
                    .load().migrate();
        } catch (RuntimeException e) {
            throw new StoreException("cannot migrate the database " + where + ": " + rootMessage(e), e);
        }
    }

    private void migratePostgres() {
        try {
            var flyway = Flyway.configure().dataSource(target.jdbcUrl(), target.user(), target.password())
                    .locations("classpath:db/migration", "classpath:db/vendor/postgresql").load();
            flyway.migrate();
        } catch (RuntimeException e) {
            var reason = rootMessage(e);
            // Flyway refuses a schema holding tables of something else: that is a database that is not empty.
            if (reason.contains("non-empty schema")) {
                throw new StoreException(target + " is not empty: it holds tables of something else", e);
            }
            throw new StoreException("cannot open the database " + target + ": " + reason, e);
        }
    }

    private Map<String, Long> copy(Connection from, Connection to) throws SQLException {
        var tables = tablesInCopyOrder(to);
        var missing = new TreeSet<>(sqliteTables(from));
        missing.removeAll(tables);
        if (!missing.isEmpty()) {
            throw new StoreException("the PostgreSQL schema has no table " + String.join(", ", missing)
                    + "; nothing was copied");
        }
        for (var table : tables) {
            if (hasRows(to, table)) {
                throw new StoreException(target + " is not empty (table " + table + " has rows); "
                        + "migrate copies into an empty database only");
            }
        }
        var copied = new LinkedHashMap<String, Long>();
        for (var table : tables) {
            copied.put(table, copyTable(from, to, table));
        }
        return copied;
    }

    /** PostgreSQL's tables, each after the tables its foreign keys name. */
    private static List<String> tablesInCopyOrder(Connection to) throws SQLException {
        var meta = to.getMetaData();
        var schema = to.getSchema();
        var parents = new LinkedHashMap<String, Set<String>>();
        try (var tables = meta.getTables(null, schema, "%", new String[] {"TABLE"})) {
            while (tables.next()) {
                var name = tables.getString("TABLE_NAME");
                if (!name.equals(HISTORY)) {
                    parents.put(name, new TreeSet<>());
                }
            }
        }
        for (var entry : parents.entrySet()) {
            try (var keys = meta.getImportedKeys(null, schema, entry.getKey())) {
                while (keys.next()) {
                    var parent = keys.getString("PKTABLE_NAME");
                    if (!parent.equals(entry.getKey())) {
                        entry.getValue().add(parent);
                    }
                }
            }
        }
        var ordered = new LinkedHashSet<String>();
        while (ordered.size() < parents.size()) {
            int before = ordered.size();
            for (var entry : new TreeSet<>(parents.keySet())) {
                if (!ordered.contains(entry) && ordered.containsAll(parents.get(entry))) {
                    ordered.add(entry);
                }
            }
            if (ordered.size() == before) {
                throw new StoreException("the PostgreSQL schema's foreign keys form a cycle");
            }
        }
        return new ArrayList<>(ordered);
    }

    private static Set<String> sqliteTables(Connection from) throws SQLException {
        var names = new TreeSet<String>();
        try (var statement = from.createStatement();
             var rows = statement.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
            while (rows.next()) {
                var name = rows.getString(1);
                if (!name.startsWith("sqlite_") && !name.equals(HISTORY)) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    private static boolean hasRows(Connection to, String table) throws SQLException {
        try (var statement = to.createStatement();
             var rows = statement.executeQuery("SELECT EXISTS (SELECT 1 FROM " + quote(table) + ")")) {
            rows.next();
            return rows.getBoolean(1);
        }
    }

    private record Column(String name, int type) {
    }

    private static List<Column> columns(Connection to, String table) throws SQLException {
        var columns = new ArrayList<Column>();
        try (var rows = to.getMetaData().getColumns(null, to.getSchema(), table, "%")) {
            while (rows.next()) {
                columns.add(new Column(rows.getString("COLUMN_NAME"), rows.getInt("DATA_TYPE")));
            }
        }
        return columns;
    }

    private static long copyTable(Connection from, Connection to, String table) throws SQLException {
        var columns = columns(to, table);
        var names = String.join(", ", columns.stream().map(c -> quote(c.name())).toList());
        var marks = String.join(", ", columns.stream().map(c -> "?").toList());
        long count = 0;
        try (var read = from.createStatement();
             var rows = read.executeQuery("SELECT " + names + " FROM " + quote(table));
             var insert = to.prepareStatement("INSERT INTO " + quote(table) + " (" + names + ") VALUES (" + marks + ")")) {
            while (rows.next()) {
                for (int i = 0; i < columns.size(); i++) {
                    transfer(rows, insert, i + 1, columns.get(i).type());
                }
                insert.addBatch();
                if (++count % BATCH == 0) {
                    insert.executeBatch();
                }
            }
            insert.executeBatch();
        }
        return count;
    }

    /** One value, read from SQLite as the PostgreSQL column's type wants it (SQLite keeps booleans as 0 and 1). */
    private static void transfer(ResultSet rows, PreparedStatement insert, int index, int type) throws SQLException {
        switch (type) {
            case Types.BOOLEAN, Types.BIT -> {
                boolean value = rows.getBoolean(index);
                if (rows.wasNull()) {
                    insert.setNull(index, Types.BOOLEAN);
                } else {
                    insert.setBoolean(index, value);
                }
            }
            case Types.BIGINT, Types.INTEGER, Types.SMALLINT -> {
                long value = rows.getLong(index);
                if (rows.wasNull()) {
                    insert.setNull(index, type);
                } else {
                    insert.setLong(index, value);
                }
            }
            default -> insert.setString(index, rows.getString(index));
        }
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    private static String rootMessage(Throwable e) {
        while (e.getCause() != null && e.getCause() != e) {
            e = e.getCause();
        }
        return String.valueOf(e.getMessage());
    }
}
