package io.consolechat.app;

import io.consolechat.server.ChatServer;
import io.consolechat.server.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code console-chat server}: runs the chat server until Ctrl-C or SIGTERM. */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = "Run the chat server on the embedded database.")
final class ServerCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "${env:CONSOLE_CHAT_PORT:-8080}",
            description = "Port to listen on; 0 picks a free one (env CONSOLE_CHAT_PORT, default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = "${env:CONSOLE_CHAT_HOST:-0.0.0.0}",
            description = "Address to listen on (env CONSOLE_CHAT_HOST, default ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--data-dir", defaultValue = "${env:CONSOLE_CHAT_DATA_DIR:-./data}",
            description = "Directory of the database (env CONSOLE_CHAT_DATA_DIR, default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--presence-grace", defaultValue = "${env:CONSOLE_CHAT_PRESENCE_GRACE:-15}",
            description = "Seconds a user stays present after their last stream ends "
                    + "(env CONSOLE_CHAT_PRESENCE_GRACE, default ${DEFAULT-VALUE}).")
    int presenceGraceSeconds;

    @Option(names = "--registered-token-days", defaultValue = "${env:CONSOLE_CHAT_REGISTERED_TOKEN_DAYS:-30}",
            description = "Lifetime of a registered user's token in days (env CONSOLE_CHAT_REGISTERED_TOKEN_DAYS, "
                    + "default ${DEFAULT-VALUE}).")
    int registeredTokenDays;

    @Option(names = "--guest-token-hours", defaultValue = "${env:CONSOLE_CHAT_GUEST_TOKEN_HOURS:-24}",
            description = "Lifetime of anonymous and temporary tokens in hours (env CONSOLE_CHAT_GUEST_TOKEN_HOURS, "
                    + "default ${DEFAULT-VALUE}).")
    int guestTokenHours;

    @Override
    public Integer call() throws InterruptedException {
        var defaults = ServerConfig.defaults();
        var guest = Duration.ofHours(guestTokenHours);
        var config = defaults.withHost(host).withPort(port).withDataDir(dataDir)
                .withPresenceGrace(Duration.ofSeconds(presenceGraceSeconds))
                .withLifetimes(new io.consolechat.server.auth.Accounts.Lifetimes(
                        guest, guest, Duration.ofDays(registeredTokenDays)));
        var server = ChatServer.start(config);
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "shutdown"));
        System.out.println("console-chat server listening on " + server.uri() + " (data in "
                + dataDir.toAbsolutePath().normalize() + ")");
        System.out.flush();
        stopped.await();
        return 0;
    }
}
