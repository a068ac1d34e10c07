package io.consolechat.bench;

import io.consolechat.protocol.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutionException;

/**
 * Creates the anonymous users a workload needs, spread over the source addresses (token creation is
 * limited per address), waiting out a 429 as its Retry-After says.
 */
final class Users {
    private static final int PARALLEL = 8;

    private final InetSocketAddress server;
    private final SourceAddresses sources;
    private final Json json;

    Users(InetSocketAddress server, SourceAddresses sources, Json json) {
        this.server = server;
        this.sources = sources;
        this.json = json;
    }

    /** Tokens of {@code count} new anonymous users. */
    List<String> anonymous(int count) throws InterruptedException {
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var futures = new ArrayList<Future<List<String>>>();
            for (int worker = 0; worker < PARALLEL; worker++) {
                int first = worker;
                futures.add(pool.submit(() -> {
                    var tokens = new ArrayList<String>();
                    for (int i = first; i < count; i += PARALLEL) {
                        tokens.add(create(i));
                    }
                    return tokens;
                }));
            }
            var tokens = new ArrayList<String>(count);
            for (var future : futures) {
                tokens.addAll(future.get());
            }
            return tokens;
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not create users: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private String create(int index) throws IOException, InterruptedException {
        try (var calls = new ChatCalls(server, sources.roundRobin(index), json)) {
            for (int attempt = 0; ; attempt++) {
                var response = calls.session();
                if (response.status() == 200) {
                    return calls.token(response);
                }
                if (response.status() != 429 || attempt > 100) {
                    throw new IOException("POST /session answered " + response.status() + ": " + response.text());
                }
                long seconds = response.retryAfter() == null ? 1 : Long.parseLong(response.retryAfter().strip());
                Thread.sleep(Math.max(1, seconds) * 1000);
            }
        }
    }
}
