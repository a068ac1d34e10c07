package io.consolechat.server;

import io.consolechat.protocol.Json;
import io.consolechat.server.auth.Accounts;
import io.consolechat.server.auth.BearerTokens;
import io.consolechat.server.auth.PasswordHasher;
import io.consolechat.server.bus.EventBus;
import io.consolechat.server.bus.LocalBus;
import io.consolechat.server.bus.MeteredBus;
import io.consolechat.server.config.ServerConfig;
import io.consolechat.server.http.ChatApi;
import io.consolechat.server.http.ErrorMapping;
import io.consolechat.server.http.Guards;
import io.consolechat.server.http.HttpConnector;
import io.consolechat.server.http.JsonErrorHandler;
import io.consolechat.server.http.ServerMetrics;
import io.consolechat.server.http.StreamBudget;
import io.consolechat.server.http.StreamWriters;
import io.consolechat.server.auth.StreamTickets;
import io.consolechat.server.limit.RateLimits;
import io.consolechat.server.limit.StreamSlots;
import io.consolechat.server.room.Conversations;
import io.consolechat.server.room.Mentions;
import io.consolechat.server.room.Moderation;
import io.consolechat.server.room.PersonalEvents;
import io.consolechat.server.room.Presence;
import io.consolechat.server.room.RoomAccess;
import io.consolechat.server.room.RoomService;
import io.consolechat.server.store.Database;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the parts of the server from a configuration, starts them, and stops them in order. */
public final class ChatServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChatServer.class);
    private static final Duration DRAIN_STREAMS = Duration.ofSeconds(5);
    private static final Duration BAN_CHECK = Duration.ofSeconds(1);

    private final ServerConfig config;
    private final Database database;
    private final LocalBus localBus = new LocalBus();
    private final RoomService rooms;
    private final PasswordHasher hasher;
    private final PersonalEvents personal;
    private final HttpConnector connector;
    private final StreamWriters writers;
    private final StreamSlots streamSlots;
    private final Javalin http;
    private final ScheduledExecutorService housekeeping;
    /** Null unless {@code config.network.metrics} is set. */
    private final ServerMetrics metrics;
    private boolean closed;
    /** Checked each second on a thread of its own: a gone database makes a check wait for the pool's timeout. */
    private volatile boolean databaseReachable = true;
    private final ScheduledExecutorService healthCheck;
    /** Users banned server-wide whose sessions were already ended; only the housekeeping thread uses it. */
    private java.util.Set<String> enforcedBans = java.util.Set.of();

    /**
     * The send path: {@link ChatApi} -> {@link RoomService} -> the event log (group commit, sequence numbers
     * taken in the transaction) -> the bus -> each listening stream's subscription.
     */
    private ChatServer(ServerConfig config, Clock clock, Function<EventBus, Database> openDatabase) {
        this.config = config;
        var json = new Json();
        this.metrics = config.network.metrics ? new ServerMetrics() : null;
        EventBus bus = metrics == null ? localBus : new MeteredBus(localBus, metrics.registry());
        this.database = openDatabase.apply(bus);
        if (metrics != null) {
            database.meterWith(metrics.registry());
        }
        var rates = new RateLimits(database.sharedRateBuckets(), clock);
        var tokens = new BearerTokens(database.accounts());
        this.hasher = new PasswordHasher(config.limits.hashingThreads, config.limits.hashingQueue);
        var accounts = new Accounts(database.accounts(), tokens, hasher, config.tokenLifetimes, config.limits,
                database.sharedLoginFailures(), clock);
        var presence = new Presence(database.events(), database.presence(), config.presence.grace,
                config.presence.lease, rates.limit("joins", config.limits.joins, "rooms entered"), clock);
        this.personal = new PersonalEvents(database.personal(), config.streams.buffer);
        // What another server stores in a user's personal stream reaches the user's personal streams here too;
        // so does what it stored while this server was not listening, once it listens again.
        database.personal().onStoredElsewhere(personal::storedElsewhere);
        database.personal().onNoticesMissed(personal::catchUp);
        var mentions = new Mentions(database.accounts(), database.blocks(), personal);
        var access = new RoomAccess(database.rooms(), database.accounts(), database.events(), personal, clock);
        this.rooms = new RoomService(database.events(), bus, presence, access, config.streams.buffer,
                rates.limit("rooms", config.limits.newRooms, "new rooms"), mentions, database.streamEnds());
        // A token another server revoked ends its streams here as well; so do the tokens revoked while this
        // server was not listening, once it listens again.
        database.accounts().onRevokedElsewhere(this::endStreamsOfToken);
        database.accounts().onRevocationsMissed(() -> endStreamsOfMissedRevocations(tokens));
        var moderation = new Moderation(rooms, access, database.events(), personal);
        var conversations = new Conversations(rooms, database.accounts(), database.blocks(), personal, clock);
        this.writers = new StreamWriters(config.streams);
        // Stream counts published by other servers expire as presence leases do.
        this.streamSlots = new StreamSlots(config.limits.streamsPerUser, config.limits.streamsPerAddress,
                database.sharedStreamCounts(), config.presence.lease, clock);
        var tickets = new StreamTickets(database.tickets(), tokens, clock);
        var api = new ChatApi(json, rooms, access, moderation, conversations, personal, accounts, tokens,
                tickets, clock, writers,
                new Guards(config.limits, config.network.trustProxy, rates, streamSlots));
        if (metrics != null) {
            metrics.openStreams(() -> rooms.openStreams() + personal.openStreams());
        }
        var errors = new ErrorMapping(json);
        var jettyErrors = new JsonErrorHandler(json, config.network.maxHeaderBytes);
        this.connector = new HttpConnector(config.network);
        this.http = Javalin.create(javalin -> {
            javalin.startup.showJavalinBanner = false;
            javalin.startup.showOldJavalinVersionWarning = false;
            javalin.concurrency.useVirtualThreads = true;
            // Compression would hold stream lines back until a buffer fills.
            javalin.http.compressionStrategy = CompressionStrategy.NONE;
            javalin.http.prefer405over404 = true;
            javalin.jetty.modifyHttpConfiguration(connector::configure);
            javalin.jetty.addConnector(connector::connector);
            javalin.jetty.modifyServer(server -> server.setErrorHandler(jettyErrors));
            javalin.jetty.modifyServletContextHandler(context -> context.setErrorHandler(jettyErrors));
            // A request logger makes Javalin time every request; only pay for it when the lines are wanted.
            if (log.isDebugEnabled()) {
                javalin.requestLogger.http((ctx, ms) ->
                        log.debug("{} {} {} {}ms", ctx.method(), ctx.path(), ctx.status().getCode(), Math.round(ms)));
            }
            // A server whose database is gone answers /health with 503, so that a load balancer routes around it.
            javalin.routes.before("/health", ctx -> {
                if (!databaseReachable) {
                    ctx.skipRemainingHandlers();
                    throw new io.consolechat.server.error.Refused(io.consolechat.protocol.ErrorCode.UNAVAILABLE,
                            "the database cannot be reached");
                }
            });
            api.register(javalin.routes);
            if (metrics != null) {
                metrics.register(javalin.routes);
            }
            errors.register(javalin.routes);
        });
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("housekeeping").daemon(true).factory());
        housekeeping.scheduleAtFixedRate(() -> {
            try {
                accounts.removeExpired();
                tickets.deleteExpired();
                rooms.forgetOldKeys(clock.instant());
                database.sharedRateBuckets().ifPresent(buckets -> buckets.forgetFull());
            } catch (RuntimeException e) {
                log.warn("housekeeping failed: {}", e.getMessage());
            }
        }, 0, 1, TimeUnit.HOURS);
        this.healthCheck = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("database-check").daemon(true).factory());
        healthCheck.scheduleWithFixedDelay(() -> {
            boolean reachable = database.reachable();
            if (reachable != databaseReachable) {
                log.warn(reachable ? "the database answers again" : "the database cannot be reached");
            }
            databaseReachable = reachable;
        }, 0, 1, TimeUnit.SECONDS);
        housekeeping.scheduleWithFixedDelay(() -> {
            try {
                enforceServerBans(database.accounts().bannedUsers(clock.instant()), tokens);
            } catch (RuntimeException e) {
                log.warn("checking server-wide bans failed: {}", e.getMessage());
            }
        }, 0, BAN_CHECK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * {@code console-chat admin ban} runs in another process: it removes the user's tokens from the database,
     * but this server may hold them in its token cache and has the user's streams open. Each second it reads
     * who is banned server-wide (a short list) and, for each newly banned
     * user, forgets their cached tokens and ends their streams.
     */
    private void enforceServerBans(java.util.List<String> banned, BearerTokens tokens) {
        var now = new java.util.HashSet<String>();
        for (var name : banned) {
            var key = io.consolechat.protocol.Names.userKey(name);
            now.add(key);
            if (!enforcedBans.contains(key)) {
                tokens.forget(name);
                rooms.endStreams(name);
                personal.endStreamsOf(name);
                log.info("user {} is banned from the server: their sessions and streams are ended", name);
            }
        }
        enforcedBans = now;
    }

    /**
     * Ends the streams here of the tokens revoked by other servers while this one was not listening: those
     * of the open streams' tokens that are no longer stored (one query per few hundred open tokens).
     */
    private void endStreamsOfMissedRevocations(BearerTokens tokens) {
        var streaming = new java.util.HashSet<>(rooms.streamingTokens());
        streaming.addAll(personal.streamingTokens());
        var gone = tokens.goneAmong(streaming);
        gone.forEach(this::endStreamsOfToken);
        if (!gone.isEmpty()) {
            log.info("ended the streams of {} tokens revoked on other servers while this one was not listening",
                    gone.size());
        }
    }

    /** Ends every stream opened with the token, which was revoked: room streams and personal streams. */
    private void endStreamsOfToken(String tokenHash) {
        rooms.endStreamsOfToken(tokenHash);
        personal.endStreamsOfToken(tokenHash);
    }

    /**
     * Opens the database and starts listening; {@code port} 0 picks a free port. A failure the operator can
     * fix (the data directory, the port, the certificate) is a {@link ServerStartException} with one line.
     */
    public static ChatServer start(ServerConfig config) {
        return start(config, Clock.systemUTC());
    }

    public static ChatServer start(ServerConfig config, Clock clock) {
        return start(config, clock, bus -> Database.open(config.storage, bus, clock));
    }

    /** Starts on a database the caller opens on the server's bus: fault tests open one that fails on demand. */
    public static ChatServer start(ServerConfig config, Clock clock, Function<EventBus, Database> openDatabase) {
        ChatServer server;
        try {
            server = new ChatServer(config, clock, openDatabase);
        } catch (RuntimeException e) {
            throw new ServerStartException("cannot start the server", e);
        }
        try {
            server.http.start();
        } catch (RuntimeException e) {
            server.close();
            throw new ServerStartException("cannot listen on " + config.network.host + ":" + config.network.port, e);
        }
        return server;
    }

    public ServerConfig config() {
        return config;
    }

    public int port() {
        return http.port();
    }

    /** The URL to reach the server on this machine. */
    public URI uri() {
        var host = config.network.host;
        if (host.equals("0.0.0.0") || host.equals("::") || host.isEmpty()) {
            host = "localhost";
        } else if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create((connector.secure() ? "https://" : "http://") + host + ":" + port());
    }

    /** The bytes open streams hold that their clients have not taken yet. */
    public StreamBudget streamBytes() {
        return writers.budget();
    }

    /** Ends every stream with its end line, stops HTTP, writes the pending leave events, closes the database. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        housekeeping.shutdownNow();
        healthCheck.shutdownNow();
        writers.stopping();
        rooms.endAllStreams();
        personal.endAllStreams();
        long deadline = System.nanoTime() + DRAIN_STREAMS.toNanos();
        while (rooms.openStreams() + personal.openStreams() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        http.stop();
        streamSlots.close();
        writers.close();
        hasher.close();
        rooms.close();
        database.close();
        localBus.close();
        if (metrics != null) {
            metrics.close();
        }
    }
}
