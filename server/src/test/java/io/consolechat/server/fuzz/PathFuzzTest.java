package io.consolechat.server.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.consolechat.protocol.Names;
import io.consolechat.protocol.testing.Gen;
import io.consolechat.protocol.testing.Seed;
import io.consolechat.protocol.testing.Tries;
import io.consolechat.server.testing.RawHttp;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * Hostile room names and path segments on every room endpoint, with a valid token so that they reach the
 * room-name check: encoded slashes, dot segments, NUL, very long names, unicode, percent garbage. Sent over a
 * plain socket because most of them are not URIs {@link java.net.http.HttpClient} would send.
 */
@ExtendWith(FuzzTarget.PerClass.class)
class PathFuzzTest {
    /** Segments whose meaning does not depend on URI decoding or normalization: the room rule decides alone. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_\\-+*!$&'(),=@~:]{1,1000}");
    private static final Gen<String> SEGMENTS = segments();
    private static final Gen<Endpoint> ENDPOINTS = Gen.of(
            new Endpoint("GET", "?timeout=0&history=0", ""),
            new Endpoint("POST", "", "{\"text\":\"path fuzz\"}"),
            new Endpoint("POST", "/leave", ""),
            new Endpoint("GET", "/members", ""),
            new Endpoint("GET", "/messages?limit=1", ""));

    private final FuzzTarget target;

    PathFuzzTest(FuzzTarget target) {
        this.target = target;
    }

    /** One room endpoint: method, what follows the room segment, and a body. */
    record Endpoint(String method, String suffix, String body) {
    }

    @ParameterizedTest
    @Tries(400)
    void roomSegmentsAreAnsweredOrRefused(Seed seed) {
        var random = seed.random();
        var segment = SEGMENTS.next(random);
        var endpoint = ENDPOINTS.next(random);
        var head = endpoint.method() + " /room/" + segment + endpoint.suffix() + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\n"
                + "Authorization: Bearer " + target.token + "\r\n"
                + "Content-Type: application/json\r\n"
                + "Content-Length: " + endpoint.body().length() + "\r\n"
                + "Connection: close\r\n\r\n";
        var request = (head + endpoint.body()).getBytes(StandardCharsets.UTF_8);
        var outcome = target.sendRaw(request, false);
        var described = endpoint.method() + " /room/" + segment + endpoint.suffix();
        assertThat(outcome.reply()).as("a response to %s, got %s", described, RawHttp.printable(outcome.raw()))
                .isPresent();
        var reply = outcome.reply().get();
        var requestLine = head.split("[\r\n]", 2)[0];
        var versionless = !requestLine.endsWith(" HTTP/1.1") || requestLine.split(" ", -1).length != 3;
        target.assertAnsweredOrRefusedByJetty(reply, described, versionless);
        if (PLAIN.matcher(segment).matches() && !target.rateLimited(reply)) {
            // Nothing for Jetty to object to: the room rule alone decides, and our JSON says so.
            if (Names.roomName(segment).isPresent()) {
                assertThat(reply.status()).as("%s -> %s", described, reply).isIn(200, 201);
            } else {
                assertThat(reply.status()).as("%s -> %s", described, reply).isEqualTo(400);
                assertThat(reply.text()).contains("\"error\":\"invalid_room\"");
            }
        }
    }

    private static Gen<String> segments() {
        var tricky = Gen.of("%2F", "a%2Fb", "%2f..%2f", "..", ".", "a/../b", "..%2F..%2Fetc%2Fpasswd", "%2e%2e",
                "%2E%2E%2F", "%5C", "a\\b", "%00", "a%00b", "%", "%G1", "%%", "%1", "%zz", "%C3", "%FF%FE", "%C3%A9",
                "\u00e9", "\u212Aitchen", "%E2%84%AAitchen", "\u0130", "\ufb00", "a;b", "a;jsessionid=x", ";", "//",
                "a//b", "~", "a?b", "a#b", "%3F", "%23", "%20", "+", "", " ", "\t", "%0D%0A", "a%0Ab", "lobby",
                "LOBBY", "-a", "_a", "a".repeat(64), "a".repeat(65), "%61", "%u0061", "..;/health", "%252F");
        var longNames = Gen.ints(60, 20_000, 64, 65, 8_000).map("a"::repeat);
        var pieces = Gen.of("a", "Z", "0", "-", "_", ".", "/", "%", "%2F", "%00", ";", "..", "\u00e9", "%C3",
                "=", "~", "!", "@");
        var composed = pieces.list(1, 12).map(list -> String.join("", list));
        var plain = Gen.strings(Gen.chars("abcXYZ019_-+*!$&'(),=@~:"), 1, 70);
        var unicode = Gen.strings(1, 40);
        return Gen.oneOf(tricky, longNames, composed, plain, unicode);
    }
}
