package io.consolechat.server.fuzz;

import static io.consolechat.server.fuzz.FuzzTarget.target;
import static org.assertj.core.api.Assertions.assertThat;

import io.consolechat.protocol.Names;
import io.consolechat.server.testing.RawHttp;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Hostile room names and path segments on every room endpoint, with a valid token so that they reach the
 * room-name check: encoded slashes, dot segments, NUL, very long names, unicode, percent garbage. Sent over a
 * plain socket because most of them are not URIs {@link java.net.http.HttpClient} would send.
 */
@AddLifecycleHook(FuzzTries.class)
@AddLifecycleHook(FuzzTarget.PerClass.class)
class PathFuzzTest {
    /** Segments whose meaning does not depend on URI decoding or normalization: the room rule decides alone. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_\\-+*!$&'(),=@~:]{1,1000}");

    /** One room endpoint: method, what follows the room segment, and a body. */
    record Endpoint(String method, String suffix, String body) {
    }

    @Property(tries = 400)
    void roomSegmentsAreAnsweredOrRefused(@ForAll("segments") String segment, @ForAll("endpoints") Endpoint endpoint) {
        var head = endpoint.method() + " /room/" + segment + endpoint.suffix() + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\n"
                + "Authorization: Bearer " + target().token + "\r\n"
                + "Content-Type: application/json\r\n"
                + "Content-Length: " + endpoint.body().length() + "\r\n"
                + "Connection: close\r\n\r\n";
        var request = (head + endpoint.body()).getBytes(StandardCharsets.UTF_8);
        var outcome = target().sendRaw(request, false);
        var described = endpoint.method() + " /room/" + segment + endpoint.suffix();
        assertThat(outcome.reply()).as("a response to %s, got %s", described, RawHttp.printable(outcome.raw()))
                .isPresent();
        var reply = outcome.reply().get();
        var requestLine = head.split("[\r\n]", 2)[0];
        var versionless = !requestLine.endsWith(" HTTP/1.1") || requestLine.split(" ", -1).length != 3;
        target().assertAnsweredOrRefusedByJetty(reply, described, versionless);
        if (PLAIN.matcher(segment).matches() && !target().rateLimited(reply)) {
            // Nothing for Jetty to object to: the room rule alone decides, and our JSON says so.
            if (Names.roomName(segment).isPresent()) {
                assertThat(reply.status()).as("%s -> %s", described, reply).isIn(200, 201);
            } else {
                assertThat(reply.status()).as("%s -> %s", described, reply).isEqualTo(400);
                assertThat(reply.text()).contains("\"error\":\"invalid_room\"");
            }
        }
    }

    @Provide
    Arbitrary<Endpoint> endpoints() {
        return Arbitraries.of(
                new Endpoint("GET", "?timeout=0&history=0", ""),
                new Endpoint("POST", "", "{\"text\":\"path fuzz\"}"),
                new Endpoint("POST", "/leave", ""),
                new Endpoint("GET", "/members", ""),
                new Endpoint("GET", "/messages?limit=1", ""));
    }

    @Provide
    Arbitrary<String> segments() {
        var tricky = Arbitraries.of("%2F", "a%2Fb", "%2f..%2f", "..", ".", "a/../b", "..%2F..%2Fetc%2Fpasswd", "%2e%2e",
                "%2E%2E%2F", "%5C", "a\\b", "%00", "a%00b", "%", "%G1", "%%", "%1", "%zz", "%C3", "%FF%FE", "%C3%A9",
                "\u00e9", "\u212Aitchen", "%E2%84%AAitchen", "\u0130", "\ufb00", "a;b", "a;jsessionid=x", ";", "//",
                "a//b", "~", "a?b", "a#b", "%3F", "%23", "%20", "+", "", " ", "\t", "%0D%0A", "a%0Ab", "lobby",
                "LOBBY", "-a", "_a", "a".repeat(64), "a".repeat(65), "%61", "%u0061", "..;/health", "%252F");
        var longNames = Arbitraries.integers().between(60, 20_000).edgeCases(e -> e.includeOnly(64, 65, 8_000))
                .map("a"::repeat);
        var pieces = Arbitraries.of("a", "Z", "0", "-", "_", ".", "/", "%", "%2F", "%00", ";", "..", "\u00e9", "%C3",
                "=", "~", "!", "@");
        var composed = pieces.list().ofMinSize(1).ofMaxSize(12).map(list -> String.join("", list));
        var plain = Arbitraries.strings().withChars("abcXYZ019_-+*!$&'(),=@~:").ofMinLength(1).ofMaxLength(70);
        var unicode = Arbitraries.strings().all().ofMinLength(1).ofMaxLength(40);
        return Arbitraries.oneOf(tricky, longNames, composed, plain, unicode);
    }
}
