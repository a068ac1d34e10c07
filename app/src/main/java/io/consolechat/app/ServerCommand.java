package io.consolechat.app;

import io.consolechat.server.ChatServer;
import io.consolechat.server.ServerStartException;
import io.consolechat.server.config.LoginPolicy;
import io.consolechat.server.config.Rate;
import io.consolechat.server.config.ServerConfig;
import io.consolechat.server.config.Tls;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code console-chat server}: runs the chat server until Ctrl-C or SIGTERM. */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = "Run the chat server on the embedded database.",
        footer = {"%nExit codes:",
                "  1     usage error, or the server could not start (the reason on stderr)",
                "  130   stopped by Ctrl-C (SIGINT) after a clean shutdown",
                "  143   stopped by SIGTERM after a clean shutdown"})
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

    @Option(names = "--database", defaultValue = "${env:CONSOLE_CHAT_DATABASE}",
            description = "A PostgreSQL database instead of the embedded SQLite one: postgresql://user@host:port/db"
                    + "?params (or jdbc:postgresql://...); several servers may share it (env CONSOLE_CHAT_DATABASE). "
                    + "Its password comes from the URL, the env CONSOLE_CHAT_DATABASE_PASSWORD, or "
                    + "--database-password-file.")
    String database;

    @Mixin
    DatabasePassword databasePassword = new DatabasePassword();

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

    @Option(names = "--metrics", defaultValue = "${env:CONSOLE_CHAT_METRICS:-false}",
            description = "Serve GET /metrics in the Prometheus format, on the same port and without "
                    + "authentication: keep it from the public at the proxy (env CONSOLE_CHAT_METRICS, "
                    + "default ${DEFAULT-VALUE}; see docs/SECURITY.md).")
    boolean metrics;

    @ArgGroup(validate = false, heading = "%nLimits (see docs/SECURITY.md):%n")
    LimitOptions limits = new LimitOptions();

    @ArgGroup(validate = false, heading = "%nHTTPS (either --tls-cert with --tls-key, or --tls-keystore):%n")
    TlsOptions tls = new TlsOptions();

    @Spec
    CommandSpec spec;

    /** The abuse limits and the connection limits; each flag maps onto one field of the configuration. */
    static final class LimitOptions {
        @Option(names = "--send-rate", defaultValue = "${env:CONSOLE_CHAT_SEND_RATE:-10}",
                description = "Messages per second one user may send (env CONSOLE_CHAT_SEND_RATE, "
                        + "default ${DEFAULT-VALUE}).")
        int sendRate;

        @Option(names = "--send-burst", defaultValue = "${env:CONSOLE_CHAT_SEND_BURST:-30}",
                description = "Messages one user may send at once before --send-rate applies "
                        + "(env CONSOLE_CHAT_SEND_BURST, default ${DEFAULT-VALUE}).")
        int sendBurst;

        @Option(names = "--session-rate", defaultValue = "${env:CONSOLE_CHAT_SESSION_RATE:-30}",
                description = "Logins and new sessions (each mints a token) per minute per client address "
                        + "(env CONSOLE_CHAT_SESSION_RATE, default ${DEFAULT-VALUE}).")
        int sessionRate;

        @Option(names = "--login-lock-after", defaultValue = "${env:CONSOLE_CHAT_LOGIN_LOCK_AFTER:-10}",
                description = "Failed password logins in a row from one address that lock it out; earlier "
                        + "failures past the third already slow it down exponentially "
                        + "(env CONSOLE_CHAT_LOGIN_LOCK_AFTER, default ${DEFAULT-VALUE}).")
        int loginLockAfter;

        @Option(names = "--account-lock-after", defaultValue = "${env:CONSOLE_CHAT_ACCOUNT_LOCK_AFTER:-100}",
                description = "Failed password logins in a row at one account, from any address, that lock "
                        + "the account (env CONSOLE_CHAT_ACCOUNT_LOCK_AFTER, default ${DEFAULT-VALUE}).")
        int accountLockAfter;

        @Option(names = "--login-lock-minutes", defaultValue = "${env:CONSOLE_CHAT_LOGIN_LOCK_MINUTES:-15}",
                description = "How long a lock from failed logins lasts "
                        + "(env CONSOLE_CHAT_LOGIN_LOCK_MINUTES, default ${DEFAULT-VALUE}).")
        int loginLockMinutes;

        @Option(names = "--streams-per-user", defaultValue = "${env:CONSOLE_CHAT_STREAMS_PER_USER:-20}",
                description = "Open streams one user may hold (env CONSOLE_CHAT_STREAMS_PER_USER, "
                        + "default ${DEFAULT-VALUE}).")
        int streamsPerUser;

        @Option(names = "--streams-per-address", defaultValue = "${env:CONSOLE_CHAT_STREAMS_PER_ADDRESS:-200}",
                description = "Open streams one client address may hold (env CONSOLE_CHAT_STREAMS_PER_ADDRESS, "
                        + "default ${DEFAULT-VALUE}).")
        int streamsPerAddress;

        @Option(names = "--stream-buffer-kib", defaultValue = "${env:CONSOLE_CHAT_STREAM_BUFFER_KIB:-1024}",
                description = "KiB one stream may hold that its client has not read; a stream past it is ended "
                        + "with its end line (env CONSOLE_CHAT_STREAM_BUFFER_KIB, default ${DEFAULT-VALUE}).")
        long streamBufferKib;

        @Option(names = "--streams-total-mib", defaultValue = "${env:CONSOLE_CHAT_STREAMS_TOTAL_MIB:-0}",
                description = "MiB all streams together may hold that their clients have not read; new streams "
                        + "get 503 with Retry-After once less than one stream's share is left; 0 means a quarter "
                        + "of the heap (env CONSOLE_CHAT_STREAMS_TOTAL_MIB, default ${DEFAULT-VALUE}).")
        long streamsTotalMib;

        @Option(names = "--stream-write-timeout", defaultValue = "${env:CONSOLE_CHAT_STREAM_WRITE_TIMEOUT:-30}",
                description = "Seconds a stream write may take before the connection is closed "
                        + "(env CONSOLE_CHAT_STREAM_WRITE_TIMEOUT, default ${DEFAULT-VALUE}).")
        int streamWriteTimeoutSeconds;

        @Option(names = "--room-rate", defaultValue = "${env:CONSOLE_CHAT_ROOM_RATE:-20}",
                description = "New rooms one user may create per hour; a room exists from its first post or "
                        + "stream (env CONSOLE_CHAT_ROOM_RATE, default ${DEFAULT-VALUE}).")
        int roomRate;

        @Option(names = "--join-rate", defaultValue = "${env:CONSOLE_CHAT_JOIN_RATE:-60}",
                description = "Rooms one user may enter per minute, each a join event and later a leave "
                        + "(env CONSOLE_CHAT_JOIN_RATE, default ${DEFAULT-VALUE}).")
        int joinRate;

        @Option(names = "--hashing-threads", defaultValue = "${env:CONSOLE_CHAT_HASHING_THREADS:-0}",
                description = "Threads that hash passwords at logins; 0 means one per core "
                        + "(env CONSOLE_CHAT_HASHING_THREADS, default ${DEFAULT-VALUE}).")
        int hashingThreads;

        @Option(names = "--hashing-queue", defaultValue = "${env:CONSOLE_CHAT_HASHING_QUEUE:-0}",
                description = "Password logins that may wait for a hashing thread; more at once get 503 with "
                        + "Retry-After; 0 means four per core (env CONSOLE_CHAT_HASHING_QUEUE, "
                        + "default ${DEFAULT-VALUE}).")
        int hashingQueue;

        @Option(names = "--response-memory", defaultValue = "${env:CONSOLE_CHAT_RESPONSE_MEMORY:-64}",
                description = "MiB that history pages and room lists may hold at once until their clients have "
                        + "read them; past it such requests wait 2 s, then get 503 with Retry-After "
                        + "(env CONSOLE_CHAT_RESPONSE_MEMORY, default ${DEFAULT-VALUE}).")
        int responseMemoryMib;

        @Option(names = "--idle-timeout", defaultValue = "${env:CONSOLE_CHAT_IDLE_TIMEOUT:-60}",
                description = "Seconds a connection may pass without traffic before it is closed; streams send "
                        + "a keepalive line every 20 s (env CONSOLE_CHAT_IDLE_TIMEOUT, default ${DEFAULT-VALUE}).")
        int idleTimeoutSeconds;

        @Option(names = "--header-timeout", defaultValue = "${env:CONSOLE_CHAT_HEADER_TIMEOUT:-10}",
                description = "Seconds a request's line and headers may take to arrive; slower ones are dropped "
                        + "after one to two times this (env CONSOLE_CHAT_HEADER_TIMEOUT, default ${DEFAULT-VALUE}).")
        int headerTimeoutSeconds;

        @Option(names = "--max-header-bytes", defaultValue = "${env:CONSOLE_CHAT_MAX_HEADER_BYTES:-8192}",
                description = "Largest request line plus headers; past it 414 (line) or 431 (headers) "
                        + "(env CONSOLE_CHAT_MAX_HEADER_BYTES, default ${DEFAULT-VALUE}).")
        int maxHeaderBytes;

        @Option(names = "--trust-proxy", defaultValue = "${env:CONSOLE_CHAT_TRUST_PROXY:-false}",
                description = "Behind one reverse proxy: take the client address from the last "
                        + "X-Forwarded-For entry instead of the socket (env CONSOLE_CHAT_TRUST_PROXY, "
                        + "default ${DEFAULT-VALUE}). Never set it without a proxy that writes that header.")
        boolean trustProxy;

        void applyTo(ServerConfig config) {
            var limits = config.limits;
            var lock = Duration.ofMinutes(loginLockMinutes);
            var address = limits.addressLogins;
            var account = limits.accountLogins;
            limits.send = Rate.perSecond(sendRate, sendBurst);
            limits.tokens = Rate.perMinute(sessionRate);
            limits.addressLogins = new LoginPolicy(Math.min(address.freeFailures(), loginLockAfter - 1),
                    address.firstDelay(), address.maxDelay(), loginLockAfter, lock);
            limits.accountLogins = new LoginPolicy(Math.min(account.freeFailures(), accountLockAfter - 1),
                    account.firstDelay(), account.maxDelay(), accountLockAfter, lock);
            limits.streamsPerUser = streamsPerUser;
            limits.streamsPerAddress = streamsPerAddress;
            config.streams.maxBytesPerStream = streamBufferKib * 1024;
            if (streamsTotalMib > 0) {
                config.streams.totalBytes = streamsTotalMib * 1024 * 1024;
            }
            config.streams.writeTimeout = Duration.ofSeconds(streamWriteTimeoutSeconds);
            limits.newRooms = new Rate(roomRate, roomRate, Duration.ofHours(1));
            limits.joins = Rate.perMinute(joinRate);
            if (hashingThreads > 0) {
                limits.hashingThreads = hashingThreads;
            }
            if (hashingQueue > 0) {
                limits.hashingQueue = hashingQueue;
            }
            if (responseMemoryMib < 1) {
                throw new IllegalArgumentException("--response-memory must be at least 1 (MiB)");
            }
            limits.responseBytes = responseMemoryMib * 1024L * 1024;
            config.network.idleTimeout = Duration.ofSeconds(idleTimeoutSeconds);
            config.network.headerTimeout = Duration.ofSeconds(headerTimeoutSeconds);
            config.network.maxHeaderBytes = maxHeaderBytes;
            config.network.trustProxy = trustProxy;
        }
    }

    /** Where the certificate and key come from; none of them means plain HTTP. */
    static final class TlsOptions {
        @Option(names = "--tls-cert", defaultValue = "${env:CONSOLE_CHAT_TLS_CERT}",
                description = "PEM certificate chain for HTTPS, server certificate first (env CONSOLE_CHAT_TLS_CERT).")
        Path certificate;

        @Option(names = "--tls-key", defaultValue = "${env:CONSOLE_CHAT_TLS_KEY}",
                description = "PEM private key of --tls-cert, PKCS#8 (BEGIN PRIVATE KEY), RSA or EC "
                        + "(env CONSOLE_CHAT_TLS_KEY).")
        Path privateKey;

        @Option(names = "--tls-keystore", defaultValue = "${env:CONSOLE_CHAT_TLS_KEYSTORE}",
                description = "PKCS#12 key store with the key and certificate chain, instead of the PEM files "
                        + "(env CONSOLE_CHAT_TLS_KEYSTORE).")
        Path keyStore;

        @Option(names = "--tls-keystore-password", defaultValue = "${env:CONSOLE_CHAT_TLS_KEYSTORE_PASSWORD:-}",
                description = "Password of --tls-keystore; prefer the env CONSOLE_CHAT_TLS_KEYSTORE_PASSWORD, "
                        + "which other users of the machine cannot see in the process list.")
        String keyStorePassword;

        Tls toTls(CommandSpec spec) {
            if (keyStore != null) {
                if (certificate != null || privateKey != null) {
                    throw new ParameterException(spec.commandLine(),
                            "use either --tls-keystore or --tls-cert with --tls-key, not both");
                }
                return new Tls.Pkcs12(keyStore, keyStorePassword);
            }
            if ((certificate == null) != (privateKey == null)) {
                throw new ParameterException(spec.commandLine(), "--tls-cert and --tls-key go together");
            }
            return certificate == null ? new Tls.Off() : new Tls.Pem(certificate, privateKey);
        }
    }

    /** The configuration the flags describe. */
    ServerConfig config() {
        try {
            return describedConfig();
        } catch (IllegalArgumentException e) {
            // Values the types allow but the server does not (a rate of 0, a negative port): a usage error.
            throw new ParameterException(spec.commandLine(), "invalid setting: " + e.getMessage());
        }
    }

    private ServerConfig describedConfig() {
        var config = new ServerConfig();
        config.network.host = host;
        config.network.port = port;
        config.network.tls = tls.toTls(spec);
        config.storage.dataDir = dataDir;
        config.network.metrics = metrics;
        config.storage.database = database;
        config.storage.databasePassword = databasePassword.read(spec);
        config.presence.grace = Duration.ofSeconds(presenceGraceSeconds);
        config.tokenLifetimes.anonymous = Duration.ofHours(guestTokenHours);
        config.tokenLifetimes.temporary = Duration.ofHours(guestTokenHours);
        config.tokenLifetimes.registered = Duration.ofDays(registeredTokenDays);
        limits.applyTo(config);
        return config;
    }

    @Override
    public Integer call() throws InterruptedException {
        ChatServer server;
        try {
            server = ChatServer.start(config());
        } catch (ServerStartException e) {
            // Something the operator can fix, said in one line: no stack trace.
            spec.commandLine().getErr().println("console-chat: " + e.getMessage());
            return 1;
        }
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "shutdown"));
        System.out.println("console-chat server listening on " + server.uri() + " ("
                + server.config().storage.describe() + ")");
        System.out.flush();
        stopped.await();
        return 0;
    }
}
