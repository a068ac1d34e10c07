package io.consolechat.server.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.consolechat.protocol.testing.Gen;
import io.consolechat.protocol.testing.Seed;
import io.consolechat.protocol.testing.Tries;
import io.consolechat.server.testing.RawHttp;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * Requests no well-behaved client would send, over a plain socket: random bytes, broken request lines, header
 * lines without a colon, NUL and high bytes in headers, folded headers, contradictory or lying framing
 * (Content-Length against Transfer-Encoding, bodies shorter or longer than declared), many or huge headers.
 * Each gets an answer or a closed connection in time, never a 5xx.
 */
@ExtendWith(FuzzTarget.PerClass.class)
class RawRequestFuzzTest {
    private final FuzzTarget target;

    RawRequestFuzzTest(FuzzTarget target) {
        this.target = target;
    }

    @ParameterizedTest
    @Tries(400)
    void malformedRequestsNeverBreakTheServer(Seed seed) {
        var request = requests().next(seed.random());
        var text = new String(request, StandardCharsets.ISO_8859_1);
        var head = text.startsWith("HEAD ");
        var outcome = target.sendRaw(request, head);
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
                target.assertAnsweredOrRefusedByJetty(reply, described, unsupportedVersion);
            }
        }, target::closedWithoutAnswer);
        if (outcome.reply().isEmpty()) {
            // Closing is a fair answer to bytes that are not HTTP, but not to a well-formed request head.
            assertThat(text).as("closed without an answer: %s", described).doesNotStartWith("GET /health HTTP/1.1\r\n");
        }
    }

    private static boolean firstLineHasSupportedVersion(String text) {
        var line = text.split("[\r\n]", 2)[0];
        return line.matches("\\S+ \\S+ HTTP/1\\.[01]");
    }

    private Gen<byte[]> requests() {
        return Gen.oneOf(
                Gen.bytes(0, 3000),
                Gen.strings(0, 500).map(s -> s.getBytes(StandardCharsets.UTF_8)),
                assembled());
    }

    /** A request built from parts each of which may be broken. */
    private Gen<byte[]> assembled() {
        var token = target.token;
        var methods = Gen.of("GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE", "CONNECT", "PATCH",
                "PRI", "get", "G ET", "", "\u00ff", "GETGETGETGETGETGETGETGETGETGETGETGET");
        var targets = Gen.of("/health", "/room/fuzz-raw", "/room/fuzz-raw?timeout=0", "/login", "/session",
                "/rooms", "*", "http://127.0.0.1/health", "//health", "", "%", "/room/fuzz-raw/../../health",
                "/room/%00", "health", "/room/fuzz-raw#frag", "/\u00ff");
        var versions = Gen.of("HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/9.9", "HTTP/1", "http/1.1", "",
                "HTTP/1.1 extra", "HTTP/1.1\u0000");
        var newlines = Gen.of("\r\n", "\n", "\r", "\n\r");
        var header = Gen.of("Host: 127.0.0.1", "Host:", "Host: a\r\nHost: b", "NoColon", " Leading: space",
                "Name : v", "X: a\r\n folded", "X-Nul: a\u0000b", "X-High: \u00ff\u00fe", "Content-Length: -1",
                "Content-Length: abc", "Content-Length: 5\r\nContent-Length: 6", "Content-Length: 99999999999999999999",
                "Content-Length: 1000000", "Transfer-Encoding: chunked", "Transfer-Encoding: gzip, chunked",
                "Transfer-Encoding: chunked\r\nContent-Length: 3", "Transfer-Encoding: identity", "Expect: 100-continue",
                "Expect: garbage", "Content-Type: application/json", "Content-Type: text/plain; charset=\"",
                "Authorization: Bearer " + token, "Connection: close", "Connection: keep-alive, Upgrade",
                "Upgrade: h2c", "Accept: text/event-stream", "Last-Event-ID: \u00ff", ":", "X-" + "y".repeat(9000) + ": z",
                "\u0000", "Cookie: " + "a=b; ".repeat(2000));
        var manyHeaders = Gen.ints(50, 1500).map(n -> {
            var headers = new StringBuilder();
            for (int i = 0; i < n; i++) {
                headers.append("X-").append(i).append(": v\r\n");
            }
            return headers.toString();
        });
        var headers = Gen.oneOf(header.list(0, 6).map(list -> String.join("\r\n", list)),
                manyHeaders.map(String::strip));
        var bodies = Gen.oneOf(
                Gen.of("", "{\"text\":\"raw\"}", "5\r\nhello\r\n0\r\n\r\n", "zz\r\nhello\r\n0\r\n\r\n",
                        "ffffffffffffffff\r\nx\r\n", "3\r\nab", "{\"text\":\"ra", "0\r\n\r\nGET /health HTTP/1.1\r\n\r\n"),
                Gen.strings(0, 200));
        return random -> {
            var method = methods.next(random);
            var path = targets.next(random);
            var version = versions.next(random);
            var nl = newlines.next(random);
            var head = method + " " + path + " " + version + nl + headers.next(random).replace("\r\n", nl) + nl + nl;
            var out = new ByteArrayOutputStream();
            // Header text as Latin-1 so that \u00ff is the single byte 0xFF; bodies as UTF-8.
            out.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(bodies.next(random).getBytes(StandardCharsets.UTF_8));
            return out.toByteArray();
        };
    }
}
