package io.consolechat.server.http;

import static io.consolechat.server.testing.ErrorReplies.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.consolechat.protocol.ErrorCode;
import io.consolechat.protocol.Json;
import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.RawHttp;
import io.consolechat.server.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every error of the API with its status and JSON body; after each, the server still serves. */
class ErrorsTest {
    private static final int MAX_BODY = 64 * 1024;
    private static final Json JSON = new Json();

    private static TestServer server;
    private static Api api;
    private static String token;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        api = new Api(server);
        token = api.anonymousToken();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void theServerStillServes() throws Exception {
        assertThat(api.get("/health", null).body()).isEqualTo("{\"status\":\"ok\"}");
        var fresh = api.anonymousToken();
        var sent = api.sendMessage("after-errors", fresh, "still here");
        try (var stream = api.stream("/room/after-errors?timeout=0&since=" + (sent.seq() - 1), fresh)) {
            assertThat(stream.itemsToEnd(Duration.ofSeconds(5))).first().isEqualTo(sent);
        }
    }

    private static Api.Reply post(String path, String authorization, String contentType, byte[] body) {
        var builder = api.request(path, null).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        return api.send(builder.build());
    }

    private static Api.Reply sendJson(String room, Object body) {
        return post("/room/" + room, "Bearer " + token, "application/json", JSON.writeBytes(body));
    }

    private static Api.Reply sendPlain(String room, String text) {
        return post("/room/" + room, "Bearer " + token, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    // --- unauthorized

    /** Every authenticated endpoint, as method and path. */
    private static final List<List<String>> AUTHENTICATED = List.of(
            List.of("GET", "/me"), List.of("POST", "/logout"), List.of("GET", "/rooms"),
            List.of("GET", "/room/lobby?timeout=0"), List.of("POST", "/room/lobby"), List.of("POST", "/room/lobby/leave"),
            List.of("GET", "/room/lobby/members"), List.of("GET", "/room/lobby/messages"));

    static Stream<Arguments> badAuthorizations() {
        var wellFormedUnknown = "cc_" + "A".repeat(43);
        return Stream.of(
                Arguments.of("missing", null),
                Arguments.of("scheme only", "Bearer"),
                Arguments.of("empty token", "Bearer "),
                Arguments.of("malformed token", "Bearer not-a-token"),
                Arguments.of("unknown token", "Bearer " + wellFormedUnknown),
                Arguments.of("basic scheme", "Basic dXNlcjpwYXNzd29yZA=="),
                Arguments.of("other scheme", "Token " + wellFormedUnknown),
                Arguments.of("no scheme", wellFormedUnknown));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badAuthorizations")
    void everyAuthenticatedEndpointRefusesABadAuthorization(String what, String authorization) {
        for (var endpoint : AUTHENTICATED) {
            var builder = api.request(endpoint.get(1), null);
            if (authorization != null) {
                builder.header("Authorization", authorization);
            }
            var request = endpoint.get(0).equals("GET") ? builder.GET().build()
                    : builder.header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"text\": \"hi\"}")).build();
            var reply = api.send(request);
            assertError(reply, ErrorCode.UNAUTHORIZED);
            assertThat(reply.headers().firstValue("WWW-Authenticate")).as("%s %s", endpoint, what)
                    .hasValueSatisfying(value -> assertThat(value).startsWith("Bearer"));
        }
    }

    @Test
    void theBearerSchemeIsCaseInsensitive() {
        var request = api.request("/me", null).header("Authorization", "bearer " + token).GET().build();
        assertThat(api.send(request).status()).isEqualTo(200);
    }

    // --- rooms

    @ParameterizedTest
    @ValueSource(strings = {"-lead", "_lead", "a.b", "a%20b", "%C3%A9t%C3%A9", "semi%3Bcolon", "tab%09",
            "rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr"})
    void roomNamesThatBreakTheRuleAreRefusedEverywhere(String room) {
        assertError(api.get("/room/" + room + "?timeout=0", token), ErrorCode.INVALID_ROOM);
        assertError(api.sendText(room, token, "hi"), ErrorCode.INVALID_ROOM);
        assertError(api.post("/room/" + room + "/leave", token, null), ErrorCode.INVALID_ROOM);
        assertError(api.get("/room/" + room + "/members", token), ErrorCode.INVALID_ROOM);
        assertError(api.get("/room/" + room + "/messages", token), ErrorCode.INVALID_ROOM);
    }

    @Test
    void roomNamesAtTheEdgesOfTheRuleAreAccepted() {
        var longest = "y" + "a".repeat(63);
        assertThat(api.sendMessage(longest, token, "hi").room()).isEqualTo(longest);
        assertThat(api.sendMessage("9", token, "hi").room()).isEqualTo("9");
        assertThat(api.sendMessage("a_-b", token, "hi").room()).isEqualTo("a_-b");
    }

    // --- message text

    /** Also the texts of characters that show nothing: no-break and zero-width spaces, byte order marks. */
    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\n", "\t \n  ", "\u00a0", "\u200b", "\ufeff", "\u00a0\u200b\ufeff \n",
            "\u2028\u2029", "\u3000\u2060\u3164\u2800"})
    void emptyMessagesAreRefused(String text) {
        assertError(sendJson("texts", Map.of("text", text)), ErrorCode.EMPTY_MESSAGE);
        assertError(sendPlain("texts", text), ErrorCode.EMPTY_MESSAGE);
    }

    @Test
    void invisibleCharactersBesideVisibleOnesAreKept() {
        var text = "\u200bhi\u00a0there\ufeff";
        assertThat(sendJson("texts", Map.of("text", text)).event().text()).isEqualTo(text);
        assertThat(sendPlain("texts", text).event().text()).isEqualTo(text);
    }

    @Test
    void messagesOverFourThousandCharactersAreRefused() {
        assertError(sendJson("texts", Map.of("text", "x".repeat(4001))), ErrorCode.MESSAGE_TOO_LONG);
        assertError(sendPlain("texts", "x".repeat(4001)), ErrorCode.MESSAGE_TOO_LONG);
        assertThat(sendJson("texts", Map.of("text", "x".repeat(4000))).status()).isEqualTo(201);
    }

    @Test
    void lengthCountsCharactersNotUtf16Units() {
        var grin = "\uD83D\uDE00";
        var accepted = sendJson("texts", Map.of("text", grin.repeat(4000)));
        assertThat(accepted.status()).as("%s", accepted.status()).isEqualTo(201);
        assertThat(accepted.event().text()).isEqualTo(grin.repeat(4000));
        assertError(sendJson("texts", Map.of("text", grin.repeat(4001))), ErrorCode.MESSAGE_TOO_LONG);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u001b[31mred\u001b[0m", "\u001b]0;title\u0007", "\u001bc", "\u001b[2J", "nul\u0000",
            "bell\u0007", "back\bspace", "carriage\rreturn", "vertical\u000btab", "form\u000cfeed", "unit\u001f",
            "del\u007f", "c1\u0080", "next line\u0085", "csi\u009b31m", "apc\u009f"})
    void controlCharactersAreRefused(String text) {
        assertError(sendJson("texts", Map.of("text", text)), ErrorCode.INVALID_TEXT);
        assertError(sendPlain("texts", text), ErrorCode.INVALID_TEXT);
    }

    @Test
    void newlinesAndTabsAreKept() {
        var text = "line one\n\tindented line two\nthree";
        assertThat(sendJson("texts", Map.of("text", text)).event().text()).isEqualTo(text);
        assertThat(sendPlain("texts", text).event().text()).isEqualTo(text);
    }

    @Test
    void aMessageWithoutTextIsAnInvalidRequest() {
        assertError(post("/room/texts", "Bearer " + token, "application/json", "{}".getBytes(StandardCharsets.UTF_8)),
                ErrorCode.INVALID_REQUEST);
        assertError(post("/room/texts", "Bearer " + token, "application/json",
                "{\"text\": null}".getBytes(StandardCharsets.UTF_8)), ErrorCode.INVALID_REQUEST);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "not json", "[]", "null", "\"hi\"", "{\"text\": [\"a\"]}", "{\"text\": {}}",
            "{\"text\": \"a\"} trailing"})
    void malformedJsonIsAnInvalidRequest(String body) {
        assertError(post("/room/texts", "Bearer " + token, "application/json", body.getBytes(StandardCharsets.UTF_8)),
                ErrorCode.INVALID_REQUEST);
    }

    @Test
    void invalidUtf8IsAnInvalidRequest() {
        var bytes = new byte[] {'h', 'i', (byte) 0xff, (byte) 0xfe};
        assertError(post("/room/texts", "Bearer " + token, "text/plain", bytes), ErrorCode.INVALID_REQUEST);
    }

    @Test
    void deeplyNestedJsonIsAnInvalidRequest() {
        var body = "[".repeat(10_000) + "]".repeat(10_000);
        assertError(post("/login", null, "application/json", body.getBytes(StandardCharsets.UTF_8)),
                ErrorCode.INVALID_REQUEST);
        assertError(post("/room/texts", "Bearer " + token, "application/json", body.getBytes(StandardCharsets.UTF_8)),
                ErrorCode.INVALID_REQUEST);
    }

    // --- body size and media type

    @Test
    void bodiesOverSixtyFourKibibytesAreTooLarge() {
        var json = ("{\"text\": \"" + "x".repeat(MAX_BODY) + "\"}").getBytes(StandardCharsets.UTF_8);
        assertError(post("/room/texts", "Bearer " + token, "application/json", json), ErrorCode.TOO_LARGE);
        assertError(post("/room/texts", "Bearer " + token, "text/plain", new byte[MAX_BODY + 1]), ErrorCode.TOO_LARGE);
        assertError(post("/login", null, "application/json", json), ErrorCode.TOO_LARGE);
    }

    @Test
    void aBodyOfExactlySixtyFourKibibytesIsRead() {
        var padding = MAX_BODY - "{\"text\": \"\"}".length();
        var json = ("{\"text\": \"" + "x".repeat(padding) + "\"}").getBytes(StandardCharsets.UTF_8);
        assertThat(json).hasSize(MAX_BODY);
        // Read in full and judged by its text, not refused for its size.
        assertError(post("/room/texts", "Bearer " + token, "application/json", json), ErrorCode.MESSAGE_TOO_LONG);
    }

    @Test
    void aChunkedBodyWithoutLengthIsCutOffAtTheLimit() {
        var body = new byte[4 * MAX_BODY];
        var request = api.request("/room/texts", null).header("Authorization", "Bearer " + token)
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build();
        assertError(api.send(request), ErrorCode.TOO_LARGE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/xml", "text/html", "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x", "application/octet-stream", "image/png"})
    void otherMediaTypesAreUnsupported(String contentType) {
        assertError(post("/room/texts", "Bearer " + token, contentType, "hello".getBytes(StandardCharsets.UTF_8)),
                ErrorCode.UNSUPPORTED_MEDIA_TYPE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "application/json; charset=utf-8", "Application/JSON"})
    void jsonBodiesAreAcceptedWithParameters(String contentType) {
        var reply = post("/room/texts", "Bearer " + token, contentType,
                "{\"text\": \"caf\u00e9 \u2615\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(reply.status()).isEqualTo(201);
        assertThat(reply.event().text()).isEqualTo("caf\u00e9 \u2615");
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "text/plain; charset=utf-8", "TEXT/PLAIN;charset=UTF-8"})
    void plainTextBodiesAreTheMessage(String contentType) {
        var reply = post("/room/texts", "Bearer " + token, contentType,
                "plain caf\u00e9 \u2615\n".getBytes(StandardCharsets.UTF_8));
        assertThat(reply.status()).isEqualTo(201);
        assertThat(reply.event().text()).isEqualTo("plain caf\u00e9 \u2615");
    }

    // --- routes

    @ParameterizedTest
    @ValueSource(strings = {"/", "/nope", "/room", "/room/", "/room/lobby/extra/more", "/rooms/lobby", "/health/x"})
    void unknownEndpointsAreNotFound(String path) {
        assertError(api.get(path, token), ErrorCode.NOT_FOUND);
    }

    static Stream<Arguments> wrongMethods() {
        return Stream.of(
                Arguments.of("DELETE", "/room/lobby"), Arguments.of("PATCH", "/room/lobby"),
                Arguments.of("GET", "/login"), Arguments.of("GET", "/session"), Arguments.of("GET", "/logout"),
                Arguments.of("POST", "/health"), Arguments.of("POST", "/me"), Arguments.of("DELETE", "/me"),
                Arguments.of("PATCH", "/rooms"), Arguments.of("GET", "/room/lobby/leave"),
                Arguments.of("POST", "/room/lobby/members"), Arguments.of("POST", "/room/lobby/messages"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("wrongMethods")
    void wrongMethodsAreNotAllowed(String method, String path) {
        var request = api.request(path, token).method(method, HttpRequest.BodyPublishers.noBody()).build();
        assertError(api.send(request), ErrorCode.METHOD_NOT_ALLOWED);
    }

    // --- what the HTTP layer refuses before any route

    @Test
    void aMalformedUriIsAnInvalidRequest() {
        assertError(RawHttp.exchange(server, "GET /room/%zz HTTP/1.1"), ErrorCode.INVALID_REQUEST);
    }

    @Test
    void anOverlongUriIsRefusedWithJson() {
        assertError(api.get("/room/lobby/messages?pad=" + "a".repeat(20_000), token), ErrorCode.URI_TOO_LONG);
    }

    @Test
    void overlargeHeadersAreRefusedWithJson() {
        var reply = RawHttp.exchange(server, "GET /health HTTP/1.1\r\nX-Padding: " + "a".repeat(20_000));
        assertError(reply, ErrorCode.HEADERS_TOO_LARGE);
    }
}
