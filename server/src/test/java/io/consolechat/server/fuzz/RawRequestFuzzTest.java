package io.consolechat.server.fuzz;

import static io.consolechat.server.fuzz.FuzzTarget.target;
import static org.assertj.core.api.Assertions.assertThat;

import io.consolechat.server.testing.RawHttp;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Requests no well-behaved client would send, over a plain socket: random bytes, broken request lines, header
 * lines without a colon, NUL and high bytes in headers, folded headers, contradictory or lying framing
 * (Content-Length against Transfer-Encoding, bodies shorter or longer than declared), many or huge headers.
 * Each gets an answer or a closed connection in time, never a 5xx.
 */
@AddLifecycleHook(FuzzTries.class)
@AddLifecycleHook(FuzzTarget.PerClass.class)
class RawRequestFuzzTest {
    @Property(tries = 400)
    void malformedRequestsNeverBreakTheServer(@ForAll("requests") byte[] request) {
        var text = new String(request, StandardCharsets.ISO_8859_1);
        var head = text.startsWith("HEAD ");
        var outcome = target().sendRaw(request, head);
        var described = RawHttp.printable(request);
        // Jetty answers a version other than HTTP/1.0 and 1.1 (or none, read as HTTP/0.9) with 505, as HTTP says.
        var unsupportedVersion = !firstLineHasSupportedVersion(text);
        outcome.reply().ifPresentOrElse(reply -> {
            if (head) {
                // A response to HEAD has no body, so there is no JSON to check; the status still counts.
                if (!(unsupportedVersion && reply.status() == 505)) {
                    assertThat(reply.status()).as("status for %s: %s", described, reply).isBetween(200, 499);
                }
            } else {
                target().assertAnsweredOrRefusedByJetty(reply, described, unsupportedVersion);
            }
        }, target()::closedWithoutAnswer);
        if (outcome.reply().isEmpty()) {
            // Closing is a fair answer to bytes that are not HTTP, but not to a well-formed request head.
            assertThat(text).as("closed without an answer: %s", described).doesNotStartWith("GET /health HTTP/1.1\r\n");
        }
    }

    private static boolean firstLineHasSupportedVersion(String text) {
        var line = text.split("[\r\n]", 2)[0];
        return line.matches("\\S+ \\S+ HTTP/1\\.[01]");
    }

    @Provide
    Arbitrary<byte[]> requests() {
        return Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(3000),
                Arbitraries.strings().all().ofMaxLength(500).map(s -> s.getBytes(StandardCharsets.UTF_8)),
                assembled());
    }

    /** A request built from parts each of which may be broken. */
    private static Arbitrary<byte[]> assembled() {
        var token = target().token;
        var methods = Arbitraries.of("GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE", "CONNECT", "PATCH",
                "PRI", "get", "G ET", "", "\u00ff", "GETGETGETGETGETGETGETGETGETGETGETGET");
        var targets = Arbitraries.of("/health", "/room/fuzz-raw", "/room/fuzz-raw?timeout=0", "/login", "/session",
                "/rooms", "*", "http://127.0.0.1/health", "//health", "", "%", "/room/fuzz-raw/../../health",
                "/room/%00", "health", "/room/fuzz-raw#frag", "/\u00ff");
        var versions = Arbitraries.of("HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/9.9", "HTTP/1", "http/1.1", "",
                "HTTP/1.1 extra", "HTTP/1.1\u0000");
        var newlines = Arbitraries.of("\r\n", "\n", "\r", "\n\r");
        var header = Arbitraries.of("Host: 127.0.0.1", "Host:", "Host: a\r\nHost: b", "NoColon", " Leading: space",
                "Name : v", "X: a\r\n folded", "X-Nul: a\u0000b", "X-High: \u00ff\u00fe", "Content-Length: -1",
                "Content-Length: abc", "Content-Length: 5\r\nContent-Length: 6", "Content-Length: 99999999999999999999",
                "Content-Length: 1000000", "Transfer-Encoding: chunked", "Transfer-Encoding: gzip, chunked",
                "Transfer-Encoding: chunked\r\nContent-Length: 3", "Transfer-Encoding: identity", "Expect: 100-continue",
                "Expect: garbage", "Content-Type: application/json", "Content-Type: text/plain; charset=\"",
                "Authorization: Bearer " + token, "Connection: close", "Connection: keep-alive, Upgrade",
                "Upgrade: h2c", "Accept: text/event-stream", "Last-Event-ID: \u00ff", ":", "X-" + "y".repeat(9000) + ": z",
                "\u0000", "Cookie: " + "a=b; ".repeat(2000));
        var manyHeaders = Arbitraries.integers().between(50, 1500).map(n -> {
            var headers = new StringBuilder();
            for (int i = 0; i < n; i++) {
                headers.append("X-").append(i).append(": v\r\n");
            }
            return headers.toString();
        });
        var headers = Arbitraries.oneOf(header.list().ofMaxSize(6).map(list -> String.join("\r\n", list)),
                manyHeaders.map(String::strip));
        var bodies = Arbitraries.oneOf(
                Arbitraries.of("", "{\"text\":\"raw\"}", "5\r\nhello\r\n0\r\n\r\n", "zz\r\nhello\r\n0\r\n\r\n",
                        "ffffffffffffffff\r\nx\r\n", "3\r\nab", "{\"text\":\"ra", "0\r\n\r\nGET /health HTTP/1.1\r\n\r\n"),
                Arbitraries.strings().all().ofMaxLength(200));
        return Combinators.combine(List.of(methods, targets, versions, newlines, headers, bodies)).as(parts -> {
            var nl = (String) parts.get(3);
            var out = new ByteArrayOutputStream();
            var head = parts.get(0) + " " + parts.get(1) + " " + parts.get(2) + nl
                    + ((String) parts.get(4)).replace("\r\n", nl) + nl + nl;
            // Header text as Latin-1 so that \u00ff is the single byte 0xFF; bodies as UTF-8.
            out.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(((String) parts.get(5)).getBytes(StandardCharsets.UTF_8));
            return out.toByteArray();
        });
    }
}
