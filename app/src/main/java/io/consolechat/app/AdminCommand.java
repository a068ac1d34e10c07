package io.consolechat.app;

import io.consolechat.protocol.Json;
import io.consolechat.server.bus.LocalBus;
import io.consolechat.server.store.AccountStore;
import io.consolechat.server.store.Database;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code console-chat admin}: server admins and server-wide bans, on the server's own database. It opens the
 * SQLite file directly, which is safe beside a running server (WAL, busy timeout, one transaction per change);
 * a running server notices a ban within a second and ends the user's sessions and streams.
 */
@Command(name = "admin", mixinStandardHelpOptions = true,
        description = "Manage server admins and server-wide bans on the server's database.",
        subcommands = {AdminCommand.Grant.class, AdminCommand.Revoke.class, AdminCommand.ListUsers.class,
                AdminCommand.Ban.class, AdminCommand.Unban.class, AdminCommand.DeleteUser.class})
final class AdminCommand implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(AdminCommand.class);
    static final int NOT_FOUND = 3;

    @Option(names = "--data-dir", defaultValue = "${env:CONSOLE_CHAT_DATA_DIR:-./data}",
            scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Directory of the server's database (env CONSOLE_CHAT_DATA_DIR, default ${DEFAULT-VALUE}).")
    Path dataDir;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Runs {@code work} on the account store; exit 0, or 3 with a message when the user does not exist. */
    int withAccounts(String name, String done, Function<AccountStore, Boolean> work) {
        try (var database = Database.openSqliteBeside(dataDir, new LocalBus(), Clock.systemUTC())) {
            if (!work.apply(database.accounts())) {
                spec.commandLine().getErr().println("console-chat admin: no user " + name);
                return NOT_FOUND;
            }
        }
        // Who ran it: the operating system's user, since the command needs no login.
        log.info("admin action by {}: {}", System.getProperty("user.name"), done);
        spec.commandLine().getOut().println(done);
        return 0;
    }

    abstract static class UserAction implements Callable<Integer> {
        @ParentCommand
        AdminCommand admin;

        @Parameters(paramLabel = "NAME", description = "The user's name.")
        String name;
    }

    @Command(name = "grant", mixinStandardHelpOptions = true, description = "Make a registered user a server admin (others are refused as unknown).")
    static final class Grant extends UserAction {
        @Override
        public Integer call() {
            return admin.withAccounts(name, "granted server admin to " + name, accounts ->
                    accounts.userByName(name).filter(u -> u.kind() == io.consolechat.protocol.UserKind.REGISTERED)
                            .isPresent() && accounts.setAdmin(name, true));
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Take server admin away from a user.")
    static final class Revoke extends UserAction {
        @Override
        public Integer call() {
            return admin.withAccounts(name, "revoked server admin from " + name, accounts -> accounts.setAdmin(name, false));
        }
    }

    @Command(name = "ban", mixinStandardHelpOptions = true,
            description = "Ban a user from the whole server: their tokens are revoked and logins refused.")
    static final class Ban extends UserAction {
        @Option(names = "--minutes", description = "How long; without it, until lifted with unban.")
        Long minutes;

        @Option(names = "--reason", description = "Why; written to the log with the ban.")
        String reason;

        @Override
        public Integer call() {
            if (minutes != null && minutes < 1) {
                throw new picocli.CommandLine.ParameterException(admin.spec.commandLine(), "--minutes must be at least 1");
            }
            var until = minutes == null ? Instant.MAX : Instant.now().plus(Duration.ofMinutes(minutes));
            var what = "banned " + name + " from the server " + (minutes == null ? "until lifted" : "until " + until)
                    + (reason == null ? "" : " (" + reason + ")");
            return admin.withAccounts(name, what, accounts -> accounts.banUser(name, until, reason));
        }
    }

    @Command(name = "unban", mixinStandardHelpOptions = true, description = "Lift a server-wide ban.")
    static final class Unban extends UserAction {
        @Override
        public Integer call() {
            return admin.withAccounts(name, "lifted the server ban of " + name, accounts -> accounts.unbanUser(name));
        }
    }

    @Command(name = "delete-user", mixinStandardHelpOptions = true,
            description = "Remove an account and its tokens; past messages stay, under the name.")
    static final class DeleteUser extends UserAction {
        @Override
        public Integer call() {
            return admin.withAccounts(name, "deleted user " + name, accounts -> accounts.deleteUser(name));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List users: name, kind, admin, created, last seen (newest live token), ban.")
    static final class ListUsers implements Callable<Integer> {
        @ParentCommand
        AdminCommand admin;

        @Override
        public Integer call() {
            var out = admin.spec.commandLine().getOut();
            try (var database = Database.openSqliteBeside(admin.dataDir, new LocalBus(), Clock.systemUTC())) {
                out.printf("%-32s %-10s %-5s %-24s %-24s %s%n", "NAME", "KIND", "ADMIN", "CREATED", "LAST SEEN", "BANNED");
                for (var row : database.accounts().users()) {
                    out.printf("%-32s %-10s %-5s %-24s %-24s %s%n", row.user().name(), row.user().kind().wireName(),
                            row.admin() ? "yes" : "no", Json.format(row.createdAt()),
                            row.lastSeen() == null ? "-" : Json.format(row.lastSeen()),
                            row.bannedUntil() == null ? "-"
                                    : row.bannedUntil().equals(Instant.MAX) ? "until lifted" : Json.format(row.bannedUntil()));
                }
            }
            out.flush();
            return 0;
        }
    }
}
