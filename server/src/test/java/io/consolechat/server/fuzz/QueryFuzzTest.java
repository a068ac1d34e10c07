package io.consolechat.server.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.consolechat.protocol.testing.Gen;
import io.consolechat.protocol.testing.Seed;
import io.consolechat.protocol.testing.Tries;
import io.consolechat.server.testing.RawHttp.Reply;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * Query parameters with garbage, negatives, huge values and repeats: a request is accepted exactly when the
 * first value of every parameter it names is a whole number in range (the API's rule), else 400.
 */
@ExtendWith(FuzzTarget.PerClass.class)
class QueryFuzzTest {
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,19}");
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);
    /** The ranges the API documents, for the stream and for the messages endpoint. */
    private static final Map<String, BigInteger[]> STREAM = Map.of(
            "timeout", range(0, 3600), "history", range(0, 500),
            "since", new BigInteger[] {BigInteger.ZERO, LONG_MAX.subtract(BigInteger.ONE)});
    private static final Map<String, BigInteger[]> MESSAGES = Map.of(
            "before", new BigInteger[] {BigInteger.ONE, LONG_MAX}, "limit", range(0, 500));
    /** The room list's page size; its other parameter, the cursor {@code after}, is not among the names tried. */
    private static final Map<String, BigInteger[]> ROOMS = Map.of("limit", range(1, 500));

    private static final Gen<String> NUMBERS = numbers();
    private static final Gen<List<Param>> STREAM_PARAMS =
            params(Gen.of("timeout", "since", "history", "Timeout", "limit", "x"));
    private static final Gen<List<Param>> MESSAGE_PARAMS = params(Gen.of("before", "limit", "Before", "since", "y"));
    private static final Gen<String> PLAIN_ENDPOINTS = Gen.of("/health", "/me", "/rooms", "/room/fuzz-query/members");

    private final FuzzTarget target;

    QueryFuzzTest(FuzzTarget target) {
        this.target = target;
    }

    record Param(String name, String value) {
    }

    @ParameterizedTest
    @Tries(300)
    void streamParameters(Seed seed) {
        var params = STREAM_PARAMS.next(seed.random());
        var reply = get("/room/fuzz-query", params, null);
        if (target.rateLimited(reply)) {
            return;
        }
        assertThat(reply.status()).as("%s -> %s", params, reply).isEqualTo(acceptable(params, STREAM) ? 200 : 400);
        if (reply.status() == 200) {
            assertThat(reply.contentType()).startsWith("application/x-ndjson");
        } else {
            assertThat(reply.text()).contains("\"error\":\"invalid_request\"");
        }
    }

    @ParameterizedTest
    @Tries(300)
    void messageParameters(Seed seed) {
        var params = MESSAGE_PARAMS.next(seed.random());
        var reply = get("/room/fuzz-query/messages", params, null);
        if (target.rateLimited(reply)) {
            return;
        }
        assertThat(reply.status()).as("%s -> %s", params, reply).isEqualTo(acceptable(params, MESSAGES) ? 200 : 400);
        if (reply.status() == 200) {
            assertThat(reply.text()).startsWith("[");
        }
    }

    @ParameterizedTest
    @Tries(150)
    void lastEventIdHeader(Seed seed) {
        var value = NUMBERS.next(seed.random());
        var printable = value.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
        var id = printable ? value : "x" + value.chars().filter(c -> c >= 0x20 && c < 0x7f)
                .mapToObj(c -> String.valueOf((char) c)).collect(Collectors.joining());
        var reply = get("/room/fuzz-query", List.of(new Param("timeout", "0")), id);
        if (target.rateLimited(reply)) {
            return;
        }
        // The header is stripped of surrounding blanks, as HTTP header values are.
        var acceptable = acceptable(List.of(new Param("since", id.strip())), STREAM);
        assertThat(reply.status()).as("Last-Event-ID %s -> %s", id, reply).isEqualTo(acceptable ? 200 : 400);
    }

    /** The edge of the documented range is inside it. */
    @Test
    void theLargestBeforeIsAccepted() {
        var reply = get("/room/fuzz-query/messages", List.of(new Param("before", Long.toString(Long.MAX_VALUE))), null);
        assertThat(reply.status()).as("%s", reply).isEqualTo(200);
    }

    /** Unknown parameters and parameters of other endpoints are ignored everywhere; /rooms checks its limit. */
    @ParameterizedTest
    @Tries(100)
    void otherEndpointsIgnoreParameters(Seed seed) {
        var random = seed.random();
        var params = STREAM_PARAMS.next(random);
        var path = PLAIN_ENDPOINTS.next(random);
        var reply = get(path, params, null);
        if (target.rateLimited(reply)) {
            return;
        }
        var acceptable = !path.equals("/rooms") || acceptable(params, ROOMS);
        assertThat(reply.status()).as("%s %s -> %s", path, params, reply).isEqualTo(acceptable ? 200 : 400);
    }

    private Reply get(String path, List<Param> params, String lastEventId) {
        var query = params.stream()
                .map(p -> URLEncoder.encode(p.name(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(p.value(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        var builder = target.request(path + (query.isEmpty() ? "" : "?" + query))
                .header("Authorization", "Bearer " + target.token).GET();
        if (lastEventId != null) {
            builder.header("Accept", "text/event-stream").header("Last-Event-ID", lastEventId);
        }
        var reply = target.send(builder.build());
        target.assertAnswered(reply, path + "?" + query);
        return reply;
    }

    /** The rule: the first value of each known parameter is at most 19 digits and within its range. */
    private static boolean acceptable(List<Param> params, Map<String, BigInteger[]> ranges) {
        var first = new HashMap<String, String>();
        params.forEach(p -> first.putIfAbsent(p.name(), p.value()));
        return ranges.entrySet().stream().allMatch(range -> {
            var value = first.get(range.getKey());
            if (value == null) {
                return true;
            }
            if (!DIGITS.matcher(value).matches()) {
                return false;
            }
            var number = new BigInteger(value);
            return number.compareTo(range.getValue()[0]) >= 0 && number.compareTo(range.getValue()[1]) <= 0;
        });
    }

    private static Gen<List<Param>> params(Gen<String> names) {
        Gen<Param> param = random -> new Param(names.next(random), NUMBERS.next(random));
        return param.list(0, 6);
    }

    private static Gen<String> numbers() {
        return Gen.oneOf(
                Gen.ints(-5, 3700).map(String::valueOf),
                Gen.longs().map(String::valueOf),
                Gen.of("", "-0", "+1", " 1", "1 ", "1.0", "1e3", "0x10", "00", "0001", "\uff19", "\u0663",
                        "NaN", "Infinity", "9223372036854775807", "9223372036854775806", "9223372036854775808",
                        "99999999999999999999", "18446744073709551616", "-9223372036854775808", "1,2",
                        "0000000000000000001", "00000000000000000001", "500", "501", "3600", "3601", "0", "1"),
                Gen.strings(0, 30),
                Gen.strings(Gen.chars('0', '9'), 15, 25));
    }

    private static BigInteger[] range(long min, long max) {
        return new BigInteger[] {BigInteger.valueOf(min), BigInteger.valueOf(max)};
    }
}
