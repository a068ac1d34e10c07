package io.consolechat.server.http;

import io.consolechat.protocol.Json;
import io.consolechat.protocol.MessageText;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers that are built whole in memory before they are sent (history pages, room lists), each within the
 * {@link ResponseBudget}: it reserves its worst case, is built, keeps its real size, and is written here on
 * the request's thread, so that its bytes are given back exactly when the client has taken them or the
 * connection is cut at the idle timeout.
 */
final class WholeAnswers {
    private static final Logger log = LoggerFactory.getLogger(WholeAnswers.class);

    /**
     * The most memory one event of a history page takes while the page is built: its text (at most
     * {@link MessageText#MAX_LENGTH} code points) as a Java string (up to 4 bytes each) and as JSON (up to 6
     * bytes each, an escaped character), the JSON twice while the encoder copies out its result, and the
     * other fields.
     */
    static final long EVENT_BYTES = MessageText.MAX_LENGTH * (4L + 2 * 6) + 1024;
    /** The same for one room of a room list: a name of at most 64 characters and three numbers. */
    static final long ROOM_BYTES = 1024;

    private final Json json;
    private final ResponseBudget budget;

    WholeAnswers(Json json, ResponseBudget budget) {
        this.json = json;
        this.budget = budget;
    }

    /** Builds the body within {@code worstCaseBytes} of the budget, or refuses with 503 when it is spent. */
    void send(Context ctx, long worstCaseBytes, Supplier<?> body) {
        try (var reservation = budget.reserve(worstCaseBytes)) {
            var bytes = json.writeBytes(body.get());
            reservation.shrinkTo(bytes.length);
            write(ctx, bytes);
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
