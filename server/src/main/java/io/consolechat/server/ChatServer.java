package io.consolechat.server;

import io.consolechat.protocol.Json;
import io.consolechat.server.auth.Accounts;
import io.consolechat.server.auth.PasswordHasher;
import io.consolechat.server.auth.Tokens;
import io.consolechat.server.http.ChatApi;
import io.consolechat.server.http.ErrorMapping;
import io.consolechat.server.http.Guards;
import io.consolechat.server.http.JsonErrorHandler;
import io.consolechat.server.http.Listener;
import io.consolechat.server.room.Presence;
import io.consolechat.server.room.Rooms;
import io.consolechat.server.store.Database;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the parts of the server from a configuration, starts them, and stops them in order. */
public final class ChatServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChatServer.class);
    private static final Duration DRAIN_STREAMS = Duration.ofSeconds(5);

    private final ServerConfig config;
    private final Database database;
    private final Presence presence;
    private final Rooms rooms;
    private final Listener listener;
    private final Javalin http;
    private final ScheduledExecutorService housekeeping;
    private boolean closed;

    private ChatServer(ServerConfig config, Clock clock) {
        this.config = config;
        var json = new Json();
        this.database = Database.openSqlite(config.dataDir(), clock);
        var store = database.store();
        var tokens = new Tokens(store);
        var accounts = new Accounts(store, tokens, new PasswordHasher(), config.lifetimes(), clock);
        this.presence = new Presence(store, config.presenceGrace());
        this.rooms = new Rooms(store, presence, config.subscriptionBuffer());
        var api = new ChatApi(json, store, rooms, accounts, tokens, clock, config.keepalive(),
                new Guards(config.limits(), clock));
        var errors = new ErrorMapping(json);
        var jettyErrors = new JsonErrorHandler(json, config.limits().maxHeaderBytes());
        this.listener = new Listener(config.host(), config.port(), config.limits(), config.tls());
        this.http = Javalin.create(javalin -> {
            javalin.startup.showJavalinBanner = false;
            javalin.startup.showOldJavalinVersionWarning = false;
            javalin.concurrency.useVirtualThreads = true;
            // Compression would hold stream lines back until a buffer fills.
            javalin.http.compressionStrategy = CompressionStrategy.NONE;
            javalin.http.prefer405over404 = true;
            javalin.jetty.modifyHttpConfiguration(listener::configure);
            javalin.jetty.addConnector(listener::connector);
            javalin.jetty.modifyServer(server -> server.setErrorHandler(jettyErrors));
            javalin.jetty.modifyServletContextHandler(context -> context.setErrorHandler(jettyErrors));
            // A request logger makes Javalin time every request; only pay for it when the lines are wanted.
            if (log.isDebugEnabled()) {
                javalin.requestLogger.http((ctx, ms) ->
                        log.debug("{} {} {} {}ms", ctx.method(), ctx.path(), ctx.status().getCode(), Math.round(ms)));
            }
            api.register(javalin.routes);
            errors.register(javalin.routes);
        });
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("housekeeping").daemon(true).factory());
        housekeeping.scheduleAtFixedRate(() -> {
            try {
                accounts.removeExpired();
            } catch (RuntimeException e) {
                log.warn("removing expired tokens failed: {}", e.getMessage());
            }
        }, 0, 1, TimeUnit.HOURS);
    }

    /** Opens the database and starts listening; {@code port} 0 picks a free port. */
    public static ChatServer start(ServerConfig config) {
        return start(config, Clock.systemUTC());
    }

    public static ChatServer start(ServerConfig config, Clock clock) {
        var server = new ChatServer(config, clock);
        try {
            server.http.start();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    public int port() {
        return http.port();
    }

    /** The URL to reach the server on this machine. */
    public URI uri() {
        var host = config.host();
        if (host.equals("0.0.0.0") || host.equals("::") || host.isEmpty()) {
            host = "localhost";
        } else if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create((listener.secure() ? "https://" : "http://") + host + ":" + port());
    }

    /** Ends every stream with its end line, stops HTTP, writes the pending leave events, closes the database. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        housekeeping.shutdownNow();
        rooms.endAllStreams();
        long deadline = System.nanoTime() + DRAIN_STREAMS.toNanos();
        while (rooms.openStreams() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        http.stop();
        presence.close();
        database.close();
    }
}
