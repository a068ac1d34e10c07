package io.consolechat.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The PostgreSQL password of {@code server --database} and {@code migrate --to}: from a file if one is named,
 * else from the environment; never a flag, which {@code ps} would show.
 */
final class DatabasePassword {
    @Option(names = "--database-password-file", defaultValue = "${env:CONSOLE_CHAT_DATABASE_PASSWORD_FILE}",
            description = "A file holding the database's password (its first line) "
                    + "(env CONSOLE_CHAT_DATABASE_PASSWORD_FILE).")
    Path file;

    /** The password, or null for none; a file that cannot be read is a usage error of {@code spec}'s command. */
    String read(CommandSpec spec) {
        if (file != null) {
            try {
                return Files.readAllLines(file).stream().findFirst().orElse("");
            } catch (IOException e) {
                throw new ParameterException(spec.commandLine(),
                        "cannot read --database-password-file " + file + ": " + e.getMessage());
            }
        }
        return System.getenv("CONSOLE_CHAT_DATABASE_PASSWORD");
    }
}
