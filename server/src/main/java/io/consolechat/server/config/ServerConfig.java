package io.consolechat.server.config;

import io.consolechat.protocol.UserKind;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything the server can be told, grouped by concern. Like Javalin's own configuration it is plain
 * Java: each field starts at its documented default (docs/SECURITY.md for the limits), and whoever starts
 * the server sets the fields it wants before handing the whole to the server. A new setting is one field
 * in one group.
 */
public final class ServerConfig {
    public Network network = new Network();
    public Storage storage = new Storage();
    public Presence presence = new Presence();
    public Streams streams = new Streams();
    public TokenLifetimes tokenLifetimes = new TokenLifetimes();
    public Limits limits = new Limits();

    /** Where and how the server listens. */
    public static final class Network {
        public String host = "0.0.0.0";
        /** 0 picks a free port. */
        public int port = 8080;
        public Tls tls = new Tls.Off();
        /** A connection with no traffic either way for this long is closed. */
        public Duration idleTimeout = Duration.ofSeconds(60);
        /** A request whose line and headers take longer than this to arrive is dropped. */
        public Duration headerTimeout = Duration.ofSeconds(10);
        /** Request line plus headers; past it 414 (request line) or 431 (headers). */
        public int maxHeaderBytes = 8 * 1024;
        /** Take the client address from the last {@code X-Forwarded-For} entry (behind one reverse proxy). */
        public boolean trustProxy = false;
        /** Serve {@code GET /metrics} (Prometheus format); off by default, see docs/SECURITY.md. */
        public boolean metrics = false;
    }

    /** Where the data lives. */
    public static final class Storage {
        /** The embedded SQLite database's directory, when no {@link #database} is set. */
        public Path dataDir = Path.of("data");
        /** A PostgreSQL database ({@code postgresql://user@host:port/db}) instead of SQLite; null for SQLite. */
        public String database = null;
        /** The database's password when its URL carries none; never logged or printed. */
        public String databasePassword = null;

        /** Where the data is, for people: the data directory, or the database URL without its password. */
        public String describe() {
            return database == null || database.isBlank() ? "data in " + dataDir.toAbsolutePath().normalize()
                    : "database " + database.replaceAll("//([^:@/]*):[^@/]*@", "//$1@");
        }
    }

    /** Who is in a room. */
    public static final class Presence {
        /** How long a user stays present after their last stream ends, so that re-polling writes no noise. */
        public Duration grace = Duration.ofSeconds(15);
        /**
         * How long a server's hold on a present user outlives its last heartbeat (a third of this): after a
         * server dies, the others write its users' leave events within about grace + lease.
         */
        public Duration lease = Duration.ofSeconds(15);
    }

    /** Open streams. */
    public static final class Streams {
        /** A line sent on a quiet stream this often, so that proxies and clients see it is alive. */
        public Duration keepalive = Duration.ofSeconds(20);
        /** Events a stream may fall behind the room before it is cut off (it can resume with since). */
        public int buffer = 1000;
        /**
         * Bytes one stream may hold that its client has not taken (queued, or in a write not yet completed);
         * a stream that would hold more is cut off, with its end line, and resumes with since.
         */
        public long maxBytesPerStream = 1024 * 1024;
        /**
         * Bytes all streams together may hold that their clients have not taken; while they are all held, new
         * streams are refused with 503. A quarter of the heap by default.
         */
        public long totalBytes = Math.max(16L * 1024 * 1024, Runtime.getRuntime().maxMemory() / 4);
        /** A stream write that has not completed after this long closes the connection. */
        public Duration writeTimeout = Duration.ofSeconds(30);
    }

    /** How long tokens live, by kind of user. */
    public static final class TokenLifetimes {
        public Duration anonymous = Duration.ofHours(24);
        public Duration temporary = Duration.ofHours(24);
        public Duration registered = Duration.ofDays(30);

        public Duration of(UserKind kind) {
            return switch (kind) {
                case ANONYMOUS -> anonymous;
                case TEMPORARY -> temporary;
                case REGISTERED -> registered;
            };
        }
    }

    /** How much one user or one client address may ask of the server. */
    public static final class Limits {
        /** Messages per user. */
        public Rate send = Rate.perSecond(10, 30);
        /** Logins and new sessions (each mints a token) per client address. */
        public Rate tokens = Rate.perMinute(30);
        /** Failed password logins per client address. */
        public LoginPolicy addressLogins =
                new LoginPolicy(3, Duration.ofSeconds(1), Duration.ofMinutes(1), 10, Duration.ofMinutes(15));
        /** Failed password logins per account, from any address. */
        public LoginPolicy accountLogins =
                new LoginPolicy(20, Duration.ofSeconds(1), Duration.ofMinutes(1), 100, Duration.ofMinutes(15));
        /** New rooms (a room exists from its first post or stream) per user. */
        public Rate newRooms = new Rate(20, 20, Duration.ofHours(1));
        /** Rooms a user may enter (each entry writes a join event, and later a leave) per user. */
        public Rate joins = new Rate(60, 60, Duration.ofMinutes(1));
        /** Open streams one user may hold. */
        public int streamsPerUser = 20;
        /** Open streams one client address may hold. */
        public int streamsPerAddress = 200;
        /** Threads that hash passwords (Argon2id, about 19 MiB each while it runs): one per core. */
        public int hashingThreads = Runtime.getRuntime().availableProcessors();
        /** Password logins that may wait for a hashing thread; more at once are refused with 503. */
        public int hashingQueue = 4 * Runtime.getRuntime().availableProcessors();
        /**
         * Memory that whole answers (history pages, room lists) may hold at once, from before they are built
         * until their clients have taken them; past it, such requests wait {@link #responseWait} and get 503.
         */
        public long responseBytes = 64L * 1024 * 1024;
        /** How long a history or room-list request waits for room in {@link #responseBytes}. */
        public Duration responseWait = Duration.ofSeconds(2);
    }
}
