package io.consolechat.app;

import io.consolechat.server.error.StoreException;
import io.consolechat.server.store.PostgresUrl;
import io.consolechat.server.store.SqliteToPostgres;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code console-chat migrate}: moves a server's embedded SQLite data into an empty PostgreSQL database. */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = {"Copy the embedded SQLite database of a data directory into an empty PostgreSQL database:",
                "users with their password hashes and tokens, rooms with their owners, keys, operators, bans and",
                "invitations, every event with its seq, personal events and idempotency keys. Stop the server on",
                "the data directory first; the data directory is left as it was, apart from schema migrations."},
        footer = {"%nExit codes:",
                "  0     copied (the row counts on stdout)",
                "  1     usage error, or nothing was copied (the reason on stderr): the data directory is in use,",
                "        the target database is not empty or cannot be reached"})
final class MigrateCommand implements Callable<Integer> {

    @Option(names = "--data-dir", defaultValue = "${env:CONSOLE_CHAT_DATA_DIR:-./data}",
            description = "Data directory to copy from (env CONSOLE_CHAT_DATA_DIR, default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--to", required = true,
            description = "The empty PostgreSQL database to copy into: postgresql://user@host:port/db?params "
                    + "(or jdbc:postgresql://...). Its password comes from the URL, the env "
                    + "CONSOLE_CHAT_DATABASE_PASSWORD, or --database-password-file.")
    String to;

    @Mixin
    DatabasePassword databasePassword = new DatabasePassword();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        var out = spec.commandLine().getOut();
        try {
            var target = PostgresUrl.parse(to, databasePassword.read(spec));
            var copied = new SqliteToPostgres(dataDir, target).copy();
            out.println("copied " + dataDir.toAbsolutePath() + " into " + target + ":");
            copied.forEach((table, rows) -> out.printf("  %-18s %d%n", table, rows));
            out.flush();
            return 0;
        } catch (StoreException e) {
            err.println("console-chat: " + e.getMessage());
            return Main.USAGE;
        }
    }
}
