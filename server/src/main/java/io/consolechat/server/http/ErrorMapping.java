package io.consolechat.server.http;

import io.consolechat.protocol.ErrorBody;
import io.consolechat.protocol.ErrorCode;
import io.consolechat.protocol.Json;
import io.consolechat.server.error.Refused;
import io.consolechat.server.error.StoreException;
import io.consolechat.server.error.UnknownOutcome;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.net.URLDecoder;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place where exceptions and error statuses become {@code {"error", "message"}} responses. */
public final class ErrorMapping {
    private static final Logger log = LoggerFactory.getLogger(ErrorMapping.class);

    private static final String NOT_FOUND_TEXT = "no such endpoint; see docs/API.md";
    private static final String METHOD_TEXT = "this endpoint does not take that method";

    private final Json json;

    public ErrorMapping(Json json) {
        this.json = json;
    }

    public void register(RoutesConfig routes) {
        routes.exception(Refused.class, (e, ctx) -> {
            if (e.retryAfterSeconds() > 0) {
                ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
            }
            write(ctx, e.code(), e.getMessage());
        });
        routes.exception(StoreException.class, (e, ctx) -> {
            // The store logs the fault once, with its cause; a line per request would flood the log.
            log.debug("store failure on {} {}: {}", ctx.method(), ctx.path(), e.getMessage());
            write(ctx, ErrorCode.UNAVAILABLE, e instanceof UnknownOutcome
                    ? "the server could not learn whether this was stored; send it again with the same "
                            + "Idempotency-Key, which stores it once"
                    : "the server cannot store or read data right now; try again");
        });
        routes.exception(IllegalArgumentException.class, (e, ctx) -> {
            // Javalin decodes path parameters with URLDecoder before any handler runs, so a malformed escape
            // such as /room/%u0061 throws there; that is bad input, not a server fault.
            if (thrownBy(e, URLDecoder.class)) {
                write(ctx, ErrorCode.INVALID_REQUEST, "the path holds a malformed %-escape");
            } else {
                log.error("unexpected failure on {} {}", ctx.method(), ctx.path(), e);
                write(ctx, ErrorCode.INTERNAL, "something went wrong on the server");
            }
        });
        // Javalin's own texts name the method and path; refusals do not echo the request.
        routes.exception(HttpResponseException.class, (e, ctx) -> write(ctx, byStatus(e.getStatus()),
                switch (e.getStatus()) {
                    case 404 -> NOT_FOUND_TEXT;
                    case 405 -> METHOD_TEXT;
                    default -> e.getMessage();
                }));
        routes.exception(Exception.class, (e, ctx) -> {
            log.error("unexpected failure on {} {}", ctx.method(), ctx.path(), e);
            write(ctx, ErrorCode.INTERNAL, "something went wrong on the server");
        });
        routes.error(404, ctx -> {
            if (!isJsonError(ctx)) {
                write(ctx, ErrorCode.NOT_FOUND, NOT_FOUND_TEXT);
            }
        });
        routes.error(405, ctx -> {
            if (!isJsonError(ctx)) {
                write(ctx, ErrorCode.METHOD_NOT_ALLOWED, METHOD_TEXT);
            }
        });
    }

    private static boolean thrownBy(Throwable e, Class<?> type) {
        var trace = e.getStackTrace();
        return trace.length > 0 && trace[0].getClassName().equals(type.getName());
    }

    private static boolean isJsonError(Context ctx) {
        var type = ctx.res().getContentType();
        return type != null && type.startsWith("application/json") && ctx.result() != null
                && !ctx.result().isEmpty();
    }

    private void write(Context ctx, ErrorCode code, String message) {
        ctx.status(code.status()).contentType("application/json").result(json.writeBytes(ErrorBody.of(code, message)));
    }

    static ErrorCode byStatus(int status) {
        return Arrays.stream(ErrorCode.values()).filter(c -> c.status() == status).findFirst()
                .orElse(status >= 500 ? ErrorCode.INTERNAL : ErrorCode.INVALID_REQUEST);
    }
}
