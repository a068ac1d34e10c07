package io.consolechat.server.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.consolechat.protocol.Json;
import io.consolechat.protocol.testing.Gen;
import io.consolechat.protocol.testing.Seed;
import io.consolechat.protocol.testing.Tries;
import io.consolechat.server.testing.RawHttp;
import io.consolechat.server.testing.RawHttp.Reply;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * Hostile bodies on every endpoint that takes one: random bytes, invalid UTF-8, deep nesting, huge numbers,
 * wrong types, duplicate keys, JSON of the wrong shape, oversized bodies, odd content types.
 */
@ExtendWith(FuzzTarget.PerClass.class)
class BodyFuzzTest {
    private static final Json JSON = new Json();
    private static final Gen<String> KEYS = Gen.of("text", "username", "password");
    private static final Gen<Body> BODIES = bodies();

    private final FuzzTarget target;

    BodyFuzzTest(FuzzTarget target) {
        this.target = target;
    }

    /** A body and the content type it is sent with (null: none). */
    record Body(byte[] bytes, String contentType) {
        @Override
        public String toString() {
            return "Body[" + contentType + ", " + RawHttp.printable(bytes) + "]";
        }
    }

    @ParameterizedTest
    @Tries(300)
    void loginAnswersEveryBody(Seed seed) {
        var body = BODIES.next(seed.random());
        var reply = send("/login", null, body);
        if (reply == null) {
            return;
        }
        target.assertAnswered(reply, body);
        if (target.rateLimited(reply)) {
            return;
        }
        assertThat(reply.status()).as("%s -> %s", body, reply).isIn(200, 201, 400, 401, 413, 415);
    }

    @ParameterizedTest
    @Tries(300)
    void sendingStoresOrRefusesEveryBody(Seed seed) {
        var body = BODIES.next(seed.random());
        var reply = send("/room/fuzz-body", target.token, body);
        if (reply == null) {
            return;
        }
        target.assertAnswered(reply, body);
        if (target.rateLimited(reply)) {
            return;
        }
        assertThat(reply.status()).as("%s -> %s", body, reply).isIn(201, 400, 413, 415);
        if (reply.status() == 201) {
            assertThat(reply.text()).contains("\"room\":\"fuzz-body\"", "\"name\":\"" + FuzzTarget.FUZZER + "\"");
        }
    }

    /** Endpoints that take no body must not trip over one; the seeded room is only reachable without a token. */
    @ParameterizedTest
    @Tries(150)
    void bodiesWhereNoneIsExpected(Seed seed) {
        var random = seed.random();
        var body = BODIES.next(random);
        var path = bodylessEndpoints().next(random);
        var authenticated = path.startsWith("/room/fuzz-");
        var reply = send(path, authenticated ? target.token : null, body);
        if (reply == null) {
            return;
        }
        target.assertAnswered(reply, path + " " + body);
        if (target.rateLimited(reply)) {
            return;
        }
        if (path.equals("/session")) {
            assertThat(reply.status()).isEqualTo(200);
        } else if (!authenticated) {
            assertThat(reply.status()).as("%s %s -> %s", path, body, reply).isEqualTo(401);
        }
    }

    private Gen<String> bodylessEndpoints() {
        return Gen.of("/session", "/logout", "/room/fuzz-leave/leave", "/room/" + target.seededRoom,
                "/room/" + target.seededRoom + "/leave");
    }

    /**
     * Posts the body; null when the server closed the connection without an answer. A server may answer
     * without reading a body it does not want (over the 64 KiB limit, or sent where none is taken) and close
     * the connection; the reset can overtake the answer, and java.net.http then fails with a broken pipe. So
     * larger bodies go over a plain socket, where a close without an answer is counted in the summary.
     */
    private Reply send(String path, String token, Body body) {
        if (body.bytes().length <= 8 * 1024) {
            return target.send(post(path, token, body));
        }
        var head = new StringBuilder("POST ").append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                .append("Content-Length: ").append(body.bytes().length).append("\r\nConnection: close\r\n");
        if (body.contentType() != null) {
            head.append("Content-Type: ").append(body.contentType().replaceAll("[\\r\\n]", "")).append("\r\n");
        }
        if (token != null) {
            head.append("Authorization: Bearer ").append(token).append("\r\n");
        }
        var request = new ByteArrayOutputStream();
        request.writeBytes(head.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
        request.writeBytes(body.bytes());
        var outcome = target.sendRaw(request.toByteArray(), false);
        if (outcome.reply().isEmpty()) {
            target.closedWithoutAnswer();
            return null;
        }
        return outcome.reply().get();
    }

    private HttpRequest post(String path, String token, Body body) {
        var builder = target.request(path).POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes()));
        if (body.contentType() != null) {
            builder.header("Content-Type", body.contentType());
        }
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder.build();
    }

    private static Gen<Body> bodies() {
        var payloads = payloads();
        var contentTypes = contentTypes();
        return random -> new Body(payloads.next(random), contentTypes.next(random));
    }

    private static Gen<String> contentTypes() {
        return Gen.weighted(
                Gen.weight(6, Gen.constant("application/json")),
                Gen.weight(2, Gen.constant("text/plain")),
                Gen.weight(1, Gen.constant(null)),
                Gen.weight(2, Gen.of("application/json; charset=utf-16", "text/plain; charset=latin1",
                        "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "APPLICATION/JSON",
                        "application/json;;;", "text/plain; charset=\"", "*/*", ";", "application/jsonx",
                        "text/html", "application/xml")),
                Gen.weight(1, Gen.strings(Gen.chars(' ', '~'), 0, 60)));
    }

    private static Gen<byte[]> payloads() {
        return Gen.oneOf(
                Gen.bytes(0, 2000),
                invalidUtf8(),
                deeplyNested(),
                hugeNumbers(),
                wrongTypes(),
                duplicateKeys(),
                wrongShapes(),
                oversized(),
                Gen.strings(0, 300).map(text -> text.getBytes(StandardCharsets.UTF_8)),
                validLooking());
    }

    /** Malformed UTF-8 sequences inside otherwise plausible JSON strings. */
    private static Gen<byte[]> invalidUtf8() {
        var broken = Gen.of(new byte[] {(byte) 0xC3, 0x28}, new byte[] {(byte) 0xA0, (byte) 0xA1},
                new byte[] {(byte) 0xE2, 0x28, (byte) 0xA1}, new byte[] {(byte) 0xF0, 0x28, (byte) 0x8C, (byte) 0xBC},
                new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xFE, (byte) 0xFF}, new byte[] {(byte) 0xC0, (byte) 0xAF},
                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80,
                (byte) 0x80}, new byte[] {(byte) 0xE2, (byte) 0x82});
        var padding = Gen.strings(Gen.chars("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"), 0, 10);
        return random -> concat(("{\"" + KEYS.next(random) + "\":\"" + padding.next(random))
                .getBytes(StandardCharsets.UTF_8), broken.next(random), "\"}".getBytes(StandardCharsets.UTF_8));
    }

    private static Gen<byte[]> deeplyNested() {
        var depth = Gen.ints(1, 30_000, 1, 63, 64, 65, 30_000);
        var open = Gen.of("[", "{\"a\":", "[{\"text\":");
        var prefix = Gen.of("", "{\"text\":", "{\"username\":\"ab\",\"x\":");
        return random -> {
            var p = prefix.next(random);
            var o = open.next(random);
            int d = depth.next(random);
            var text = new StringBuilder(p);
            text.append(o.repeat(d));
            if (random.nextBoolean()) {
                var close = o.equals("[") ? "]" : o.equals("{\"a\":") ? "1}" : "1}]";
                text.append(close.repeat(d));
                if (!p.isEmpty()) {
                    text.append('}');
                }
            }
            return text.toString().getBytes(StandardCharsets.UTF_8);
        };
    }

    private static Gen<byte[]> hugeNumbers() {
        var number = Gen.oneOf(
                Gen.strings(Gen.chars('0', '9'), 1, 5000),
                Gen.of("1e999999999", "-1e-999999999", "9223372036854775808", "-9223372036854775809",
                        "1.7976931348623157e309", "0." + "0".repeat(3000) + "1", "1" + "0".repeat(1000), "NaN",
                        "Infinity", "-0", "0x10", "01"));
        return random -> ("{\"" + KEYS.next(random) + "\":" + number.next(random) + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static Gen<byte[]> wrongTypes() {
        var value = Gen.of("1", "true", "false", "null", "[]", "{}", "[\"hi\"]", "{\"text\":\"hi\"}", "1.5",
                "\"\"", "-1");
        return random -> ("{\"" + KEYS.next(random) + "\":" + value.next(random) + ",\"" + KEYS.next(random) + "\":"
                + value.next(random) + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static Gen<byte[]> duplicateKeys() {
        var value = Gen.strings(Gen.chars('a', 'z'), 1, 12);
        var count = Gen.ints(2, 50);
        return random -> {
            var k = KEYS.next(random);
            var a = value.next(random);
            var b = value.next(random);
            int n = count.next(random);
            var text = new StringBuilder("{");
            for (int i = 0; i < n; i++) {
                text.append(i == 0 ? "" : ",").append('"').append(k).append("\":\"").append(i % 2 == 0 ? a : b).append('"');
            }
            return text.append('}').toString().getBytes(StandardCharsets.UTF_8);
        };
    }

    private static Gen<byte[]> wrongShapes() {
        return Gen.of("[]", "\"text\"", "42", "null", "true", "{\"txt\":\"hi\"}", "{\"text\":\"hi\"} x",
                        "{\"text\":\"hi\"}{\"text\":\"hi\"}", "{\"text\":\"hi\"", "{text:\"hi\"}", "{'text':'hi'}",
                        "{\"text\":\"hi\",}", "[{\"text\":\"hi\"}]", "{\"text\":\"\\u0000\"}", "{\"text\":\"\\ud800\"}",
                        "{\"text\":\"\\u001b[31mred\"}", "{\"text\":\"   \"}", "{\"username\":\"\",\"password\":\"\"}",
                        "{\"password\":\"no-username-here\"}", "{\"username\":\"anon-x\"}",
                        "{\"username\":\"a b\",\"password\":\"long-enough\"}", "\uFEFF{\"text\":\"bom\"}", "", " ",
                        "/* c */ {\"text\":\"hi\"}", "{\"text\":\"" + "x".repeat(4001) + "\"}")
                .map(text -> text.getBytes(StandardCharsets.UTF_8));
    }

    /** Bodies around and past the 64 KiB limit. */
    private static Gen<byte[]> oversized() {
        return Gen.of(64 * 1024 - 1, 64 * 1024, 64 * 1024 + 1, 200_000, 1_000_000).map(size -> {
            var body = new byte[size];
            Arrays.fill(body, (byte) 'x');
            var start = "{\"text\":\"".getBytes(StandardCharsets.UTF_8);
            System.arraycopy(start, 0, body, 0, start.length);
            body[size - 2] = '"';
            body[size - 1] = '}';
            return body;
        });
    }

    /** Bodies that may well be accepted, so the fuzz also walks the paths past validation. */
    private static Gen<byte[]> validLooking() {
        var name = Gen.strings(Gen.chars("abcXYZ019_-"), 1, 34);
        var text = Gen.strings(0, 50);
        var password = Gen.strings(0, 12);
        return Gen.<String>oneOf(
                text.map(t -> JSON.write(Map.of("text", t))),
                random -> JSON.write(Map.of("username", name.next(random), "password", password.next(random))),
                name.map(n -> JSON.write(Map.of("username", n))))
                .map(json -> json.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] concat(byte[]... parts) {
        var out = new ByteArrayOutputStream();
        for (var part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
