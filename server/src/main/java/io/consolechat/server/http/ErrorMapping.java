package io.consolechat.server.http;

import io.consolechat.protocol.ErrorBody;
import io.consolechat.protocol.ErrorCode;
import io.consolechat.protocol.Json;
import io.consolechat.server.ApiException;
import io.consolechat.server.store.StoreException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place where exceptions and error statuses become {@code {"error", "message"}} responses. */
public final class ErrorMapping {
    private static final Logger log = LoggerFactory.getLogger(ErrorMapping.class);

    private final Json json;

    public ErrorMapping(Json json) {
        this.json = json;
    }

    public void register(RoutesConfig routes) {
        routes.exception(ApiException.class, (e, ctx) -> {
            if (e.retryAfterSeconds() > 0) {
                ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
            }
            write(ctx, e.code(), e.getMessage());
        });
        routes.exception(StoreException.class, (e, ctx) -> {
            log.error("store failure on {} {}", ctx.method(), ctx.path(), e);
            write(ctx, ErrorCode.UNAVAILABLE, "the server cannot store or read data right now; try again");
        });
        routes.exception(HttpResponseException.class, (e, ctx) -> write(ctx, byStatus(e.getStatus()), e.getMessage()));
        routes.exception(Exception.class, (e, ctx) -> {
            log.error("unexpected failure on {} {}", ctx.method(), ctx.path(), e);
            write(ctx, ErrorCode.INTERNAL, "something went wrong on the server");
        });
        routes.error(404, ctx -> {
            if (!isJsonError(ctx)) {
                write(ctx, ErrorCode.NOT_FOUND, "no such endpoint: " + ctx.method() + " " + ctx.path());
            }
        });
        routes.error(405, ctx -> {
            if (!isJsonError(ctx)) {
                write(ctx, ErrorCode.METHOD_NOT_ALLOWED, ctx.method() + " is not allowed on " + ctx.path());
            }
        });
    }

    /**
     * Jetty's own error handler: what Jetty refuses before any route is reached (a malformed or overlong URI,
     * oversized headers) would otherwise get an HTML page.
     */
    public ErrorHandler jettyErrorHandler() {
        return new ErrorHandler() {
            @Override
            protected void generateResponse(Request request, Response response, int code, String message,
                                            Throwable cause, Callback callback) {
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                response.write(true, ByteBuffer.wrap(jettyBody(code, message)), callback);
            }

            @Override
            public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
                fields.put(new HttpField(HttpHeader.CONTENT_TYPE, "application/json"));
                return ByteBuffer.wrap(jettyBody(status, reason));
            }
        };
    }

    private byte[] jettyBody(int status, String message) {
        var text = message == null || message.isBlank() ? HttpStatus.getMessage(status) : message;
        return json.writeBytes(ErrorBody.of(byStatus(status), text));
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
