package io.consolechat.server.http;

import io.consolechat.protocol.Json;
import io.consolechat.protocol.MessageText;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers that are built whole in memory before they are sent (history pages, room lists), each within the
 * {@link ResponseBudget}: it reserves its worst case, is built, keeps its real size, and is written here on
 * the request's thread, so that its bytes are given back exactly when the client has taken them or the
 * connection is cut at the idle timeout.
 *
 * <p>They are built on a few platform threads of their own, not on the request's virtual thread: building a
 * page of 500 long messages keeps a core busy for a while, and virtual threads share as many carrier threads
 * as there are cores, so a few such builds would hold up every other request, {@code /health} included.
 */
final class WholeAnswers {
    private static final Logger log = LoggerFactory.getLogger(WholeAnswers.class);

    /**
     * The most memory one event of a history page takes while the page is built, per code point of its text
     * (at most {@link MessageText#MAX_LENGTH}): 4 bytes as the store's UTF-8, 4 as a Java string (a
     * surrogate pair), 12 as JSON (the encoder writes everything past ASCII as a six-character escape, two of them
     * for a character past the BMP), and the JSON once more while the encoder copies out its result; plus
     * the other fields.
     */
    static final long EVENT_BYTES = MessageText.MAX_LENGTH * (4L + 4 + 2 * 12) + 1024;
    /** The same for one room of a room list: a name of at most 64 characters and three numbers. */
    static final long ROOM_BYTES = 1024;

    private final Json json;
    private final ResponseBudget budget;
    private final ThreadPoolExecutor builders;

    WholeAnswers(Json json, ResponseBudget budget) {
        this.json = json;
        this.budget = budget;
        // Half the cores, so that requests always find one free; threads end after a minute unused, so a
        // stopped server leaves none behind. The queue holds only answers with a share of the budget.
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        this.builders = new ThreadPoolExecutor(threads, threads, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(),
                Thread.ofPlatform().name("answer-builder-", 0).daemon().factory());
        builders.allowCoreThreadTimeOut(true);
    }

    /** Builds the body within {@code worstCaseBytes} of the budget, or refuses with 503 when it is spent. */
    void send(Context ctx, long worstCaseBytes, Supplier<?> body) {
        try (var reservation = budget.reserve(worstCaseBytes)) {
            var bytes = build(body);
            reservation.shrinkTo(bytes.length);
            write(ctx, bytes);
        }
    }

    private byte[] build(Supplier<?> body) {
        Future<byte[]> built = builders.submit(() -> json.writeBytes(body.get()));
        try {
            return built.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException refusal) {
                throw refusal;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            built.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building an answer", e);
        }
    }

    private static void write(Context ctx, byte[] bytes) {
        ctx.status(200).contentType("application/json");
        ctx.res().setContentLength(bytes.length);
        try {
            var out = ctx.res().getOutputStream();
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            // The client left, or stopped reading and was cut at the idle timeout: nobody is left to answer.
            log.debug("answer to {} {} not delivered: {}", ctx.method(), ctx.path(), e.toString());
        }
    }
}
