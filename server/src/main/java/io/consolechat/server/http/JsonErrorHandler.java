package io.consolechat.server.http;

import io.consolechat.protocol.ErrorBody;
import io.consolechat.protocol.Json;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jetty's own refusals (a request line or headers too long, a malformed request, a bad URI encoding)
 * happen before any route runs. This writes them in the API's error format instead of Jetty's HTML.
 */
public final class JsonErrorHandler extends ErrorHandler {
    private static final HttpField JSON = new HttpField(HttpHeader.CONTENT_TYPE, MimeTypes.Type.APPLICATION_JSON.asString());

    private static final Logger log = LoggerFactory.getLogger(JsonErrorHandler.class);

    private final Json json;
    private final int maxHeaderBytes;

    public JsonErrorHandler(Json json, int maxHeaderBytes) {
        this.json = json;
        this.maxHeaderBytes = maxHeaderBytes;
    }

    @Override
    protected void generateResponse(Request request, Response response, int status, String reason, Throwable cause,
                                    Callback callback) {
        if (status >= 500 && status != 503) {
            // A fault of ours, not the client's: worth a line (without a stack trace, which a client could provoke).
            log.warn("the HTTP layer answered {} {}: {}", request.getMethod(), status,
                    cause == null ? reason : cause.toString());
        }
        response.getHeaders().put(JSON);
        response.write(true, body(status), callback);
    }

    /** Used when the request could not even be parsed into one. */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(JSON);
        return body(status);
    }

    private ByteBuffer body(int status) {
        var code = ErrorMapping.byStatus(status);
        return ByteBuffer.wrap(json.writeBytes(ErrorBody.of(code, message(status))));
    }

    /** Fixed texts: Jetty's reasons may quote parts of the request, which must not be echoed back. */
    private String message(int status) {
        return switch (status) {
            case 400 -> "the request is not well-formed HTTP";
            case 404 -> "no such endpoint";
            case 405 -> "this method is not allowed here";
            case 408 -> "the request took too long to arrive";
            case 413 -> "the request is too large";
            case 414 -> "the request line is longer than " + maxHeaderBytes + " bytes";
            case 431 -> "the request headers are larger than " + maxHeaderBytes + " bytes";
            case 500 -> "something went wrong on the server";
            case 503 -> "the server is not available right now; try again";
            case 505 -> "this server speaks HTTP/1.1 and HTTP/1.0";
            default -> status >= 500 ? "the server could not handle the request" : "the request was refused";
        };
    }
}
